"""Bit-exact model of the matrix-vector-activation unit (FINN's MVAU, finn-hlslib
``Matrix_Vector_Activate_Batch`` as BNN-PYNQ builds it), shared by the RTL
(``cores/mvau/rtl/mvau.v``), the HLS C++ (``cores/mvau/hls``) and the ternary core.

Types (parameters of all three):

* Weights, WBITS bits: WBITS == 1 is FINN's ``Binary`` (bit 1 = +1, bit 0 = -1); WBITS > 1 is
  two's complement (``ap_int<WBITS>``).  Ternary {-1, 0, +1} is WBITS = 2 (01 = +1, 11 = -1,
  00 = 0).
* Activations, ABITS bits: ATYPE 0 unsigned, 1 signed (two's complement, also the first CNV
  layer's ``ap_fixed<8,1>`` pixels as integers of 2**-7), 2 bipolar (ABITS = 1, bit 1 = +1).
* XNOR = 1 (WBITS = ABITS = 1, bipolar): FINN's ``XnorMul``, the product is ``w == a`` and the
  accumulator the popcount of agreements; otherwise the product is the signed ``w * a``.
* The accumulator is ACCW bits two's complement and wraps like ``ap_int<ACCW>`` (BNN-PYNQ:
  16); ACCW = 0 derives the smallest width that cannot overflow.
* ACT 0, FINN's ``ThresholdsActivation`` (finn-hlslib as BNN-PYNQ pins it): output =
  ``OBIAS + #{t : t < acc}`` over the row's NTHR thresholds (ACCW bits each), OBITS bits two's
  complement (lfcW1A1: NTHR 1, OBIAS 0; the A2 networks: NTHR 2, OBIAS -1, outputs -1/0/+1).
  ACT 1, ``PassThroughActivation``: the ACCW-bit accumulator.  ACT 2, per-channel scale and
  requantize (the WRPN/ternary case): ``clip((acc * s + 2**(SHIFT-1)) >> SHIFT, 0,
  2**OBITS - 1)`` with an unsigned SCALEW-bit scale ``s`` per output row.
* Folding: row r is PE ``r % PE`` in neuron fold ``r // PE``; column c arrives in synapse fold
  ``c // SIMD``, lane ``c % SIMD``; SF = MW/SIMD input beats, NF = MH/PE output beats, SF * NF
  cycles per vector.

Files written by :func:`write_files` (read from the current directory by the testbenches):
``weights.hex`` (NF*SF lines of PE*SIMD*WBITS bits, line ``nf*SF+sf``, lane (pe, s) at bit
``(pe*SIMD+s)*WBITS``: FINN's ``m_weights[pe][tile]`` side by side), ``thresh.hex`` (NF lines;
ACT 0: PE*NTHR*ACCW bits, threshold (pe, t) at ``(pe*NTHR+t)*ACCW``, FINN's
``m_thresholds[pe][nf][t]``; ACT 2: PE*SCALEW bits of scales), ``in.txt`` (first line the number
of vectors, then SF lines per vector, lane ``s`` at bit ``s*ABITS``) and ``exp.txt`` (NF lines
per vector, PE ``pe`` at bit ``pe*OW``).
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np

from fpgaflow.models import _cli

UNSIGNED, SIGNED, BIPOLAR = 0, 1, 2          # ATYPE
THRESHOLDS, PASS, SCALE = 0, 1, 2            # ACT

PARAMETERS = {
    "MW": 32, "MH": 16, "PE": 4, "SIMD": 8,
    "WBITS": 1, "ABITS": 1, "ATYPE": BIPOLAR, "XNOR": 1, "ACCW": 0,
    "ACT": THRESHOLDS, "NTHR": 1, "OBIAS": 0, "OBITS": 1, "SCALEW": 8, "SHIFT": 8,
    "NVEC": 24,
}


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
    """``defaults`` overlaid with ``params`` (strings and integral floats accepted), typed as
    the defaults; an unknown name is a ``KeyError``, a value that is not a number a
    ``ParameterError``."""
    p = dict(defaults)
    for key, value in (params or {}).items():
        if key not in defaults:
            raise KeyError(f"unknown parameter {key!r}; known: {', '.join(defaults)}")
        p[key] = _cli.number(key, value) if isinstance(defaults[key], float) \
            else _cli.integer(key, value)
    return p


# --------------------------------------------------------------------------- the model
def derived(params: dict) -> dict:
    p = merged(PARAMETERS, params)
    mw, mh, pe, simd = p["MW"], p["MH"], p["PE"], p["SIMD"]
    if min(mw, mh, pe, simd) < 1 or mw % simd or mh % pe:
        raise ValueError(f"MW={mw} must be a multiple of SIMD={simd} and MH={mh} of PE={pe}")
    if p["WBITS"] < 1 or p["ABITS"] < 1 or p["OBITS"] < 1:
        raise ValueError("WBITS, ABITS and OBITS must be >= 1")
    if p["ATYPE"] not in (UNSIGNED, SIGNED, BIPOLAR):
        raise ValueError(f"ATYPE={p['ATYPE']}: 0 unsigned, 1 signed, 2 bipolar")
    if p["ATYPE"] == BIPOLAR and p["ABITS"] != 1:
        raise ValueError("ATYPE=2 (bipolar) needs ABITS=1")
    if p["XNOR"] and not (p["WBITS"] == 1 and p["ABITS"] == 1 and p["ATYPE"] == BIPOLAR):
        raise ValueError("XNOR=1 needs WBITS=1, ABITS=1, ATYPE=2")
    if p["ACT"] not in (THRESHOLDS, PASS, SCALE):
        raise ValueError(f"ACT={p['ACT']}: 0 thresholds, 1 pass-through, 2 scale/requantize")
    if p["ACT"] == THRESHOLDS and p["NTHR"] < 1:
        raise ValueError("ACT=0 needs NTHR >= 1")
    if p["ACT"] == SCALE and p["SHIFT"] < 1:
        raise ValueError("ACT=2 needs SHIFT >= 1")
    wmax = 1 if p["WBITS"] == 1 else 1 << (p["WBITS"] - 1)
    amax = {UNSIGNED: (1 << p["ABITS"]) - 1, SIGNED: 1 << (p["ABITS"] - 1), BIPOLAR: 1}[p["ATYPE"]]
    accw = p["ACCW"] or clog2(mw * wmax * amax + 1) + 1
    ow = accw if p["ACT"] == PASS else p["OBITS"]
    return dict(p, SF=mw // simd, NF=mh // pe, WMAX=wmax, AMAX=amax, ACCW=accw, OW=ow)


def cycles_per_item(params: dict) -> int:
    d = derived(params)
    return d["SF"] * d["NF"]


def check(params: dict) -> None:
    """The values of a target's parameters (names the model does not take are passed over)
    that the RTL cannot build: ``ValueError`` (fpgaflow stops before any tool runs)."""
    p = merged(PARAMETERS, _cli.known(PARAMETERS, params))
    _cli.at_least(p, 1, ("MW", "MH", "PE", "SIMD", "WBITS", "ABITS", "OBITS", "SCALEW", "NVEC"))
    _cli.at_least(p, 0, ("ACCW", "NTHR", "SHIFT"))
    derived(p)


def signed(codes, bits: int) -> np.ndarray:
    """Two's-complement reading of ``bits``-bit codes."""
    c = np.asarray(codes, dtype=np.int64) & ((1 << bits) - 1)
    return np.where(c >= 1 << (bits - 1), c - (1 << bits), c)


def wrap(values, bits: int) -> np.ndarray:
    """Values as ``ap_int<bits>`` keeps them (modulo 2**bits, two's complement)."""
    return signed(np.asarray(values, dtype=np.int64), bits)


def weight_values(codes, wbits: int) -> np.ndarray:
    c = np.asarray(codes, dtype=np.int64)
    return 2 * (c & 1) - 1 if wbits == 1 else signed(c, wbits)


def weight_codes(values, wbits: int) -> np.ndarray:
    v = np.asarray(values, dtype=np.int64)
    return (v > 0).astype(np.int64) if wbits == 1 else v & ((1 << wbits) - 1)


def act_values(codes, abits: int, atype: int) -> np.ndarray:
    c = np.asarray(codes, dtype=np.int64) & ((1 << abits) - 1)
    if atype == BIPOLAR:
        return 2 * c - 1
    return signed(c, abits) if atype == SIGNED else c


def accumulate(wcodes: np.ndarray, xcodes: np.ndarray, d: dict) -> np.ndarray:
    """Weight codes (MH, MW) times activation codes (N, MW) -> accumulators (N, MH) as the
    ACCW-bit accumulator holds them."""
    if d["XNOR"]:
        w = np.asarray(wcodes, dtype=np.int64) & 1
        x = np.asarray(xcodes, dtype=np.int64) & 1
        acc = x @ w.T + (1 - x) @ (1 - w).T           # popcount of w == x
    else:
        acc = act_values(xcodes, d["ABITS"], d["ATYPE"]) @ weight_values(wcodes, d["WBITS"]).T
    return wrap(acc, d["ACCW"])


def activate(acc: np.ndarray, params, d: dict | None = None) -> np.ndarray:
    """Output values (N, MH) from accumulators: thresholds (MH, NTHR), scales (MH,) or nothing."""
    d = d or derived({})
    if d["ACT"] == PASS:
        return acc
    if d["ACT"] == SCALE:
        s = np.asarray(params, dtype=np.int64)[None, :]
        q = (acc * s + (1 << (d["SHIFT"] - 1))) >> d["SHIFT"]
        return np.clip(q, 0, (1 << d["OBITS"]) - 1)
    thr = wrap(params, d["ACCW"])
    out = d["OBIAS"] + (thr[None, :, :] < acc[:, :, None]).sum(axis=2)
    return wrap(out, d["OBITS"]) if d["OBIAS"] < 0 else out & ((1 << d["OBITS"]) - 1)


def compute(wcodes, xcodes, params, d) -> np.ndarray:
    """Output values of one layer (see :func:`activate`)."""
    d = derived(d) if "SF" not in d else d
    return activate(accumulate(wcodes, xcodes, d), params, d)


def out_codes(values, d: dict) -> np.ndarray:
    """Output values as the stream carries them (OW-bit codes)."""
    return np.asarray(values, dtype=np.int64) & ((1 << d["OW"]) - 1)


def random_thresholds(rng, d: dict, acc_sample: np.ndarray | None = None) -> np.ndarray:
    """Sorted thresholds (MH, NTHR) around the accumulators that inputs reach (``acc_sample``,
    (N, MH)), with edge rows: row 0 always fires (thresholds below the minimum), row 1 never
    (at the maximum: ``t < acc`` is strict), and rows 2, 5, ... sit exactly on an accumulator."""
    mh, nthr = d["MH"], d["NTHR"]
    lo = -(1 << (d["ACCW"] - 1))
    hi = (1 << (d["ACCW"] - 1)) - 1
    if acc_sample is not None and len(acc_sample):
        centre = np.median(acc_sample, axis=0).astype(np.int64)
        spread = max(2, int(np.std(acc_sample)) + 1)
    else:
        centre, spread = np.zeros(mh, dtype=np.int64), 4
    thr = centre[:, None] + rng.integers(-spread, spread + 1, size=(mh, nthr))
    if acc_sample is not None and len(acc_sample):
        for r in range(2, mh, 3):
            thr[r, rng.integers(0, nthr)] = acc_sample[-1, r]
    thr = np.sort(np.clip(thr, lo, hi), axis=1)
    thr[0, :] = lo
    if mh > 1:
        thr[1, :] = hi
    return thr.astype(np.int64)


def random_params(rng, d: dict, acc_sample=None):
    """Thresholds, scales or None for the layer's ACT."""
    if d["ACT"] == THRESHOLDS:
        return random_thresholds(rng, d, acc_sample)
    if d["ACT"] == SCALE:
        s = rng.integers(0, 1 << d["SCALEW"], size=d["MH"])
        s[0] = (1 << d["SCALEW"]) - 1
        return s
    return None


def random_weights(rng, d: dict, ternary: bool = False) -> np.ndarray:
    """Weight codes (MH, MW) with an all-+1 row 0, an all-(-1) row 1 and, where zero exists
    (WBITS > 1), an all-zero row 2."""
    if d["WBITS"] == 1:
        v = 2 * rng.integers(0, 2, size=(d["MH"], d["MW"])) - 1
    elif ternary:
        v = rng.integers(-1, 2, size=(d["MH"], d["MW"]))
    else:
        v = rng.integers(-(1 << (d["WBITS"] - 1)), 1 << (d["WBITS"] - 1), size=(d["MH"], d["MW"]))
    v[0, :] = 1
    if d["MH"] > 1:
        v[1, :] = -1
    if d["MH"] > 2 and d["WBITS"] > 1:
        v[2, :] = 0
    return weight_codes(v, d["WBITS"])


def edge_inputs(rng, n_random: int, mw: int, amax: int) -> np.ndarray:
    """Codes (N, MW) of ``amax``-bounded unsigned lanes: all zero, all max, alternating, then
    random (bipolar and signed codes are these bits read otherwise)."""
    rows = [np.zeros(mw, dtype=np.int64), np.full(mw, amax, dtype=np.int64)]
    alt = np.zeros(mw, dtype=np.int64)
    alt[::2] = amax
    rows.append(alt)
    x = np.vstack(rows + [rng.integers(0, amax + 1, size=mw) for _ in range(max(0, n_random))])
    return x.astype(np.int64)


def input_codes(rng, d: dict, n: int) -> np.ndarray:
    """Edge-case and random input codes for the layer's activation type (for signed inputs
    the all-max code is -1 and the most negative value comes from the random rows)."""
    x = edge_inputs(rng, n - 3, d["MW"], (1 << d["ABITS"]) - 1)
    if d["ATYPE"] == SIGNED and len(x) > 3:
        x[3, :] = 1 << (d["ABITS"] - 1)        # every lane at the most negative value
    return x


def pack_weights(wcodes, d: dict) -> list[str]:
    pe, simd, wb = d["PE"], d["SIMD"], d["WBITS"]
    lines = []
    for f in range(d["NF"]):
        for s in range(d["SF"]):
            blk = wcodes[f * pe:(f + 1) * pe, s * simd:(s + 1) * simd]
            lines.append(hexline(pack(blk.reshape(-1), wb), pe * simd * wb))
    return lines


def pack_params(params, d: dict) -> list[str]:
    pe = d["PE"]
    if d["ACT"] == THRESHOLDS:
        width, w = pe * d["NTHR"] * d["ACCW"], d["ACCW"]
    elif d["ACT"] == SCALE:
        width, w = pe * d["SCALEW"], d["SCALEW"]
    else:
        return [hexline(0, 1)] * d["NF"]
    return [hexline(pack(np.asarray(params)[f * pe:(f + 1) * pe].reshape(-1), w), width)
            for f in range(d["NF"])]


def stream_lines(codes, lane_bits: int, lanes: int) -> list[str]:
    """Rows of codes as beats of ``lanes`` lanes (lane i at bit i*lane_bits)."""
    out = []
    for v in codes:
        for b in range(len(v) // lanes):
            out.append(hexline(pack(v[b * lanes:(b + 1) * lanes], lane_bits), lanes * lane_bits))
    return out


def write_files(outdir: pathlib.Path, d: dict, wcodes, params, x, y, prefix: str = "") -> int:
    """Write the vector files in the layout described in the module docstring; ``x`` are input
    codes, ``y`` output values."""
    outdir = pathlib.Path(outdir)
    write_lines(outdir / f"{prefix}weights.hex", pack_weights(wcodes, d))
    write_lines(outdir / f"{prefix}thresh.hex", pack_params(params, d))
    if not prefix:
        write_lines(outdir / "in.txt", [str(len(x))] + stream_lines(x, d["ABITS"], d["SIMD"]))
        write_lines(outdir / "exp.txt", stream_lines(out_codes(y, d), d["OW"], d["PE"]))
    return len(x)


def make_case(params: dict, seed: int = 1, ternary: bool = False):
    """Seeded weights, activation parameters and inputs (with edge cases); returns
    (d, W codes, thresholds/scales, X codes, Y values)."""
    d = derived(params)
    rng = np.random.default_rng(seed)
    w = random_weights(rng, d, ternary=ternary)
    x = input_codes(rng, d, d["NVEC"])
    acc = accumulate(w, x, d)
    prm = random_params(rng, d, acc)
    return d, w, prm, x, activate(acc, prm, d)


def write_vectors(outdir: pathlib.Path, params: dict, seed: int = 1) -> int:
    d, w, prm, x, y = make_case(params, seed)
    return write_files(outdir, d, w, prm, x, y)


def main(argv=None) -> int:
    return _cli.main(argv, prog="fpgaflow.models.mvau", names=PARAMETERS,
                     write_vectors=write_vectors, cycles_per_item=cycles_per_item, check=check)


if __name__ == "__main__":
    sys.exit(main())
