"""Ternary layer: model vs an explicit ternary product, RTL simulation against the model, FuseSoC."""

from __future__ import annotations

import os
import subprocess

import numpy as np
import pytest

from fpgaflow import toolchain
from fpgaflow.models import ternary

from ._sim import CORES, STREAM_TB, assert_passed, flip_expected, fusesoc_sim, icarus, result

CORE = CORES / "ternary"
SOURCES = [CORE / "rtl" / "ternary_layer.v", CORES / "mvau" / "rtl" / "mvau.v", CORE / "tb" / "ternary_tb.v",
           STREAM_TB]


def simulate(workdir, params: dict) -> str:
    return icarus(workdir, SOURCES, "ternary_tb", params)


def test_model_matches_explicit_ternary_product():
    rng = np.random.default_rng(2)
    w = rng.integers(-1, 2, size=(7, 19))
    x = rng.integers(0, 4, size=(5, 19))
    loop = np.array([[sum(int(a) * int(b) for a, b in zip(xi, wr)) for wr in w] for xi in x])
    assert np.array_equal(ternary.accumulate(w, x), loop)
    assert ternary.encode(np.array([1, -1, 0])).tolist() == [1, 3, 0]


def test_edge_rows_saturate_and_match_the_explicit_product():
    d, w, thr, x, y = ternary.make_case({"THRESH": 0})
    amax = 3
    # input 1 is all-max: row 0 (all +1) and row 1 (all -1) hit the accumulator extremes
    assert y[1, 0] == d["MW"] * amax and y[1, 1] == -d["MW"] * amax
    assert (y[:, 2] == 0).all()  # all-zero weights: every lane skips
    assert set(np.unique(w)) <= {-1, 0, 1}
    assert np.array_equal(y, ternary.accumulate(w, x))


def test_is_a_configuration_of_the_mvau():
    mp = ternary.mvau_params({"SCALE": 1, "OBITS": 3})
    assert (mp["WBITS"], mp["ATYPE"], mp["XNOR"], mp["ACT"], mp["OBITS"]) == (2, 0, 0, 2, 3)
    src = (CORE / "rtl" / "ternary_layer.v").read_text()
    assert "mvau #(" in src and "always" not in src       # a thin top, no arithmetic of its own


CONFIGS = {
    "thresholds": {},
    "accumulator_out": {"THRESH": 0},
    "wrpn_scale_requantize": {"SCALE": 1, "SCALEW": 4, "SHIFT": 3},
    "max_folding": {"MW": 12, "MH": 6, "PE": 1, "SIMD": 1, "OBITS": 1},
    "wide": {"MW": 64, "MH": 16, "PE": 16, "SIMD": 32, "ABITS": 4, "OBITS": 3},
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_rtl_bit_exact_and_cycles(tmp_path, name):
    p = CONFIGS[name]
    n = ternary.write_vectors(tmp_path, p)
    assert_passed(simulate(tmp_path, p), n, ternary.cycles_per_item(p))


def test_rtl_backpressure_and_detection(tmp_path):
    n = ternary.write_vectors(tmp_path, {"THRESH": 0}, seed=4)
    assert_passed(simulate(tmp_path, {"THRESH": 0, "STALL": 1}), n)
    flip_expected(tmp_path, 3, 2)
    assert result(simulate(tmp_path, {"THRESH": 0}))[1] == 1


def test_maps_to_logic_not_dsp(tmp_path):
    # add/subtract/skip: Yosys (Cyclone V ALM flow) must not infer a single DSP block
    ternary.write_vectors(tmp_path, {"MW": 16, "MH": 4, "PE": 2, "SIMD": 8})
    yosys = toolchain.resolve("yosys", announce=lambda msg: None)
    assert yosys, "yosys (YoWASP) is a package dependency"
    # relative to the cwd: YoWASP tools see a private /tmp, so a checkout under /tmp is
    # invisible to them by its absolute path (fpgaflow's flows pass relative paths too)
    srcs = [os.path.relpath(s, tmp_path) for s in SOURCES[:2]]
    script = (f"read_verilog -defer {srcs[0]} {srcs[1]}; chparam -set MW 16 -set MH 4 -set PE 2 "
              "-set SIMD 8 ternary_layer; synth_intel_alm -family cyclonev -top ternary_layer; "
              "tee -o stat.txt stat")
    subprocess.run([yosys.path, "-q", "-p", script], cwd=tmp_path, check=True, capture_output=True,
                   timeout=600)
    stat = (tmp_path / "stat.txt").read_text()
    assert "MISTRAL_ALUT" in stat or "MISTRAL_ALM" in stat or "LUT" in stat, stat
    assert "MUL" not in stat and "DSP" not in stat, stat


def test_fusesoc_sim_target(tmp_path):
    r = fusesoc_sim(tmp_path, "fpgaflow:nn:ternary:0.1", "--PE", "2", "--THRESH", "0")
    assert r.returncode == 0, r.stdout + r.stderr
    assert result(r.stdout) == (ternary.PARAMETERS["NVEC"], 0, 32)
