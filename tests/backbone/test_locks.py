"""fpgaflow's file locks (fpgaflow/locks.py) exclude other threads and other processes."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from fpgaflow.locks import Busy, FileLock


def test_a_held_lock_is_busy_for_another_thread_and_free_after_release(tmp_path):
    path = tmp_path / "x.lock"
    held = FileLock(path)
    held.acquire()
    seen = []

    def other():
        try:
            FileLock(path).acquire(timeout=0)
            seen.append("got it")
        except Busy:
            seen.append("busy")
    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert seen == ["busy"]
    held.release()
    with FileLock(path):
        with pytest.raises(Busy):
            FileLock(path).acquire(timeout=0)


def test_a_lock_held_by_another_process_is_busy_until_it_exits(tmp_path):
    path = tmp_path / "x.lock"
    child = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from fpgaflow.locks import FileLock; "
        f"FileLock({str(path)!r}).acquire(); print('held', flush=True); sys.stdin.read()")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(Busy):
            FileLock(path).acquire(timeout=0)
    finally:
        child.stdin.close()
        child.wait()
    lock = FileLock(path)
    lock.acquire(timeout=0)          # the lock went with the process
    lock.release()
