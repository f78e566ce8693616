"""Contract tests for the FuseSoC adapter (fusesoc 2.4.x)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fpgaflow import corelib
from fpgaflow.errors import FpgaflowError

ROOTS = corelib.core_roots(Path(__file__))


def test_lists_the_shipped_cores_with_targets_and_parameters():
    cores = {c.name: c for c in corelib.list_cores(ROOTS)}
    blinky = cores["fpgaflow:demo:blinky:1.0"]
    assert set(blinky.targets) == {"default", "sim"}
    assert blinky.parameters["WIDTH"]["default"] == 24
    assert blinky.parameters["WIDTH"]["paramtype"] == "vlogparam"


def test_find_core_without_version_and_unknown():
    assert corelib.find_core("fpgaflow:demo:blinky", ROOTS).name == "fpgaflow:demo:blinky:1.0"
    assert corelib.find_core("acme:none:thing", ROOTS) is None


def test_edam_has_absolute_files_and_recipe_parameters(tmp_path):
    edam = corelib.edam("fpgaflow:demo:blinky", "default", ROOTS, {"WIDTH": 9}, tmp_path)
    assert edam["toplevel"] == "blinky"
    files = [Path(f["name"]) for f in edam["files"]]
    assert files and all(f.is_absolute() and f.exists() for f in files)
    assert edam["parameters"]["WIDTH"]["default"] == 9
    assert edam["parameters"]["LEDS"]["default"] == 4
    with pytest.raises(FpgaflowError, match="no parameter 'DEPTH'"):
        corelib.edam("fpgaflow:demo:blinky", "default", ROOTS, {"DEPTH": 1}, tmp_path)


def test_sim_target_files_include_the_testbench(tmp_path):
    edam = corelib.edam("fpgaflow:demo:blinky", "sim", ROOTS, {}, tmp_path)
    assert edam["toplevel"] == "blinky_tb"
    assert any(f["name"].endswith("blinky_tb.v") for f in edam["files"])
    assert edam["parameters"]["WIDTH"]["default"] == 6
