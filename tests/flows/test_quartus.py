"""End to end: `fpgaflow build --flow quartus` with mock quartus_sh / quartus_* tools."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import tcl_check

RECIPE = "recipes/blinky_de10nano_quartus.yaml"


def _reports(vendor, sta="sta_15.0_cycloneive.sta.summary"):
    vendor.provide("fit.summary", "quartus/fit_18.1_cyclonev_near_empty.fit.summary")
    vendor.provide("sta.summary", f"quartus/{sta}")
    vendor.provide("pow.summary", "quartus/pow_23.1std_max10.pow.summary")


def test_lite_compile(run_cli, vendor, repo):
    _reports(vendor)
    res = run_cli("build", repo / RECIPE, "--out", vendor.out, "--json")
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert s["flow"] == "quartus" and s["status"] == "passed"
    assert s["tools"][0]["name"] == "quartus_sh" and s["tools"][0]["version"] == "18.1.0"
    assert s["resources"]["lut"] == {"used": 1, "unit": "ALM", "available": 32070, "stage": "pnr"}
    assert s["resources"]["io"]["used"] == 2
    assert s["timing"]["wns_ns"] == 2.044 and s["timing"]["met"] is True
    assert s["power"]["total_w"] == 0.20991 and s["power"]["static_w"] == 0.13483
    calls = vendor.calls()
    assert [(c["tool"], c["argv"]) for c in calls] == [
        ("quartus_sh", ["-t", "blinky_de10nano_quartus.tcl"]),
        ("quartus_map", ["blinky_de10nano_quartus"]),
        ("quartus_fit", ["blinky_de10nano_quartus"]),
        ("quartus_sta", ["blinky_de10nano_quartus"]),
        ("quartus_pow", ["blinky_de10nano_quartus"]),
    ]
    synth = Path(calls[0]["cwd"])
    assert all(Path(c["cwd"]) == synth for c in calls)   # pnr works on the synth project
    proj = (synth / "blinky_de10nano_quartus.tcl").read_text()
    assert 'set_global_assignment -name FAMILY "Cyclone V"' in proj
    assert "set_global_assignment -name DEVICE 5CSEBA6U23I7" in proj
    assert "set_global_assignment -name SDC_FILE fpgaflow.sdc" in proj
    assert "set_parameter -name WIDTH 32" in proj
    assert "create_clock -name clk -period 20.000 [get_ports clk]" in \
        (synth / "fpgaflow.sdc").read_text()
    settings = (synth / "quartus_settings.tcl").read_text()
    assert "set_location_assignment PIN_V11 -to clk" in settings
    assert "Quartus Prime Lite" in settings
    assert "quartus_map $(OPTIONS) $(NAME)" in (synth / "Makefile").read_text()
    qsf = (synth / "blinky_de10nano_quartus.qsf").read_text()
    assert "PROJECT_OUTPUT_DIRECTORY output_files" in qsf
    for f in (synth / "blinky_de10nano_quartus.tcl", synth / "quartus_settings.tcl",
              synth / "fpgaflow.sdc"):
        tcl_check(f, "quartus")


def test_pro_edition_from_board(run_cli, vendor, repo, tmp_path):
    """The a10gx board says pro: quartus_syn, although the installed mock says Lite."""
    _reports(vendor, sta="sta_17.1_cyclonev_failing.sta.summary")
    text = (repo / RECIPE).read_text().replace("board: de10-nano", "board: a10gx-devkit")
    recipe = tmp_path / "recipes" / "a10.yaml"
    recipe.parent.mkdir()
    recipe.write_text(text + "options: {bitstream: true}\n")
    res = run_cli("build", recipe, "--out", vendor.out, "--json")
    s = json.loads(res.stdout)
    assert res.exit_code == 1 and s["status"] == "timing-failed"
    assert s["timing"]["wns_ns"] == -15.191
    tools = [c["tool"] for c in vendor.calls()]
    assert tools == ["quartus_sh", "quartus_syn", "quartus_fit", "quartus_asm", "quartus_sta",
                     "quartus_pow"]
    synth = Path(vendor.calls()[0]["cwd"])
    assert "quartus_syn" in (synth / "Makefile").read_text()
    assert 'FAMILY "Arria 10"' in (synth / "blinky_de10nano_quartus.tcl").read_text()
    assert (synth / "output_files" / "blinky_de10nano_quartus.sof").exists()


def test_recipe_edition_overrides_board(run_cli, no_vendor, repo, tmp_path):
    text = (repo / RECIPE).read_text()
    recipe = tmp_path / "recipes" / "std.yaml"
    recipe.parent.mkdir()
    recipe.write_text(text + "options: {quartus_edition: pro}\n")
    res = run_cli("build", recipe, "--out", no_vendor, "--dry-run", "--json")
    assert res.exit_code == 0, res.output
    synth = Path(json.loads(res.stdout)["build_dir"]) / "work" / "synth"
    assert "quartus_syn" in (synth / "Makefile").read_text()


def test_without_quartus(run_cli, no_vendor, repo):
    res = run_cli("build", repo / RECIPE, "--out", no_vendor)
    assert res.exit_code == 2 and "quartus_sh not found on PATH" in res.output
    res = run_cli("build", repo / RECIPE, "--out", no_vendor, "--dry-run", "--json")
    assert res.exit_code == 0, res.output
    bd = Path(json.loads(res.stdout)["build_dir"])
    for f in ("Makefile", "blinky_de10nano_quartus.tcl", "fpgaflow.sdc", "quartus_settings.tcl"):
        assert (bd / "work" / "synth" / f).is_file()
    assert "quartus_fit $(NAME)" in (bd / "work" / "pnr" / "quartus_pnr.mk").read_text()


def test_rom_data_files_in_the_project_dir(run_cli, vendor, repo, tmp_path):
    """The model's ROM files of the recipe's geometry are written into the synth work dir,
    which is the Quartus project dir (where relative $readmemh names resolve), before
    quartus_sh creates the project and quartus_map reads the sources."""
    import yaml

    from .conftest import model_data
    _reports(vendor)
    recipe = repo / "recipes/ternary_de10nano.yaml"
    params = yaml.safe_load(recipe.read_text())["parameters"]
    res = run_cli("build", recipe, "--flow", "quartus", "--out", vendor.out, "--json")
    assert res.exit_code == 0, res.output
    want = model_data("fpgaflow.models.ternary", params, tmp_path / "model")
    assert {"weights.hex", "thresh.hex"} <= set(want)
    calls = vendor.calls()
    assert [c["tool"] for c in calls[:2]] == ["quartus_sh", "quartus_map"]
    for call in calls[:2]:
        assert call["data"] == want
    synth = Path(calls[0]["cwd"])
    assert (synth / "ternary_de10nano.qpf").is_file()        # the project dir is the work dir
    proj = (synth / "ternary_de10nano.tcl").read_text()
    assert "set_parameter -name WEIGHT_FILE weights.hex" in proj
    assert "set_parameter -name THRESH_FILE thresh.hex" in proj
    assert "PROJECT_OUTPUT_DIRECTORY output_files" in (synth / "quartus_settings.tcl").read_text()


def test_cyclone_iv_block_ram_in_m9k_blocks(run_cli, vendor, repo, tmp_path):
    """Cyclone IV's .fit.summary counts memory bits only: the build reads the .fit.rpt's
    Fitter Resource Usage Summary for the M9K blocks, the bits beside them."""
    vendor.provide("fit.summary", "quartus/fit_15.0_cycloneive_le.fit.summary")
    vendor.provide("fit.rpt", "quartus/fit_15.0_cycloneive_m9k.fit.rpt")
    vendor.provide("sta.summary", "quartus/sta_15.0_cycloneive.sta.summary")
    vendor.provide("pow.summary", "quartus/pow_23.1std_max10.pow.summary")
    recipe = tmp_path / "recipes" / "de0.yaml"
    recipe.parent.mkdir()
    recipe.write_text((repo / RECIPE).read_text().replace("board: de10-nano", "board: de0-nano"))
    res = run_cli("build", recipe, "--out", vendor.out, "--json")
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert s["resources"]["bram"] == {"used": 12, "available": 66, "unit": "M9K", "bits": 73728,
                                      "stage": "pnr"}
    assert s["resources"]["lut"]["unit"] == "LE" and s["resources"]["lut"]["used"] == 1402
    # the MAX 10 power report read last no longer decides the part; it is named in a note
    assert s["device"]["part"] == "EP4CE22F17C6" and s["device"]["device"] == "ep4ce22"
    assert any("10M08SAE144C8G" in n and "EP4CE22F17C6" in n for n in s["notes"])
    synth = Path(vendor.calls()[0]["cwd"])
    proj = (synth / "blinky_de10nano_quartus.tcl").read_text()
    assert 'FAMILY "Cyclone IV E"' in proj and "DEVICE EP4CE22F17C6" in proj
    assert "set_location_assignment PIN_R8 -to clk" in (synth / "quartus_settings.tcl").read_text()


def test_mock_fitter_writes_the_fit_rpt_beside_the_summary(run_cli, vendor, repo):
    """The mock quartus_fit writes the .fit.rpt as Quartus does; its Fitter Summary panel
    parses to what the .fit.summary says."""
    from fpgaflow.reports import quartus
    _reports(vendor)
    res = run_cli("build", repo / RECIPE, "--out", vendor.out, "--json")
    assert res.exit_code == 0, res.output
    out = Path(vendor.calls()[0]["cwd"]) / "output_files"
    rpt = (out / "blinky_de10nano_quartus.fit.rpt").read_text()
    assert "; Fitter Summary" in rpt
    assert quartus.parse_fit(rpt) == quartus.parse_fit(
        (out / "blinky_de10nano_quartus.fit.summary").read_text())


def test_cyclone_iv_without_quartus_is_a_yosys_estimate(run_cli, no_vendor, repo, tmp_path):
    """A DE0-Nano recipe with flow auto and no Quartus: Yosys' synth_intel estimate in LEs
    (it stopped with "no flow can build for EP4CE22F17C6")."""
    recipe = tmp_path / "recipes" / "de0.yaml"
    recipe.parent.mkdir()
    recipe.write_text("core: fpgaflow:demo:blinky\nboard: de0-nano\nstages: [synth]\n"
                      "parameters: {WIDTH: 24, LEDS: 4}\n")
    res = run_cli("build", recipe, "--out", no_vendor, "--json")
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert s["flow"] == "estimate" and s["status"] == "passed"
    assert s["resources"]["lut"]["unit"] == "LE" and s["resources"]["lut"]["available"] == 22320
    assert s["resources"]["ff"]["used"] == 24 and s["resources"]["lut"]["used"] > 24
