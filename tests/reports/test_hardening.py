"""Reports nobody chose and inputs meant to break the parsers (issue 16)."""

import json
import re
from pathlib import Path

import pytest

from fpgaflow.reports import _RULES, ReportError, detect, hls, nextpnr, parse_file, parse_paths, \
    parse_text, quartus, yosys

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
BIG = "9" * 5000


def read(rel: str) -> str:
    return (FIXTURES / rel).read_text()


# --- numbers no tool prints ---------------------------------------------------------------
def test_5000_digit_counts_are_report_errors_not_value_errors():
    stat = read("yosys/y070_xc7.stat").replace("        8   FDRE", f"        {BIG}   FDRE", 1)
    with pytest.raises(ReportError, match="5000-digit"):
        yosys.parse_stat(stat)
    log = read("nextpnr/ecp5_25k.log")
    log = re.sub(r"(Info:\s+TRELLIS_COMB:\s+)\d+", lambda m: m.group(1) + BIG, log, count=1)
    with pytest.raises(ReportError):
        nextpnr.parse_log(log)
    with pytest.raises(ReportError):  # json.loads: ValueError over 4,300 digits
        yosys.parse_stat_json('{"creator": "Yosys 0.23", "modules": {"top": '
                              '{"num_cells_by_type": {"LUT4": ' + BIG + '}}}}')
    with pytest.raises(ReportError):
        nextpnr.parse_report_json('{"utilization": {"SB_IO": {"used": ' + BIG
                                  + ', "available": 1}}}')


def test_infinite_nextpnr_fmax_is_refused():
    report = json.loads(read("nextpnr/ice40_up5k_report.json"))
    net = next(iter(report["fmax"]))
    text = json.dumps(report).replace(f'"achieved": {report["fmax"][net]["achieved"]}',
                                      '"achieved": Infinity')
    assert "Infinity" in text
    with pytest.raises(ReportError, match="finite"):
        nextpnr.parse_report_json(text)
    log = re.sub(r"(Max frequency for clock +'[^']+': )[\d.]+", lambda m: m.group(1) + "1" + "0" * 400,
                 read("nextpnr/ecp5_25k.log"))
    with pytest.raises(ReportError, match="bad frequency"):
        nextpnr.parse_log(log)


def test_number_refuses_overlong_and_infinite_figures():
    from fpgaflow.reports._common import number
    assert number("1,234") == 1234 and number("5.5") == 5.5
    assert number(BIG) is None and number("1e400") is None and number("9" * 400 + ".0") is None


# --- detection regexes are linear (the time is measured in benchmarks/adversarial.py) -------
def test_detection_rules_have_no_cross_line_backtracking():
    """A ``[\\s\\S]*`` or a ``\\s`` quantifier lets one match attempt run over the rest of
    the text; with many attempts (1.3 MB of '| Tool Version' lines) that is quadratic."""
    for kind, rule in _RULES:
        patterns = getattr(rule, "patterns", [rule])
        for p in patterns:
            assert "[\\s\\S]" not in p.pattern and not re.search(r"\\s[*+]", p.pattern), kind


def test_linear_rules_still_detect_their_reports():
    assert detect(read("vivado/util_hier_2018.2_virtex7.rpt")) == "vivado_util_hier"
    assert detect(read("vivado/util_2016.2_artix7_placed.rpt")) == "vivado_util"
    assert detect(read("hls/csynth_2020.2.xml")) == "hls_csynth_xml"
    assert detect("| Tool Version : x\n" * 1000) is None
    assert detect("<profile>\n" * 1000) is None


# --- Quartus ---------------------------------------------------------------------------------
PRO_24_2 = """------------------------------------------------------------
Timing Analyzer Summary
------------------------------------------------------------

Type  : Setup 'clk'
Corner : Slow vid2 100C Model
Slack : 0.512
TNS   : 0.000

Type  : Setup Data Delay 'clk'
Corner : Slow vid2 100C Model
Slack : {dd}
TNS   : 0.000

Type  : Hold 'clk'
Corner : Fast vid2a 0C Model
Slack : -0.120
TNS   : -1.500

Type  : Max Skew
Corner : Slow vid2 100C Model
Slack : 0.300
TNS   : 0.000
"""


def test_quartus_pro_sta_summary_with_data_delay_block():
    out = parse_text(PRO_24_2.format(dd="1.000"))
    t = out["timing"]
    assert t["wns_ns"] == 0.512 and t["whs_ns"] == -0.12 and t["met"] is False
    assert [c["name"] for c in t["clocks"]] == ["clk"]
    # a failing data-delay check fails the verdict even with setup and hold met
    ok_hold = PRO_24_2.replace("Slack : -0.120\nTNS   : -1.500", "Slack : 0.120\nTNS   : 0.000")
    assert parse_text(ok_hold.format(dd="1.000"))["timing"]["met"] is True
    assert parse_text(ok_hold.format(dd="-0.200"))["timing"]["met"] is False


def test_quartus_hold_tns_is_read():
    t = parse_text(PRO_24_2.format(dd="1.000"))["timing"]
    assert t["ths_ns"] == -1.5 and t["clocks"][0]["ths_ns"] == -1.5


# --- Vitis HLS Synthesis Summary -------------------------------------------------------------
def test_hls_summary_dash_cells_are_zero():
    text = read("hls/synthesis_summary_2022.2_synthetic.rpt").replace(
        "|  2 (~0%)|   3 (~0%)|", "|        -|         -|", 1)
    res = hls.parse_csynth_rpt(text)["hls"]["resources"]
    assert res["bram"]["used"] == 0 and res["dsp"]["used"] == 0 and res["uram"]["used"] == 0
    assert res["lut"]["used"] == 402


# --- several reports -------------------------------------------------------------------------
def test_part_name_does_not_depend_on_argument_order():
    a = FIXTURES / "hls/csynth_2019.2_vivado_hls_dataflow.rpt"   # 'xc7z020-clg400-1'
    b = FIXTURES / "vivado/power_2017.2_no_budget.rpt"           # 'xc7z020clg400-1'
    assert parse_file(a)["device"]["part"] != parse_file(b)["device"]["part"]
    assert parse_paths([a, b])["device"] == parse_paths([b, a])["device"]


def test_reports_of_different_devices_are_refused(run_cli):
    files = [FIXTURES / "vivado/power_2017.2_no_budget.rpt",
             FIXTURES / "quartus/fit_15.0_cycloneive_le.fit.summary",
             FIXTURES / "vivado/util_2024.1_rfsoc_prohibited.rpt"]
    with pytest.raises(ReportError, match="different devices"):
        parse_paths(files)
    res = run_cli("report", *files)
    assert res.exit_code == 2
    for name in ("xc7z020clg400-1", "EP4CE115F29C7", "xczu48dr-ffvg1517-2-e",
                 "power_2017.2_no_budget.rpt", "fit_15.0_cycloneive_le.fit.summary"):
        assert name in res.stderr


def test_report_exits_1_on_timing_failed(run_cli):
    res = run_cli("report", FIXTURES / "quartus/sta_17.1_cyclonev_failing.sta.summary")
    assert res.exit_code == 1 and "timing-failed" in res.stdout
    res = run_cli("report", FIXTURES / "vivado/timing_2020.2_failing_synthetic.rpt", "--json")
    assert res.exit_code == 1 and json.loads(res.stdout)["status"] == "timing-failed"
    assert run_cli("report", FIXTURES / "vivado/timing_2020.2_one_clock.rpt").exit_code == 0


def test_markup_in_report_text_is_printed_not_interpreted(run_cli, tmp_path):
    f = tmp_path / "util.rpt"
    f.write_text(read("vivado/util_2021.2_zynq7_prohibited.rpt").replace(
        "| Device       : xc7z010clg400-1", "| Device       : xc7z010[/bold][red]x", 1))
    res = run_cli("report", f)
    assert res.exit_code == 0, res.output
    assert "xc7z010[/bold][red]x" in res.stdout
    clock = tmp_path / "sta.summary"
    clock.write_text(PRO_24_2.format(dd="1.0").replace("'clk'", "'[/i]clk'"))
    res = run_cli("report", clock)
    assert res.exit_code == 1 and "[/i]clk" in res.stdout


def test_rendered_summary_escapes_markup():
    from rich.console import Console

    from fpgaflow.render import print_summary
    console = Console(record=True, width=200)
    print_summary({"name": "t", "device": {"part": "x"}, "flow": "open", "status": "passed",
                   "resources": {"lut": {"used": 1, "unit": "[/bold]LUT"}},
                   "timing": {"clocks": [{"name": "[/red]clk", "met": True}]},
                   "stages": [{"name": "[/x]synth", "status": "passed", "seconds": 1,
                               "log": "logs/[/y].log"}]}, console)
    text = console.export_text()
    for s in ("[/bold]LUT", "[/red]clk", "[/x]synth", "logs/[/y].log"):
        assert s in text


def test_a_placed_design_with_no_timed_clock_says_so():
    """nextpnr times no clock of a design without register-to-register paths: the table says
    so instead of leaving the timing section out without a word."""
    from rich.console import Console

    from fpgaflow.render import print_summary
    base = {"name": "t", "device": {"part": "x"}, "flow": "open", "status": "passed",
            "stages": [{"name": "pnr", "status": "passed", "seconds": 1, "log": "l"}]}
    for summary, said in ((base, True), (base | {"timing": {"clocks": [
            {"name": "clk", "fmax_mhz": 90.0, "met": True}]}}, False),
            (base | {"stages": [{"name": "synth", "status": "passed"}]}, False)):
        console = Console(record=True, width=200)
        print_summary(summary, console)
        assert ("nothing was timed" in console.export_text()) == said


CYCLONE_IV_RPT = """Fitter report for top
+----------------------------------------------------------------------------------+
; Fitter Summary                                                                   ;
+------------------------------------+---------------------------------------------+
; Fitter Status                      ; Successful - Mon Jun  3 10:00:00 2024       ;
; Quartus Prime Version              ; 20.1.1 Build 720 11/11/2020 SJ Lite Edition ;
; Family                             ; Cyclone IV E                                ;
; Device                             ; EP4CE22F17C6                                ;
; Total logic elements               ; 4,321 / 22,320 ( 19 % )                     ;
;     Dedicated logic registers      ; 2,100 / 22,320 ( 9 % )                      ;
; Total pins                         ; 40 / 154 ( 26 % )                           ;
; Total memory bits                  ; 368,640 / 608,256 ( 61 % )                  ;
; Embedded Multiplier 9-bit elements ; 4 / 132 ( 3 % )                             ;
+------------------------------------+---------------------------------------------+

+-------------------------------------------------------------------+
; Fitter Resource Usage Summary                                     ;
+---------------------------------------------+---------------------+
; Resource                                    ; Usage               ;
+---------------------------------------------+---------------------+
; Total logic elements                        ; 4,321 / 22,320 ( 19 % ) ;
; M9Ks                                        ; 44 / 66 ( 67 % )    ;
; Total block memory bits                     ; 368,640 / 608,256 ( 61 % ) ;
+---------------------------------------------+---------------------+
"""


def test_cyclone_iv_block_ram_in_m9k_blocks():
    bram = quartus.parse_fit(CYCLONE_IV_RPT)["resources"]["bram"]
    assert bram == {"used": 44, "available": 66, "unit": "M9K", "bits": 368640}
    # the .fit.summary has bits only: they stay bits (no made-up block count)
    summary = quartus.parse_fit(read("quartus/fit_15.0_cycloneive_le.fit.summary"))
    assert summary["resources"]["bram"]["unit"] == "bit"


def test_fit_resources_fit_the_summary_schema():
    from fpgaflow.summary import SCHEMA, check
    for rel in ("quartus/fit_24.1pro_agilex.fit.summary", "quartus/fit_15.0_cycloneive_le.fit.summary"):
        assert check({"schema": SCHEMA, "flow": "report", "status": "passed",
                      **parse_file(FIXTURES / rel)}) == [], rel


# --- ISE ---------------------------------------------------------------------------------------
def test_ise_map_par_and_twr_reports():
    m = parse_file(FIXTURES / "ise/map_14.7_spartan6_synthetic.mrp")
    assert m["device"]["part"] == "xc6slx9tqg144-2" and m["tools"] == [{"name": "ise",
                                                                        "version": "14.7"}]
    assert m["resources"]["lut"] == {"used": 2315, "available": 5720, "unit": "LUT6"}
    assert m["resources"]["bram"] == {"used": 6.5, "available": 32, "unit": "RAMB16"}  # 5 + 3/2
    assert m["resources"]["dsp"]["used"] == 4 and m["resources"]["io"]["available"] == 102
    p = parse_file(FIXTURES / "ise/par_14.7_virtex6_synthetic.par")
    assert p["device"]["part"] == "xc6vlx240tff1156-1"
    assert p["resources"]["bram"] == {"used": 163, "available": 416, "unit": "RAMB36"}
    t = parse_file(FIXTURES / "ise/twr_14.7_spartan6_synthetic.twr")["timing"]
    assert t["met"] is True and t["wns_ns"] == 6.0
    assert t["clocks"][0] == {"name": "clk", "period_ns": 20.0, "target_mhz": 50.0,
                              "wns_ns": 14.877, "fmax_mhz": 195.2, "met": True}
    bad = parse_file(FIXTURES / "ise/twr_14.7_failing_synthetic.twr")["timing"]
    assert bad["met"] is False and bad["clocks"][0]["met"] is False


def test_ise_run_merges_and_fails_on_timing(run_cli):
    files = [FIXTURES / "ise/map_14.7_spartan6_synthetic.mrp",
             FIXTURES / "ise/twr_14.7_failing_synthetic.twr"]
    out = parse_paths(files)
    assert out["device"]["part"] == "xc6slx9tqg144-2" and out["status"] == "timing-failed"
    res = run_cli("report", *files, "--json")
    assert res.exit_code == 1 and json.loads(res.stdout)["resources"]["lut"]["used"] == 2315


def test_ise_map_with_errors_is_refused():
    text = read("ise/map_14.7_spartan6_synthetic.mrp").replace("Number of errors:      0",
                                                              "Number of errors:      2")
    with pytest.raises(ReportError, match="2 errors"):
        parse_text(text)
