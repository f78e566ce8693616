"""The CI workflow that gates pull requests on the shipped open-flow recipes."""

from __future__ import annotations

import yaml

RECIPES = ("blinky_ulx3s", "blinky_icebreaker")


def _workflow(repo):
    return yaml.safe_load((repo / ".github" / "workflows" / "synth-gate.yml").read_text())


def test_runs_on_pull_requests(repo):
    wf = _workflow(repo)
    triggers = wf.get("on", wf.get(True))       # PyYAML reads the bare key `on` as True
    assert "pull_request" in triggers


def test_builds_gates_and_publishes(repo):
    wf = _workflow(repo)
    (job,) = wf["jobs"].values()
    assert sorted(job["strategy"]["matrix"]["recipe"]) == sorted(RECIPES)
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "pip install -e '.[test]'" in runs
    assert "fpgaflow build recipes/${{ matrix.recipe }}.yaml" in runs
    assert "fpgaflow gate" in runs
    assert "--baseline recipes/baselines/${{ matrix.recipe }}.json" in runs
    assert "--junit" in runs and "--markdown" in runs
    uploads = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    assert uploads and "gate-${{ matrix.recipe }}.xml" in uploads[0]["with"]["path"]
    assert uploads[0].get("if") == "${{ !cancelled() }}"
