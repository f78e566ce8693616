"""Running sweeps for real: cache hits, resume after an interruption, failing points, executors.

The points are the blinky core's simulation on the iCEBreaker (iverilog, well under a
second each); the Dask test builds real synthesis + place-and-route points.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from fpgaflow import sweep

SIM = """\
name: sims
base:
  core: fpgaflow:demo:blinky
  board: icebreaker
  stages: [sim]
  clocks: {clk: 48 MHz}
  parameters: {WIDTH: 8, LEDS: 4}
matrix:
  parameters.WIDTH: [4, 5, 6]
derived:
  LEDS: "min(WIDTH, 4) - 1"
"""


def make(tmp_path: Path, text: str = SIM) -> sweep.Sweep:
    p = tmp_path / "s.yaml"
    p.write_text(text)
    return sweep.load(p)


def build_dirs(out: Path) -> dict[str, Path]:
    return {d.name.rsplit("-", 1)[0]: d for d in out.iterdir() if (d / "plan.json").exists()}


def test_sweep_builds_then_serves_from_cache_and_rebuilds_only_what_is_missing(tmp_path):
    s = make(tmp_path)
    out = tmp_path / "out"
    first = sweep.run(s, out, executor="serial", announce=None)
    assert [r["status"] for r in first.records] == ["passed"] * 3
    assert not any(r["cached"] for r in first.records)
    assert [r["parameters"]["LEDS"] for r in first.records] == [3, 3, 3]
    dirs = build_dirs(out)
    assert sorted(dirs) == ["sims-WIDTH4", "sims-WIDTH5", "sims-WIDTH6"]
    # the point's recipe on disk rebuilds the same digest by hand
    point_yaml = out / "sweep-sims/points/sims-WIDTH5.yaml"
    assert "WIDTH: 5" in point_yaml.read_text()

    second = sweep.run(s, out, jobs=2, announce=None)
    assert [r["cached"] for r in second.records] == [True, True, True]
    assert [r["digest"] for r in second.records] == [r["digest"] for r in first.records]

    (dirs["sims-WIDTH5"] / "summary.json").unlink()   # as if that point never finished
    third = sweep.run(s, out, jobs=2, announce=None)
    assert [r["cached"] for r in third.records] == [True, False, True]
    assert all(r["status"] == "passed" for r in third.records)
    assert (dirs["sims-WIDTH5"] / "summary.json").exists()


class Interrupt(sweep.Observer):
    def __init__(self):
        self.seen = []

    def finished(self, record):
        self.seen.append(record["name"])
        raise KeyboardInterrupt


def test_interrupted_sweep_resumes(tmp_path):
    s = make(tmp_path)
    out = tmp_path / "out"
    obs = Interrupt()
    with pytest.raises(KeyboardInterrupt):
        sweep.run(s, out, executor="serial", observer=obs, announce=None)
    assert obs.seen == ["sims-WIDTH4"]
    saved = json.loads((out / "sweep-sims/sweep.json").read_text())
    assert [p["status"] for p in saved["points"]] == ["passed", "pending", "pending"]
    assert saved["counts"]["pending"] == 2

    again = sweep.run(s, out, executor="serial", announce=None)
    assert [(r["status"], r["cached"]) for r in again.records] == \
        [("passed", True), ("passed", False), ("passed", False)]


# a core of the sweep's own project (tmp/cores/): its testbench reports a mismatch at WIDTH 0,
# which no model forbids, so that point fails in the simulator
FLAKY_CORE = """\
CAPI=2:
name: fpgaflow-test:sweep:flaky:1.0
filesets:
  tb: {files: [flaky_tb.v], file_type: verilogSource}
parameters:
  WIDTH: {datatype: int, default: 4, paramtype: vlogparam}
targets:
  default: {filesets: [tb], parameters: [WIDTH], toplevel: flaky_tb}
  sim: {filesets: [tb], parameters: [WIDTH], toplevel: flaky_tb}
"""
FLAKY_TB = """\
module flaky_tb;
  parameter integer WIDTH = 4;
  initial begin
    $display("FPGAFLOW_SIM vectors=1 mismatches=%0d cycles_per_item=1", WIDTH == 0);
    $finish;
  end
endmodule
"""


def test_failing_and_invalid_points_are_reported_and_the_others_pass(tmp_path, run_cli,
                                                                     monkeypatch):
    # the point recipes are written under --out: the sweep hands its project's cores/ to
    # the planning as data (no FPGAFLOW_CORES), so the core is found from there only
    monkeypatch.delenv("FPGAFLOW_CORES", raising=False)
    core = tmp_path / "proj" / "cores" / "flaky"
    core.mkdir(parents=True)
    (core / "flaky.core").write_text(FLAKY_CORE)
    (core / "flaky_tb.v").write_text(FLAKY_TB)
    p = tmp_path / "proj" / "f.yaml"
    p.write_text("""\
name: sims
base:
  core: fpgaflow-test:sweep:flaky
  board: icebreaker
  stages: [sim]
  clocks: {clk: 48 MHz}
  parameters: {WIDTH: 8}
matrix:
  parameters.WIDTH: [0, 5]
include:
  - {parameters.WIDTH: 7, parameters.NOT_A_PARAM: 1}
""")
    import os
    before = dict(os.environ)
    r = run_cli("sweep", p, "--out", tmp_path / "out", "-j", "2")
    assert dict(os.environ) == before
    assert r.exit_code == 1, r.output
    data = json.loads((tmp_path / "out/sweep-sims/sweep.json").read_text())
    by = {pt["name"]: pt for pt in data["points"]}
    assert by["sims-WIDTH5"]["status"] == "passed"
    assert by["sims-WIDTH0"]["status"] == "failed"
    assert "stage sim failed" in by["sims-WIDTH0"]["error"]
    bad = by["sims-WIDTH7-NOT_A_PARAM1"]
    assert bad["status"] == "invalid" and "has no parameter 'NOT_A_PARAM'" in bad["error"]
    assert data["counts"] == {"total": 3, "passed": 1, "failed": 2, "cached": 0, "pending": 0}
    assert "sims-WIDTH0: failed: stage sim failed" in r.stderr
    assert "1 passed, 2 failed" in r.stdout
    rows = list(csv.DictReader((tmp_path / "out/sweep-sims/sweep.csv").open()))
    assert [row["status"] for row in rows] == ["failed", "passed", "invalid"]
    assert rows[1]["sim.cycles_per_item"] == "1" and rows[1]["WIDTH"] == "5"


def test_a_point_the_model_rejects_is_invalid_before_any_tool(tmp_path, run_cli):
    p = tmp_path / "f.yaml"
    p.write_text(SIM.replace("[4, 5, 6]", "[0, 5]"))
    r = run_cli("sweep", p, "--out", tmp_path / "out", "-j", "1")
    assert r.exit_code == 1, r.output
    data = json.loads((tmp_path / "out/sweep-sims/sweep.json").read_text())
    by = {pt["name"]: pt for pt in data["points"]}
    assert by["sims-WIDTH5"]["status"] == "passed"
    bad = by["sims-WIDTH0"]
    assert bad["status"] == "invalid" and "WIDTH=0 must be 1..64" in bad["error"], bad
    assert "build_dir" not in bad                      # never planned, so nothing ran


def test_cli_json_and_rerun_from_cache(tmp_path, run_cli):
    p = tmp_path / "s.yaml"
    p.write_text(SIM)
    r = run_cli("sweep", p, "--out", tmp_path / "out", "--json", "-j", "2")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["schema"] == "fpgaflow.sweep/1" and data["counts"]["passed"] == 3
    r2 = run_cli("sweep", p, "--out", tmp_path / "out")
    assert r2.exit_code == 0
    assert "3 from cache" in r2.stdout


DASK = """\
name: pnr
base:
  core: fpgaflow:demo:blinky
  board: icebreaker
  stages: [synth, pnr]
  clocks: {clk: 48 MHz}
  parameters: {WIDTH: 8, LEDS: 4}
matrix:
  parameters.WIDTH: [6, 20]
objectives:
  - {metric: lut.used, goal: min}
  - {metric: fmax_mhz, goal: max}
"""


def test_dask_local_cluster_builds_points_and_the_front(tmp_path):
    s = make(tmp_path, DASK)
    out = tmp_path / "out"
    res = sweep.run(s, out, jobs=2, executor="dask", announce=None)
    assert [r["status"] for r in res.records] == ["passed", "passed"], res.records
    small, big = res.records
    assert small["metrics"]["lut.used"] < big["metrics"]["lut.used"]
    assert small["metrics"]["fmax_mhz"] > big["metrics"]["fmax_mhz"]
    assert res.front == ["pnr-WIDTH6"]                 # fewer LUTs and faster: dominates
    assert (small["pareto"], big["pareto"]) == (True, False)
    svg = (res.sweep_dir / "pareto.svg").read_text()
    assert "<svg" in svg
    html = (res.sweep_dir / "report.html").read_text()
    assert 'id="pareto-pnr"' in html and 'data-point="pnr-WIDTH6"' in html
    assert 'data-point="pnr-WIDTH20"' not in html and html.count("</body>") == 1
    # the same sweep, locally: every point is a cache hit of the Dask-built directories
    again = sweep.run(s, out, jobs=2, announce=None)
    assert [r["cached"] for r in again.records] == [True, True]
