"""Metrics looked up in summaries, rule verdicts, baseline-relative limits, mismatch detection."""

from __future__ import annotations

import copy
import json

import pytest

from fpgaflow import gate
from fpgaflow.gate import GateInputError, Missing, evaluate, metric_value, mismatches, parse_rule
from fpgaflow.summary import load


@pytest.fixture
def ecp5(summaries_dir):
    return load(summaries_dir / "ecp5_open.json")


@pytest.fixture
def ice40(summaries_dir):
    return load(summaries_dir / "ice40_open.json")


@pytest.fixture
def estimate(summaries_dir):
    return load(summaries_dir / "estimate_xczu7ev.json")


def test_metric_values(ecp5, ice40, estimate):
    assert metric_value(ecp5, ("lut", "used")) == 1820
    assert metric_value(ecp5, ("lut", "pct")) == pytest.approx(100 * 1820 / 83640)
    assert metric_value(ecp5, ("bram", "bits")) == 110592
    assert metric_value(ecp5, ("dsp", "available")) == 156
    assert metric_value(ecp5, ("timing", "met")) is True
    assert metric_value(ecp5, ("clk", "fmax_mhz")) == 57.9
    assert metric_value(ice40, ("fmax_mhz",)) == 24.3          # the worst of clk and clk_pix
    assert metric_value(ice40, ("clk_pix", "target_mhz")) == 25.0
    assert metric_value(ecp5, ("status",)) == "passed"
    assert metric_value(ecp5, ("stages", "pnr", "seconds")) == 11.8
    assert metric_value(estimate, ("hls", "interval")) == 512
    assert metric_value(estimate, ("hls", "latency_cycles")) == 530  # worst of [best, worst]
    assert metric_value(estimate, ("sim", "passed")) is True
    assert metric_value(estimate, ("estimate",)) is True


@pytest.mark.parametrize("path, reason", [
    (("power", "total_w"), "the summary has no power section (flow 'open' does not report power)"),
    (("uram", "used"), "the summary has no resources.uram"),
    (("lut", "bits"), "resources.lut has no 'bits'"),
    (("clk2", "fmax_mhz"), "the summary has no clock 'clk2' in timing.clocks (clocks: clk)"),
    (("clk", "whs_ns"), "clock 'clk' has no 'whs_ns'"),
    (("timing", "tns_ns"), "the summary has no timing.tns_ns"),
    (("hls", "interval"), "the summary has no hls section (no HLS stage in this run)"),
    (("stages", "csim", "seconds"), "the summary has no stage 'csim' (stages: synth, pnr)"),
])
def test_missing_metrics_say_what_is_missing(ecp5, path, reason):
    with pytest.raises(Missing) as info:
        metric_value(ecp5, path)
    assert str(info.value) == reason


def test_pct_needs_available(ecp5):
    s = copy.deepcopy(ecp5)
    del s["resources"]["lut"]["available"]
    with pytest.raises(Missing, match="no 'available' count"):
        metric_value(s, ("lut", "pct"))


def test_fmax_without_timing(estimate):
    with pytest.raises(Missing, match="no timing section .flow 'estimate'"):
        metric_value(estimate, ("fmax_mhz",))


@pytest.mark.parametrize("text, passed", [
    ("lut.used <= 1820", True), ("lut.used < 1820", False), ("lut.used >= 1821", False),
    ("lut.used > 1819", True), ("lut.used == 1820", True), ("lut.used != 1820", False),
    ("lut.pct <= 2.2", True), ("lut.pct <= 2.1", False),
    ("timing.met == true", True), ("timing.met == false", False), ("timing.met != false", True),
    ("status == passed", True), ("status != passed", False),
    ("clk.fmax_mhz >= 57.9", True), ("clk.fmax_mhz >= 58", False),
    ("timing.wns_ns >= -0.1", True),
])
def test_verdicts(ecp5, text, passed):
    result = evaluate(parse_rule(text), ecp5)
    assert result.passed is passed
    assert (result.message == "") is passed


def test_missing_metric_is_a_visible_failure(ecp5):
    result = evaluate(parse_rule("power.total_w <= 5"), ecp5)
    assert result.passed is False
    assert result.value is None and result.limit == 5
    assert result.message == ("missing metric power.total_w: the summary has no power section "
                              "(flow 'open' does not report power)")


def test_type_mismatch_fails(ecp5):
    result = evaluate(parse_rule("power.source == 3"), {**ecp5, "power": {"source": "vivado"}})
    assert not result.passed and "cannot be compared" in result.message


def _grown(summary, lut=None, fmax=None, dsp=None):
    s = copy.deepcopy(summary)
    if lut is not None:
        s["resources"]["lut"]["used"] = lut
    if dsp is not None:
        s["resources"]["dsp"]["used"] = dsp
    if fmax is not None:
        s["timing"]["clocks"][0]["fmax_mhz"] = fmax
    return s


def test_relative_percent(ecp5):
    base = _grown(ecp5, lut=1780)           # +2% allows 1815.6; the run has 1820
    result = evaluate(parse_rule("lut.used <= +2%"), ecp5, base)
    assert not result.passed
    assert result.limit == pytest.approx(1815.6)
    assert result.baseline == 1780 and result.delta == 40
    assert "baseline + 2%" in result.message
    assert evaluate(parse_rule("lut.used <= +3%"), ecp5, base).passed


def test_relative_absolute_delta(ecp5):
    assert evaluate(parse_rule("dsp.used <= +0"), ecp5, _grown(ecp5, dsp=4)).passed
    result = evaluate(parse_rule("dsp.used <= +0"), ecp5, _grown(ecp5, dsp=3))
    assert not result.passed and result.limit == 3 and result.delta == 1


def test_relative_fmax_drop(ecp5):
    assert evaluate(parse_rule("fmax_mhz >= -5%"), ecp5, _grown(ecp5, fmax=60.0)).passed   # 57.9 >= 57
    result = evaluate(parse_rule("fmax_mhz >= -5%"), ecp5, _grown(ecp5, fmax=62.0))       # 57.9 < 58.9
    assert not result.passed and result.limit == pytest.approx(58.9)
    assert evaluate(parse_rule("clk.fmax_mhz >= baseline - 5"), ecp5, _grown(ecp5, fmax=62.0)).passed


def test_relative_rule_needs_a_baseline(ecp5):
    with pytest.raises(GateInputError, match="relative to a baseline: give --baseline"):
        evaluate(parse_rule("lut.used <= +2%"), ecp5)


def test_relative_rule_with_metric_missing_from_baseline(ecp5):
    base = copy.deepcopy(ecp5)
    del base["resources"]["dsp"]
    result = evaluate(parse_rule("dsp.used <= +0"), ecp5, base)
    assert not result.passed
    assert result.message == "missing baseline metric dsp.used: the summary has no resources.dsp"


def test_no_mismatch_with_itself(ecp5):
    assert mismatches(ecp5, copy.deepcopy(ecp5)) == []


def test_mismatch_says_what_differs(ecp5, ice40):
    found = mismatches(ecp5, ice40)
    assert found == [
        "device part 'LFE5U-85F-6BG381C' here, 'iCE40UP5K-SG48' in the baseline",
        "tool nextpnr-ecp5 0.8 here, absent from the baseline",
        "tool nextpnr-ice40 0.8 in the baseline, absent here",
    ]
    other = copy.deepcopy(ecp5)
    other["flow"] = "estimate"
    other["tools"][0]["version"] = "0.49"
    assert mismatches(ecp5, other) == [
        "flow 'open' here, 'estimate' in the baseline",
        "tool yosys version 0.50 here, 0.49 in the baseline",
    ]


def test_tool_path_or_via_is_not_a_mismatch(ecp5):
    other = copy.deepcopy(ecp5)
    other["tools"][0]["via"] = "native"
    other["tools"][0]["command"] = "something else"
    assert mismatches(ecp5, other) == []


def test_run_collects_gates_and_options(summaries_dir):
    report = gate.run(summaries_dir / "timing_failed.json", ["lut.used <= 50000"])
    assert [r.rule.text for r in report.results] == [
        "timing.met == true", "clk.fmax_mhz >= 100", "lut.pct <= 60", "lut.used <= 50000"]
    assert [r.passed for r in report.results] == [False, False, True, True]
    assert not report.passed and len(report.failures) == 2
    assert json.loads(json.dumps(gate.to_dict(report)))["passed"] is False
