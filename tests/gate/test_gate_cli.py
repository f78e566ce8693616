"""`fpgaflow gate` end to end on the command line: exit codes, messages, baseline handling."""

from __future__ import annotations

import json

import pytest


def test_all_rules_pass_exit_0(run_cli, summaries_dir, variant):
    """Against a baseline that differs (not the summary itself, where every relative rule
    holds by construction): 1820 LUTs <= 1790 + 2% = 1825.8 passes, with its delta shown."""
    f = summaries_dir / "ecp5_open.json"
    base = variant("ecp5_open", lambda s: s["resources"]["lut"].update(used=1790))
    r = run_cli("gate", f, "--baseline", base, "--rule", "clk.fmax_mhz >= 25")
    assert r.exit_code == 0, r.output
    for text in ("lut.pct <= 40", "lut.used <= +2%", "dsp.used <= +0", "clk.fmax_mhz >= 25"):
        assert text in r.stdout
    assert "<= 1825.8 (baseline + 2%)" in r.stdout and "+30 (+1.7%)" in r.stdout
    assert "gate passed: all 6 rules pass" in r.stdout
    assert "FAIL" not in r.stdout


def test_build_directory_is_accepted(run_cli, variant, tmp_path):
    variant("ice40_open", filename="build/blinky_icebreaker-9c1d2e3f/summary.json")
    r = run_cli("gate", tmp_path / "build" / "blinky_icebreaker-9c1d2e3f")
    assert r.exit_code == 0, r.output
    assert "lut.pct <= 60" in r.stdout


def test_failing_rule_exit_1(run_cli, summaries_dir):
    r = run_cli("gate", summaries_dir / "timing_failed.json")
    assert r.exit_code == 1
    assert "FAIL timing.met == true: timing.met is false, limit == true" in r.stdout
    assert "FAIL clk.fmax_mhz >= 100: clk.fmax_mhz is 75.9, limit >= 100" in r.stdout
    assert "gate failed: 2 of 3 rules fail" in r.stdout


def test_power_rule_on_open_flow_fails_visibly(run_cli, summaries_dir):
    r = run_cli("gate", summaries_dir / "ice40_open.json", "--rule", "power.total_w <= 0.5")
    assert r.exit_code == 1
    assert ("FAIL power.total_w <= 0.5: missing metric power.total_w: the summary has no power "
            "section (flow 'open' does not report power)") in r.stdout
    assert "missing" in r.stdout


def test_relative_rule_fails_against_smaller_baseline(run_cli, summaries_dir, variant):
    base = variant("ecp5_open", lambda s: s["resources"]["lut"].update(used=1700))
    r = run_cli("gate", summaries_dir / "ecp5_open.json", "--baseline", base)
    assert r.exit_code == 1
    assert "lut.used is 1820, limit <= 1734 (baseline + 2% = 1734)" in r.stdout
    assert "+120 (+7.1%)" in r.stdout            # the delta-from-baseline column


@pytest.mark.parametrize("args, message", [
    (["nonexistent.json"], "no summary here"),
    (["{bad}"], "not valid JSON"),
    (["{schema}"], "not a fpgaflow summary: schema is 'other/1'"),
    (["{ecp5}", "--rule", "lut.used <== 4"],
     "rule 'lut.used <== 4': column 10: unknown operator '<=='"),
    (["{ecp5}", "--rule", "lut.used <= 4 MHz"], "column 15: unexpected 'MHz'"),
    (["{ecp5}"], "rule 'lut.used <= +2%' is relative to a baseline: give --baseline FILE"),
    (["{nogates}"], "no rules to check"),
    (["{ecp5}", "--baseline", "{ice40}"],
     "baseline is not comparable: device part 'LFE5U-85F-6BG381C' here, 'iCE40UP5K-SG48' in the baseline"),
    (["{ecp5}", "--baseline", "missing-baseline.json"], "no summary here"),
    (["{ecp5}", "--update-baseline"], "--update-baseline needs --baseline FILE"),
    (["{badgate}"], "gates: rule 'lut.pct <== 40': column 9"),
])
def test_bad_input_exit_2(run_cli, summaries_dir, variant, tmp_path, args, message):
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    names = {
        "bad": bad,
        "schema": variant("ecp5_open", lambda s: s.update(schema="other/1")),
        "ecp5": summaries_dir / "ecp5_open.json",
        "ice40": summaries_dir / "ice40_open.json",
        "nogates": variant("vivado_xc7z020"),
        "badgate": variant("ice40_open", lambda s: s.update(gates={"lut.pct": "<== 40"})),
    }
    r = run_cli("gate", *[a.format(**names) if "{" in a else str(tmp_path / a) if a.endswith(".json") else a
                          for a in args])
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("error: ")
    assert message in r.stderr
    assert "Traceback" not in r.output


def test_mismatch_names_flow_and_tool_versions(run_cli, summaries_dir, variant):
    other = variant("ecp5_open", lambda s: (s.update(flow="estimate"),
                                            s["tools"][1].update(version="0.7")))
    r = run_cli("gate", summaries_dir / "ecp5_open.json", "--baseline", other)
    assert r.exit_code == 2
    assert "flow 'open' here, 'estimate' in the baseline" in r.stderr
    assert "tool nextpnr-ecp5 version 0.8 here, 0.7 in the baseline" in r.stderr
    assert "--allow-mismatch" in r.stderr


def test_allow_mismatch_gates_anyway_and_says_so(run_cli, summaries_dir, variant):
    other = variant("ecp5_open", lambda s: s["tools"][0].update(version="0.49"))
    md = variant("ecp5_open").parent / "gate.md"
    r = run_cli("gate", summaries_dir / "ecp5_open.json", "--baseline", other, "--allow-mismatch",
                "--markdown", md)
    assert r.exit_code == 0, r.output
    assert "baseline mismatch accepted (--allow-mismatch): tool yosys version 0.50 here, 0.49" in r.stdout
    assert "tool yosys version 0.50 here, 0.49 in the baseline" in md.read_text()


def test_update_baseline_writes_the_summary(run_cli, summaries_dir, tmp_path):
    baseline = tmp_path / "recipes" / "baselines" / "blinky_ulx3s.json"
    r = run_cli("gate", summaries_dir / "ecp5_open.json", "--baseline", baseline, "--update-baseline")
    assert r.exit_code == 0, r.output
    assert f"baseline written: {baseline}" in r.stdout
    written = json.loads(baseline.read_text())
    original = json.loads((summaries_dir / "ecp5_open.json").read_text())
    assert written == original                       # exactly the summary, without loader keys
    assert sorted(p.name for p in baseline.parent.iterdir()) == ["blinky_ulx3s.json"]  # no temp left


def test_update_baseline_replaces_an_old_mismatched_one(run_cli, summaries_dir, tmp_path):
    baseline = tmp_path / "base.json"
    baseline.write_text((summaries_dir / "ice40_open.json").read_text())
    r = run_cli("gate", summaries_dir / "ecp5_open.json", "--baseline", baseline, "--update-baseline")
    assert r.exit_code == 0, r.output
    assert json.loads(baseline.read_text())["device"]["part"] == "LFE5U-85F-6BG381C"


def test_update_baseline_still_applies_absolute_rules(run_cli, summaries_dir, tmp_path):
    baseline = tmp_path / "base.json"
    r = run_cli("gate", summaries_dir / "timing_failed.json", "--baseline", baseline, "--update-baseline")
    assert r.exit_code == 1
    assert baseline.exists()


def test_json_output(run_cli, summaries_dir):
    r = run_cli("gate", summaries_dir / "estimate_xczu7ev.json", "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["passed"] is False
    by_rule = {x["rule"]: x for x in data["results"]}
    assert by_rule["lut.pct <= 40"]["passed"] is True
    assert by_rule["lut.pct <= 40"]["value"] == pytest.approx(100 * 38210 / 230400)
    assert by_rule["power.total_w <= 2.5"]["value"] is None
    assert "no power section" in by_rule["power.total_w <= 2.5"]["message"]


def test_help(run_cli):
    r = run_cli("gate", "--help")
    assert r.exit_code == 0
    for option in ("--baseline", "--rule", "--junit", "--markdown", "--update-baseline", "--allow-mismatch"):
        assert option in r.stdout
