"""The one module that talks to FuseSoC.

Cores are a FuseSoC library (``cores/`` of the project, plus any ``$FPGAFLOW_CORES``
directories and the libraries of the user's fusesoc.conf). This adapter lists them,
finds one by VLNV, and resolves a core + target + parameters into an EDAM (the Edalize
design description: files, toplevel, parameters, hooks) with absolute file paths.
Pinned to fusesoc 2.4.x; tests/test_corelib.py is its contract test.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import FpgaflowError

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
    from fusesoc.coremanager import DependencyError
    from fusesoc.vlnv import Vlnv
    cm = _manager(tuple(roots))
    try:
        core = cm.get_core(Vlnv(name))
    except (DependencyError, RuntimeError, SyntaxError, ValueError):
        return None
    if core is None:
        return None
    return _info(core)


def target_parameters(name: str, target: str, roots: tuple[Path, ...]) -> dict[str, dict]:
    from fusesoc.vlnv import Vlnv
    core = _manager(tuple(roots)).get_core(Vlnv(name))
    return dict(core.get_parameters({"target": target}) or {})


def edam(name: str, target: str, roots: tuple[Path, ...], parameters: dict[str, Any],
         work_root: Path, tool: str | None = None) -> dict[str, Any]:
    """Resolve core + target through FuseSoC into an EDAM with absolute paths.

    Recipe parameters override the core's defaults; a parameter the target does not
    declare is an error (the recipe validation checks the default target earlier).
    """
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
        edalizer.run()
    except (RuntimeError, SyntaxError) as exc:
        raise FpgaflowError(f"FuseSoC could not resolve {name} target {target}: {exc}") from None
    out = dict(edalizer.edam)
    for f in out.get("files", []):
        f["name"] = str((work_root / f["name"]).resolve())
        if "include_path" in f:
            f["include_path"] = str((work_root / f["include_path"]).resolve())
    params = {k: dict(v) for k, v in out.get("parameters", {}).items()}
    for pname, value in parameters.items():
        if pname not in params:
            raise FpgaflowError(f"core {name} target {target} has no parameter {pname!r}",
                                key=f"parameters.{pname}")
        params[pname]["default"] = value
    out["parameters"] = params
    return out
