"""Gate and compare on summaries exactly as `fpgaflow build` wrote them.

build_blinky_*.json are copies of real open-flow builds of the shipped demo recipes
(YoWASP Yosys 0.70, nextpnr 0.11.1), extra keys (bels, cells, notes, needs_vendor) included.
"""

from __future__ import annotations

import pytest

from fpgaflow import compare, gate
from fpgaflow.gate import evaluate, parse_rule
from fpgaflow.summary import load


@pytest.fixture(params=["build_blinky_icebreaker", "build_blinky_ulx3s"])
def built(request, summaries_dir):
    return summaries_dir / f"{request.param}.json"


def test_own_gates_pass_against_itself(run_cli, built, tmp_path):
    baseline = tmp_path / "baseline.json"
    r = run_cli("gate", built, "--baseline", baseline, "--update-baseline",
                "--rule", "lut.used <= +0", "--rule", "fmax_mhz >= -5%", "--rule", "clk.met == true",
                "--junit", tmp_path / "j.xml")
    assert r.exit_code == 0, r.output
    assert "gate passed: all 5 rules pass" in r.stdout
    r = run_cli("gate", built, "--baseline", baseline, "--rule", "lut.used <= +0")
    assert r.exit_code == 0, r.output


def test_power_rule_fails_saying_it_needs_the_vendor_tool(built):
    result = evaluate(parse_rule("power.total_w <= 1"), load(built))
    assert not result.passed
    assert result.message.endswith(
        "the summary has no power section (flow 'open' does not report power: it needs the vendor tool)")


def test_clock_met_is_a_boolean_metric():
    with pytest.raises(gate.RuleError, match="column 9: clk.met is a boolean"):
        parse_rule("clk.met <= true")


def test_the_two_boards_do_not_gate_each_other(run_cli, summaries_dir):
    r = run_cli("gate", summaries_dir / "build_blinky_ulx3s.json",
                "--baseline", summaries_dir / "build_blinky_icebreaker.json")
    assert r.exit_code == 2
    assert "device part 'LFE5U-85F-6BG381C' here, 'iCE40UP5K-SG48' in the baseline" in r.stderr
    assert "tool iverilog 11.0 here, absent from the baseline" in r.stderr


def test_compare_real_builds(summaries_dir):
    summaries = [load(summaries_dir / f"build_blinky_{b}.json") for b in ("icebreaker", "ulx3s")]
    rows = {r.metric: r for r in compare.table(summaries)}
    assert [r.part for r in compare.runs(summaries)] == ["iCE40UP5K-SG48", "LFE5U-85F-6BG381C"]
    assert rows["lut.used"].cells == ["27 LC", "31 LUT4"]
    assert all(v is not None and v > 0 for v in rows["clk.fmax_mhz"].values)
    assert "power.total_w" not in rows
