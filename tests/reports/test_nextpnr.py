"""nextpnr report JSON and log parsers, on real nextpnr-ecp5/ice40 (YoWASP 0.11) output
and excerpts of logs from public projects."""

from pathlib import Path

import pytest

from fpgaflow.reports import ReportError, nextpnr


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def read(rel: str) -> str:
    return (FIXTURES / rel).read_text()


def test_ecp5_report_json():
    out = nextpnr.parse_report_json(read("nextpnr/ecp5_25k_report.json"))
    assert out["resources"] == {
        "bram": {"used": 1, "available": 56, "unit": "DP16KD"},
        "dsp": {"used": 1, "available": 28, "unit": "MULT18X18D"},
        "ff": {"used": 28, "available": 24288, "unit": "FF"},
        "io": {"used": 63, "available": 197, "unit": "pin"},
        "lut": {"used": 28, "available": 24288, "unit": "LUT4"},
        "lutram": {"used": 0, "available": 3036, "unit": "TRELLIS_RAMW"},  # a real 0
    }
    assert out["timing"] == {"met": True, "clocks": [
        {"name": "$glbnet$clk$TRELLIS_IO_IN", "port": "clk", "fmax_mhz": 447.23,
         "target_mhz": 100.0, "met": True}]}
    assert out["bels"]["ALU54B"] == {"used": 0, "available": 14}


def test_ecp5_report_json_timing_failure():
    out = nextpnr.parse_report_json(read("nextpnr/ecp5_25k_fail_report.json"))
    assert out["timing"] == {"met": False, "clocks": [
        {"name": "$glbnet$clk$TRELLIS_IO_IN", "port": "clk", "fmax_mhz": 72.99,
         "target_mhz": 450.0, "met": False}]}
    assert out["resources"]["lut"] == {"used": 70, "available": 24288, "unit": "LUT4"}


def test_ice40_report_json():
    out = nextpnr.parse_report_json(read("nextpnr/ice40_up5k_report.json"))
    assert out["resources"] == {
        "bram": {"used": 1, "available": 30, "unit": "SB_RAM40_4K"},
        "dsp": {"used": 1, "available": 8, "unit": "SB_MAC16"},
        "io": {"used": 8, "available": 39, "unit": "pin"},
        "lut": {"used": 86, "available": 5280, "unit": "LC"},
        "uram": {"used": 0, "available": 4, "unit": "SPRAM256KA"},
    }
    assert "ff" not in out["resources"]  # iCE40 reports logic cells, not flip-flops
    assert out["timing"]["clocks"] == [
        {"name": "clk$SB_IO_IN_$glb_clk", "port": "clk", "fmax_mhz": 79.74, "target_mhz": 48.0,
         "met": True}]


def test_log_agrees_with_report_json():
    for log, js in [("ecp5_25k.log", "ecp5_25k_report.json"),
                    ("ecp5_25k_timing_fail.log", "ecp5_25k_fail_report.json"),
                    ("ice40_up5k.log", "ice40_up5k_report.json")]:
        a, b = nextpnr.parse_log(read("nextpnr/" + log)), nextpnr.parse_report_json(read("nextpnr/" + js))
        assert a["resources"] == b["resources"]
        assert a["timing"] == b["timing"]


def test_log_last_fmax_wins_over_placer_estimate():
    out = nextpnr.parse_log(read("nextpnr/ecp5_25k.log"))
    assert out["timing"]["clocks"][0]["fmax_mhz"] == 447.23  # placer said 422.65


def test_log_timing_failure_reported_as_error_line_is_not_a_crash():
    out = nextpnr.parse_log(read("nextpnr/ecp5_25k_timing_fail.log"))
    assert out["timing"]["met"] is False
    assert out["timing"]["clocks"][0]["fmax_mhz"] == 72.99


def test_log_two_clocks_ice40_excerpt():
    out = nextpnr.parse_log(read("nextpnr/ice40_up5k_two_clocks_excerpt.log"))
    assert out["timing"] == {"met": True, "clocks": [
        {"name": "display.refresh_tick", "port": "display.refresh_tick", "fmax_mhz": 144.07,
         "target_mhz": 13.0, "met": True},
        {"name": "clk$SB_IO_IN_$glb_clk", "port": "clk", "fmax_mhz": 15.02, "target_mhz": 13.0,
         "met": True}]}
    assert out["resources"]["lut"] == {"used": 3941, "available": 5280, "unit": "LC"}
    assert out["resources"]["uram"] == {"used": 4, "available": 4, "unit": "SPRAM256KA"}


def test_log_ecp5_85k_fail_printed_as_warning():
    out = nextpnr.parse_log(read("nextpnr/ecp5_85k_fail_warning_excerpt.log"))
    assert out["timing"] == {"met": False, "clocks": [
        {"name": "$glbnet$clk_25mhz$TRELLIS_IO_IN", "port": "clk_25mhz", "fmax_mhz": 15.05,
         "target_mhz": 25.0, "met": False}]}
    assert out["resources"]["ff"] == {"used": 2122, "available": 83640, "unit": "FF"}
    assert out["resources"]["lut"] == {"used": 3494, "available": 83640, "unit": "LUT4"}


@pytest.mark.parametrize("log,match", [
    ("nextpnr/gatemate_crash_excerpt.log", "terminate called"),
    ("nextpnr/ice40_placement_error.log", "Unable to find a placement location"),
])
def test_failed_runs_raise(log, match):
    with pytest.raises(ReportError, match=match) as err:
        nextpnr.parse_log(read(log))
    assert err.value.line is not None


@pytest.mark.parametrize("net,port", [
    ("$glbnet$clk$TRELLIS_IO_IN", "clk"), ("clk$SB_IO_IN_$glb_clk", "clk"),
    ("clk$TRELLIS_IO_IN", "clk"), ("clk_25mhz$SB_IO_IN", "clk_25mhz"),
    ("pll.clk_out_$glb_clk", "pll.clk_out"), ("$glbnet$sys_clk", "sys_clk"), ("clk", "clk"),
])
def test_clock_port(net, port):
    assert nextpnr.clock_port(net) == port


@pytest.mark.parametrize("bad", [
    "", "{}", "[1]", '{"utilization": 1}', '{"utilization": {"X": 3}}',
    '{"utilization": {"X": {"used": "a", "available": 1}}}',
    '{"utilization": {}, "fmax": {"c": {"achieved": null}}}', "not json",
])
def test_bad_report_json(bad):
    with pytest.raises(ReportError):
        nextpnr.parse_report_json(bad)


@pytest.mark.parametrize("bad", ["", "Info: hello\n", "\x00\x00", "ERROR: Failed to load JSON\n"])
def test_bad_log(bad):
    with pytest.raises(ReportError):
        nextpnr.parse_log(bad)
