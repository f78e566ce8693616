"""A sim stage's verdict: the FPGAFLOW_SIM line of fpgaflow's cores (vectors, mismatches), or,
for a public core's own testbench that prints none, its exit status, as under `fusesoc run`."""

from __future__ import annotations

import json

import pytest

from fpgaflow import build as build_mod
from fpgaflow import reports
from fpgaflow.plan import Stage
from fpgaflow.runner import StageResult

CORE = """\
CAPI=2:
name: fpgaflow-test:verdict:own_tb:1.0
filesets:
  tb: {{files: [own_tb.v], file_type: verilogSource}}
targets:
  default: {{filesets: [tb], toplevel: own_tb}}
  sim: {{filesets: [tb], toplevel: own_tb, default_tool: icarus}}
"""
TB = {
    "quiet": 'module own_tb; initial begin $display("all 3 checks ok"); $finish; end endmodule\n',
    "fatal": 'module own_tb; initial begin $fatal(1, "check 2 failed"); end endmodule\n',
}


def _build(tmp_path, run_cli, monkeypatch, tb: str):
    core = tmp_path / "cores" / "own_tb"
    core.mkdir(parents=True)
    (core / "own_tb.core").write_text(CORE.format())
    (core / "own_tb.v").write_text(TB[tb])
    monkeypatch.setenv("FPGAFLOW_CORES", str(tmp_path / "cores"))
    r = tmp_path / "r.yaml"
    r.write_text("core: fpgaflow-test:verdict:own_tb\nboard: icebreaker\nstages: [sim]\n")
    return run_cli("build", r, "--out", tmp_path / "b", "--json")


def test_own_testbench_without_result_line_passes_on_exit_0(tmp_path, run_cli, monkeypatch):
    res = _build(tmp_path, run_cli, monkeypatch, "quiet")
    assert res.exit_code == 0, res.stdout + res.stderr
    s = json.loads(res.stdout)
    assert s["status"] == "passed"
    assert s["sim"] == {"passed": True, "checked_by": "exit status"}


def test_own_testbench_that_fails_fails_the_stage(tmp_path, run_cli, monkeypatch):
    res = _build(tmp_path, run_cli, monkeypatch, "fatal")
    assert res.exit_code == 1
    s = json.loads(res.stdout)
    assert s["status"] == "failed" and "sim" not in s


def _parse(tmp_path, text: str, meta: dict):
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "sim.log").write_text(text)
    stage = Stage(name="sim", tools=[], commands=[], meta=meta)
    res = StageResult("sim", "passed", 1.0, "logs/sim.log", 0)
    return build_mod._parse_stage(stage, res, tmp_path, reports), res


def test_a_core_with_a_model_must_print_its_result_line(tmp_path):
    """fpgaflow's cores compare against the vectors their model wrote: no line means the
    testbench did not get that far, never a pass."""
    with pytest.raises(reports.ReportError, match="no FPGAFLOW_SIM result line"):
        _parse(tmp_path, "$ vvp -n sim.vvp\n", {"result_line": True})


def test_result_line_counts_and_a_broken_line_is_not_an_exit_status_pass(tmp_path):
    (part, _), res = _parse(tmp_path, "FPGAFLOW_SIM vectors=8 mismatches=1\n", {})
    assert "checked_by" not in part and part["passed"] is False
    assert res.status == "failed"
    (tmp_path / "logs" / "sim.log").write_text("FPGAFLOW_SIM done\n")
    with pytest.raises(reports.ReportError, match="no vectors=N"):
        build_mod._parse_stage(Stage(name="sim", tools=[], commands=[]),
                               StageResult("sim", "passed", 1.0, "logs/sim.log", 0),
                               tmp_path, reports)
