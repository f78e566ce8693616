"""The one EDAM walk and the HDL literal formatters every flow uses (fpgaflow.edam)."""

from __future__ import annotations

from edalize.edatool import jinja_filter_param_value_str

from fpgaflow import edam
from fpgaflow.flows import sim, yosys

EDAM = {"files": [
    {"name": "inc/defs.vh", "file_type": "verilogSource", "is_include_file": True},
    {"name": "rtl/a.v", "file_type": "verilogSource-2005"},
    {"name": "rtl/b.sv", "file_type": "systemVerilogSource"},
    {"name": "tb/tb.v", "file_type": "verilogSource", "tags": ["simulation"]},
    {"name": "inc/more.vh", "file_type": "verilogSource", "is_include_file": True,
     "include_path": "inc"},
    {"name": "rom.hex", "file_type": "user"},
    {"name": "hls/k.cpp", "file_type": "cppSource"},
    {"name": "pins.lpf", "file_type": "LPF"},
], "parameters": {"W": {"paramtype": "vlogparam", "default": 8},
                  "NAME": {"paramtype": "vlogparam", "default": "abc"},
                  "FAST": {"paramtype": "vlogdefine", "default": True},
                  "NODEF": {"paramtype": "vlogparam"}}}


def test_one_walk_for_synthesis_and_simulation():
    syn = edam.files(EDAM, synthesis=True)
    assert syn.hdl == [("rtl/a.v", "verilogSource"), ("rtl/b.sv", "systemVerilogSource")]
    assert syn.include_dirs == ["inc"]                      # once, in order
    assert syn.data == ["rom.hex"] and syn.c == ["hls/k.cpp"]
    assert "tb/tb.v" not in syn.inputs and "pins.lpf" not in syn.inputs
    assert {"rom.hex", "inc/defs.vh", "rtl/a.v"} <= set(syn.inputs)
    every = edam.files(EDAM)
    assert ("tb/tb.v", "verilogSource") in every.hdl and "pins.lpf" in every.inputs


def test_literals_are_edalizes():
    for value in (True, False, 0, 12, 1.5, "abc", ""):
        assert edam.vlog_literal(value) == jinja_filter_param_value_str(value, '"')
        assert edam.define_value(value) == jinja_filter_param_value_str(value, "")
    assert edam.vlog_literal("abc") == '"abc"' and edam.define_value("abc") == "abc"
    assert edam.vlog_literal(True) == "1"
    # the simulators and Yosys write parameters with the same formatter
    assert sim._vlog("x") == yosys._param_value("x") == '"x"'


def test_yosys_literals_have_no_minus_sign():
    # chparam parses with RTLIL::SigSpec::parse: '-1' is "Can't decode value"
    assert edam.yosys_literal(-1) == "32'sb" + "1" * 32
    assert edam.yosys_literal(-2) == "32'sb" + "1" * 31 + "0"
    assert edam.yosys_literal(-2**31) == "32'sb1" + "0" * 31                 # still 32 bits
    assert edam.yosys_literal(-2**31 - 1) == "33'sb10" + "1" * 31           # wider: its bits
    assert edam.yosys_literal(-5, 8) == "8'sb11111011"                      # a declared width
    assert edam.yosys_literal(-300, 8) == "8'sb11010100"                    # truncated, as Verilog
    for value in (True, False, 0, 7, 2**40, 1.5, -1.5, "abc", "-1"):       # the rest: as before
        assert edam.yosys_literal(value) == edam.vlog_literal(value)
    assert sim._vlog(-1) == "-1"                    # the simulators take the minus sign


def test_parameters_by_type():
    assert edam.parameters(EDAM, "vlogparam") == {"W": 8, "NAME": "abc"}
    assert edam.parameters(EDAM, "vlogdefine") == {"FAST": True}
    assert "NODEF" not in edam.parameters(EDAM)
