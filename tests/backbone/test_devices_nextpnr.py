"""Cross-check: the datasheet capacities in devices.yaml against what nextpnr reports."""

from __future__ import annotations

import json
import subprocess

import pytest

from fpgaflow import toolchain
from fpgaflow.boards import devices

# device key -> (nextpnr, args, {bel: (resource key)})
CHECKS = {
    "lfe5u-85f": ("nextpnr-ecp5", ["--85k"], {"TRELLIS_COMB": "lut", "TRELLIS_FF": "ff",
                                             "DP16KD": "bram", "MULT18X18D": "dsp"}),
    "lfe5u-25f": ("nextpnr-ecp5", ["--25k"], {"TRELLIS_COMB": "lut", "TRELLIS_FF": "ff",
                                             "DP16KD": "bram", "MULT18X18D": "dsp"}),
    "ice40up5k": ("nextpnr-ice40", ["--up5k", "--package", "sg48"],
                  {"ICESTORM_LC": "lut", "ICESTORM_RAM": "bram", "ICESTORM_DSP": "dsp",
                   "ICESTORM_SPRAM": "uram"}),
}

EMPTY = '{"creator": "fpgaflow test", "modules": {"top": {"attributes": {"top": "00000000000000000000000000000001"}, "ports": {}, "cells": {}, "netnames": {}}}}'


@pytest.mark.parametrize("key", sorted(CHECKS))
def test_catalog_matches_nextpnr(key, tmp_path):
    tool_name, args, bels = CHECKS[key]
    tool = toolchain.resolve(tool_name)
    (tmp_path / "empty.json").write_text(EMPTY)
    proc = subprocess.run([tool.path, "--json", "empty.json", *args, "--report", "r.json",
                           *(["--lpf-allow-unconstrained"] if "ecp5" in tool_name else [])],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert (tmp_path / "r.json").exists(), proc.stderr[-2000:]
    util = json.loads((tmp_path / "r.json").read_text())["utilization"]
    dev = devices()[key]
    for bel, res in bels.items():
        assert util[bel]["available"] == dev.resources[res]["count"], (key, bel)
