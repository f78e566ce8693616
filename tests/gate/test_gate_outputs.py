"""JUnit XML, Markdown and $GITHUB_STEP_SUMMARY written by `fpgaflow gate`."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fpgaflow import gate


def _junit(run_cli, tmp_path, *args):
    out = tmp_path / "reports" / "gate.xml"
    r = run_cli("gate", *args, "--junit", out)
    return r, ET.parse(out).getroot()


def test_junit_counts_and_failures(run_cli, summaries_dir, tmp_path):
    r, root = _junit(run_cli, tmp_path, summaries_dir / "estimate_xczu7ev.json",
                     "--rule", "clk.fmax_mhz >= 200", "--rule", "lut.used <= 40000")
    assert r.exit_code == 1
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["lut.pct <= 40", "hls.interval <= 512", "power.total_w <= 2.5",
                                              "clk.fmax_mhz >= 200", "lut.used <= 40000"]
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["power.total_w <= 2.5", "clk.fmax_mhz >= 200"]
    for node in (root, suite):
        assert int(node.get("tests")) == 5
        assert int(node.get("failures")) == 2
        assert int(node.get("errors")) == 0
        assert float(node.get("time")) == 0.0
    assert all(c.get("classname") == "fpgaflow.gate.bilstm_zcu104_w4a4" for c in cases)
    failure = failed[0].find("failure")
    assert failure.get("message") == ("missing metric power.total_w: the summary has no power section "
                                      "(flow 'estimate' does not report power)")
    assert failure.get("type") == "GateFailure"
    assert "value: missing" in failure.text
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["device"] == "xczu7ev-ffvc1156-2-e" and props["flow"] == "estimate"


def test_junit_all_pass_and_escaping(run_cli, summaries_dir, tmp_path, variant):
    s = variant("ecp5_open", lambda d: d["timing"]["clocks"].append(
        {"name": "clk|pll<0>&", "target_mhz": 50.0, "fmax_mhz": 80.0}))
    r, root = _junit(run_cli, tmp_path, s, "--baseline", s, "--rule", '"clk|pll<0>&".fmax_mhz >= 50')
    assert r.exit_code == 0, r.output
    suite = root.find("testsuite")
    assert suite.get("tests") == "6" and suite.get("failures") == "0"
    assert suite.findall("testcase")[-1].get("name") == '"clk|pll<0>&".fmax_mhz >= 50'
    assert root.findall(".//failure") == []
    xml_text = (tmp_path / "reports" / "gate.xml").read_text()
    assert xml_text.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_markdown_for_a_pr_comment(run_cli, summaries_dir, variant, tmp_path):
    base = variant("ecp5_open", lambda s: s["resources"]["lut"].update(used=1700))
    md = tmp_path / "gate.md"
    r = run_cli("gate", summaries_dir / "ecp5_open.json", "--baseline", base, "--markdown", md,
                "--rule", "power.total_w <= 1")
    assert r.exit_code == 1
    text = md.read_text()
    lines = text.splitlines()
    assert lines[0] == "### ❌ fpgaflow gate: blinky_ulx3s — 2 of 6 rules fail"
    assert "`LFE5U-85F-6BG381C · flow open · yosys 0.50, nextpnr-ecp5 0.8` · status `passed`" in text
    assert f"Baseline: `{base}`" in text
    header = lines.index("| Rule | Value | Limit | Verdict | Δ baseline |")
    assert lines[header + 1] == "|---|---:|---|:---:|---:|"
    rows = [ln for ln in lines[header + 2:] if ln.startswith("| ")]
    assert len(rows) == 6
    assert "| `lut.used <= +2%` | 1820 | <= 1734 (baseline + 2%) | ❌ fail | +120 (+7.1%) |" in rows
    assert "| `lut.pct <= 40` | 2.176 % | <= 40 | ✅ pass | +0.143 (+7.1%) |" in rows
    assert "| `power.total_w <= 1` | missing | <= 1 | ❌ fail |  |" in rows
    assert "**Failures**" in text
    assert ("- `power.total_w <= 1`: missing metric power.total_w: the summary has no power section "
            "(flow 'open' does not report power)") in text


def test_markdown_escapes_pipes_in_cells(summaries_dir):
    report = gate.run(summaries_dir / "ecp5_open.json", ['"a|b".fmax_mhz >= 1'], summaries_dir / "ecp5_open.json")
    md = gate.to_markdown(report)
    row = next(ln for ln in md.splitlines() if "a\\|b" in ln)
    assert row.count(" | ") == 4   # five cells: the pipe inside the rule does not split one
    assert md.splitlines()[0].startswith("### ❌")


def test_step_summary_is_appended(run_cli, summaries_dir, tmp_path):
    step = tmp_path / "step_summary.md"
    step.write_text("# Earlier step\n")
    env = {"GITHUB_STEP_SUMMARY": str(step)}
    f = summaries_dir / "ecp5_open.json"
    assert run_cli("gate", f, "--baseline", f, env=env).exit_code == 0
    assert run_cli("gate", summaries_dir / "timing_failed.json", env=env).exit_code == 1
    text = step.read_text()
    assert text.startswith("# Earlier step\n### ✅ fpgaflow gate: blinky_ulx3s — all 5 rules pass")
    assert "### ❌ fpgaflow gate: mvau_ulx3s — 2 of 3 rules fail" in text
    assert text.count("| Rule | Value | Limit | Verdict | Δ baseline |") == 2


def test_no_step_summary_without_the_variable(run_cli, summaries_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    f = summaries_dir / "ecp5_open.json"
    assert run_cli("gate", f, "--baseline", f).exit_code == 0
    assert list(tmp_path.iterdir()) == []
