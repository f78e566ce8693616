"""`fpgaflow compare` on the command line."""

from __future__ import annotations

import csv
import json


def test_table_on_stdout(run_cli, paths):
    r = run_cli("compare", *paths)
    assert r.exit_code == 0, r.output
    for text in ("LFE5U-85F-6BG381C", "iCE40UP5K-SG48", "xc7z020clg400-1", "5CSEBA6U23I7",
                 "1,820 LUT4", "812 ALM", "≈ 38,210 LUT6", "75.9 MHz ✗", "1.417 W", "Legend:"):
        assert text in r.stdout, text
    assert "% of device and memory bits are what compare fairly" in " ".join(r.stdout.split())


def test_json(run_cli, paths):
    r = run_cli("compare", *paths[:3], "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert len(data["runs"]) == 3
    assert {row["metric"] for row in data["rows"]} >= {"lut.used", "lut.pct", "clk.fmax_mhz", "memory.bits"}


def test_csv_file_and_table(run_cli, paths, tmp_path):
    out = tmp_path / "cmp" / "table.csv"
    r = run_cli("compare", *paths, "--csv", out)
    assert r.exit_code == 0
    assert "Legend:" in r.stdout
    rows = list(csv.reader(out.open()))
    assert len(rows[0]) == 3 + len(paths)


def test_csv_on_stdout(run_cli, paths):
    r = run_cli("compare", *paths[:2], "--csv", "-")
    assert r.exit_code == 0
    rows = list(csv.reader(r.stdout.splitlines()))
    assert rows[0][0] == "section" and "Legend" not in r.stdout


def test_build_directories(run_cli, paths, tmp_path):
    d = tmp_path / "build" / "blinky_ulx3s-3f9a1c0b"
    d.mkdir(parents=True)
    (d / "summary.json").write_text(paths[0].read_text())
    r = run_cli("compare", d, paths[1], "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["runs"][0]["path"] == str(d / "summary.json")


def test_bad_input_exit_2(run_cli, paths, tmp_path):
    r = run_cli("compare", paths[0], tmp_path / "nope.json")
    assert r.exit_code == 2
    assert "no summary here" in r.stderr and "Traceback" not in r.output
    assert run_cli("compare").exit_code == 2          # no summary at all: usage error


def test_json_and_csv_cannot_share_stdout(run_cli, paths):
    r = run_cli("compare", *paths[:2], "--json", "--csv", "-")
    assert r.exit_code == 2
    assert "both want stdout" in r.stderr
