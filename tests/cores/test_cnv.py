"""CNV core: its geometry against BNN-PYNQ's config.h, the sliding-window unit and max-pool alone
(with back-pressure), the whole network in RTL simulation (small channel counts) against the
model, and the testbench catching a wrong ROM."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from fpgaflow.models import cnv, finn, mvau

from ._sim import CORES, STREAM_TB, assert_passed, icarus, result

RTL = [CORES / "mvau" / "rtl" / "mvau.v", *sorted((CORES / "common" / "rtl").glob("*.v")),
       *sorted((CORES / "cnv" / "rtl").glob("*.v"))]
TOP = RTL + [CORES / "cnv" / "tb" / "cnv_tb.v", STREAM_TB]
PARTS = RTL + [CORES / "cnv" / "tb" / "cnv_parts_tb.v", STREAM_TB]


def test_full_geometry_and_folding_bound():
    for name, p in cnv.FULL.items():
        layers = cnv.layer_params(p)
        assert [lp["MW"] for lp in layers] == [27, 576, 576, 1152, 1152, 2304, 256, 512, 512]
        assert [lp.get("OFM_DIM") for lp in layers[:6]] == [30, 28, 12, 10, 3, 1]
        assert layers == finn.network(name)          # the core's parameters are BNN-PYNQ's network
    # cnvW1A1: layers 6 and 7 (256/4 * 512 and 512/8 * 512 cycles) bound the throughput
    assert cnv.cycles_per_item(cnv.FULL["cnvW1A1"]) == 32768
    with pytest.raises(ValueError, match="IMG"):
        cnv.layer_params({"IMG": 30})
    with pytest.raises(ValueError, match="SIMD"):
        cnv.layer_params({"L1_SIMD": 3})


def _write(tmp: Path, x, y, lanes_in, lanes_out, bits):
    mvau.write_lines(tmp / "in.txt", [str(len(x))] + mvau.stream_lines(x.reshape(len(x), -1), bits, lanes_in))
    mvau.write_lines(tmp / "exp.txt", mvau.stream_lines(y.reshape(len(y), -1), bits, lanes_out))


@pytest.mark.parametrize("stall", [0, 1])
def test_sliding_window_unit(tmp_path, stall):
    x = np.random.default_rng(1).integers(0, 4, size=(3, 6, 6, 4))
    cols = finn.im2col(x, {"K": 3, "OFM_DIM": 4})
    _write(tmp_path, x, cols, 2, 2, 2)
    out = icarus(tmp_path, PARTS, "cnv_parts_tb", {"PART": 0, "STALL": stall})
    # 4x4 output pixels of 3x3x2 beats, the next image written while this one is read
    assert_passed(out, 3, None if stall else 288)


def test_max_pool_signed_and_binary(tmp_path):
    rng = np.random.default_rng(2)
    x = mvau.weight_codes(rng.integers(-1, 2, size=(3, 6, 6, 3)), 2)
    y = finn.maxpool(x, {"OBIAS": -1, "OBITS": 2})
    _write(tmp_path, x, y, 3, 3, 2)
    assert_passed(icarus(tmp_path, PARTS, "cnv_parts_tb", {"PART": 1, "CH": 3, "STALL": 1}), 3)
    xb = rng.integers(0, 2, size=(3, 6, 6, 3))
    _write(tmp_path, xb, finn.maxpool(xb, {"OBIAS": 0, "OBITS": 1}), 3, 3, 1)
    out = icarus(tmp_path, PARTS, "cnv_parts_tb",
                 {"PART": 1, "CH": 3, "ABITS": 1, "SIGNED": 0, "INIT": 0})
    assert_passed(out, 3)


def test_rtl_w2a2_bit_exact_at_the_folding_bound(tmp_path):
    # W2A2 exercises the most: ap_int<2> weights, signed activations, bias -1, signed pooling
    p = {"WBITS": 2, "ABITS": 2, "NVEC": 2}
    n = cnv.write_vectors(tmp_path, p)
    _, _, _, acts = cnv.make_case(p)
    assert all(len(np.unique(a)) > 1 for a in acts)     # no layer is constant
    out = icarus(tmp_path, TOP, "cnv_tb", p)
    assert_passed(out, n, cnv.cycles_per_item(p))
    # a wrong weight word in the last layer must show
    lines = (tmp_path / "l8_weights.hex").read_text().split()
    lines[5] = format(int(lines[5], 16) ^ ((1 << (4 * len(lines[5]))) - 1), "0%dx" % len(lines[5]))
    (tmp_path / "l8_weights.hex").write_text("\n".join(lines) + "\n")
    vectors, mismatches, _ = result(icarus(tmp_path, TOP, "cnv_tb", p))
    assert vectors == n and mismatches > 0


def test_rtl_fully_connected_layers_in_series_reach_the_bound(tmp_path):
    # layers 6 and 7 bound the throughput (64 x 128 cycles each) and layer 7 reads its whole
    # 64-beat vector in its first fold: the FIFO in front of it must hold that vector while it
    # works on the previous one, else layer 6 stalls and the two run in series (16 deep:
    # 14,000+ cycles per image)
    p = {"C3": 64, "F": 128, "L6_PE": 1, "L6_SIMD": 1, "L7_PE": 1, "L7_SIMD": 2, "NVEC": 3}
    n = cnv.write_vectors(tmp_path, p)
    assert cnv.cycles_per_item(p) == 8192
    out = icarus(tmp_path, TOP, "cnv_tb", p, defines=["FPGAFLOW_PROFILE"])
    assert_passed(out, n, cnv.cycles_per_item(p))
    prof = {m[0]: [int(v) for v in m[1:]] for m in re.findall(
        r"FPGAFLOW_PROF layer=(\w+) window=(\d+) busy=(\d+) out_stall=(\d+) in_starve=(\d+) fifo_full=(\d+)", out)}
    assert sorted(prof) == [f"l{i}" for i in range(9)]
    window, busy, out_stall, _, _ = prof["l7"]
    assert window == 2 * 8192 and busy > 0.99 * window     # layer 7 issues a beat every cycle
    assert prof["l6"][2] == 0                                # and layer 6 never waits for it
