"""The stage store is bounded: after a build it keeps the build's own entries and the last
used few of each stage name, and leaves alone what another build is copying."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from fpgaflow import build, recipe as recipe_mod
from fpgaflow.plan import Stage
from fpgaflow.stagestore import StageStore

REPO = Path(__file__).resolve().parents[2]


def _entry(store: StageStore, name: str, digest: str, used: float) -> Path:
    path = store.root / f"{name}-{digest}"
    (path / "work").mkdir(parents=True)
    (path / "result.json").write_text(json.dumps({"schema": "fpgaflow.stage-entry/1",
                                                  "digest": digest, "status": "passed"}))
    os.utime(path / "result.json", (used, used))
    return path


def test_the_stage_store_keeps_the_current_build_and_the_last_used(tmp_path):
    store = StageStore(tmp_path)
    now = time.time()
    for i in range(5):
        _entry(store, "synth", f"{i:024x}", now - 100 * (5 - i))    # 4 is the newest
        _entry(store, "pnr", f"{i:024x}", now - 100 * (5 - i))
    current = Stage(name="synth", tools=[], commands=[], digest=f"{0:024x}" + "f" * 40)
    busy = store._lock(f"pnr-{1:024x}")                             # another build copies it
    busy.acquire()
    stale = store.root / ".tmp-synth-1-dead"
    stale.mkdir()
    os.utime(stale, (now - 7200, now - 7200))
    fresh = store.root / ".tmp-synth-2-live"
    fresh.mkdir()
    try:
        removed = store.prune([current], per_stage=2)
    finally:
        busy.release()
    left = sorted(p.name for p in store.root.iterdir() if p.name != ".locks")
    assert removed == [f"pnr-{i:024x}" for i in (0, 2)] + [f"synth-{i:024x}" for i in (1, 2)]
    assert left == [".tmp-synth-2-live"] + [f"pnr-{i:024x}" for i in (1, 3, 4)] + \
        [f"synth-{i:024x}" for i in (0, 3, 4)]
    # reusing an entry makes it the last used
    stage = Stage(name="synth", tools=[], commands=[], digest=f"{3:024x}")
    assert store.restore(stage, tmp_path / "build", {}) is not None
    _entry(store, "synth", f"{9:024x}", now)
    assert store.prune([], per_stage=2) == [f"pnr-{1:024x}"] + [f"synth-{i:024x}" for i in (0, 4)]


def test_a_build_prunes_the_store(tmp_path, monkeypatch):
    from fpgaflow import stagestore
    monkeypatch.setattr(stagestore, "KEEP_PER_STAGE", 1)
    r = recipe_mod.load(REPO / "recipes/blinky_icebreaker.yaml")
    out = tmp_path / "b"
    for mhz in (40.0, 41.0, 42.0):
        r.clocks = {"clk": mhz}
        p = build.make_plan(r, r.board, out_root=out)
        build.execute(p, out, announce=lambda m: None)
    pnr = sorted(x.name for x in (out / ".stages").glob("pnr-*"))
    assert len(pnr) == 2 and f"pnr-{p.stages[-1].digest[:24]}" in pnr    # current + 1 other
    assert len(list((out / ".stages").glob("synth-*"))) == 1
