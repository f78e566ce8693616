"""LFC top: model composition, RTL simulation of small geometries (W1A1, W1A2, back-pressure),
FuseSoC, and the whole-network HLS top in C-simulation (g++) and through `fpgaflow build`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from fpgaflow.models import finn, lfc, mvau

from ._sim import CORES, STREAM_TB, assert_passed, fusesoc_sim, icarus, result

SOURCES = [CORES / "mvau" / "rtl" / "mvau.v", *sorted((CORES / "common" / "rtl").glob("*.v")),
           CORES / "lfc" / "rtl" / "lfc.v", CORES / "lfc" / "tb" / "lfc_tb.v", STREAM_TB]


def simulate(workdir, params: dict) -> str:
    return icarus(workdir, SOURCES, "lfc_tb", params)


def test_model_is_the_composition_of_four_mvau_layers():
    layers, prm, x, acts = lfc.make_case({"NVEC": 5})
    act = x
    for lp, (w, t) in zip(layers, prm):
        d = finn.derived(lp)
        act = mvau.out_codes(mvau.compute(w, act, t, d), d)
    assert np.array_equal(act, acts[-1])
    # BNN-PYNQ's LFC thresholds its last layer too: one bit per class
    assert set(np.unique(acts[-1])) == {0, 1}
    assert [lp["ACT"] for lp in layers] == [0, 0, 0, 0] and all(lp["ACCW"] == 16 for lp in layers)


def test_w1a2_is_bnn_pynq_signed_two_bit():
    layers = lfc.layer_params({"ABITS": 2})
    # Binary x Binary in layer 0, Binary x ap_int<2> after; hidden: 2 thresholds, ActVal -1
    assert [(lp["XNOR"], lp["ATYPE"], lp["NTHR"], lp["OBIAS"], lp["OBITS"]) for lp in layers] == \
        [(0, 2, 2, -1, 2), (0, 1, 2, -1, 2), (0, 1, 2, -1, 2), (0, 1, 1, 0, 1)]
    _, _, _, acts = lfc.make_case({"ABITS": 2})
    assert set(np.unique(mvau.signed(acts[1], 2))) == {-1, 0, 1}


def test_full_geometry_matches_bnn_pynq_lfc():
    # BNN-PYNQ lfcW1A1: every layer folds to 512 cycles per image
    assert [finn.cycles_bound([lp]) for lp in lfc.layer_params(lfc.FULL)] == [416, 512, 512, 512]
    assert lfc.cycles_per_item(lfc.FULL) == 512


def test_full_geometry_rom_files(tmp_path):
    lfc.write_vectors(tmp_path, dict(lfc.FULL, NVEC=3))
    assert len((tmp_path / "l1_weights.hex").read_text().split()) == 512
    assert len((tmp_path / "l1_weights.hex").read_text().split()[0]) == 64 * 32 // 4
    assert len((tmp_path / "l0_thresh.hex").read_text().split()) == 1024 // 32
    assert len((tmp_path / "l3_thresh.hex").read_text().split()) == 64 // 16


def test_width_mismatch_is_an_error():
    with pytest.raises(ValueError, match="divide"):
        lfc.layer_params({"HID": 48, "L1_PE": 12, "L2_SIMD": 8})


@pytest.mark.parametrize("params", [{}, {"ABITS": 2}, {"IN": 32, "HID": 16, "OUT": 4, "L0_PE": 4, "L0_SIMD": 8,
                                                        "L1_PE": 2, "L1_SIMD": 4, "L2_PE": 8, "L2_SIMD": 1,
                                                        "L3_PE": 1, "L3_SIMD": 16}],
                         ids=["w1a1", "w1a2", "dwc_mix"])
def test_rtl_bit_exact_and_throughput(tmp_path, params):
    n = lfc.write_vectors(tmp_path, params)
    assert_passed(simulate(tmp_path, params), n, lfc.cycles_per_item(params))


def test_rtl_with_backpressure(tmp_path):
    n = lfc.write_vectors(tmp_path, {"ABITS": 2}, seed=9)
    assert_passed(simulate(tmp_path, {"ABITS": 2, "STALL": 1}), n)


def test_rtl_detects_wrong_weights(tmp_path):
    n = lfc.write_vectors(tmp_path, {})
    lines = (tmp_path / "l3_weights.hex").read_text().split()
    # fold 1 (rows 2, 3; rows 0 and 1 are the always/never-firing edge rows), every weight
    lines[2] = format(int(lines[2], 16) ^ ((1 << 32) - 1), "0%dx" % len(lines[2]))
    (tmp_path / "l3_weights.hex").write_text("\n".join(lines) + "\n")
    vectors, mismatches, _ = result(simulate(tmp_path, {}))
    assert vectors == n and mismatches > 0


def test_fusesoc_sim_target(tmp_path):
    r = fusesoc_sim(tmp_path, "fpgaflow:nn:lfc:0.1", "--ABITS", "2")
    assert r.returncode == 0, r.stdout + r.stderr
    assert result(r.stdout)[:2] == (lfc.PARAMETERS["NVEC"], 0)


# ----------------------------------------------------------------------------- HLS csim
HLS_DIRS = [CORES / "mvau" / "hls", CORES / "lfc" / "hls"]
HLS_SOURCES = [CORES / "lfc" / "hls" / "lfc_tb.cpp", CORES / "lfc" / "hls" / "lfc_top.cpp"]
# W1A2 at the mixed geometry: 2-bit lanes through a split (L1 4 -> L2 2 bits), a join (L2 16 ->
# L3 32 bits) and pass-through widths
W1A2_MIX = {"ABITS": 2, "IN": 32, "HID": 16, "OUT": 4, "L0_PE": 4, "L0_SIMD": 8, "L1_PE": 2,
            "L1_SIMD": 4, "L2_PE": 8, "L2_SIMD": 1, "L3_PE": 1, "L3_SIMD": 16}
HLS_CONFIGS = {"w1a1": {}, "w1a2_mix": W1A2_MIX}
_CSIM: dict[str, Path] = {}


def csim_binary(tmp_path_factory, name: str) -> Path:
    """lfc_top and its testbench compiled once per test session for configuration ``name``."""
    from fpgaflow.flows.sim import ap_types_dir
    if name not in _CSIM:
        out = tmp_path_factory.mktemp(f"lfc_csim_{name}") / "csim"
        defines = [f"-D{k}={v}" for k, v in HLS_CONFIGS[name].items()]
        subprocess.run(["g++", "-std=c++14", "-O1", "-w", f"-I{ap_types_dir()}",
                        *[f"-I{d}" for d in HLS_DIRS], *defines, *map(str, HLS_SOURCES),
                        "-o", str(out)], check=True)
        _CSIM[name] = out
    return _CSIM[name]


def csim(tmp_path_factory, workdir: Path, name: str) -> str:
    return subprocess.run([str(csim_binary(tmp_path_factory, name))], cwd=workdir,
                          capture_output=True, text=True, timeout=120).stdout


@pytest.mark.parametrize("name", list(HLS_CONFIGS))
def test_hls_csim_whole_network_bit_exact(tmp_path, tmp_path_factory, name):
    n = lfc.write_vectors(tmp_path, HLS_CONFIGS[name], seed=3)
    out = csim(tmp_path_factory, tmp_path, name)
    assert result(out) == (n, 0, None), out
    # the model's class bits are varied (a stuck output would pass against a stuck model)
    exp = (tmp_path / "exp.txt").read_text().split()
    assert len(set(exp)) > 1


def test_hls_csim_detects_a_wrong_weight(tmp_path, tmp_path_factory):
    """One weight word of a hidden layer inverted: the class bits that depend on it differ."""
    n = lfc.write_vectors(tmp_path, {})
    assert result(csim(tmp_path_factory, tmp_path, "w1a1")) == (n, 0, None)
    lines = (tmp_path / "l1_weights.hex").read_text().split()
    lines[3] = format(int(lines[3], 16) ^ ((1 << 4 * len(lines[3])) - 1), "0%dx" % len(lines[3]))
    (tmp_path / "l1_weights.hex").write_text("\n".join(lines) + "\n")
    vectors, mismatches, _ = result(csim(tmp_path_factory, tmp_path, "w1a1"))
    assert vectors == n and mismatches > 0


def test_hls_csim_refuses_roms_of_another_geometry(tmp_path, tmp_path_factory):
    lfc.write_vectors(tmp_path, {"HID": 64})
    out = csim(tmp_path_factory, tmp_path, "w1a1")
    assert result(out) == (0, 1, None) and "wrong geometry" in out


CSIM_RECIPE = """\
name: lfc_csim
core: fpgaflow:nn:lfc
board: pynq-z2
stages: [csim]
clocks: {clk: 100 MHz}
parameters: %s
"""


def test_build_csim_stage_runs_the_whole_network(run_cli, tmp_path):
    """`fpgaflow build` with stages [csim]: the model writes ROMs and vectors for the recipe's
    parameters, g++ compiles lfc_top with them as -D macros, the summary has the result."""
    recipe = tmp_path / "lfc_csim.yaml"
    recipe.write_text(CSIM_RECIPE % json.dumps(W1A2_MIX))
    res = run_cli("build", recipe, "--out", tmp_path / "out", "--json")
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert [st["name"] for st in s["stages"]] == ["csim"]
    assert s["csim"] == {"vectors": lfc.PARAMETERS["NVEC"], "mismatches": 0, "passed": True}
    plan = json.loads(next((tmp_path / "out").glob("lfc_csim-*/plan.json")).read_text())
    gxx = next(c for c in plan["stages"][0]["commands"] if c[0].endswith("g++"))
    assert "-DABITS=2" in gxx and "-DL2_SIMD=1" in gxx
    assert {Path(f).name for f in gxx if f.endswith(".cpp")} == {"lfc_top.cpp", "lfc_tb.cpp"}
