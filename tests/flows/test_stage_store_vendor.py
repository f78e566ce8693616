"""The stage store with a flow whose place-and-route works inside the synthesis project
(Vivado: impl_1 runs under work/synth/): a reused pnr brings back what it wrote there."""

from __future__ import annotations

import json

from .test_vivado import _recipe, _vivado_reports


def test_reused_vivado_pnr_restores_its_runs_in_the_synth_project(run_cli, vendor, repo, tmp_path):
    _vivado_reports(vendor, "synth", util="util_2019.1_synth_ooc_zeros.rpt",
                    power="power_2017.2_no_budget.rpt")
    _vivado_reports(vendor, "routed")
    recipe = _recipe(tmp_path, repo, "stages: [sim, synth, pnr]\n")
    first = run_cli("build", recipe, "--flow", "vivado", "--out", vendor.out, "--json")
    assert first.exit_code == 0, first.output
    s1 = json.loads(first.stdout)
    calls = len(vendor.calls())
    # rerun sim only: synth and pnr come from the store into a fresh work dir; the routed
    # reports pnr left in work/synth/<name>.runs/impl_1 must come back with it
    again = run_cli("build", recipe, "--flow", "vivado", "--out", vendor.out, "--json",
                    "--force-stage", "sim")
    assert again.exit_code == 0, again.output
    s2 = json.loads(again.stdout)
    assert [(st["name"], bool(st.get("cached"))) for st in s2["stages"]] == \
        [("sim", False), ("synth", True), ("pnr", True)]
    assert len(vendor.calls()) == calls                      # no vivado run
    assert s2["resources"]["lut"]["used"] == s1["resources"]["lut"]["used"] == 17923
    assert s2["timing"] == s1["timing"] and s2["power"] == s1["power"]
