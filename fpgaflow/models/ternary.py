"""Bit-exact model of the ternary-weight / low-precision-activation layer (cores/ternary), a
configuration of the MVAU (:mod:`fpgaflow.models.mvau`).

Colangelo et al., "Exploration of Low Numeric Precision Deep Learning Inference Using Intel FPGAs"
(FCCM 2018): weights in {-1, 0, +1} (2-bit two's complement: 01 = +1, 11 = -1, 00 = 0),
unsigned ABITS-bit activations, each lane adds, subtracts or skips (logic, not DSPs).

* THRESH == 1: output = number of the row's 2**OBITS - 1 thresholds ``t`` with ``t < acc``;
  THRESH == 0: output = the accumulator (ACCW = clog2(MW * 2 * (2**ABITS - 1) + 1) + 1 bits).
* SCALE == 1 (overrides THRESH): WRPN-style per-row scale + requantize + clip,
  ``clip((acc * s + 2**(SHIFT-1)) >> SHIFT, 0, 2**OBITS - 1)``, ``s`` SCALEW bits unsigned.
* Folding, streams and files as the MVAU (weights 2 bits per lane).
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np

from fpgaflow.models import _cli, mvau

PARAMETERS = {"MW": 32, "MH": 16, "PE": 4, "SIMD": 8, "ABITS": 2, "OBITS": 2, "THRESH": 1,
              "SCALE": 0, "SCALEW": 8, "SHIFT": 8, "NVEC": 24}


def mvau_params(params: dict) -> dict:
    """The MVAU parameters this ternary configuration stands for."""
    p = mvau.merged(PARAMETERS, params)
    act = mvau.SCALE if p["SCALE"] else (mvau.THRESHOLDS if p["THRESH"] else mvau.PASS)
    return {"MW": p["MW"], "MH": p["MH"], "PE": p["PE"], "SIMD": p["SIMD"], "WBITS": 2,
            "ABITS": p["ABITS"], "ATYPE": mvau.UNSIGNED, "XNOR": 0,
            "ACCW": mvau.clog2(p["MW"] * 2 * ((1 << p["ABITS"]) - 1) + 1) + 1, "ACT": act,
            "NTHR": (1 << p["OBITS"]) - 1, "OBIAS": 0, "OBITS": p["OBITS"],
            "SCALEW": p["SCALEW"], "SHIFT": p["SHIFT"], "NVEC": p["NVEC"]}


def derived(params: dict) -> dict:
    return mvau.derived(mvau_params(params))


def cycles_per_item(params: dict) -> int:
    return mvau.cycles_per_item(mvau_params(params))


def check(params: dict) -> None:
    """Sizes and widths >= 1, THRESH and SCALE 0 or 1, a geometry the MVAU folds."""
    p = mvau.merged(PARAMETERS, _cli.known(PARAMETERS, params))
    _cli.at_least(p, 1, ("MW", "MH", "PE", "SIMD", "ABITS", "OBITS", "SCALEW", "NVEC"))
    _cli.at_least(p, 0, ("SHIFT",))
    for flag in ("THRESH", "SCALE"):
        if p[flag] not in (0, 1):
            raise _cli.ParameterError(flag, f"{flag}={p[flag]} must be 0 or 1")
    mvau.check(mvau_params(p))


def accumulate(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    """weights (MH, MW) in {-1, 0, 1}; x (N, MW) unsigned -> (N, MH) int64 (exact)."""
    return x.astype(np.int64) @ weights.astype(np.int64).T


def encode(weights: np.ndarray) -> np.ndarray:
    return mvau.weight_codes(weights, 2)          # +1 -> 01, -1 -> 11, 0 -> 00


def make_case(params: dict, seed: int = 1):
    """(d, weight values in {-1, 0, 1}, thresholds/scales, X, Y)."""
    d, w, prm, x, y = mvau.make_case(mvau_params(params), seed, ternary=True)
    return d, mvau.weight_values(w, 2), prm, x, y


def write_vectors(outdir: pathlib.Path, params: dict, seed: int = 1) -> int:
    d, w, prm, x, y = make_case(params, seed)
    return mvau.write_files(pathlib.Path(outdir), d, encode(w), prm, x, y)


def main(argv=None) -> int:
    return _cli.main(argv, prog="fpgaflow.models.ternary", names=PARAMETERS,
                     write_vectors=write_vectors, cycles_per_item=cycles_per_item, check=check)


if __name__ == "__main__":
    sys.exit(main())
