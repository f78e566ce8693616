"""Execution of a plan: run each stage's commands, record what happened.

The runner knows nothing of flows or reports. For each stage it writes the stage's
files, runs its commands in ``work/<stage>/`` (each in its own process group, output to
``logs/<stage>.log``), and decides the stage status:

- ``failed``: a command exited non-zero, could not start, or ran past its timeout;
- ``incomplete``: every command exited 0 but an expected output is missing;
- ``passed``: otherwise (report parsing may still turn it into ``incomplete`` later).

Every command has a time limit: ``options.timeout_s`` of the recipe, else a generous
default per stage and tool family (``DEFAULT_TIMEOUT_S``).

Whatever ends fpgaflow ends its tools: Ctrl-C (SIGINT), SIGTERM, SIGHUP and SIGQUIT
(``STOP_SIGNALS``, which the CLI turns into KeyboardInterrupt) stop the running tool's
whole process group (TERM, then KILL) and re-raise, so no later step writes a summary; and when fpgaflow dies
without unwinding (SIGKILL, a crash), a watchdog process that holds the other end of a
pipe sees it close and kills the process groups of the tools still running.

No moment is unguarded. Each tool starts as ``/bin/sh`` (``_LAUNCH``) with the watchdog's
pipe as its stdin: it writes its own process group to the watchdog, then execs the tool
with stdin from /dev/null. From the fork on, the child holds a write end of the pipe, so
the watchdog cannot see fpgaflow's end close before the child has registered itself (a
SIGKILL right after the fork, or right after ``Popen`` returns, still finds the tool
listed). fpgaflow also registers it (and keeps the list), so a watchdog that dies is
started again with every group still running, before the next tool and within a second
while a tool runs. ``PR_SET_PDEATHSIG`` is not used: it reaches only the child (not the
tool's own children, which the group kill reaches), fires when the *thread* that forked
dies (the ``-j N`` stage threads), and needs Python code between fork and exec
(``preexec_fn``), which is unsafe in a threaded process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .plan import Stage

HOUR = 3600.0
# (stage, tool family) -> seconds. Generous: hours beyond what the largest designs of the
# shipped recipes take, so that only a hung tool reaches them. options.timeout_s overrides.
DEFAULT_TIMEOUT_S: dict[tuple[str, str], float] = {
    ("csim", "open"): 2 * HOUR, ("sim", "open"): 4 * HOUR,
    ("synth", "open"): 4 * HOUR, ("pnr", "open"): 6 * HOUR, ("bitstream", "open"): 1 * HOUR,
    ("hls", "vendor"): 12 * HOUR, ("synth", "vendor"): 12 * HOUR,
    ("pnr", "vendor"): 24 * HOUR, ("bitstream", "vendor"): 4 * HOUR,
}
FALLBACK_TIMEOUT_S = 12 * HOUR
_VENDOR_TOOLS = ("vivado", "vitis", "quartus", "gw_sh", "radiant", "diamond", "libero")


def default_timeout(stage: Stage) -> float:
    """The time limit of a stage whose recipe gives no ``options.timeout_s``."""
    names = [str(t.get("name", "")) for t in stage.tools if isinstance(t, dict)]
    family = "vendor" if any(n.startswith(_VENDOR_TOOLS) for n in names) else "open"
    return DEFAULT_TIMEOUT_S.get((stage.name, family), FALLBACK_TIMEOUT_S)


def stage_timeout(stage: Stage) -> float:
    return stage.timeout_s if stage.timeout_s is not None else default_timeout(stage)


@dataclass
class StageResult:
    name: str
    status: str                   # passed | failed | incomplete | skipped
    seconds: float
    log: str                      # relative to the build dir
    returncode: int | None = None
    message: str = ""
    missing: list[str] = field(default_factory=list)
    cached: bool = False          # served from the stage store, not run

    def record(self) -> dict:
        out = {"name": self.name, "status": self.status, "seconds": round(self.seconds, 2),
               "log": self.log}
        if self.cached:
            out["cached"] = True
        if self.message:
            out["message"] = self.message
        return out


class Observer:
    """Progress callbacks; the CLI passes a rich live display, tests a recorder."""

    def stage_started(self, stage: Stage) -> None: ...

    def stage_finished(self, stage: Stage, result: StageResult) -> None: ...

    def tick(self) -> None:
        """Called about once a second while stages run (heartbeats, live refresh)."""


def run_stage(stage: Stage, build_dir: Path, on_process=None) -> StageResult:
    """Run one stage's commands; ``on_process(proc)`` is told of each process started (so
    that a caller running stages in threads can stop them on Ctrl-C)."""
    wd = build_dir / stage.workdir
    wd.mkdir(parents=True, exist_ok=True)
    for rel, text in stage.files.items():
        (wd / rel).parent.mkdir(parents=True, exist_ok=True)
        (wd / rel).write_text(text)
    log_rel = f"logs/{stage.name}.log"
    log_path = build_dir / log_rel
    start = time.monotonic()
    deadline = start + stage_timeout(stage)
    with open(log_path, "w") as log:
        for argv in stage.commands:
            log.write("$ " + " ".join(argv) + "\n")
            log.flush()
            remaining = None if deadline is None else max(0.1, deadline - time.monotonic())
            rc, message = run_command(argv, wd, log, remaining, on_process)
            if rc != 0:
                return StageResult(stage.name, "failed", time.monotonic() - start, log_rel, rc,
                                   message or f"{Path(argv[0]).name} exited with code {rc}")
    missing = [o for o in stage.outputs if not (wd / o).exists()]
    seconds = time.monotonic() - start
    if missing:
        return StageResult(stage.name, "incomplete", seconds, log_rel, 0,
                           "exited 0 but did not write: " + ", ".join(missing), missing)
    return StageResult(stage.name, "passed", seconds, log_rel, 0)


# The tool's first process: register the group (its pid, as start_new_session makes the
# child a group leader, and exec keeps the pid) on stdin, the watchdog's pipe, then exec the
# tool with stdin from /dev/null. The write is in a subshell so that a dead watchdog
# (SIGPIPE) ends the subshell, not the tool; fpgaflow's own registration then restarts it.
_LAUNCH = '(printf "+ %s\\n" "$$" >&0); exec "$@" 0</dev/null'
_SH = "/bin/sh"


def _unstartable(argv0: str, cwd: Path, path: str | None) -> str:
    """Why ``argv0`` cannot be executed ('' if it can), as exec would say it."""
    import shutil
    if "/" in argv0:
        target = Path(cwd, argv0)
        if not target.exists():
            return os.strerror(2)
        if target.is_dir() or not os.access(target, os.X_OK):
            return os.strerror(13)
        return ""
    return "" if shutil.which(argv0, path=path) else os.strerror(2)


def run_command(argv: list[str], cwd: Path, log, timeout: float | None,
                on_process=None) -> tuple[int, str]:
    """Run one command in its own process group; (returncode, message)."""
    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    why = _unstartable(argv[0], cwd, env.get("PATH", os.defpath)) if cwd.is_dir() else ""
    if why:
        log.write(f"fpgaflow: cannot start {argv[0]}: {why}\n")
        return 127, f"cannot start {argv[0]}: {why}"
    fd = _watchdog.ready()  # started (or restarted) before the tool
    try:
        proc = subprocess.Popen([_SH, "-c", _LAUNCH, "fpgaflow-launch", *argv] if fd is not None
                                else argv, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=fd if fd is not None else subprocess.DEVNULL,
                                start_new_session=True, env=env)
    except OSError as exc:
        log.write(f"fpgaflow: cannot start {argv[0]}: {exc}\n")
        return 127, f"cannot start {argv[0]}: {exc.strerror or exc}"
    _watchdog.add(proc.pid)
    if on_process is not None:
        on_process(proc)
    end = None if timeout is None else time.monotonic() + timeout
    try:
        with _ExitWait(proc) as exited:
            while True:
                step = 1.0 if end is None else min(1.0, max(0.0, end - time.monotonic()))
                if exited(step):
                    rc = proc.wait()
                    break
                if end is not None and time.monotonic() >= end:
                    raise subprocess.TimeoutExpired(argv, timeout)
                _watchdog.check()   # a watchdog that died is replaced while the tool runs
        _watchdog.done(proc.pid)
        return rc, ""
    except subprocess.TimeoutExpired:
        stop_group(proc)
        log.write(f"\nfpgaflow: timed out after {timeout:.0f} s; process group stopped\n")
        return -1, f"{Path(argv[0]).name} timed out after {timeout:.0f} s"
    except BaseException:
        # Ctrl-C, SIGTERM (raised as KeyboardInterrupt by the CLI), or anything else:
        # never leave the tool running behind us.
        stop_group(proc)
        raise


class _ExitWait:
    """``exited(seconds)``: whether the process has ended, waiting at most that long.

    ``Popen.wait(timeout=...)`` polls with sleeps that grow to 50 ms, so a tool that ends is
    seen up to 50 ms late (about 25 ms per command on average: a tenth of a small build's
    overhead). On Linux a pidfd becomes readable the moment the process exits, so waiting
    on it with ``select`` wakes at once; elsewhere this falls back to ``Popen.wait``."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.fd: int | None = None

    def __enter__(self):
        try:
            self.fd = os.pidfd_open(self.proc.pid)
        except (AttributeError, OSError):    # not Linux >= 5.3, or already reaped
            self.fd = None
        return self.exited

    def exited(self, seconds: float) -> bool:
        if self.fd is None:
            try:
                self.proc.wait(timeout=seconds)
                return True
            except subprocess.TimeoutExpired:
                return False
        import select
        readable, _, _ = select.select([self.fd], [], [], seconds)
        return bool(readable) or self.proc.poll() is not None

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)


def stop_group(proc: subprocess.Popen, grace: float = 3.0) -> None:
    """TERM the process group, then KILL what is left after ``grace`` seconds."""
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    # reap members of the group that outlived the leader
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _watchdog.done(pgid)


_WATCHDOG = r"""
import os, signal, sys, time
for name in ("SIGINT", "SIGHUP"):           # not ours to stop on: only fpgaflow's end does
    signal.signal(getattr(signal, name), signal.SIG_IGN)
groups = set()
for line in sys.stdin:          # EOF: fpgaflow is gone, however it ended
    op, _, pgid = line.partition(" ")
    try:
        (groups.add if op == "+" else groups.discard)(int(pgid))
    except ValueError:
        pass
for sig in (signal.SIGTERM, signal.SIGKILL):
    for pgid in groups:
        try:
            os.killpg(pgid, sig)
        except OSError:
            pass
    if not groups:
        break
    time.sleep(2)
"""


class _Watchdog:
    """One helper process per fpgaflow process: told (over a pipe) of the process group of
    every tool started, it kills the groups still listed when the pipe closes, i.e. when
    fpgaflow dies by SIGKILL or a crash that runs no cleanup. Started before the first
    tool; fpgaflow keeps the list too, so a watchdog that died is replaced with it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._proc: subprocess.Popen | None = None
        self._pid = 0
        self._groups: set[int] = set()

    def _alive(self) -> bool:
        return (self._fd is not None and self._pid == os.getpid()
                and self._proc is not None and self._proc.poll() is None)

    def _start(self) -> None:
        """(Re)start the watchdog unless it runs; tell a new one every listed group."""
        if self._alive():
            return
        if self._pid != os.getpid():        # a forked child: the parent's list is not ours
            self._groups = set()
            self._fd = None
        else:
            self._close()
        read, write = os.pipe()
        try:
            self._proc = subprocess.Popen([sys.executable, "-S", "-c", _WATCHDOG], stdin=read,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True, close_fds=True)
        except OSError:
            os.close(write)
            self._fd = None
            return
        finally:
            os.close(read)
        self._fd, self._pid = write, os.getpid()
        if self._groups:
            os.write(self._fd, "".join(f"+ {g}\n" for g in sorted(self._groups)).encode())

    def _send(self, line: str) -> None:
        with self._lock:
            for _ in range(2):               # a broken pipe: the watchdog died, restart it
                try:
                    self._start()
                    if self._fd is not None:
                        os.write(self._fd, line.encode())
                    return
                except OSError:
                    self._close()

    def _close(self) -> None:
        """Close our end of the pipe to the watchdog, if open."""
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
        self._fd = None

    def ready(self) -> int | None:
        """Start the watchdog if it does not run; the write end of its pipe (or None)."""
        with self._lock:
            try:
                self._start()
            except OSError:
                self._fd = None
            return self._fd

    check = ready

    def add(self, pgid: int) -> None:
        with self._lock:
            self._groups.add(pgid)
        self._send(f"+ {pgid}\n")

    def done(self, pgid: int) -> None:
        """The leader has exited; forget the group once no member is left."""
        try:
            os.killpg(pgid, 0)
            return  # members live on: the watchdog still kills them if fpgaflow dies
        except OSError:
            pass
        with self._lock:
            self._groups.discard(pgid)
        self._send(f"- {pgid}\n")


_watchdog = _Watchdog()

STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP", "SIGQUIT")
                     if hasattr(signal, n))


def tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip("\n").splitlines()[-lines:])
