"""Real builds with YoWASP Yosys + nextpnr (ECP5, iCE40) and the Yosys estimate (xcup).

The numbers in summary.json must be the numbers the tools printed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("builds")


def build(out: Path, recipe: str, *extra: str) -> tuple[int, dict | list, str]:
    proc = subprocess.run([sys.executable, "-m", "fpgaflow", "build", str(REPO / "recipes" / recipe),
                           "--out", str(out), "--json", *extra],
                          capture_output=True, text=True, timeout=900)
    data = json.loads(proc.stdout) if proc.stdout.strip() else {}
    return proc.returncode, data, proc.stderr


def stat_count(stat_txt: str, cells: tuple[str, ...]) -> int:
    """Sum of the given cell counts as Yosys' own `stat` text printed them."""
    total = 0
    for line in stat_txt.splitlines():
        m = re.match(r"^\s+(\d+)\s+(\S+)\s*$", line) or None
        if m and m.group(2) in cells:
            total += int(m.group(1))
    return total


def test_ecp5_open_build(out):
    code, s, err = build(out, "blinky_ulx3s.yaml")
    assert code == 0, err
    assert s["status"] == "passed" and s["flow"] == "open" and s["estimate"] is False
    assert [st["name"] for st in s["stages"]] == ["sim", "synth", "constraints", "pnr"]
    assert all(st["status"] == "passed" for st in s["stages"])
    assert {t["name"]: t["via"] for t in s["tools"]}["yosys"] in ("yowasp", "native")
    bdir = out / f"blinky_ulx3s-{s['digest'][:8]}"
    stat = (bdir / "work/synth/stat.txt").read_text()
    ffs = stat_count(stat, ("TRELLIS_FF",))
    assert ffs == 24 and s["resources"]["ff"]["used"] == ffs        # the counter's 24 bits
    report = json.loads((bdir / "reports/pnr_report.json").read_text())
    assert s["resources"]["lut"]["used"] == report["utilization"]["TRELLIS_COMB"]["used"] > 0
    assert s["resources"]["lut"]["available"] == 83640
    (clk,) = s["timing"]["clocks"]
    assert clk["name"] == "clk" and clk["target_mhz"] == 100.0 and clk["fmax_mhz"] > 0
    assert clk["met"] == (clk["fmax_mhz"] >= 100.0) and s["timing"]["met"] == clk["met"]
    assert s["sim"] == {"vectors": 8192, "mismatches": 0, "cycles_per_item": 1, "passed": True}
    assert "power" not in s and "power" in s["needs_vendor"]         # absent, never zero
    for f in ("plan.json", "edam.yml", "logs/synth.log", "logs/pnr.log", "summary.json"):
        assert (bdir / f).exists(), f


def test_ice40_open_build(out):
    code, s, err = build(out, "blinky_icebreaker.yaml")
    assert code == 0, err
    bdir = out / f"blinky_icebreaker-{s['digest'][:8]}"
    stat = (bdir / "work/synth/stat.txt").read_text()
    dffs = stat_count(stat, tuple(c for c in re.findall(r"SB_DFF\w*", stat)))
    assert dffs == 24 and s["resources"]["ff"]["used"] == dffs
    report = json.loads((bdir / "reports/pnr_report.json").read_text())
    assert s["resources"]["lut"]["used"] == report["utilization"]["ICESTORM_LC"]["used"] > 0
    assert s["timing"]["clocks"][0]["fmax_mhz"] > 0 and s["timing"]["clocks"][0]["target_mhz"] == 48.0


def test_xcup_estimate(out):
    code, s, err = build(out, "blinky_zcu104.yaml")
    assert code == 0, err
    assert s["flow"] == "estimate" and s["estimate"] is True
    assert s["device"]["part"] == "xczu7ev-ffvc1156-2-e"
    assert {"pnr", "timing", "power"} <= set(s["needs_vendor"])
    assert "timing" not in s and "power" not in s
    bdir = out / f"blinky_zcu104-{s['digest'][:8]}"
    assert "synth_xilinx -top blinky -family xcup" in (bdir / "work/synth/synth.ys").read_text()
    stat = (bdir / "work/synth/stat.txt").read_text()
    assert s["resources"]["ff"]["used"] == stat_count(stat, ("FDRE", "FDSE", "FDCE", "FDPE")) == 32
    assert s["resources"]["ff"]["available"] == 460800


def test_estimate_is_said_loudly_in_the_table(out, run_cli):
    r = run_cli("build", REPO / "recipes/blinky_zcu104.yaml", "--out", out)
    assert r.exit_code == 0
    assert "ESTIMATE" in r.stdout and "served from cache" in r.stdout


def test_cache_hit_runs_no_tool_and_force_rebuilds(out):
    code, s1, _ = build(out, "blinky_icebreaker.yaml")
    bdir = out / f"blinky_icebreaker-{s1['digest'][:8]}"
    log = bdir / "logs/pnr.log"
    before = log.stat().st_mtime_ns
    code, s2, _ = build(out, "blinky_icebreaker.yaml")
    assert code == 0 and s2["digest"] == s1["digest"] and log.stat().st_mtime_ns == before
    code, s3, _ = build(out, "blinky_icebreaker.yaml", "--force")
    assert code == 0 and log.stat().st_mtime_ns != before


def test_changed_parameter_changes_digest(tmp_path):
    from fpgaflow import build as b, recipe
    r = recipe.load(REPO / "recipes/blinky_icebreaker.yaml")
    p1 = b.make_plan(r, r.board, out_root=tmp_path)
    r.parameters = {**r.parameters, "WIDTH": 20}
    p2 = b.make_plan(r, r.board, out_root=tmp_path)
    assert p1.digest != p2.digest
    assert b.make_plan(r, r.board, out_root=tmp_path).digest == p2.digest   # deterministic


def test_dry_run_writes_plan_and_runs_nothing(tmp_path, run_cli):
    r = run_cli("build", REPO / "recipes/blinky_ulx3s.yaml", "--out", tmp_path, "--dry-run")
    assert r.exit_code == 0, r.output
    (bdir,) = list(tmp_path.glob("blinky_ulx3s-*"))
    plan = json.loads((bdir / "plan.json").read_text())
    assert [s["name"] for s in plan["stages"]] == ["sim", "synth", "constraints", "pnr"]
    assert (bdir / "work/synth/synth.ys").exists() and (bdir / "work/pnr/clocks.sdc").exists()
    assert "create_clock -period 10.000 -name clk [get_ports {clk}]" in (bdir / "work/pnr/clocks.sdc").read_text()
    assert not (bdir / "summary.json").exists() and not (bdir / "logs").exists()


def test_two_builds_of_one_recipe_at_once(tmp_path):
    cmd = [sys.executable, "-m", "fpgaflow", "build", str(REPO / "recipes/blinky_icebreaker.yaml"),
           "--out", str(tmp_path), "--json"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    sums = [json.loads(o) for o, _ in results]
    assert sums[0]["digest"] == sums[1]["digest"] and sums[0]["resources"] == sums[1]["resources"]
    assert any("another build" in e for _, e in results)      # the second waited for the lock
    (bdir,) = list(tmp_path.glob("blinky_icebreaker-*"))
    assert json.loads((bdir / "summary.json").read_text())["status"] == "passed"


def test_multi_board_recipe_builds_each(tmp_path, run_cli):
    recipe = tmp_path / "multi.yaml"
    recipe.write_text("name: multi\ncore: fpgaflow:demo:blinky\nboards: [icebreaker, zcu104]\n"
                      "clocks: {clk: 50 MHz}\nparameters: {WIDTH: 16}\n")
    r = run_cli("build", recipe, "--out", tmp_path / "b", "--json")
    assert r.exit_code == 0, r.output
    runs = json.loads(r.stdout)
    assert [(x["board"], x["flow"]) for x in runs] == [("icebreaker", "open"), ("zcu104", "estimate")]


def test_project_outside_the_repo_under_tmp(tmp_path, run_cli):
    """Sources under /tmp: YoWASP cannot open some absolute host paths there, so the
    scripts reference sources relative to the work dir (regression test)."""
    import shutil
    proj = tmp_path / "proj"
    shutil.copytree(REPO / "cores/blinky", proj / "cores/blinky")
    core = proj / "cores/blinky/blinky.core"
    core.write_text(core.read_text().replace("fpgaflow:demo:blinky:1.0", "test:tmp:blinky:1.0"))
    (proj / "recipes").mkdir()
    (proj / "recipes/r.yaml").write_text("core: test:tmp:blinky\nboard: icebreaker\n"
                                         "clocks: {clk: 12 MHz}\nparameters: {WIDTH: 10}\n")
    r = run_cli("build", proj / "recipes/r.yaml", "--out", tmp_path / "b", "--json")
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert s["status"] == "passed" and s["resources"]["ff"]["used"] == 10
    (bdir,) = list((tmp_path / "b").glob("r-*"))
    assert '"../../../../proj/cores/blinky/rtl/blinky.v"' in (bdir / "work/synth/synth.ys").read_text()
