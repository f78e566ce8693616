"""The stage graph and the per-stage cache, on real builds (YoWASP Yosys + nextpnr, Icarus)
of a copy of the blinky core that the tests edit: what changed decides what runs again."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from fpgaflow import build, plan as plan_mod, recipe as recipe_mod, runner
from fpgaflow.cli.build import StageLines

REPO = Path(__file__).resolve().parents[2]

RECIPE = """\
name: g
core: test:graph:blinky
{board_key}: {board}
stages: [{stages}]
clocks: {{clk: {mhz} MHz}}
parameters: {{WIDTH: 8, LEDS: 4}}
"""


class Recorder(runner.Observer):
    def __init__(self):
        self.events = []

    def stage_started(self, stage):
        self.events.append(("start", stage.name))

    def stage_finished(self, stage, result):
        self.events.append(("cached" if result.cached else "end", stage.name))


@pytest.fixture
def project(tmp_path):
    proj = tmp_path / "proj"
    shutil.copytree(REPO / "cores/blinky", proj / "cores/blinky")
    core = proj / "cores/blinky/blinky.core"
    core.write_text(core.read_text().replace("fpgaflow:demo:blinky:1.0", "test:graph:blinky:1.0"))
    (proj / "recipes").mkdir()
    return proj


def run(proj: Path, out: Path, *, board="icebreaker", stages="sim, synth, pnr", mhz=48,
        jobs=2, **kw):
    path = proj / "recipes/g.yaml"
    path.write_text(RECIPE.format(board_key="boards" if board.startswith("[") else "board",
                                  board=board, stages=stages, mhz=mhz))
    rec = Recorder()
    summaries = []
    r = recipe_mod.load(path)
    for bname in r.boards:
        board_obj = next(b for b in recipe_mod.recipe_boards(r) if b.name == bname)
        rb = r.for_board(board_obj) if len(r.boards) > 1 else r
        p = build.make_plan(rb, board_obj, out_root=out, announce=lambda m: None)
        o = build.execute(p, out, jobs=jobs, observer=rec, announce=lambda m: None, **kw)
        assert not o.cached
        summaries.append(o.summary)
    return summaries, rec.events


def ran(summary: dict) -> list[str]:
    """The stages that ran in this build (not copied from the stage store)."""
    return [s["name"] for s in summary["stages"] if not s.get("cached")]


def test_what_changed_decides_what_runs(project, tmp_path):
    out = tmp_path / "b"
    (s,), events = run(project, out)
    assert s["status"] == "passed" and ran(s) == ["sim", "synth", "constraints", "pnr"]
    # sim and synth are independent: with -j 2 both started before either ended (synth,
    # which starts the longer chain, first); the table keeps the plan's order
    assert events[:2] == [("start", "synth"), ("start", "sim")]
    assert [x["name"] for x in s["stages"]] == ["sim", "synth", "constraints", "pnr"]
    first_synth = (out / f"g-{s['digest'][:8]}/logs/synth.log").read_text()

    (s2,), events = run(project, out, mhz=40)                  # only the clock changed
    assert ran(s2) == ["pnr"] and s2["status"] == "passed"   # pins name clock ports only
    assert s2["digest"] != s["digest"]
    assert (out / f"g-{s2['digest'][:8]}/logs/synth.log").read_text() == first_synth
    assert s2["resources"]["lut"] == s["resources"]["lut"]     # read from the reused synth
    assert s2["timing"]["clocks"][0]["target_mhz"] == 40.0

    tb = project / "cores/blinky/tb/blinky_tb.v"
    tb.write_text(tb.read_text() + "// testbench edited\n")
    (s3,), _ = run(project, out, mhz=40)
    assert ran(s3) == ["sim"]

    rtl = project / "cores/blinky/rtl/blinky.v"
    rtl.write_text(rtl.read_text() + "// rtl edited\n")
    (s4,), _ = run(project, out, mhz=40)
    assert ran(s4) == ["sim", "synth", "constraints", "pnr"]   # everything reads the RTL

    # the whole build is cached too; --force-stage reruns a stage and what reads it
    (s5,), _ = run(project, out, mhz=40, force_stages=["synth"])
    assert ran(s5) == ["synth", "constraints", "pnr"]
    (s6,), events = run(project, out, mhz=40, jobs=1, force=True)
    assert ran(s6) == ["sim", "synth", "constraints", "pnr"]
    assert events == [(e, n) for n in ("synth", "constraints", "pnr", "sim")
                      for e in ("start", "end")]


def test_boards_of_one_family_share_synthesis(project, tmp_path):
    """synth_ecp5 does not depend on the part: the second ECP5 board reuses the netlist."""
    (a, b), _ = run(project, tmp_path / "b", board="[orangecrab-25f, ulx3s]",
                    stages="synth, pnr")
    assert a["status"] == b["status"] == "passed"
    assert ran(a) == ["synth", "constraints", "pnr"] and ran(b) == ["constraints", "pnr"]
    assert a["board"] != b["board"]
    assert a["resources"]["lut"]["used"] == b["resources"]["lut"]["used"]


FAKE = """\
name: fake
core: fpgaflow:demo:blinky
board: zcu104
flow: estimate
"""


def fake_recipe(tmp_path: Path, monkeypatch, body: str) -> Path:
    """The estimate recipe with a `yosys` that counts its runs and otherwise runs BODY."""
    exe = tmp_path / "bin/yosys"
    exe.parent.mkdir()
    exe.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        if [ "$1" = "-V" ]; then echo "Yosys 0.70 (fake)"; exit 0; fi
        echo run >> {tmp_path / "runs"}
        {body}
        """))
    exe.chmod(0o755)
    monkeypatch.setenv("FPGAFLOW_YOSYS", str(exe))
    monkeypatch.setenv("FPGAFLOW_CACHE_DIR", str(tmp_path / "cache"))
    import fpgaflow.toolchain as tc
    monkeypatch.setattr(tc, "CACHE_DIR", tmp_path / "cache")
    (tmp_path / "fake.yaml").write_text(FAKE)
    return tmp_path / "fake.yaml"


@pytest.mark.parametrize("body,status", [
    ("exit 1", "failed"),
    ("exit 0", "incomplete"),                                      # no outputs
    ("echo junk > stat.txt; echo '{\"not\": 1}' > stat.json", "incomplete"),   # unparseable
])
def test_a_failed_or_incomplete_stage_is_never_reused(tmp_path, monkeypatch, body, status):
    r = recipe_mod.load(fake_recipe(tmp_path, monkeypatch, body))
    out = tmp_path / "b"
    for n in (1, 2):
        p = build.make_plan(r, r.board, out_root=out, announce=lambda m: None)
        o = build.execute(p, out, announce=lambda m: None)
        assert o.summary["status"] == status and not o.cached
        assert len((tmp_path / "runs").read_text().split()) == n    # it ran again
    assert not list((out / ".stages").glob("synth-*"))


def test_stage_digests_cover_exactly_their_inputs(tmp_path):
    r = recipe_mod.load(REPO / "recipes/blinky_ulx3s.yaml")
    p1 = build.make_plan(r, r.board, out_root=tmp_path)
    r.clocks = {k: v + 1 for k, v in r.clocks.items()}
    p2 = build.make_plan(r, r.board, out_root=tmp_path)
    d1, d2 = ({s.name: s.digest for s in p.stages} for p in (p1, p2))
    assert d1["synth"] == d2["synth"] and d1["sim"] == d2["sim"] and d1["pnr"] != d2["pnr"]
    assert d1["constraints"] == d2["constraints"]     # pins: clock ports, not frequencies
    r.parameters = {**r.parameters, "WIDTH": r.parameters.get("WIDTH", 24) + 1}
    p3 = build.make_plan(r, r.board, out_root=tmp_path)
    d3 = {s.name: s.digest for s in p3.stages}
    assert d3["synth"] != d2["synth"] and d3["pnr"] != d2["pnr"]   # pnr reads the new netlist
    assert [s.needs for s in p3.stages] == [[], [], ["synth"], ["synth", "constraints"]]
    with pytest.raises(ValueError, match="needs 'nope'"):
        p3.stages[0].needs = ["nope"]
        p3.compute_digest()


def test_code_digest_follows_fpgaflow_imports():
    files = plan_mod._fpgaflow_imports("fpgaflow.models.lfc")
    assert "fpgaflow/models/lfc.py" in files and "fpgaflow/models/mvau.py" in files
    assert plan_mod.code_digest("fpgaflow.models.lfc") != plan_mod.code_digest("fpgaflow.models.mvau")


def test_code_digest_memo_is_used_only_while_its_files_are_unchanged(tmp_path, monkeypatch):
    """The digest of a ``python -m fpgaflow.…`` module is kept across processes with the
    stat of each file it covers: reused while they are unchanged, made again when one of
    them (here a module imported by the one the command runs) changes."""
    pkg = tmp_path / "src" / "fpgaflow"
    (pkg / "models").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "models" / "__init__.py").write_text("")
    (pkg / "models" / "top.py").write_text("from . import helper\n")
    (pkg / "models" / "helper.py").write_text("X = 1\n")
    monkeypatch.setattr(plan_mod, "_PKG_ROOT", pkg)
    monkeypatch.setattr(plan_mod, "_code_memo_path", lambda: tmp_path / "code-digests.json")

    def fresh():            # a new process: nothing in memory, the memo file on disk
        monkeypatch.setattr(plan_mod, "_CODE", {})
        monkeypatch.setattr(plan_mod, "_MEMO", [])
        monkeypatch.setattr(plan_mod, "_DIGESTS", {})
        return plan_mod.code_digest("fpgaflow.models.top")
    first = fresh()
    real = plan_mod._fpgaflow_imports
    monkeypatch.setattr(plan_mod, "_fpgaflow_imports", lambda m: pytest.fail("not memoized"))
    assert fresh() == first                              # unchanged: from the memo
    monkeypatch.setattr(plan_mod, "_fpgaflow_imports", real)
    (pkg / "models" / "helper.py").write_text("X = 2  # changed\n")
    assert fresh() != first                              # an imported module changed


def test_force_stage_must_name_a_stage(tmp_path, run_cli):
    r = run_cli("build", REPO / "recipes/blinky_icebreaker.yaml", "--out", tmp_path,
                "--force-stage", "synht")
    assert r.exit_code == 2 and "synht" in r.stderr \
        and "synth, constraints, pnr" in r.stderr


def test_progress_lines_without_a_terminal(tmp_path):
    class P:
        name = "g"
    lines, now = [], [100.0]
    obs = StageLines(P(), tmp_path / "g-1", lines.append, clock=lambda: now[0])
    stage = plan_mod.Stage(name="synth", tools=[], commands=[])
    obs.stage_started(stage)
    now[0] += 29
    obs.tick()
    assert len(lines) == 1 and "synth: started" in lines[0] and "logs/synth.log" in lines[0]
    now[0] += 2
    obs.tick()
    assert "synth: still running, 31 s" in lines[1]
    now[0] += 10
    obs.tick()
    assert len(lines) == 2                                      # every 30 s, not every tick
    obs.stage_finished(stage, runner.StageResult("synth", "failed", 41.0, "logs/synth.log",
                                                 message="yosys exited with code 1"))
    assert "synth: failed in 41.0 s" in lines[2] and "logs/synth.log" in lines[2]
    assert "exited with code 1" in lines[2]
    now[0] += 100
    obs.tick()
    assert len(lines) == 3                                      # nothing runs: no heartbeat


def test_cli_prints_stage_lines_on_stderr(tmp_path, monkeypatch, run_cli):
    recipe = fake_recipe(tmp_path, monkeypatch, "sleep 0.2; exit 3")
    r = run_cli("build", recipe, "--out", tmp_path / "b", "--json", "-j", "1")
    assert r.exit_code == 1, r.output
    name = json.loads(r.stdout)["name"]
    # the line names its build ('[name]' once went to Rich, which read it as markup and
    # dropped it)
    assert f"[{name}] synth: started (log: " in r.stderr and "logs/synth.log" in r.stderr
    assert "synth: failed in 0." in r.stderr and "exited with code 3" in r.stderr
    assert json.loads(r.stdout)["status"] == "failed"          # stdout is only the JSON


def test_plan_memo_serves_an_unchanged_build_without_planning(project, tmp_path, monkeypatch,
                                                               run_cli):
    from fpgaflow import planmemo
    monkeypatch.setattr(planmemo, "_cache_dir", lambda: tmp_path / "memo")
    recipe = project / "recipes/g.yaml"
    recipe.write_text(RECIPE.format(board_key="board", board="icebreaker", stages="synth",
                                    mhz=48))
    out = tmp_path / "b"
    first = run_cli("build", recipe, "--out", out, "--json")
    assert first.exit_code == 0, first.output

    def no_planning(*a, **k):
        raise AssertionError("planned")
    monkeypatch.setattr(build, "make_plan", no_planning)
    again = run_cli("build", recipe, "--out", out, "--json")
    served = json.loads(again.stdout)
    served.pop("_path")
    assert again.exit_code == 0 and served == json.loads(first.stdout)
    rtl = project / "cores/blinky/rtl/blinky.v"
    rtl.write_text(rtl.read_text() + "// edited\n")          # a stage input changed: plan again
    with pytest.raises(AssertionError, match="planned"):
        run_cli("build", recipe, "--out", out, "--json")
    rtl.write_text(rtl.read_text().replace("// edited\n", ""))
    monkeypatch.setenv("FPGAFLOW_SOMETHING", "1")              # environment planning may read
    with pytest.raises(AssertionError, match="planned"):
        run_cli("build", recipe, "--out", out, "--json")
