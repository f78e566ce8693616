"""Bit-exact model of the generated LUTNet layer and its XNOR baseline (cores/lutnet).

The layer itself is described by the generator's spec (:func:`fpgaflow.generators.lutnet.build_spec`,
also written as ``lutnet_spec.json`` next to the Verilog): neuron ``o`` of the LUTNet layer fires
when ``sum_j table_j[sum_k x[in_jk] << k] >= T_o``; of the XNOR layer when
``sum_j (x[i_j] == w_j) >= T'_o``.

``write_vectors`` writes ``in.txt`` (vector count, then one hex line of N_IN bits per vector, bit i
= input i), ``exp_xnor.txt`` and ``exp_lutnet_k<K>.txt`` for every generated K (one hex line of
N_OUT bits per vector).  When ``lutnet_spec.json`` is already in the output directory (FuseSoC
copies the generator's one there) that spec is used, so the vectors always match the generated RTL;
otherwise the spec is built from the parameters.
"""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np

from fpgaflow.generators import lutnet as gen
from fpgaflow.models import _cli, mvau

PARAMETERS = {"N_IN": 64, "N_OUT": 16, "DENSITY": 0.5, "XNOR_DENSITY": 0.5, "SEED": 1, "NVEC": 40}


def _merged(params: dict | None) -> dict:
    return mvau.merged(PARAMETERS, params)


def spec_for(params: dict) -> dict:
    p = _merged(params)
    return gen.build_spec({k: p[k] for k in ("N_IN", "N_OUT", "DENSITY", "XNOR_DENSITY", "SEED")})


def cycles_per_item(params: dict) -> int:
    return 1  # fully unrolled: one vector per cycle


def check(params: dict) -> None:
    """The layer parameters the generator takes (N_IN, N_OUT >= 1, DENSITY in (0, 1], ...);
    K and VARIANT are the RTL's: K a LUT size the generator makes (2..6), VARIANT 0 or 1."""
    p = _merged(_cli.known(PARAMETERS, params))
    _cli.at_least(p, 1, ("N_IN", "N_OUT", "NVEC"))
    gen.normalize({k: p[k] for k in ("N_IN", "N_OUT", "DENSITY", "XNOR_DENSITY", "SEED")})
    rtl = _cli.known(("K", "VARIANT"), params)
    if "K" in rtl and _cli.integer("K", rtl["K"]) not in range(2, 7):
        raise _cli.ParameterError("K", f"K={rtl['K']} must be 2..6 (the LUT sizes generated)")
    if "VARIANT" in rtl and _cli.integer("VARIANT", rtl["VARIANT"]) not in (0, 1):
        raise _cli.ParameterError("VARIANT", f"VARIANT={rtl['VARIANT']} must be 0 (LUTNet) or 1 (XNOR)")


def lutnet_outputs(spec: dict, k: int, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.int64)
    y = np.zeros((len(x), spec["n_out"]), dtype=np.int64)
    for o, n in enumerate(spec["neurons"]):
        count = np.zeros(len(x), dtype=np.int64)
        for e in n["lutnet"]["luts"][str(k)]:
            idx = sum(x[:, i] << b for b, i in enumerate(e["inputs"]))
            t = int(e["table"])
            bits = np.array([(t >> j) & 1 for j in range(1 << len(e["inputs"]))], dtype=np.int64)
            count += bits[idx]
        y[:, o] = count >= n["lutnet"]["threshold"]
    return y


def xnor_outputs(spec: dict, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.int64)
    y = np.zeros((len(x), spec["n_out"]), dtype=np.int64)
    for o, n in enumerate(spec["neurons"]):
        ins, w = n["xnor"]["inputs"], np.asarray(n["xnor"]["weights"], dtype=np.int64)
        count = (x[:, ins] == w[None, :]).sum(axis=1)
        y[:, o] = count >= n["xnor"]["threshold"]
    return y


def inputs(rng, nvec: int, n_in: int) -> np.ndarray:
    return mvau.edge_inputs(rng, nvec - 3, n_in, 1)


def write_vectors(outdir: pathlib.Path, params: dict, seed: int = 1) -> int:
    outdir = pathlib.Path(outdir)
    p = _merged(params)
    spec_file = outdir / "lutnet_spec.json"
    spec = json.loads(spec_file.read_text()) if spec_file.is_file() else spec_for(p)
    rng = np.random.default_rng(seed)
    x = inputs(rng, p["NVEC"], spec["n_in"])
    mvau.write_lines(outdir / "in.txt", [str(len(x))] + [mvau.hexline(mvau.pack(v, 1), spec["n_in"]) for v in x])

    def dump(name, y):
        mvau.write_lines(outdir / name, [mvau.hexline(mvau.pack(v, 1), spec["n_out"]) for v in y])

    dump("exp_xnor.txt", xnor_outputs(spec, x))
    for k in spec["ks"]:
        dump(f"exp_lutnet_k{k}.txt", lutnet_outputs(spec, k, x))
    return len(x)


def main(argv=None) -> int:
    return _cli.main(argv, prog="fpgaflow.models.lutnet", names=PARAMETERS,
                     write_vectors=write_vectors, cycles_per_item=cycles_per_item, check=check)


if __name__ == "__main__":
    sys.exit(main())
