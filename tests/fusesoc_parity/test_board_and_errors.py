"""Errors a user can act on, honest cache keys, and the constraints/bitstream stages.

Each test builds the situation the issue measured (a typo'd VLNV, an unparsable core, an
unresolvable dependency, a target without toplevel, VHDL on the open flow, a recipe clock
that is not a port, out of context on iCE40, auto-placed pins) and checks the one-line
exit-2 message or the stage's refusal. Only plans are made here: no tool runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fpgaflow import corelib
from fpgaflow import constraints
from fpgaflow.flows import yosys

from ._fusesoc import CORES

TSOC = (CORES / "tsoc").resolve()


def _project(tmp: Path, core_text: str | None = None, files: dict | None = None) -> Path:
    """A project dir with cores/x/x.core (+ files) and a recipes/ folder."""
    d = tmp / "proj"
    (d / "cores/x").mkdir(parents=True, exist_ok=True)
    (d / "recipes").mkdir(exist_ok=True)
    if core_text is not None:
        (d / "cores/x/x.core").write_text(core_text)
    for name, text in (files or {}).items():
        p = d / "cores/x" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return d


@pytest.fixture
def ff(run_cli, monkeypatch):
    """``fpgaflow ARGS`` in-process (cwd optional), without the suite's FPGAFLOW_CORES."""
    monkeypatch.delenv("FPGAFLOW_CORES", raising=False)

    def run(*args, cwd: Path | None = None):
        if cwd is not None:
            monkeypatch.chdir(cwd)
        return run_cli(*args)
    return run


def _recipe(proj: Path, text: str) -> Path:
    r = proj / "recipes/r.yaml"
    r.write_text(text)
    return r


CORE_OK = """CAPI=2:
name: t:x:demo:1.0
targets:
  default: {filesets: [rtl], toplevel: demo}
  notop: {filesets: [rtl]}
  vhdl: {filesets: [rtl, v], toplevel: demo}
  broken_dep: {filesets: [rtl, dep], toplevel: demo}
filesets:
  rtl: {files: [rtl/demo.v], file_type: verilogSource}
  v: {files: [rtl/demo.vhd], file_type: vhdlSource}
  dep: {depend: ["acme:missing:thing"]}
"""
DEMO_V = "module demo(input wire clk, input wire [1:0] sw, output reg q);\n" \
         "always @(posedge clk) q <= ^sw;\nendmodule\n"


@pytest.fixture
def proj(tmp_path):
    return _project(tmp_path, CORE_OK, {"rtl/demo.v": DEMO_V, "rtl/demo.vhd": "-- vhdl\n"})


def _one_line_exit_2(r) -> str:
    assert r.exit_code == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    return r.stderr


def test_vlnv_typo_says_did_you_mean(proj, ff):
    r = ff("build", _recipe(proj, "core: t:x:dmeo\nboard: icebreaker\n"), "--dry-run",
                  "--out", proj / "b")
    err = _one_line_exit_2(r)
    assert "unknown core 't:x:dmeo'" in err and "did you mean 't:x:demo'" in err


def test_unparsable_core_is_named_not_silently_absent(proj, ff):
    (proj / "cores/x/bad.core").write_text("CAPI=2:\nname: t:x:bad:1.0\ntargets: [oops\n")
    r = ff("build", _recipe(proj, "core: t:x:bad\nboard: icebreaker\n"), "--dry-run",
                  "--out", proj / "b")
    err = _one_line_exit_2(r)
    assert "bad.core" in err and "unknown core" in err
    listed = ff("cores", "--json", cwd=proj / "recipes")
    assert listed.exit_code == 0 and "bad.core" in listed.stderr


def test_unresolvable_dependency_is_exit_2(proj, ff):
    r = ff("build", _recipe(proj, "core: t:x:demo\ntarget: broken_dep\nboard: icebreaker\n"
                                        "stages: [synth]\n"), "--dry-run", "--out", proj / "b")
    err = _one_line_exit_2(r)
    assert "acme:missing:thing" in err and "dependencies" in err


def test_target_without_toplevel_hint_and_recipe_toplevel(proj, ff):
    r = ff("build", _recipe(proj, "core: t:x:demo\ntarget: notop\nboard: icebreaker\n"),
                  "--dry-run", "--out", proj / "b")
    err = _one_line_exit_2(r)
    assert "names no toplevel" in err and "toplevel:" in err
    r = ff("build", _recipe(proj, "core: t:x:demo\ntarget: notop\ntoplevel: demo\n"
                                        "board: icebreaker\nstages: [synth]\n"),
                  "--dry-run", "--out", proj / "b")
    assert r.exit_code == 0, r.stderr
    (ys,) = (proj / "b").glob("r-*/work/synth/synth.ys")
    assert "synth_ice40 -top demo" in ys.read_text()


def test_vhdl_on_the_open_flow_names_the_file(proj, ff):
    r = ff("build", _recipe(proj, "core: t:x:demo\ntarget: vhdl\nboard: icebreaker\n"),
                  "--dry-run", "--out", proj / "b")
    err = _one_line_exit_2(r)
    assert "demo.vhd" in err and "VHDL" in err and "vendor flow" in err


def test_recipe_clock_that_is_not_a_port_lists_the_ports(proj, ff):
    r = ff("build", _recipe(proj, "core: t:x:demo\nboard: icebreaker\n"
                                        "clocks: {clk_i: 12 MHz}\n"), "--dry-run", "--out", proj / "b")
    err = _one_line_exit_2(r)
    assert "'clk_i' is not a port of demo" in err and "clk, sw, q" in err


def test_out_of_context_ecp5_writes_routed_json_ice40_is_exit_2(proj, ff):
    r = ff("build", _recipe(proj, "core: t:x:demo\nboard: ulx3s\n"
                                        "options: {out_of_context: true}\n"),
                  "--dry-run", "--out", proj / "b")
    assert r.exit_code == 0, r.stderr
    (plan,) = (proj / "b").glob("r-*/plan.json")
    stages = {s["name"]: s for s in json.loads(plan.read_text())["stages"]}
    assert list(stages) == ["synth", "pnr"]                 # no pins, no bitstream
    cmd = stages["pnr"]["commands"][0]
    assert "--out-of-context" in cmd and "--write" in cmd and "--textcfg" not in cmd
    r = ff("build", _recipe(proj, "core: t:x:demo\nboard: icebreaker\n"
                                        "options: {out_of_context: true}\n"),
                  "--dry-run", "--out", proj / "b2")
    assert "out-of-context" in _one_line_exit_2(r)


def test_parameter_of_a_non_default_target_is_accepted(tmp_path, monkeypatch):
    monkeypatch.setenv("FPGAFLOW_CORES", str(CORES))
    info = corelib.find_core("fpgaflow-test:fusesoc:tsoc", corelib.core_roots(tmp_path / "r.yaml"))
    assert "PLL" in info.params_of("ulx3s") and "PLL" not in info.params_of("default")
    assert info.params_of("icebreaker")["WIDTH"]["default"] == 5     # is_toplevel? (WIDTH=5)
    assert info.toplevels["notop"] is None and info.toplevels["ulx3s"] == "tsoc_top"
    from fpgaflow import recipe
    r = tmp_path / "r.yaml"
    r.write_text("core: fpgaflow-test:fusesoc:tsoc\ntarget: ulx3s\nboard: ulx3s\n"
                 "parameters: {PLL: ECP5, WIDTH: 8}\n")
    assert recipe.load(r).parameters == {"PLL": "ECP5", "WIDTH": 8}
    r.write_text("core: fpgaflow-test:fusesoc:tsoc\nboard: ulx3s\nparameters: {PLL: ECP5}\n")
    with pytest.raises(Exception, match="no parameter 'PLL'"):
        recipe.load(r)


def test_memo_key_covers_fusesoc_conf_libraries_and_generator_scripts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    lib = tmp_path / "lib"
    (lib / "c").mkdir(parents=True)
    (lib / "c/gen.py").write_text("# v1\n")
    roots = (tmp_path / "none",)
    before = corelib.fingerprint(roots)
    (tmp_path / "fusesoc.conf").write_text(f"[library.mine]\nlocation = {lib}\n")
    with_conf = corelib.fingerprint(roots)
    assert with_conf != before and lib in corelib.config_libraries()
    (lib / "c/gen.py").write_text("# version 2\n")         # a generator script, not a .core
    assert corelib.fingerprint(roots) != with_conf


def test_defines_raw_and_include_dirs_unquoted():
    assert yosys.define_value("tsoc_fast") == "tsoc_fast"     # an identifier stays one
    assert yosys.define_value(True) == "1" and yosys.define_value(7) == "7"


def _netlist(ports: dict[str, int]) -> dict:
    bits = iter(range(2, 1000))
    return {"modules": {"top": {"attributes": {"top": 1}, "ports": {
        n: {"direction": "input", "bits": [next(bits) for _ in range(w)]}
        for n, w in ports.items()}}}}


def test_constraints_core_file_then_board_pins_then_unconstrained():
    spec = {"family": "ecp5", "format": "LPF", "default_standard": "LVCMOS33", "top": "top",
            "board": "ulx3s", "clocks": {"clk_in": 25.0},
            "core_text": 'LOCATE COMP "led[0]" SITE "B2"; # led0\n',
            "board_clocks": {"clk": {"pin": "G2"}},
            "board_pins": {"led": {"pins": ["B2", "C2"]}, "btn": {"pin": "D6"}}}
    text, rep = constraints.plan(spec, _netlist({"clk_in": 1, "led": 2, "btn": 1, "rst": 1}))
    assert rep["pins"]["led[0]"] == {"from": "core", "pin": "B2"}
    assert rep["pins"]["led[1]"] == {"from": "board", "pin": "C2"}
    assert rep["pins"]["clk_in"] == {"from": "board", "pin": "G2"}     # the board's only clock
    assert rep["unconstrained"] == 1 and rep["unconstrained_ports"] == ["rst"]
    assert text.index('"led[0]" SITE "B2"') < text.index('"led[1]" SITE "C2"')
    assert 'LOCATE COMP "led[0]"' not in text.split("generated by fpgaflow")[1]
    pcf = {**spec, "family": "ice40", "format": "PCF", "core_text": "set_io -nowarn rst 10\n"}
    _, rep = constraints.plan(pcf, _netlist({"rst": 1}))
    assert rep["pins"]["rst"] == {"from": "core", "pin": "10"} and rep["unconstrained"] == 0


def test_bitstream_refuses_auto_placed_pins_unless_allowed(tmp_path):
    rep = tmp_path / "constraints.json"
    rep.write_text(json.dumps({"ports": 3, "unconstrained": 1, "unconstrained_ports": ["rst"]}))
    stale = tmp_path / "old.bit"
    stale.write_text("x")
    assert constraints.main(["check", str(rep), "--remove", str(stale)]) == 1
    assert not stale.exists()                                  # no stale bitstream survives
    assert constraints.main(["check", str(rep), "--allow-unconstrained"]) == 0


def test_top_ports_ansi_and_non_ansi(tmp_path):
    class Ctx:
        top = "t"
        edam = {"files": [{"name": str(tmp_path / "t.v"), "file_type": "verilogSource"}]}
    (tmp_path / "t.v").write_text("module t #(parameter W = (2)) (input wire [W-1:0] a, b, "
                                  "// c\n output reg /* d */ q = 0);\nendmodule\n")
    assert yosys.top_ports(Ctx) == ["a", "b", "q"]
    (tmp_path / "t.v").write_text("module t(x, y);\ninput x; output y;\nendmodule\n")
    assert yosys.top_ports(Ctx) == ["x", "y"]
    Ctx.top = "other"
    assert yosys.top_ports(Ctx) is None


def test_board_pins_by_bit_name_too():
    spec = {"family": "ice40", "format": "PCF", "top": "top", "clocks": {},
            "board_pins": {"led[1]": {"pin": "27"}}}
    _, rep = constraints.plan(spec, _netlist({"led": 2}))
    assert rep["pins"]["led[1]"] == {"from": "board", "pin": "27"} and rep["pins"]["led[0]"] is None


def test_cores_lists_parameters_and_toplevel_per_target(ff, monkeypatch, tmp_path):
    monkeypatch.setenv("FPGAFLOW_CORES", str(CORES))
    monkeypatch.chdir(tmp_path)
    r = ff("cores", "--json", "--cores-root", CORES)
    tsoc = next(c for c in json.loads(r.stdout) if c["name"] == "fpgaflow-test:fusesoc:tsoc:1.0")
    assert tsoc["parameters"]["icebreaker"]["WIDTH"]["default"] == 5
    assert "PLL" in tsoc["parameters"]["ulx3s"] and "PLL" not in tsoc["parameters"]["default"]
    assert tsoc["toplevels"] == {"default": "tsoc_core", "icebreaker": "tsoc_top",
                                 "notop": None, "ulx3s": "tsoc_top"}


def test_compare_flags_a_synthesis_count_beside_a_placed_one():
    from fpgaflow import compare
    base = {"schema": "fpgaflow.summary/1", "status": "passed", "name": "a"}
    synth = {**base, "resources": {"lut": {"used": 41, "unit": "LUT4", "stage": "synth"}}}
    pnr = {**base, "name": "b", "resources": {"lut": {"used": 47, "unit": "LUT4", "stage": "pnr"}}}
    row = next(r for r in compare.table([synth, pnr]) if r.metric == "lut.used")
    assert row.cells == ["41 LUT4 [synth]", "47 LUT4 [pnr]"]
    row = next(r for r in compare.table([pnr, pnr]) if r.metric == "lut.used")
    assert row.cells == ["47 LUT4", "47 LUT4"]


def test_lut_is_one_quantity_per_family_and_says_its_stage():
    from fpgaflow.reports import quantities
    cells = {"LUT4": 30, "CCU2C": 5, "TRELLIS_FF": 9}
    s = {"resources": {"lut": {"used": 30, "unit": "LUT4"}, "ff": {"used": 9}}}
    quantities.stage_resources(s, {"synth": {"resources": {"lut": {"used": 30}, "ff": {"used": 9}},
                                             "cells": cells}}, "ecp5")
    assert s["resources"]["lut"] == {"used": 40, "unit": "LUT4", "stage": "synth"}  # 30 + 2*5
    s = {"resources": {"lut": {"used": 47, "unit": "LC"}}}
    quantities.stage_resources(s, {"synth": {"resources": {"lut": {"used": 30}},
                                             "cells": {"SB_LUT4": 30}},
                                   "pnr": {"resources": {"lut": {"used": 47}}}}, "ice40")
    assert s["resources"]["lut"] == {"used": 47, "unit": "LC", "stage": "pnr",
                                     "by_stage": {"synth": 30, "pnr": 47}}


def test_core_fusesoc_drops_without_naming_the_file_is_named(proj, ff):
    """corescore.core: a script cmd `print(open('post-instructions.txt','r').read())`, which
    FuseSoC 2.4's expression parser rejects with a warning that names no file; the core is
    then only "unknown"."""
    (proj / "cores/x/scripted.core").write_text(
        "CAPI=2:\nname: ::scripted:0\nfilesets:\n  rtl:\n    files: [rtl/demo.v]\n"
        "    file_type: verilogSource\ntargets:\n  default:\n    filesets: [rtl]\n"
        "    toplevel: demo\n    hooks:\n      post_run: [show]\nscripts:\n  show:\n"
        "    cmd: [\"python3\", \"-c\", \"print(open('notes.txt','r').read())\"]\n")
    r = ff("build", _recipe(proj, "core: scripted\nboard: icebreaker\n"), "--dry-run",
           "--out", proj / "b")
    err = _one_line_exit_2(r)
    assert "scripted.core names it, but FuseSoC could not read that file" in err, err
    assert "print(open(" in err
