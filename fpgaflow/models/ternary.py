"""Bit-exact model of the ternary-weight / low-precision-activation layer (cores/ternary).

Colangelo et al., "Exploration of Low Numeric Precision Deep Learning Inference Using Intel FPGAs"
(FCCM 2018): weights in {-1, 0, +1}, unsigned 2-bit activations, each lane adds, subtracts or
skips (logic, not DSPs).

* Weight encoding, 2 bits: 0b01 = +1, 0b11 = -1, 0b00 = 0 (0b10 also reads as 0 in the RTL).
* Activations: unsigned ABITS bits (default 2).  Accumulator: ``sum(w * a)``, ACCW =
  clog2(MW * (2**ABITS - 1) + 1) + 1 bits, two's complement.
* THRESH == 1: output = count of the row's 2**OBITS - 1 thresholds ``t`` with ``acc >= t``;
  THRESH == 0: output = accumulator.
* Folding, stream and file layout as :mod:`fpgaflow.models.mvau` (weights 2 bits per lane:
  ``weights.hex`` line ``nf*SF+sf`` holds lane (pe, s) at bit ``(pe*SIMD+s)*2``).
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np

from fpgaflow.models import mvau

PARAMETERS = {"MW": 32, "MH": 16, "PE": 4, "SIMD": 8, "ABITS": 2, "OBITS": 2, "THRESH": 1, "NVEC": 24}


def derived(params: dict) -> dict:
    p = mvau.merged(PARAMETERS, params)
    # same geometry rules as the MVAU with multi-bit activations
    d = mvau.derived({"MW": p["MW"], "MH": p["MH"], "PE": p["PE"], "SIMD": p["SIMD"],
                      "ABITS": p["ABITS"], "OBITS": p["OBITS"], "NOACT": 0 if p["THRESH"] else 1})
    d.update(THRESH=p["THRESH"], NVEC=p["NVEC"])
    return d


def cycles_per_item(params: dict) -> int:
    d = derived(params)
    return d["SF"] * d["NF"]


def accumulate(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    """weights (MH, MW) in {-1, 0, 1}; x (N, MW) unsigned -> (N, MH) int64."""
    return x.astype(np.int64) @ weights.astype(np.int64).T


def encode(weights: np.ndarray) -> np.ndarray:
    return np.asarray(weights, dtype=np.int64) & 3  # +1 -> 01, -1 -> 11, 0 -> 00


def make_case(params: dict, seed: int = 1):
    d = derived(params)
    rng = np.random.default_rng(seed)
    w = rng.integers(-1, 2, size=(d["MH"], d["MW"]))
    w[0, :] = 1                      # saturation: all +1
    if d["MH"] > 1:
        w[1, :] = -1                 # all -1
    if d["MH"] > 2:
        w[2, :] = 0                  # all zero (every lane skips)
    x = mvau.edge_inputs(rng, d["NVEC"] - 3, d["MW"], d["AMAX"])
    acc = accumulate(w, x)
    thr = None
    if d["THRESH"]:
        thr = mvau.random_thresholds(rng, dict(d, ABITS=max(2, d["ABITS"])), boundary_acc=acc[-1])
    y = mvau.activate(acc, thr)
    return d, w, thr, x, y


def write_vectors(outdir: pathlib.Path, params: dict, seed: int = 1) -> int:
    outdir = pathlib.Path(outdir)
    d, w, thr, x, y = make_case(params, seed)
    # the MVAU writer handles thresholds, inputs and outputs; weights are 2 bits per lane here
    mvau.write_files(outdir, d, np.zeros_like(w), thr, x, y)
    pe, simd = d["PE"], d["SIMD"]
    enc = encode(w)
    lines = []
    for f in range(d["NF"]):
        for s in range(d["SF"]):
            blk = enc[f * pe:(f + 1) * pe, s * simd:(s + 1) * simd]
            lines.append(mvau.hexline(mvau.pack(blk.reshape(-1), 2), 2 * pe * simd))
    mvau.write_lines(outdir / "weights.hex", lines)
    return len(x)


def main(argv=None) -> int:
    return mvau.cli(argv, PARAMETERS, write_vectors, cycles_per_item, "fpgaflow.models.ternary")


if __name__ == "__main__":
    sys.exit(main())
