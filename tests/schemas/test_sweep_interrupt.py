"""Ctrl-C stops `fpgaflow sweep -j 2` at once: the running tools are stopped, the queued
points never start, and the next run resumes cleanly (no stale lock, nothing half-written).

The tool is a fake `vivado` first on PATH that answers -version and otherwise hangs (it
records its pid): a hung tool is exactly the case where the sweep used to wait forever.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

FAKE = """\
#!{python}
import os, sys, time
if sys.argv[1:] == ["-version"]:
    print("Vivado v2023.2 (64-bit)")
    sys.exit(0)
if os.environ.get("FAKE_VIVADO") == "fail":
    sys.exit(1)
open(os.path.join({pids!r}, str(os.getpid())), "w").close()
time.sleep(600)
"""

SWEEP = """\
name: hang
base:
  core: fpgaflow:demo:blinky
  board: arty-a7-100
  flow: vivado
  stages: [synth]
  clocks: {clk: 100 MHz}
matrix:
  parameters.WIDTH: [4, 5, 6, 7]
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_ctrl_c_stops_a_parallel_sweep_and_it_resumes(tmp_path, repo):
    bindir, pids = tmp_path / "bin", tmp_path / "pids"
    bindir.mkdir()
    pids.mkdir()
    fake = bindir / "vivado"
    fake.write_text(FAKE.format(python=sys.executable, pids=str(pids)))
    fake.chmod(0o755)
    (tmp_path / "s.yaml").write_text(SWEEP)
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(repo)}
    cmd = [sys.executable, "-m", "fpgaflow", "sweep", str(tmp_path / "s.yaml"), "-j", "2",
           "--out", str(tmp_path / "out")]
    # SIGINT as a terminal gives it (a suite run in the background has it ignored, and the
    # child would inherit that)
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        while len(list(pids.iterdir())) < 2:
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "the two first points never started"
            time.sleep(0.2)
        started = [int(p.name) for p in pids.iterdir()]
        os.killpg(proc.pid, signal.SIGINT)          # Ctrl-C: the terminal's whole group
        out, _ = proc.communicate(timeout=40)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, out
    assert "interrupted" in out and "Traceback" not in out
    time.sleep(1.0)
    assert sorted(int(p.name) for p in pids.iterdir()) == sorted(started), \
        "a queued point started after Ctrl-C"
    assert not [p for p in started if _alive(p)], "a tool outlived the sweep"

    # the next run plans all four points again, nothing is served half-done, no lock waits
    env["FAKE_VIVADO"] = "fail"
    res = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "another build" not in res.stdout + res.stderr
    assert "4 points: 0 passed, 4 failed, 0 from cache" in res.stdout
