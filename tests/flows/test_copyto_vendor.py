"""A core's ``copyto`` files (firmware a ``$readmemh`` opens by the relative name a target
gives, as subservient's and servant's hex files) are in the Vivado and Quartus project
directory when the tool starts, as ``fusesoc run`` has them in its work root; before, only
the Yosys flows and the sim stage copied them, and Vivado/Quartus would have read an empty
ROM. The test core is tests/fusesoc_parity/cores/tsoc (``sw/pattern.hex`` copied to
``pattern.hex``, ``memfile=pattern.hex``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

CORES = Path(__file__).resolve().parents[1] / "fusesoc_parity" / "cores"
HEX = CORES / "tsoc" / "sw" / "pattern.hex"


def _recipe(tmp_path: Path, board: str) -> Path:
    r = tmp_path / "r.yaml"
    r.write_text(f"core: fpgaflow-test:fusesoc:tsoc\nboard: {board}\nstages: [synth]\n"
                 "clocks: {clk: 50 MHz}\n")
    return r


@pytest.mark.parametrize("flow,board,reports", [
    ("vivado", "zcu104", {"fpgaflow_synth_utilization.rpt": "vivado/util_2020.1_zynqus_placed.rpt",
                          "fpgaflow_synth_utilization_hier.rpt": "vivado/util_hier_2018.2_virtex7.rpt",
                          "fpgaflow_synth_timing_summary.rpt": "vivado/timing_2020.2_one_clock.rpt",
                          "fpgaflow_synth_power.rpt": "vivado/power_2024.1_budget_unspecified.rpt"}),
    ("quartus", "de10-nano", {"fit.summary": "quartus/fit_18.1_cyclonev_near_empty.fit.summary",
                              "sta.summary": "quartus/sta_15.0_cycloneive.sta.summary",
                              "pow.summary": "quartus/pow_23.1std_max10.pow.summary"}),
])
def test_copyto_files_are_in_the_project_dir(run_cli, vendor, tmp_path, monkeypatch, flow,
                                             board, reports):
    monkeypatch.setenv("FPGAFLOW_CORES", str(CORES))
    for name, fixture in reports.items():
        vendor.provide(name, fixture)
    res = run_cli("build", _recipe(tmp_path, board), "--flow", flow, "--out", vendor.out,
                  "--json")
    assert res.exit_code == 0, res.output
    calls = vendor.calls()
    assert calls
    want = hashlib.sha256(HEX.read_bytes()).hexdigest()
    for call in calls:
        assert call["data"].get("pattern.hex") == want, call
