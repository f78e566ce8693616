"""The one module that talks to FuseSoC.

Cores are a FuseSoC library (``cores/`` of the project, plus any ``$FPGAFLOW_CORES``
directories and the libraries of the user's fusesoc.conf). This adapter lists them,
finds one by VLNV, and resolves a core + target + parameters into an EDAM (the Edalize
design description: files, toplevel, parameters, hooks) with absolute file paths.
Pinned to fusesoc 2.4.x; tests/backbone/test_corelib_contract.py is its contract test.

The EDAM is the one ``fusesoc run --target T`` gives its backend: the target's flags
(``default_tool`` as ``tool``, unless the flow names its FuseSoC tool; a flow-API target,
``flow: X``, gets no tool flag and keeps its ``flow_options``), ``is_toplevel``
for the top core, generators run, ``copyto`` files listed (``edam["copyto"]``: source and
name in the work dir, which every stage materializes), the target's own parameters.

Importing FuseSoC and scanning a library costs about a second, which would dominate a
build served from cache. So answers are memoized on disk, keyed by a fingerprint of every
file under every library FuseSoC sees (the roots, ``$FUSESOC_CORES`` and the libraries of
the fusesoc.conf files, whose text is part of the key too): path, size, mtime. An
unchanged library is answered without importing FuseSoC; any change resolves afresh.
"""

from __future__ import annotations

import configparser
import contextlib
import difflib
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
from . import toolchain
from .toolchain import CACHE_DIR

REPO_CORES = Path(__file__).resolve().parent.parent / "cores"


@dataclass(frozen=True)
class CoreInfo:
    name: str                      # full VLNV, e.g. fpgaflow:demo:blinky:1.0
    description: str
    core_file: Path
    targets: tuple[str, ...]
    parameters: dict[str, dict[str, Any]]   # of the default target
    # per target, resolved as the top core (is_toplevel); None: FuseSoC could not list them
    target_parameters: dict[str, dict[str, dict[str, Any]] | None] = None
    toplevels: dict[str, str | None] = None   # per target; None: the target names none
    # per target: the FuseSoC tool it defaults to and that tool's options (``tools: X:``),
    # and its flow-API flow and ``flow_options``: they name the device `fusesoc run` builds
    # for (nextpnr_options, part, device)
    target_tools: dict[str, dict[str, Any]] = None

    @property
    def root(self) -> Path:
        return self.core_file.parent

    def params_of(self, target: str) -> dict[str, dict[str, Any]] | None:
        """The parameters a recipe may set for ``target`` (None: only FuseSoC can tell)."""
        if self.target_parameters is None:
            return self.parameters if target == "default" else None
        return self.target_parameters.get(target)


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


def config_files() -> list[Path]:
    """The fusesoc.conf files FuseSoC reads (fusesoc.config.Config), those that exist."""
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    cands = [Path("/etc/fusesoc/fusesoc.conf"), Path(xdg) / "fusesoc" / "fusesoc.conf",
             Path("fusesoc.conf")]
    return [c.resolve() for c in cands if c.is_file()]


def config_libraries() -> list[Path]:
    """Library locations of $FUSESOC_CORES and the fusesoc.conf files, read without FuseSoC."""
    out = [Path(p) for p in os.environ.get("FUSESOC_CORES", "").split(":") if p]
    xdg_data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"),
                                                                ".local", "share")
    for conf in config_files():
        cp = configparser.ConfigParser()
        try:
            cp.read(conf)
        except configparser.Error:
            continue
        lib_root = cp.get("main", "library_root", fallback=os.path.join(xdg_data, "fusesoc"))
        for section in cp.sections():
            if section.startswith("library"):
                loc = cp.get(section, "location",
                             fallback=os.path.join(lib_root, section.partition(".")[2]))
                loc = os.path.expanduser(loc)
                out.append(Path(loc) if os.path.isabs(loc) else conf.parent / loc)
    return out


def fingerprint(roots: tuple[Path, ...]) -> str:
    """Changes whenever a file under any library FuseSoC sees (the roots, $FUSESOC_CORES,
    the fusesoc.conf libraries) is added, removed or modified, or a fusesoc.conf changes.
    Every file counts, not only .core files: generator scripts and the files a core lists
    shape the EDAM too."""
    h = hashlib.sha256()
    for conf in config_files():
        h.update(f"{conf}\n".encode() + conf.read_bytes())
    h.update(os.environ.get("FUSESOC_CORES", "").encode())
    for dirpath, name in library_files(roots):
        try:
            st = os.stat(os.path.join(dirpath, name))
        except OSError:
            continue
        h.update(f"{dirpath}/{name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def library_files(roots: tuple[Path, ...]):
    """(folder, file name) of every file under the libraries FuseSoC sees (the roots and the
    fusesoc.conf / $FUSESOC_CORES libraries), each library once, hidden folders skipped,
    in a stable order."""
    seen: set[Path] = set()
    for root in (*roots, *config_libraries()):
        root = Path(root).resolve()
        if root in seen or not root.is_dir():
            continue
        seen.add(root)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                yield dirpath, name


# bump when what _resolve_edam returns changes, so memos of older versions are not served
MEMO_VERSION = 8     # 8: VPI modules with absolute paths


def _memo(kind: str, roots: tuple[Path, ...], args: list, compute):
    """Answer from the on-disk memo when the core library is unchanged, else compute."""
    from . import __version__
    key = hashlib.sha256(json.dumps([MEMO_VERSION, __version__, kind, [str(r) for r in roots],
                                     fingerprint(roots), args], default=str).encode()).hexdigest()
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


class _Collect(logging.Handler):
    """FuseSoC's warnings while it scans the libraries (parse errors, unknown providers)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


_PROBLEMS: dict[tuple[Path, ...], list[str]] = {}


@lru_cache(maxsize=8)
def _manager(roots: tuple[Path, ...]):
    from fusesoc.config import Config
    from fusesoc.coremanager import CoreManager
    from fusesoc.librarymanager import Library, LibraryManager

    log = logging.getLogger("fusesoc")
    log.setLevel(logging.WARNING)
    log.propagate = False          # kept here and shown where it matters, not on stderr
    collect = _Collect()
    log.addHandler(collect)
    try:
        config = Config()
        cm = CoreManager(config, library_manager=LibraryManager())
        for lib in list(config.libraries):
            try:
                cm.add_library(lib, [])
            except (RuntimeError, OSError) as exc:
                collect.messages.append(f"library {lib.location}: {exc}")
        for r in roots:
            cm.add_library(Library(str(r), str(r)), [])
    finally:
        log.removeHandler(collect)
        log.setLevel(logging.ERROR)
    _PROBLEMS[roots] = [m for m in collect.messages if "deprecated" not in m]
    return cm


@lru_cache(maxsize=8)
def _mapped_manager(roots: tuple[Path, ...], mapping: tuple[str, ...]):
    """A core manager with ``fusesoc run --mapping`` applied (FuseSoC applies a mapping
    once per manager, so each mapping gets its own); the plain one without."""
    if not mapping:
        return _manager(roots)
    cm = _manager.__wrapped__(roots)
    try:
        cm.db.mapping_set(list(mapping))
    except (RuntimeError, ValueError, SyntaxError) as exc:
        raise FpgaflowError(f"FuseSoC cannot apply mapping {', '.join(mapping)}: {_msg(exc)}",
                            key="mapping", hint="each entry names a core whose `mapping:` maps "
                            "virtual cores to the providers to use") from None
    return cm


def library_problems(roots: tuple[Path, ...]) -> list[str]:
    """What FuseSoC warned about while scanning: unparsable .core files, above all. A core
    that does not parse is not in the library; these say why."""
    _manager(tuple(roots))
    return list(_PROBLEMS.get(tuple(roots), []))


def _target_info(core, target: str):
    flags = {"target": target, "is_toplevel": True}
    try:
        params = {k: dict(v) for k, v in (core.get_parameters(flags) or {}).items()}
    except (SyntaxError, RuntimeError, ValueError):
        params = None              # e.g. a parameter only a dependency declares
    try:
        top = core.get_toplevel(flags)
    except (SyntaxError, RuntimeError):
        top = None
    tools: dict[str, Any] = {"tool": None, "options": {}, "flow": None, "flow_options": {}}
    try:
        tool = core.get_flags(target).get("tool")
        if tool:
            tools.update(tool=str(tool), options=_plain(core.get_tool_options(
                {**flags, "tool": tool})))
    except (SyntaxError, RuntimeError, KeyError, TypeError, ValueError):
        pass
    try:       # the flow API (`flow: icestorm`, `flow_options:`), which fusesoc run prefers
        flow = core.get_flow(flags)
        if flow:
            tools.update(flow=str(flow), flow_options=_plain(core.get_flow_options(flags)))
    except (SyntaxError, RuntimeError, KeyError, TypeError, ValueError):
        pass
    return params, top, tools


def _plain(options) -> dict[str, Any]:
    return json.loads(json.dumps(dict(options or {}), default=str))


def _info(core) -> CoreInfo:
    data = core.get_data({})
    targets = tuple(sorted(data.targets)) if data.targets else ()
    per, tops, tools = {}, {}, {}
    for t in targets:
        per[t], tops[t], tools[t] = _target_info(core, t)
    return CoreInfo(name=str(core.name), description=core.get_description() or "",
                    core_file=Path(core.core_file).resolve(), targets=targets,
                    parameters=dict(per.get("default") or {}), target_parameters=per,
                    toplevels=tops, target_tools=tools)


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
                    parameters=found["parameters"],
                    target_parameters=found.get("target_parameters"),
                    toplevels=found.get("toplevels"), target_tools=found.get("target_tools"))


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
            "targets": list(info.targets), "parameters": info.parameters,
            "target_parameters": info.target_parameters, "toplevels": info.toplevels,
            "target_tools": info.target_tools}


def unknown_core(name: str, roots: tuple[Path, ...]) -> tuple[str, str]:
    """(message, hint) for a VLNV no library has: the closest names, and the .core files
    FuseSoC could not parse (a core with a syntax error is silently absent otherwise)."""
    names = [c.name for c in list_cores(roots)]
    short = {":".join(n.split(":")[:3]): n for n in names}
    close = difflib.get_close_matches(name, [*short, *names], n=3, cutoff=0.6)
    msg = f"unknown core {name!r}"
    if close:
        msg += "; did you mean " + " or ".join(repr(c) for c in dict.fromkeys(close)) + "?"
    problems = library_problems(roots)
    naming = _files_naming(name, roots)
    if naming and not close:
        # FuseSoC dropped the file that names the core; its warning may not name the file
        # (corescore.core: "Invalid syntax for string ... print(open(...))" in a script)
        own = [e for e in map(_parse_error, naming) if e]
        msg += (f": {', '.join(map(str, naming))} names it, but FuseSoC could not read "
                + ("that file" if len(naming) == 1 else "those files"))
        return msg, "FuseSoC said: " + "; ".join(own or problems or ["nothing"])
    hint = ("FuseSoC could not read: " + "; ".join(problems)) if problems else \
        ("known cores: " + ", ".join(names) + f" (libraries: {', '.join(map(str, roots))}; "
         "add one with $FPGAFLOW_CORES or `fusesoc library add`)")
    return msg, hint


def _parse_error(core_file: Path) -> str | None:
    """What FuseSoC's parser says about one .core file, as its library scan would."""
    from fusesoc.capi2.coreparser import Core2Parser
    from fusesoc.core import Core
    try:
        Core(parser=Core2Parser(), core_file=str(core_file))
    except (SyntaxError, ValueError, ImportError) as exc:
        return str(getattr(exc, "msg", None) or exc).strip()
    except Exception as exc:     # noqa: BLE001 - whatever FuseSoC raises, shown, not raised
        return f"{type(exc).__name__}: {exc}"
    return None


def _vln(vlnv: str) -> tuple[str, str, str]:
    parts = vlnv.strip().strip("'\"").split(":")
    parts = [""] * (3 - len(parts)) + parts if len(parts) < 3 else parts
    return tuple(parts[:3])


def _files_naming(name: str, roots: tuple[Path, ...]) -> list[Path]:
    """The .core files of the libraries whose ``name:`` line is the core ``name`` (read as
    text: for the files FuseSoC could not parse)."""
    import re
    want = _vln(name)
    pattern = re.compile(r"^name\s*:\s*(\S+)", re.M)
    out = []
    for dirpath, f in library_files(roots):
        if not f.endswith(".core"):
            continue
        try:
            text = Path(dirpath, f).read_text(errors="replace")[:20000]
        except OSError:
            continue
        m = pattern.search(text)
        if m and _vln(m.group(1)) == want:
            out.append(Path(dirpath, f))
    return out


# CAPI2 parameter datatypes -> the YAML values a recipe may give them (bool is not an int)
DATATYPES = {"int": (int,), "real": (int, float), "bool": (bool,), "str": (str,), "file": (str,)}


def datatype_mismatch(spec: Any, value: Any) -> str | None:
    """The CAPI2 datatype ``value`` does not have (None: it fits, or none is declared)."""
    dtype = spec.get("datatype") if isinstance(spec, dict) else None
    want = DATATYPES.get(dtype)
    if want and (not isinstance(value, want) or (bool not in want and isinstance(value, bool))):
        return dtype
    return None


def edam(name: str, target: str, roots: tuple[Path, ...], parameters: dict[str, Any],
         work_root: Path, tool: str | None = None, *, undeclared: str = "error",
         toplevel: str | None = None, base: Path | None = None,
         flags: dict[str, bool] | None = None, mapping: list[str] | None = None) -> dict[str, Any]:
    """Resolve core + target through FuseSoC into an EDAM with absolute paths.

    Recipe parameters override the core's defaults. A parameter the target's EDAM does
    not have is an error (``undeclared="error"``: the synthesis target; the recipe
    validation checks the names earlier) or skipped (``"skip"``: the sim/csim targets,
    which need not take every synthesis parameter). ``toplevel`` overrides (or supplies)
    the target's toplevel. A ``file`` parameter given as a relative path is taken
    relative to ``base`` (the recipe's folder), as ``fusesoc run --p=file`` takes it
    relative to the current directory. ``flags`` are the recipe's FuseSoC flags
    (``fusesoc run --flag mdu``: ``{"mdu": True}``), ``mapping`` its ``fusesoc run --mapping``
    cores (the providers of virtual cores).
    """
    # the work root is part of the key: generated and copyto files live there
    flags = dict(sorted((flags or {}).items()))
    mapping = list(mapping or [])
    resolved = _memo("edam", roots, [name, target, tool, toplevel, str(Path(work_root).resolve()),
                                     flags, mapping],
                     lambda: _resolve_edam(name, target, roots, work_root, tool, toplevel,
                                           flags=flags, mapping=mapping))
    out = json.loads(json.dumps(resolved))
    params = out.get("parameters", {})
    for pname, value in parameters.items():
        if pname not in params and undeclared == "skip":
            continue
        if pname not in params:
            raise FpgaflowError(f"core {name} target {target} has no parameter {pname!r}",
                                key=f"parameters.{pname}",
                                hint="its parameters: " + (", ".join(params) or "none"))
        wrong = datatype_mismatch(params[pname], value)
        if wrong:       # a target FuseSoC could not list up front: checked here, as at load
            raise FpgaflowError(f"core {name} target {target} declares {pname} as {wrong}, got "
                                f"{type(value).__name__} {str(value)[:40]}",
                                key=f"parameters.{pname}")
        if params[pname].get("datatype") == "file" and isinstance(value, str) and base \
                and not os.path.isabs(value):
            value = str((Path(base) / value).resolve())
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
                  tool: str | None, toplevel: str | None = None, *,
                  delegate: bool = True, flags: dict[str, bool] | None = None,
                  mapping: list[str] | None = None) -> dict[str, Any]:
    """What ``fusesoc run --target T [--tool X]`` hands Edalize (fusesoc.fusesoc.get_backend):
    the target's flags, Edalizer.run() (setup, generators, EDAM), export() (copyto).

    When the target runs generators and some IceStorm/Trellis helper they may call exists
    only as its YoWASP build (``toolchain.generator_path``), the resolution runs in a child
    process whose PATH has it (``delegate``): FuseSoC runs generators with this process's
    environment, which fpgaflow does not change."""
    from fusesoc.coremanager import DependencyError
    from fusesoc.edalizer import Edalizer
    from fusesoc.vlnv import Vlnv

    cm = _mapped_manager(tuple(roots), tuple(mapping or ()))
    try:
        core = cm.get_core(Vlnv(name))
    except (DependencyError, RuntimeError, SyntaxError, ValueError) as exc:
        raise FpgaflowError(f"FuseSoC cannot find core {name}: {_msg(exc)}", key="core") from None
    user_flags = flags
    try:
        flags = dict(core.get_flags(target))
    except (RuntimeError, SyntaxError) as exc:
        raise FpgaflowError(f"core {name}: {_msg(exc)}", key="target") from None
    flags.update(user_flags or {})      # as fusesoc run: its --flag over the target's flags
    flags["target"] = target
    if tool and not core.get_flow(flags):
        # a flow-API target (`flow: icestorm`) runs with no tool flag in `fusesoc run`: its
        # options are the EDAM's flow_options, and `tool_X?` filesets are not selected
        flags["tool"] = tool
    work_root.mkdir(parents=True, exist_ok=True)
    edalizer = Edalizer(toplevel=core.name, flags=flags, core_manager=cm,
                        work_root=str(work_root), export_root=None, system_name=None)
    if delegate and _runs_generators(edalizer):
        path = toolchain.generator_path()
        if path is not None:
            return _resolve_in_child(name, target, roots, work_root, tool, toplevel, path,
                                     user_flags, mapping)
    saved = core.__dict__.get("get_toplevel")
    if toplevel:     # the recipe's toplevel: also for a target that names none
        core.get_toplevel = lambda _flags: toplevel
    try:
        with _stdout_to_stderr():
            edalizer.run()
            edalizer.export()
            edalizer.apply_filters([])
    except DependencyError as exc:
        missing = _missing(cm, core, flags)
        what = ("no library has " + ", ".join(missing)) if missing else \
            (exc.msg or str(exc.value)).strip().splitlines()[0]
        raise FpgaflowError(f"FuseSoC cannot resolve the dependencies of {name} target "
                            f"{target}: {what}", key="core",
                            hint="add the library that has it: $FPGAFLOW_CORES, "
                                 "`fusesoc library add`, or a cores/ folder next to the recipe") \
            from None
    except SyntaxError as exc:
        text = _msg(exc)
        hint = "name one with `toplevel:` in the recipe" if "no toplevel" in text else None
        raise FpgaflowError(f"FuseSoC could not resolve {name} target {target}: {text}",
                            key="toplevel" if hint else "core", hint=hint) from None
    except (RuntimeError, OSError, ValueError) as exc:
        text = _msg(exc)
        hint = None
        if "Failed to download" in text or "Failed to fetch" in text:
            # a `provider:` core (fusesoc-cores' library cores: github/url/git providers)
            hint = ("its `provider:` downloads the sources, and that failed: run `fusesoc "
                    "fetch` for it where there is network (FuseSoC keeps it in its cache), "
                    "or clone the provider's repository at that version and add the clone "
                    "as a library (`fusesoc library add`, $FPGAFLOW_CORES)")
        raise FpgaflowError(f"FuseSoC could not resolve {name} target {target}: {text}",
                            key="core", hint=hint) from None
    finally:
        if toplevel:
            if saved is None:
                core.__dict__.pop("get_toplevel", None)
            else:
                core.get_toplevel = saved
    out = dict(edalizer.edam)
    # FuseSoC also lists the parameters of dependencies (the LFC top gets the MVAU's MW, MH, ...);
    # as HDL parameters they belong to the toplevel only when its target declares them.
    # Defines, plusargs and command-line arguments are global and stay.
    own = core.get_parameters(edalizer._core_flags(core)) or {}
    out["parameters"] = {k: v for k, v in (out.get("parameters") or {}).items()
                         if k in own or v.get("paramtype") not in ("vlogparam", "generic")}
    for f in out.get("files", []):
        f["name"] = str((work_root / f["name"]).resolve())
        if "include_path" in f:
            f["include_path"] = str((work_root / f["include_path"]).resolve())
    out["parameters"] = {k: dict(v) for k, v in out.get("parameters", {}).items()}
    # VPI modules (`vpi:`): their sources and include dirs, relative to the work root too
    if out.get("vpi"):
        out["vpi"] = [{**v, "src_files": [str((work_root / f).resolve())
                                          for f in v.get("src_files", [])],
                       "include_dirs": [str((work_root / d).resolve())
                                        for d in v.get("include_dirs", [])]}
                      for v in out["vpi"]]
    out["copyto"] = _copyto(edalizer, work_root)
    return json.loads(json.dumps(out, default=str))


def _runs_generators(edalizer) -> bool:
    """Whether any core of the target generates (``edalizer.cores`` resolves the
    dependencies: an unresolvable one is reported by the resolution itself)."""
    from fusesoc.coremanager import DependencyError
    try:
        return any(c.get_ttptttg(edalizer._core_flags(c)) for c in edalizer.cores)
    except (DependencyError, SyntaxError, RuntimeError, ValueError, KeyError, TypeError):
        return False


def _resolve_in_child(name, target, roots, work_root, tool, toplevel, path: str,
                      flags: dict[str, bool] | None, mapping: list[str] | None) -> dict:
    """``_resolve_edam`` in a child process with ``PATH=path`` (its generators' tools);
    its answer, or its FpgaflowError, comes back through a JSON file."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory(prefix="fpgaflow-edam-") as tmp:
        req, out = Path(tmp) / "request.json", Path(tmp) / "answer.json"
        req.write_text(json.dumps({"name": name, "target": target,
                                   "roots": [str(r) for r in roots],
                                   "work_root": str(work_root), "tool": tool,
                                   "toplevel": toplevel, "flags": flags or {},
                                   "mapping": list(mapping or []),
                                   "answer": str(out)}))
        env = {**os.environ, "PATH": path}
        code = "import sys; from fpgaflow.corelib import child_main; sys.exit(child_main(sys.argv[1]))"
        sys.stdout.flush()
        proc = subprocess.run([sys.executable, "-c", code, str(req)], env=env, cwd=os.getcwd(),
                              stdout=2)
        try:
            answer = json.loads(out.read_text())
        except (OSError, ValueError):
            raise FpgaflowError(f"FuseSoC could not resolve {name} target {target}: the "
                                f"resolving process exited with code {proc.returncode}",
                                key="core") from None
    if "error" in answer:
        raise FpgaflowError(**answer["error"])
    return answer["value"]


def child_main(request: str) -> int:
    """The child of ``_resolve_in_child``: resolve here, answer in the request's file."""
    spec = json.loads(Path(request).read_text())
    try:
        value = _resolve_edam(spec["name"], spec["target"], tuple(Path(r) for r in spec["roots"]),
                              Path(spec["work_root"]), spec["tool"], spec["toplevel"],
                              delegate=False, flags=spec.get("flags"),
                              mapping=spec.get("mapping"))
        answer: dict[str, Any] = {"value": value}
    except FpgaflowError as exc:
        answer = {"error": {"message": exc.message, "file": exc.file, "line": exc.line,
                            "key": exc.key, "hint": exc.hint}}
    Path(spec["answer"]).write_text(json.dumps(answer))
    return 0


def _missing(cm, top, flags: dict) -> list[str]:
    """The dependencies (VLNVs as written) that no core of the libraries provides."""
    def vln(v) -> str:
        return f"{v.vendor}:{v.library}:{v.name}"

    have = {vln(c.name): c for c in cm.get_cores().values()}
    missing, seen, todo = [], set(), [(top, {**flags, "is_toplevel": True})]
    while todo:
        core, fl = todo.pop()
        try:
            deps = core.get_depends(fl)
        except (SyntaxError, RuntimeError, ValueError):
            continue
        for dep in deps:
            key = vln(dep)
            if key in seen:
                continue
            seen.add(key)
            found = have.get(key)
            if found is None:
                missing.append(key)
            else:
                todo.append((found, {k: v for k, v in flags.items() if k != "target"}
                             | {"is_toplevel": False}))
    return missing


def _copyto(edalizer, work_root: Path) -> list[dict[str, str]]:
    """The ``copyto`` files: source (in its core) -> name in the work dir, in EDAM order.
    Tools run in the work dir and open these by that name ($readmemh("blinky.hex"))."""
    out = []
    for core in edalizer.cores:
        for f in core.get_files(edalizer._core_flags(core)):
            if not f.get("copyto"):
                continue
            src = Path(core.files_root) / f["name"]
            dst = Path(f["copyto"])
            if (work_root / dst).is_dir() and not src.is_dir():
                dst = dst / src.name
            out.append({"src": str(src.resolve()), "name": dst.as_posix()})
    return out


def _msg(exc: BaseException) -> str:
    return str(getattr(exc, "msg", None) or exc).strip()
