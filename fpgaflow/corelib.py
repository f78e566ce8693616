"""The one module that talks to FuseSoC.

Cores are a FuseSoC library (``cores/`` of the project, plus any ``$FPGAFLOW_CORES``
directories and the libraries of the user's fusesoc.conf). This adapter lists them,
finds one by VLNV, and resolves a core + target + parameters into an EDAM (the Edalize
design description: files, toplevel, parameters, hooks) with absolute file paths.
Pinned to fusesoc 2.4.x; tests/backbone/test_corelib_contract.py is its contract test.

Importing FuseSoC and scanning a library costs about a second, which would dominate a
build served from cache. So answers are memoized on disk, keyed by a fingerprint of every
``.core`` file under the roots (path, size, mtime): an unchanged library is answered
without importing FuseSoC; any changed, added or removed core file resolves afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import FpgaflowError
from .toolchain import CACHE_DIR

REPO_CORES = Path(__file__).resolve().parent.parent / "cores"


@dataclass(frozen=True)
class CoreInfo:
    name: str                      # full VLNV, e.g. fpgaflow:demo:blinky:1.0
    description: str
    core_file: Path
    targets: tuple[str, ...]
    parameters: dict[str, dict[str, Any]]   # of the default target

    @property
    def root(self) -> Path:
        return self.core_file.parent


def core_roots(recipe_path: str | Path | None = None) -> tuple[Path, ...]:
    """Directories searched for cores: the recipe's project cores/, $FPGAFLOW_CORES, the repo's."""
    roots: list[Path] = []
    if recipe_path is not None:
        d = Path(recipe_path).resolve().parent
        for cand in (d, *d.parents):
            if (cand / "cores").is_dir():
                roots.append(cand / "cores")
                break
    for extra in os.environ.get("FPGAFLOW_CORES", "").split(os.pathsep):
        if extra:
            roots.append(Path(extra))
    roots.append(REPO_CORES)
    out: list[Path] = []
    for r in roots:
        r = r.resolve()
        if r.is_dir() and r not in out:
            out.append(r)
    return tuple(out)


def fingerprint(roots: tuple[Path, ...]) -> str:
    """Changes whenever a .core file under the roots is added, removed or modified."""
    h = hashlib.sha256()
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(".core"):
                    st = os.stat(os.path.join(dirpath, name))
                    h.update(f"{dirpath}/{name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


# bump when what _resolve_edam returns changes, so memos of older versions are not served
MEMO_VERSION = 2


def _memo(kind: str, roots: tuple[Path, ...], args: list, compute):
    """Answer from the on-disk memo when the core library is unchanged, else compute."""
    key = hashlib.sha256(json.dumps([MEMO_VERSION, kind, [str(r) for r in roots], fingerprint(roots),
                                     args], default=str).encode()).hexdigest()
    path = CACHE_DIR / "corelib" / f"{key}.json"
    try:
        cached = json.loads(path.read_text())
        if all(os.path.exists(f) for f in cached.get("files", [])):
            return cached["value"]
    except (OSError, ValueError, KeyError):
        pass
    value = compute()
    files = [f["name"] for f in value.get("files", [])] if isinstance(value, dict) else []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"value": value, "files": files}, default=str))
        os.replace(tmp, path)
    except OSError:
        pass
    return value


@lru_cache(maxsize=8)
def _manager(roots: tuple[Path, ...]):
    from fusesoc.config import Config
    from fusesoc.coremanager import CoreManager
    from fusesoc.librarymanager import Library, LibraryManager

    logging.getLogger("fusesoc").setLevel(logging.ERROR)
    config = Config()
    cm = CoreManager(config, library_manager=LibraryManager())
    for lib in list(config.libraries):
        try:
            cm.add_library(lib, [])
        except (RuntimeError, OSError):
            pass
    for r in roots:
        cm.add_library(Library(str(r), str(r)), [])
    return cm


def _info(core) -> CoreInfo:
    data = core.get_data({})
    targets = tuple(sorted(data.targets)) if data.targets else ()
    try:
        params = core.get_parameters({"target": "default"}) if "default" in targets else {}
    except (SyntaxError, RuntimeError):
        params = {}
    return CoreInfo(name=str(core.name), description=core.get_description() or "",
                    core_file=Path(core.core_file).resolve(), targets=targets,
                    parameters=dict(params or {}))


def list_cores(roots: tuple[Path, ...]) -> list[CoreInfo]:
    cm = _manager(tuple(roots))
    return sorted((_info(c) for c in cm.get_cores().values()), key=lambda c: c.name)


def find_core(name: str, roots: tuple[Path, ...]) -> CoreInfo | None:
    """A core by full VLNV, or by vendor:library:name (the newest version)."""
    found = _memo("find_core", roots, [name], lambda: _find_core(name, roots))
    if found is None:
        return None
    return CoreInfo(name=found["name"], description=found["description"],
                    core_file=Path(found["core_file"]), targets=tuple(found["targets"]),
                    parameters=found["parameters"])


def _find_core(name: str, roots: tuple[Path, ...]) -> dict | None:
    from fusesoc.coremanager import DependencyError
    from fusesoc.vlnv import Vlnv
    cm = _manager(tuple(roots))
    try:
        core = cm.get_core(Vlnv(name))
    except (DependencyError, RuntimeError, SyntaxError, ValueError):
        return None
    if core is None:
        return None
    info = _info(core)
    return {"name": info.name, "description": info.description, "core_file": str(info.core_file),
            "targets": list(info.targets), "parameters": info.parameters}


def edam(name: str, target: str, roots: tuple[Path, ...], parameters: dict[str, Any],
         work_root: Path, tool: str | None = None, *, undeclared: str = "error") -> dict[str, Any]:
    """Resolve core + target through FuseSoC into an EDAM with absolute paths.

    Recipe parameters override the core's defaults. A parameter the target's EDAM does
    not have is an error (``undeclared="error"``: the synthesis target; the recipe
    validation checks the names earlier) or skipped (``"skip"``: the sim/csim targets,
    which need not take every synthesis parameter).
    """
    base = _memo("edam", roots, [name, target, tool],
                 lambda: _resolve_edam(name, target, roots, work_root, tool))
    out = json.loads(json.dumps(base))
    params = out.get("parameters", {})
    for pname, value in parameters.items():
        if pname not in params and undeclared == "skip":
            continue
        if pname not in params:
            raise FpgaflowError(f"core {name} target {target} has no parameter {pname!r}",
                                key=f"parameters.{pname}")
        params[pname]["default"] = value
    return out


@contextlib.contextmanager
def _stdout_to_stderr():
    """Route file descriptor 1 to 2 while FuseSoC runs generators: they are subprocesses
    that print progress to stdout, which must stay clean for ``--json`` output."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _resolve_edam(name: str, target: str, roots: tuple[Path, ...], work_root: Path,
                  tool: str | None) -> dict[str, Any]:
    from fusesoc.edalizer import Edalizer
    from fusesoc.vlnv import Vlnv

    cm = _manager(tuple(roots))
    core = cm.get_core(Vlnv(name))
    flags = {"target": target}
    if tool:
        flags["tool"] = tool
    work_root.mkdir(parents=True, exist_ok=True)
    edalizer = Edalizer(toplevel=core.name, flags=flags, core_manager=cm,
                        work_root=str(work_root), export_root=None, system_name=None)
    try:
        with _stdout_to_stderr():
            edalizer.run()
    except (RuntimeError, SyntaxError) as exc:
        raise FpgaflowError(f"FuseSoC could not resolve {name} target {target}: {exc}") from None
    out = dict(edalizer.edam)
    # FuseSoC also lists the parameters of dependencies (the LFC top gets the MVAU's MW, MH, ...);
    # as HDL parameters they belong to the toplevel only when its target declares them.
    # Defines, plusargs and command-line arguments are global and stay.
    own = core.get_parameters(flags) or {}
    out["parameters"] = {k: v for k, v in (out.get("parameters") or {}).items()
                         if k in own or v.get("paramtype") not in ("vlogparam", "generic")}
    for f in out.get("files", []):
        f["name"] = str((work_root / f["name"]).resolve())
        if "include_path" in f:
            f["include_path"] = str((work_root / f["include_path"]).resolve())
    out["parameters"] = {k: dict(v) for k, v in out.get("parameters", {}).items()}
    return json.loads(json.dumps(out, default=str))
