"""The model fpgaflow runs is the hook FuseSoC puts into the EDAM: ``fusesoc run --setup``
of a shipped core writes an EDAM whose hooks name the model and its command, and fpgaflow
reads the same entry; ``fusesoc run`` itself refuses the parameters fpgaflow refuses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ._fusesoc import edam_of, fusesoc_run
from fpgaflow import build as build_mod
from fpgaflow import recipe
from fpgaflow.flows import hooks

REPO_CORES = Path(__file__).resolve().parents[2] / "cores"


def test_fusesoc_edam_has_the_hook_fpgaflow_reads(tmp_path, shim_path):
    work = fusesoc_run(tmp_path, "fpgaflow:nn:lfc", "sim", shim=shim_path, setup_only=True,
                       roots=(REPO_CORES,))
    theirs = edam_of(work)
    (model,), others = hooks.declared(theirs, "sim")
    assert others == [] and model.module == "fpgaflow.models.lfc"
    assert model.args == ("vectors", ".") and model.source.startswith("pre_run hook")
    r = tmp_path / "lfc.yaml"
    r.write_text("core: fpgaflow:nn:lfc\nboard: zcu104\nstages: [sim]\nclocks: {clk: 100 MHz}\n")
    loaded = recipe.load(r)
    plan = build_mod.make_plan(loaded, loaded.board, out_root=tmp_path / "ff")
    (sim,) = plan.stages
    (cmd,) = [c for c in sim.commands if "-m" in c[:2]]
    assert cmd[2:5] == [model.module, *model.args]       # the same module, the same arguments
    # FuseSoC's hook names the same values fpgaflow passes with -P (read from the EDAM file)
    given = dict(a.split("=", 1) for a in cmd[cmd.index("-P"):][1::2])
    assert given == {k: str(v["default"]) for k, v in theirs["parameters"].items()}


def test_fusesoc_run_refuses_what_fpgaflow_refuses(tmp_path):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    proc = subprocess.run([sys.executable, "-m", "fusesoc.main", "--cores-root", str(REPO_CORES),
                           "run", "--build-root", str(tmp_path / "b"), "--target", "sim",
                           "fpgaflow:demo:blinky", "--WIDTH=-5"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "WIDTH=-5 must be 1..64" in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    assert not list((tmp_path / "b").rglob("*.vvp"))              # iverilog never ran
