"""The stage store: products of passed stages, keyed by the stage digest, under OUT/.stages/.

A stage whose digest is in the store is not run again: its work directory and log are
copied into the build directory instead. The digest covers exactly the stage's inputs
(``fpgaflow.plan``), so one entry serves every build that needs the same stage: the
unchanged synthesis of a build whose clock changed, two boards of one family whose
synthesis does not depend on the part, sweep points that differ only in P&R options.

An entry is ``<name>-<digest>/``: ``work/`` (the stage's work dir after it ran),
``upstream/<stage>/`` (files it wrote or changed in the work dirs of the stages it reads,
e.g. Vivado's implementation runs inside the synthesis project), ``log`` and, written
last, ``result.json``. Only passed stages are stored; a stage found failed or incomplete
later (its report does not parse, its testbench reports mismatches) is evicted. Entries
are written to a temporary directory and renamed, so a crash never leaves half an entry.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from .plan import Stage
from .runner import StageResult

ENTRY_SCHEMA = "fpgaflow.stage-entry/1"


def _files(root: Path) -> dict[str, tuple[int, int]]:
    """relative path -> (size, mtime_ns) of the regular files under root."""
    out: dict[str, tuple[int, int]] = {}
    if not root.is_dir():
        return out
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            out[os.path.relpath(p, root)] = (st.st_size, st.st_mtime_ns)
    return out


def _copy_file(src: str, dst: str) -> None:
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if os.path.islink(src):
        if os.path.lexists(dst):
            os.unlink(dst)
        os.symlink(os.readlink(src), dst)
    else:
        shutil.copy2(src, dst)


class StageStore:
    def __init__(self, out_root: Path):
        self.root = Path(out_root) / ".stages"

    def entry(self, stage: Stage) -> Path:
        return self.root / f"{stage.name}-{stage.digest[:24]}"

    def lock(self, stage: Stage):
        from filelock import FileLock
        locks = self.root / ".locks"
        locks.mkdir(parents=True, exist_ok=True)
        return FileLock(str(locks / f"{stage.name}-{stage.digest[:24]}.lock"))

    def lookup(self, stage: Stage) -> dict | None:
        """The stored result of a passed run of this stage, or None."""
        if not stage.digest:
            return None
        try:
            data = json.loads((self.entry(stage) / "result.json").read_text())
        except (OSError, ValueError):
            return None
        if data.get("schema") != ENTRY_SCHEMA or data.get("digest") != stage.digest \
                or data.get("status") != "passed":
            return None
        return data

    def snapshot(self, upstream: list[str], build_dir: Path) -> dict[str, dict]:
        """What the work dirs of the stages a stage reads hold before it runs."""
        return {name: _files(build_dir / "work" / name) for name in upstream}

    def save(self, stage: Stage, build_dir: Path, result: StageResult,
             before: dict[str, dict]) -> None:
        """Store a passed stage: its work dir, its log and what it changed upstream."""
        if result.status != "passed" or not stage.digest:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".tmp-{stage.name}-{os.getpid()}-{os.urandom(4).hex()}"
        try:
            shutil.copytree(build_dir / stage.workdir, tmp / "work", symlinks=True)
            for name, old in before.items():
                up = build_dir / "work" / name
                for rel, sig in _files(up).items():
                    if old.get(rel) != sig:
                        _copy_file(str(up / rel), str(tmp / "upstream" / name / rel))
            log = build_dir / result.log
            if log.exists():
                shutil.copy2(log, tmp / "log")
            (tmp / "result.json").write_text(json.dumps({
                "schema": ENTRY_SCHEMA, "stage": stage.name, "digest": stage.digest,
                "status": "passed", "seconds": round(result.seconds, 3),
                "built_in": build_dir.name, "at": time.time()}) + "\n")
            dest = self.entry(stage)
            if dest.exists():
                shutil.rmtree(dest, ignore_errors=True)
            os.replace(tmp, dest)
        except OSError:
            pass            # a store that cannot be written costs a rebuild, not the build
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def restore(self, stage: Stage, build_dir: Path, data: dict) -> StageResult | None:
        """Copy a stored stage into the build dir; None when the entry went away meanwhile."""
        start = time.monotonic()
        src = self.entry(stage)
        wd = build_dir / stage.workdir
        log_rel = f"logs/{stage.name}.log"
        try:
            shutil.rmtree(wd, ignore_errors=True)
            shutil.copytree(src / "work", wd, symlinks=True)
            up_root = src / "upstream"
            if up_root.is_dir():
                for name in os.listdir(up_root):
                    for rel, sig in _files(up_root / name).items():
                        dst = build_dir / "work" / name / rel
                        if _files_sig(dst) != sig:     # leave unchanged files alone: others read them
                            _copy_file(str(up_root / name / rel), str(dst))
            (build_dir / "logs").mkdir(parents=True, exist_ok=True)
            if (src / "log").exists():
                shutil.copy2(src / "log", build_dir / log_rel)
        except OSError:
            return None
        return StageResult(stage.name, "passed", time.monotonic() - start, log_rel, 0,
                           f"reused: built in {data.get('built_in', '?')} "
                           f"({data.get('seconds', 0):.1f} s)", cached=True)

    def evict(self, stage: Stage) -> None:
        """Forget a stage found failed or incomplete after it was stored."""
        if stage.digest:
            shutil.rmtree(self.entry(stage), ignore_errors=True)


def _files_sig(path: Path) -> tuple[int, int] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)
