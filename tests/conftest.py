"""Shared test helpers. The suite never needs ../shared to pass."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def run_cli():
    """Run ``fpgaflow ARGS...`` in-process; returns exit code, stdout and stderr."""
    from fpgaflow.cli import cli

    def run(*args: str, env: dict | None = None) -> CliResult:
        runner = CliRunner()
        result = runner.invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def repo() -> Path:
    return REPO


# the hand-written fixture summaries and variants of them (gate, schemas tests)
SUMMARIES = REPO / "tests" / "fixtures" / "summaries"


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
