"""Status logic with fake tools: a tool that fails, one that exits 0 without its outputs,
one that hangs, and Ctrl-C in the middle of a build."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

RECIPE = """\
name: fake
core: fpgaflow:demo:blinky
board: zcu104
flow: estimate
"""


def fake_yosys(tmp_path: Path, body: str) -> Path:
    """A `yosys` that answers -V like Yosys 0.70 and otherwise runs BODY (shell)."""
    exe = tmp_path / "bin" / "yosys"
    exe.parent.mkdir(exist_ok=True)
    exe.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        if [ "$1" = "-V" ]; then echo "Yosys 0.70 (fake)"; exit 0; fi
        {body}
        """))
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return exe


@pytest.fixture
def fake_env(tmp_path, monkeypatch):
    monkeypatch.setenv("FPGAFLOW_CACHE_DIR", str(tmp_path / "cache"))
    import fpgaflow.toolchain as tc
    monkeypatch.setattr(tc, "CACHE_DIR", tmp_path / "cache")

    def make(body: str, timeout: int | None = 60):
        monkeypatch.setenv("FPGAFLOW_YOSYS", str(fake_yosys(tmp_path, body)))
        r = tmp_path / "fake.yaml"
        r.write_text(RECIPE + ("" if timeout is None else f"options: {{timeout_s: {timeout}}}\n"))
        return r
    return make


def gone(pid: int) -> bool:
    """The process no longer runs (absent, or a zombie waiting for a reaper that isn't ours)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def summary_of(out: Path) -> dict:
    (path,) = list(out.glob("fake-*/summary.json"))
    return json.loads(path.read_text())


def test_failing_tool_is_failed_exit_1_with_log_tail(tmp_path, run_cli, fake_env):
    recipe = fake_env('echo "ERROR: syntax error in blinky.v line 3"; exit 1')
    r = run_cli("build", recipe, "--out", tmp_path / "b")
    assert r.exit_code == 1
    s = summary_of(tmp_path / "b")
    assert s["status"] == "failed" and s["stages"][0]["status"] == "failed"
    assert "ERROR: syntax error in blinky.v line 3" in r.stderr     # last lines of the log
    assert "full log:" in r.stderr and "logs/synth.log" in r.stderr


def test_exit_0_without_outputs_is_incomplete(tmp_path, run_cli, fake_env):
    recipe = fake_env("echo 'all good, honest'; exit 0")
    r = run_cli("build", recipe, "--out", tmp_path / "b")
    assert r.exit_code == 1
    s = summary_of(tmp_path / "b")
    assert s["status"] == "incomplete"
    assert "did not write: stat.txt, stat.json" in s["stages"][0]["message"]


def test_exit_0_with_garbage_report_is_incomplete(tmp_path, run_cli, fake_env):
    recipe = fake_env("echo junk > stat.txt; echo '{\"not\": \"stat\"}' > stat.json; exit 0")
    r = run_cli("build", recipe, "--out", tmp_path / "b")
    s = summary_of(tmp_path / "b")
    assert r.exit_code == 1 and s["status"] == "incomplete"
    assert "could not be parsed" in s["stages"][0]["message"]
    assert "resources" not in s                                   # never a made-up zero


def test_hanging_tool_times_out_and_its_group_is_killed(tmp_path, run_cli, fake_env):
    marker = tmp_path / "child.pid"
    recipe = fake_env(f"sleep 300 & echo $! > {marker}; wait", timeout=2)
    t0 = time.monotonic()
    r = run_cli("build", recipe, "--out", tmp_path / "b")
    assert time.monotonic() - t0 < 30
    assert r.exit_code == 1
    s = summary_of(tmp_path / "b")
    assert s["status"] == "failed" and "timed out" in s["stages"][0]["message"]
    child = int(marker.read_text())
    time.sleep(0.2)
    assert gone(child)


def test_default_timeout_applies_without_options_timeout_s(tmp_path, run_cli, fake_env,
                                                          monkeypatch):
    from fpgaflow import runner
    monkeypatch.setitem(runner.DEFAULT_TIMEOUT_S, ("synth", "open"), 2)
    recipe = fake_env("sleep 120", timeout=None)
    t0 = time.monotonic()
    r = run_cli("build", recipe, "--out", tmp_path / "b")
    assert time.monotonic() - t0 < 60
    assert r.exit_code == 1
    assert "timed out after 2 s" in summary_of(tmp_path / "b")["stages"][0]["message"]


def test_default_timeouts_are_generous_and_per_family():
    from fpgaflow import runner
    from fpgaflow.plan import Stage
    vivado = Stage(name="pnr", tools=[{"name": "vivado"}], commands=[])
    nextpnr = Stage(name="pnr", tools=[{"name": "nextpnr-ecp5"}], commands=[])
    assert runner.stage_timeout(vivado) == 24 * 3600 and runner.stage_timeout(nextpnr) == 6 * 3600
    nextpnr.timeout_s = 30
    assert runner.stage_timeout(nextpnr) == 30


def _build_until_tool_runs(tmp_path, fake_env):
    marker = tmp_path / "child.pid"
    recipe = fake_env(f"sleep 300 & echo $! > {marker}; wait")
    env = dict(os.environ, FPGAFLOW_CACHE_DIR=str(tmp_path / "cache"))
    # SIGINT as a terminal gives it: a suite started in the background (`pytest &`) has
    # SIGINT ignored, the child inherits that, and Python then keeps ignoring it
    proc = subprocess.Popen([sys.executable, "-m", "fpgaflow", "build", str(recipe),
                             "--out", str(tmp_path / "b")], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for _ in range(300):
        if marker.exists() and marker.read_text().strip():
            break
        time.sleep(0.1)
    return proc, int(marker.read_text())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT],
                         ids=lambda s: s.name)
def test_a_signal_stops_the_tool_group_and_writes_no_summary(tmp_path, fake_env, sig):
    proc, child = _build_until_tool_runs(tmp_path, fake_env)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    time.sleep(0.2)
    assert gone(child)
    assert not list((tmp_path / "b").glob("fake-*/summary.json"))   # no half-written summary


def test_killed_fpgaflow_takes_its_tools_along(tmp_path, fake_env):
    """SIGKILL runs no handler: the watchdog sees fpgaflow's end of its pipe close."""
    proc, child = _build_until_tool_runs(tmp_path, fake_env)
    proc.kill()
    proc.communicate(timeout=30)
    for _ in range(100):
        if gone(child):
            break
        time.sleep(0.1)
    assert gone(child)


def group_alive(pgid: int) -> bool:
    """A process of group PGID still runs (zombies waiting for a reaper not counted)."""
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            return True
    return False


# fpgaflow's runner, SIGKILLed at the worst moment: the tool has been forked and exec'd
# (Popen returned) and fpgaflow has not yet told the watchdog of it.
_KILLED_BEFORE_REGISTERING = """
import os, signal, sys
from pathlib import Path
from fpgaflow import runner
def add(pgid):
    print(pgid, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
runner._watchdog.add = add
runner.run_command(["sh", "-c", "sleep 300 & sleep 300 & wait"], Path(sys.argv[1]),
                   open(os.devnull, "w"), 600)
"""

# A watchdog that dies while a tool runs is replaced (with the tool's group) before
# fpgaflow is SIGKILLed.
_WATCHDOG_KILLED_FIRST = """
import os, signal, sys, threading, time
from pathlib import Path
from fpgaflow import runner
wd = runner._watchdog
threading.Thread(target=runner.run_command, daemon=True,
                 args=(["sh", "-c", "sleep 300 & wait"], Path(sys.argv[1]),
                       open(os.devnull, "w"), 600)).start()
while not wd._groups:
    time.sleep(0.01)
first = wd._proc.pid
os.kill(first, signal.SIGKILL)
while wd._proc.pid == first:
    time.sleep(0.01)
print(next(iter(wd._groups)), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _kill_and_check(tmp_path, script: str, times: int) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(times)]
    groups = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL, err
        groups.append(int(out.split()[0]))
    deadline = time.monotonic() + 10
    while any(map(group_alive, groups)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [g for g in groups if group_alive(g)]
    for g in left:                       # ours: do not leave them behind on failure
        os.killpg(g, signal.SIGKILL)
    assert not left, f"{len(left)} of {times} tool groups outlived fpgaflow"


def test_killed_right_after_the_fork_takes_its_tools_along(tmp_path):
    """The race of issue 16, hit every time: the tool registers itself before exec."""
    _kill_and_check(tmp_path, _KILLED_BEFORE_REGISTERING, 12)


def test_a_dead_watchdog_is_replaced_with_the_running_groups(tmp_path):
    _kill_and_check(tmp_path, _WATCHDOG_KILLED_FIRST, 3)


@pytest.mark.parametrize("pidfd", [True, False])
def test_exit_wait_sees_an_ended_tool_and_waits_for_a_running_one(monkeypatch, pidfd):
    """The runner's wait: a pidfd where Linux has one (woken the moment the tool ends, not
    at Popen.wait's next 50 ms poll), Popen.wait otherwise; both tell ended from running."""
    from fpgaflow import runner
    if not pidfd:
        monkeypatch.delattr(runner.os, "pidfd_open", raising=False)
    quick = subprocess.Popen(["sh", "-c", "exit 3"])
    slow = subprocess.Popen(["sleep", "30"])
    try:
        with runner._ExitWait(quick) as exited:
            assert exited(30.0)
        assert quick.wait() == 3
        with runner._ExitWait(slow) as exited:
            assert not exited(0.05)
            assert slow.poll() is None
            slow.kill()
            assert exited(30.0)
    finally:
        slow.kill()
        slow.wait()
