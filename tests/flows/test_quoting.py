"""Recipe strings on their way into Tcl, SDC, XDC, LPF/PCF: quoted or refused (issue 16)."""

import json
import subprocess
from pathlib import Path

import pytest

from fpgaflow.errors import FpgaflowError
from fpgaflow.quoting import clock_port, comment_text, tcl_word

NASTY = ["clk", "a b", "x]; exec touch pwned; #", "$env(HOME)", "[exec id]", "{", "}", "a{b",
         "tail\\", "line\nexec touch x\n#", "semi;colon", '"quoted"', "tab\there", "", "\\{",
         "}{", "#comment", "cr\rlf", "ü∑", "a\\nb"]


def test_tcl_word_is_literal_in_tclsh():
    script = "".join(f"puts [string length [set v{i} {tcl_word(s)}]]\n"
                     f"puts -nonewline $v{i}; puts \"\\n<end>\"\n" for i, s in enumerate(NASTY))
    proc = subprocess.run(["tclsh"], input=script.encode(), capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()                # bytes: text mode would turn '\r' into '\n'

    for s in NASTY:
        n, _, out = out.partition("\n")
        assert int(n) == len(s), s
        value, out = out[:len(s)], out[len(s):]
        assert value == s and out.startswith("\n<end>\n"), s
        out = out[len("\n<end>\n"):]


@pytest.mark.parametrize("bad", ["clk]\nexec touch x\n#", "clk\n", "c lk", 'c"k', "clk;", "1clk",
                                 "clk[0]", "x" * 201, "", 7])
def test_clock_port_refuses_what_is_not_a_port_name(bad):
    with pytest.raises(FpgaflowError) as exc:
        clock_port(bad)
    assert len(str(exc.value)) < 400          # never the whole value


def test_clock_port_accepts_hdl_names_and_comments_stay_one_line():
    for ok in ("clk", "CLK_100", "_c", "sys$clk", "c" * 200):
        assert clock_port(ok) == ok
    assert "\n" not in comment_text("a\nb\r\nc")


INJECT = "clk]\nexec touch x\n#"


@pytest.mark.parametrize("recipe,flow,files", [
    ("blinky_zcu104.yaml", "vivado", ["work/synth/fpgaflow.xdc"]),
    ("blinky_de10nano_quartus.yaml", "quartus", ["work/synth/fpgaflow.sdc",
                                                 "work/synth/quartus_settings.tcl"]),
    ("blinky_ulx3s.yaml", "open", ["work/pnr/clocks.sdc", "work/pnr/pins.lpf"]),
    ("blinky_tangnano9k.yaml", "open", ["work/pnr/clocks.sdc"]),
    ("blinky_tinyfpgaa2.yaml", "open", ["work/pnr/clocks.sdc"]),
], ids=["vivado", "quartus", "open", "gowin", "machxo2"])
def test_injected_clock_name_never_reaches_a_constraint_file(run_cli, no_vendor, repo, tmp_path,
                                                             recipe, flow, files):
    text = (repo / "recipes" / recipe).read_text()
    bad = tmp_path / "recipes" / recipe
    bad.parent.mkdir()
    clock = json.dumps(INJECT)
    bad.write_text("\n".join(f"clocks: {{{clock}: 100 MHz}}" if line.startswith("clocks:")
                             else line for line in text.splitlines()
                             if not line.startswith("flow:")) + "\nflow: " + flow + "\n")
    res = run_cli("build", bad, "--out", no_vendor, "--dry-run", "--json")
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "clock" in res.stderr
    for f in no_vendor.rglob("*"):
        if f.is_file() and f.suffix in (".xdc", ".sdc", ".tcl", ".lpf", ".pcf", ".cst", ".pdc"):
            assert "exec touch" not in f.read_text(), f
    for rel in files:                         # nothing written for the refused recipe
        assert not list(no_vendor.glob(f"*/{rel}"))


def test_board_pin_values_are_quoted_for_tcl(repo):
    from fpgaflow.flows.vivado import render
    xdc = render("vivado.xdc.j2", name="n\nexec x", board="b", part="p",
                 clocks=[{"name": "clk", "period": "10.000"}],
                 pins=[{"name": "clk", "pin": "E3]; exec y; #", "standard": "LVCMOS33"}])
    assert "\nexec" not in xdc
    proc = subprocess.run(["tclsh"], input="proc create_clock args {}\nproc get_ports args {}\n"
                          "proc set_property {d v o} { puts [dict get $v PACKAGE_PIN] }\n" + xdc,
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and proc.stdout.strip() == "E3]; exec y; #", proc.stderr


def _writers():
    """Every constraint writer, called with a recipe context whose clock is ``name`` (the
    recipe loader refuses such names too; this holds the writers to it on their own)."""
    from types import SimpleNamespace

    from fpgaflow.flows import _pnr, open as open_flow, quartus, vivado
    board = SimpleNamespace(name="b", part="p", clocks={}, pins={})

    def ctx(name):
        board.clocks = {name: {"pin": "A1"}}
        return SimpleNamespace(name="n", clocks={name: 100.0}, board=board)
    fam = SimpleNamespace(clock_net="{port}", clock_by="get_ports")
    return {"vivado.xdc": lambda n: vivado.xdc(ctx(n), ooc=False),
            "quartus.sdc": lambda n: quartus.sdc(ctx(n)),
            "open.sdc": lambda n: open_flow.sdc({n: 100.0}),
            "families.sdc": lambda n: _pnr.sdc(ctx(n), fam)}


@pytest.mark.parametrize("writer", sorted(_writers()))
def test_every_constraint_writer_refuses_a_non_port_clock(writer):
    write = _writers()[writer]
    assert write("clk")                       # a port name is written
    with pytest.raises(FpgaflowError, match="not a port name"):
        write(INJECT)
