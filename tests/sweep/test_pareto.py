"""The Pareto front on known points."""

from __future__ import annotations

from fpgaflow.sweep import dominates, pareto_front


def test_two_objectives_min_min():
    pts = [(1, 9), (2, 5), (3, 6), (4, 1), (2, 5), (5, 5), None, (1, 10)]
    # (3,6) is dominated by (2,5); (5,5) by (2,5) and (4,1); (1,10) by (1,9); the
    # duplicate (2,5) points dominate neither each other; None has no values
    assert pareto_front(pts, ["min", "min"]) == [0, 1, 3, 4]


def test_min_max_mix():
    # LUT % (min) against Fmax (max)
    pts = [(10.0, 200.0), (20.0, 250.0), (15.0, 190.0), (30.0, 250.0), (5.0, 100.0)]
    assert pareto_front(pts, ["min", "max"]) == [0, 1, 4]


def test_three_objectives_and_single():
    pts = [(1, 1, 9), (1, 2, 1), (2, 2, 2), (0, 5, 5)]
    assert pareto_front(pts, ["min", "min", "min"]) == [0, 1, 3]
    assert pareto_front([(3,), (1,), (1,), (2,)], ["min"]) == [1, 2]
    assert pareto_front([(3,), (1,), (2,)], ["max"]) == [0]


def test_dominates_needs_one_strict_improvement():
    assert dominates((1, 1), (1, 2), ["min", "min"])
    assert not dominates((1, 2), (1, 2), ["min", "min"])
    assert not dominates((0, 3), (1, 2), ["min", "min"])
    assert dominates((2, 3), (1, 2), ["max", "max"])


def test_empty_and_all_missing():
    assert pareto_front([], ["min"]) == []
    assert pareto_front([None, None], ["min", "max"]) == []


def test_pareto_section_markup_is_escaped_and_lists_the_front():
    from fpgaflow import html_report
    from fpgaflow.sweep import Objective, pareto_section

    class Res:                       # what compare reads back from a sweep.json
        name = "s"
        objectives = [Objective("lut.pct", "min"), Objective("fmax_mhz", "max")]

    records = [{"name": "<b>p1</b>", "metrics": {"lut.pct": 1.5, "fmax_mhz": None}},
               {"name": "p2", "metrics": {"lut.pct": 9, "fmax_mhz": 100}}]
    sec = pareto_section(Res, records, ["<b>p1</b>"], '<?xml version="1.0"?>\n<svg width="1"></svg>')
    assert isinstance(sec, html_report.Section) and sec.id == "pareto-s"
    body = str(sec.body)
    assert "<b>p1</b>" not in body and 'data-point="&lt;b&gt;p1&lt;/b&gt;"' in body
    assert "<td>1.5</td><td>—</td>" in body and 'data-point="p2"' not in body
    assert '<svg class="chart" data-chart="pareto"' in body and "<?xml" not in body
    assert "lut.pct (min), fmax_mhz (max); 1 of 2 points on the front" in " ".join(body.split())

    class NoObjectives:
        name = "n"
        objectives = []

    body = str(pareto_section(NoObjectives, records, [], None).body)
    assert "none given in the sweep file" in body and "<table" not in body and "<svg" not in body
