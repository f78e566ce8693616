"""The sim stage runs a core's own testbench as ``fusesoc run --target sim`` does: its plusargs
on the simulator's command line (subservient's +firmware/+uart_baudrate: without them its
testbench ran with an empty SRAM, forever), the target's ``tools: icarus:``/``verilator:``
options, one ``-s`` per toplevel of a toplevel list (iverilog got the list as one name and
stopped), the simulator as FuseSoC's tool flag, so ``tool_verilator?`` filesets follow
``sim_tool`` and the target's ``default_tool`` picks the simulator, and the target's VPI
modules (``vpi:``, as jtag_vpi's), built with iverilog-vpi and loaded by vvp; a C++
testbench for Verilator (subservient's fpga_tb) is the main of a --cc --exe build."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ._fusesoc import CORES, fusesoc_run, fpgaflow_build as _build
from fpgaflow import build as build_mod
from fpgaflow import recipe

CORE = "fpgaflow-test:fusesoc:tsim"
PARAMS = "{count: 4, label: abc, verbose: true}"
RESULT = re.compile(r"^FPGAFLOW_SIM .*$", re.MULTILINE)


@pytest.fixture(autouse=True)
def _cores_env(monkeypatch):
    monkeypatch.setenv("FPGAFLOW_CORES", str(CORES))


def _recipe(options: str = "") -> str:
    return (f"core: {CORE}\ntarget: sim\nboard: icebreaker\nstages: [sim]\n"
            f"parameters: {PARAMS}\n{options}")


def _sim_stage(tmp_path: Path, text: str):
    r = tmp_path / "r.yaml"
    r.write_text(text)
    loaded = recipe.load(r)
    (sim,) = build_mod.make_plan(loaded, loaded.board, out_root=tmp_path / "ff").stages
    return sim


def test_testbench_gets_what_fusesoc_run_gives_it(tmp_path, shim_path):
    work = fusesoc_run(tmp_path, CORE + ":1.0", "sim", shim=shim_path,
                       args=("--count=4", "--label=abc", "--verbose"))
    theirs = RESULT.findall((work / "icarus.log").read_text())
    assert theirs == ["FPGAFLOW_SIM vectors=14 mismatches=0 cycles_per_item=1"]
    proc = _build(tmp_path, _recipe(), "--json")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (bdir,) = (tmp_path / "ff").glob("*/summary.json")
    bdir = bdir.parent
    assert RESULT.findall((bdir / "logs/sim.log").read_text()) == theirs
    # the plusargs in Edalize's order and form (its Makefile's EXTRA_OPTIONS)
    extra = re.search(r"^EXTRA_OPTIONS\s*\?=\s*(.*)$", (work / "Makefile").read_text(),
                      re.MULTILINE).group(1).split()
    plan = json.loads((bdir / "plan.json").read_text())
    (vvp,) = [c for s in plan["stages"] for c in s["commands"] if c[0].endswith("vvp")]
    assert vvp[vvp.index("sim.vvp") + 1:] == extra == [
        "+firmware=fw.hex", "+count=4", "+label=abc", "+verbose=1"]
    (iverilog,) = [c for s in plan["stages"] for c in s["commands"]
                   if c[0].endswith("iverilog")]
    scr = (work / "fpgaflow-test_fusesoc_tsim_1.0.scr").read_text().split()
    assert [a for a in iverilog if a.startswith("-P")] == \
        ["-P" + a.removeprefix("+parameter+") for a in scr if a.startswith("+parameter+")]
    assert "-DFROM_TOOL_OPTIONS=7" in iverilog
    # the timescale option: Edalize's timescale.v, ahead of the sources in both
    assert (bdir / "work/sim/timescale.v").read_text() == (work / "timescale.v").read_text()
    assert scr[scr.index("timescale.v") + 1].endswith("tsim_dut.v")
    assert iverilog[iverilog.index("timescale.v") + 1].endswith("tsim_dut.v")


def test_without_the_plusargs_the_testbench_fails(tmp_path):
    """The checker catches a wrong hand-over: no count/label/verbose, mismatches counted."""
    proc = _build(tmp_path, f"core: {CORE}\ntarget: sim\nboard: icebreaker\nstages: [sim]\n",
                  "--json")
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    (bdir,) = (tmp_path / "ff").glob("*/summary.json")
    bdir = bdir.parent
    assert "mismatches=3" in (bdir / "logs/sim.log").read_text()


def test_sim_tool_is_fusesocs_tool_flag(tmp_path):
    sim = _sim_stage(tmp_path, _recipe("options: {sim_tool: verilator}\n"))
    build, run = sim.commands[-2:]
    names = [Path(a).name for a in build]
    assert "tsim_sel_verilator.v" in names and "tsim_sel_icarus.v" not in names
    assert "-DFROM_TOOL_OPTIONS=7" in build                    # tools: verilator: options
    assert run == ["obj_dir/simv", "+firmware=fw.hex", "+count=4", "+label=abc", "+verbose=1"]
    icarus = _sim_stage(tmp_path, _recipe())
    names = [Path(a).name for a in icarus.commands[-2]]
    assert "tsim_sel_icarus.v" in names and "tsim_sel_verilator.v" not in names
    assert icarus.commands[-2][icarus.commands[-2].index("-s"):][:4] == \
        ["-s", "tsim_tb", "-s", "tsim_aux"]


def test_default_tool_of_the_sim_target_picks_the_simulator(tmp_path, monkeypatch):
    cores = tmp_path / "cores"
    shutil.copytree(CORES / "tsim", cores / "tsim")
    core = cores / "tsim" / "tsim.core"
    core.write_text(core.read_text().replace("default_tool: icarus", "default_tool: verilator"))
    monkeypatch.setenv("FPGAFLOW_CORES", str(cores))
    sim = _sim_stage(tmp_path, _recipe())
    assert Path(sim.commands[-2][0]).name == "verilator"
    assert sim.commands[-1][0] == "obj_dir/simv"
    # the recipe's sim_tool still wins
    sim = _sim_stage(tmp_path, _recipe("options: {sim_tool: icarus}\n"))
    assert Path(sim.commands[-2][0]).name == "iverilog"


def test_vpi_modules_are_built_and_loaded_as_fusesoc_run_does(tmp_path, shim_path):
    core = "fpgaflow-test:fusesoc:tvpi"
    work = fusesoc_run(tmp_path, core + ":1.0", "sim", shim=shim_path)
    theirs = RESULT.findall((work / "icarus.log").read_text())
    assert theirs == ["FPGAFLOW_SIM vectors=8 mismatches=0 cycles_per_item=1"]
    proc = _build(tmp_path, f"core: {core}\nboard: icebreaker\nstages: [sim]\n", "--json")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (bdir,) = (tmp_path / "ff").glob("*/summary.json")
    assert RESULT.findall((bdir.parent / "logs/sim.log").read_text()) == theirs
    plan = json.loads((bdir.parent / "plan.json").read_text())
    (sim,) = plan["stages"]
    (vpi,) = [c for c in sim["commands"] if c[0].endswith("iverilog-vpi")]
    assert vpi[1:3] == ["--name=tvpi_scale", "-lm"]
    assert [Path(a).name for a in vpi[3:]] == ["include", "tvpi_scale.c"]
    assert sim["commands"][-1][2:4] == ["-M.", "-mtvpi_scale"]
    assert any(i.endswith("tvpi_scale.h") for i in sim["inputs"])   # in the stage digest


def test_vpi_with_verilator_is_exit_2(tmp_path):
    proc = _build(tmp_path, "core: fpgaflow-test:fusesoc:tvpi\nboard: icebreaker\n"
                            "stages: [sim]\noptions: {sim_tool: verilator}\n", "--dry-run")
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "VPI modules (tvpi_scale)" in proc.stderr and "sim_tool: icarus" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cpp_testbench_is_verilators_main_as_under_fusesoc_run(tmp_path, shim_path):
    """tcpp: a cppSource main, a header dir, a .vlt control file, a vlogparam; the order and
    arguments of Edalize's .vc file, and the testbench's own result."""
    core = "fpgaflow-test:fusesoc:tcpp"
    work = fusesoc_run(tmp_path, core + ":1.0", "sim", shim=shim_path, setup_only=True)
    vc = (work / "fpgaflow-test_fusesoc_tcpp_1.0.vc").read_text().split()
    proc = _build(tmp_path, f"core: {core}\nboard: icebreaker\nstages: [sim]\n", "--json")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (bdir,) = (tmp_path / "ff").glob("*/summary.json")
    assert RESULT.findall((bdir.parent / "logs/sim.log").read_text()) == \
        ["FPGAFLOW_SIM vectors=16 mismatches=0 cycles_per_item=1"]
    (sim,) = json.loads((bdir.parent / "plan.json").read_text())["stages"]
    build, run = sim["commands"][-2:]
    assert build[1:4] == ["--cc", "--exe", "--build"] and run == ["obj_dir/simv"]
    # the files in the .vc's order: control file, Verilog, then the C++ main
    files = [Path(a).name for a in build if Path(a).suffix in (".vlt", ".v", ".cpp")]
    assert files == [Path(a).name for a in vc if Path(a).suffix in (".vlt", ".v", ".cpp")] \
        == ["tcpp.vlt", "tcpp_count.v", "tcpp_tb.cpp"]
    assert "-GSTEP=3" in build and "-GSTEP=3" in vc
    (inc,) = [a for a in vc if a.startswith("-I")]
    assert build[build.index("-CFLAGS") + 1].endswith(inc.removeprefix("-I").split("/", 2)[-1])


def test_flow_api_sim_target_names_the_simulator_and_its_options(tmp_path, monkeypatch):
    """`flow: sim` with `flow_options: {tool: verilator, verilator_options: ...}` (the CAPI2
    flow API): the tool and its options come from the flat flow_options; cmdlinearg
    parameters reach the Verilator run as --NAME=VALUE, as Edalize passes them."""
    cores = tmp_path / "cores"
    shutil.copytree(CORES / "tsim", cores / "tsim")
    core = cores / "tsim" / "tsim.core"
    text = core.read_text()
    start, end = text.index("  sim:\n"), text.index("parameters:\n  firmware:")
    text = text[:start] + """  sim:
    flow: sim
    flow_options:
      tool: verilator
      verilator_options: ["-DFROM_TOOL_OPTIONS=7"]
    filesets: [rtl, fw, tb, verilator_only]
    parameters: [firmware=fw.hex, count, label, verbose, DEPTH=3, mode=fast]
    toplevel: tsim_tb

""" + text[end:] + """  mode:
    datatype: str
    paramtype: cmdlinearg
    description: a command-line argument of the simulation
"""
    core.write_text(text)
    monkeypatch.setenv("FPGAFLOW_CORES", str(cores))
    sim = _sim_stage(tmp_path, _recipe())
    build, run = sim.commands[-2:]
    assert Path(build[0]).name == "verilator" and "-DFROM_TOOL_OPTIONS=7" in build
    assert run == ["obj_dir/simv", "+firmware=fw.hex", "+count=4", "+label=abc", "+verbose=1",
                   "--mode=fast"]


def test_vhdl_in_the_sim_target_is_exit_2_naming_the_file(tmp_path, monkeypatch):
    cores = tmp_path / "cores"
    shutil.copytree(CORES / "tsim", cores / "tsim")
    (cores / "tsim" / "tsim_pkg.vhd").write_text("package tsim_pkg is\nend package;\n")
    core = cores / "tsim" / "tsim.core"
    core.write_text(core.read_text().replace(
        "  rtl:\n    files: [tsim_dut.v]\n    file_type: verilogSource\n",
        "  rtl:\n    files: [tsim_dut.v]\n    file_type: verilogSource\n"
        "  pkg:\n    files: [tsim_pkg.vhd: {logical_name: tlib}]\n    file_type: vhdlSource-2008\n"
    ).replace("filesets: [rtl, fw, tb,", "filesets: [rtl, pkg, fw, tb,"))
    monkeypatch.setenv("FPGAFLOW_CORES", str(cores))
    proc = _build(tmp_path, _recipe(), "--dry-run")
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "tsim_pkg.vhd" in proc.stderr and "Verilog/SystemVerilog only" in proc.stderr
    assert "r.yaml" in proc.stderr and "stages" in proc.stderr


def test_recipe_target_that_is_a_simulation_target_is_the_one_simulated(tmp_path, monkeypatch):
    """subservient's sim_hello (`<<: *sim` with firmware=hello.hex...): a recipe with
    `target: sim_hello` and `stages: [sim]` simulates that target, as `fusesoc run --target
    sim_hello`; the `sim` target is the default only for other recipe targets."""
    cores = tmp_path / "cores"
    shutil.copytree(CORES / "tsim", cores / "tsim")
    core = cores / "tsim" / "tsim.core"
    text = core.read_text()
    start, end = text.index("  sim:\n"), text.index("parameters:\n  firmware:")
    sim = text[start:end]
    hello = sim.replace("  sim:\n", "  sim_hello:\n").replace(
        "parameters: [firmware=fw.hex, count, label, verbose, DEPTH=3]",
        "parameters: [firmware=fw.hex, count=4, label=abc, verbose=true, DEPTH=3]")
    core.write_text(text[:start] + sim + hello + text[end:])
    monkeypatch.setenv("FPGAFLOW_CORES", str(cores))
    proc = _build(tmp_path, f"core: {CORE}\ntarget: sim_hello\nboard: icebreaker\n"
                            "stages: [sim]\n", "--json")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (summary,) = (tmp_path / "ff").glob("*/summary.json")
    assert "mismatches=0" in (summary.parent / "logs/sim.log").read_text()
    (stage,) = json.loads((summary.parent / "plan.json").read_text())["stages"]
    assert "on target sim_hello" in stage["note"]
