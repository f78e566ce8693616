"""What a build costs besides its tools, and what keeps that cheap without serving a stale
result: the plan memo (also behind --force), the tool-version cache, a clock change that
probes no tool, the modules a cache hit and --help import."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fpgaflow import build, planmemo, recipe as recipe_mod, toolchain
from fpgaflow.plan import Plan, Stage

REPO = Path(__file__).resolve().parents[2]

RECIPE = """\
name: m
core: test:memo:blinky
board: icebreaker
stages: [synth]
clocks: {clk: 48 MHz}
parameters: {WIDTH: 8, LEDS: 4}
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    proj = tmp_path / "proj"
    shutil.copytree(REPO / "cores/blinky", proj / "cores/blinky")
    core = proj / "cores/blinky/blinky.core"
    core.write_text(core.read_text().replace("fpgaflow:demo:blinky:1.0", "test:memo:blinky:1.0"))
    (proj / "recipes").mkdir()
    (proj / "recipes/m.yaml").write_text(RECIPE)
    monkeypatch.setattr(planmemo, "_cache_dir", lambda: tmp_path / "memo")
    return proj


def _no_planning(*a, **k):
    raise AssertionError("planned")


def test_force_reruns_the_stages_of_a_memo_plan_without_planning(project, tmp_path, monkeypatch,
                                                                   run_cli):
    recipe, out = project / "recipes/m.yaml", tmp_path / "b"
    first = run_cli("build", recipe, "--out", out, "--json")
    assert first.exit_code == 0, first.output
    s1 = json.loads(first.stdout)
    with monkeypatch.context() as m:
        m.setattr(build, "make_plan", _no_planning)
        again = run_cli("build", recipe, "--out", out, "--json", "--force")
        assert again.exit_code == 0, again.output
        s2 = json.loads(again.stdout)
        assert s2["digest"] == s1["digest"] and not any(s.get("cached") for s in s2["stages"])
        assert (out / f"m-{s1['digest'][:8]}/edam.yml").read_text()   # kept, not emptied
        forced = run_cli("build", recipe, "--out", out, "--json", "--force-stage", "synth")
        assert forced.exit_code == 0 and json.loads(forced.stdout)["stages"][0]["name"] == "synth"
    rtl = project / "cores/blinky/rtl/blinky.v"
    rtl.write_text(rtl.read_text() + "// edited\n")       # an input changed: --force plans
    with monkeypatch.context() as m:
        m.setattr(build, "make_plan", _no_planning)
        with pytest.raises(AssertionError, match="planned"):
            run_cli("build", recipe, "--out", out, "--json", "--force")


def test_a_plan_json_that_lost_its_digests_is_not_loaded(tmp_path):
    r = recipe_mod.load(REPO / "recipes/blinky_icebreaker.yaml")
    p = build.make_plan(r, r.board, out_root=tmp_path)
    bdir = tmp_path / p.dirname
    p.write(bdir)
    loaded = Plan.load(bdir)
    assert loaded is not None and loaded.digest == p.digest and loaded.edam is None
    assert [s.digest for s in loaded.stages] == [s.digest for s in p.stages]
    data = json.loads((bdir / "plan.json").read_text())
    data["stages"][0]["commands"][0].append("-q")             # edited by hand
    (bdir / "plan.json").write_text(json.dumps(data))
    assert Plan.load(bdir) is None


def test_memo_keeps_what_planning_saw_and_the_recipe_text(tmp_path, monkeypatch):
    monkeypatch.setattr(planmemo, "_cache_dir", lambda: tmp_path / "memo")
    recipe = tmp_path / "r.yaml"
    src = tmp_path / "src.v"
    recipe.write_text("name: a\n")
    src.write_text("module a; endmodule\n")
    stage = Stage(name="synth", tools=[], commands=[], inputs=[str(src)])
    plan = Plan(name="a", recipe=str(recipe), core="c", target="t", board="b", device={},
                flow="open", estimate=False, clocks={}, parameters={}, options={}, gates={},
                stages=[stage], digest="d" * 64)
    args = (recipe, None, (), tmp_path / "out")

    def remember():
        sha = planmemo.recipe_digest(recipe)
        seen = planmemo.snapshot(recipe, [plan])
        return sha, seen
    sha, seen = remember()
    planmemo.record(*args, [plan], seen, sha)
    assert planmemo.lookup(*args) == [{"name": "a", "dirname": plan.dirname, "digest": "d" * 64}]

    # a source edited while the tools ran (after planning, before the memo is written)
    sha, seen = remember()
    src.write_text("module a; wire w; endmodule\n")
    planmemo.record(*args, [plan], seen, sha)
    assert planmemo.lookup(*args) is None

    # the recipe edited to the same size with its mtime put back: its text still counts
    sha, seen = remember()
    planmemo.record(*args, [plan], seen, sha)
    assert planmemo.lookup(*args) is not None
    st = recipe.stat()
    recipe.write_text("name: b\n")
    os.utime(recipe, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert planmemo.lookup(*args) is None
    os.mkfifo(tmp_path / "fifo.yaml")              # never read (the loader refuses them)
    assert planmemo.recipe_digest(Path("/dev/zero")) == "not-a-recipe-file"
    assert planmemo.recipe_digest(tmp_path / "fifo.yaml") == "not-a-recipe-file"


def test_tool_versions_are_probed_once_per_executable(tmp_path, monkeypatch):
    exe, runs = tmp_path / "faketool", tmp_path / "runs"
    exe.write_text(f'#!/bin/sh\necho x >> "{runs}"\necho "faketool version 1.2.3"\n')
    exe.chmod(0o755)
    monkeypatch.setattr(toolchain, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setenv("FPGAFLOW_FAKETOOL", str(exe))
    assert toolchain.resolve("faketool").version == "1.2.3"
    assert toolchain.resolve("faketool").version == "1.2.3"
    assert len(runs.read_text().split()) == 1                  # the second came from the cache
    exe.write_text(exe.read_text().replace("1.2.3", "1.2.4"))  # replaced: size and mtime differ
    assert toolchain.resolve("faketool").version == "1.2.4"
    assert len(runs.read_text().split()) == 2


def test_a_clock_change_plans_without_probing_a_tool(tmp_path, monkeypatch):
    r = recipe_mod.load(REPO / "recipes/blinky_icebreaker.yaml")
    p1 = build.make_plan(r, r.board, out_root=tmp_path)       # versions cached (if not yet)

    def probe(*a, **k):
        raise AssertionError("a tool was started to ask its version")
    monkeypatch.setattr(toolchain, "_run_version", probe)
    r.clocks = {"clk": 40.0}
    p2 = build.make_plan(r, r.board, out_root=tmp_path)
    changed = [s.name for s, t in zip(p1.stages, p2.stages) if s.digest != t.digest]
    assert changed == ["pnr"]


def _modules_after(args: list[str], env: dict) -> set[str]:
    """The top-level modules a `fpgaflow ARGS` process imported."""
    code = ("import sys\nfrom fpgaflow.cli import main\ntry:\n    main(sys.argv[1:])\n"
            "except SystemExit:\n    pass\n"
            "print('MODULES', ' '.join(sorted(sys.modules)), file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=300)
    line = [x for x in proc.stderr.splitlines() if x.startswith("MODULES ")][-1]
    return set(line.split()[1:])


HEAVY = ("fusesoc", "edalize", "pydantic", "jinja2", "lark", "yaml", "filelock",
         "fpgaflow.recipe", "fpgaflow.flows")


def test_a_cache_hit_and_help_import_nothing_heavy(project, tmp_path):
    env = dict(os.environ, FPGAFLOW_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    recipe, out = str(project / "recipes/m.yaml"), str(tmp_path / "b")
    first = _modules_after(["build", recipe, "--out", out], env)
    assert "fusesoc" in first                                  # planned: the check below means it
    hit = _modules_after(["build", recipe, "--out", out], env)
    assert not {m for m in hit for h in HEAVY if m == h or m.startswith(h + ".")}
    helped = _modules_after(["--help"], env)
    assert not {m for m in helped for h in HEAVY + ("rich",) if m == h or m.startswith(h + ".")}
    forced = _modules_after(["build", recipe, "--out", out, "--force"], env)
    assert not {m for m in forced if m.split(".")[0] in ("fusesoc", "edalize", "jinja2", "lark")
                or m in ("fpgaflow.recipe", "fpgaflow.flows")}
