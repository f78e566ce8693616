"""Bit-exact model of the LFC top (cores/lfc): BNN-PYNQ's lfcW1A1 (ABITS=1) or lfcW1A2 (ABITS=2)
as four MVAU layers IN -> HID -> HID -> HID -> OUT (:func:`fpgaflow.models.finn.lfc_layers`):
16-bit accumulators, FINN thresholds in every layer, one bit per class out.

Files (current directory of the testbench): ``l<i>_weights.hex`` and ``l<i>_thresh.hex`` for
i = 0..3, ``in.txt`` (image count, then IN/L0_SIMD beats of L0_SIMD pixel bits per image) and
``exp.txt`` (OUT/L3_PE beats per image of L3_PE class bits).  Generated parameters come from
:func:`fpgaflow.models.finn.random_params`; the full-size BNN-PYNQ geometry is :data:`FULL`,
BNN-PYNQ's trained parameters load with :func:`fpgaflow.models.finn.load`.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np

from fpgaflow.models import finn, mvau

PARAMETERS = {
    "IN": 64, "HID": 32, "OUT": 16, "ABITS": 1, "ACCW": 16,
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
    if p["ABITS"] not in (1, 2):
        raise ValueError(f"ABITS={p['ABITS']}: the LFC is W1A1 (1) or W1A2 (2)")
    fold = [(p[f"L{i}_SIMD"], p[f"L{i}_PE"]) for i in range(4)]
    layers = finn.lfc_layers(p["ABITS"], (p["IN"], p["HID"], p["HID"], p["HID"], p["OUT"]), fold)
    for lp in layers:
        lp["ACCW"] = p["ACCW"]
        finn.derived(lp)                                   # geometry errors early
    for i in range(3):
        wo, wi = layers[i]["PE"] * layers[i]["OBITS"], layers[i + 1]["SIMD"] * layers[i + 1]["ABITS"]
        if max(wo, wi) % min(wo, wi):
            raise ValueError(f"layer {i} output width {wo} and layer {i + 1} input width {wi}: "
                             "one must divide the other")
    return layers


TOP = finn.Top("fpgaflow.models.lfc", PARAMETERS, layer_params)
cycles_per_item = TOP.cycles_per_item
check = TOP.check


def make_case(params: dict, seed: int = 1):
    """(layers, [(weights, thresholds)], input bits, per-layer output codes)."""
    p, layers = TOP.start(params)
    x = mvau.edge_inputs(np.random.default_rng(seed + 1000), p["NVEC"] - 3, p["IN"], 1)
    prm, acts = finn.random_params(layers, x, seed=seed)
    return layers, prm, x, acts


def write_vectors(outdir: pathlib.Path, params: dict, seed: int = 1) -> int:
    outdir = pathlib.Path(outdir)
    layers, prm, x, acts = make_case(params, seed)
    finn.write_roms(outdir, layers, prm)
    finn.write_streams(outdir, x, layers[0]["SIMD"], 1, acts[-1], layers[3]["PE"], 1)
    return len(x)


def main(argv=None) -> int:
    return TOP.main(argv, write_vectors)


if __name__ == "__main__":
    sys.exit(main())
