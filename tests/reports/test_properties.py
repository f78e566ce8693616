"""Property tests (fuzz): no input makes any parser raise anything but ReportError, the
summary loader anything but SummaryError, and whatever a parser returns is strict JSON (no
NaN/Infinity). Fixed example budgets, derandomized: the same examples on every run."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fpgaflow.reports import constraints
from fpgaflow.reports import KINDS, ReportError, detect, hls, ise, nextpnr, parse_text, quartus, \
    vivado, yosys

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"

PARSERS = [yosys.parse_stat, yosys.parse_stat_json, nextpnr.parse_report_json, nextpnr.parse_log,
           vivado.parse_utilization, vivado.parse_utilization_hierarchical,
           vivado.parse_timing_summary, vivado.parse_power, vivado.parse_accelerator_utilization,
           quartus.parse_fit, quartus.parse_sta, quartus.parse_power, hls.parse_csynth_rpt,
           hls.parse_csynth_xml, ise.parse_utilization, ise.parse_twr,
           constraints.parse_constraints_json]
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
    json.dumps(out, allow_nan=False)  # summary.json is strict JSON: no NaN, no Infinity


settings_ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
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


# the fixture directory names the tool family; the detected kind must be one of its kinds,
# and its parser must read the whole real report
FAMILY = {"yosys": "yosys", "nextpnr": "nextpnr", "vivado": "vivado", "quartus": "quartus",
          "hls": "hls", "ise": "ise"}


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_detected_kind_is_the_reports_own(path):
    kind = detect(path.read_text())
    assert kind is not None, path
    assert KINDS[kind][0] == FAMILY[path.parent.name] or (kind == "vitis_accel_util"
                                                         and path.parent.name == "vivado"), kind
    try:
        out = parse_text(path.read_text())
    except ReportError as exc:  # only the fixtures that are failed runs may be refused
        assert re.search(r"crash|error|failed", path.name + str(exc), re.I), exc
        return
    assert set(out) & {"resources", "timing", "power", "hls", "accelerators"}, out


NASTY_NUMBERS = ["9" * 5000, "1" + "0" * 400, "1e400", "-1e400", "nan", "NaN", "inf", "Infinity",
                 "-0", "0x1f", "1,,2", "1e-400", "." * 3, "1.5.5", "١٢٣", "½", "", "-", "?"]
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w.])")


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: f"{p.__module__}.{p.__name__}")
@settings_
@given(data=st.data())
def test_nasty_numbers_in_real_reports(parser, data):
    """Every figure of a real report replaced by numbers no tool prints."""
    text = data.draw(st.sampled_from(TEXTS))
    spots = list(_NUMBER.finditer(text))[:400]
    if not spots:
        return
    chosen = data.draw(st.lists(st.sampled_from(spots), min_size=1, max_size=8, unique=True))
    for m in sorted(chosen, key=lambda m: -m.start()):
        text = text[:m.start()] + data.draw(st.sampled_from(NASTY_NUMBERS)) + text[m.end():]
    _only_report_errors(parser, text)


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_merged_reports_are_strict_json(data):
    """parse_paths over mutated real reports: a ReportError, or a summary that is strict JSON
    and passes the summary schema."""
    import tempfile

    from fpgaflow.reports import parse_paths
    from fpgaflow.summary import check
    picks = data.draw(st.lists(st.sampled_from(SAMPLES), min_size=1, max_size=3, unique=True))
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, src in enumerate(picks):
            text = src.read_text()
            spots = list(_NUMBER.finditer(text))[:200]
            if spots:
                m = data.draw(st.sampled_from(spots))
                text = text[:m.start()] + data.draw(st.sampled_from(NASTY_NUMBERS)) + text[m.end():]
            dst = Path(tmp) / f"{i}_{src.name}"
            dst.write_text(text)
            paths.append(dst)
        try:
            out = parse_paths(paths)
        except ReportError:
            return
        json.dumps(out, allow_nan=False)
        assert check(out) == [], check(out)


SUMMARIES = sorted((FIXTURES.parent / "summaries").glob("*.json"))


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_summary_loader_raises_only_summary_errors(data):
    """load() of mutated summary files: the summary or a SummaryError, nothing else."""
    import tempfile

    from fpgaflow.summary import SummaryError, load
    text = data.draw(st.sampled_from(SUMMARIES)).read_text()
    how = data.draw(st.sampled_from(["cut", "splice", "value", "bytes"]))
    if how == "cut":
        text = text[:data.draw(st.integers(0, len(text)))]
    elif how == "splice":
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.text(max_size=30)) + text[at:]
    elif how == "value":
        spots = list(re.finditer(r'(?<=: )[^,\n{}\[]+', text))
        if spots:
            m = data.draw(st.sampled_from(spots))
            value = data.draw(st.sampled_from(
                ['"x"', "-1", "1e400", "NaN", "Infinity", "true", "null", "[]", "{}",
                 '"' + "9" * 5000 + '"', "9" * 5000, '"[/bold]"', "-0.0", "1" * 400]))
            text = text[:m.start()] + value + text[m.end():]
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "summary.json"
        if how == "bytes":
            f.write_bytes(data.draw(st.binary(max_size=200)))
        else:
            f.write_text(text)
        try:
            out = load(f)
        except SummaryError:
            return
        json.dumps({k: v for k, v in out.items() if not k.startswith("_")}, allow_nan=False)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: f"{p.__module__}.{p.__name__}")
@settings_
@given(blob=st.binary(max_size=300))
def test_binary_junk(parser, blob):
    _only_report_errors(parser, blob.decode("latin-1"))
