"""The CI workflow that gates pull requests on the shipped open-flow recipes."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

RECIPES = ("blinky_ulx3s", "blinky_icebreaker")


def _workflow(repo):
    return yaml.safe_load((repo / ".github" / "workflows" / "synth-gate.yml").read_text())


def test_runs_on_pull_requests(repo):
    wf = _workflow(repo)
    triggers = wf.get("on", wf.get(True))       # PyYAML reads the bare key `on` as True
    assert "pull_request" in triggers


def _steps(repo, recipe):
    """(name, shell script) of the job's run steps, with the matrix value filled in."""
    (job,) = _workflow(repo)["jobs"].values()
    assert recipe in job["strategy"]["matrix"]["recipe"]
    return job, [(st.get("name", ""), st["run"].replace("${{ matrix.recipe }}", recipe))
                 for st in job["steps"] if "run" in st]


@pytest.mark.parametrize("recipe", RECIPES)
def test_build_step_is_a_valid_command(repo, recipe):
    """The Build step parses as an fpgaflow command line whose recipe exists."""
    from fpgaflow.cli import cli
    _, steps = _steps(repo, recipe)
    (script,) = [run for name, run in steps if name == "Build"]
    argv = shlex.split(script)
    assert argv[0] == "fpgaflow"
    ctx = cli.make_context("fpgaflow", argv[1:], resilient_parsing=False)
    sub = cli.get_command(ctx, argv[1])
    sub.make_context(argv[1], argv[2:])                     # unknown options: UsageError
    assert (repo / argv[2]).is_file()


@pytest.mark.parametrize("recipe,summary,code", [
    ("blinky_ulx3s", "build_blinky_ulx3s.json", 0),
    ("blinky_icebreaker", "build_blinky_icebreaker.json", 0),
    ("blinky_icebreaker", "timing-failed", 1),          # the same build, timing failed
])
def test_gate_step_runs_and_writes_its_artifacts(repo, tmp_path, summaries_dir, recipe,
                                                 summary, code):
    """The Gate step's shell script, run as CI runs it (fpgaflow on PATH, a build/ dir with
    one summary): the gate's exit code, and the JUnit and Markdown files the upload takes."""
    job, steps = _steps(repo, recipe)
    (script,) = [run for name, run in steps if name == "Gate"]
    work = tmp_path / "checkout"
    (work / "recipes").mkdir(parents=True)
    shutil.copytree(repo / "recipes" / "baselines", work / "recipes" / "baselines")
    (work / "build" / "x-0").mkdir(parents=True)
    data = json.loads((summaries_dir / (summary if summary.endswith(".json") else
                                        f"build_{recipe}.json")).read_text())
    if not summary.endswith(".json"):
        data["status"] = summary
        data["timing"]["met"] = False
    (work / "build" / "x-0" / "summary.json").write_text(json.dumps(data))
    (work / "build" / "x-0" / "logs").mkdir()
    (work / "build" / "x-0" / "logs" / "synth.log").write_text("log\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "fpgaflow"
    exe.write_text(f"#!/bin/sh\nexec {sys.executable} -m fpgaflow \"$@\"\n")
    exe.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
               PYTHONPATH=str(repo), GITHUB_STEP_SUMMARY=str(tmp_path / "step_summary.md"))
    proc = subprocess.run(["bash", "-e", "-c", script], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == code, proc.stdout + proc.stderr
    (upload,) = [st for st in job["steps"]
                 if str(st.get("uses", "")).startswith("actions/upload-artifact")]
    assert upload.get("if") == "${{ !cancelled() }}"        # uploads after a failed gate too
    for name in upload["with"]["path"].replace("${{ matrix.recipe }}", recipe).split():
        assert list(work.glob(name)), f"the upload's {name} was not written"
    assert "<testsuite" in (work / f"gate-{recipe}.xml").read_text()
