"""Property tests: no input makes any parser raise anything but ReportError."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fpgaflow.reports import KINDS, ReportError, detect, hls, nextpnr, parse_text, quartus, vivado, yosys

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"

PARSERS = [yosys.parse_stat, yosys.parse_stat_json, nextpnr.parse_report_json, nextpnr.parse_log,
           vivado.parse_utilization, vivado.parse_utilization_hierarchical,
           vivado.parse_timing_summary, vivado.parse_power, vivado.parse_accelerator_utilization,
           quartus.parse_fit, quartus.parse_sta, quartus.parse_power, hls.parse_csynth_rpt,
           hls.parse_csynth_xml]
SAMPLES = sorted(p for p in FIXTURES.rglob("*") if p.is_file())
TEXTS = [p.read_text() for p in SAMPLES]


def test_every_kind_has_a_parser():
    assert len(KINDS) == len(PARSERS)


def _only_report_errors(parser, text):
    try:
        out = parser(text)
    except ReportError:
        return
    assert isinstance(out, dict)


settings_ = settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: f"{p.__module__}.{p.__name__}")
@settings_
@given(text=st.text(max_size=400))
def test_random_text(parser, text):
    _only_report_errors(parser, text)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: f"{p.__module__}.{p.__name__}")
@settings_
@given(data=st.data())
def test_mutated_real_reports(parser, data):
    text = data.draw(st.sampled_from(TEXTS))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    junk = data.draw(st.text(max_size=40))
    mutated = text[:start] + junk + text[end:]
    _only_report_errors(parser, mutated)
    _only_report_errors(parser, text[:start])  # truncated


@settings_
@given(data=st.data())
def test_parse_text_detected_kind(data):
    text = data.draw(st.sampled_from(TEXTS))
    cut = data.draw(st.integers(0, len(text)))
    try:
        parse_text(text[:cut] + data.draw(st.text(max_size=20)))
    except ReportError:
        pass
    assert detect(text) is None or detect(text) in KINDS


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: f"{p.__module__}.{p.__name__}")
@settings_
@given(blob=st.binary(max_size=300))
def test_binary_junk(parser, blob):
    _only_report_errors(parser, blob.decode("latin-1"))
