"""Recipe validation: every kind of bad input names file, line and key, exits 2, no traceback."""

from __future__ import annotations

import textwrap

import pytest

GOOD = """\
name: demo
core: fpgaflow:demo:blinky
board: ulx3s
flow: auto
clocks: {clk: 100 MHz}
parameters: {WIDTH: 8}
"""


def write(tmp_path, text):
    p = tmp_path / "r.yaml"
    p.write_text(textwrap.dedent(text))
    return p


@pytest.mark.parametrize("text, line, key, words", [
    (GOOD + "colour: blue\n", 7, "colour", "unknown key"),
    (GOOD.replace("flow: auto", "flow: 3"), 4, "flow", "expected a string"),
    (GOOD.replace("parameters: {WIDTH: 8}", "parameters: [WIDTH]"), 6, "parameters", "expected a mapping"),
    (GOOD.replace("board: ulx3s", "board: nosuchboard"), 3, "board", "unknown board 'nosuchboard'"),
    (GOOD.replace("fpgaflow:demo:blinky", "acme:ip:nothing"), 2, "core", "unknown core 'acme:ip:nothing'"),
    (GOOD.replace("{WIDTH: 8}", "{WIDTH: 8, DEPTH: 4}"), 6, "parameters.DEPTH", "has no parameter 'DEPTH'"),
    (GOOD.replace("100 MHz", "fast"), 5, "clocks.clk", "expected a frequency like '100 MHz'"),
    (GOOD.replace("100 MHz", "-5 MHz"), 5, "clocks.clk", "expected a frequency"),
    (GOOD.replace("flow: auto", "flow: vivado"), 4, "flow", "cannot use flow 'vivado'"),
    (GOOD.replace("flow: auto", "flow: magic"), 4, "flow", "expected one of"),
    (GOOD + "stages: [synth, route]\n", 7, "stages", "unknown stage 'route'"),
    (GOOD + "options: {seed: fast}\n", 7, "options.seed", "expected int"),
])
def test_bad_recipe_is_exit_2_with_location(tmp_path, run_cli, text, line, key, words):
    path = write(tmp_path, text)
    result = run_cli("build", path, "--dry-run", "--out", tmp_path / "b")
    assert result.exit_code == 2, result.output
    assert f"{path}:{line}: {key}: " in result.stderr, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.output


def test_missing_core_and_not_yaml(tmp_path, run_cli):
    p = write(tmp_path, "board: ulx3s\n")
    r = run_cli("build", p, "--dry-run")
    assert r.exit_code == 2 and "missing required key 'core'" in r.stderr
    p.write_text("core: [unclosed\n")
    r = run_cli("build", p, "--dry-run")
    assert r.exit_code == 2 and "not valid YAML" in r.stderr and f"{p}:" in r.stderr


def test_duplicate_key_is_an_error(tmp_path, run_cli):
    p = write(tmp_path, GOOD + "board: icebreaker\n")
    r = run_cli("build", p, "--dry-run")
    assert r.exit_code == 2 and f"{p}:7: board: key 'board' appears twice" in r.stderr


def test_frequency_forms():
    from fpgaflow.recipe import parse_frequency
    assert parse_frequency("200 MHz") == 200.0
    assert parse_frequency("5 ns") == 200.0
    assert parse_frequency("0.1GHz") == pytest.approx(100.0)
    assert parse_frequency("2500 ps") == pytest.approx(400.0)
    for bad in ("200", 200, "MHz", "0 MHz", True, None, "5 parsecs"):
        assert parse_frequency(bad) is None


def test_good_recipe_loads_with_types(tmp_path):
    from fpgaflow import recipe
    r = recipe.load(write(tmp_path, GOOD))
    assert r.core == "fpgaflow:demo:blinky:1.0" and r.board.device.family == "ecp5"
    assert r.clocks == {"clk": 100.0} and r.parameters == {"WIDTH": 8} and r.flow == "auto"


def test_parameters_the_core_model_rejects_name_file_and_line(tmp_path, run_cli, repo):
    """Folding rules live in the core's model; breaking one is bad input (exit 2) with
    the recipe's file and line, found while planning, never a traceback."""
    text = (repo / "recipes" / "bilstm_zcu104.yaml").read_text().replace("PE: 1,", "PE: 3,")
    recipe = tmp_path / "bad.yaml"
    recipe.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("parameters:"))
    res = run_cli("build", recipe, "--dry-run", "--out", tmp_path / "build")
    assert res.exit_code == 2
    assert f"bad.yaml:{line}: parameters" in res.stderr
    assert "PE must divide HIDDEN" in res.stderr and "Traceback" not in res.output
