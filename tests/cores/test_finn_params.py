"""BNN-PYNQ's networks in the model: the packed per-PE parameter files (generated here in the same
format; the trained ones are only read by benchmarks/paper_cases/bnn.py), the sliding window,
max-pooling, the first layer's fixed point and the host's input/output coding."""

from __future__ import annotations

import numpy as np
import pytest

from fpgaflow.models import finn, mvau

# two convolutions (8x8x3 -> 6x6x4 -> 4x4x8, pooled to 2x2x8), two FC layers
SMALL_CNV = dict(conv=[(3, 3, 8, 4, 6), (3, 4, 6, 8, 4)], fc=[(2 * 2 * 8, 8), (8, 4)],
                 fold=[(3, 2), (4, 4), (8, 2), (2, 2)])


def small_cnv(wbits=1, abits=1):
    return finn.cnv_layers(wbits, abits, **SMALL_CNV)


def test_published_geometry_is_bnn_pynq_config_h():
    for name in ("cnvW1A1", "cnvW1A2", "cnvW2A2"):
        layers = finn.network(name)
        # WMEM and TMEM of config.h follow from MatrixW/H, SIMD, PE
        wmem = [finn.derived(lp)["SF"] * finn.derived(lp)["NF"] for lp in layers]
        tmem = [finn.derived(lp)["NF"] for lp in layers]
        if name == "cnvW2A2":
            assert wmem == [72, 144, 576, 1152, 9216, 73728, 65536, 65536, 8192]
            assert tmem == [8, 4, 16, 16, 64, 256, 512, 256, 16]
        else:
            assert wmem == [36, 36, 144, 288, 2304, 18432, 32768, 32768, 8192]
            assert tmem == [4, 2, 8, 8, 64, 256, 512, 512, 16]
        assert [lp["POOL"] for lp in layers[:6]] == [0, 1, 0, 1, 0, 0]
        assert layers[-1]["ACT"] == mvau.PASS and layers[0]["ABITS"] == 8
    assert [finn.derived(lp)["SF"] * finn.derived(lp)["NF"] for lp in finn.network("lfcW1A1")] == \
        [416, 512, 512, 512]
    with pytest.raises(KeyError):
        finn.network("cnvW8A8")


@pytest.mark.parametrize("net", ["lfc_w1a2", "cnv_w2a2"])
def test_packed_files_round_trip_bin_and_npz(tmp_path, net):
    if net == "lfc_w1a2":
        layers = finn.lfc_layers(2, (64, 32, 32, 32, 16), [(16, 8), (8, 16), (8, 8), (16, 2)])
        x = mvau.edge_inputs(np.random.default_rng(0), 5, 64, 1)
    else:
        layers = small_cnv(2, 2)
        x = np.random.default_rng(0).integers(0, 256, size=(2, 8, 8, 3))
    prm, _ = finn.random_params(layers, x, seed=3)
    finn.write_params(tmp_path, layers, prm, npz="params.npz")
    for source in (tmp_path, tmp_path / "params.npz"):
        back = finn.load(source, layers)
        for (w, t), (w2, t2) in zip(prm, back):
            assert np.array_equal(w, w2)
            assert (t is None and t2 is None) or np.array_equal(t, t2)
    # one PE's weight file: WMEM little-endian 64-bit words, weight i of a tile at bit i*WBITS
    blob = (tmp_path / "1-1-weights.bin").read_bytes()
    lp = finn.derived(layers[1])
    assert len(blob) == 8 * lp["SF"] * lp["NF"]
    word = int.from_bytes(blob[8 * 1:8 * 2], "little")       # tile 1: nf 0, sf 1 (or nf 1)
    nf, sf = divmod(1, lp["SF"])
    row, col = nf * lp["PE"] + 1, sf * lp["SIMD"]
    assert word & ((1 << lp["WBITS"]) - 1) == prm[1][0][row, col]


def test_a_wrong_packing_is_caught(tmp_path):
    layers = finn.lfc_layers(1, (64, 32, 32, 32, 16), [(16, 8), (8, 16), (8, 8), (16, 2)])
    x = mvau.edge_inputs(np.random.default_rng(0), 5, 64, 1)
    prm, _ = finn.random_params(layers, x, seed=3)
    finn.write_params(tmp_path, layers, prm)
    # PE files swapped: the loader must not give the same matrix back
    a, b = (tmp_path / "0-0-weights.bin"), (tmp_path / "0-1-weights.bin")
    ab, bb = a.read_bytes(), b.read_bytes()
    a.write_bytes(bb)
    b.write_bytes(ab)
    assert not np.array_equal(finn.load(tmp_path, layers)[0][0], prm[0][0])
    with pytest.raises(KeyError, match="2-0-weights"):
        (tmp_path / "2-0-weights.bin").unlink()
        finn.load(tmp_path, layers)


def test_first_cnv_layer_fixed_point_thresholds():
    lp = finn.cnv_layers(1, 2)[0]
    # ap_fixed<64,56> words (8 fraction bits) -> floor(t/2) in the accumulator's 2**-7 units
    raw = [(-5) & ((1 << 64) - 1), 7, 300]
    files = {f"0-{p}-weights": bytes(8 * 36) for p in range(16)}
    files.update({f"0-{p}-thres": b"".join(v.to_bytes(8, "little") for v in (raw * 3)[:8])
                  for p in range(16)})
    _, t = finn.load_layer(files, 0, lp)
    assert t[0].tolist() == [-3, 3] and t[16].tolist() == [150, -3]
    # exactness: t/256 < a/128  <=>  floor(t/2) < a, for every integer a
    for tv in range(-9, 10):
        for a in range(-6, 7):
            assert (tv / 256 < a / 128) == ((tv >> 1) < a)


def test_short_last_layer_files_read_as_zero_words():
    lp = finn.cnv_layers(1, 1)[8]
    files = {f"8-{p}-weights": (0xFF).to_bytes(8, "little") * 1536 for p in range(4)}
    w, t = finn.load_layer(files, 8, lp)
    assert t is None and (w[:12] == 1).all() and (w[12:] == 0).all()


def test_sliding_window_order_and_maxpool():
    lp = dict(small_cnv()[0])
    x = np.arange(8 * 8 * 3).reshape(1, 8, 8, 3)
    cols = finn.im2col(x, lp)
    # output pixel (1, 2), kernel (ky, kx) = (2, 1), channel 1: column (ky*K + kx)*IFM_CH + ch
    assert cols[0, 1, 2, (2 * 3 + 1) * 3 + 1] == x[0, 1 + 2, 2 + 1, 1]
    binary = dict(lp, OBIAS=0, OBITS=1)
    v = np.array([[0, 1, 0, 0], [0, 0, 0, 0], [1, 1, 0, 0], [1, 1, 0, 0]]).reshape(1, 4, 4, 1)
    assert finn.maxpool(v, binary)[0, :, :, 0].tolist() == [[1, 0], [1, 0]]
    signed = dict(lp, OBIAS=-1, OBITS=2)
    s = mvau.weight_codes(np.array([[-1, -1, 0, 1], [-1, -1, 1, -1], [-1, -1, -1, -1],
                                    [-1, 0, -1, -1]]), 2).reshape(1, 4, 4, 1)
    assert mvau.signed(finn.maxpool(s, signed), 2)[0, :, :, 0].tolist() == [[-1, 1], [0, -1]]


def test_forward_is_the_composition_of_layers():
    layers = small_cnv(1, 2)
    x = np.random.default_rng(2).integers(0, 256, size=(2, 8, 8, 3))
    prm, acts = finn.random_params(layers, x, seed=5)
    trace = []
    y = finn.forward(layers, prm, x, trace)
    assert np.array_equal(y, acts[-1])
    assert [name for name, _ in trace] == ["L0", "L1", "L1_pool", "L2", "L3"]
    assert trace[1][1].shape == (2, 4, 4, 8) and trace[2][1].shape == (2, 2, 2, 8)
    # outputs of every layer vary (the generated thresholds are not degenerate)
    assert all(len(np.unique(a)) > 1 for _, a in trace)


def test_host_input_and_output_coding():
    # MNIST: scaled to [-1, 1], bit = value >= 0, padded to 832 with zeros
    bits = finn.mnist_codes(np.array([[0, 127, 128, 255] + [0] * 780]))
    assert bits.shape == (1, 832) and bits[0, :4].tolist() == [0, 0, 1, 1] and bits[0, 784:].sum() == 0
    # CIFAR: ap_fixed<8,1,AP_RND,AP_SAT> of -1 + 2c/255
    planes = np.zeros((1, 3, 32, 32), dtype=np.uint8)
    planes[0, :, 0, 0] = [0, 128, 255]
    planes[0, 0, 0, 1] = 127
    q = mvau.signed(finn.cifar_codes(planes), 8)
    expect = [min(127, int(np.floor((-1 + 2 * c / 255) * 128 + 0.5))) for c in (0, 128, 255, 127)]
    assert q[0, 0, 0].tolist() + [q[0, 0, 1, 0]] == expect == [-128, 1, 127, -1]
    # LFC: round(log2) of the 10 class bits; CNV: first maximum of ap_int<16> scores
    assert finn.lfc_decode([0, 0, 0, 1] + [0] * 60)[0] == 3
    assert finn.lfc_decode([0] * 64)[0] == 0
    scores = [5, 0xFFFF, 9, 9] + [0] * 60
    assert finn.cnv_decode(scores) == (2, [5, -1, 9, 9, 0, 0, 0, 0, 0, 0])
