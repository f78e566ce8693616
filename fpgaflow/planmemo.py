"""The plan memo: an unchanged invocation of ``fpgaflow build`` finds its plan digests
without planning (no YAML, FuseSoC, Jinja or tool probe), so a cache hit costs little more
than Python's start and printing the table.

An entry maps the invocation (recipe path, ``--flow``/``--board`` overrides, output root) to
the digests its plans had, with the (size, mtime) of every file the plans were made from:
the recipe, the stages' source and data files, the ``.core`` files under the core roots, the
board and device files, fpgaflow's own code, the tools' executables, the directories on
PATH and the Python library directories (a tool or package installed or removed changes
them), plus the environment variables planning reads, and the recipe's content (a digest
of its text: an edit that keeps its size and mtime still counts). The stats are taken
when the plans are made (``snapshot``), not when the build ends, so a file edited while
the tools ran makes the next build plan again. If any of them differs, or the entry
is absent, the build plans as usual; a memo hit only ever avoids planning, it never
replaces the summary check (the build directory must hold a passed summary of that
digest). ``--force`` and ``--force-stage`` use it too: they rerun the stages of the plans
it names (read back from their build dirs, ``Plan.load``) without planning them again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

MEMO_VERSION = 2
_PKG = Path(__file__).resolve().parent


def _cache_dir() -> Path:
    env = os.environ.get("FPGAFLOW_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs
    return Path(platformdirs.user_cache_dir("fpgaflow"))


def _key(recipe: Path, flow, boards, out: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k.startswith(("FPGAFLOW_", "YOWASP_"))}
    material = [MEMO_VERSION, str(Path(recipe).resolve()), flow, list(boards), str(out),
                str(Path.cwd()), os.environ.get("PATH", ""), env, sys.executable]
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _stat(path: str) -> str:
    try:
        st = os.stat(path)
        return f"{path}|{st.st_size}|{st.st_mtime_ns}\n"
    except OSError:
        return f"{path}|missing\n"


def _hash(lines) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode())
    return h.hexdigest()


def _sig(paths: list[str]) -> str:
    return _hash(_stat(p) for p in paths)


_MAX_RECIPE = 4 << 20          # the recipe loader refuses larger files (yamlfile.MAX_BYTES)


def recipe_digest(path: Path) -> str:
    """The digest of the recipe's text; only a regular file of a recipe's size is read (the
    loader refuses anything else with its own message: /dev/zero never reaches memory)."""
    import stat
    try:
        st = os.stat(path)            # before opening: a FIFO would block the open
        if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_RECIPE:
            return "not-a-recipe-file"
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read(_MAX_RECIPE + 1)).hexdigest()
    except OSError:
        return "missing"


def _walk(root: Path, suffixes: tuple[str, ...] | None = None) -> list[str]:
    out = [str(root)]
    if not root.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        out.append(dirpath)
        out += [os.path.join(dirpath, f) for f in sorted(filenames)
                if suffixes is None or f.endswith(suffixes)]
    return out


def _files(recipe: Path, plans) -> list[str]:
    from . import corelib
    from .boards import REPO_BOARDS
    files = [str(Path(recipe).resolve())]
    for root in corelib.core_roots(recipe):
        files += _walk(root, (".core",))
    for d in (Path.cwd() / "boards", REPO_BOARDS):
        files += _walk(d, (".yaml", ".yml"))
    files += _walk(_PKG)                       # fpgaflow's code, devices.yaml, templates
    files += [d for d in os.environ.get("PATH", "").split(os.pathsep) if d]
    files += [p for p in sys.path if p and os.path.isdir(p)]
    for plan in plans:
        for stage in plan.stages:
            files += stage.inputs
            files += [t["path"] for t in stage.tools if t.get("path")]
    return sorted(dict.fromkeys(files))


def _path(key: str) -> Path:
    return _cache_dir() / "plans" / f"{key}.json"


def lookup(recipe: Path, flow, boards, out: Path) -> list[dict] | None:
    """[{name, dirname, digest}, ...] of the plans this invocation made last time, when
    nothing they were made from changed since; else None."""
    try:
        entry = json.loads(_path(_key(recipe, flow, boards, out)).read_text())
    except (OSError, ValueError):
        return None
    if entry.get("version") != MEMO_VERSION or _sig(entry.get("files", [])) != entry.get("sig") \
            or recipe_digest(recipe) != entry.get("recipe_sha256"):
        return None
    return entry.get("plans")


def snapshot(recipe: Path, plans) -> dict[str, str]:
    """The stat of every file the plans were made from, now (call it right after planning)."""
    return {p: _stat(p) for p in _files(recipe, plans)}


def record(recipe: Path, flow, boards, out: Path, plans, seen: dict[str, str],
           recipe_sha256: str) -> None:
    """Remember the plans of this invocation with what ``snapshot`` saw when they were made
    and the recipe's digest read before planning."""
    files = sorted(seen)
    entry = {"version": MEMO_VERSION, "files": files, "sig": _hash(seen[f] for f in files),
             "recipe_sha256": recipe_sha256,
             "plans": [{"name": p.name, "dirname": p.dirname, "digest": p.digest}
                       for p in plans]}
    path = _path(_key(recipe, flow, boards, out))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry))
        os.replace(tmp, path)
    except OSError:
        pass
