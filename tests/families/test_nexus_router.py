"""nextpnr-nexus 0.11's default router cannot route the clock of a design with RAM, DSP
and carries to its global buffer; the Nexus flow routes with router1 unless told."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CORES = Path(__file__).resolve().parent / "cores"


def _build(tmp: Path, extra: str = "", *args: str) -> subprocess.CompletedProcess:
    r = tmp / "nx.yaml"
    r.write_text("core: fpgaflow-test:families:cells\nboard: crosslink-nx-evn\n"
                 "stages: [synth, pnr]\nclocks: {clk: 50 MHz}\n" + extra)
    return subprocess.run([sys.executable, "-m", "fpgaflow", "build", str(r), "--out",
                           str(tmp / "out"), "--json", *args], capture_output=True, text=True,
                          timeout=900, env={**__import__("os").environ,
                                            "FPGAFLOW_CORES": str(CORES)})


def _pnr_cmd(proc) -> list[str]:
    plan = json.loads((Path(json.loads(proc.stdout)["build_dir"]) / "plan.json").read_text())
    (pnr,) = [s for s in plan["stages"] if s["name"] == "pnr"]
    return pnr["commands"][0]


def test_the_cells_design_routes_on_the_crosslink_nx(tmp_path):
    # with router2 this failed: "Failed to route arc 0.0 of net 'clk_IB_I_O'"
    proc = _build(tmp_path)
    s = json.loads(proc.stdout)
    assert proc.returncode == 0 and s["status"] == "passed", proc.stderr[-2000:]
    assert s["timing"]["clocks"][0]["fmax_mhz"] > 50


def test_a_router_the_recipe_names_wins(tmp_path):
    cmd = _pnr_cmd(_build(tmp_path, "options: {nextpnr: [--router, router2]}\n", "--dry-run"))
    assert cmd.count("--router") == 1 and cmd[cmd.index("--router") + 1] == "router2"
    cmd = _pnr_cmd(_build(tmp_path, "", "--dry-run"))
    assert cmd[cmd.index("--router") + 1] == "router1"
