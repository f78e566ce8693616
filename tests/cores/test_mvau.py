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
RTL_PARAMS = tuple(k for k in mvau.PARAMETERS if k != "NVEC")

# BNN-PYNQ's layer types, the ternary/WRPN case and the corners of the accumulator
CONFIGS = {
    "w1a1_xnor": {},
    "w1a2_signed": {"MW": 24, "MH": 12, "PE": 3, "SIMD": 6, "ABITS": 2, "ATYPE": 1, "XNOR": 0,
                    "ACCW": 16, "NTHR": 2, "OBIAS": -1, "OBITS": 2},
    "bipolar_products": {"MW": 16, "MH": 8, "PE": 2, "SIMD": 4, "XNOR": 0, "NTHR": 2, "OBIAS": -1,
                         "OBITS": 2},
    "fixed_point_input": {"MW": 27, "MH": 16, "PE": 4, "SIMD": 3, "WBITS": 2, "ABITS": 8, "ATYPE": 1,
                          "XNOR": 0, "ACCW": 16, "NTHR": 2, "OBIAS": -1, "OBITS": 2},
    "w2a2_pass_through": {"WBITS": 2, "ABITS": 2, "ATYPE": 1, "XNOR": 0, "ACT": 1, "ACCW": 16},
    "ternary_scale": {"WBITS": 2, "ABITS": 2, "ATYPE": 0, "XNOR": 0, "ACT": 2, "OBITS": 2,
                      "SCALEW": 6, "SHIFT": 4},
    "int4_unsigned": {"MW": 16, "MH": 8, "PE": 2, "SIMD": 4, "WBITS": 4, "ABITS": 3, "ATYPE": 0,
                      "XNOR": 0, "ACT": 1},
    "accumulator_wraps": {"MW": 64, "MH": 8, "PE": 2, "SIMD": 8, "WBITS": 2, "ABITS": 4, "ATYPE": 0,
                          "XNOR": 0, "ACT": 1, "ACCW": 6},
    "max_folding": {"MW": 16, "MH": 8, "PE": 1, "SIMD": 1},
    "no_folding": {"MW": 16, "MH": 8, "PE": 8, "SIMD": 16},
}


# ----------------------------------------------------------------------------- model
def test_model_xnor_popcount_and_bipolar_products():
    rng = np.random.default_rng(5)
    w = rng.integers(0, 2, size=(13, 37))
    x = rng.integers(0, 2, size=(9, 37))
    d = mvau.derived({"MW": 37, "MH": 13, "PE": 1, "SIMD": 1})
    acc = mvau.accumulate(w, x, d)
    loop = np.array([[sum(int(a == b) for a, b in zip(xi, wr)) for wr in w] for xi in x])
    assert np.array_equal(acc, loop)
    # FINN's Binary x Binary: the +-1 dot product, 2 * popcount - MW
    bip = mvau.accumulate(w, x, dict(d, XNOR=0))
    assert np.array_equal(bip, 2 * loop - 37)


def test_model_signed_types_thresholds_and_bias():
    d = mvau.derived({"MW": 3, "MH": 2, "PE": 1, "SIMD": 1, "WBITS": 2, "ABITS": 2, "ATYPE": 1,
                      "XNOR": 0, "NTHR": 2, "OBIAS": -1, "OBITS": 2, "ACCW": 16})
    w = mvau.weight_codes(np.array([[1, -1, -2], [0, 0, 1]]), 2)
    x = np.array([[1, 3, 2]])                    # signed 2-bit codes: +1, -1, -2
    acc = mvau.accumulate(w, x, d)
    assert acc.tolist() == [[1 + 1 + 4, -2]]
    # FINN ThresholdsActivation: ActVal + #{t : t < acc}; equality does not count
    thr = np.array([[5, 6], [-3, -2]])
    assert mvau.activate(acc, thr, d).tolist() == [[0, 0]]
    assert mvau.activate(acc, np.array([[6, 7], [-2, 0]]), d).tolist() == [[-1, -1]]
    assert mvau.activate(acc, np.array([[4, 5], [-4, -3]]), d).tolist() == [[1, 1]]


def test_model_accumulator_wraps_like_ap_int():
    d = mvau.derived({"MW": 8, "MH": 1, "PE": 1, "SIMD": 1, "WBITS": 2, "ABITS": 4, "ATYPE": 0,
                      "XNOR": 0, "ACT": 1, "ACCW": 6})
    acc = mvau.accumulate(np.full((1, 8), 1), np.full((1, 8), 15), d)
    assert acc.tolist() == [[120 - 128]]         # 120 in ap_int<6>


def test_model_scale_requantize_clip():
    d = mvau.derived({"MW": 4, "MH": 3, "PE": 1, "SIMD": 1, "WBITS": 2, "ABITS": 2, "ATYPE": 0,
                      "XNOR": 0, "ACT": 2, "OBITS": 2, "SCALEW": 4, "SHIFT": 2})
    acc = np.array([[3, -5, 9]])
    # (acc * s + 2) >> 2, clipped to 0..3
    assert mvau.activate(acc, np.array([1, 3, 15]), d).tolist() == [[1, 0, 3]]


def test_model_geometry_errors_and_cycles():
    assert mvau.cycles_per_item({"MW": 832, "MH": 1024, "PE": 32, "SIMD": 64}) == 13 * 32
    with pytest.raises(ValueError):
        mvau.derived({"MW": 30, "SIMD": 8})
    with pytest.raises(ValueError, match="XNOR"):
        mvau.derived({"ABITS": 2, "ATYPE": 1})
    with pytest.raises(KeyError):
        mvau.derived({"BOGUS": 1})


def test_vector_files_layout(tmp_path):
    p = dict(CONFIGS["w1a2_signed"], NVEC=7)
    n = mvau.write_vectors(tmp_path, p)
    d = mvau.derived(p)
    assert n == 7
    w = (tmp_path / "weights.hex").read_text().split()
    t = (tmp_path / "thresh.hex").read_text().split()
    i = (tmp_path / "in.txt").read_text().split()
    e = (tmp_path / "exp.txt").read_text().split()
    assert len(w) == d["SF"] * d["NF"] and len(t) == d["NF"]
    assert int(i[0]) == 7 and len(i) == 1 + 7 * d["SF"] and len(e) == 7 * d["NF"]
    # first vector is all-zero codes, second all-ones codes (edge cases)
    assert all(int(v, 16) == 0 for v in i[1:1 + d["SF"]])
    assert all(int(v, 16) == (1 << 12) - 1 for v in i[1 + d["SF"]:1 + 2 * d["SF"]])
    # the packed weights and thresholds decode back to the model's
    _, wm, tm, _, _ = mvau.make_case(p)
    word = int(w[1 * d["SF"] + 1], 16)  # nf=1, sf=1
    assert (word >> (2 * 6 + 4)) & 1 == wm[1 * 3 + 2, 1 * 6 + 4]
    tword = int(t[2], 16)               # nf=2: rows 6..8, threshold (pe=1, t=1)
    assert mvau.signed((tword >> ((1 * 2 + 1) * 16)) & 0xFFFF, 16) == tm[2 * 3 + 1, 1]


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
    p = CONFIGS["w1a2_signed"]
    n = mvau.write_vectors(tmp_path, p, seed=3)
    assert_passed(icarus(tmp_path, RTL, "mvau_tb", dict(p, STALL=1)), n)


def test_rtl_testbench_detects_a_wrong_output(tmp_path):
    mvau.write_vectors(tmp_path, {})
    flip_expected(tmp_path, 5, 1)
    _, mismatches, _ = result(icarus(tmp_path, RTL, "mvau_tb", {}))
    assert mismatches == 1


def test_rtl_verilator(tmp_path):
    p = CONFIGS["fixed_point_input"]
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
                    "--ATYPE", "1", "--XNOR", "0", "--NTHR", "2", "--OBIAS", "-1", "--OBITS", "2")
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


_CSIM: dict[str, Path] = {}


def csim_binary(tmp_path_factory, name: str) -> Path:
    """The C-simulation of configuration ``name``, compiled once per test session (g++ with the
    ap_types headers takes tens of seconds)."""
    if name not in _CSIM:
        hls = CORE / "hls"
        out = tmp_path_factory.mktemp(f"csim_{name}") / "csim"
        defines = [f"-D{k}={v}" for k, v in CONFIGS[name].items() if k in RTL_PARAMS]
        subprocess.run(["g++", "-std=c++14", "-O1", "-w", f"-I{ap_types()}", f"-I{hls}", *defines,
                        str(hls / "mvau_tb.cpp"), str(hls / "mvau_top.cpp"), "-o", str(out)],
                       check=True)
        _CSIM[name] = out
    return _CSIM[name]


def csim(tmp_path_factory, workdir: Path, name: str) -> str:
    return subprocess.run([str(csim_binary(tmp_path_factory, name))], cwd=workdir,
                          capture_output=True, text=True, timeout=120).stdout


# three compiles: binary XNOR, BNN-PYNQ's first CNV layer (ap_int<2> x 8-bit fixed, thresholds
# with bias), the ternary WRPN scale/requantize
@pytest.mark.parametrize("name", ["w1a1_xnor", "fixed_point_input", "ternary_scale"])
def test_hls_csim_bit_exact(tmp_path, tmp_path_factory, name):
    assert shutil.which("g++")
    n = mvau.write_vectors(tmp_path, CONFIGS[name])
    out = csim(tmp_path_factory, tmp_path, name)
    assert result(out) == (n, 0, None), out


def test_hls_csim_detects_a_wrong_output(tmp_path, tmp_path_factory):
    mvau.write_vectors(tmp_path, CONFIGS["w1a1_xnor"])
    flip_expected(tmp_path, -1, 8)
    assert result(csim(tmp_path_factory, tmp_path, "w1a1_xnor"))[1] == 1
