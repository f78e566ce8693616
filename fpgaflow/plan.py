"""The build plan: pure data, written before anything runs.

A ``Plan`` is the ordered list of ``Stage`` objects a flow produced for one recipe on one
board. Each stage carries the files it writes (name -> text), the commands it runs (argv
lists, run in ``work/<stage>/``), the outputs it must leave behind, the reports to parse and
``needs``: the stages whose products it reads (the edges of the stage graph).

Every stage has its own digest over exactly its inputs: the contents of the source and data
files it reads, the files fpgaflow generates for it (scripts, constraints: where the
parameters, clocks and options it uses end up), its commands, its tools with their
versions, the digests of the stages it needs, and the fpgaflow code its commands run
(``python -m fpgaflow.models.x`` and the fpgaflow modules that imports). It is the key of
the stage store (``fpgaflow.stagestore``). The plan digest covers the stage digests and
what the summary reads (device, clocks, parameters, gates); it names the build directory
and is the cache key of the whole build. ``--dry-run`` writes the plan and stops.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PLAN_SCHEMA = "fpgaflow.plan/1"
STAGE_SCHEMA = "fpgaflow.stage/1"     # bump when what a stage's products are changes


@dataclass
class Stage:
    name: str                                   # csim | hls | sim | synth | pnr
    tools: list[dict]                           # Tool.record() of the tools it runs
    commands: list[list[str]]                   # argv lists, run in order in work/<name>/
    files: dict[str, str] = field(default_factory=dict)     # written into work/<name>/ first
    inputs: list[str] = field(default_factory=list)         # source files (digest by content)
    outputs: list[str] = field(default_factory=list)        # must exist afterwards (else incomplete)
    reports: dict[str, str] = field(default_factory=dict)   # kind -> path in work/<name>/
    timeout_s: float | None = None
    note: str = ""
    meta: dict = field(default_factory=dict)   # facts for the summary, e.g. a folding bound
    needs: list[str] = field(default_factory=list)  # names of the stages whose products it reads
    digest: str = ""                                # over exactly its inputs (compute_digest)

    @property
    def workdir(self) -> str:
        return f"work/{self.name}"


@dataclass
class Plan:
    name: str
    recipe: str
    core: str
    target: str
    board: str
    device: dict[str, Any]
    flow: str
    estimate: bool
    clocks: dict[str, float]
    parameters: dict[str, Any]
    options: dict[str, Any]
    gates: dict[str, Any]
    stages: list[Stage]
    notes: list[str] = field(default_factory=list)       # shown in the table and summary
    needs_vendor: list[str] = field(default_factory=list)  # stages/sections only a vendor tool gives
    edam: dict[str, Any] | None = field(default_factory=dict)   # None: edam.yml is on disk
    schema: str = PLAN_SCHEMA
    digest: str = ""

    def compute_digest(self) -> str:
        """Each stage's digest (in graph order), then the plan's over them."""
        by_name = {s.name: s for s in self.stages}
        for stage in self.order():
            upstream = {n: by_name[n].digest for n in stage.needs}
            stage.digest = _sha(_stage_material(stage) | {"needs": upstream,
                                                          "schema": STAGE_SCHEMA})
        material = {
            "schema": self.schema, "core": self.core, "target": self.target,
            "device": self.device, "flow": self.flow, "clocks": self.clocks,
            "parameters": self.parameters, "options": self.options,
            "gates": self.gates,   # the summary carries them: a tightened gate is a new summary
            "stages": [[s.name, s.digest] for s in self.stages],
        }
        self.digest = _sha(material)
        return self.digest

    def order(self) -> list[Stage]:
        """The stages in an order where every stage comes after those it needs (plan order
        among independent ones). A need that is not in the plan, or a cycle, is an error."""
        by_name = {s.name: s for s in self.stages}
        for s in self.stages:
            for n in s.needs:
                if n not in by_name:
                    raise ValueError(f"stage {s.name!r} needs {n!r}, which is not in the plan "
                                     f"(stages: {', '.join(by_name)})")
        done: list[Stage] = []
        seen: set[str] = set()
        while len(done) < len(self.stages):
            ready = [s for s in self.stages
                     if s.name not in seen and all(n in seen for n in s.needs)]
            if not ready:
                raise ValueError("the stages' needs form a cycle: " +
                                 ", ".join(s.name for s in self.stages if s.name not in seen))
            done.append(ready[0])
            seen.add(ready[0].name)
        return done

    def upstream(self, name: str) -> list[str]:
        """Every stage ``name`` reads products of, directly or not (plan order)."""
        by_name = {s.name: s for s in self.stages}
        found: set[str] = set()
        todo = list(by_name[name].needs)
        while todo:
            n = todo.pop()
            if n not in found:
                found.add(n)
                todo.extend(by_name[n].needs)
        return [s.name for s in self.stages if s.name in found]

    def downstream(self, name: str) -> list[str]:
        """Every stage that reads products of ``name``, directly or not (plan order)."""
        return [s.name for s in self.stages if name in self.upstream(s.name)]

    @property
    def dirname(self) -> str:
        return f"{self.name}-{self.digest[:8]}"

    def tools(self) -> list[dict]:
        seen, out = set(), []
        for s in self.stages:
            for t in s.tools:
                key = (t["name"], t["path"])
                if key not in seen:
                    seen.add(key)
                    out.append(t)
        return out

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("edam")
        return data

    @classmethod
    def load(cls, build_dir: Path) -> Plan | None:
        """The plan a build directory's plan.json holds, when its digests still hold: each
        stage's and the plan's digest are computed again from it (the stages' input files
        hashed as planning hashes them) and must equal those written; else None. Its EDAM
        stays in the directory's edam.yml (``edam`` is None: ``write`` leaves that file)."""
        try:
            data = json.loads((build_dir / "plan.json").read_text())
            if data.get("schema") != PLAN_SCHEMA or not (build_dir / "edam.yml").is_file():
                return None
            stages = [Stage(**s) for s in data.pop("stages")]
            plan = cls(**data, stages=stages, edam=None)
            written = plan.digest, [s.digest for s in stages]
            plan.compute_digest()
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        return plan if (plan.digest, [s.digest for s in stages]) == written else None

    def write(self, build_dir: Path) -> None:
        """Write plan.json, edam.yml and every stage's generated files (what --dry-run leaves)."""
        build_dir.mkdir(parents=True, exist_ok=True)
        _atomic_write(build_dir / "plan.json", json.dumps(self.to_json(), indent=2) + "\n")
        if self.edam is not None:
            import yaml
            _atomic_write(build_dir / "edam.yml", yaml.safe_dump(self.edam, sort_keys=False))
        for stage in self.stages:
            wd = build_dir / stage.workdir
            wd.mkdir(parents=True, exist_ok=True)
            for rel, text in stage.files.items():
                target = wd / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                _atomic_write(target, text)


def _sha(material: dict) -> str:
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


def _stage_material(stage: Stage) -> dict[str, Any]:
    return {
        "name": stage.name,
        "tools": [{"name": t["name"], "version": t["version"], "via": t["via"]} for t in stage.tools],
        "commands": [[_portable(a) for a in cmd] for cmd in stage.commands],
        "files": stage.files,
        "inputs": {Path(p).name + "#" + str(i): file_digest(p) for i, p in enumerate(sorted(stage.inputs))},
        "outputs": stage.outputs,
        "code": {m: code_digest(m) for m in _python_modules(stage.commands)},
    }


def _python_modules(commands: list[list[str]]) -> list[str]:
    """fpgaflow modules a stage runs as ``python -m fpgaflow.…`` (model vector writers)."""
    mods = []
    for cmd in commands:
        for i, a in enumerate(cmd[:-1]):
            if a == "-m" and cmd[i + 1].startswith("fpgaflow."):
                mods.append(cmd[i + 1])
    return sorted(set(mods))


_PKG_ROOT = Path(__file__).resolve().parent
_CODE: dict[str, str] = {}


def code_digest(module: str) -> str:
    """Digest of an fpgaflow module's source and of the fpgaflow modules it imports
    (transitively): what a ``python -m`` command of a stage runs.

    Finding the imports parses each module (about 7 ms a command), so the result is kept
    in the user cache (``code-digests.json``) with the size and mtime of every file it
    was made from; it is used only while each of them is unchanged (a file that gains an
    import changes, so the set of files cannot go stale without one of them changing)."""
    if module not in _CODE:
        memo = _code_memo()
        key = f"{_PKG_ROOT}:{module}"
        entry = memo.get(key)
        if not (isinstance(entry, dict) and isinstance(entry.get("files"), dict)
                and entry["files"] and all(_stat_sig(_PKG_ROOT.parent / rel) == sig
                                           for rel, sig in entry["files"].items())):
            h, files = hashlib.sha256(), {}
            for path in sorted(_fpgaflow_imports(module)):
                h.update(path.encode() + b"\0" + file_digest(str(_PKG_ROOT.parent / path)).encode())
                files[path] = _stat_sig(_PKG_ROOT.parent / path)
            entry = {"files": files, "digest": h.hexdigest()}
            memo[key] = entry
            _save_code_memo(memo)
        _CODE[module] = entry["digest"]
    return _CODE[module]


def _stat_sig(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


_MEMO: list[dict] = []


def _code_memo_path() -> Path:
    from .toolchain import CACHE_DIR
    return CACHE_DIR / "code-digests.json"


def _code_memo() -> dict:
    if not _MEMO:
        try:
            data = json.loads(_code_memo_path().read_text())
        except (OSError, ValueError):
            data = {}
        _MEMO.append(data if isinstance(data, dict) else {})
    return _MEMO[0]


def _save_code_memo(memo: dict) -> None:
    path = _code_memo_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, json.dumps(memo, sort_keys=True))
    except OSError:
        pass            # a read-only cache: the digest is computed again next time


def _module_file(module: str) -> Path | None:
    rel = Path(*module.split(".")[1:])
    for cand in (_PKG_ROOT / rel.with_suffix(".py"), _PKG_ROOT / rel / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _fpgaflow_imports(module: str) -> set[str]:
    import ast
    found: set[str] = set()
    todo = [module]
    while todo:
        mod = todo.pop()
        path = _module_file(mod)
        if path is None:
            continue
        rel = str(path.relative_to(_PKG_ROOT.parent))
        if rel in found:
            continue
        found.add(rel)
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        try:
            tree = ast.parse(path.read_text())
        except (OSError, SyntaxError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                todo += [a.name for a in node.names if a.name.startswith("fpgaflow.")]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[:len(parts) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                if base == "fpgaflow" or base.startswith("fpgaflow."):
                    todo.append(base)
                    todo += [f"{base}.{a.name}" for a in node.names]
    return found


def _portable(arg: str) -> str:
    """Commands name executables by absolute path; the digest keys on tool versions instead."""
    if arg == sys.executable:
        return "python"
    if os.path.isabs(arg) and os.access(arg, os.X_OK) and not os.path.isdir(arg):
        return Path(arg).name
    return arg


_DIGESTS: dict[tuple[str, int, int], str] = {}


def file_digest(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    key = (path, st.st_size, st.st_mtime_ns)
    if key not in _DIGESTS:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        _DIGESTS[key] = h.hexdigest()
    return _DIGESTS[key]


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
