"""End to end: Vitis HLS (mock) -> Vivado synthesis (mock) of the exported RTL."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import tcl_check
from .test_vivado import _vivado_reports

RECIPE = "recipes/mvau_zcu104_vivado_hls.yaml"


def test_hls_feeds_vivado_synthesis(run_cli, vendor, repo):
    vendor.provide("csynth.rpt", "hls/csynth_2021.1_vitis.rpt")
    vendor.provide("csynth.xml", "hls/csynth_2020.2.xml")
    _vivado_reports(vendor, "synth")
    res = run_cli("build", repo / RECIPE, "--out", vendor.out, "--json")
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert [st["name"] for st in s["stages"]] == ["hls", "synth"]
    assert s["hls"]["latency_cycles"] == [262673, 262673]
    assert s["hls"]["interval"] == 262674 and s["hls"]["clock_estimated_ns"] == 6.427
    assert s["resources"]["lut"]["used"] == 17923          # Vivado's figure, not the estimate
    assert {t["name"] for t in s["tools"]} >= {"vivado", "vitis_hls"}
    calls = vendor.calls()
    assert [c["tool"] for c in calls] == ["vitis_hls", "vivado", "vivado"]
    hls = Path(calls[0]["cwd"])
    assert (hls / "hls_steps.txt").read_text().split() == [
        "open_project", "csim_design", "csynth_design", "export_design"]
    script = (hls / "vitis_hls.tcl").read_text()
    assert "set_top mvau_top" in script and "set_part xczu7ev-ffvc1156-2-e" in script
    assert "create_clock -period 5.000 -name default" in script
    assert "add_files -tb {" in script and "-DPE=4 -DSIMD=8" in script
    assert "export_design -format ip_catalog" in script
    assert any(hls.glob("*.hex")) or any(hls.glob("*.txt"))   # the model's vectors for csim
    tcl_check(hls / "vitis_hls.tcl")
    synth = Path(calls[1]["cwd"])
    proj = (synth / "mvau_zcu104_vivado_hls.tcl").read_text()
    assert "set_property top mvau_top" in proj and "mvau.v" not in proj
    assert "../hls/hls_prj/solution1/syn/verilog" in (synth / "fpgaflow_project.tcl").read_text()
    assert "create_clock -period 5.000 -name ap_clk [get_ports ap_clk]" in \
        (synth / "fpgaflow.xdc").read_text()
