"""BiLSTM core: the bit-exact model, RTL simulation (Icarus, Verilator), HLS C-simulation
(g++ + the ap_types headers shipped by hls4ml) and a plain FuseSoC run, all on the
model's vectors."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fpgaflow.models import bilstm as model

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "cores" / "bilstm"
RTL = [CORE / "rtl" / "bilstm_mem.v", CORE / "rtl" / "bilstm.v"]
TB = CORE / "tb" / "bilstm_tb.v"
RESULT = re.compile(r"^FPGAFLOW_SIM vectors=(\d+) mismatches=(\d+)(?: cycles_per_item=(\d+))?$",
                    re.M)

SMALL = {"HIDDEN": 16, "INPUT": 8, "PE": 1, "SIMD_IN": 8, "SIMD_REC": 16, "SEQLEN": 10,
         "MAXLEN": 16}


def _ap_types() -> Path:
    spec = importlib.util.find_spec("hls4ml")  # locate without importing (hls4ml is slow/noisy)
    assert spec is not None and spec.submodule_search_locations, "hls4ml is not installed"
    path = Path(list(spec.submodule_search_locations)[0]) / "templates" / "vivado" / "ap_types"
    assert (path / "ap_int.h").is_file(), path
    return path


def _result(out: str) -> tuple[int, int, int | None]:
    found = RESULT.findall(out)
    assert len(found) == 1, f"expected exactly one FPGAFLOW_SIM line in:\n{out[-3000:]}"
    n, m, c = found[0]
    return int(n), int(m), (int(c) if c else None)


def _iverilog(workdir: Path, params: dict, stall: int = 0) -> tuple[int, int, int | None]:
    p = model.resolve(params)
    args = ["iverilog", "-g2012", "-s", "bilstm_tb", "-o", str(workdir / "sim.vvp")]
    args += [f"-Pbilstm_tb.{k}={v}" for k, v in p.items()] + [f"-Pbilstm_tb.STALL={stall}"]
    subprocess.run(args + [str(f) for f in RTL + [TB]], check=True, cwd=workdir)
    run = subprocess.run(["vvp", "-n", "sim.vvp"], cwd=workdir, capture_output=True, text=True,
                         timeout=120)
    return _result(run.stdout)


# --------------------------------------------------------------------------- model
def test_parameters_and_folding_formula():
    assert model.PARAMETERS["HIDDEN"] == 128 and model.PARAMETERS["INPUT"] == 32
    assert {k: model.PARAMETERS[k] for k in ("WBITS", "ABITS", "PE", "SIMD_IN", "SIMD_REC")} == \
        {"WBITS": 4, "ABITS": 4, "PE": 1, "SIMD_IN": 16, "SIMD_REC": 64}
    expected = {"w2a2": 2 * 64 * 1, "w4a4": 2 * 128 * 2, "w4a8": 2 * 128 * 8, "w8a8": 2 * 128 * 8}
    for name, cfg in model.PUBLIC_CONFIGS.items():
        fi, fr, nf = model.folds(cfg)
        assert fi == fr == nf, f"{name}: the recurrent dot product keeps pace"
        assert model.cycles_per_item(cfg) == expected[name]
        assert model.acc_bits_needed(cfg) <= model.PARAMETERS["ACCBITS"]
    # recurrent dot product slower than the input one: it sets the pace
    assert model.cycles_per_item({**SMALL, "SIMD_REC": 4}) == 2 * 16 * 4
    with pytest.raises(ValueError, match="SIMD_IN must divide INPUT"):
        model.resolve({"SIMD_IN": 5})
    with pytest.raises(ValueError, match="unknown parameter"):
        model.resolve({"HIDEN": 5})


def test_tables_are_quantised_as_documented():
    p = model.resolve({})
    sig, tnh = model.sigmoid_table(p), model.tanh_table(p)
    n, g = 1 << p["LUTBITS"], p["GBITS"]
    assert sig.shape == tnh.shape == (n,)
    assert np.all(np.diff(sig) >= 0) and np.all(np.diff(tnh) >= 0)
    assert sig[n // 2] == 1 << (g - 1) and tnh[n // 2] == 0  # x = 0
    assert sig[-1] == (1 << g) - 1 and sig[0] == 0  # clamped below 1.0
    assert tnh[-1] == (1 << g) - 1 and tnh[1] == -tnh[-1]  # odd, clamped
    x = model.lut_inputs(p)
    assert np.max(np.abs(sig / (1 << g) - 1 / (1 + np.exp(-x)))) <= 1.0 / (1 << g)
    assert np.max(np.abs(tnh / (1 << g) - np.tanh(x))) <= 1.0 / (1 << g)
    # accumulator -> index: floor shift then saturation (W4A4: FA=6, LF=4)
    acc = np.array([0, 3, 4, -1, -4, -5, 10**6, -(10**6)])
    assert model.acc_to_index(acc, p).tolist() == [0, 0, 1, -1, -1, -2, 127, -128]


def test_model_tracks_float_lstm():
    p = model.resolve({**SMALL, "WBITS": 4, "ABITS": 8})
    w = model.random_weights(p, seed=3)
    x = np.random.default_rng(9).integers(-128, 128, size=(12, p["INPUT"]))
    q = model.run_sequence(x, w, p) / (1 << (p["ABITS"] - 1))
    f = model.float_lstm(x, w, p)
    err = np.abs(q - f)[:, 2:]  # units 0, 1 saturate on purpose; compared below
    err = np.concatenate([err[:, :p["HIDDEN"] - 2], err[:, p["HIDDEN"]:]], axis=1)
    assert err.mean() < 0.03 and err.max() < 0.15, (err.mean(), err.max())
    # coarser activations: error bounded by the activation step plus table error
    p2 = model.resolve({**SMALL, "ABITS": 4})
    x2 = np.clip(x >> 4, -8, 7)
    e2 = np.abs(model.run_sequence(x2, w, p2) / 8.0 - model.float_lstm(x2, w, p2))
    assert e2.mean() < 0.12


def test_edge_cases_saturate_cell_and_hidden_state():
    p = model.resolve({**SMALL, "SEQLEN": 16})
    w = model.random_weights(p)
    trace: dict = {}
    x = model.sequences(p)[0]
    y = model.run_sequence(x, w, p, trace)
    c = np.array(trace["c"])  # [2*T, H]
    cmax, cmin = (1 << (p["CBITS"] - 1)) - 1, -(1 << (p["CBITS"] - 1))
    assert c[-1, 0] == cmax and c[-1, 1] == cmin  # cell saturation, both signs
    hmax, hmin = (1 << (p["ABITS"] - 1)) - 1, -(1 << (p["ABITS"] - 1))
    assert y[-1, 0] == hmax and y[-1, p["HIDDEN"]] == hmax  # h saturates at +1 - LSB
    assert y.min() >= hmin and y.max() <= hmax
    acc = np.array(trace["acc"])
    assert (model.acc_to_index(acc, p) == (1 << (p["LUTBITS"] - 1)) - 1).any()  # table clamp
    # all-zero input and all-zero weights: only the biases act, identically at every step?
    zero = model.Weights(np.zeros_like(w.wx), np.zeros_like(w.wh), np.zeros_like(w.bias))
    yz = model.run_sequence(np.zeros((4, p["INPUT"]), dtype=np.int64), zero, p)
    assert not yz.any()  # sigmoid(0)*tanh(0) = 0, c stays 0
    # a one-column sequence: forward and backward see the same column
    y1 = model.run_sequence(x[:1], w, p)
    assert y1.shape == (1, 2 * p["HIDDEN"])
    # accumulator wraps (two's complement) when ACCBITS is too small
    assert model._wrap(np.array([127, 128, -129]), 8).tolist() == [127, -128, 127]


def test_write_vectors_files(tmp_path):
    p = model.resolve(SMALL)
    n = model.write_vectors(tmp_path, SMALL, seed=2)
    seqs = model.sequences(p, seed=2)
    assert n == sum(len(s) for s in seqs) == len((tmp_path / "bilstm_out.hex").read_text().split())
    fi, fr, nf = model.folds(p)
    depth = 2 * (p["HIDDEN"] // p["PE"]) * nf
    wx = (tmp_path / "bilstm_wx.hex").read_text().split()
    assert len(wx) == depth and {len(x) for x in wx} == {4 * p["PE"] * p["SIMD_IN"] * p["WBITS"] // 4}
    out = (tmp_path / "bilstm_out.hex").read_text().split()
    assert {len(x) for x in out} == {2 * p["HIDDEN"] * p["ABITS"] // 4}
    assert (tmp_path / "bilstm_count.hex").read_text().split() == [f"{n:08x}", f"{len(seqs):08x}"]
    assert (tmp_path / "bilstm_last.hex").read_text().split().count("1") == len(seqs)
    assert "#define BILSTM_GEN_HIDDEN 16" in (tmp_path / "bilstm_params.h").read_text()
    # every edge-case sequence is there: zeros, all-ones bit pattern, full scale
    xs = [int(v, 16) for v in (tmp_path / "bilstm_in.hex").read_text().split()]
    assert 0 in xs and (1 << (p["INPUT"] * p["ABITS"])) - 1 in xs


def test_cli_reads_parameters_from_edam(tmp_path):
    (tmp_path / "core_0.eda.yml").write_text(
        "name: x\nparameters:\n  HIDDEN: {datatype: int, default: 8, paramtype: vlogparam}\n"
        "  SIMD_REC: {datatype: int, default: 8, paramtype: vlogparam}\n"
        "  INPUT: {datatype: int, default: 4, paramtype: vlogparam}\n"
        "  SIMD_IN: {datatype: int, default: 4, paramtype: vlogparam}\n"
        "  SEQLEN: {datatype: int, default: 3, paramtype: vlogparam}\n")
    assert model.main(["vectors", str(tmp_path), "-P", "PE=2"]) == 0
    params = dict(line.split("=") for line in (tmp_path / "bilstm_params.txt").read_text().split())
    assert (params["HIDDEN"], params["INPUT"], params["PE"], params["SEQLEN"]) == ("8", "4", "2", "3")
    assert model.main(["vectors", str(tmp_path), "-P", "PE=3"]) == 2  # 3 does not divide 8
    run = subprocess.run([sys.executable, "-m", "fpgaflow.models.bilstm", "cycles", "-P", "PE=2"],
                         capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "256"


# --------------------------------------------------------------------------- RTL
RTL_CONFIGS = {
    "small": {},
    "pe2-fold2": {"PE": 2, "SIMD_IN": 4},
    "recurrent-paced": {"SIMD_REC": 4},
    "max-folding": {"SIMD_IN": 1, "SIMD_REC": 1, "SEQLEN": 4},
    "w2a2": {"WBITS": 2, "ABITS": 2, "PE": 2, "HIDDEN": 32, "SIMD_REC": 32},
    "w8a8": {"WBITS": 8, "ABITS": 8, "SIMD_IN": 2, "SIMD_REC": 4},
    "narrow-tables": {"LUTBITS": 6, "GBITS": 6, "CBITS": 10, "ACCBITS": 12, "ABITS": 8},
    "acc-wraps": {"ACCBITS": 9, "WBITS": 4, "ABITS": 4},
}


@pytest.mark.parametrize("name", sorted(RTL_CONFIGS))
def test_rtl_icarus_bit_exact(tmp_path, name):
    params = {**SMALL, **RTL_CONFIGS[name]}
    n = model.write_vectors(tmp_path, params)
    vectors, mismatches, cycles = _iverilog(tmp_path, params)
    assert (vectors, mismatches) == (n, 0)
    bound = model.cycles_per_item(params)
    assert abs(cycles - bound) <= 0.05 * bound, (cycles, bound)


def test_rtl_icarus_handshake_under_backpressure(tmp_path):
    params = {**SMALL, "PE": 4, "SEQLEN": 6}  # few groups: latency shows, stalls both ways
    n = model.write_vectors(tmp_path, params)
    vectors, mismatches, cycles = _iverilog(tmp_path, params, stall=1)
    assert (vectors, mismatches) == (n, 0)
    assert cycles >= model.cycles_per_item(params)


def test_rtl_public_geometry_w4a4(tmp_path):
    """HIDDEN=128, INPUT=32, W4A4 PE=1 SIMD 16/64 (the default): short sequences."""
    params = {"SEQLEN": 2, "MAXLEN": 16}
    n = model.write_vectors(tmp_path, params)
    vectors, mismatches, cycles = _iverilog(tmp_path, params)
    assert (vectors, mismatches) == (n, 0)
    assert cycles == model.cycles_per_item(params) == 512


def test_rtl_verilator_bit_exact(tmp_path):
    params = {**SMALL, "PE": 2, "SIMD_IN": 4}
    n = model.write_vectors(tmp_path, params)
    args = ["verilator", "--binary", "--top-module", "bilstm_tb", "--Mdir", "obj", "-o", "vsim",
            "-j", "2"]
    args += [f"-G{k}={v}" for k, v in model.resolve(params).items()]
    env = {**os.environ, "MAKEFLAGS": "-j2"}
    subprocess.run(args + [str(f) for f in RTL + [TB]], check=True, cwd=tmp_path,
                   capture_output=True, env=env)
    run = subprocess.run([str(tmp_path / "obj" / "vsim")], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120)
    vectors, mismatches, cycles = _result(run.stdout)
    assert (vectors, mismatches, cycles) == (n, 0, model.cycles_per_item(params))


# --------------------------------------------------------------------------- HLS
def _csim(workdir: Path, params: dict, header: bool = True) -> subprocess.CompletedProcess:
    p = model.resolve(params)
    args = ["g++", "-std=c++14", "-O1", "-w", f"-I{_ap_types()}", f"-I{CORE / 'hls'}"]
    args += ["-I."] if header else []
    args += [f"-D{k}={v}" for k, v in p.items()]
    args += [str(CORE / "hls" / "bilstm.cpp"), str(CORE / "tb" / "bilstm_tb.cpp"), "-o", "csim"]
    subprocess.run(args, check=True, cwd=workdir)
    return subprocess.run(["./csim"], cwd=workdir, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", ["pe2-fold2", "w8a8", "acc-wraps"])
def test_hls_csim_bit_exact(tmp_path, name):
    params = {**SMALL, **RTL_CONFIGS[name]}
    n = model.write_vectors(tmp_path, params)
    run = _csim(tmp_path, params)
    assert _result(run.stdout) == (n, 0, None) and run.returncode == 0


def test_hls_csim_without_generated_header_reads_hex_roms(tmp_path):
    """No -I for the work dir: the ROMs come from the hex files; tampering is caught."""
    params = {**SMALL, **RTL_CONFIGS["w2a2"]}
    n = model.write_vectors(tmp_path, params)
    run = _csim(tmp_path, params, header=False)
    assert _result(run.stdout) == (n, 0, None)
    words = (tmp_path / "bilstm_wh.hex").read_text().split()
    words = ["0" * len(w) for w in words]  # all recurrent weights zero
    (tmp_path / "bilstm_wh.hex").write_text("\n".join(words) + "\n")
    run = subprocess.run(["./csim"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    vectors, mismatches, _ = _result(run.stdout)
    assert vectors == n and mismatches > 0 and run.returncode == 1


def test_hls_csim_rejects_mismatched_header(tmp_path):
    model.write_vectors(tmp_path, SMALL)
    with pytest.raises(subprocess.CalledProcessError):
        _csim(tmp_path, {**SMALL, "PE": 2})


def test_hls_csim_public_geometry_w2a2(tmp_path):
    params = {**model.PUBLIC_CONFIGS["w2a2"], "SEQLEN": 2, "MAXLEN": 16}
    n = model.write_vectors(tmp_path, params)
    run = _csim(tmp_path, params)
    assert _result(run.stdout) == (n, 0, None)


# --------------------------------------------------------------------------- Yosys
def test_yosys_infers_block_ram_for_weight_rom(tmp_path):
    """The weight ROM of W4A4 (recurrent: 512 x 1024 bits) maps to UltraScale+ block RAM."""
    p = model.resolve({})
    model.write_vectors(tmp_path, {"SEQLEN": 1, "MAXLEN": 16})
    width, depth = 4 * p["SIMD_REC"] * p["WBITS"], model.cycles_per_item(p)
    script = (f"read_verilog {RTL[0]}\n"
              f"chparam -set WIDTH {width} -set DEPTH {depth} -set FILE \"bilstm_wh.hex\" bilstm_rom\n"
              "synth_xilinx -family xcup -top bilstm_rom\ntee -o stat.txt stat\n")
    (tmp_path / "rom.ys").write_text(script)
    from fpgaflow import toolchain  # the YoWASP Yosys the README installs, not a system one
    yosys = toolchain.resolve("yosys", announce=lambda msg: None)
    assert yosys, "yosys (YoWASP) is a package dependency"
    subprocess.run([yosys.path, "-q", "-s", "rom.ys"], cwd=tmp_path, check=True, timeout=300,
                   capture_output=True)
    stat = (tmp_path / "stat.txt").read_text()
    from fpgaflow.reports.yosys import parse_stat  # both stat formats (count first since 0.60)
    count = parse_stat(stat)["cells"]
    ramb36 = count.get("RAMB36E2", 0) + count.get("RAMB18E2", 0) / 2
    assert width * depth / 36864 <= ramb36 <= width * depth / 36864 + 2, stat
    assert count.get("LUT6", 0) < 16, stat


# --------------------------------------------------------------------------- FuseSoC
def test_plain_fusesoc_run_sim(tmp_path):
    fusesoc = shutil.which("fusesoc")
    assert fusesoc, "fusesoc is a dependency"
    args = [fusesoc, "--cores-root", str(REPO / "cores"), "run", "--target", "sim",
            "--build-root", str(tmp_path / "build"), "fpgaflow:nn:bilstm"]
    args += [f"--{k}={v}" for k, v in {**SMALL, "SEQLEN": 6}.items()]
    run = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    n, m, c = _result(run.stdout)
    assert m == 0 and n == 6 + 3 + 3 + 6 + 1 and c == model.cycles_per_item(SMALL)
