"""Mock vendor tools on PATH (tests/flows/mocks) for end-to-end builds of the vendor flows."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
MOCKS = HERE / "mocks"
FIXTURES = HERE.parent / "fixtures" / "reports"


@dataclass
class Vendor:
    fixtures: Path       # what the mock tools copy to the report paths
    log: Path            # one JSON line per mock tool call: tool, argv, cwd
    out: Path            # --out of the builds

    def calls(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def provide(self, name: str, source: str) -> None:
        """Make the mock tools write tests/fixtures/reports/<source> as report ``name``."""
        shutil.copy(FIXTURES / source, self.fixtures / name)


def _isolate(monkeypatch, tmp_path: Path) -> None:
    from fpgaflow import toolchain
    cache = tmp_path / "cache"
    monkeypatch.setenv("FPGAFLOW_CACHE_DIR", str(cache))
    monkeypatch.setattr(toolchain, "CACHE_DIR", cache)


@pytest.fixture
def vendor(monkeypatch, tmp_path) -> Vendor:
    """Mock vivado / vitis_hls / quartus_* first on PATH, with an empty fixture dir."""
    _isolate(monkeypatch, tmp_path)
    v = Vendor(fixtures=tmp_path / "fixtures", log=tmp_path / "calls.jsonl", out=tmp_path / "build")
    v.fixtures.mkdir()
    monkeypatch.setenv("PATH", f"{MOCKS}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FPGAFLOW_MOCK_FIXTURES", str(v.fixtures))
    monkeypatch.setenv("FPGAFLOW_MOCK_LOG", str(v.log))
    monkeypatch.delenv("FPGAFLOW_MOCK_FAIL", raising=False)
    return v


@pytest.fixture
def no_vendor(monkeypatch, tmp_path) -> Path:
    """A PATH without any vendor tool (the mocks are not on it); returns the --out dir."""
    _isolate(monkeypatch, tmp_path)
    dirs = [d for d in os.environ["PATH"].split(os.pathsep)
            if d and not any((Path(d) / t).exists() for t in
                             ("vivado", "vitis_hls", "quartus_sh", "quartus_map"))]
    monkeypatch.setenv("PATH", os.pathsep.join(dirs))
    return tmp_path / "build"


# Edalize's own run/program scripts: their control flow answers to a live tool; parsed only
_PARSE_ONLY = ("_run.tcl", "_pgm.tcl", "_synth.tcl", "_netlist.tcl")


def tcl_check(path: Path, tool: str | None = None) -> None:
    """tclsh must parse ``path`` (info complete) and, for ``tool`` (vivado, quartus,
    vitis_hls; .xdc and .sdc files pick their own), run it under strict stubs that reject
    unknown commands, options and property names (tests/flows/strict_tcl.py)."""
    import subprocess

    from .strict_tcl import STUBS
    text = path.read_text()
    assert text.strip()
    kind = {".xdc": "xdc", ".sdc": "sdc"}.get(path.suffix, tool)
    if path.name.endswith(_PARSE_ONLY):
        kind = None
    script = (f"set fh [open {{{path}}}]; set t [read $fh]; close $fh\n"
              "if {![info complete $t]} { puts INCOMPLETE; exit 3 }\n")
    if kind is not None:
        script += STUBS[kind] + (f"cd {{{path.parent}}}\n"
                                 "if {[catch {uplevel #0 $t} err] == 1} { puts \"ERROR: $err\"; "
                                 "_tcl_exit 4 }\n"
                                 "if {$::fpgaflow_exit != 0} { puts \"exit $::fpgaflow_exit\"; "
                                 "_tcl_exit 5 }\n")
        script = script.replace("proc exit {", "rename exit _tcl_exit\nproc exit {", 1)
    proc = subprocess.run(["tclsh"], input=script, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, f"{path.name} ({kind or 'parse'}): {proc.stdout}{proc.stderr}"


def model_data(model: str, parameters: dict, where: Path) -> dict[str, str]:
    """sha256 of the data files the model (a module: ``fpgaflow.models.mvau``) writes for
    ``parameters`` (as the mocks record them, see mocks/_record.py)."""
    import hashlib
    import subprocess
    import sys
    where.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", model, "vectors", str(where)]
    for k, v in parameters.items():
        cmd += ["-P", f"{k}={v}"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(where.iterdir()) if p.suffix in (".hex", ".mem", ".dat")}
