"""ISE reports in the layouts real ones have (checked against public MAP/PAR/TRACE reports
of Spartan-3/3E/3A, Spartan-6, Virtex-5 and Artix-7 runs; the fixtures are written here in
those layouts, with their own numbers)."""

from __future__ import annotations

from pathlib import Path

from fpgaflow.reports import ise, parse_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports" / "ise"


def test_spartan3e_par_design_summary_rows_have_no_colon():
    """ISE 9-11 PAR: ``Number of External IOBs   42 out of 158   26%`` (no colon), and
    ``MULT18x18s`` with a lower-case x. It was 'no Number of ... rows' (exit 2)."""
    p = parse_file(FIXTURES / "par_10.1_spartan3e_design_summary.par")
    assert p["device"]["part"] == "xc3s500epq208-4"
    assert p["tools"] == [{"name": "ise", "version": "10.1"}]
    assert p["resources"] == {
        "io": {"used": 42, "available": 158, "unit": "pin"},      # not the LOCed sub-rows
        "bram": {"used": 5, "available": 20, "unit": "RAMB16"},
        "dsp": {"used": 2, "available": 20, "unit": "MULT18X18"},
    }


def test_virtex5_par_device_utilization_summary():
    """``Number of Slice LUTS`` (upper-case S), ``RAMB36_EXPs``, ``DSP48Es``, no colons."""
    r = parse_file(FIXTURES / "par_11.5_virtex5_device_summary.par")["resources"]
    assert r["lut"] == {"used": 5033, "available": 28800, "unit": "LUT6"}
    assert r["ff"] == {"used": 4120, "available": 28800, "unit": "FF"}
    assert r["bram"] == {"used": 12, "available": 60, "unit": "RAMB36"}
    assert r["dsp"] == {"used": 8, "available": 48, "unit": "DSP48E"}
    assert r["io"] == {"used": 64, "available": 480, "unit": "pin"}


def test_spartan3a_map_counts_logic_luts_and_ramb16bwe():
    """Spartan-3 MAP: the ``Number of 4 input LUTs`` row (logic), not ``Total Number of 4
    input LUTs`` (with route-thrus); Spartan-3A block RAM is ``RAMB16BWEs``."""
    r = parse_file(FIXTURES / "map_14.7_spartan3_logic_utilization.mrp")["resources"]
    assert r["lut"] == {"used": 988, "available": 7168, "unit": "LUT4"}
    assert r["bram"] == {"used": 2, "available": 20, "unit": "RAMB16"}
    assert r["dsp"] == {"used": 3, "available": 20, "unit": "MULT18X18"}


def test_one_row_per_resource_io_not_added_twice():
    text = ("Release 14.7 Map P.20131013 (lin64)\nDesign Summary\n"
            "  Number of bonded IOBs:                        23 out of     102   22%\n"
            "  Number of External IOBs                  23 out of 102    22%\n")
    assert ise.parse_utilization(text)["resources"]["io"]["used"] == 23


def test_twr_period_in_mhz_and_a_derived_wrapped_constraint():
    """``PERIOD TIMEGRP "sys_clk_pin" 100 MHz HIGH \\n50%;`` (a UCF in kHz/MHz, wrapped at
    80 columns) and a DCM output derived from it, ``TS_sys_clk_pin\\n/ 2``: both clocks,
    with their periods; the slack is the setup path's, not the hold path's or the
    component switching limit's ``Slack: 8.270ns (period - min period limit)``."""
    t = parse_file(FIXTURES / "twr_14.7_mhz_and_derived.twr")["timing"]
    assert t["met"] is True and t["wns_ns"] == 0.39
    assert t["clocks"] == [
        {"name": "sys_clk_pin", "period_ns": 10.0, "target_mhz": 100.0, "wns_ns": 3.088,
         "fmax_mhz": 144.68, "met": True},
        {"name": "clkgen_clkfx", "period_ns": 5.0, "target_mhz": 200.0, "wns_ns": 0.39,
         "fmax_mhz": 216.92, "met": True},
    ]


def test_twr_derived_multiplied_and_unknown_base():
    text = ("Release 14.7 Trace  (lin64)\n"
            'Timing constraint: TS_a = PERIOD TIMEGRP "a" 8 ns HIGH 50%;\n'
            " 0 timing errors detected.\n"
            'Timing constraint: TS_b = PERIOD TIMEGRP "b" TS_a * 2 HIGH 50%;\n'
            " 0 timing errors detected.\n"
            'Timing constraint: TS_c = PERIOD TIMEGRP "c" TS_elsewhere / 2 HIGH 50%;\n'
            " 0 timing errors detected.\n"
            "Timing errors: 0  Score: 0  (Setup/Max: 0, Hold: 0)\n")
    clocks = ise.parse_twr(text)["timing"]["clocks"]
    assert [(c["name"], c.get("period_ns")) for c in clocks] == [("a", 8.0), ("b", 16.0),
                                                                   ("c", None)]
