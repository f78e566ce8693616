"""Sweep files: matrix expansion, include/exclude, derived parameters, errors with file:line."""

from __future__ import annotations

import pytest

from fpgaflow import sweep
from fpgaflow.errors import FpgaflowError

BASE = """\
base:
  core: fpgaflow:demo:blinky
  board: icebreaker
  stages: [sim]
  parameters: {WIDTH: 8, LEDS: 4}
"""


def write(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_product_in_matrix_order():
    combos = sweep.combinations({"parameters.A": [1, 2], "board": ["x", "y"]}, [], [])
    assert combos == [{"parameters.A": 1, "board": "x"}, {"parameters.A": 1, "board": "y"},
                      {"parameters.A": 2, "board": "x"}, {"parameters.A": 2, "board": "y"}]


def test_exclude_drops_partial_matches():
    combos = sweep.combinations({"parameters.A": [1, 2], "board": ["x", "y"]}, [],
                                [{"parameters.A": 2, "board": "y"}, {"parameters.A": 1}])
    assert combos == [{"parameters.A": 2, "board": "x"}]


def test_include_extends_matching_and_adds_unmatched():
    # as in GitHub Actions: an entry that agrees with a combination's original values
    # extends it; one that contradicts every combination becomes a new combination
    combos = sweep.combinations(
        {"parameters.A": [1, 2], "board": ["x"]}, [
            {"parameters.A": 2, "parameters.B": 7},        # extends A=2
            {"parameters.C": 0},                           # extends every combination
            {"parameters.A": 3, "board": "z"},             # contradicts: a new combination
        ], [])
    assert combos == [{"parameters.A": 1, "board": "x", "parameters.C": 0},
                      {"parameters.A": 2, "board": "x", "parameters.B": 7, "parameters.C": 0},
                      {"parameters.A": 3, "board": "z"}]


def test_include_never_overwrites_original_values_but_added_ones():
    combos = sweep.combinations({"parameters.A": [1]}, [
        {"parameters.B": 1}, {"parameters.B": 2},           # added value overwritten
    ], [])
    assert combos == [{"parameters.A": 1, "parameters.B": 2}]


def test_load_expands_points_with_derived_and_names(tmp_path):
    p = write(tmp_path, BASE + """\
name: demo
matrix:
  parameters.WIDTH: [8, 12]
  parameters:
    FOLD: [1, 2]
exclude:
  - {parameters.WIDTH: 12, parameters.FOLD: 2}
include:
  - {parameters.WIDTH: 16, parameters.FOLD: 4, board: ulx3s}
derived:
  LEDS: "WIDTH // FOLD"
  HALF: "max(1, LEDS // 2) if FOLD > 1 else 0"
objectives:
  - {metric: lut.pct, goal: min}
  - {metric: fmax_mhz, goal: max}
""")
    s = sweep.load(p)
    points = sweep.expand(s)
    assert [pt.name for pt in points] == ["demo-WIDTH8-FOLD1", "demo-WIDTH8-FOLD2",
                                          "demo-WIDTH12-FOLD1", "demo-WIDTH16-FOLD4-ulx3s"]
    assert [pt.parameters["LEDS"] for pt in points] == [8, 4, 12, 4]
    assert [pt.parameters["HALF"] for pt in points] == [0, 2, 0, 2]
    assert points[-1].board == "ulx3s" and points[0].board is None
    assert [o.goal for o in s.objectives] == ["min", "max"]
    rec = sweep.point_recipe(s, points[1])
    assert rec["parameters"] == {"WIDTH": 8, "LEDS": 4, "FOLD": 2, "HALF": 2}
    assert rec["board"] == "icebreaker" and rec["name"] == points[1].name


def test_base_as_a_path_relative_to_the_sweep_file(tmp_path, repo):
    (tmp_path / "sweeps").mkdir()
    (tmp_path / "r.yaml").write_text((repo / "recipes/blinky_icebreaker.yaml").read_text())
    p = write(tmp_path / "sweeps", "base: ../r.yaml\nmatrix: {parameters.WIDTH: [4, 5]}\n")
    s = sweep.load(p)
    assert s.base["core"] == "fpgaflow:demo:blinky"
    assert [pt.parameters for pt in sweep.expand(s)] == [{"WIDTH": 4}, {"WIDTH": 5}]


@pytest.mark.parametrize("expr", ["__import__('os').system('true')", "WIDTH.real", "(lambda: 1)()",
                                  "[1, 2]", "open('x')", "WIDTH ** 1000"])
def test_derived_expressions_are_restricted(expr):
    with pytest.raises(sweep.ExprError):
        sweep.evaluate(expr, {"WIDTH": 8})


def test_derived_expression_values():
    env = {"INPUT": 32, "FOLD": 4}
    assert sweep.evaluate("INPUT // FOLD", env) == 8
    assert sweep.evaluate("INPUT / FOLD", env) == 8 and isinstance(sweep.evaluate("INPUT / FOLD", env), int)
    assert sweep.evaluate("clog2(INPUT) + 1", env) == 6
    assert sweep.evaluate("1 if 2 <= FOLD < 8 and INPUT else 0", env) == 1


BAD = [
    ("bogus: 1\n", 6, "bogus", "unknown key"),
    ("matrix:\n  parameters.WIDTH: [8]\n  colour: [red]\n", 8, "matrix.colour", "unknown axis"),
    ("matrix:\n  parameters.WIDTH: 8\n", 7, "matrix.parameters.WIDTH", "expected a list, got int 8"),
    ("matrix: {parameters.WIDTH: [8]}\nderived:\n  LEDS: \"WIDTH +\"\n", 8, "derived.LEDS",
     "not a valid expression"),
    ("matrix: {parameters.WIDTH: [8]}\nderived:\n  LEDS: \"os.system\"\n", 8, "derived.LEDS",
     "Attribute is not allowed"),
    ("matrix: {parameters.WIDTH: [0, 8]}\nderived:\n  LEDS: \"8 // WIDTH\"\n", 8, "derived.LEDS",
     "ZeroDivisionError"),
    ("matrix: {parameters.WIDTH: [8]}\nderived:\n  LEDS: \"NOPE + 1\"\n", 8, "derived.LEDS",
     "unknown name 'NOPE'"),
    ("matrix: {parameters.WIDTH: [8]}\nobjectives:\n  - metric: lut.pct\n    goal: smallest\n", 9,
     "objectives[0].goal", "expected one of 'min', 'max'"),
    ("matrix: {parameters.WIDTH: [8]}\nobjectives:\n  - metric: luts\n", 8, "objectives[0].metric",
     "unknown metric"),
    ("matrix: {parameters.WIDTH: [8]}\nexclude:\n  - {board: ulx3s}\n", 8, "exclude[0].board",
     "not an axis"),
]


@pytest.mark.parametrize("extra, line, key, message", BAD)
def test_bad_sweep_files_name_file_line_key(tmp_path, extra, line, key, message):
    p = write(tmp_path, BASE + extra)
    with pytest.raises(FpgaflowError) as info:
        sweep.load(p)
    exc = info.value
    assert (exc.file, exc.line, exc.key) == (str(p), line, key)
    assert message in exc.message
    assert exc.exit_code == 2


def test_missing_base_file(tmp_path):
    p = write(tmp_path, "base: nowhere.yaml\nmatrix: {parameters.WIDTH: [8]}\n")
    with pytest.raises(FpgaflowError, match="not found") as info:
        sweep.load(p)
    assert info.value.line == 1 and info.value.key == "base"


def test_cli_bad_sweep_exits_2_with_location(tmp_path, run_cli):
    p = write(tmp_path, BASE + "matrix:\n  parameters.WIDTH: [8]\n  colour: [red]\n")
    r = run_cli("sweep", p, "--out", tmp_path / "out")
    assert r.exit_code == 2
    assert f"{p}:8: matrix.colour: unknown axis" in r.stderr
    assert "Traceback" not in r.output


def test_cli_dry_run_writes_point_recipes(tmp_path, run_cli):
    import json
    p = write(tmp_path, BASE + "name: d\nmatrix: {parameters.WIDTH: [8, 9]}\n")
    r = run_cli("sweep", p, "--out", tmp_path / "out", "--dry-run", "--json")
    assert r.exit_code == 0, r.output
    pts = json.loads(r.stdout)
    assert [x["name"] for x in pts] == ["d-WIDTH8", "d-WIDTH9"]
    text = (tmp_path / "out/sweep-d/points/d-WIDTH9.yaml").read_text()
    assert "WIDTH: 9" in text and "fpgaflow build" in text
    assert not list((tmp_path / "out").glob("d-WIDTH8-*"))  # nothing built
