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
