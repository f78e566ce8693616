"""Every shipped recipe and sweep plans: the library's entry points must not rot.

A dry run resolves the core through FuseSoC (generators included), chooses the flow,
renders every stage and computes the folding bound from the core's model, without
running a tool. Two recipes once failed here only when someone built them (a sim
target without VARIANT; the LFC top inheriting its MVAU dependency's parameters).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RECIPES = sorted((REPO / "recipes").glob("*.yaml"))
SWEEPS = sorted((REPO / "recipes" / "sweeps").glob("*.yaml"))


@pytest.mark.parametrize("recipe", RECIPES, ids=[p.stem for p in RECIPES])
def test_recipe_plans(recipe, tmp_path, run_cli, monkeypatch):
    monkeypatch.setenv("FPGAFLOW_CACHE_DIR", str(tmp_path / "cache"))
    res = run_cli("build", recipe, "--dry-run", "--json", "--out", tmp_path / "build")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    plans = doc if isinstance(doc, list) else [doc]
    for plan in plans:
        names = [s["name"] for s in plan["stages"]]
        assert names and all(s["commands"] for s in plan["stages"]), plan
        written = json.loads((Path(plan["build_dir"]) / "plan.json").read_text())
        for stage in written["stages"]:
            # the models the core's hooks declare run as `python -m MODULE` in the stage
            models = [c[c.index("-m") + 1] for c in stage["commands"] if "-m" in c[:2]]
            if stage["name"] == "sim" and any(
                    hasattr(importlib.import_module(m), "cycles_per_item") for m in models):
                # a core with a model gets its folding bound at plan time
                assert stage["meta"].get("cycles_per_item_bound", 0) >= 1, (recipe.name, stage)
            if stage["name"] == "sim" and "nn:" in written["core"]:
                assert models, (recipe.name, stage["name"])       # every NN core declares one


@pytest.mark.parametrize("sweep", SWEEPS, ids=[p.stem for p in SWEEPS])
def test_sweep_expands_and_plans(sweep, tmp_path, run_cli, monkeypatch):
    monkeypatch.setenv("FPGAFLOW_CACHE_DIR", str(tmp_path / "cache"))
    res = run_cli("sweep", sweep, "--dry-run", "--out", tmp_path / "build")
    assert res.exit_code == 0, res.output
    points = sorted((tmp_path / "build").glob("sweep-*/points/*.yaml"))
    assert len(points) >= 4
    # the first point is a normal recipe that plans like any other
    res = run_cli("build", points[0], "--dry-run", "--json", "--out", tmp_path / "build")
    assert res.exit_code == 0, res.output
