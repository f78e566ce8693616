"""The summary contract (load/check/merge/write) and the small commands."""

from __future__ import annotations

import json

import pytest

from fpgaflow import summary
from fpgaflow.summary import SummaryError


def minimal(**kw):
    return {"schema": summary.SCHEMA, "status": "passed", **kw}


def test_merge_rules():
    a = minimal(resources={"lut": {"used": 10, "unit": "LUT4"}},
                timing={"clocks": [{"name": "clk", "fmax_mhz": 90.0}]}, tools=[{"name": "yosys"}])
    b = {"resources": {"lut": {"used": 12, "available": 100}, "ff": {"used": 3}},
         "timing": {"clocks": [{"name": "clk", "target_mhz": 100.0}, {"name": "clk2", "fmax_mhz": 5.0}]},
         "tools": [{"name": "yosys"}, {"name": "nextpnr"}], "power": None}
    m = summary.merge(a, b)
    assert m["resources"]["lut"] == {"used": 12, "unit": "LUT4", "available": 100}
    assert m["resources"]["ff"] == {"used": 3}
    assert m["timing"]["clocks"] == [{"name": "clk", "fmax_mhz": 90.0, "target_mhz": 100.0},
                                     {"name": "clk2", "fmax_mhz": 5.0}]
    assert m["tools"] == [{"name": "yosys"}, {"name": "nextpnr"}]
    assert "power" not in m and a["resources"]["lut"]["used"] == 10   # inputs untouched


def test_load_accepts_file_or_dir_and_rejects_bad(tmp_path):
    summary.write(tmp_path / "summary.json", minimal(resources={"lut": {"used": 1}}))
    assert summary.load(tmp_path)["resources"]["lut"]["used"] == 1
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(SummaryError, match="not valid JSON"):
        summary.load(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text(json.dumps({"schema": "x", "status": "great"}))
    with pytest.raises(SummaryError, match="schema is 'x'"):
        summary.load(tmp_path / "other.json")
    (tmp_path / "other.json").write_text(json.dumps({"schema": summary.SCHEMA, "status": "great"}))
    with pytest.raises(SummaryError, match="status: expected one of 'passed'.*got str 'great'"):
        summary.load(tmp_path / "other.json")
    with pytest.raises(SummaryError, match="no summary here"):
        summary.load(tmp_path / "missing")


def test_resource_pct():
    assert summary.resource_pct({"used": 50, "available": 200}) == 25.0
    assert summary.resource_pct({"used": 50}) is None


def test_boards_command_lists_every_required_board(run_cli):
    r = run_cli("boards", "--json")
    assert r.exit_code == 0
    boards = {b["board"]: b for b in json.loads(r.stdout)}
    for name in ("zcu104", "pynq-z2", "arty-a7-100", "de10-nano", "a10gx-devkit", "ulx3s",
                 "orangecrab-25f", "icebreaker"):
        assert name in boards
        assert boards[name]["datasheet"] and boards[name]["resources"]["lut"]["count"] > 0
    assert boards["zcu104"]["resources"]["uram"]["count"] == 96
    assert boards["ulx3s"]["flows"] == ["open", "estimate"]
    assert boards["de10-nano"]["flows"] == ["quartus", "estimate"]


def test_cores_command(run_cli):
    r = run_cli("cores", "--json")
    assert r.exit_code == 0
    names = [c["name"] for c in json.loads(r.stdout)]
    assert "fpgaflow:demo:blinky:1.0" in names


def test_doctor_reports_tools(run_cli):
    r = run_cli("doctor", "--json")
    assert r.exit_code == 0
    tools = {t["name"]: t for t in json.loads(r.stdout)["tools"]}
    assert tools["yosys"]["found"] and tools["yosys"]["via"] in ("native", "yowasp")
    assert tools["iverilog"]["found"] and not tools["vivado"]["found"] or tools["vivado"]["via"] == "vendor"


def test_show_renders_a_summary_and_fails_cleanly(tmp_path, run_cli):
    s = minimal(name="x", device={"part": "LFE5U-85F"}, flow="open",
                resources={"lut": {"used": 10, "available": 100, "unit": "LUT4"}},
                timing={"met": False, "clocks": [{"name": "clk", "target_mhz": 100.0, "fmax_mhz": 80.0,
                                                   "met": False}]},
                stages=[{"name": "synth", "status": "passed", "seconds": 1.0, "log": "logs/synth.log"}])
    summary.write(tmp_path / "summary.json", s)
    r = run_cli("show", tmp_path)
    assert r.exit_code == 0 and "10.0" in r.stdout and "NO" in r.stdout and "80.0" in r.stdout
    r = run_cli("show", tmp_path / "nothing")
    assert r.exit_code == 2 and "no summary here" in r.stderr
