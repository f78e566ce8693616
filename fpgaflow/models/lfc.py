"""Bit-exact model of the LFC top (cores/lfc): four MVAU layers IN -> HID -> HID -> HID -> OUT.

Layer 0 takes binary pixels (ABITS=1 in the MVAU sense) and, like layers 1 and 2, thresholds to
ABITS-bit activations (ABITS=1: W1A1, ABITS=2: W1A2 with three thresholds per neuron); layer 3
outputs its accumulators (ACC3 = clog2(HID*(2**ABITS-1)+1)+1 bits, two's complement).  Each layer
follows :mod:`fpgaflow.models.mvau` exactly.

Files (current directory of the testbench): ``l<i>_weights.hex`` and ``l<i>_thresh.hex`` for
i = 0..3 (layer 3's threshold file is all zeros and unused), ``in.txt`` (image count, then
IN/L0_SIMD beats of L0_SIMD pixels per image) and ``exp.txt`` (OUT/L3_PE beats per image of
L3_PE accumulators).  The full-size BNN-PYNQ geometry is :data:`FULL`.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np

from fpgaflow.models import mvau

PARAMETERS = {
    "IN": 64, "HID": 32, "OUT": 16, "ABITS": 1,
    "L0_PE": 8, "L0_SIMD": 16, "L1_PE": 16, "L1_SIMD": 8,
    "L2_PE": 8, "L2_SIMD": 8, "L3_PE": 2, "L3_SIMD": 16,
    "NVEC": 12,
}

#: BNN-PYNQ lfcW1A1 on XC7Z020 (config.h: 832x1024 SIMD 64 PE 32, 1024x1024 32/64, 64/32, 1024x64 8/16)
FULL = {
    "IN": 832, "HID": 1024, "OUT": 64, "ABITS": 1,
    "L0_PE": 32, "L0_SIMD": 64, "L1_PE": 64, "L1_SIMD": 32,
    "L2_PE": 32, "L2_SIMD": 64, "L3_PE": 16, "L3_SIMD": 8,
}


def layer_params(params: dict) -> list[dict]:
    p = mvau.merged(PARAMETERS, params)
    a = p["ABITS"]
    geo = [(p["IN"], p["HID"], 1, a, 0), (p["HID"], p["HID"], a, a, 0),
           (p["HID"], p["HID"], a, a, 0), (p["HID"], p["OUT"], a, 1, 1)]
    layers = []
    for i, (mw, mh, ab, ob, noact) in enumerate(geo):
        layers.append({"MW": mw, "MH": mh, "PE": p[f"L{i}_PE"], "SIMD": p[f"L{i}_SIMD"],
                       "ABITS": ab, "OBITS": ob, "NOACT": noact, "NVEC": p["NVEC"]})
    for i in range(3):
        wo, wi = layers[i]["PE"] * a, layers[i + 1]["SIMD"] * a
        if max(wo, wi) % min(wo, wi):
            raise ValueError(f"layer {i} output width {wo} and layer {i + 1} input width {wi}: "
                             "one must divide the other")
    return layers


def cycles_per_item(params: dict) -> int:
    return max(mvau.cycles_per_item(lp) for lp in layer_params(params))


def make_case(params: dict, seed: int = 1):
    p = mvau.merged(PARAMETERS, params)
    rng = np.random.default_rng(seed)
    layers = layer_params(p)
    x = mvau.edge_inputs(rng, p["NVEC"] - 3, p["IN"], 1)
    act = x
    ws, ts = [], []
    for lp in layers:
        d = mvau.derived(lp)
        w = rng.integers(0, 2, size=(d["MH"], d["MW"]))
        acc = mvau.accumulate(w, act, d["ABITS"])
        thr = None if d["NOACT"] else mvau.random_thresholds(rng, d, boundary_acc=acc[-1])
        act = mvau.activate(acc, thr)
        ws.append(w)
        ts.append(thr)
    return layers, ws, ts, x, act


def write_vectors(outdir: pathlib.Path, params: dict, seed: int = 1) -> int:
    outdir = pathlib.Path(outdir)
    layers, ws, ts, x, y = make_case(params, seed)
    for i, (lp, w, t) in enumerate(zip(layers, ws, ts)):
        d = mvau.derived(lp)
        mvau.write_files(outdir, d, w, t, x[:0], y[:0])
        (outdir / "weights.hex").replace(outdir / f"l{i}_weights.hex")
        (outdir / "thresh.hex").replace(outdir / f"l{i}_thresh.hex")
    # stream files: layer 0's input geometry, layer 3's output geometry
    d0, d3 = mvau.derived(layers[0]), mvau.derived(layers[3])
    il = [str(len(x))]
    for v in x:
        for s in range(d0["SF"]):
            il.append(mvau.hexline(mvau.pack(v[s * d0["SIMD"]:(s + 1) * d0["SIMD"]], 1), d0["SIMD"]))
    mvau.write_lines(outdir / "in.txt", il)
    el = []
    for v in y:
        for f in range(d3["NF"]):
            el.append(mvau.hexline(mvau.pack(v[f * d3["PE"]:(f + 1) * d3["PE"]], d3["OW"]),
                                   d3["PE"] * d3["OW"]))
    mvau.write_lines(outdir / "exp.txt", el)
    return len(x)


def main(argv=None) -> int:
    return mvau.cli(argv, PARAMETERS, write_vectors, cycles_per_item, "fpgaflow.models.lfc")


if __name__ == "__main__":
    sys.exit(main())
