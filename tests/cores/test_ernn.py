"""E-RNN core (block-circulant LSTM/GRU): the fixed-point model against its float dense
reference and the circulant algebra, then RTL simulation bit-exact against the model."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fpgaflow.models import ernn as model
from fpgaflow.models import fixed

from ._sim import CORES, STREAM_TB, flip_expected, icarus, result

SMALL = {"INPUT": 16, "HIDDEN": 16, "SEQLEN": 6}

ks = st.sampled_from([1, 2, 4, 8, 16])


def _block(k: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(-128, 128, size=k)


# --------------------------------------------------------------------------- circulant algebra
@settings(max_examples=40, deadline=None)
@given(k=ks, seed=st.integers(0, 2**31))
def test_circulant_block_equals_dense_expansion(k, seed):
    rng = np.random.default_rng(seed)
    w = rng.integers(-128, 128, size=(2, 3, k))
    u = rng.integers(-128, 128, size=3 * k)
    dense = model.dense_matrices(model.Weights(w[None], np.zeros((1, 2 * k))),
                                 {"K": k, "INPUT": k, "HIDDEN": 2 * k, "PE": 1})[0] * 128
    assert np.array_equal(model.dot_direct(w, u), np.rint(dense @ u).astype(np.int64))
    # every block is circulant: each row is the previous one rotated right by one
    blk = dense[:k, :k]
    assert all(np.array_equal(blk[r], np.roll(blk[r - 1], 1)) for r in range(1, k))


@settings(max_examples=40, deadline=None)
@given(k=ks, shift=st.integers(0, 15), seed=st.integers(0, 2**31))
def test_circular_shift_invariance(k, shift, seed):
    """Shifting an input block circularly shifts the block's product (both datapaths)."""
    w = _block(k, seed)[None, None]
    u = _block(k, seed + 1)
    s = shift % k
    y = model.dot_direct(w, u)
    assert np.array_equal(model.dot_direct(w, np.roll(u, s)), np.roll(y, s))
    p = model.resolve({"K": k, "INPUT": k, "HIDDEN": k, "FFT": 1})
    spec = model.spectra(w, p)
    # exact for K <= 4 (trivial twiddles, integer spectra); within the bound otherwise
    f0, f1 = model.fft_dot(spec, u, p), model.fft_dot(spec, np.roll(u, s), p)
    bound = model.fft_dot_bound(w, p)[0]
    assert np.abs(np.roll(f0, s) - f1).max() <= 2 * bound
    if k <= 4:
        assert np.array_equal(f0, y) and np.array_equal(f1, np.roll(y, s))


def test_k1_is_the_dense_layer():
    """K = 1: every weight is its own block; the model is an ordinary dense LSTM/GRU."""
    for cell in (0, 1):
        p = model.resolve({**SMALL, "K": 1, "CELL": cell})
        w = model.random_weights(p, seed=5, edge=False)
        assert model.weight_bits(p)["direct"] == model.weight_bits(p)["dense"]
        wd = model.dense_matrices(w, p)
        assert np.array_equal(wd, w.w[..., 0] / 128.0)     # no structure: the raw matrix
        u = np.random.default_rng(2).integers(-128, 128, size=32)
        for g in range(wd.shape[0]):
            assert np.array_equal(model.dot_direct(w.w[g], u), w.w[g, :, :, 0] @ u)
        x = np.random.default_rng(3).integers(-128, 128, size=(5, 16))
        assert np.array_equal(model.run_sequence(x, w, p),
                              model.run_sequence(x, w, {**p, "FFT": 1}))


@settings(max_examples=30, deadline=None)
@given(k=ks, seed=st.integers(0, 2**31))
def test_stored_spectra_conjugate_symmetry(k, seed):
    """A real block's spectrum is Hermitian: the K packed values carry all of it, bins 0 and
    K/2 are real, and unpacking + the mirrored half is the full quantised DFT."""
    p = model.resolve({"K": k, "INPUT": k, "HIDDEN": k})
    w = _block(k, seed)
    packed = model.spectra(w, p)
    assert packed.shape == (k,)
    sr, si = model.unpack_spectrum(packed)
    full = np.fft.fft(w.astype(float)) * 2 ** p["SFRAC"]
    assert np.all(np.abs(full.imag[[0, k // 2]]) < 1e-9) and si[0] == 0 and si[-1] == 0
    assert np.allclose(full[1:k // 2], np.conj(full[::-1][:k // 2 - 1]))   # X[K-m] = conj X[m]
    assert np.all(np.abs(sr - full.real[:k // 2 + 1]) <= 0.5)
    assert np.all(np.abs(si - full.imag[:k // 2 + 1]) <= 0.5)
    assert np.array_equal(model.pack_spectrum(sr, si), packed)


@settings(max_examples=25, deadline=None)
@given(k=st.sampled_from([8, 16]), seed=st.integers(0, 2**31), tb=st.sampled_from([10, 16]))
def test_fft_datapath_within_its_bound_of_the_exact_product(k, seed, tb):
    p = model.resolve({"K": k, "INPUT": 2 * k, "HIDDEN": 2 * k, "FFT": 1, "TBITS": tb})
    rng = np.random.default_rng(seed)
    w = rng.integers(-128, 128, size=(2, 4, k))
    bound = model.fft_dot_bound(w, p)
    spec = model.spectra(w, p)
    for u in (rng.integers(-128, 128, size=4 * k), np.full(4 * k, -128),
              np.where(np.arange(4 * k) % 2, 127, -128)):
        err = np.abs(model.fft_dot(spec, u, p) - model.dot_direct(w, u)).reshape(2, k)
        assert np.all(err.max(axis=1) <= bound)


def test_fft_bound_catches_a_wrong_fft():
    """The checker is not vacuous: a datapath with a sign error in one twiddle leaves it."""
    p = model.resolve({"K": 8, "INPUT": 16, "HIDDEN": 16, "FFT": 1})
    w = np.random.default_rng(1).integers(-128, 128, size=(2, 4, 8))
    u = np.random.default_rng(2).integers(-128, 128, size=32)
    real = model.twiddles
    try:
        model.twiddles = lambda q: (real(q)[0], -real(q)[1])   # conjugated forward twiddles
        bad = model.fft_dot(model.spectra(w, p), u, p)
    finally:
        model.twiddles = real
    assert np.abs(bad - model.dot_direct(w, u)).max() > model.fft_dot_bound(w, p).max()


def test_documented_fft_widths_hold_at_full_scale():
    p = model.resolve({"K": 16, "INPUT": 64, "HIDDEN": 64, "FFT": 1, "WBITS": 8, "ABITS": 8})
    w = np.full((4, 8, 16), -128)
    spec = model.spectra(w, p)
    for u in (np.full(128, -128), np.full(128, 127)):
        model.fft_dot(spec, u, p)     # raises when a value leaves its width


# --------------------------------------------------------------------------- model vs float
@pytest.mark.parametrize("cell", [0, 1])
@pytest.mark.parametrize("fft,k", [(0, 1), (0, 4), (0, 8), (1, 8), (1, 16)])
def test_fixed_point_within_derived_bound_of_float_dense(cell, fft, k):
    p = model.resolve({**SMALL, "K": k, "CELL": cell, "FFT": fft})
    w = model.random_weights(p, seed=3, scale=0.06, edge=False)  # recurrent gain < 1
    x = np.random.default_rng(1).integers(-128, 128, size=(12, 16))
    err = np.abs(model.run_sequence(x, w, p) / 128.0 - model.float_layer(x, w, p))
    bound = model.error_bound(x, w, p)
    assert np.all(err <= bound)
    assert bound.max() < 1.0 and err.max() > 0.01     # informative, and not trivially met
    # the bound catches a wrong model: h off by 8 LSBs in one unit
    bad = model.run_sequence(x, w, p).astype(float)
    bad[-1, 3] += 8 + 128 * bound[-1, 3]
    assert np.any(np.abs(bad / 128.0 - model.float_layer(x, w, p)) > bound)


def test_parameters_folding_and_memory():
    p = model.resolve({"INPUT": 64, "HIDDEN": 64, "K": 8, "PE": 2})
    assert model.cycles_per_item(p) == 1 * 8 * 16 // 2
    assert model.cycles_per_item({**p, "CELL": "gru"}) == 2 * 8 * 16 // 2
    bits = model.weight_bits(p)
    assert bits["dense"] == 8 * bits["direct"] == 4 * 64 * 128 * 8
    assert bits["fft"] == bits["direct"] * model.widths(p)["SB"] // 8
    for bad, why in (({"K": 3}, "power of two"), ({"K": 8, "INPUT": 12}, "divide INPUT"),
                     ({"PE": 3}, "PE must divide"), ({"KAY": 1}, "unknown parameter")):
        with pytest.raises(ValueError, match=why):
            model.resolve(bad)
    assert model.acc_bits_needed(p) <= p["ACCBITS"]


def test_edge_weights_saturate_state_and_h():
    for cell in (0, 1):
        p = model.resolve({**SMALL, "CELL": cell, "SEQLEN": 16})
        w = model.random_weights(p)
        tr: dict = {}
        y = model.run_sequence(model.sequences(p)[0], w, p, tr)
        assert y[-1, 0] == 127 and y.max() <= 127 and y.min() >= -128
        assert y[-1, 1] <= -120
        acc = np.array(tr["acc"])
        assert (fixed.table_address(acc, 14, 8) == 255).any() and (fixed.table_address(acc, 14, 8) == 0).any()
        if cell == 0:
            c = np.array(tr["c"])
            assert c[-1, 0] == (1 << 15) - 1 and c[-1, 1] == -(1 << 15)


def test_write_vectors_layout(tmp_path):
    for fft in (0, 1):
        params = {**SMALL, "K": 4, "PE": 2, "CELL": 1, "FFT": fft}
        p = model.resolve(params)
        n = model.write_vectors(tmp_path, params)
        g = model.geometry(p)
        words = (tmp_path / "ernn_w.hex").read_text().split()
        bits = model.widths(p)["SB"] if fft else p["WBITS"]
        assert len(words) == g["NPASS"] * g["P"] * g["QG"]
        assert {len(w) for w in words} == {(g["NL"] * p["PE"] * p["K"] * bits + 3) // 4}
        w = model.random_weights(p)
        src = w.spectra(p) if fft else w.w
        # pass 1 (candidate n), row 2, group 1, lane 0, block e=1 -> gate 2, block q = 3
        word = words[(1 * g["P"] + 2) * g["QG"] + 1]
        fields = fixed.hex_fields(word, bits, g["NL"] * p["PE"] * p["K"])
        assert fields[4:8] == src[2, 2, 3].tolist() and not any(fields[8:])
        assert len((tmp_path / "ernn_out.hex").read_text().split()) == n
    assert model.main(["vectors", str(tmp_path), "-P", "K=3"]) == 2


# --------------------------------------------------------------------------- RTL
RTL = sorted((CORES / "ernn" / "rtl").glob("*.v"))
TB = CORES / "ernn" / "tb" / "ernn_tb.v"

RTL_CONFIGS = {
    "lstm-direct-k4": {"K": 4},
    "gru-direct-k4": {"K": 4, "CELL": 1},
    "lstm-fft-k8": {"K": 8, "FFT": 1},
    "gru-fft-k8-pe2": {"K": 8, "FFT": 1, "CELL": 1, "PE": 2, "INPUT": 32, "HIDDEN": 16},
    "lstm-fft-k16-narrow": {"K": 16, "FFT": 1, "TBITS": 10, "XFRAC": 1, "SFRAC": 0,
                            "WBITS": 4, "ABITS": 4, "ACCBITS": 12, "SEQLEN": 4},
    "lstm-direct-k1-dense": {"K": 1, "INPUT": 8, "HIDDEN": 8, "SEQLEN": 3},
    "gru-direct-k2-pe2-acc-wraps": {"K": 2, "CELL": 1, "PE": 2, "ACCBITS": 12, "WBITS": 6},
}


def _sim(workdir, params: dict, stall: int = 0) -> tuple[int, int, int | None]:
    p = model.resolve(params)
    out = icarus(workdir, RTL + [TB, STREAM_TB], "ernn_tb", {**p, "STALL": stall})
    return result(out)


@pytest.mark.parametrize("name", sorted(RTL_CONFIGS))
def test_rtl_icarus_bit_exact(tmp_path, name):
    params = {**SMALL, **RTL_CONFIGS[name]}
    n = model.write_vectors(tmp_path, params)
    vectors, mismatches, cycles = _sim(tmp_path, params)
    assert (vectors, mismatches) == (n, 0)
    # cycles per step: the folding bound plus the pipeline latency that the input blocks at
    # the head of each pass do not hide (at most the pipeline depth, 8 cycles, per pass)
    bound = model.cycles_per_item(params)
    npass = model.geometry(model.resolve(params))["NPASS"]
    assert bound <= cycles <= bound + 8 * npass, (cycles, bound)


def test_rtl_reaches_the_folding_bound_when_the_inputs_hide_the_latency(tmp_path):
    params = {**SMALL, "K": 1, "INPUT": 8, "HIDDEN": 8, "SEQLEN": 3}
    model.write_vectors(tmp_path, params)
    assert _sim(tmp_path, params)[2] == model.cycles_per_item(params) == 128


def test_rtl_handshake_under_backpressure(tmp_path):
    params = {**SMALL, "K": 8, "FFT": 1, "CELL": 1}
    n = model.write_vectors(tmp_path, params)
    vectors, mismatches, cycles = _sim(tmp_path, params, stall=1)
    assert (vectors, mismatches) == (n, 0) and cycles >= model.cycles_per_item(params)


def test_rtl_catches_a_wrong_beat_and_a_wrong_sequence_flag(tmp_path):
    params = {**SMALL, "K": 4}
    n = model.write_vectors(tmp_path, params)
    flip_expected(tmp_path, 3, 1)                                     # one bit of h
    flip_expected(tmp_path, 5, 1 << (params["HIDDEN"] * 8))           # m_last of step 5
    assert _sim(tmp_path, params)[:2] == (n, 2)


def test_rtl_verilator_reads_both_datapaths(tmp_path):
    for fft in (0, 1):
        args = ["verilator", "--lint-only", "--timing", "-Wno-fatal", "-Wno-lint", "-Wno-style",
                "--top-module", "ernn_tb", f"-GFFT={fft}", "-GK=8", "-GINPUT=16", "-GHIDDEN=16"]
        run = subprocess.run(args + [str(f) for f in RTL + [TB, STREAM_TB]], cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr[-2000:]


# --------------------------------------------------------------------------- accuracy proxy
def test_admm_projection_is_the_nearest_circulant_matrix():
    """benchmarks/ernn.py's projection: circulant matrices are fixed points, the residual is
    orthogonal to every block-circulant matrix (so the projection is the Frobenius-nearest)."""
    from benchmarks import ernn as bench
    rng = np.random.default_rng(4)
    for k in (1, 2, 4, 8):
        v = rng.normal(size=(3, 5, k))
        assert np.allclose(bench.project(bench.expand(v), k), v)
        m = rng.normal(size=(3 * k, 5 * k))
        pm = bench.expand(bench.project(m, k))
        other = bench.expand(rng.normal(size=(3, 5, k)))
        assert abs(np.sum((m - pm) * other)) < 1e-9
        vi = rng.integers(-128, 128, size=(3, 5, k))     # the model's expansion agrees
        dense = model.dense_matrices(model.Weights(vi[None], np.zeros((1, 3 * k))),
                                     {"K": k, "INPUT": 2 * k, "HIDDEN": 3 * k})[0] * 128
        assert np.array_equal(bench.expand(vi), dense)
    assert bench.cer("abc", "abc") == 0 and bench.cer("", "abcd") == 1 and bench.cer("abd", "abc") == 1 / 3
    logits = np.eye(4)[[0, 1, 1, 0, 2, 2, 3]]
    assert bench.decode(logits, ["_", "a", "b", "c"]) == "abc"


# --------------------------------------------------------------------------- HLS
def _csim(workdir, params: dict, preprocess_only: bool = False) -> subprocess.CompletedProcess:
    import importlib.util
    spec = importlib.util.find_spec("hls4ml")
    ap = Path(list(spec.submodule_search_locations)[0]) / "templates" / "vivado" / "ap_types"
    p = model.resolve(params)
    args = ["g++", "-std=c++14", "-O0", "-w", f"-I{ap}", f"-I{CORES / 'ernn' / 'hls'}", "-I."]
    args += [f"-D{k}={v}" for k, v in p.items()]
    if preprocess_only:
        return subprocess.run(args + ["-E", str(CORES / "ernn" / "hls" / "ernn.cpp"), "-o", "/dev/null"],
                              cwd=workdir, capture_output=True, text=True)
    args += [str(CORES / "ernn" / "hls" / "ernn.cpp"), str(CORES / "ernn" / "tb" / "ernn_tb.cpp"), "-o", "csim"]
    subprocess.run(args, check=True, cwd=workdir, capture_output=True)
    return subprocess.run(["./csim"], cwd=workdir, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", ["gru-direct-k2-pe2-acc-wraps", "lstm-fft-k16-narrow"])
def test_hls_csim_bit_exact_and_catches_a_wrong_beat(tmp_path, name):
    params = {**SMALL, **RTL_CONFIGS[name]}
    n = model.write_vectors(tmp_path, params)
    run = _csim(tmp_path, params)
    assert result(run.stdout) == (n, 0, None) and run.returncode == 0
    out = (tmp_path / "ernn_out.hex").read_text().split()
    out[0] = format(int(out[0], 16) ^ 1, f"0{len(out[0])}x")
    (tmp_path / "ernn_out.hex").write_text("\n".join(out) + "\n")
    run = subprocess.run(["./csim"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result(run.stdout) == (n, 1, None) and run.returncode == 1


def test_hls_rejects_a_header_for_other_parameters(tmp_path):
    model.write_vectors(tmp_path, {**SMALL, "K": 4})
    assert _csim(tmp_path, {**SMALL, "K": 4}, preprocess_only=True).returncode == 0
    bad = _csim(tmp_path, {**SMALL, "K": 4, "PE": 2}, preprocess_only=True)
    assert bad.returncode != 0 and "generated for other parameters" in bad.stderr
