"""Bit-exact model of the binarized matrix-vector-threshold unit (FINN MVAU semantics).

Contract shared by the RTL (``cores/mvau/rtl/mvau.v``), the HLS C++ (``cores/mvau/hls``) and this
model:

* Weights are 1 bit: bit 1 means +1, bit 0 means -1.  Row ``r`` of the MH x MW matrix is computed
  by PE ``r % PE`` in neuron fold ``r // PE``; column ``c`` arrives in synapse fold ``c // SIMD``,
  lane ``c % SIMD``.
* ABITS == 1 (binary activations, bit 1 = +1, bit 0 = -1): the accumulator is the XNOR popcount
  ``sum(w == x)`` (FINN convention; the +-1 dot product is ``2 * popcount - MW``).
  ABITS > 1: activations are unsigned ``0 .. 2**ABITS - 1`` and the accumulator is the signed sum
  ``sum(x if w else -x)``.
* The accumulator is ACCW = clog2(MW * (2**ABITS - 1) + 1) + 1 bits, two's complement.
* NOACT == 0: output = number of the row's NTHR = 2**OBITS - 1 thresholds ``t`` with
  ``acc >= t`` (OBITS bits; W1A1: one threshold -> 1 bit, W1A2: three -> 2 bits).
  NOACT == 1: output = the accumulator itself (ACCW bits), as FINN's last LFC layer.
* Folding: SF = MW / SIMD input beats per vector, NF = MH / PE output beats per vector,
  SF * NF cycles per vector.

Files written by :func:`write_vectors` (read from the current directory by the testbenches):
``weights.hex`` (NF*SF lines of PE*SIMD bits, line ``nf*SF+sf``, bit ``pe*SIMD+s``),
``thresh.hex`` (NF lines of PE*NTHR*ACCW bits, slice ``(pe*NTHR+t)*ACCW``), ``in.txt`` (first line
the number of vectors, then SF lines per vector, lane ``s`` at bit ``s*ABITS``) and ``exp.txt``
(NF lines per vector, PE ``pe`` at bit ``pe*OW``).
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import numpy as np

PARAMETERS = {"MW": 32, "MH": 16, "PE": 4, "SIMD": 8, "ABITS": 1, "OBITS": 1, "NOACT": 0, "NVEC": 24}


# --------------------------------------------------------------------------- shared helpers
def clog2(n: int) -> int:
    """Verilog $clog2."""
    return max(0, (int(n) - 1).bit_length())


def pack(values, width: int) -> int:
    """Pack a sequence of integers, element i at bit i*width (two's complement, masked)."""
    mask = (1 << width) - 1
    word = 0
    for i, v in enumerate(values):
        word |= (int(v) & mask) << (i * width)
    return word


def hexline(word: int, bits: int) -> str:
    return format(word, "0%dx" % max(1, (bits + 3) // 4))


def write_lines(path: pathlib.Path, lines) -> None:
    path.write_text("".join(line + "\n" for line in lines))


def merged(defaults: dict, params: dict | None) -> dict:
    p = dict(defaults)
    for key, value in (params or {}).items():
        if key not in defaults:
            raise KeyError(f"unknown parameter {key!r}; known: {', '.join(defaults)}")
        p[key] = type(defaults[key])(value) if isinstance(defaults[key], float) else int(value)
    return p


def edam_parameters(workdir: pathlib.Path, known: dict) -> dict:
    """Integer parameters of an EDAM file (``*.eda.yml``) in ``workdir`` that ``known`` names."""
    found = sorted(pathlib.Path(workdir).glob("*.eda.yml"))
    if len(found) != 1:
        return {}
    import yaml

    edam = yaml.safe_load(found[0].read_text()) or {}
    out = {}
    for name, spec in (edam.get("parameters") or {}).items():
        if name in known and isinstance(spec, dict) and "default" in spec:
            try:
                out[name] = type(known[name])(spec["default"])
            except (TypeError, ValueError):
                pass
    return out


def cli(argv, parameters: dict, write_vectors, cycles_per_item, prog: str) -> int:
    """``python -m fpgaflow.models.<name> vectors OUTDIR -P NAME=VALUE ...`` (and ``cycles``)."""
    ap = argparse.ArgumentParser(prog=prog, description="reference model: write test vectors")
    ap.add_argument("command", choices=["vectors", "cycles", "params"])
    ap.add_argument("outdir", nargs="?", default=".")
    ap.add_argument("-P", "--param", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    # Run as a FuseSoC hook, the work root holds the EDAM (<core>.eda.yml) with the parameter
    # values of this run: take the ones this model knows, so `fusesoc run ... --MW 64` stays
    # consistent.  Explicit -P options win.
    params = edam_parameters(pathlib.Path(args.outdir), parameters)
    for item in args.param:
        if "=" not in item:
            ap.error(f"-P expects NAME=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        k = k.strip()
        if k not in parameters:
            # flows pass every parameter of the target (file names, testbench knobs): not ours
            print(f"{prog}: ignoring parameter {k} (not a model parameter)", file=sys.stderr)
            continue
        try:
            params[k] = float(v) if isinstance(parameters[k], float) else int(v, 0)
        except ValueError:
            ap.error(f"-P {k}: expected a number, got {v!r}")
    full = merged(parameters, params)
    if args.command == "params":
        for k, v in full.items():
            print(f"{k}={v}")
    elif args.command == "cycles":
        print(cycles_per_item(full))
    else:
        out = pathlib.Path(args.outdir)
        out.mkdir(parents=True, exist_ok=True)
        n = write_vectors(out, full, seed=args.seed)
        print(f"{prog}: wrote {n} vectors to {out}")
    return 0


# --------------------------------------------------------------------------- the model
def derived(params: dict) -> dict:
    p = merged(PARAMETERS, params)
    mw, mh, pe, simd = p["MW"], p["MH"], p["PE"], p["SIMD"]
    if mw % simd or mh % pe:
        raise ValueError(f"MW={mw} must be a multiple of SIMD={simd} and MH={mh} of PE={pe}")
    if p["ABITS"] < 1 or p["OBITS"] < 1:
        raise ValueError("ABITS and OBITS must be >= 1")
    amax = (1 << p["ABITS"]) - 1
    accw = clog2(mw * amax + 1) + 1
    nthr = (1 << p["OBITS"]) - 1
    ow = accw if p["NOACT"] else p["OBITS"]
    return dict(p, SF=mw // simd, NF=mh // pe, AMAX=amax, ACCW=accw, NTHR=nthr, OW=ow)


def cycles_per_item(params: dict) -> int:
    d = derived(params)
    return d["SF"] * d["NF"]


def accumulate(weights: np.ndarray, x: np.ndarray, abits: int) -> np.ndarray:
    """weights (MH, MW) of {0,1}; x (N, MW) -> accumulators (N, MH), int64."""
    w = weights.astype(np.int64)
    x = x.astype(np.int64)
    if abits == 1:
        # XNOR popcount: number of positions where the bits agree
        return x @ w.T + (1 - x) @ (1 - w).T
    return x @ (2 * w - 1).T


def activate(acc: np.ndarray, thresholds: np.ndarray | None) -> np.ndarray:
    """Multi-threshold: count of thresholds t (per row, shape (MH, NTHR)) with acc >= t."""
    if thresholds is None:
        return acc
    return (acc[:, :, None] >= thresholds[None, :, :]).sum(axis=2)


def compute(weights, x, thresholds, params: dict) -> np.ndarray:
    d = derived(params)
    acc = accumulate(weights, x, d["ABITS"])
    return activate(acc, None if d["NOACT"] else thresholds)


def pm1_reference(weights, x) -> np.ndarray:
    """Plain +-1 matrix product (for binary activations), for self-checks."""
    return (2 * x.astype(np.int64) - 1) @ (2 * weights.astype(np.int64) - 1).T


def random_thresholds(rng, d: dict, boundary_acc: np.ndarray | None = None) -> np.ndarray:
    """Sorted per-row thresholds spread over the reachable accumulator range, with edge rows:
    row 0 always fires (threshold at the minimum), row 1 never fires (above the maximum), and
    where ``boundary_acc`` (one vector's accumulators) is given, some rows sit exactly on it."""
    mh, nthr, mw, amax = d["MH"], d["NTHR"], d["MW"], d["AMAX"]
    lo, hi = (0, mw) if d["ABITS"] == 1 else (-mw * amax, mw * amax)
    # concentrate near the centre of the distribution so that outputs are not constant
    centre = mw // 2 if d["ABITS"] == 1 else 0
    spread = max(2, int(np.sqrt(mw) * max(1, amax)) * 2)
    thr = rng.integers(centre - spread, centre + spread + 1, size=(mh, nthr))
    thr = np.clip(thr, lo, hi + 1)
    if boundary_acc is not None:
        for r in range(2, mh, 3):
            thr[r, rng.integers(0, nthr)] = boundary_acc[r]
    thr = np.sort(thr, axis=1)
    thr[0, :] = lo  # saturates high: always max output
    if mh > 1:
        thr[1, :] = hi + 1  # never reached: always 0
    return thr.astype(np.int64)


def edge_inputs(rng, n_random: int, mw: int, amax: int) -> np.ndarray:
    rows = [np.zeros(mw, dtype=np.int64), np.full(mw, amax, dtype=np.int64)]
    alt = np.zeros(mw, dtype=np.int64)
    alt[::2] = amax
    rows.append(alt)
    x = np.vstack(rows + [rng.integers(0, amax + 1, size=mw) for _ in range(max(0, n_random))])
    return x.astype(np.int64)


def write_files(outdir: pathlib.Path, d: dict, weights, thresholds, x, y) -> int:
    """Write the vector files in the layout described in the module docstring."""
    outdir = pathlib.Path(outdir)
    pe, simd, sf, nf, ab = d["PE"], d["SIMD"], d["SF"], d["NF"], d["ABITS"]
    wl = []
    for f in range(nf):
        for s in range(sf):
            blk = weights[f * pe:(f + 1) * pe, s * simd:(s + 1) * simd]
            wl.append(hexline(pack(blk.reshape(-1), 1), pe * simd))
    write_lines(outdir / "weights.hex", wl)
    tl = []
    for f in range(nf):
        if thresholds is None:
            tl.append(hexline(0, pe * d["NTHR"] * d["ACCW"]))
        else:
            tl.append(hexline(pack(thresholds[f * pe:(f + 1) * pe].reshape(-1), d["ACCW"]),
                              pe * d["NTHR"] * d["ACCW"]))
    write_lines(outdir / "thresh.hex", tl)
    il = [str(len(x))]
    for v in x:
        for s in range(sf):
            il.append(hexline(pack(v[s * simd:(s + 1) * simd], ab), simd * ab))
    write_lines(outdir / "in.txt", il)
    el = []
    for v in y:
        for f in range(nf):
            el.append(hexline(pack(v[f * pe:(f + 1) * pe], d["OW"]), pe * d["OW"]))
    write_lines(outdir / "exp.txt", el)
    return len(x)


def make_case(params: dict, seed: int = 1):
    """Seeded weights, thresholds and inputs (with edge cases); returns (d, W, T, X, Y)."""
    d = derived(params)
    rng = np.random.default_rng(seed)
    w = rng.integers(0, 2, size=(d["MH"], d["MW"]))
    w[0, :] = 1  # an all-ones weight row
    if d["MH"] > 2:
        w[2, :] = 0  # an all-zero weight row
    x = edge_inputs(rng, d["NVEC"] - 3, d["MW"], d["AMAX"])
    acc = accumulate(w, x, d["ABITS"])
    thr = None if d["NOACT"] else random_thresholds(rng, d, boundary_acc=acc[-1])
    y = activate(acc, thr)
    return d, w, thr, x, y


def write_vectors(outdir: pathlib.Path, params: dict, seed: int = 1) -> int:
    d, w, thr, x, y = make_case(params, seed)
    return write_files(outdir, d, w, thr, x, y)


def main(argv=None) -> int:
    return cli(argv, PARAMETERS, write_vectors, cycles_per_item, "fpgaflow.models.mvau")


if __name__ == "__main__":
    sys.exit(main())
