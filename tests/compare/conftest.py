"""Fixture summaries from different vendors, flows and architectures."""

from __future__ import annotations

from pathlib import Path

import pytest

from fpgaflow.summary import load

SUMMARIES = Path(__file__).resolve().parent.parent / "fixtures" / "summaries"
VENDORS = ["ecp5_open", "ice40_open", "vivado_xc7z020", "quartus_cyclonev", "estimate_xczu7ev",
           "timing_failed"]


@pytest.fixture
def paths() -> list[Path]:
    return [SUMMARIES / f"{name}.json" for name in VENDORS]


@pytest.fixture
def summaries(paths) -> list[dict]:
    return [load(p) for p in paths]


def write_sweep_result(out: Path, name: str, points: list[tuple[str, str, int, float]]) -> Path:
    """A finished sweep on disk as ``sweep.run`` leaves it, without running a tool.

    ``points``: (suffix, status, LUTs used, Fmax MHz). Each point gets a build directory with a
    summary (the ice40_open fixture with those figures), except status "invalid" (no build);
    ``sweep.write_results`` then writes sweep.json, sweep.csv, pareto.svg and report.html.
    Objectives: lut.used (min), fmax_mhz (max). Returns the sweep directory.
    """
    import json

    from fpgaflow import sweep

    s = sweep.Sweep(path=out / f"{name}.yaml", name=name, base={}, base_path=out / f"{name}.yaml",
                    matrix={"parameters.WIDTH": [p[0] for p in points]},
                    objectives=[sweep.Objective("lut.used", "min"), sweep.Objective("fmax_mhz", "max")])
    base = json.loads((SUMMARIES / "ice40_open.json").read_text())
    records = []
    for suffix, status, lut, fmax in points:
        pname = f"{name}-{suffix}"
        rec = {"name": pname, "recipe": str(out / f"sweep-{name}/points/{pname}.yaml"),
               "board": "icebreaker", "flow": "open", "axes": {"parameters.WIDTH": suffix},
               "parameters": {"WIDTH": suffix}, "status": "pending", "cached": False}
        records.append(rec)
        if status == "invalid":
            rec.update(status="invalid", error="core has no parameter 'X'")
            continue
        build_dir = out / f"{pname}-3f9a1c0b"
        build_dir.mkdir(parents=True)
        summ = json.loads(json.dumps(base))
        summ.update(name=pname, status=status)
        summ["resources"]["lut"]["used"] = lut
        summ["timing"]["clocks"] = [{"name": "clk", "target_mhz": 12.0, "fmax_mhz": fmax}]
        (build_dir / "summary.json").write_text(json.dumps(summ))
        rec.update(digest="0" * 64, build_dir=str(build_dir))
        sweep._fill(rec, summ, sweep.metric_names(s))
    front = sweep._front(s, records)
    sweep_dir = out / f"sweep-{name}"
    sweep.write_results(s, sweep_dir, records, front)
    return sweep_dir


@pytest.fixture
def make_sweep(tmp_path):
    """``make_sweep(name, points)``: a sweep result under tmp_path/out (see write_sweep_result)."""
    return lambda name, points: write_sweep_result(tmp_path / "out", name, points)
