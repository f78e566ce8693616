"""`fpgaflow report DIR` on a folder of several designs' reports: one design's reports merge
across stages, reports of different designs (Vivado tops, Quartus revisions, HLS solutions,
ISE designs, nextpnr runs) are refused with exit 2, naming each design, its files and a
command that reports one of them.

The reports are the real-layout fixtures of tests/fixtures/reports, placed as the tools
write them (Vivado ``<top>_<report>_<stage>.rpt`` in ``project.runs/<run>/``, Quartus
``output_files/<revision>.<module>.summary``) with their design names edited.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from fpgaflow.reports import ReportError, parse_paths

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def put(path: Path, fixture: str, old: str | None = None, new: str | None = None) -> Path:
    text = (FIXTURES / fixture).read_text()
    if old is not None:
        assert old in text, (fixture, old)
        text = text.replace(old, new)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def hinted(stderr: str) -> list[str]:
    """The arguments of the ``fpgaflow report`` command the error's hint proposes."""
    hint = stderr[stderr.index("hint:"):]
    return shlex.split(hint.split("fpgaflow report ", 1)[1])


def vivado_runs(root: Path) -> dict[str, Path]:
    """A Vivado project's runs: ``design_1_wrapper`` synthesized (synth_1) and routed
    (impl_1), both xc7z010clg400-1."""
    runs = root / "proj.runs"
    return {
        "util": put(runs / "synth_1/design_1_wrapper_utilization_synth.rpt",
                    "vivado/util_2021.2_zynq7_prohibited.rpt"),
        "timing": put(runs / "impl_1/design_1_wrapper_timing_summary_routed.rpt",
                      "vivado/timing_2019.1_na_unconstrained.rpt"),
    }


def test_one_design_across_stages_still_merges(tmp_path):
    files = vivado_runs(tmp_path)
    out = parse_paths([tmp_path])
    assert out["sources"] == {"resources": str(files["util"]), "timing": str(files["timing"])}
    assert out["device"]["part"] == "xc7z010clg400-1"


def test_two_vivado_tops_in_one_run_are_refused_with_a_command_for_one(tmp_path, run_cli):
    files = vivado_runs(tmp_path)
    other = put(tmp_path / "proj.runs/impl_1/other_timing_summary_routed.rpt",
                "vivado/timing_2019.1_na_unconstrained.rpt",
                "| Design       : design_1_wrapper", "| Design       : other")
    with pytest.raises(ReportError, match="of 2 designs") as err:
        parse_paths([tmp_path])
    assert err.value.exit_code == 2
    res = run_cli("report", tmp_path)
    assert res.exit_code == 2 and res.stdout == ""
    for text in ("Vivado 'design_1_wrapper'", "Vivado 'other'", str(other), str(files["util"]),
                 str(files["timing"])):
        assert text in res.stderr
    # the hint names design_1_wrapper's reports: synth_1/ holds only its own, impl_1/ is shared
    args = hinted(res.stderr)
    assert args == [str(files["util"].parent), str(files["timing"])]
    res = run_cli("report", *args, "--json")
    assert res.exit_code == 0, res.stderr
    assert str(other) not in res.stdout and str(files["timing"]) in res.stdout
    # named one by one, the other design's file alone is a report of its own
    assert run_cli("report", other).exit_code == 0


def test_quartus_revisions_are_told_apart_also_by_file_name(tmp_path):
    out_dir = tmp_path / "output_files"            # both 5CSEMA5F31C6, revision 'top'
    put(out_dir / "top.fit.summary", "quartus/fit_18.1_cyclonev_near_empty.fit.summary")
    put(out_dir / "top.pow.rpt", "quartus/pow_18.1_cyclonev_high_confidence.pow.rpt")
    assert parse_paths([tmp_path])["power"]["total_w"] == 0.41941
    # a .sta.summary names no revision: Quartus named the file after it
    sta = put(out_dir / "fast.sta.summary", "quartus/sta_17.1_cyclonev_failing.sta.summary")
    with pytest.raises(ReportError, match="of 2 designs") as err:
        parse_paths([tmp_path])
    assert "Quartus revision 'top'" in err.value.message
    assert f"Quartus revision 'fast': {sta}" in err.value.message
    sta.unlink()
    put(out_dir / "fast.fit.summary", "quartus/fit_18.1_cyclonev_near_empty.fit.summary",
        "Revision Name : top", "Revision Name : fast")
    with pytest.raises(ReportError, match="Quartus revision 'fast'"):
        parse_paths([tmp_path])


def test_two_nextpnr_runs_are_refused_a_log_and_its_report_merge(tmp_path, run_cli):
    build = tmp_path / "build"
    log = put(build / "a_pnr.log", "nextpnr/ice40_up5k.log")
    put(build / "a_report.json", "nextpnr/ice40_up5k_report.json")
    assert parse_paths([tmp_path])["resources"]["lut"]["unit"] == "LC"
    other = put(build / "b_pnr.log", "nextpnr/ecp5_25k.log")
    res = run_cli("report", tmp_path)
    assert res.exit_code == 2
    assert "2 nextpnr_log reports are of one stage and name no design" in res.stderr
    assert str(log) in res.stderr and str(other) in res.stderr
    assert run_cli("report", *hinted(res.stderr)).exit_code == 0


def test_hls_solutions_are_refused_its_function_reports_merge(tmp_path):
    report = tmp_path / "lab_6/solution1/syn/report"      # Project lab_6, Solution solution1
    put(report / "csynth.rpt", "hls/csynth_2018.3_vivado_hls.rpt")
    put(report / "conv_row_csynth.rpt", "hls/csynth_2018.3_vivado_hls.rpt",
        "Report for 'hw_conv'", "Report for 'conv_row'")
    assert parse_paths([tmp_path])["hls"]["top"] == "hw_conv"
    put(tmp_path / "lab_6/solution2/syn/report/csynth.rpt", "hls/csynth_2018.3_vivado_hls.rpt",
        "* Solution:       solution1", "* Solution:       solution2")
    with pytest.raises(ReportError, match="HLS 'lab_6/solution1'.*HLS 'lab_6/solution2'"):
        parse_paths([tmp_path])


def test_ise_designs_by_map_and_trace_names(tmp_path):
    mrp = put(tmp_path / "top_map.mrp", "ise/map_14.7_spartan6_synthetic.mrp")  # design 'top'
    # TRACE of the routed top.ncd and of the mapped top_map.ncd: both design 'top'
    put(tmp_path / "top.twr", "ise/twr_14.7_spartan6_synthetic.twr")
    put(tmp_path / "top_preroute.twr", "ise/twr_14.7_spartan6_synthetic.twr",
        "Design file:              top.ncd", "Design file:              top_map.ncd")
    assert parse_paths([tmp_path])["timing"]["met"] is True
    put(tmp_path / "led.twr", "ise/twr_14.7_spartan6_synthetic.twr",
        "Design file:              top.ncd", "Design file:              led.ncd")
    with pytest.raises(ReportError, match="ISE 'top'.*ISE 'led'") as err:
        parse_paths([tmp_path])
    assert str(mrp) in err.value.message


def test_a_report_named_twice_is_one_report(tmp_path):
    log = put(tmp_path / "pnr.log", "nextpnr/ice40_up5k.log")
    assert parse_paths([tmp_path, log]) == parse_paths([log])
