"""Helpers for the gate tests: the hand-written fixture summaries and variants of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SUMMARIES = Path(__file__).resolve().parent.parent / "fixtures" / "summaries"


@pytest.fixture
def summaries_dir() -> Path:
    return SUMMARIES


@pytest.fixture
def variant(tmp_path):
    """Write a modified copy of a fixture summary: variant('ecp5_open', lut_used=1900, **edits)."""
    counter = iter(range(1000))

    def make(name: str, edit=None, filename: str | None = None) -> Path:
        data = json.loads((SUMMARIES / f"{name}.json").read_text())
        if edit:
            edit(data)
        path = tmp_path / (filename or f"{name}_{next(counter)}.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2))
        return path

    return make
