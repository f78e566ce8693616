"""Targets of the CAPI2 flow API (``flow: icestorm``, ``flow_options:``), as SERV's servant
(tinyfpga_bx), corescore (tang_nano_20k, axku5) and fusesoc/blinky (gmm7550) write them:
the device is named in ``flow_options``, each tool of the flow takes its own keys from that
one flat dict (nextpnr_options, yosys_synth_options), and ``fusesoc run`` sets no tool flag,
so ``tool_icestorm?`` filesets stay out. fpgaflow read none of it: a recipe with no board
was refused ("names no device"), and with a board the flow options never reached Yosys or
nextpnr while the ``tool_icestorm?`` file was compiled in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from ._fusesoc import CORES, edam_of, fusesoc_run, fpgaflow_build as _build
from fpgaflow import corelib
from fpgaflow.edam import tool_options
from fpgaflow.targetdevice import from_flow_options, from_target

CORE = "fpgaflow-test:fusesoc:tflow"
ROOTS = (CORES.resolve(),)


@pytest.mark.parametrize("flow,options,part,device", [
    ("icestorm", {"nextpnr_options": ["--lp8k", "--package", "cm81", "--freq", "32"]},
     "iCE40LP8K-CM81", "ice40hx8k"),
    ("trellis", {"nextpnr_options": ["--25k --package CSFBGA285"]}, "LFE5U-25F-6MG285C",
     "lfe5u-25f"),
    ("gowin", {"tool": "gowin", "part": "GW2AR-LV18QN88C8/I7", "gowin_options": ["-x"]},
     "GW2AR-LV18QN88C8/I7", "gw2ar-18"),
    ("apicula", {"board": "tangnano9k"}, "GW1NR-LV9QN88PC6/I5", "gw1nr-9"),
    ("apicula", {"device": "GW1NR-LV9QN88PC6/I5", "board": "tangnano20k"},
     "GW1NR-LV9QN88PC6/I5", "gw1nr-9"),               # device wins over board, as Edalize's
    ("vivado", {"part": "xcku5p-ffvb676-2-i"}, "xcku5p-ffvb676-2-i", None),
    ("vivado", {"part": "xc7a100tcsg324-1"}, "xc7a100tcsg324-1", "xc7a100t"),
    ("gatemate", {"device": "CCGM1A1"}, "CCGM1A1", "ccgm1a1"),
])
def test_part_from_flow_options_public_cores_write(flow, options, part, device):
    tp = from_flow_options(flow, options)
    assert (tp.part, tp.device) == (part, device) and tp.source.startswith(f"flow: {flow}")


@pytest.mark.parametrize("flow,options", [
    ("sim", {"tool": "verilator", "verilator_options": ["--trace"]}), ("lint", {"tool": "verilator"}),
    ("generic", {"tool": "icarus"}), ("icestorm", {"pnr": "next"}), ("vivado", {}), (None, {})])
def test_flow_options_that_name_no_device(flow, options):
    assert from_flow_options(flow, options) is None


def test_flow_wins_over_default_tool_as_in_fusesoc_run():
    # blinky's gmm7550 has both; FuseSoC's get_flow takes the flow (fusesoc.py get_backend)
    both = {"tool": "icestorm", "options": {"nextpnr_options": ["--hx1k"]},
            "flow": "trellis", "flow_options": {"nextpnr_options": ["--85k"]}}
    assert from_target(both).part == "LFE5U-85F-6BG381C"
    assert from_target({**both, "flow": None}).part == "iCE40HX1K-TQ144"


def test_core_info_records_flow_and_flow_options():
    info = corelib.find_core(CORE, ROOTS)
    bx = info.target_tools["bx_flow"]
    assert bx["flow"] == "icestorm" and bx["tool"] is None
    assert bx["flow_options"]["nextpnr_options"] == ["--lp8k", "--package", "cm81", "--freq", "32"]
    assert info.target_tools["default"]["flow"] is None


def test_tool_options_of_either_api():
    flow_edam = {"flow_options": {"nextpnr_options": ["--lp8k --package cm81"], "pnr": "next"}}
    assert tool_options(flow_edam, "icestorm", "nextpnr_options") == ["--lp8k", "--package", "cm81"]
    tool_edam = {"tool_options": {"trellis": {"nextpnr_options": ["--85k"]}},
                 "flow_options": {"nextpnr_options": ["--25k"]}}
    assert tool_options(tool_edam, "trellis", "nextpnr_options") == ["--85k"]
    assert tool_options(tool_edam, "icestorm", "nextpnr_options") == []


def _files(edam: dict, work: Path) -> list[tuple[str, str]]:
    out = []
    for f in edam["files"]:
        p = Path(f["name"])
        p = p if p.is_absolute() else (work / p).resolve()
        out.append((p.name, f["file_type"]))
    return out


@pytest.fixture(autouse=True)
def _cores_env(monkeypatch):
    monkeypatch.setenv("FPGAFLOW_CORES", str(CORES))


def test_flow_target_builds_as_fusesoc_run_builds_it(tmp_path, shim_path):
    """Board-less, to a bitstream, beside `fusesoc run --target bx_flow` (Edalize's icestorm
    flow): same files (not the tool_icestorm? one), same flow options at Yosys and nextpnr,
    same placed design."""
    fs_work = fusesoc_run(tmp_path, CORE + ":1.0", "bx_flow", shim=shim_path)
    theirs = edam_of(fs_work)
    log = (fs_work / "next.log").read_text()
    util = {m.group(1): int(m.group(2))
            for m in re.finditer(r"^Info:\s+(\w+):\s+(\d+)/\s*\d+", log, re.M)}
    fs_bin = next(fs_work.glob("*.bin"))

    proc = _build(tmp_path, f"core: {CORE}\ntarget: bx_flow\nclocks: {{clk: 16 MHz}}\n", "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    s = json.loads(proc.stdout)
    assert s["status"] == "passed" and s["device"]["part"] == "iCE40LP8K-CM81"
    bdir = tmp_path / "ff" / f"r-{s['digest'][:8]}"
    plan = json.loads((bdir / "plan.json").read_text())
    ours = yaml.safe_load((bdir / "edam.yml").read_text())
    assert _files(ours, bdir) == _files(theirs, fs_work)
    assert ("tflow_mix.v", "verilogSource") in _files(ours, bdir)       # not tflow_mix_tool.v
    assert not ours.get("tool_options") and ours["flow_options"] == theirs["flow_options"]
    (pnr,) = [st["commands"][0] for st in plan["stages"] if st["name"] == "pnr"]
    assert pnr[pnr.index("--freq") + 1] == "32" and pnr.count("--package") == 1 \
        and pnr[pnr.index("--package") + 1] == "cm81" and "--lp8k" in pnr
    ys = (bdir / "work/synth/synth.ys").read_text()
    assert re.search(r"^synth_ice40 .*-dffe_min_ce_use 8", ys, re.M), ys
    pnr_util = {b: v["used"] for b, v in json.loads(
        (bdir / "reports/pnr_report.json").read_text())["utilization"].items()}
    for bel in ("ICESTORM_LC", "SB_IO"):
        assert pnr_util[bel] == util[bel], bel
    assert s["resources"]["lut"]["used"] == util["ICESTORM_LC"]
    assert (bdir / s["artifacts"]["bitstream"]).stat().st_size == fs_bin.stat().st_size


@pytest.mark.parametrize("target,part,words", [
    ("ecp5_flow", "LFE5U-25F-6MG285C", ["--25k", "--package", "CSFBGA285"]),
    ("vivado_flow", "xc7a100tcsg324-1", []),
])
def test_other_flow_targets_plan_for_their_device(tmp_path, target, part, words):
    proc = _build(tmp_path, f"core: {CORE}\ntarget: {target}\nclocks: {{clk: 50 MHz}}\n",
                  "--dry-run", "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    plan = json.loads((Path(out["build_dir"]) / "plan.json").read_text())
    assert plan["device"]["part"] == part
    pnr = [st["commands"][0] for st in plan["stages"] if st["name"] == "pnr"]
    for w in words:
        assert w in pnr[0]


def test_board_of_another_device_than_the_flow_options_is_refused(tmp_path):
    proc = _build(tmp_path, f"core: {CORE}\ntarget: bx_flow\nboard: icebreaker\n", "--dry-run")
    assert proc.returncode == 2 and "iCE40LP8K-CM81" in proc.stderr, proc.stderr
    assert "flow: icestorm: flow_options" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("name", ["::tnovendor", "::tnovendor:0", "tnovendor"])
def test_core_without_vendor_or_library(tmp_path, shim_path, name):
    """corescore is `::corescore:0`: the recipe took only vendor:library:name (exit 2 on
    `::corescore`, the name `fpgaflow cores` shows); FuseSoC takes all three spellings."""
    fs_work = fusesoc_run(tmp_path, name, "default", shim=shim_path, setup_only=True,
                          pre=("--tool", "icestorm")) if name == "::tnovendor" else None
    proc = _build(tmp_path, f"core: '{name}'\npart: iCE40UP5K-SG48\nstages: [synth]\n",
                  "--dry-run", "--json")
    assert proc.returncode == 0, proc.stderr
    plan = json.loads((Path(json.loads(proc.stdout)["build_dir"]) / "plan.json").read_text())
    assert plan["core"] == "::tnovendor:0" and [st["name"] for st in plan["stages"]] == ["synth"]
    if fs_work is not None:
        bdir = Path(json.loads(proc.stdout)["build_dir"])
        ours = yaml.safe_load((bdir / "edam.yml").read_text())
        assert ours["toplevel"] == edam_of(fs_work)["toplevel"] == "tnovendor"
        assert _files(ours, bdir) == _files(edam_of(fs_work), fs_work)


def test_board_less_quartus_part_of_a_lite_family(tmp_path, shim_path):
    """A Cyclone V part needs no quartus_edition in the recipe (Pro cannot build it; Lite
    and Standard write one project): the project Tcl is the one fusesoc run --setup writes."""
    fs_work = fusesoc_run(tmp_path, CORE + ":1.0", "quartus_tool", shim=shim_path,
                          setup_only=True)
    proc = _build(tmp_path, f"core: {CORE}\ntarget: quartus_tool\nclocks: {{clk: 50 MHz}}\n",
                  "--dry-run", "--json", "--flow", "quartus")
    assert proc.returncode == 0, proc.stderr[-3000:]
    bdir = Path(json.loads(proc.stdout)["build_dir"])

    def tcl(path: Path) -> list[str]:     # file names only; fpgaflow's own two lines out
        lines = [re.sub(r"\S*/([^/\s{}]+)", r"\1", ln).replace("{", "").replace("}", "")
                 for ln in path.read_text().splitlines()
                 if ln and not ln.startswith(("#", "project_new"))]
        return [ln for ln in lines if ln not in ("set_global_assignment -name SDC_FILE "
                                                 "fpgaflow.sdc", "source quartus_settings.tcl")]
    (theirs,) = fs_work.glob("*.tcl")
    assert tcl(bdir / "work/synth/r.tcl") == tcl(theirs)
    assert "set_global_assignment -name DEVICE 5CEBA4F23C7" in tcl(theirs)
    # Arria 10 is in Standard and in Pro: the recipe says which
    proc = _build(tmp_path, f"core: {CORE}\npart: 10AX115S2F45I1SG\nstages: [synth]\n",
                  "--dry-run", "--flow", "quartus")
    assert proc.returncode == 2 and "quartus_edition" in proc.stderr, proc.stderr
