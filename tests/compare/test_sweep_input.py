"""`fpgaflow compare` of sweep results: the points with a summary, and the Pareto section."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser

# (suffix, status, LUTs, Fmax): 4 and 5 are on the front (fewer LUTs / faster), 6 is dominated
# by both, 7 failed (it has a summary, it is never on the front), 8 is invalid (no build at all)
POINTS = [("W4", "passed", 100, 200.0), ("W5", "passed", 150, 250.0), ("W6", "passed", 200, 180.0),
          ("W7", "failed", 90, 300.0), ("W8", "invalid", 0, 0.0)]


class _Page(HTMLParser):
    """The compare table's column headers and Design row, and each extra section's text/tags."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.columns = 0
        self.designs: list[str] = []
        self.sections: dict[str, dict] = {}
        self._section = None
        self._cell = None

    def _inside(self, tag, **attrs):
        return any(t == tag and all(a.get(k) == v for k, v in attrs.items()) for t, a in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append((tag, a))
        if tag == "section" and "extra" in (a.get("class") or ""):
            self._section = self.sections.setdefault(a.get("id"), {"tags": [], "points": [], "text": "", "rows": {}})
        if self._section is not None:
            self._section["tags"].append(tag)
            if tag == "tr" and a.get("data-point"):
                self._section["points"].append(a["data-point"])
                self._section["rows"][a["data-point"]] = []
            if tag == "td" and self._inside("tr") and self._section["points"]:
                self._section["rows"][self._section["points"][-1]].append("")
        if self._inside("table", id="compare"):
            if tag == "th" and a.get("scope") == "col":
                self.columns += 1
            if tag == "td" and self._inside("tr", **{"data-metric": "name"}) and a.get("class") != "metric":
                self._cell = ""

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break
        if tag == "td" and self._cell is not None:
            self.designs.append(self._cell.strip())
            self._cell = None
        if tag == "section":
            self._section = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._section is not None:
            self._section["text"] += data
            if self._section["points"] and self._inside("td"):
                self._section["rows"][self._section["points"][-1]][-1] += data


def parse(text: str) -> _Page:
    p = _Page()
    p.feed(text)
    return p


def test_sweep_dir_expands_to_its_points_and_shows_the_pareto_front(make_sweep, run_cli, tmp_path):
    d = make_sweep("sims", POINTS)
    out = tmp_path / "cmp.html"
    r = run_cli("compare", d, "--html", out)
    assert r.exit_code == 0, r.output
    page = parse(out.read_text())
    # one column per point with a summary: the failed one too, not the invalid one
    assert page.columns == 4
    assert page.designs == ["sims-W4", "sims-W5", "sims-W6", "sims-W7"]
    assert list(page.sections) == ["pareto-sims"]
    sec = page.sections["pareto-sims"]
    assert sec["points"] == ["sims-W4", "sims-W5"]
    assert "svg" in sec["tags"] and "table" in sec["tags"]
    text = " ".join(sec["text"].split())
    assert "Pareto front: sweep sims" in text
    assert "objectives: lut.used (min), fmax_mhz (max); 2 of 5 points on the front" in text
    assert sec["rows"] == {"sims-W4": ["sims-W4", "100", "200.0"], "sims-W5": ["sims-W5", "150", "250.0"]}
    assert 'data-chart="pareto"' in out.read_text()
    # the terminal table lists the same points
    assert "sims-W7" in r.stdout and "sims-W8" not in r.stdout


def test_sweep_report_html_has_the_same_section(make_sweep, run_cli, tmp_path):
    d = make_sweep("sims", POINTS)
    own = parse((d / "report.html").read_text())       # written by `fpgaflow sweep` itself
    out = tmp_path / "cmp.html"
    assert run_cli("compare", d / "sweep.json", "--html", out).exit_code == 0
    via_compare = parse(out.read_text())
    assert own.columns == via_compare.columns == 4
    assert own.sections["pareto-sims"]["points"] == via_compare.sections["pareto-sims"]["points"]
    assert own.sections["pareto-sims"]["text"] == via_compare.sections["pareto-sims"]["text"]
    html = (d / "report.html").read_text()
    assert html.count("</body>") == 1 and html.index('id="pareto-sims"') < html.index("</body>")


def test_mixing_summaries_build_dirs_and_two_sweeps(make_sweep, run_cli, paths, tmp_path):
    a = make_sweep("a", POINTS[:2])
    b = make_sweep("b", [("X1", "passed", 10, 20.0), ("X2", "passed", 5, 10.0), ("X3", "passed", 20, 5.0)])
    build = tmp_path / "build" / "blinky_ulx3s-3f9a1c0b"
    build.mkdir(parents=True)
    shutil.copy(paths[0], build / "summary.json")
    out = tmp_path / "cmp.html"
    r = run_cli("compare", paths[2], a, build, b / "sweep.json", "--html", out)
    assert r.exit_code == 0, r.output
    page = parse(out.read_text())
    assert page.columns == 1 + 2 + 1 + 3
    assert page.designs[1:3] == ["a-W4", "a-W5"] and page.designs[4:] == ["b-X1", "b-X2", "b-X3"]
    assert list(page.sections) == ["pareto-a", "pareto-b"]
    assert page.sections["pareto-a"]["points"] == ["a-W4", "a-W5"]
    assert page.sections["pareto-b"]["points"] == ["b-X1", "b-X2"]
    # the same sweep twice counts once; two sweeps of one name: two sections, ids still unique
    r = run_cli("compare", a, a / "sweep.json", "--html", out)
    assert r.exit_code == 0
    assert list(parse(out.read_text()).sections) == ["pareto-a"]
    copy = tmp_path / "other" / "sweep-a"
    shutil.copytree(a, copy)
    r = run_cli("compare", a, copy, "--html", out)
    assert r.exit_code == 0
    assert list(parse(out.read_text()).sections) == ["pareto-a", "pareto-a-2"]


def test_json_and_csv_take_sweeps_too(make_sweep, run_cli, tmp_path):
    d = make_sweep("sims", POINTS)
    r = run_cli("compare", d, "--json")
    assert r.exit_code == 0, r.output
    assert [run["name"] for run in json.loads(r.stdout)["runs"]] == ["sims-W4", "sims-W5", "sims-W6", "sims-W7"]


def test_a_moved_output_directory_still_finds_the_points(make_sweep, run_cli, tmp_path):
    d = make_sweep("sims", POINTS)
    moved = tmp_path / "artifact"
    shutil.move(d.parent, moved)                      # sweep.json keeps the old absolute paths
    r = run_cli("compare", moved / "sweep-sims", "--json")
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.stdout)["runs"]) == 4


def _bad(run_cli, path, *words):
    r = run_cli("compare", path, "--html", path.parent / "x.html")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and not (path.parent / "x.html").exists()
    for w in words:
        assert w in r.stderr, (w, r.stderr)
    return r


def test_bad_sweep_json_is_an_error_naming_the_file(make_sweep, run_cli, tmp_path):
    d = make_sweep("sims", POINTS)
    sj = d / "sweep.json"
    good = sj.read_text()
    sj.write_text(good[: len(good) // 2])
    _bad(run_cli, d, str(sj), "not valid JSON", "hint:")
    sj.write_text(json.dumps({"schema": "fpgaflow.summary/1"}))
    _bad(run_cli, sj, str(sj), "not a fpgaflow sweep result", "fpgaflow.sweep/1", "hint:")
    data = json.loads(good)
    data["points"] = {"no": "list"}
    sj.write_text(json.dumps(data))
    _bad(run_cli, d, str(sj), "points", "hint:")
    data = json.loads(good)
    data["objectives"] = [{"metric": "lut.used", "goal": "smallest"}]
    sj.write_text(json.dumps(data))
    _bad(run_cli, d, str(sj), "objectives")


def test_missing_sweep_json_and_a_sweep_without_summaries(make_sweep, run_cli, tmp_path):
    _bad(run_cli, tmp_path / "sweep.json", str(tmp_path / "sweep.json"), "no sweep.json here", "hint:")
    empty = tmp_path / "out" / "sweep-nothing"
    empty.mkdir(parents=True)
    _bad(run_cli, empty, str(empty), "no summary here", "sweep")
    d = make_sweep("inv", [("A", "invalid", 0, 0.0)])
    _bad(run_cli, d, str(d / "sweep.json"), "no point of sweep 'inv' has a summary", "hint:")


def test_build_glob_with_a_sweep_dir_shows_each_point_once(make_sweep, run_cli, tmp_path):
    # `fpgaflow compare build/*/ --html F` names the sweep directory and its points' build dirs
    d = make_sweep("sims", POINTS)
    dirs = sorted(p for p in d.parent.iterdir() if p.is_dir())
    assert d in dirs and len(dirs) == 5
    out = tmp_path / "cmp.html"
    r = run_cli("compare", *dirs, "--html", out)
    assert r.exit_code == 0, r.output
    page = parse(out.read_text())
    assert page.columns == 4 and sorted(page.designs) == ["sims-W4", "sims-W5", "sims-W6", "sims-W7"]
    assert page.sections["pareto-sims"]["points"] == ["sims-W4", "sims-W5"]
