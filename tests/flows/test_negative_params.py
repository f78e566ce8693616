"""A negative integer parameter reaches Yosys: chparam cannot decode ``-1`` (Yosys 0.70:
``ERROR: Can't decode value '-1'!``), so the synth script writes it as a two's complement
signed constant at the width the top declares (32 bits for ``integer``), and the plan notes
a parameter the top declares untyped, which Yosys gives the unsigned value.

The build is real (YoWASP Yosys, synth only, tests/flows/cores/negparam): every output of
the core is a constant, so the netlist's port bits are the values the parameters had."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fpgaflow.flows import yosys

CORES = Path(__file__).resolve().parent / "cores"

RECIPE = """name: negparam
core: fpgaflow-test:flows:negparam
board: icebreaker
stages: [synth]
parameters: {P: -1, S: -5, W: -5000000000, U: -1, N: 7}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("negparam")
    (tmp / "neg.yaml").write_text(RECIPE)
    proc = subprocess.run([sys.executable, "-m", "fpgaflow", "build", str(tmp / "neg.yaml"),
                           "--out", str(tmp / "out"), "--json"], capture_output=True, text=True,
                          timeout=600, env={**os.environ, "FPGAFLOW_CORES": str(CORES)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    s = json.loads(proc.stdout)
    return s, tmp / "out" / f"negparam-{s['digest'][:8]}"


def _ports(bdir: Path) -> dict[str, int]:
    """Each output port's constant value (its bits LSB first, each "0" or "1")."""
    netlist = json.loads((bdir / "work/synth/netlist.json").read_text())
    ports = netlist["modules"]["negparam"]["ports"]
    assert all(b in ("0", "1") for p in ports.values() for b in p["bits"])
    return {name: int("".join(reversed(p["bits"])), 2) for name, p in ports.items()}


def test_the_netlist_sees_the_negative_values(built):
    s, bdir = built
    assert s["status"] == "passed"
    v = _ports(bdir)
    assert v["p"] == 0xFFFF_FFFF and v["p_neg"] == 1                   # integer P = -1
    assert v["s"] == (-5 & 0xFF) and v["s_neg"] == 1                   # signed [7:0] S = -5
    assert v["w"] == (-5_000_000_000 & (2**40 - 1)) and v["w_neg"] == 1  # wider than 32 bits
    assert v["n"] == 7
    # untyped: the bits of -1, compared as unsigned -- what the plan's note says
    assert v["u"] == 0xFFFF_FFFF and v["u_neg"] == 0
    ys = (bdir / "work/synth/synth.ys").read_text()
    assert "chparam -set P 32'sb" + "1" * 32 + " negparam" in ys
    assert "chparam -set S 8'sb11111011 negparam" in ys                  # its declared width
    assert "chparam -set W 40'sb" in ys and "chparam -set N 7 negparam" in ys


def test_only_the_untyped_parameter_is_noted(built):
    s, _ = built
    about = [n for n in s["notes"] if "goes to Yosys as" in n]
    assert len(about) == 1, s["notes"]
    assert about[0].startswith("parameter U = -1 goes to Yosys as the 32-bit two's complement")
    assert "negparam declares U untyped" in about[0] and "unsigned value 4294967295" in about[0]


class _Ctx:
    top = "top"

    def __init__(self, path: Path):
        self.edam = {"files": [{"name": str(path), "file_type": "verilogSource"}]}


def test_declarations_as_the_top_writes_them(tmp_path):
    src = tmp_path / "top.v"
    src.write_text(
        "module other #(parameter integer A = 1) (); endmodule\n"
        "module top #(parameter integer A = 1, B = (2 + 3), // B is integer too\n"
        "             parameter C = \"x,y=z\", parameter signed [7:0] D = -1,\n"
        "             parameter E = F == 1 ? 2 : 3)\n"
        "  (input clk);\n"
        "  parameter [63:0] G = {2{32'd0}}, H = 1;\n"
        "  localparam L = 1;\n"
        "  /* parameter X = 1; */\n"
        "endmodule\n")
    ctx = _Ctx(src)
    assert yosys._verilog_params(ctx) == {"A": "integer", "B": "integer", "C": "",
                                          "D": "signed [7:0]", "E": "", "G": "[63:0]",
                                          "H": "[63:0]"}
    ctx.top = "absent"
    assert yosys._verilog_params(ctx) is None


@pytest.mark.parametrize("spec,exact,width", [
    ("integer", True, 32), ("int unsigned", True, 32), ("longint", True, 64),
    ("signed [7:0]", True, 8), ("[0:63]", True, 64), ("signed", True, None),
    ("", False, None), (None, False, None), ("signed [W-1:0]", False, None),
    ("real", False, None)])
def test_declared_width(spec, exact, width):
    assert yosys._declared_width(spec) == (exact, width)


def test_a_declaration_not_read_is_noted(tmp_path):
    ctx = _Ctx(tmp_path / "none.v")
    literal, note = yosys._negative_param(ctx, "Q", -2, None)
    assert literal == "32'sb" + "1" * 31 + "0"
    assert "no declaration of Q in top was read" in note and "4294967294" in note
    literal, note = yosys._negative_param(ctx, "Q", -2, {"Q": "logic signed [W-1:0]"})
    assert "top declares Q `logic signed [W-1:0]`" in note
    assert yosys._negative_param(ctx, "Q", -2, {"Q": "integer"}) == (literal, None)
