"""The rule grammar: good rules parse to the right structure, bad ones name their column."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fpgaflow.gate import Relative, RuleError, parse_rule, rules_from_gates, tokenize


@pytest.mark.parametrize("text, path, op, value", [
    ("lut.used <= 40000", ("lut", "used"), "<=", 40000),
    ("lut.pct<40", ("lut", "pct"), "<", 40),
    ("  bram.bits   >=  1.5e3 ", ("bram", "bits"), ">=", 1500.0),
    ("timing.met == true", ("timing", "met"), "==", True),
    ("timing.met != FALSE", ("timing", "met"), "!=", False),
    ("timing.wns_ns >= -0.25", ("timing", "wns_ns"), ">=", -0.25),
    ("clk.fmax_mhz >= 200", ("clk", "fmax_mhz"), ">=", 200),
    ("fmax_mhz > 99.5", ("fmax_mhz",), ">", 99.5),
    ("power.total_w <= .75", ("power", "total_w"), "<=", 0.75),
    ("status == passed", ("status",), "==", "passed"),
    ("status != timing-failed", ("status",), "!=", "timing-failed"),
    ("hls.interval <= 512", ("hls", "interval"), "<=", 512),
    ("sim.cycles_per_item <= 600", ("sim", "cycles_per_item"), "<=", 600),
    ("stages.pnr.seconds < 600", ("stages", "pnr", "seconds"), "<", 600),
    ("flow == 'open'", ("flow",), "==", "open"),
    ('"clk|pll[0]".fmax_mhz >= 50', ("clk|pll[0]", "fmax_mhz"), ">=", 50),
    ("$glbnet$clk.fmax_mhz >= 25", ("$glbnet$clk", "fmax_mhz"), ">=", 25),
])
def test_absolute_rules(text, path, op, value):
    rule = parse_rule(text)
    assert rule.path == path
    assert rule.op == op
    assert rule.value == value and type(rule.value) is type(value)
    assert rule.relative is None
    assert rule.text == text.strip()


@pytest.mark.parametrize("text, delta, percent", [
    ("lut.used <= +2%", 2.0, True),
    ("fmax_mhz >= -5%", -5.0, True),
    ("dsp.used <= +0", 0.0, False),
    ("lut.used <= + 10", 10.0, False),
    ("clk.fmax_mhz >= baseline - 10", -10.0, False),
    ("lut.used <= baseline + 1.5%", 1.5, True),
    ("ff.used == baseline", 0.0, False),
])
def test_relative_rules(text, delta, percent):
    rule = parse_rule(text)
    assert rule.value is None
    assert rule.relative == Relative(delta, percent)


def test_relative_limits():
    assert Relative(2, True).limit(1000) == pytest.approx(1020)
    assert Relative(-5, True).limit(200) == pytest.approx(190)
    assert Relative(0, False).limit(4) == 4
    assert Relative(-10, False).limit(100) == 90
    assert str(Relative(2, True)) == "baseline + 2%"
    assert str(Relative(-10, False)) == "baseline - 10"


@pytest.mark.parametrize("text, column, fragment", [
    ("lut.used <== 4", 10, "unknown operator '<=='"),
    ("lut.used => 4", 10, "unknown operator '=>'"),
    ("lut.used <= ", 13, "expected a value"),
    ("lut.used 40000", 10, "expected an operator"),
    ("lut.usd <= 4", 5, "resource lut has used, pct, available, bits"),
    ("lut.used.x <= 4", 10, "resource lut has"),
    ("timing.met <= true", 12, "only == and != apply"),
    ("status > passed", 8, "only == and != apply"),
    ("lut.used <= true", 13, "expected a number"),
    ("lut.used <= lots", 13, "expected a number"),
    ("timing.met == 1", 15, "expected true or false"),
    ("lut.used <= 2%", 14, "a bare percentage is ambiguous"),
    ("status == pased", 11, "status is one of passed, failed, incomplete, timing-failed"),
    ("status == +2%", 11, "expected a word"),
    ("clk.fmax_mhz >= 200 MHz", 21, "unexpected 'MHz' after the value; units are fixed"),
    ("lut.used <= 4 4", 15, "unexpected '4' after the value"),
    ("lut.used <= 4 #", 15, "unexpected character '#'"),
    (".used <= 4", 1, "expected a metric name"),
    ("lut. <= 4", 6, "expected a metric name"),
    ("foo <= 4", 1, "unknown metric 'foo'"),
    ("clk.freq >= 4", 5, "unknown metric 'clk.freq'"),
    ("stages.pnr <= 4", 8, "stages.<stage>.seconds"),
    ("lut.used <= +", 14, "expected a number after '+'"),
    ("lut.used <= baseline * 2", 22, "unexpected character '*'"),
    ("lut.used <= 'abc", 13, "unterminated quoted name"),
    ("power.source < open", 16, "expected a number after <"),
])
def test_syntax_errors_name_the_column(text, column, fragment):
    with pytest.raises(RuleError) as info:
        parse_rule(text)
    message = str(info.value)
    assert message.startswith(f"rule {text!r}: column {column}: "), message
    assert fragment in message
    assert info.value.exit_code == 2


def test_empty_rule():
    with pytest.raises(RuleError, match="empty rule"):
        parse_rule("   ")


def test_tokenizer_columns():
    toks = tokenize("lut.pct <= +2%")
    assert [(t.kind, t.text, t.col) for t in toks] == [
        ("NAME", "lut", 1), ("DOT", ".", 4), ("NAME", "pct", 5), ("OP", "<=", 9),
        ("PLUS", "+", 12), ("NUMBER", "2", 13), ("PERCENT", "%", 14), ("END", "", 15)]


def test_hyphen_joins_words_but_not_numbers():
    assert [t.text for t in tokenize("timing-failed")][:-1] == ["timing-failed"]
    assert [t.kind for t in tokenize("baseline-10")][:-1] == ["NAME", "MINUS", "NUMBER"]


def test_gates_object_becomes_rules():
    rules = rules_from_gates({
        "lut.pct": "<= 40",
        "timing.met": True,
        "lut.used": ["<= 40000", "<= +2%"],
        "status": "passed",
        "dsp.used": 4,
    })
    assert [r.text for r in rules] == ["lut.pct <= 40", "timing.met == true", "lut.used <= 40000",
                                      "lut.used <= +2%", "status == passed", "dsp.used == 4"]
    assert {r.origin for r in rules} == {"gates"}
    assert rules_from_gates(["lut.used <= 5"])[0].value == 5
    assert rules_from_gates(None) == []


def test_bad_gate_names_the_summary_and_key():
    with pytest.raises(RuleError) as info:
        rules_from_gates({"lut.pct": "<== 40"}, where="build/x/summary.json")
    assert str(info.value).startswith("build/x/summary.json: gates: rule 'lut.pct <== 40': column 9:")
    with pytest.raises(RuleError, match="expected a string like"):
        rules_from_gates({"lut.pct": {"max": 40}})
    with pytest.raises(RuleError, match="not a mapping"):
        rules_from_gates("lut.pct <= 40")


METRICS = ["lut.used", "ff.pct", "bram.bits", "dsp.available", "clk.fmax_mhz", "fmax_mhz",
           "power.total_w", "timing.wns_ns", "hls.interval"]


@settings(max_examples=200, deadline=None)
@given(metric=st.sampled_from(METRICS), op=st.sampled_from(["<=", "<", ">=", ">", "==", "!="]),
       number=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3)),
       spaces=st.sampled_from(["", " ", "   "]))
def test_well_formed_numeric_rules_parse(metric, op, number, spaces):
    rule = parse_rule(f"{metric}{spaces}{op}{spaces}{number!r}")
    assert rule.metric == metric and rule.op == op
    assert rule.value == pytest.approx(number)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="lutpc.=<>!+-%0123456789 abe'\"#*", max_size=24))
def test_any_text_parses_or_reports_a_column_inside_it(text):
    try:
        parse_rule(text)
    except RuleError as exc:
        if text.strip():
            col = int(str(exc).split(": column ")[1].split(":")[0])
            assert 1 <= col <= len(text) + 1
