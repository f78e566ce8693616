"""End to end: `fpgaflow build --flow vivado` with a mock vivado (tests/flows/mocks/vivado).

The mock runs the generated Tcl in tclsh with stub Vivado commands (project state kept in
the .xpr), runs the report hooks in the run directories, and copies report fixtures."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import tcl_check

RECIPE = "recipes/blinky_zcu104.yaml"


def _vivado_reports(vendor, phase, util="util_2020.1_zynqus_placed.rpt",
                    timing="timing_2020.2_one_clock.rpt",
                    power="power_2024.1_budget_unspecified.rpt"):
    vendor.provide(f"fpgaflow_{phase}_utilization.rpt", f"vivado/{util}")
    vendor.provide(f"fpgaflow_{phase}_utilization_hier.rpt", "vivado/util_hier_2018.2_virtex7.rpt")
    vendor.provide(f"fpgaflow_{phase}_timing_summary.rpt", f"vivado/{timing}")
    vendor.provide(f"fpgaflow_{phase}_power.rpt", f"vivado/{power}")


def _recipe(tmp_path: Path, repo: Path, extra: str) -> Path:
    text = (repo / RECIPE).read_text() + extra
    p = tmp_path / "recipes" / "r.yaml"
    p.parent.mkdir(exist_ok=True)
    p.write_text(text)
    return p


def test_full_implementation(run_cli, vendor, repo):
    _vivado_reports(vendor, "synth", util="util_2019.1_synth_ooc_zeros.rpt",
                    power="power_2017.2_no_budget.rpt")
    _vivado_reports(vendor, "routed")
    res = run_cli("build", repo / RECIPE, "--flow", "vivado", "--out", vendor.out, "--json")
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert s["flow"] == "vivado" and s["status"] == "passed"
    assert [st["name"] for st in s["stages"]] == ["synth", "pnr"]
    assert s["tools"][0]["name"] == "vivado" and s["tools"][0]["version"] == "2023.2"
    # the routed reports win over the synthesis ones
    assert s["resources"]["lut"]["used"] == 17923
    assert s["resources"]["ff"]["used"] == 25677
    assert s["resources"]["dsp"]["used"] == 181
    assert s["timing"]["wns_ns"] == 13.199 and s["timing"]["met"] is True
    assert s["power"] == {"total_w": 5.613, "dynamic_w": 4.322, "static_w": 1.29,
                          "max_ambient_c": 95.3, "junction_temp_c": 29.7, "confidence": "Low",
                          "source": "vivado report_power"}
    assert s["sources"]["resources"].startswith("reports/pnr_fpgaflow_routed_")
    # commands, in order: Edalize's make synth (project, then synth + netlist), then impl
    calls = vendor.calls()
    scripts = [c["argv"][c["argv"].index("-source") + 1] for c in calls]
    assert scripts == ["blinky_zcu104.tcl", "blinky_zcu104_synth.tcl", "vivado_impl.tcl"]
    assert all(c["argv"][:3] == ["-notrace", "-mode", "batch"] for c in calls)
    assert Path(calls[0]["cwd"]).name == "synth" and Path(calls[2]["cwd"]).name == "pnr"
    bd = Path(calls[0]["cwd"]).parent.parent
    synth = bd / "work" / "synth"
    # generated files: Edalize project + fpgaflow's XDC, project settings and hooks
    xdc = (synth / "fpgaflow.xdc").read_text()
    assert "create_clock -period 3.333 -name clk [get_ports clk]" in xdc
    proj = (synth / "blinky_zcu104.tcl").read_text()
    assert "set_property part xczu7ev-ffvc1156-2-e [current_project]" in proj
    assert "read_xdc {fpgaflow.xdc}" in proj and "source {fpgaflow_project.tcl}" in proj
    assert "WIDTH=32" in proj and "LEDS=4" in proj
    settings = (synth / "fpgaflow_project.tcl").read_text()
    assert "out_of_context" not in settings      # implementation: not out of context
    hook = (synth / "fpgaflow_reports_routed.tcl").read_text()
    for line in ("report_utilization -file ${prefix}_utilization.rpt",
                 "report_utilization -hierarchical -file ${prefix}_utilization_hier.rpt",
                 "report_timing_summary", "report_power -file ${prefix}_power.rpt"):
        assert line in hook
    impl = (bd / "work" / "pnr" / "vivado_impl.tcl").read_text()
    assert "open_project ../synth/blinky_zcu104.xpr" in impl
    assert "launch_runs impl_1 -to_step route_design" in impl
    for f in [*synth.glob("*.tcl"), bd / "work" / "pnr" / "vivado_impl.tcl", synth / "fpgaflow.xdc"]:
        tcl_check(f, "vivado")
    # the reports the summary came from are kept
    assert (bd / "reports" / "synth_fpgaflow_synth_power.rpt").exists()


def test_synthesis_only_is_out_of_context(run_cli, vendor, repo, tmp_path):
    _vivado_reports(vendor, "synth", timing="timing_2020.2_failing_synthetic.rpt",
                    power="power_2017.2_no_budget.rpt")
    recipe = _recipe(tmp_path, repo, "stages: [synth]\n")
    res = run_cli("build", recipe, "--flow", "vivado", "--out", vendor.out, "--json")
    s = json.loads(res.stdout)
    assert res.exit_code == 1 and s["status"] == "timing-failed"
    assert [st["name"] for st in s["stages"]] == ["synth"]
    assert s["resources"]["lut"]["used"] == 17923
    assert s["timing"]["wns_ns"] == -1.25 and s["timing"]["met"] is False
    assert s["power"]["total_w"] == 1.417
    synth = Path(vendor.calls()[0]["cwd"])
    assert ("set_property -name {STEPS.SYNTH_DESIGN.ARGS.MORE OPTIONS} -value "
            "{-mode out_of_context} -objects [get_runs synth_1]") in \
        (synth / "fpgaflow_project.tcl").read_text()
    assert len(vendor.calls()) == 2


def test_bitstream_and_board_pins(run_cli, vendor, repo, tmp_path):
    _vivado_reports(vendor, "synth")
    _vivado_reports(vendor, "routed")
    text = (repo / RECIPE).read_text().replace("board: zcu104", "board: arty-a7-100")
    recipe = tmp_path / "recipes" / "arty.yaml"
    recipe.parent.mkdir()
    recipe.write_text(text + "options: {bitstream: true}\n")
    res = run_cli("build", recipe, "--flow", "vivado", "--out", vendor.out, "--json")
    assert res.exit_code == 0, res.output
    pnr = Path(vendor.calls()[-1]["cwd"])
    assert (pnr / "blinky_zcu104.bit").exists()
    assert "-to_step write_bitstream" in (pnr / "vivado_impl.tcl").read_text()
    xdc = (pnr.parent / "synth" / "fpgaflow.xdc").read_text()
    assert "set_property -dict {PACKAGE_PIN E3 IOSTANDARD LVCMOS33} [get_ports clk]" in xdc
    assert "set_property part xc7a100tcsg324-1" in (pnr.parent / "synth" / "blinky_zcu104.tcl").read_text()


def test_missing_report_is_incomplete(run_cli, vendor, repo, tmp_path):
    _vivado_reports(vendor, "synth")
    (vendor.fixtures / "fpgaflow_synth_power.rpt").unlink()
    recipe = _recipe(tmp_path, repo, "stages: [synth]\n")
    res = run_cli("build", recipe, "--flow", "vivado", "--out", vendor.out, "--json")
    s = json.loads(res.stdout)
    assert res.exit_code == 1 and s["status"] in ("failed", "incomplete")


def test_tool_failure_is_failed(run_cli, vendor, repo, monkeypatch):
    monkeypatch.setenv("FPGAFLOW_MOCK_FAIL", "vivado")
    res = run_cli("build", repo / RECIPE, "--flow", "vivado", "--out", vendor.out, "--json")
    s = json.loads(res.stdout)
    assert res.exit_code == 1 and s["status"] == "failed"
    assert s["stages"][0]["status"] == "failed"


def test_without_vivado_fails_at_once(run_cli, no_vendor, repo):
    res = run_cli("build", repo / RECIPE, "--flow", "vivado", "--out", no_vendor)
    assert res.exit_code == 2
    assert "vivado not found on PATH" in res.output
    assert not no_vendor.exists() or not any(no_vendor.glob("blinky*"))


def test_dry_run_without_vivado_writes_the_project(run_cli, no_vendor, repo):
    res = run_cli("build", repo / RECIPE, "--flow", "vivado", "--out", no_vendor, "--dry-run",
                  "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    bd = Path(out["build_dir"])
    plan = json.loads((bd / "plan.json").read_text())
    assert plan["flow"] == "vivado"
    assert plan["stages"][0]["tools"][0]["version"] == "not-installed"
    synth = bd / "work" / "synth"
    for f in ("Makefile", "blinky_zcu104.tcl", "blinky_zcu104_synth.tcl", "fpgaflow.xdc",
              "fpgaflow_project.tcl", "fpgaflow_reports_synth.tcl", "fpgaflow_reports_routed.tcl"):
        assert (synth / f).is_file(), f
    assert (bd / "work" / "pnr" / "vivado_impl.tcl").is_file()
    assert "synth:" in (synth / "Makefile").read_text()


def test_rom_data_files_reach_vivado_synthesis(run_cli, vendor, repo, tmp_path):
    """The model's ROM files ($readmemh WEIGHT_FILE/THRESH_FILE) of the recipe's geometry are
    in the synth work dir when Vivado starts, and the project adds them as memory files, so
    synth_1 (in <proj>.runs/synth_1) finds them by base name."""
    import yaml

    from .conftest import model_data
    _vivado_reports(vendor, "synth")
    recipe_path = repo / "recipes/mvau_w1a1_zcu104.yaml"
    params = yaml.safe_load(recipe_path.read_text())["parameters"]
    recipe = tmp_path / "recipes" / "mvau.yaml"
    recipe.parent.mkdir()
    recipe.write_text(recipe_path.read_text().replace("stages: [csim, sim, synth]",
                                                      "stages: [synth]"))
    res = run_cli("build", recipe, "--flow", "vivado", "--out", vendor.out, "--json")
    assert res.exit_code == 0, res.output
    want = model_data("fpgaflow.models.mvau", params, tmp_path / "model")
    assert {"weights.hex", "thresh.hex"} <= set(want)
    # not the model's default geometry (what a parameterless FuseSoC hook would write)
    assert model_data("fpgaflow.models.mvau", {}, tmp_path / "defaults")["weights.hex"] != want["weights.hex"]
    calls = vendor.calls()
    assert len(calls) == 2
    for call in calls:                                  # project creation, then synthesis
        assert call["data"] == want
    synth = Path(calls[0]["cwd"])
    listed = (synth / "mvau_w1a1_zcu104.runs/synth_1/mock_memory_files.txt").read_text().split()
    assert sorted(listed) == sorted(str((synth / n).resolve()) for n in want)
    assert "Memory Initialization Files" in (synth / "fpgaflow_project.tcl").read_text()
    # the Verilog parameters name them by base name
    assert "WEIGHT_FILE=weights.hex" in (synth / "mvau_w1a1_zcu104.tcl").read_text()
