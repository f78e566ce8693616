"""The build plan: pure data, written before anything runs.

A ``Plan`` is the ordered list of ``Stage`` objects a flow produced for one recipe on one
board. Each stage carries the files it writes (name -> text), the commands it runs (argv
lists, run in ``work/<stage>/``), the outputs it must leave behind and the reports to
parse. Its digest covers everything that can change the result: source file contents,
generated files, commands, parameters, clocks, tool names and versions, options. The
digest names the build directory and is the cache key; ``--dry-run`` writes the plan and
stops.
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
    edam: dict[str, Any] = field(default_factory=dict)
    schema: str = PLAN_SCHEMA
    digest: str = ""

    def compute_digest(self) -> str:
        h = hashlib.sha256()
        material = {
            "schema": self.schema, "core": self.core, "target": self.target,
            "device": self.device, "flow": self.flow, "clocks": self.clocks,
            "parameters": self.parameters, "options": self.options,
            "stages": [_stage_material(s) for s in self.stages],
        }
        h.update(json.dumps(material, sort_keys=True, default=str).encode())
        self.digest = h.hexdigest()
        return self.digest

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

    def write(self, build_dir: Path) -> None:
        """Write plan.json, edam.yml and every stage's generated files (what --dry-run leaves)."""
        import yaml
        build_dir.mkdir(parents=True, exist_ok=True)
        _atomic_write(build_dir / "plan.json", json.dumps(self.to_json(), indent=2) + "\n")
        _atomic_write(build_dir / "edam.yml", yaml.safe_dump(self.edam, sort_keys=False))
        for stage in self.stages:
            wd = build_dir / stage.workdir
            wd.mkdir(parents=True, exist_ok=True)
            for rel, text in stage.files.items():
                target = wd / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                _atomic_write(target, text)


def _stage_material(stage: Stage) -> dict[str, Any]:
    return {
        "name": stage.name,
        "tools": [{"name": t["name"], "version": t["version"], "via": t["via"]} for t in stage.tools],
        "commands": [[_portable(a) for a in cmd] for cmd in stage.commands],
        "files": stage.files,
        "inputs": {Path(p).name + "#" + str(i): file_digest(p) for i, p in enumerate(sorted(stage.inputs))},
        "outputs": stage.outputs,
    }


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
