"""parse_paths / parse_file / detect, and the `fpgaflow report` command."""

import json
from pathlib import Path

import pytest

from fpgaflow.reports import ReportError, detect, parse_file, parse_paths, parse_text
from fpgaflow.summary import SCHEMA, check

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def test_parse_paths_merges_and_sets_sources():
    power = FIXTURES / "vivado/power_2017.2_no_budget.rpt"      # both xc7z020clg400-1
    timing = FIXTURES / "vivado/timing_2020.2_one_clock.rpt"
    out = parse_paths([power, timing])
    assert check(out) == []
    assert out["schema"] == SCHEMA and out["flow"] == "report" and out["status"] == "passed"
    assert out["sources"] == {"power": str(power), "timing": str(timing)}
    assert out["power"]["total_w"] == 1.417
    assert out["timing"]["wns_ns"] == 13.199
    assert out["device"]["part"] == "xc7z020clg400-1"
    assert out["tools"] == [{"name": "vivado", "version": "2017.2"},
                            {"name": "vivado", "version": "2020.2"}]


def test_parse_paths_failing_timing_is_timing_failed():
    out = parse_paths([FIXTURES / "vivado/timing_2020.2_failing_synthetic.rpt"])
    assert out["status"] == "timing-failed"


def test_one_failing_report_wins_over_a_later_passing_one():
    out = parse_paths([FIXTURES / "nextpnr/ecp5_25k_fail_report.json",
                       FIXTURES / "vivado/timing_2020.2_one_clock.rpt"])
    assert out["timing"]["met"] is False and out["status"] == "timing-failed"


def test_directory_is_walked_and_non_reports_skipped(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "notes.txt").write_text("hello\n")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "sub" / "fit.summary").write_text(  # both 5CSEMA5F31C6
        (FIXTURES / "quartus/fit_18.1_cyclonev_near_empty.fit.summary").read_text())
    (tmp_path / "sub" / "pow.rpt").write_text(
        (FIXTURES / "quartus/pow_18.1_cyclonev_high_confidence.pow.rpt").read_text())
    out = parse_paths([tmp_path])
    assert out["resources"]["lut"]["used"] == 1
    assert out["power"]["total_w"] == 0.41941
    assert set(out["sources"]) == {"resources", "power"}


def test_explicit_non_report_file_is_an_error(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("just words\n")
    with pytest.raises(ReportError) as err:
        parse_paths([f])
    assert err.value.file == str(f)


def test_empty_directory_and_missing_path(tmp_path):
    with pytest.raises(ReportError, match="no known tool report"):
        parse_paths([tmp_path])
    with pytest.raises(ReportError, match="no such file"):
        parse_paths([tmp_path / "nope.rpt"])


def test_binary_file_is_refused(tmp_path):
    f = tmp_path / "x.rpt"
    f.write_bytes(b"\x7fELF\x00\x00\x01")
    with pytest.raises(ReportError, match="binary"):
        parse_file(f)


def test_parse_text_with_explicit_kind_and_unknown_kind():
    text = (FIXTURES / "quartus/pow_19.1_max10.pow.summary").read_text()
    assert parse_text(text, "quartus_power")["power"]["total_w"] == 0.15887
    with pytest.raises(ReportError, match="unknown report kind"):
        parse_text(text, "nope")
    with pytest.raises(ReportError):
        parse_text(text, "vivado_timing")


def test_detect_none_for_junk():
    assert detect("") is None
    assert detect("random words") is None
    assert detect("\x00\x01") is None
    assert detect('{"a": 1}') is None


def test_cli_json(run_cli):
    res = run_cli("report", FIXTURES / "nextpnr/ice40_up5k_report.json", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["resources"]["lut"] == {"used": 86, "available": 5280, "unit": "LC"}
    assert data["timing"]["clocks"][0]["port"] == "clk"
    assert data["status"] == "passed"


def test_cli_table(run_cli):
    res = run_cli("report", FIXTURES / "vivado/util_2016.2_artix7_placed.rpt",
                  FIXTURES / "vivado/power_2016.2_off_chip.rpt")
    assert res.exit_code == 0, res.output
    assert "38242" in res.stdout and "63400" in res.stdout and "60.3" in res.stdout
    assert "2.058" in res.stdout


def test_cli_bad_input_exits_2(run_cli, tmp_path):
    f = tmp_path / "junk.rpt"
    f.write_text("nothing to see\n")
    res = run_cli("report", f)
    assert res.exit_code == 2
    assert "error:" in res.stderr and "junk.rpt" in res.stderr
    assert "Traceback" not in res.output


def test_cli_crashed_nextpnr_log_exits_2(run_cli):
    res = run_cli("report", FIXTURES / "nextpnr/gatemate_crash_excerpt.log")
    assert res.exit_code == 2
    assert "terminate called" in res.stderr
