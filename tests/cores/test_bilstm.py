"""BiLSTM core (FINN-L's OCR network): FINN-L's fixed-point arithmetic in the model, the
FINN-L weight-file loader on a generated fixture in FINN-L's format, RTL simulation (Icarus,
Verilator), HLS C-simulation (g++ + the ap_types headers shipped by hls4ml), the checkers
catching wrong results, and a plain FuseSoC run. No paper data needed (the paper's own
network runs in benchmarks/papers.py)."""

from __future__ import annotations

import importlib.util
import json
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

SMALL = {"HIDDEN": 16, "INPUT": 8, "PE": 1, "SIMD_IN": 4, "SIMD_REC": 8, "SIMD_FC": 8,
         "CLASSES": 10, "SEQLEN": 8, "MAXLEN": 16}


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
    p = model.int_params(model.resolve(params))
    args = ["iverilog", "-g2012", "-s", "bilstm_tb", "-o", str(workdir / "sim.vvp")]
    args += [f"-Pbilstm_tb.{k}={v}" for k, v in p.items()] + [f"-Pbilstm_tb.STALL={stall}"]
    subprocess.run(args + [str(f) for f in RTL + [TB]], check=True, cwd=workdir)
    return _vvp(workdir)


def _vvp(workdir: Path) -> tuple[int, int, int | None]:
    run = subprocess.run(["vvp", "-n", "sim.vvp"], cwd=workdir, capture_output=True, text=True,
                         timeout=900)
    return _result(run.stdout)


# --------------------------------------------------------------------------- arithmetic
def test_fixed_point_rounding_matches_ap_fixed_modes():
    # AP_RND_ZERO: nearest, ties toward zero (ap_types' quantization_adjust; not AP_TRN_ZERO);
    # AP_RND_CONV: nearest, ties to even (values in 1/4 units)
    v = np.array([5, 6, 7, -5, -6, -7, 2, -2, 10, -10])
    assert model._rnd_zero(v, 2).tolist() == [1, 1, 2, -1, -1, -2, 0, 0, 2, -2]
    assert model._rnd_conv(v, 2).tolist() == [1, 2, 2, -1, -2, -2, 0, 0, 2, -2]
    assert model._rnd_conv(np.array([6, 14, -6, -14]), 2).tolist() == [2, 4, -2, -4]
    assert model._wrap(np.array([32767, 32768, -32769]), 16).tolist() == [32767, -32768, 32767]
    # a W8A8 product (14 fraction bits) to <16,8>, in units of 1/256: -65/64 -> -1, -63/64 -> -1,
    # ties +-32/64 -> 0, 33/64 -> 1
    assert [int(model._fx_product(v, 1, 14, model._rnd_zero)) for v in (-65, -63, 32, -32, 33)] \
        == [-1, -1, 0, 0, 1]
    assert int(model._fx_product(3, 5, 6, model._rnd_zero)) == 60  # W4A4: exact, << 2


def test_lut_index_is_finnl_affine_indexing():
    s = lambda x: int(model.lut_index(x, model.SIG_LIMIT, model.SIG_RECIP))  # noqa: E731
    t = lambda x: int(model.lut_index(x, model.TANH_LIMIT, model.TANH_RECIP))  # noqa: E731
    # <16,8> codes: -5.0 = -1280 -> 0 (limit inclusive), 5.0 -> 255, 0 -> floor(5*25.5) = 127
    assert [s(-1280), s(-1279), s(0), s(1279), s(1280), s(-30000)] == [0, 0, 127, 254, 255, 0]
    assert s(-1270) == (10 * 51) >> 9 == 0 and s(-1269) == (11 * 51) >> 9 == 1
    assert [t(-768), t(0), t(767), t(768), t(32767)] == [0, 127, 254, 255, 255]
    assert t(1) == ((769 * 85) >> 9)


def test_generated_tables_are_256_entries_in_finnl_formats():
    sig, tnh = model.sigmoid_table(), model.tanh_table()
    assert sig.shape == tnh.shape == (256,)
    assert np.all(np.diff(sig) >= 0) and np.all(np.diff(tnh) >= 0)
    assert sig[0] == 0 and sig[-1] == 128 and np.all(sig % 2 == 0)   # ufixed<8,1>, 1/64 steps
    assert tnh[0] == -64 and tnh[-1] == 64 and np.all(np.abs(tnh) <= 64)  # fixed<8,2>
    x = -5 + np.arange(256) / 25.5
    assert np.max(np.abs(sig / 128 - 1 / (1 + np.exp(-x)))) <= 1 / 128 + 1e-12


def test_parameters_and_cycle_bound():
    expected = {"w2a2": 64 * 2 * 1, "w2a4": 128 * 2 * 2, "w4a4": 128 * 2 * 2,
                "w4a8": 128 * 2 * 8, "w8a8": 128 * 2 * 8}
    for name, cfg in model.PUBLIC_CONFIGS.items():
        fi, fr, nf = model.folds(cfg)
        assert fi == fr == nf, f"{name}: the recurrent dot product keeps pace"
        assert model.hidden_cycles(cfg) == expected[name]
        assert model.cycles_per_item(cfg) == 1 + expected[name] + 82 * 2 + 1 + 1
    with pytest.raises(ValueError, match="SIMD_FC must divide HIDDEN"):
        model.resolve({"SIMD_FC": 3})
    with pytest.raises(ValueError, match="unknown parameter"):
        model.resolve({"HIDEN": 5})
    assert model.resolve({"WEIGHTS": ""}).get("WEIGHTS") is None


def test_concat_order_and_final_labeling_positions():
    # even T: FINN-L's Concatenator emits the centre column first, then outwards, and
    # FinalLabeling's center+pointer puts every column back in place
    for T in (1, 2, 6, 8):
        order, pos = model.concat_order(T), model.label_positions(T)
        assert sorted(pos.tolist()) == list(range(T))
        assert (order == pos).all(), T
    assert model.concat_order(6).tolist() == [3, 2, 4, 1, 5, 0]
    # odd T: the hardware mirrors column pairs around the centre (its own behaviour, kept)
    assert model.concat_order(5).tolist() == [2, 3, 1, 4, 0]
    assert model.label_positions(5).tolist() == [2, 1, 3, 0, 4]


def test_max_per_column_keeps_label_and_final_labeling_rule():
    scores = np.array([[0, 5, 1], [-3, -2, -1], [9, 0, 0], [0, 0, 7]])
    values, labels = model.max_per_column(scores)
    assert values.tolist() == [5, 0, 9, 7]
    assert labels.tolist() == [1, 1, 0, 2]  # row 2: nothing > 0 -> label of row 1 kept
    # FinalLabeling, T=4: rows c go to columns [2, 1, 3, 0] -> (7,2) (0,1) (5,1) (0,0): the
    # peak 2 is emitted at the blank; the 1s never exceed it and are not emitted
    assert model.label_positions(4).tolist() == [2, 1, 3, 0]
    assert model.final_labeling(values, labels, 4, 3) == [2, 3]
    assert model.final_labeling([5, 0], [1, 0], 2, 3) == [3]   # (0,0) (5,1): no blank after
    assert model.final_labeling([0, 5], [0, 1], 2, 3) == [1, 3]  # (5,1) then a blank
    assert model.ctc_best_path(scores) == [1, 2, 2]
    assert model.ctc_best_path(np.array([[0, 5], [0, 6], [9, 0], [0, 4]])) == [1, 1]


def test_network_tracks_float_lstm_and_decodes(tmp_path):
    p = model.resolve({**SMALL, "WBITS": 8, "ABITS": 8})
    net = model.random_network(p, seed=3)
    x = np.random.default_rng(9).integers(-128, 128, size=(12, p["INPUT"]))
    h_fw, h_bw = model.hidden_layer(x, net, p)
    # float reference with the same (dequantised) weights
    W = net.wx / 128.0, net.wh / 128.0
    b = (net.bias[..., 0] + net.bias[..., 1]) / 128.0
    sg = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    xs = x / 128.0
    out = np.zeros((2, 12, p["HIDDEN"]))
    for d in (0, 1):
        h = np.zeros(p["HIDDEN"])
        c = np.zeros(p["HIDDEN"])
        for s in range(12):
            t = s if d == 0 else 11 - s
            a = b[d] + W[0][d] @ xs[t] + W[1][d] @ h
            c = sg(a[1]) * c + sg(a[0]) * np.tanh(a[2])
            h = sg(a[3]) * np.tanh(c)
            out[d, t] = h
    q = np.stack([h_fw, h_bw]) / 128.0
    err = np.abs(q - out)[:, :, 1:]   # unit 0 is driven into saturation on purpose
    assert err.mean() < 0.05, err.mean()
    r = model.run_network(x, net, p)
    assert r["labels"][-1] == p["CLASSES"] and r["scores"].shape == (12, p["CLASSES"])


# --------------------------------------------------------------------------- FINN-L files
def test_finnl_npz_and_hpp_loaders_on_generated_fixture(tmp_path):
    """A small network written in FINN-L's published formats (npz + json + hw_config.json,
    and LSTM-PYNQ's r_model_fw_bw.hpp with PE/SIMD-folded arrays) loads back identically."""
    p = model.resolve({**SMALL, "PE": 2, "WBITS": 2, "ABITS": 2})
    net = model.random_network(p, seed=5)
    npz = tmp_path / "W2A2_weights.npz"
    model.write_finnl_npz(net, p, npz)
    meta = json.loads((tmp_path / "W2A2_weights.json").read_text())
    assert meta["array_shapes"]["wgi_ih"] == [4, 2, 2, 16]     # [SIMD][FOLD][PE][2H/PE]
    assert meta["array_shapes"]["wfc"] == [16, 20] and meta["array_shapes"]["bgi_hh"] == [2, 16]
    with np.load(npz) as z:
        assert z["wgi_ih"].max() <= 3 and z["wfc"].dtype == np.uint8   # raw bit patterns
    fp = model.finnl_params(npz)
    assert (fp["HIDDEN"], fp["WBITS"], fp["PE"], fp["CLASSES"]) == (16, 2, 2, 10)
    # loaded for a different folding of the core: same network
    got = model.load_finnl(npz, {**p, "PE": 1, "SIMD_IN": 8})
    for name in ("wx", "wh", "bias", "wfc", "bfc", "sigmoid", "tanh"):
        assert np.array_equal(getattr(got, name), getattr(net, name)), name
    hpp = tmp_path / "plain" / "W2A2" / "r_model_fw_bw.hpp"
    hpp.parent.mkdir(parents=True)
    model.write_finnl_hpp(net, p, hpp)
    assert "const ap_uint<2> wgi_ih [4][2][2][16] = {" in hpp.read_text()
    got = model.load_finnl(hpp, p)
    for name in ("wx", "wh", "bias", "wfc", "bfc"):
        assert np.array_equal(getattr(got, name), getattr(net, name)), name
    # the WEIGHTS parameter: the vectors use that network
    model.write_vectors(tmp_path / "v", {**p, "WEIGHTS": str(npz)})
    assert f"network: {npz}" in (tmp_path / "v" / "bilstm_params.h").read_text()
    with pytest.raises(ValueError, match="has WBITS=2, parameters say WBITS=4"):
        model.network_for(model.resolve({**SMALL, "WEIGHTS": str(npz)}))
    # a format the core does not implement is refused
    meta["typedefs"]["t_fixed_wfc"] = "ap_fixed<8,2,AP_RND_ZERO,AP_WRAP>"
    (tmp_path / "W2A2_weights.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="t_fixed_wfc"):
        model.load_finnl(npz, p)
    assert model.main(["vectors", str(tmp_path / "w"), "-P", f"WEIGHTS={tmp_path}/nope.npz"]) == 2


def test_quantize_image_like_finnl_host():
    p = model.resolve({"ABITS": 4, "INPUT": 2, "SIMD_IN": 2})
    # ap_fixed<4,1,RND_ZERO,WRAP>: nearest (ties toward zero), and 1.0 wraps to -1
    codes = model.quantize_image([0.874, -0.13, 1.0, 0.5, 0.0625, -0.0625], p)
    assert codes.tolist() == [[7, -1], [-8, 4], [0, 0]]


def test_write_vectors_files(tmp_path):
    p = model.resolve(SMALL)
    n = model.write_vectors(tmp_path, SMALL, seed=2)
    seqs = model.sequences(p, seed=2)
    assert n == sum(len(s) for s in seqs) == len((tmp_path / "bilstm_out.hex").read_text().split())
    counts = [int(v, 16) for v in (tmp_path / "bilstm_count.hex").read_text().split()]
    assert counts[:3] == [n, len(seqs), n * p["CLASSES"]]
    labels = [int(v, 16) for v in (tmp_path / "bilstm_labels.hex").read_text().split()]
    assert len(labels) == counts[3] and labels.count(p["CLASSES"]) == len(seqs)
    fi, fr, nf = model.folds(p)
    wx = (tmp_path / "bilstm_wx.hex").read_text().split()
    assert len(wx) == 2 * 16 * nf and {len(x) for x in wx} == {4 * p["SIMD_IN"] * p["WBITS"] // 4}
    assert len((tmp_path / "bilstm_wfc.hex").read_text().split()) == p["CLASSES"] * 2
    assert "#define BILSTM_GEN_SIMD_FC 8" in (tmp_path / "bilstm_params.h").read_text()
    assert any(len(s) % 2 == 1 and len(s) > 1 for s in seqs)   # an odd length is tested


# --------------------------------------------------------------------------- RTL
RTL_CONFIGS = {
    "small": {},
    "pe2-w8a8": {"PE": 2, "WBITS": 8, "ABITS": 8},
    "w2a2-pe4": {"WBITS": 2, "ABITS": 2, "PE": 4, "SIMD_IN": 8, "SIMD_REC": 16, "SIMD_FC": 16},
    "w4a8-folded": {"WBITS": 4, "ABITS": 8, "SIMD_IN": 1, "SIMD_FC": 2, "SEQLEN": 4},
    "w2a4": {"WBITS": 2, "ABITS": 4, "SIMD_REC": 4},
}


@pytest.mark.parametrize("name", sorted(RTL_CONFIGS))
def test_rtl_icarus_bit_exact(tmp_path, name):
    params = {**SMALL, **RTL_CONFIGS[name]}
    n = model.write_vectors(tmp_path, params)
    vectors, mismatches, cycles = _iverilog(tmp_path, params)
    assert (vectors, mismatches) == (n, 0)
    bound = model.cycles_per_item(params)
    assert bound <= cycles <= bound + 10, (cycles, bound)   # short sequences: fill latency


def test_rtl_testbench_catches_wrong_scores_labels_and_beats(tmp_path):
    params = {**SMALL, "SEQLEN": 4}
    n = model.write_vectors(tmp_path, params)
    assert _iverilog(tmp_path, params)[:2] == (n, 0)
    for name in ("bilstm_scores.hex", "bilstm_labels.hex", "bilstm_out.hex"):
        f = tmp_path / name
        good = f.read_text()
        words = good.split()
        words[1] = format(int(words[1], 16) ^ 1, f"0{len(words[1])}x")  # one bit of one value
        f.write_text("\n".join(words) + "\n")
        run = subprocess.run(["vvp", "-n", "sim.vvp"], cwd=tmp_path, capture_output=True,
                             text=True, timeout=600)
        vectors, mismatches, _ = _result(run.stdout)
        assert mismatches >= 1 and run.returncode != 0, (name, run.stdout[-500:])
        f.write_text(good)


def test_rtl_icarus_handshake_under_backpressure(tmp_path):
    params = {**SMALL, "PE": 4, "SEQLEN": 6}
    n = model.write_vectors(tmp_path, params)
    vectors, mismatches, cycles = _iverilog(tmp_path, params, stall=1)
    assert (vectors, mismatches) == (n, 0)
    assert cycles >= model.cycles_per_item(params)


def test_rtl_public_geometry_w4a4(tmp_path):
    """HIDDEN=128, INPUT=32, CLASSES=82, W4A4 PE=1 SIMD 16/64/64 (the defaults): 2 columns."""
    params = {"SEQLEN": 2, "MAXLEN": 16}
    n = model.write_vectors(tmp_path, params)
    vectors, mismatches, cycles = _iverilog(tmp_path, params)
    assert (vectors, mismatches) == (n, 0)
    # sequences of 2 and 1 columns: each adds the pipelines' fill (~20 cycles) to its columns
    assert model.cycles_per_item(params) <= cycles <= model.cycles_per_item(params) + 24


def test_rtl_verilator_bit_exact(tmp_path):
    params = {**SMALL, "PE": 2, "SEQLEN": 12}
    n = model.write_vectors(tmp_path, params)
    args = ["verilator", "--binary", "--top-module", "bilstm_tb", "--Mdir", "obj", "-o", "vsim",
            "-j", "2", "-Wno-fatal", "-Wno-lint", "-Wno-style"]
    args += [f"-G{k}={v}" for k, v in model.int_params(model.resolve(params)).items()]
    env = {**os.environ, "MAKEFLAGS": "-j2"}
    subprocess.run(args + [str(f) for f in RTL + [TB]], check=True, cwd=tmp_path,
                   capture_output=True, env=env)
    run = subprocess.run([str(tmp_path / "obj" / "vsim")], cwd=tmp_path, capture_output=True,
                         text=True, timeout=600)
    vectors, mismatches, cycles = _result(run.stdout)
    assert (vectors, mismatches) == (n, 0)
    assert model.cycles_per_item(params) <= cycles <= model.cycles_per_item(params) + 10


# --------------------------------------------------------------------------- HLS
def _csim(workdir: Path, params: dict, header: bool = True) -> subprocess.CompletedProcess:
    p = model.int_params(model.resolve(params))
    args = ["g++", "-std=c++14", "-O1", "-w", f"-I{_ap_types()}", f"-I{CORE / 'hls'}"]
    args += ["-I."] if header else []
    args += [f"-D{k}={v}" for k, v in p.items()]
    args += [str(CORE / "hls" / "bilstm.cpp"), str(CORE / "tb" / "bilstm_tb.cpp"), "-o", "csim"]
    subprocess.run(args, check=True, cwd=workdir)
    return subprocess.run(["./csim"], cwd=workdir, capture_output=True, text=True, timeout=600)


def test_hls_csim_bit_exact_and_catches_corruption(tmp_path):
    params = {**SMALL, **RTL_CONFIGS["pe2-w8a8"]}
    n = model.write_vectors(tmp_path, params)
    run = _csim(tmp_path, params)
    assert _result(run.stdout) == (n, 0, None) and run.returncode == 0
    f = tmp_path / "bilstm_scores.hex"
    words = f.read_text().split()
    words[3] = format(int(words[3], 16) ^ 4, "04x")
    f.write_text("\n".join(words) + "\n")
    run = subprocess.run(["./csim"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert _result(run.stdout)[1] >= 1 and run.returncode == 1


def test_hls_csim_without_generated_header_reads_hex_roms(tmp_path):
    """No -I for the work dir: the ROMs come from the hex files; tampering is caught."""
    params = {**SMALL, **RTL_CONFIGS["w2a2-pe4"]}
    n = model.write_vectors(tmp_path, params)
    run = _csim(tmp_path, params, header=False)
    assert _result(run.stdout) == (n, 0, None)
    words = (tmp_path / "bilstm_wfc.hex").read_text().split()
    words = ["0" * len(w) for w in words]  # all output-layer weights zero
    (tmp_path / "bilstm_wfc.hex").write_text("\n".join(words) + "\n")
    run = subprocess.run(["./csim"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    vectors, mismatches, _ = _result(run.stdout)
    assert vectors == n and mismatches > 0 and run.returncode == 1


def test_hls_csim_rejects_mismatched_header(tmp_path):
    model.write_vectors(tmp_path, SMALL)
    p = model.int_params(model.resolve({**SMALL, "SIMD_FC": 4}))
    args = ["g++", "-E", f"-I{_ap_types()}", f"-I{CORE / 'hls'}", "-I."]   # the #error fires here
    args += [f"-D{k}={v}" for k, v in p.items()] + [str(CORE / "hls" / "bilstm.cpp")]
    run = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode != 0 and "generated for other parameters" in run.stderr


# --------------------------------------------------------------------------- Yosys
def test_yosys_infers_block_ram_for_weight_rom(tmp_path):
    """The recurrent weight ROM of W4A4 (512 x 1024 bits) maps to UltraScale+ block RAM."""
    p = model.resolve({})
    model.write_vectors(tmp_path, {"SEQLEN": 1, "MAXLEN": 16})
    width, depth = 4 * p["SIMD_REC"] * p["WBITS"], model.hidden_cycles(p)
    # relative to the cwd: YoWASP tools see a private /tmp (a checkout under /tmp)
    script = (f"read_verilog {os.path.relpath(RTL[0], tmp_path)}\n"
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
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    n, m, c = _result(run.stdout)
    seqs = model.sequences({**SMALL, "SEQLEN": 6})
    assert m == 0 and n == sum(len(s) for s in seqs)


def test_cli_reads_parameters_from_edam(tmp_path):
    (tmp_path / "core_0.eda.yml").write_text(
        "name: x\nparameters:\n  HIDDEN: {datatype: int, default: 8, paramtype: vlogparam}\n"
        "  SIMD_REC: {datatype: int, default: 8, paramtype: vlogparam}\n"
        "  SIMD_FC: {datatype: int, default: 8, paramtype: vlogparam}\n"
        "  INPUT: {datatype: int, default: 4, paramtype: vlogparam}\n"
        "  SIMD_IN: {datatype: int, default: 4, paramtype: vlogparam}\n"
        "  WEIGHTS: {datatype: str, default: '', paramtype: vlogparam}\n"
        "  SEQLEN: {datatype: int, default: 3, paramtype: vlogparam}\n")
    assert model.main(["vectors", str(tmp_path), "-P", "PE=2", "-P", "CLASSES=5"]) == 0
    params = dict(line.split("=") for line in (tmp_path / "bilstm_params.txt").read_text().split())
    assert (params["HIDDEN"], params["INPUT"], params["PE"], params["SEQLEN"]) == ("8", "4", "2", "3")
    assert model.main(["vectors", str(tmp_path), "-P", "PE=3"]) == 2  # 3 does not divide 8
    run = subprocess.run([sys.executable, "-m", "fpgaflow.models.bilstm", "cycles", "-P", "PE=2"],
                         capture_output=True, text=True, check=True)
    assert run.stdout.strip() == str(1 + 2 * 64 * 2 + 82 * 2 + 1 + 1)
