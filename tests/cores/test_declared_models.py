"""Models are declared, not guessed: the target's FuseSoC hooks (or the recipe's ``model:``)
name the model; its ``check`` stops nonsense parameters before any tool runs (exit 2, file,
line, key); the shared command line (fpgaflow.models._cli) reads a FuseSoC EDAM file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fpgaflow import build as build_mod
from fpgaflow import recipe as recipe_mod
from fpgaflow import runner
from fpgaflow.flows import hooks
from fpgaflow.models import _cli, blinky, lfc, mvau


@pytest.fixture
def no_tools(monkeypatch):
    """Fails the test if any stage command is started."""
    started = []

    def boom(argv, *a, **k):
        started.append(argv)
        raise AssertionError(f"a tool was started: {argv}")

    monkeypatch.setattr(runner, "run_command", boom)
    return started


def _recipe(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "r.yaml"
    p.write_text(text)
    return p


BLINKY = "core: fpgaflow:demo:blinky\nboard: ulx3s\nclocks: {clk: 25 MHz}\nstages: [sim, synth]\n"


@pytest.mark.parametrize("value,key,why", [
    ("-5", "WIDTH", "WIDTH=-5 must be 1..64"),
    ("0", "WIDTH", "WIDTH=0 must be 1..64"),
    ("65", "WIDTH", "WIDTH=65 must be 1..64"),
    ("2", "LEDS", "LEDS=4 must be 1..WIDTH (2)"),
    (".inf", "WIDTH", "expected"),                   # not a finite number: the schema
    ("2.5", "WIDTH", "declares WIDTH as int, got"),  # the core's CAPI2 datatype
    ("true", "WIDTH", "declares WIDTH as int, got"),
])
def test_build_refuses_nonsense_parameters_before_any_tool(tmp_path, run_cli, no_tools, value,
                                                           key, why):
    r = _recipe(tmp_path, BLINKY + f"parameters:\n  LEDS: 4\n  WIDTH: {value}\n")
    res = run_cli("build", r, "--out", tmp_path / "out")
    assert res.exit_code == 2, res.output
    line = 7 if key == "WIDTH" else 6
    assert f"{r}:{line}: parameters.{key}: " in res.stderr and why in res.stderr, res.stderr
    assert "Traceback" not in res.output and no_tools == []
    assert not list((tmp_path / "out").glob("*/plan.json"))            # nothing was planned


@pytest.mark.parametrize("core,params,key,why", [
    ("fpgaflow:nn:mvau", "{PE: 0}", "parameters.PE", "PE=0 must be >= 1"),
    ("fpgaflow:nn:mvau", "{MW: 30}", "parameters", "multiple of SIMD"),
    ("fpgaflow:nn:lfc", "{L1_SIMD: -8}", "parameters.L1_SIMD", "L1_SIMD=-8 must be >= 1"),
    ("fpgaflow:nn:cnv", "{IMG: 33}", "parameters", "IMG = 32, 36, 40"),
    ("fpgaflow:nn:ternary", "{THRESH: 2}", "parameters.THRESH", "THRESH=2 must be 0 or 1"),
    ("fpgaflow:nn:bilstm", "{WBITS: 9}", "parameters", "WBITS and ABITS must be in 2..8"),
    ("fpgaflow:nn:ernn", "{K: 3}", "parameters", "K must be a power of two"),
    ("fpgaflow:nn:ernn", "{HIDDEN: -5}", "parameters.HIDDEN", "HIDDEN=-5 must be >= 1"),
    ("fpgaflow:nn:bilstm", "{SIMD_IN: 0}", "parameters.SIMD_IN", "SIMD_IN=0 must be >= 1"),
    ("fpgaflow:nn:lutnet", "{K: 7}", "parameters.K", "K=7 must be 2..6"),
])
def test_every_core_model_checks_its_limits(tmp_path, run_cli, no_tools, core, params, key, why):
    r = _recipe(tmp_path, f"core: {core}\nboard: zcu104\nstages: [synth]\n"
                          f"clocks: {{clk: 100 MHz}}\nparameters: {params}\n")
    res = run_cli("build", r, "--out", tmp_path / "out", "--dry-run")
    assert res.exit_code == 2, res.output
    assert f"{r}:5: {key}: core {core}" in res.stderr and why in res.stderr, res.stderr
    assert no_tools == []


def test_the_model_is_read_from_the_targets_hooks(tmp_path):
    r = recipe_mod.load(_recipe(tmp_path, "core: fpgaflow:nn:lfc\nboard: zcu104\n"
                                          "stages: [sim, synth]\nclocks: {clk: 100 MHz}\n"
                                          "parameters: {HID: 64}\noptions: {seed: 3}\n"))
    plan = build_mod.make_plan(r, r.board, out_root=tmp_path / "out")
    stages = {s.name: s for s in plan.stages}
    # default: pre_build [vectors] (the ROMs), sim: pre_run [vectors]
    for name in ("sim", "synth"):
        (cmd,) = [c for c in stages[name].commands if "-m" in c[:2]]
        assert cmd[:5] == [sys.executable, "-m", "fpgaflow.models.lfc", "vectors", "."]
        assert "HID=64" in cmd and cmd[-2:] == ["--seed", "3"]
    # result_line: the model writes vectors, so the testbench must print its FPGAFLOW_SIM line
    assert stages["sim"].meta == {"cycles_per_item_bound": lfc.cycles_per_item({"HID": 64}),
                                  "result_line": True}
    assert hooks.declared(plan.edam, "synth")[0] == [
        hooks.Model("fpgaflow.models.lfc", ("vectors", "."),
                    "pre_build hook fpgaflow_nn_lfc_0.1_vectors")]


def test_a_core_without_hooks_has_no_model(tmp_path):
    edam = {"hooks": {}, "parameters": {}}
    assert hooks.declared(edam, "sim") == ([], [])
    other = {"hooks": {"pre_run": [{"name": "x_gen", "cmd": ["sh", "gen.sh"]}]}}
    assert hooks.declared(other, "sim") == ([], ["pre_run hook x_gen"])
    assert hooks.declared(other, "synth") == ([], [])          # pre_run is not synthesis'


MYMODEL = '''
from fpgaflow.models import _cli

def check(params):
    if params.get("WIDTH", 0) > 8:
        raise _cli.ParameterError("WIDTH", "mymodel takes WIDTH <= 8")

def cycles_per_item(params):
    return 7
'''


def test_the_recipe_names_a_model(tmp_path, monkeypatch, run_cli, no_tools):
    (tmp_path / "mymodel.py").write_text(MYMODEL)
    monkeypatch.syspath_prepend(str(tmp_path))
    text = BLINKY + "model: mymodel\nparameters: {WIDTH: 8}\n"
    r = recipe_mod.load(_recipe(tmp_path, text))
    assert r.model == "mymodel"
    plan = build_mod.make_plan(r, r.board, out_root=tmp_path / "out")
    sim = next(s for s in plan.stages if s.name == "sim")
    # it stands in for the core's own (blinky's `check .` hook), with the hook's arguments
    (cmd,) = [c for c in sim.commands if "-m" in c[:2]]
    assert cmd[2:5] == ["mymodel", "check", "."] and "WIDTH=8" in cmd
    assert sim.meta == {"cycles_per_item_bound": 7, "result_line": True}
    res = run_cli("build", _recipe(tmp_path, text.replace("WIDTH: 8", "WIDTH: 9")),
                  "--out", tmp_path / "out")
    assert res.exit_code == 2 and ":6: parameters.WIDTH: " in res.stderr, res.stderr
    assert "mymodel takes WIDTH <= 8" in res.stderr and no_tools == []


@pytest.mark.parametrize("name,why", [
    ("no_such_module_xyz", "cannot import the model no_such_module_xyz: ModuleNotFoundError"),
    ("fpgaflow.models.nope", "cannot import the model fpgaflow.models.nope"),
    ("os;rm", "expected a Python module name"),
    ("1abc", "expected a Python module name"),
])
def test_a_recipe_model_that_does_not_import_is_exit_2(tmp_path, run_cli, name, why):
    r = _recipe(tmp_path, BLINKY + f"model: '{name}'\n")
    res = run_cli("build", r, "--out", tmp_path / "out", "--dry-run")
    assert res.exit_code == 2 and f"{r}:5: model: " in res.stderr and why in res.stderr, \
        res.stderr
    assert "Traceback" not in res.output


def test_cli_reads_the_edam_then_P_wins(tmp_path, capsys):
    edam = {"parameters": {"MW": {"datatype": "int", "default": 64, "paramtype": "vlogparam"},
                           "WEIGHT_FILE": {"datatype": "str", "default": "w.hex"},
                           "PE": {"datatype": "int", "default": 2}}}
    (tmp_path / "fpgaflow_nn_mvau_0.1.eda.yml").write_text(yaml.safe_dump(edam))
    assert mvau.main(["params", str(tmp_path), "-P", "PE=4", "-P", "WEIGHT_FILE=x"]) == 0
    out = capsys.readouterr()
    assert out.out.split() == ["MW=64", "PE=4"]                 # EDAM value, -P over it
    assert "ignoring parameter WEIGHT_FILE" in out.err
    assert mvau.main(["check", str(tmp_path), "-P", "PE=0"]) == 2
    assert "mvau: PE=0 must be >= 1" in capsys.readouterr().err
    assert mvau.main(["vectors", str(tmp_path), "-P", "PE=abc"]) == 2
    assert "PE='abc' is not an integer" in capsys.readouterr().err
    assert not (tmp_path / "weights.hex").exists()


@pytest.mark.parametrize("value,ok", [(5, 5), ("0x10", 16), (4.0, 4), (True, 1)])
def test_integer_values(value, ok):
    assert _cli.integer("W", value) == ok


@pytest.mark.parametrize("value", [2.5, float("inf"), float("nan"), "1e3", "", "x"])
def test_integer_rejects(value):
    with pytest.raises(_cli.ParameterError) as exc:
        _cli.integer("W", value)
    assert exc.value.name == "W"


def test_blinky_check_is_what_fusesoc_runs(tmp_path):
    """The core's hook command, run as Edalize runs it (in the work root, EDAM beside it)."""
    core = yaml.safe_load((Path(__file__).parents[2] / "cores/blinky/blinky.core").read_text())
    cmd = core["scripts"]["check"]["cmd"]
    assert cmd == ["python3", "-m", "fpgaflow.models.blinky", "check", "."]
    edam = {"parameters": {"WIDTH": {"datatype": "int", "default": -5}}}
    (tmp_path / "blinky.eda.yml").write_text(yaml.safe_dump(edam))
    proc = subprocess.run([sys.executable, *cmd[1:]], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and "WIDTH=-5 must be 1..64" in proc.stderr
    blinky.check({"WIDTH": 6, "LEDS": 4, "OTHER": "x"})         # names it does not take: passed over
    assert json.dumps(blinky.PARAMETERS)


def test_the_no_tools_fixture_sees_a_tool_start(tmp_path, run_cli, no_tools):
    r = _recipe(tmp_path, BLINKY.replace("[sim, synth]", "[sim]") + "parameters: {WIDTH: 6}\n")
    with pytest.raises(AssertionError, match="a tool was started"):
        run_cli("build", r, "--out", tmp_path / "out")
    assert no_tools[0][2:4] == ["fpgaflow.models.blinky", "check"]   # a valid recipe starts one


@pytest.mark.parametrize("value", [2.5, True, "8"])
def test_the_edam_checks_capi2_datatypes_too(tmp_path, value):
    """For a target FuseSoC cannot list up front, the recipe's values meet the datatypes
    when the EDAM is resolved (the sim and csim targets go through the same code)."""
    from fpgaflow import corelib
    from fpgaflow.errors import FpgaflowError
    roots = corelib.core_roots(None)
    with pytest.raises(FpgaflowError) as exc:
        corelib.edam("fpgaflow:demo:blinky", "sim", roots, {"WIDTH": value}, tmp_path / "w",
                     undeclared="skip")
    assert exc.value.key == "parameters.WIDTH" and "declares WIDTH as int" in exc.value.message
    ok = corelib.edam("fpgaflow:demo:blinky", "sim", roots, {"WIDTH": 5}, tmp_path / "w",
                      undeclared="skip")
    assert ok["parameters"]["WIDTH"]["default"] == 5


def test_a_hook_that_is_no_python_model_is_named_not_run(tmp_path):
    core = tmp_path / "cores" / "h"
    core.mkdir(parents=True)
    (core / "h.v").write_text("module h(input clk, output reg q); always @(posedge clk) q <= ~q; "
                              "endmodule\n")
    (core / "h.core").write_text("""\
CAPI=2:
name: t:t:h:1.0
filesets: {rtl: {files: [h.v], file_type: verilogSource}}
scripts: {gen: {cmd: [sh, gen.sh]}}
targets:
  default: {filesets: [rtl], toplevel: h, hooks: {pre_build: [gen]}}
""")
    r = recipe_mod.load(_recipe(tmp_path, "core: t:t:h\nboard: ulx3s\nclocks: {clk: 25 MHz}\n"))
    plan = build_mod.make_plan(r, r.board, out_root=tmp_path / "out")
    assert any("pre_build hook t_t_h_1.0_gen not run" in n for n in plan.notes), plan.notes
    synth = next(s for s in plan.stages if s.name == "synth")
    assert not any("gen.sh" in c for cmd in synth.commands for c in cmd)
