"""Multipliers of Gowin and Lattice Nexus at place-and-route, as ``resources.dsp`` counts them.

nextpnr-himbaechel-gowin places each DSP primitive on a bel of its own type (MULT9X9,
MULT36X36, ALU54D, ...) and nextpnr-nexus builds every multiplier of MULT9_CORE bels; the
summary counted only the MULT18X18 and MULT18_CORE bels, so a placed 9x9 or 36x36 multiplier
was 0 DSP. Each family's unit is one 18x18 multiplier, as its datasheet counts them
(nextpnr.DSP_SHARES says why each bel counts what it does).

The fixtures are real: excerpts (the utilisation block and the final Fmax line) of the nextpnr
logs of tests/families/cores/dsp built here with ``fpgaflow build`` (YoWASP Yosys 0.70,
nextpnr 0.11.1), ``stages: [synth, pnr]``, 20 MHz, on tangnano9k (GW1NR-9), tangnano20k
(GW2AR-18) and crosslink-nx-evn (LIFCL-40), with the core targets and parameters of CASES.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fpgaflow.boards import devices
from fpgaflow.reports import ReportError, nextpnr, parse_text, yosys

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "nextpnr"

# fixture -> (core target and parameters, Yosys' DSP and flip-flop cells of the same build,
#             dsp used, device)
CASES = {
    "gowin_gw1nr9_mult9x9_x3": ("default AW=8 BW=8 N=3", {"MULT9X9": 3, "DFFR": 63}, 1.5,
                                "gw1nr-9"),
    "gowin_gw1nr9_mult36x36": ("default AW=32 BW=32 N=1", {"MULT36X36": 1, "DFFR": 63}, 4,
                               "gw1nr-9"),
    "gowin_gw1nr9_multaddalu18x18": ("gowin KIND=2 N=1", {"MULTADDALU18X18": 1, "DFFR": 63}, 2,
                                     "gw1nr-9"),
    "gowin_gw1nr9_multalu36x18_x10": ("gowin KIND=1 N=10", {"MULTALU36X18": 10, "DFFR": 63},
                                      20, "gw1nr-9"),
    "gowin_gw1nr9_alu54d_x10": ("gowin KIND=3 N=10", {"ALU54D": 10, "DFFR": 63}, 20, "gw1nr-9"),
    "gowin_gw2ar18_mult9x9": ("default AW=8 BW=8 N=1", {"MULT9X9": 1, "DFFR": 63}, 0.5,
                              "gw2ar-18"),
    "nexus_lifcl40_mult9x9_x3": ("nexus KIND=0 N=3", {"MULT9X9": 3, "FD1P3IX": 63}, 1.5,
                                 "lifcl-40"),
    "nexus_lifcl40_mult18x36": ("default AW=18 BW=36 N=1", {"MULT18X36": 1, "FD1P3IX": 63}, 2,
                                "lifcl-40"),
    "nexus_lifcl40_mult36x36": ("default AW=32 BW=32 N=1", {"MULT36X36": 1, "FD1P3IX": 63}, 4,
                                "lifcl-40"),
    "nexus_lifcl40_multaddsub18x18": ("nexus KIND=2 N=1", {"MULTADDSUB18X18": 1, "FD1P3IX": 63},
                                      1, "lifcl-40"),
}


def _log(name: str) -> str:
    return (FIX / f"{name}_excerpt.log").read_text()


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_placed_multiplier_counts_as_at_synthesis(name):
    _, cells, used, device = CASES[name]
    cap = devices()[device].resources["dsp"]
    placed = nextpnr.parse_log(_log(name))["resources"]["dsp"]
    assert placed == {"used": used, "available": cap["count"], "unit": cap["unit"]}
    synth = yosys.resources_from_cells(cells)["dsp"]
    assert synth == {"used": used, "unit": cap["unit"]}


def test_the_pre_adders_registers_and_adders_of_a_multiplier_do_not_count_again():
    """A 36x36 on Nexus is 8 MULT9_CORE with 8 PREADD9_CORE, 4 REG18_CORE, 4 MULT18_CORE,
    2 MULT18X36_CORE and a MULT36_CORE: four 18x18 multipliers, not 27."""
    out = nextpnr.parse_log(_log("nexus_lifcl40_mult36x36"))
    bels = {b: e["used"] for b, e in out["bels"].items() if e["used"] and "CORE" in b}
    assert bels == {"MULT9_CORE": 8, "PREADD9_CORE": 8, "REG18_CORE": 4, "MULT18_CORE": 4,
                    "MULT18X36_CORE": 2, "MULT36_CORE": 1, "SEIO33_CORE": 6}
    assert out["resources"]["dsp"]["used"] == 4


@pytest.mark.parametrize("report,device", [
    ("gowin_gw1nr9_cells_report.json", "gw1nr-9"), ("nexus_lifcl40_cells_report.json", "lifcl-40")])
def test_each_dsp_bel_type_filled_to_its_count_is_the_whole_device(report, device):
    """The shares are nextpnr's own capacities: every DSP bel type of the database, times
    its share, is the datasheet's count of 18x18 multipliers."""
    util = json.loads((FIX / report).read_text())["utilization"]
    count = devices()[device].resources["dsp"]["count"]
    types = [bel for bel in nextpnr.DSP_SHARES if bel in util]
    assert types
    for bel in types:
        assert util[bel]["available"] * nextpnr.DSP_SHARES[bel][1] == count, bel
    bels = nextpnr.parse_log(_log("gowin_gw2ar18_mult9x9"))["bels"]
    for bel in nextpnr.DSP_SHARES:
        if bel in bels:
            assert bels[bel]["available"] * nextpnr.DSP_SHARES[bel][1] == 48, bel


def test_ten_alu54d_fill_the_gw1nr9_and_synthesis_says_so():
    """Ten ALU54D and one MULT18X18 more: nextpnr cannot place the MULT18X18 (the run is
    refused as failed), and the Yosys cells of that build already count 21 of 20."""
    with pytest.raises(ReportError, match="Unable to find legal placement for cell 'm\\[0\\].u' "
                                          "of type 'MULT18X18'"):
        parse_text((FIX / "gowin_gw1nr9_alu54d_x10_mult18x18_fail_excerpt.log").read_text())
    assert yosys.resources_from_cells({"ALU54D": 10, "MULT18X18": 1, "DFFR": 63})["dsp"] == {
        "used": 21, "unit": "MULT18X18"}
