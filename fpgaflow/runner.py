"""Execution of a plan: run each stage's commands, record what happened.

The runner knows nothing of flows or reports. For each stage it writes the stage's
files, runs its commands in ``work/<stage>/`` (each in its own process group, output to
``logs/<stage>.log``), and decides the stage status:

- ``failed``: a command exited non-zero, could not start, or ran past its timeout;
- ``incomplete``: every command exited 0 but an expected output is missing;
- ``passed``: otherwise (report parsing may still turn it into ``incomplete`` later).

Ctrl-C (SIGINT) or SIGTERM stops the running tool's whole process group (TERM, then
KILL) and re-raises, so no later step writes a summary.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .plan import Stage


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
    deadline = start + stage.timeout_s if stage.timeout_s else None
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


def run_command(argv: list[str], cwd: Path, log, timeout: float | None,
                on_process=None) -> tuple[int, str]:
    """Run one command in its own process group; (returncode, message)."""
    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    try:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True, env=env)
    except OSError as exc:
        log.write(f"fpgaflow: cannot start {argv[0]}: {exc}\n")
        return 127, f"cannot start {argv[0]}: {exc.strerror or exc}"
    if on_process is not None:
        on_process(proc)
    try:
        return proc.wait(timeout=timeout), ""
    except subprocess.TimeoutExpired:
        stop_group(proc)
        log.write(f"\nfpgaflow: timed out after {timeout:.0f} s; process group stopped\n")
        return -1, f"{Path(argv[0]).name} timed out after {timeout:.0f} s"
    except BaseException:
        # Ctrl-C, SIGTERM (raised as KeyboardInterrupt by the CLI), or anything else:
        # never leave the tool running behind us.
        stop_group(proc)
        raise


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


def tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip("\n").splitlines()[-lines:])
