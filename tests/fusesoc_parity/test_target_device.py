"""A core's target names its device in its tool options, as public cores do: a recipe with
no board builds for it, as `fusesoc run --target T` does (issue: public cores nobody here
wrote). The option shapes below are the ones public cores use (fusesoc/blinky's targets:
nextpnr_options lists, one string with spaces, a flag given twice by a YAML merge,
vivado part, quartus device, apicula device)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ._fusesoc import CORES, fusesoc_run, fpgaflow_build as _build
from fpgaflow import boards, targetdevice
from fpgaflow.targetdevice import from_tool_options, lookup

CORE = "fpgaflow-test:fusesoc:tpart"


@pytest.mark.parametrize("tool,options,part,device", [
    ("icestorm", {"nextpnr_options": ["--lp8k", "--package", "cm81"], "pnr": "next"},
     "iCE40LP8K-CM81", "ice40hx8k"),
    ("icestorm", {"nextpnr_options": ["--hx1k", "--package", "vq100"]}, "iCE40HX1K-VQ100", "ice40hx1k"),
    ("icestorm", {"nextpnr_options": ["--lp1k", "--package", "cm36"]}, "iCE40LP1K-CM36", "ice40hx1k"),
    ("icestorm", {"nextpnr_options": ["--up5k"]}, "iCE40UP5K-SG48", "ice40up5k"),  # nextpnr's default
    ("icestorm", {"nextpnr_options": ["--hx4k", "--package", "bg121"]}, "iCE40HX4K-BG121", "ice40hx4k"),
    ("icestorm", {"nextpnr_options": ["--hx8k", "--package", "tq144:4k"]}, "iCE40HX8K-TQ144:4K",
     "ice40hx4k"),
    ("icestorm", {"nextpnr_options": ["--u4k"]}, "iCE5LP4K-SG48", None),
    # no --speed: nextpnr's default grade, 8 for 5G parts (a --speed 6 is an error for them)
    ("trellis", {"nextpnr_options": ["--um5g-85k --package CABGA381"]}, "LFE5UM5G-85F-8BG381C",
     "lfe5u-85f"),
    ("trellis", {"nextpnr_options": ["--package", "CSFBGA285", "--25k"]}, "LFE5U-25F-6MG285C",
     "lfe5u-25f"),
    ("trellis", {"nextpnr_options": ["--85k --package CABGA381 --speed 8"]}, "LFE5U-85F-8BG381C",
     "lfe5u-85f"),
    # a YAML merge repeats flags: nextpnr takes the last device in its own order (85k)
    ("trellis", {"nextpnr_options": ["--package", "CABGA381", "--45k", "--85k"]},
     "LFE5U-85F-6BG381C", "lfe5u-85f"),
    ("trellis", {"nextpnr_options": ["--45k --package CABGA256"]}, "LFE5U-45F-6BG256C", "lfe5u-45f"),
    ("vivado", {"part": "xc7z020clg400-1"}, "xc7z020clg400-1", "xc7z020"),
    ("vivado", {"part": "xc7a100tfgg676-2"}, "xc7a100tfgg676-2", "xc7a100t"),
    ("vivado", {"part": "xc7k325tffg900-2"}, "xc7k325tffg900-2", None),
    # open-logic's tutorials (fusesoc-cores): Zybo Z7-10, DE0-CV
    ("vivado", {"part": "xc7z010clg400-1"}, "xc7z010clg400-1", "xc7z010"),
    ("quartus", {"family": "Cyclone V", "device": "5CEBA4F23C7"}, "5CEBA4F23C7", "5ceba4"),
    ("quartus", {"family": "Cyclone V", "device": "5CSEBA6U23I7"}, "5CSEBA6U23I7", "5cseba6"),
    ("apicula", {"device": "GW1NR-LV9QN88PC6/I5"}, "GW1NR-LV9QN88PC6/I5", "gw1nr-9"),
    ("oxide", {"device": "LIFCL-40-9BG400C"}, "LIFCL-40-9BG400C", "lifcl-40"),
])
def test_part_from_the_tool_options_public_cores_write(tool, options, part, device):
    tp = from_tool_options(tool, options)
    assert (tp.part, tp.device) == (part, device)


def test_speed_is_passed_only_when_the_target_gives_one():
    assert from_tool_options("trellis", {"nextpnr_options": ["--um5g-85k"]}).speed is None
    assert from_tool_options("trellis", {"nextpnr_options": ["--85k", "--speed", "8"]}).speed == "8"


@pytest.mark.parametrize("tool,options", [
    ("icestorm", {"pnr": "next"}), ("icarus", {"iverilog_options": ["-g2012"]}),
    ("trellis", {"nextpnr_options": ["--lpf", "x.lpf"]}), (None, {}), ("vivado", {})])
def test_options_that_name_no_device(tool, options):
    assert from_tool_options(tool, options) is None


def test_every_board_part_maps_to_its_own_device():
    for b in boards.all_boards().values():
        assert lookup(b.part) == b.device.key, b.name
        if b.device.family in ("ice40", "ecp5"):
            assert targetdevice.flag_of_part(b.part) in b.device.open["args"], b.name


def _util(path: Path) -> dict:
    return {b: v["used"] for b, v in json.loads(path.read_text())["utilization"].items()}


@pytest.fixture(autouse=True)
def _cores_env(monkeypatch):
    monkeypatch.setenv("FPGAFLOW_CORES", str(CORES))


@pytest.mark.parametrize("target,part,ext,io", [
    ("hx1k_tq144", "iCE40HX1K-TQ144", ".bin", 95),
    # one option string with spaces: Edalize's Makefile line splits it; fpgaflow passed it
    # to nextpnr as one argument ("unrecognised option '--25k --package CSFBGA285'")
    ("ecp5_one_string", "LFE5U-25F-6MG285C", ".bit", 118),
])
def test_board_less_build_matches_fusesoc_run(tmp_path, shim_path, target, part, ext, io):
    fs_work = fusesoc_run(tmp_path, CORE + ":1.0", target, shim=shim_path)
    fs_bit = next(fs_work.glob(f"*{ext}"))
    proc = _build(tmp_path, f"core: {CORE}\ntarget: {target}\nclocks: {{clk: 12 MHz}}\n", "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    s = json.loads(proc.stdout)
    assert s["status"] == "passed" and s["device"]["part"] == part
    assert [st["name"] for st in s["stages"]] == ["synth", "constraints", "pnr", "bitstream"]
    assert s["resources"]["io"]["available"] == io and s["resources"]["io"]["unconstrained"] == 0
    bdir = tmp_path / "ff" / f"r-{s['digest'][:8]}"
    ours = bdir / s["artifacts"]["bitstream"]
    assert abs(ours.stat().st_size - fs_bit.stat().st_size) <= 0.01 * fs_bit.stat().st_size
    assert s["resources"]["lut"]["used"] == _util(bdir / "reports/pnr_report.json")[
        "ICESTORM_LC" if ext == ".bin" else "TRELLIS_COMB"]


def test_board_of_another_device_is_refused(tmp_path):
    proc = _build(tmp_path, f"core: {CORE}\ntarget: lp8k_cm81\nboard: icebreaker\n", "--dry-run")
    assert proc.returncode == 2, proc.stderr
    assert "board icebreaker is iCE40UP5K-SG48" in proc.stderr and "iCE40LP8K-CM81" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_recipe_part_key_and_its_errors(tmp_path):
    proc = _build(tmp_path, f"core: {CORE}\npart: iCE40LP1K-CM36\n", "--dry-run", "--json")
    assert proc.returncode == 0, proc.stderr
    plan = json.loads((Path(json.loads(proc.stdout)[0]["build_dir"]) / "plan.json").read_text()) \
        if proc.stdout.lstrip().startswith("[") else \
        json.loads((Path(json.loads(proc.stdout)["build_dir"]) / "plan.json").read_text())
    assert plan["device"] == {"part": "iCE40LP1K-CM36", "vendor": "lattice", "family": "ice40",
                              "device": "ice40hx1k", "package": "cm36"}
    (pnr,) = [st for st in plan["stages"] if st["name"] == "pnr"]
    cmd = pnr["commands"][0]
    assert "--lp1k" in cmd and "--hx1k" not in cmd and cmd[cmd.index("--package") + 1] == "cm36"
    for text, words in [
        (f"core: {CORE}\npart: iCE40UP5K-SG48\nboard: icebreaker\n", "either 'part' or"),
        (f"core: {CORE}\npart: XC9572XL-VQ44\n", "no device data"),
        (f"core: {CORE}\ntarget: gowin_unknown\n", "GW1N-LV1QN48C6/I5"),
        (f"core: {CORE}\n", "names no device in its tool or flow options"),
        (f"core: {CORE}\nstages: [sim]\n", "a simulation-only recipe does not use the device"),
        (f"core: {CORE}\npart: 'a b'\n", "part"),
    ]:
        proc = _build(tmp_path, text, "--dry-run")
        assert proc.returncode == 2 and words in proc.stderr, (text, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_a_part_on_a_larger_die_reports_the_datasheet_capacity():
    """nextpnr places an HX4K on the 8K die (7,680 cells): available is the datasheet's
    3,520, the die's count is kept as sites; an HX8K is unchanged."""
    from types import SimpleNamespace

    from fpgaflow.build import _complete_resources
    for device, package, avail, sites in [("ice40hx4k", "bg121", 3520, 7680),
                                          ("ice40hx8k", "ct256", 7680, None)]:
        s = {"resources": {"lut": {"used": 36, "available": 7680, "unit": "LC"},
                           "io": {"used": 2, "available": 93 if sites else 206}}}
        _complete_resources(s, SimpleNamespace(device={"device": device, "package": package}))
        assert s["resources"]["lut"]["available"] == avail
        assert s["resources"]["lut"].get("sites") == sites
        assert "sites" not in s["resources"]["io"]
