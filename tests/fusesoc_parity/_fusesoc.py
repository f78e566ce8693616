"""Helpers to run the real ``fusesoc run`` next to fpgaflow on the test cores in cores/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
CORES = HERE / "cores"
SHIM = HERE / "edalize_shim.py"
TOOLS = ("yosys", "nextpnr-ecp5", "nextpnr-ice40", "ecppack", "icepack", "icepll")


@pytest.fixture(scope="session")
def shim_path(tmp_path_factory) -> Path:
    """A bin dir where Edalize's tool names run the YoWASP tools (see edalize_shim.py)."""
    d = tmp_path_factory.mktemp("shim")
    for t in TOOLS:
        (d / t).symlink_to(SHIM)
    return d


def fusesoc_run(tmp: Path, core: str, target: str, *, shim: Path, setup_only: bool = False,
                args: tuple[str, ...] = (), roots: tuple[Path, ...] = (CORES,),
                pre: tuple[str, ...] = ()) -> Path:
    """``fusesoc run [--setup] --target T [pre] core [args]``; returns its work root."""
    env = {**os.environ, "PATH": f"{shim}{os.pathsep}{Path(sys.executable).parent}"
                                 f"{os.pathsep}{os.environ.get('PATH', '')}",
           "XDG_CONFIG_HOME": str(tmp / "xdg")}     # no fusesoc.conf of the machine
    cmd = [sys.executable, "-m", "fusesoc.main"]
    for r in roots:
        cmd += ["--cores-root", str(r)]
    cmd += ["run", *(["--setup"] if setup_only else []), "--build-root", str(tmp / "fsbuild"),
            "--target", target, *pre, core, *args]
    proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (work,) = [p for p in (tmp / "fsbuild").glob(f"*/{target}*") if p.is_dir()]
    return work


def edam_of(work: Path) -> dict:
    (f,) = work.glob("*.eda.yml")
    return yaml.safe_load(f.read_text())


def recorded_yosys(work: Path) -> str:
    """The Yosys commands of Edalize's Tcl script, recorded with tclsh (no tool runs)."""
    from .edalize_shim import RECORDER
    (work / "edalize_recorder.tcl").write_text(RECORDER)
    subprocess.run(["tclsh", "edalize_recorder.tcl", "edalize_yosys_template.tcl"], cwd=work,
                   check=True, capture_output=True)
    return (work / "edalize.ys").read_text()


def fpgaflow_build(tmp: Path, text: str, *args: str) -> subprocess.CompletedProcess:
    """``fpgaflow build`` of a recipe with this text, in ``tmp`` (out: tmp/ff)."""
    r = tmp / "r.yaml"
    r.write_text(text)
    return subprocess.run([sys.executable, "-m", "fpgaflow", "build", str(r), "--out",
                           str(tmp / "ff"), *args], capture_output=True, text=True, timeout=900,
                          cwd=tmp)
