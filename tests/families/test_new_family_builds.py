"""blinky on one board of each newer open family, real tools from PyPI: Yosys, nextpnr
(himbaechel gowin/gatemate, nexus, machxo2) and the family's bitstream packer.

The summary's numbers must be those the tools wrote, and the bitstream must be there.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# recipe -> (LUT bel, FF bel, bitstream file, how the packer's output starts)
BOARDS = {
    "blinky_tangnano9k.yaml": ("LUT4", "DFF", "top.fs", b"1111111111111111"),     # ASCII bits
    "blinky_crosslinknx.yaml": ("OXIDE_COMB", "OXIDE_FF", "top.bit", b"LSCC"),
    "blinky_tinyfpgaa2.yaml": ("TRELLIS_COMB", "TRELLIS_FF", "top.bit",
                               b"\xff\x00Part: LCMXO2-1200HC-4SG32C"),
    "blinky_gatemate.yaml": ("CPE_LT", "CPE_FF", "top.bit", b""),
}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The four builds, started at once (each is mostly one single-threaded tool)."""
    out = tmp_path_factory.mktemp("families")
    procs = {r: subprocess.Popen([sys.executable, "-m", "fpgaflow", "build",
                                  str(REPO / "recipes" / r), "--out", str(out), "--json"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for r in sorted(BOARDS)}
    done = {r: (p.communicate(timeout=900), p.returncode) for r, p in procs.items()}
    return out, done


@pytest.mark.parametrize("recipe", sorted(BOARDS))
def test_blinky_builds_to_a_bitstream(builds, recipe):
    out, done = builds
    lut_bel, ff_bel, bitfile, magic = BOARDS[recipe]
    (stdout, stderr), code = done[recipe]
    assert code == 0, stderr[-3000:]
    s = json.loads(stdout)
    assert s["status"] == "passed" and s["flow"] == "open" and s["estimate"] is False
    assert [(st["name"], st["status"]) for st in s["stages"]] == \
        [("sim", "passed"), ("synth", "passed"), ("constraints", "passed"), ("pnr", "passed"),
         ("bitstream", "passed")]
    bdir = out / f"{s['name']}-{s['digest'][:8]}"
    util = json.loads((bdir / "reports/pnr_report.json").read_text())["utilization"]
    res = s["resources"]
    assert res["lut"]["used"] == util[lut_bel]["used"] > 0
    assert res["ff"]["used"] == util[ff_bel]["used"] == 24          # the counter's 24 bits
    assert res["lut"]["available"] == util[lut_bel]["available"]
    assert res["io"]["used"] == 6 and res["io"]["unconstrained"] == 0   # clk, rst, led[3:0]
    # the package's user I/O, not the die's sites nextpnr offers (kept as sites)
    pkg_io = {"blinky_tangnano9k": (71, 276), "blinky_tinyfpgaa2": (21, 108),
              "blinky_gatemate": (162, None)}.get(s["name"])
    if pkg_io:
        assert (res["io"]["available"], res["io"].get("sites")) == pkg_io
    (clk,) = s["timing"]["clocks"]
    assert clk["name"] == "clk" and clk["target_mhz"] == 100.0      # the SDC reached nextpnr
    log = (bdir / "logs/pnr.log").read_text()
    assert f"{clk['fmax_mhz']:.2f} MHz (PASS at 100.00 MHz)" in log   # not nextpnr's default
    ext = bitfile[bitfile.rindex("."):]
    assert s["artifacts"] == {"bitstream": s["name"] + ext}      # in the build dir, named
    bits = bdir / s["artifacts"]["bitstream"]
    assert bits.stat().st_size > 1000 and bits.read_bytes().startswith(magic)
    tools = {t["name"] for t in s["tools"]}
    assert "yosys" in tools and any(t.startswith("nextpnr") for t in tools) and len(tools) >= 4
