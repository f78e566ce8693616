"""Ternary layer: model vs an explicit ternary product, RTL simulation against the model, FuseSoC."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from fpgaflow.models import ternary

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "cores" / "ternary"
RESULT = re.compile(r"^FPGAFLOW_SIM vectors=(\d+) mismatches=(\d+)(?: cycles_per_item=(\d+))?\s*$", re.M)
SOURCES = [CORE / "rtl" / "ternary_layer.v", CORE / "tb" / "ternary_tb.v"]


def result(text: str):
    found = RESULT.findall(text)
    assert len(found) == 1, text[-2000:]
    return tuple(int(v) if v else None for v in found[0])


def simulate(workdir: Path, params: dict) -> str:
    rtl = {k: v for k, v in params.items() if k != "NVEC"}
    cmd = ["iverilog", "-g2012", "-o", "sim"] + [f"-Pternary_tb.{k}={v}" for k, v in rtl.items()]
    subprocess.run(cmd + [str(s) for s in SOURCES], cwd=workdir, check=True)
    return subprocess.run(["vvp", "-n", "sim"], cwd=workdir, capture_output=True, text=True,
                          check=True, timeout=300).stdout


def test_model_matches_explicit_ternary_product():
    rng = np.random.default_rng(2)
    w = rng.integers(-1, 2, size=(7, 19))
    x = rng.integers(0, 4, size=(5, 19))
    loop = np.array([[sum(int(a) * int(b) for a, b in zip(xi, wr)) for wr in w] for xi in x])
    assert np.array_equal(ternary.accumulate(w, x), loop)
    assert ternary.encode(np.array([1, -1, 0])).tolist() == [1, 3, 0]


def test_edge_rows_saturate():
    d, w, thr, x, y = ternary.make_case({"THRESH": 0})
    amax = 3
    # input 1 is all-max: row 0 (all +1) and row 1 (all -1) hit the accumulator extremes
    assert y[1, 0] == d["MW"] * amax and y[1, 1] == -d["MW"] * amax
    assert (y[:, 2] == 0).all()  # all-zero weights: every lane skips
    acc_bits = d["ACCW"]
    assert -(1 << (acc_bits - 1)) <= y.min() and y.max() < (1 << (acc_bits - 1))


CONFIGS = {
    "thresholds": {},
    "accumulator_out": {"THRESH": 0},
    "max_folding": {"MW": 12, "MH": 6, "PE": 1, "SIMD": 1, "OBITS": 1},
    "wide": {"MW": 64, "MH": 16, "PE": 16, "SIMD": 32, "ABITS": 4, "OBITS": 3},
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_rtl_bit_exact_and_cycles(tmp_path, name):
    p = CONFIGS[name]
    n = ternary.write_vectors(tmp_path, p)
    vectors, mismatches, cycles = result(simulate(tmp_path, p))
    assert (vectors, mismatches) == (n, 0)
    bound = ternary.cycles_per_item(p)
    assert abs(cycles - bound) <= 0.05 * bound, (cycles, bound)


def test_rtl_backpressure_and_detection(tmp_path):
    n = ternary.write_vectors(tmp_path, {"THRESH": 0}, seed=4)
    assert result(simulate(tmp_path, {"THRESH": 0, "STALL": 1}))[:2] == (n, 0)
    exp = (tmp_path / "exp.txt").read_text().split()
    exp[3] = format(int(exp[3], 16) ^ 2, "x")
    (tmp_path / "exp.txt").write_text("\n".join(exp) + "\n")
    assert result(simulate(tmp_path, {"THRESH": 0}))[1] == 1


def test_maps_to_logic_not_dsp(tmp_path):
    # add/subtract/skip: Yosys (Cyclone V ALM flow) must not infer a single DSP block
    ternary.write_vectors(tmp_path, {"MW": 16, "MH": 4, "PE": 2, "SIMD": 8})
    script = (f"read_verilog -defer {SOURCES[0]}; chparam -set MW 16 -set MH 4 -set PE 2 -set SIMD 8 "
              "ternary_layer; synth_intel_alm -family cyclonev -top ternary_layer; tee -o stat.txt stat")
    subprocess.run(["yosys", "-q", "-p", script], cwd=tmp_path, check=True, capture_output=True, timeout=300)
    stat = (tmp_path / "stat.txt").read_text()
    assert "MISTRAL_ALUT" in stat or "MISTRAL_ALM" in stat or "LUT" in stat, stat
    assert "MUL" not in stat and "DSP" not in stat, stat


def test_fusesoc_sim_target(tmp_path):
    cmd = ["fusesoc", "--cores-root", str(REPO / "cores"), "run", "--target", "sim", "fpgaflow:nn:ternary:0.1",
           "--PE", "2", "--THRESH", "0"]
    r = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache")))
    assert r.returncode == 0, r.stdout + r.stderr
    assert result(r.stdout) == (ternary.PARAMETERS["NVEC"], 0, 32)
