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

The store is pruned after every build (``prune``): it keeps the entries of the build's own
stages and, of each stage name, the ``KEEP_PER_STAGE`` others used last (an entry's
``result.json`` is touched when it is reused), and removes the rest, and temporary
directories of saves that died over an hour ago. An entry another build is copying from
(it holds the entry's lock) is left for a later prune.
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
KEEP_PER_STAGE = 8          # entries of each stage name kept besides the current build's
STALE_TMP_S = 3600.0        # a save's temporary directory older than this died with its build


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
        return self._lock(self.entry(stage).name)

    def _lock(self, entry_name: str):
        from .locks import FileLock
        locks = self.root / ".locks"
        locks.mkdir(parents=True, exist_ok=True)
        return FileLock(str(locks / f"{entry_name}.lock"))

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
        try:
            os.utime(src / "result.json")       # last used now: pruning keeps it longer
        except OSError:
            pass
        return StageResult(stage.name, "passed", time.monotonic() - start, log_rel, 0,
                           f"reused: built in {data.get('built_in', '?')} "
                           f"({data.get('seconds', 0):.1f} s)", cached=True)

    def prune(self, keep: list[Stage], per_stage: int | None = None) -> list[str]:
        """Remove the entries beyond the ``per_stage`` used last of each stage name, except
        those of ``keep`` (the stages of the build that just ran); the removed entries'
        names. An entry whose lock another build holds (it is being saved or copied) stays."""
        from .locks import Busy
        per_stage = KEEP_PER_STAGE if per_stage is None else per_stage
        try:
            names = os.listdir(self.root)
        except OSError:
            return []
        protected = {self.entry(s).name for s in keep if s.digest}
        now = time.time()
        by_stage: dict[str, list[tuple[float, str]]] = {}
        for n in names:
            path = self.root / n
            if n.startswith(".tmp-"):
                try:
                    if now - path.stat().st_mtime > STALE_TMP_S:
                        shutil.rmtree(path, ignore_errors=True)
                except OSError:
                    pass
                continue
            stage, _, digest = n.rpartition("-")
            if n.startswith(".") or not stage or n in protected:
                continue
            try:
                used = (path / "result.json").stat().st_mtime
            except OSError:
                used = 0.0
            by_stage.setdefault(stage, []).append((used, n))
        removed = []
        for entries in by_stage.values():
            entries.sort(reverse=True)
            for _, n in entries[per_stage:]:
                lock = self._lock(n)
                try:
                    lock.acquire(timeout=0)
                except (Busy, OSError):
                    continue
                try:
                    shutil.rmtree(self.root / n, ignore_errors=True)
                    removed.append(n)
                finally:
                    lock.release()
        return sorted(removed)

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
