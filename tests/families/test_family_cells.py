"""Yosys cells and nextpnr bels of the newer open families, as the summary counts them.

The fixtures are real: tests/families/cores/cells (a carry chain, flip-flops, a multiplier,
a block RAM, a LUT RAM, six pins) built here with ``fpgaflow build`` (YoWASP Yosys 0.70,
nextpnr 0.11.1) on tangnano9k, crosslink-nx-evn (``--router router1``), tinyfpga-a2 and
gatemate-evb, ``stages: [synth, pnr]``, 50 MHz; their ``reports/synth_stat.json`` and
``reports/pnr_report.json`` copied as they were written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fpgaflow.boards import devices
from fpgaflow.reports import nextpnr, quantities, yosys

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "reports"

# family -> (stat -json fixture, nextpnr report fixture, device)
FAMILIES = {
    "gowin": ("y070_cells_gowin.statjson", "gowin_gw1nr9_cells_report.json", "gw1nr-9"),
    "nexus": ("y070_cells_nexus.statjson", "nexus_lifcl40_cells_report.json", "lifcl-40"),
    "machxo2": ("y070_cells_machxo2.statjson", "machxo2_1200hc_cells_report.json",
                "lcmxo2-1200hc"),
    "gatemate": ("y070_cells_gatemate.statjson", "gatemate_ccgm1a1_cells_report.json", "ccgm1a1"),
}

# cells that are no resource of the summary: constants, wide-function muxes (as Xilinx
# MUXF7), the global clock buffer
NOT_RESOURCES = {"GND", "VCC", "VHI", "VLO", "MUX2_LUT5", "MUX2_LUT6", "MUX2_LUT7", "MUX2_LUT8",
                 "CC_BUFG"}

# what Yosys' cells of each fixture add up to (used, unit), counted by hand from the cells
SYNTH = {
    "gowin": {"lut": (3 + 3 + 1 + 49, "LUT4"), "ff": (75 + 31 + 24 + 1, "DFF"),
              "carry": (24, "ALU"), "dsp": (1, "MULT18X18"), "bram": (1, "BSRAM"),
              "lutram": (1, "RAM16SDP4"), "io": (6, "pin")},
    "nexus": {"lut": (22 + 1 + 2 * 2, "LUT4"), "ff": (55 + 1, "FF"), "carry": (13, "CCU2"),
              "dsp": (1, "MULT18"), "bram": (1, "EBR"), "lutram": (1, "DPR16X4"),
              "io": (6, "pin")},
    "machxo2": {"lut": (695, "LUT4"), "ff": (131, "FF"), "carry": (28, "CCU2D"),
                "bram": (1, "DP8KC"), "lutram": (1, "TRELLIS_DPR16X4")},
    "gatemate": {"lut": (35 + 29 + 58 + 24 + 20, "CC_LUT"), "ff": (196, "FF"),
                 "carry": (24, "CC_ADDF"), "dsp": (1, "CC_MULT"), "bram": (1, "RAM_HALF"),
                 "io": (6, "pin")},
}
# the multiplier, RAMs and LUT RAM nextpnr placed, by bel
PLACED = {
    "gowin": {"dsp": "MULT18X18", "bram": "BSRAM", "lutram": "RAM16SDP4", "carry": "ALU",
              "lut": "LUT4", "ff": "DFF", "io": "IOB"},
    "nexus": {"dsp": "MULT18_CORE", "bram": "OXIDE_EBR", "lutram": "RAMW", "lut": "OXIDE_COMB",
              "ff": "OXIDE_FF"},
    "machxo2": {"bram": "DP8KC", "lutram": "TRELLIS_RAMW", "lut": "TRELLIS_COMB",
                "ff": "TRELLIS_FF", "io": "TRELLIS_IO"},
    "gatemate": {"bram": "RAM_HALF", "lut": "CPE_LT", "ff": "CPE_FF", "io": "GPIO"},
}


def _read(name: str) -> str:
    return (FIX / ("yosys" if name.endswith("statjson") else "nextpnr") / name).read_text()


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_yosys_cell_of_the_family_is_counted(family):
    out = yosys.parse_stat_json(_read(FAMILIES[family][0]))
    unknown = [c for c in out["cells"] if yosys.classify(c) is None and c not in NOT_RESOURCES]
    assert unknown == [], unknown
    got = {k: (v["used"], v["unit"]) for k, v in out["resources"].items()}
    assert got == SYNTH[family]


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_nextpnr_bels_of_the_family_are_counted_against_the_device(family):
    _, report, key = FAMILIES[family]
    out = nextpnr.parse_report_json(_read(report))
    util = json.loads(_read(report))["utilization"]
    dev = devices()[key]
    for res, bel in PLACED[family].items():
        assert util[bel]["used"] > 0, bel                     # the design uses each class
        entry = out["resources"][res]
        assert entry["used"] == util[bel]["used"] or res == "io", (res, bel)
        if res in dev.resources and res != "io":
            assert entry["available"] == dev.resources[res]["count"], res
    # the multiplier, block RAM and LUT RAM are one each, at both stages, in every family
    synth = yosys.parse_stat_json(_read(FAMILIES[family][0]))["resources"]
    for res in ("dsp", "bram", "lutram"):
        if res in PLACED[family]:
            assert out["resources"][res]["used"] == synth[res]["used"] == 1, res


def test_names_two_vendors_share_are_read_by_the_family_whose_cells_are_there():
    gowin = yosys.resources_from_cells({"LUT1": 3, "LUT4": 2, "DFFRE": 1})
    assert gowin["lut"] == {"used": 5, "unit": "LUT4"}           # not Xilinx LUT6
    xilinx = yosys.resources_from_cells({"LUT1": 3, "LUT4": 2, "FDRE": 1})
    assert xilinx["lut"] == {"used": 5, "unit": "LUT6"}
    nexus = yosys.resources_from_cells({"INV": 1, "LUT4": 2, "FD1P3IX": 1, "MULT18X18": 1})
    assert nexus["lut"] == {"used": 3, "unit": "LUT4"} and nexus["dsp"]["unit"] == "MULT18"
    ecp5 = yosys.resources_from_cells({"LUT4": 2, "TRELLIS_FF": 1})
    assert ecp5["lut"] == {"used": 2, "unit": "LUT4"}
    assert yosys.resources_from_cells({"MULT18X18": 1, "DFF": 1})["dsp"]["unit"] == "MULT18X18"


@pytest.mark.parametrize("family,synth_lut,placed_lut", [
    ("gowin", 56, 167), ("nexus", 22 + 1 + 2 * 2 + 2 * 13, 58), ("machxo2", 695 + 2 * 28, 767)])
def test_the_lut_quantity_of_each_family_at_both_stages(family, synth_lut, placed_lut):
    stat, report, _ = FAMILIES[family]
    y = yosys.parse_stat_json(_read(stat))
    n = nextpnr.parse_report_json(_read(report))
    summary = {"resources": {"lut": dict(n["resources"]["lut"])}}
    quantities.stage_resources(summary, {"synth": y, "pnr": n}, family)
    lut = summary["resources"]["lut"]
    assert lut["stage"] == "pnr" and lut["unit"] == "LUT4"
    assert lut["by_stage"] == {"synth": synth_lut, "pnr": placed_lut}
