"""MVAU core: model self-checks, RTL simulation (Icarus, Verilator, FuseSoC) and HLS csim vs the model."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fpgaflow.models import mvau

from ._sim import CORES, STREAM_TB, assert_passed, flip_expected, fusesoc_sim, icarus, result

CORE = CORES / "mvau"
RTL = [CORE / "rtl" / "mvau.v", CORE / "tb" / "mvau_tb.v", STREAM_TB]
RTL_PARAMS = ("MW", "MH", "PE", "SIMD", "ABITS", "OBITS", "NOACT")

CONFIGS = {
    "w1a1": {},
    "w1a2": {"MW": 24, "MH": 12, "PE": 3, "SIMD": 6, "ABITS": 2, "OBITS": 2},
    "max_folding": {"MW": 16, "MH": 8, "PE": 1, "SIMD": 1},
    "no_folding": {"MW": 16, "MH": 8, "PE": 8, "SIMD": 16},
    "accumulator_out": {"MW": 40, "MH": 6, "PE": 2, "SIMD": 5, "NOACT": 1},
    "a2_accumulator_out": {"MW": 12, "MH": 4, "PE": 2, "SIMD": 4, "ABITS": 2, "NOACT": 1},
}


# ----------------------------------------------------------------------------- model
def test_model_binary_matches_plus_minus_one_product():
    rng = np.random.default_rng(5)
    w = rng.integers(0, 2, size=(13, 37))
    x = rng.integers(0, 2, size=(9, 37))
    acc = mvau.accumulate(w, x, 1)
    # popcount of XNOR relates to the +-1 dot product by dot = 2*popcount - MW
    assert np.array_equal(2 * acc - 37, mvau.pm1_reference(w, x))
    # and to a plain loop
    loop = np.array([[sum(int(a == b) for a, b in zip(xi, wr)) for wr in w] for xi in x])
    assert np.array_equal(acc, loop)


def test_model_multibit_and_thresholds():
    w = np.array([[1, 0, 1], [0, 0, 0]])
    x = np.array([[3, 2, 1], [0, 0, 0]])
    acc = mvau.accumulate(w, x, 2)
    assert acc.tolist() == [[3 - 2 + 1, -6], [0, 0]]
    thr = np.array([[-1, 2, 3], [-6, -5, 0]])
    # count of thresholds t with acc >= t (equality counts)
    assert mvau.activate(acc, thr).tolist() == [[2, 1], [1, 3]]


def test_model_geometry_errors_and_cycles():
    assert mvau.cycles_per_item({"MW": 832, "MH": 1024, "PE": 32, "SIMD": 64}) == 13 * 32
    with pytest.raises(ValueError):
        mvau.derived({"MW": 30, "SIMD": 8})
    with pytest.raises(KeyError):
        mvau.derived({"BOGUS": 1})


def test_vector_files_layout(tmp_path):
    p = {"MW": 24, "MH": 12, "PE": 3, "SIMD": 6, "ABITS": 2, "OBITS": 2, "NVEC": 7}
    n = mvau.write_vectors(tmp_path, p)
    d = mvau.derived(p)
    assert n == 7
    w = (tmp_path / "weights.hex").read_text().split()
    t = (tmp_path / "thresh.hex").read_text().split()
    i = (tmp_path / "in.txt").read_text().split()
    e = (tmp_path / "exp.txt").read_text().split()
    assert len(w) == d["SF"] * d["NF"] and len(t) == d["NF"]
    assert int(i[0]) == 7 and len(i) == 1 + 7 * d["SF"] and len(e) == 7 * d["NF"]
    # first vector is all-zero, second all-max (edge cases)
    assert all(int(v, 16) == 0 for v in i[1:1 + d["SF"]])
    assert all(int(v, 16) == (1 << 12) - 1 for v in i[1 + d["SF"]:1 + 2 * d["SF"]])
    # the packed weights decode back to the model's matrix
    _, wm, _, _, _ = mvau.make_case(p)
    word = int(w[1 * d["SF"] + 2], 16)  # nf=1, sf=2
    assert (word >> (2 * 6 + 4)) & 1 == wm[1 * 3 + 2, 2 * 6 + 4]


def test_cli_writes_vectors(tmp_path):
    r = subprocess.run([sys.executable, "-m", "fpgaflow.models.mvau", "vectors", str(tmp_path),
                        "-P", "MW=16", "-P", "SIMD=4"], capture_output=True, text=True, check=True)
    assert "wrote 24 vectors" in r.stdout
    assert len((tmp_path / "in.txt").read_text().split()) == 1 + 24 * 4


# ----------------------------------------------------------------------------- RTL
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_rtl_icarus_bit_exact_and_cycles(tmp_path, name):
    p = dict(CONFIGS[name])
    n = mvau.write_vectors(tmp_path, p)
    out = icarus(tmp_path, RTL, "mvau_tb", {k: v for k, v in p.items() if k in RTL_PARAMS})
    assert_passed(out, n, mvau.cycles_per_item(p))


def test_rtl_backpressure_and_gaps(tmp_path):
    p = CONFIGS["w1a2"]
    n = mvau.write_vectors(tmp_path, p, seed=3)
    assert_passed(icarus(tmp_path, RTL, "mvau_tb", dict(p, STALL=1)), n)


def test_rtl_testbench_detects_a_wrong_output(tmp_path):
    mvau.write_vectors(tmp_path, {})
    flip_expected(tmp_path, 5, 1)
    _, mismatches, _ = result(icarus(tmp_path, RTL, "mvau_tb", {}))
    assert mismatches == 1


def test_rtl_verilator(tmp_path):
    p = CONFIGS["w1a2"]
    n = mvau.write_vectors(tmp_path, p)
    cmd = ["verilator", "--binary", "-Wno-fatal", "-Wno-lint", "-Wno-style", "--top-module", "mvau_tb",
           "-Mdir", "obj"] + [f"-G{k}={v}" for k, v in p.items()] + [str(s) for s in RTL]
    subprocess.run(cmd, cwd=tmp_path, check=True, capture_output=True)
    out = subprocess.run([str(tmp_path / "obj" / "Vmvau_tb")], cwd=tmp_path, capture_output=True,
                         text=True, check=True, timeout=120).stdout
    vectors, mismatches, cycles = result(out)
    assert (vectors, mismatches, cycles) == (n, 0, mvau.cycles_per_item(p))


def test_fusesoc_sim_target_with_parameter_override(tmp_path):
    r = fusesoc_sim(tmp_path, "fpgaflow:nn:mvau:0.1", "--MW", "48", "--SIMD", "4", "--ABITS", "2",
                    "--OBITS", "2")
    assert r.returncode == 0, r.stdout + r.stderr
    vectors, mismatches, cycles = result(r.stdout)
    assert (vectors, mismatches) == (mvau.PARAMETERS["NVEC"], 0)
    assert cycles == mvau.cycles_per_item({"MW": 48, "SIMD": 4}) == 48


# ----------------------------------------------------------------------------- HLS csim
def ap_types() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("hls4ml")
    assert spec and spec.origin, "hls4ml is a test requirement (ships the ap_types headers)"
    return Path(spec.origin).parent / "templates" / "vivado" / "ap_types"


def csim(workdir: Path, params: dict) -> str:
    hls = CORE / "hls"
    defines = [f"-D{k}={v}" for k, v in params.items() if k in RTL_PARAMS]
    subprocess.run(["g++", "-std=c++14", "-O1", "-w", f"-I{ap_types()}", f"-I{hls}", *defines,
                    str(hls / "mvau_tb.cpp"), str(hls / "mvau_top.cpp"), "-o", str(workdir / "csim")],
                   check=True)
    return subprocess.run([str(workdir / "csim")], cwd=workdir, capture_output=True, text=True,
                          timeout=120).stdout


@pytest.mark.parametrize("name", ["w1a1", "w1a2", "a2_accumulator_out"])
def test_hls_csim_bit_exact(tmp_path, name):
    assert shutil.which("g++")
    p = CONFIGS[name]
    n = mvau.write_vectors(tmp_path, p)
    out = csim(tmp_path, p)
    assert result(out) == (n, 0, None), out


def test_hls_csim_detects_a_wrong_output(tmp_path):
    mvau.write_vectors(tmp_path, {})
    flip_expected(tmp_path, -1, 8)
    assert result(csim(tmp_path, {}))[1] == 1
