"""Bit-exact model of the CNV top (cores/cnv): BNN-PYNQ's cnvW1A1 (WBITS=1, ABITS=1), cnvW1A2
(1, 2) and cnvW2A2 (2, 2) as :func:`fpgaflow.models.finn.cnv_layers` builds them: six 3x3
convolutions (C1, C1, pool, C2, C2, pool, C3, C3) on an IMG x IMG x IN_CH image of 8-bit
``ap_fixed<8,1>`` pixels, then F, F and OUT fully connected neurons; OUT 16-bit scores out.

Files (current directory of the testbench): ``l<i>_weights.hex`` (i = 0..8) and
``l<i>_thresh.hex`` (i = 0..7), ``in.txt`` (image count, then IMG*IMG beats of IN_CH 8-bit
channels) and ``exp.txt`` (OUT/L8_PE beats of L8_PE 16-bit scores per image).  Generated
parameters come from :func:`fpgaflow.models.finn.random_params`; :data:`FULL` holds the
published geometries, BNN-PYNQ's trained parameters load with :func:`fpgaflow.models.finn.load`.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np

from fpgaflow.models import finn, mvau

_FOLD_KEYS = [f"L{i}_{k}" for i in range(9) for k in ("PE", "SIMD")]

PARAMETERS = {
    "IMG": 32, "IN_CH": 3, "C1": 4, "C2": 8, "C3": 8, "F": 16, "OUT": 8,
    "WBITS": 1, "ABITS": 1, "ACCW": 16,
    "L0_PE": 4, "L0_SIMD": 3, "L1_PE": 4, "L1_SIMD": 4, "L2_PE": 4, "L2_SIMD": 4,
    "L3_PE": 8, "L3_SIMD": 8, "L4_PE": 8, "L4_SIMD": 8, "L5_PE": 8, "L5_SIMD": 8,
    "L6_PE": 4, "L6_SIMD": 8, "L7_PE": 4, "L7_SIMD": 4, "L8_PE": 2, "L8_SIMD": 4,
    "NVEC": 3,
}


def _full(name: str) -> dict:
    fold = finn._FOLD[name]
    p = {"IMG": 32, "IN_CH": 3, "C1": 64, "C2": 128, "C3": 256, "F": 512, "OUT": 64,
         "WBITS": int(name[4]), "ABITS": int(name[6]), "ACCW": 16}
    for i, (simd, pe) in enumerate(fold):
        p[f"L{i}_PE"], p[f"L{i}_SIMD"] = pe, simd
    return p


#: BNN-PYNQ's three CNVs (config.h geometry and folding)
FULL = {name: _full(name) for name in ("cnvW1A1", "cnvW1A2", "cnvW2A2")}


def layer_params(params: dict) -> list[dict]:
    p = mvau.merged(PARAMETERS, params)
    if p["ABITS"] not in (1, 2) or p["WBITS"] not in (1, 2):
        raise ValueError(f"WBITS={p['WBITS']} ABITS={p['ABITS']}: CNV is W1A1, W1A2 or W2A2")
    if p["WBITS"] == 2 and p["ABITS"] == 1:
        raise ValueError("W2A1 is not one of BNN-PYNQ's CNVs (binary activations go with XNOR)")
    d0 = p["IMG"] - 2
    d1 = d0 - 2
    if d1 % 2 or (d1 // 2 - 4) % 2 or (d1 // 2 - 4) // 2 - 4 < 1:
        raise ValueError(f"IMG={p['IMG']}: the convolutions and 2x2 pools need IMG = 32, 36, 40, ...")
    p1 = d1 // 2
    d2, d3 = p1 - 2, p1 - 4
    p2 = d3 // 2
    d4, d5 = p2 - 2, p2 - 4
    conv = [(3, p["IN_CH"], p["IMG"], p["C1"], d0), (3, p["C1"], d0, p["C1"], d1),
            (3, p["C1"], p1, p["C2"], d2), (3, p["C2"], d2, p["C2"], d3),
            (3, p["C2"], p2, p["C3"], d4), (3, p["C3"], d4, p["C3"], d5)]
    fc = [(d5 * d5 * p["C3"], p["F"]), (p["F"], p["F"]), (p["F"], p["OUT"])]
    fold = [(p[f"L{i}_SIMD"], p[f"L{i}_PE"]) for i in range(9)]
    layers = finn.cnv_layers(p["WBITS"], p["ABITS"], conv=conv, fc=fc, fold=fold)
    for lp in layers:
        lp["ACCW"] = p["ACCW"]
        finn.derived(lp)
        if lp.get("kind") == "conv" and lp["IFM_CH"] % lp["SIMD"]:
            raise ValueError(f"SIMD={lp['SIMD']} must divide the {lp['IFM_CH']} input channels")
    return layers


TOP = finn.Top("fpgaflow.models.cnv", PARAMETERS, layer_params)
cycles_per_item = TOP.cycles_per_item
check = TOP.check


def make_case(params: dict, seed: int = 1):
    """(layers, [(weights, thresholds)], input codes (N, IMG, IMG, IN_CH), per-layer outputs)."""
    p, layers = TOP.start(params)
    rng = np.random.default_rng(seed + 1000)
    planes = rng.integers(0, 256, size=(p["NVEC"], p["IN_CH"], p["IMG"], p["IMG"]))
    planes[0] = 0                                          # a black image
    if p["NVEC"] > 1:
        planes[1] = 255                                    # a white one (saturates to 127)
    x = finn.cifar_codes(planes)
    prm, acts = finn.random_params(layers, x, seed=seed)
    return layers, prm, x, acts


def write_vectors(outdir: pathlib.Path, params: dict, seed: int = 1) -> int:
    outdir = pathlib.Path(outdir)
    layers, prm, x, acts = make_case(params, seed)
    finn.write_roms(outdir, layers, prm)
    finn.write_streams(outdir, x, x.shape[3], 8, acts[-1], layers[8]["PE"], layers[8]["ACCW"])
    return len(x)


def main(argv=None) -> int:
    return TOP.main(argv, write_vectors)


if __name__ == "__main__":
    sys.exit(main())
