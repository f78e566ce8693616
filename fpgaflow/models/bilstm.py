"""Bit-exact reference model of the BiLSTM core (FINN-L, Rybalkin et al., FPL 2018).

One LSTM layer without peepholes, run in both directions over a sequence of image
columns; the forward and the backward direction share one datapath (time-multiplexed).
The RTL (``cores/bilstm/rtl``), the HLS C++ (``cores/bilstm/hls``) and this model compute
the same integers; every table they use comes from :func:`write_vectors`.

Parameters (CAPI2 ``vlogparam`` in the RTL, ``-D`` macros in the HLS C++)
-------------------------------------------------------------------------
HIDDEN    hidden units per direction                  INPUT     pixels per column
WBITS     weight bits                                 ABITS     activation bits (x and h)
ACCBITS   gate accumulator bits                       CBITS     cell-state bits
LUTBITS   address bits of the sigmoid/tanh tables     GBITS     fraction bits of table outputs
PE        hidden units computed in parallel           SIMD_IN   lanes of the input dot product
SIMD_REC  lanes of the recurrent dot product          MAXLEN    longest sequence (RTL buffer)
SEQLEN    sequence length of the test vectors (testbench only)

Number formats (``sN.F``: N-bit two's complement, F fraction bits; ``uN.F``: unsigned)
----------------------------------------------------------------------------------
* input x, hidden state h:  s[ABITS].[ABITS-1]       value in [-1, 1)
* weights W (input), U (recurrent): s[WBITS].[WBITS-1]
* bias, accumulator:        s[ACCBITS].[FA] with FA = WBITS+ABITS-2. The accumulator
  ``bias + W.x + U.h`` is exact in wide arithmetic and then **wraps** to ACCBITS (two's
  complement); the default ACCBITS=24 never wraps for the public configurations
  (:func:`acc_bits_needed`).
* table index: s[LUTBITS].[LUTBITS-4] (range [-8, 8)). index = acc >> (FA-LF) (arithmetic,
  floor) or acc << (LF-FA), then **saturated** to the LUTBITS range. Table address =
  index + 2**(LUTBITS-1) (index with its sign bit inverted).
* sigmoid table:  u[GBITS].[GBITS]   entry = min(round_half_up(2**G * sigmoid(x)), 2**G - 1)
* tanh table:     s[GBITS+1].[GBITS] entry = clip(round_half_up(2**G * tanh(x)), -(2**G-1), 2**G-1)
  where x = index / 2**(LUTBITS-4) is the table input.
* gates: i, f, o = sigmoid(acc_i, acc_f, acc_o); g = tanh(acc_g) (gate order i, f, g, o).
* cell state c: s[CBITS].[CBITS-4] (range [-8, 8)):
  ``c' = sat_CBITS( ((f*c) >> G) + ((i*g) >> (2G - (CBITS-4))) )`` (arithmetic shifts, floor;
  **saturating**). Requires CBITS >= LUTBITS and 2*GBITS >= CBITS-4.
* tanh(c'): table index = c' >> (CBITS-LUTBITS) (always in range, no saturation needed).
* hidden state: ``h = sat_ABITS( (o * tanh(c') + 2**(s-1)) >> s )``, s = 2G - (ABITS-1)
  (round half up, **saturating**: o*tanh -> 1.0 becomes 2**(ABITS-1)-1).
* Each sequence starts from h = 0 and c = 0 in both directions.

Stream contract (RTL ``bilstm``, HLS ``bilstm_top``)
---------------------------------------------------
In: one column per beat, ``s_data[p*ABITS +: ABITS]`` = pixel p, ``s_last`` on the last
column of a sequence. Out: one beat per time step s (T beats per sequence):
``m_data = {h_bwd(column T-1-s), h_fwd(column s)}`` (2*HIDDEN*ABITS bits, unit j of the
forward direction at bits ``[j*ABITS +: ABITS]``, unit j of the backward direction at
``[(HIDDEN+j)*ABITS +: ABITS]``), ``m_last`` on the last step. This is the order in which the
time-multiplexed datapath produces them; a consumer that wants (h_fwd[t], h_bwd[t]) pairs
reverses the backward half.

Folding
-------
The input dot product takes INPUT/SIMD_IN cycles, the recurrent one HIDDEN/SIMD_REC
cycles, both in parallel for the four gates of PE units, so one column costs
``2 * (HIDDEN/PE) * max(INPUT/SIMD_IN, HIDDEN/SIMD_REC)`` cycles, which is the paper's
``2 * (HIDDEN/PE) * (INPUT/SIMD_IN)`` when the recurrent dot product keeps pace. The RTL
reaches it when one direction's step, (HIDDEN/PE)*NF cycles, covers the other direction's
pipeline drain (10 cycles); smaller configurations stall on that latency (still exact).

Vector files (written by :func:`write_vectors`, read from the working directory)
-------------------------------------------------------------------------------
``bilstm_wx.hex``     input-weight ROM, depth 2*(HIDDEN/PE)*NF, word = 4*PE*SIMD_IN*WBITS bits
``bilstm_wh.hex``     recurrent-weight ROM, depth 2*(HIDDEN/PE)*NF, word = 4*PE*SIMD_REC*WBITS
``bilstm_bias.hex``   bias ROM, depth 2*(HIDDEN/PE), word = 4*PE*ACCBITS
``bilstm_sigmoid.hex``, ``bilstm_tanh.hex``  the tables (2**LUTBITS entries)
``bilstm_in.hex``     one input column per line (INPUT*ABITS bits), all sequences
``bilstm_last.hex``   one bit per column: 1 on the last column of a sequence
``bilstm_out.hex``    expected output beats (2*HIDDEN*ABITS bits)
``bilstm_count.hex``  two 32-bit words: number of columns (= output beats), of sequences
``bilstm_params.h``   the same ROMs and tables as C arrays for the HLS C++ (+ the parameters)
``bilstm_params.txt`` the parameters, one ``NAME=VALUE`` a line
ROM word address ``(d*(HIDDEN/PE) + grp)*NF + k`` (d: 0 forward, 1 backward; NF = max folds);
inside a word, lane l of gate q of PE p sits at ``((p*4 + q)*SIMD + l) * WBITS``; unit
``grp*PE + p``; weight column ``k*SIMD + l`` (zero when beyond INPUT / HIDDEN).
"""

from __future__ import annotations

import argparse
import math
import pathlib
import sys

import numpy as np

PARAMETERS: dict[str, int] = {
    "HIDDEN": 128,
    "INPUT": 32,
    "WBITS": 4,
    "ABITS": 4,
    "ACCBITS": 24,
    "CBITS": 16,
    "LUTBITS": 8,
    "GBITS": 8,
    "PE": 1,
    "SIMD_IN": 16,
    "SIMD_REC": 64,
    "MAXLEN": 512,
    "SEQLEN": 16,
}

#: The paper's open configurations (FINN-L repository), HIDDEN=128, INPUT=32.
PUBLIC_CONFIGS: dict[str, dict[str, int]] = {
    "w2a2": {"WBITS": 2, "ABITS": 2, "PE": 2, "SIMD_IN": 32, "SIMD_REC": 128},
    "w4a4": {"WBITS": 4, "ABITS": 4, "PE": 1, "SIMD_IN": 16, "SIMD_REC": 64},
    "w4a8": {"WBITS": 4, "ABITS": 8, "PE": 1, "SIMD_IN": 4, "SIMD_REC": 16},
    "w8a8": {"WBITS": 8, "ABITS": 8, "PE": 1, "SIMD_IN": 4, "SIMD_REC": 16},
}

GATES = ("i", "f", "g", "o")


# --------------------------------------------------------------------------- parameters
def resolve(params: dict | None = None) -> dict[str, int]:
    """Defaults overlaid with ``params`` (values may be strings), validated."""
    p = dict(PARAMETERS)
    for key, value in (params or {}).items():
        key = str(key).upper()
        if key not in PARAMETERS:
            raise ValueError(f"bilstm: unknown parameter {key!r} (known: {', '.join(PARAMETERS)})")
        try:
            p[key] = int(value)
        except (TypeError, ValueError):
            raise ValueError(f"bilstm: parameter {key}={value!r} is not an integer") from None
    _validate(p)
    return p


def _validate(p: dict[str, int]) -> None:
    def need(cond: bool, why: str) -> None:
        if not cond:
            raise ValueError(f"bilstm: {why} (parameters: {p})")

    for key, value in p.items():
        need(value >= 1, f"{key} must be >= 1")
    need(p["HIDDEN"] % p["PE"] == 0, "PE must divide HIDDEN")
    need(p["INPUT"] % p["SIMD_IN"] == 0, "SIMD_IN must divide INPUT")
    need(p["HIDDEN"] % p["SIMD_REC"] == 0, "SIMD_REC must divide HIDDEN")
    need(2 <= p["WBITS"] <= 16 and 2 <= p["ABITS"] <= 16, "WBITS and ABITS must be in 2..16")
    need(p["LUTBITS"] >= 5, "LUTBITS must be >= 5")
    need(p["CBITS"] >= p["LUTBITS"], "CBITS must be >= LUTBITS")
    need(2 * p["GBITS"] >= p["CBITS"] - 4, "2*GBITS must be >= CBITS-4")
    need(2 * p["GBITS"] > p["ABITS"] - 1, "2*GBITS must be > ABITS-1")
    need(p["ACCBITS"] <= 48, "ACCBITS must be <= 48")
    need(p["SEQLEN"] <= p["MAXLEN"], "SEQLEN must be <= MAXLEN")


def folds(params: dict) -> tuple[int, int, int]:
    """(INPUT/SIMD_IN, HIDDEN/SIMD_REC, NF = the larger of the two)."""
    p = resolve(params)
    fi = p["INPUT"] // p["SIMD_IN"]
    fr = p["HIDDEN"] // p["SIMD_REC"]
    return fi, fr, max(fi, fr)


def cycles_per_item(params: dict) -> int:
    """Cycles per input column: 2 * (HIDDEN/PE) * max(INPUT/SIMD_IN, HIDDEN/SIMD_REC)."""
    p = resolve(params)
    return 2 * (p["HIDDEN"] // p["PE"]) * folds(p)[2]


def acc_bits_needed(params: dict) -> int:
    """Accumulator bits for which bias + W.x + U.h can never wrap (bias in [-2**FA, 2**FA])."""
    p = resolve(params)
    terms = p["INPUT"] + p["HIDDEN"]
    max_prod = 2 ** (p["WBITS"] - 1) * 2 ** (p["ABITS"] - 1)  # |(-2^(W-1)) * (-2^(A-1))|
    bias = 2 ** (p["WBITS"] + p["ABITS"] - 2)
    bound = terms * max_prod + bias
    return int(math.ceil(math.log2(bound + 1))) + 1


# --------------------------------------------------------------------------- arithmetic
def _wrap(x: np.ndarray, bits: int) -> np.ndarray:
    x = np.asarray(x, dtype=np.int64)
    m = np.int64(1) << bits
    return ((x + (m >> 1)) & (m - 1)) - (m >> 1)


def _sat(x: np.ndarray, bits: int) -> np.ndarray:
    return np.clip(np.asarray(x, dtype=np.int64), -(1 << (bits - 1)), (1 << (bits - 1)) - 1)


def _round_half_up(v: np.ndarray) -> np.ndarray:
    return np.floor(np.asarray(v, dtype=np.float64) + 0.5).astype(np.int64)


def lut_inputs(p: dict) -> np.ndarray:
    """Real input of each table entry, in address order (address = index + 2**(LUTBITS-1))."""
    n = 1 << p["LUTBITS"]
    index = np.arange(n, dtype=np.int64) - (n >> 1)
    return index / float(1 << (p["LUTBITS"] - 4))


def sigmoid_table(params: dict) -> np.ndarray:
    p = resolve(params)
    g = p["GBITS"]
    x = lut_inputs(p)
    v = _round_half_up((1 << g) / (1.0 + np.exp(-x)))
    return np.minimum(v, (1 << g) - 1)


def tanh_table(params: dict) -> np.ndarray:
    p = resolve(params)
    g = p["GBITS"]
    v = _round_half_up((1 << g) * np.tanh(lut_inputs(p)))
    return np.clip(v, -((1 << g) - 1), (1 << g) - 1)


def acc_to_index(acc: np.ndarray, p: dict) -> np.ndarray:
    """Accumulator s[ACCBITS].[FA] -> saturated table index s[LUTBITS].[LUTBITS-4]."""
    fa = p["WBITS"] + p["ABITS"] - 2
    lf = p["LUTBITS"] - 4
    acc = np.asarray(acc, dtype=np.int64)
    scaled = acc >> (fa - lf) if fa >= lf else acc << (lf - fa)
    return _sat(scaled, p["LUTBITS"])


class Weights:
    """Integer weights of both directions: wx[d, q, unit, INPUT], wh[d, q, unit, HIDDEN], b[d, q, unit]."""

    def __init__(self, wx: np.ndarray, wh: np.ndarray, bias: np.ndarray):
        self.wx = np.asarray(wx, dtype=np.int64)
        self.wh = np.asarray(wh, dtype=np.int64)
        self.bias = np.asarray(bias, dtype=np.int64)


def random_weights(params: dict, seed: int = 1) -> Weights:
    """Seeded random weights; units 0 and 1 of each direction get biases that drive the
    accumulator, the cell state and h into saturation (edge cases)."""
    p = resolve(params)
    rng = np.random.default_rng(seed)
    H, I, W = p["HIDDEN"], p["INPUT"], p["WBITS"]
    lo, hi = -(1 << (W - 1)), (1 << (W - 1)) - 1
    wx = rng.integers(lo, hi + 1, size=(2, 4, H, I))
    wh = rng.integers(lo, hi + 1, size=(2, 4, H, H))
    fa = p["WBITS"] + p["ABITS"] - 2
    one = 1 << fa
    bias = rng.integers(-one, one + 1, size=(2, 4, H))
    big = min((1 << (p["ACCBITS"] - 1)) - 1, 64 * one)  # far beyond the table range
    bias[:, :, 0] = [big, big, big, big]  # i, f, g, o -> 1: c climbs to +8 and saturates
    if H > 1:
        bias[:, :, 1] = [big, big, -big, big]  # g -> -1: c falls to -8 and saturates
    bias = _wrap(bias, p["ACCBITS"])
    return Weights(wx, wh, bias)


def run_sequence(x: np.ndarray, w: Weights, params: dict, trace: dict | None = None) -> np.ndarray:
    """Run one sequence x[T, INPUT] (ints, s[ABITS]) through both directions.

    Returns the output beats y[T, 2*HIDDEN]: y[s, :H] = h_fwd(column s),
    y[s, H:] = h_bwd(column T-1-s)."""
    p = resolve(params)
    H, A, G, C, L = p["HIDDEN"], p["ABITS"], p["GBITS"], p["CBITS"], p["LUTBITS"]
    x = np.asarray(x, dtype=np.int64)
    T = x.shape[0]
    sig, tnh = sigmoid_table(p), tanh_table(p)
    half = 1 << (L - 1)
    cf = C - 4
    hs = 2 * G - (A - 1)
    out = np.zeros((T, 2 * H), dtype=np.int64)
    h = np.zeros((2, H), dtype=np.int64)
    c = np.zeros((2, H), dtype=np.int64)
    for s in range(T):
        for d in (0, 1):
            col = x[s] if d == 0 else x[T - 1 - s]
            acc = w.bias[d] + w.wx[d] @ col + w.wh[d] @ h[d]  # [4, H], exact
            acc = _wrap(acc, p["ACCBITS"])
            addr = acc_to_index(acc, p) + half
            gi, gf, go = sig[addr[0]], sig[addr[1]], sig[addr[3]]
            gg = tnh[addr[2]]
            fc = (gf * c[d]) >> G
            ig = (gi * gg) >> (2 * G - cf)
            c[d] = _sat(fc + ig, C)
            tc = tnh[(c[d] >> (C - L)) + half]
            h[d] = _sat((go * tc + (1 << (hs - 1))) >> hs, A)
            if trace is not None:
                trace.setdefault("acc", []).append(acc.copy())
                trace.setdefault("c", []).append(c[d].copy())
        out[s, :H] = h[0]
        out[s, H:] = h[1]
    return out


def float_lstm(x: np.ndarray, w: Weights, params: dict) -> np.ndarray:
    """The same BiLSTM in float64 (dequantised weights/inputs, exact sigmoid/tanh, no
    quantisation of gates, c or h). Same output layout as :func:`run_sequence`, real values."""
    p = resolve(params)
    H = p["HIDDEN"]
    fa = p["WBITS"] + p["ABITS"] - 2
    xs = np.asarray(x, dtype=np.float64) / (1 << (p["ABITS"] - 1))
    wx = w.wx / float(1 << (p["WBITS"] - 1))
    wh = w.wh / float(1 << (p["WBITS"] - 1))
    b = w.bias / float(1 << fa)
    T = xs.shape[0]
    out = np.zeros((T, 2 * H))
    h = np.zeros((2, H))
    c = np.zeros((2, H))
    sg = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
    for s in range(T):
        for d in (0, 1):
            col = xs[s] if d == 0 else xs[T - 1 - s]
            a = b[d] + wx[d] @ col + wh[d] @ h[d]
            c[d] = sg(a[1]) * c[d] + sg(a[0]) * np.tanh(a[2])
            h[d] = sg(a[3]) * np.tanh(c[d])
        out[s, :H] = h[0]
        out[s, H:] = h[1]
    return out


# --------------------------------------------------------------------------- vectors
def sequences(params: dict, seed: int = 1) -> list[np.ndarray]:
    """The test sequences: random, all-zero, all-ones bit pattern (x = -1 LSB), full-scale
    alternating +max/-max (saturation), and a single column."""
    p = resolve(params)
    rng = np.random.default_rng(seed + 1000)
    T, I, A = p["SEQLEN"], p["INPUT"], p["ABITS"]
    lo, hi = -(1 << (A - 1)), (1 << (A - 1)) - 1
    half = max(1, T // 2)
    alt = np.where((np.arange(T)[:, None] + np.arange(I)[None, :]) % 2 == 0, hi, lo)
    return [
        rng.integers(lo, hi + 1, size=(T, I)),
        np.zeros((half, I), dtype=np.int64),
        np.full((half, I), -1, dtype=np.int64),
        alt.astype(np.int64),
        rng.integers(lo, hi + 1, size=(1, I)),
    ]


def _hex_word(fields: np.ndarray, bits: int) -> str:
    """Pack fields (field 0 = least significant) of ``bits`` each into a hex string."""
    value = 0
    mask = (1 << bits) - 1
    for f in reversed([int(v) for v in np.ravel(fields)]):
        value = (value << bits) | (f & mask)
    digits = (len(np.ravel(fields)) * bits + 3) // 4
    return format(value, f"0{digits}x")


def rom_words(w: Weights, params: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ROM contents in hardware layout: wx[addr, PE, 4, SIMD_IN], wh[addr, PE, 4, SIMD_REC],
    bias[d*G+grp, PE, 4]."""
    p = resolve(params)
    H, I, PE, SI, SR = p["HIDDEN"], p["INPUT"], p["PE"], p["SIMD_IN"], p["SIMD_REC"]
    fi, fr, nf = folds(p)
    grp_n = H // PE
    wx = np.zeros((2, grp_n, nf, PE, 4, SI), dtype=np.int64)
    wh = np.zeros((2, grp_n, nf, PE, 4, SR), dtype=np.int64)
    # w.wx[d, q, unit, col] with unit = grp*PE + pe, col = k*SIMD + lane
    a = w.wx.reshape(2, 4, grp_n, PE, fi, SI).transpose(0, 2, 4, 3, 1, 5)
    wx[:, :, :fi] = a
    b = w.wh.reshape(2, 4, grp_n, PE, fr, SR).transpose(0, 2, 4, 3, 1, 5)
    wh[:, :, :fr] = b
    bias = w.bias.reshape(2, 4, grp_n, PE).transpose(0, 2, 3, 1)
    return (wx.reshape(2 * grp_n * nf, PE, 4, SI), wh.reshape(2 * grp_n * nf, PE, 4, SR),
            bias.reshape(2 * grp_n, PE, 4))


def _c_array(name: str, ctype: str, values: np.ndarray) -> str:
    dims = "".join(f"[{n}]" for n in values.shape)
    flat = ",".join(str(int(v)) for v in np.ravel(values))
    return f"static const {ctype} {name}{dims} = {{{flat}}};\n"


def _ctype(bits: int) -> str:
    for n in (8, 16, 32):
        if bits <= n:
            return f"int{n}_t"
    return "int64_t"


def write_vectors(outdir: pathlib.Path, params: dict, seed: int = 1) -> int:
    """Write weights, tables, inputs and expected outputs into ``outdir`` (see the module
    docstring for the files). Returns the number of output beats (= input columns)."""
    p = resolve(params)
    outdir = pathlib.Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    H, I, A, W = p["HIDDEN"], p["INPUT"], p["ABITS"], p["WBITS"]
    w = random_weights(p, seed)
    seqs = sequences(p, seed)
    wx, wh, bias = rom_words(w, p)
    sig, tnh = sigmoid_table(p), tanh_table(p)

    def lines(path: str, rows) -> None:
        (outdir / path).write_text("".join(r + "\n" for r in rows))

    lines("bilstm_wx.hex", (_hex_word(r, W) for r in wx))
    lines("bilstm_wh.hex", (_hex_word(r, W) for r in wh))
    lines("bilstm_bias.hex", (_hex_word(r, p["ACCBITS"]) for r in bias))
    lines("bilstm_sigmoid.hex", (_hex_word(np.array([v]), p["GBITS"]) for v in sig))
    lines("bilstm_tanh.hex", (_hex_word(np.array([v]), p["GBITS"] + 1) for v in tnh))
    ins, lasts, outs = [], [], []
    for x in seqs:
        y = run_sequence(x, w, p)
        for t in range(x.shape[0]):
            ins.append(_hex_word(x[t], A))
            lasts.append("1" if t == x.shape[0] - 1 else "0")
            outs.append(_hex_word(y[t], A))
    lines("bilstm_in.hex", ins)
    lines("bilstm_last.hex", lasts)
    lines("bilstm_out.hex", outs)
    lines("bilstm_count.hex", [format(len(ins), "08x"), format(len(seqs), "08x")])
    lines("bilstm_params.txt", (f"{k}={v}" for k, v in p.items()))
    hdr = ["// generated by fpgaflow.models.bilstm -- do not edit\n",
           "#ifndef BILSTM_PARAMS_H\n#define BILSTM_PARAMS_H\n#include <stdint.h>\n"]
    hdr += [f"#define BILSTM_GEN_{k} {v}\n" for k, v in p.items()]
    hdr.append(_c_array("BILSTM_WX", _ctype(W), wx))
    hdr.append(_c_array("BILSTM_WH", _ctype(W), wh))
    hdr.append(_c_array("BILSTM_BIAS", _ctype(p["ACCBITS"]), bias))
    hdr.append(_c_array("BILSTM_SIGMOID", _ctype(p["GBITS"] + 1), sig))
    hdr.append(_c_array("BILSTM_TANH", _ctype(p["GBITS"] + 1), tnh))
    hdr.append("#endif\n")
    (outdir / "bilstm_params.h").write_text("".join(hdr))
    return len(ins)


# --------------------------------------------------------------------------- CLI
def _edam_parameters(workdir: pathlib.Path) -> dict[str, str]:
    """Parameter values from a FuseSoC/Edalize EDAM file (``*.eda.yml``) in ``workdir``."""
    found = sorted(workdir.glob("*.eda.yml"))
    if not found:
        return {}
    import yaml

    edam = yaml.safe_load(found[0].read_text()) or {}
    out = {}
    for name, spec in (edam.get("parameters") or {}).items():
        if name.upper() in PARAMETERS and isinstance(spec, dict) and "default" in spec:
            out[name.upper()] = spec["default"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m fpgaflow.models.bilstm",
                                 description="BiLSTM reference model: write test vectors.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("vectors", help="write ROM/table/vector files into OUTDIR")
    v.add_argument("outdir", type=pathlib.Path)
    v.add_argument("-P", dest="params", action="append", default=[], metavar="NAME=VALUE",
                   help="parameter override (repeatable); without it the parameters come "
                        "from a FuseSoC *.eda.yml in OUTDIR, then the defaults")
    v.add_argument("--seed", type=int, default=1)
    sub.add_parser("cycles", help="print cycles per item").add_argument(
        "-P", dest="params", action="append", default=[], metavar="NAME=VALUE")
    args = ap.parse_args(argv)
    try:
        params: dict[str, object] = {}
        if args.cmd == "vectors":
            params.update(_edam_parameters(args.outdir))
        for item in args.params:
            name, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"bilstm: -P expects NAME=VALUE, got {item!r}")
            params[name.strip().upper()] = value.strip()
        if args.cmd == "cycles":
            print(cycles_per_item(params))
            return 0
        n = write_vectors(args.outdir, params, seed=args.seed)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"bilstm: wrote {n} vectors to {args.outdir} "
          f"(cycles_per_item={cycles_per_item(params)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
