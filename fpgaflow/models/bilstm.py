"""Bit-exact reference model of the BiLSTM core: FINN-L's OCR accelerator (Rybalkin et al.,
FPL 2018; Xilinx/LSTM-PYNQ), the whole network.

A bidirectional LSTM layer without peepholes over the columns of a text-line image (the
forward and the backward direction time-multiplexed on one datapath), a fully connected
output layer over both directions' hidden outputs (CLASSES scores per column), FINN-L's
per-column maximum (``MaxPerColumn``) and its label decoding (``FinalLabeling``). The RTL
(``cores/bilstm/rtl``), the HLS C++ (``cores/bilstm/hls``) and this model compute the same
integers; :func:`write_vectors` writes every ROM, table and test vector they read.

Parameters (CAPI2 ``vlogparam`` in the RTL, ``-D`` macros in the HLS C++)
-------------------------------------------------------------------------
HIDDEN    hidden units per direction               INPUT     pixels per column
WBITS     weight bits (hidden layer)               ABITS     pixel and hidden-output bits
CLASSES   output classes (82: FINN-L's alphabet with the blank, class 0)
PE        hidden units computed in parallel        SIMD_IN   lanes of the input dot product
SIMD_REC  lanes of the recurrent dot product       SIMD_FC   output-layer lanes per direction
MAXLEN    longest sequence (column buffers)        SEQLEN    test-vector sequence length
WEIGHTS   (model only) a FINN-L weights file: ``<P>_weights.npz`` (with ``<P>_weights.json``
          and ``hw_config.json`` beside it) or LSTM-PYNQ's ``r_model_fw_bw.hpp``; without it
          the model generates weights in the same format (:func:`random_network`).

Arithmetic: FINN-L's, quantity by quantity (``hardware_lstm.hpp``, ``activations.hpp``,
``hw_config.h``). All values are two's-complement integer codes; ``<N,I>`` is
``ap_fixed<N,I>`` (N bits, I integer bits, N-I fraction bits).
* pixel x, hidden output h: ``<ABITS,1>``; pixels from floats RND_ZERO/WRAP, h RND_CONV/SAT.
* weights ``<WBITS,1>``, the two biases per gate (``b*_ih``, ``b*_hh``) ``<8,1>``.
* every product w*x and w*h goes to ``<16,8,RND_ZERO,WRAP>`` on its own (8 fraction bits;
  where it has more, W4A8 and W8A8, AP_RND_ZERO rounds to nearest with ties toward zero),
  the input and the recurrent dot
  products are sums in ``<16,8,WRAP>``, and the gate sum is
  ``bias_ih + bias_hh + dot_in + dot_rec`` in ``<16,8,WRAP>`` (:func:`_fx_product`).
* activations: FINN-L's 256-entry tables (sigmoid ``ap_ufixed<8,1>``, tanh ``<8,2>``),
  indexed affinely: sigmoid over [-5, 5]: x <= -5 -> entry 0, x >= 5 -> entry 255, else
  entry floor((x + 5) * 25.5); tanh over [-3, 3] with 42.5 (:func:`lut_index`).
* i*g and f*c each to the state format ``<16,8,RND_CONV,SAT>``, c' = sat(i*g + f*c); at
  the first column c' = i*g. h = tanh(c') * o to ``<ABITS,1,RND_CONV,SAT>``.
* output layer (weights and biases ``<8,1>``): each product h*w to ``<16,8,RND_CONV,WRAP>``,
  per direction bias + sum in ``<16,8,WRAP>``, the two directions added in ``<16,8,WRAP>``.
* MaxPerColumn: value starts at 0 every column, the label is *not* reset (a column whose
  scores are all <= 0 keeps the previous column's label); FinalLabeling: a label-0 column's
  value becomes 0, then FINN-L's peak/blank rule (:func:`final_labeling`) and the terminator
  CLASSES. Columns reach MaxPerColumn in FINN-L's Concatenator order (centre outwards,
  :func:`concat_order`) and FinalLabeling puts them back (``center + pointer``), exactly as
  the hardware does, also for odd column counts (where it mirrors column pairs).
:func:`ctc_best_path` (the textbook best-path CTC decode: argmax, merge repeats, drop blanks)
is offered beside it and named as such.

Stream contract (RTL ``bilstm``)
--------------------------------
In: one column per beat, ``s_data[p*ABITS +: ABITS]`` = pixel p, ``s_last`` on the last
column (run-time length T <= MAXLEN). Out: ``m_*`` one beat per step s (T beats):
``{h_bw(column T-1-s), h_fw(column s)}``; ``sc_*`` the CLASSES scores of each column in
Concatenator order; ``l_*`` the labels of FinalLabeling, then the terminator CLASSES
(``l_last``).

Folding and cycles per column (:func:`cycles_per_item`)
------------------------------------------------------
Load 1 + hidden layer ``2*(HIDDEN/PE)*max(INPUT/SIMD_IN, HIDDEN/SIMD_REC)`` + output layer
``CLASSES*HIDDEN/SIMD_FC + 1`` (both directions at once; 1 to read the column's hidden
outputs) + labeling 1. The phases of a sequence
run one after the other (FINN-L overlaps them in a dataflow pipeline; here the bound is
their sum).

Vector files (:func:`write_vectors`)
------------------------------------
``bilstm_wx.hex``/``bilstm_wh.hex`` weight ROMs, depth 2*(HIDDEN/PE)*NF, word
4*PE*SIMD*WBITS bits, address ``(d*(HIDDEN/PE) + grp)*NF + k``, lane l of gate q (i, f, g, o)
of PE p at ``((p*4 + q)*SIMD + l)*WBITS`` (unit grp*PE + p, column k*SIMD + l);
``bilstm_bias.hex`` depth 2*(HIDDEN/PE), field ``((p*4 + q)*2 + b)*8`` (b 0: ih, 1: hh);
``bilstm_sigmoid.hex``, ``bilstm_tanh.hex`` the tables (8-bit codes, 7 and 6 fraction bits);
``bilstm_wfc.hex`` depth CLASSES*HIDDEN/SIMD_FC, word 2*SIMD_FC*8 bits (address
class*FF + k, lane l of direction d at ``(d*SIMD_FC + l)*8``, unit k*SIMD_FC + l);
``bilstm_bfc.hex`` depth CLASSES, {bias_bw, bias_fw}; vectors ``bilstm_in.hex``,
``bilstm_last.hex``, ``bilstm_out.hex``, ``bilstm_scores.hex``, ``bilstm_labels.hex``,
``bilstm_count.hex`` (columns, sequences, scores, labels); ``bilstm_params.h`` (the ROMs as
C arrays), ``bilstm_params.txt``.
"""

from __future__ import annotations

import json
import math
import pathlib
import re
import sys
from dataclasses import dataclass

import numpy as np

from fpgaflow.models import _cli

PARAMETERS: dict[str, int] = {
    "HIDDEN": 128,
    "INPUT": 32,
    "WBITS": 4,
    "ABITS": 4,
    "CLASSES": 82,
    "PE": 1,
    "SIMD_IN": 16,
    "SIMD_REC": 64,
    "SIMD_FC": 64,
    "MAXLEN": 732,
    "SEQLEN": 16,
}
#: string parameters (model only)
STR_PARAMETERS = ("WEIGHTS",)

#: FINN-L's public plain-OCR configurations (LSTM-PYNQ r_model_fw_bw.hpp), HIDDEN=128, INPUT=32
PUBLIC_CONFIGS: dict[str, dict[str, int]] = {
    "w2a2": {"WBITS": 2, "ABITS": 2, "PE": 2, "SIMD_IN": 32, "SIMD_REC": 128},
    "w2a4": {"WBITS": 2, "ABITS": 4, "PE": 1, "SIMD_IN": 16, "SIMD_REC": 64},
    "w4a4": {"WBITS": 4, "ABITS": 4, "PE": 1, "SIMD_IN": 16, "SIMD_REC": 64},
    "w4a8": {"WBITS": 4, "ABITS": 8, "PE": 1, "SIMD_IN": 4, "SIMD_REC": 16},
    "w8a8": {"WBITS": 8, "ABITS": 8, "PE": 1, "SIMD_IN": 4, "SIMD_REC": 16},
}

GATES = ("i", "f", "g", "o")
#: FINN-L's array names per gate (g is FINN-L's "ci", the cell input)
FINNL_GATE = {"i": "gi", "f": "gf", "g": "ci", "o": "go"}

# FINN-L's fixed formats (hw_config.h): sums/state <16,8>, tables, output layer <16,8>
SUM_BITS, SUM_FRAC = 16, 8
BIAS_BITS, BIAS_FRAC = 8, 7          # ap_fixed<8,1>
FC_BITS, FC_FRAC = 8, 7              # ap_fixed<8,1> (wfc, bfc)
SIG_FRAC, TANH_FRAC = 7, 6           # ap_ufixed<8,1>, ap_fixed<8,2>
LUT_ENTRIES = 256
SIG_LIMIT, SIG_RECIP = 5, (51, 9)    # [-5, 5], 25.5 = 51/2: index = (x+5)*25.5 = X*51 >> 9
TANH_LIMIT, TANH_RECIP = 3, (85, 9)  # [-3, 3], 42.5 = 85/2

FINNL_TYPEDEFS = {
    "weight": "ap_fixed<{W},1,AP_RND_ZERO,AP_WRAP>",
    "bias": "ap_fixed<8,1,AP_RND_ZERO,AP_WRAP>",
    "fc": "ap_fixed<8,1,AP_RND_ZERO,AP_WRAP>",
}


# --------------------------------------------------------------------------- parameters
def resolve(params: dict | None = None) -> dict:
    """Defaults overlaid with ``params`` (values may be strings), validated. WEIGHTS, when
    given, stays a string."""
    p: dict = dict(PARAMETERS)
    for key, value in (params or {}).items():
        key = str(key).upper()
        if key in STR_PARAMETERS:
            if value not in (None, ""):
                p[key] = str(value)
            continue
        if key not in PARAMETERS:
            raise ValueError(f"bilstm: unknown parameter {key!r} (known: "
                             f"{', '.join(list(PARAMETERS) + list(STR_PARAMETERS))})")
        p[key] = _cli.integer(key, value)
    _validate(p)
    return p


def int_params(p: dict) -> dict[str, int]:
    return {k: v for k, v in p.items() if k in PARAMETERS}


def _validate(p: dict) -> None:
    def need(cond: bool, why: str) -> None:
        if not cond:
            raise ValueError(f"bilstm: {why} (parameters: {int_params(p)})")

    _cli.at_least(p, 1, PARAMETERS)          # names the parameter (fpgaflow: its recipe line)
    need(p["HIDDEN"] % p["PE"] == 0, "PE must divide HIDDEN")
    need(p["INPUT"] % p["SIMD_IN"] == 0, "SIMD_IN must divide INPUT")
    need(p["HIDDEN"] % p["SIMD_REC"] == 0, "SIMD_REC must divide HIDDEN")
    need(p["HIDDEN"] % p["SIMD_FC"] == 0, "SIMD_FC must divide HIDDEN")
    need(2 <= p["WBITS"] <= 8 and 2 <= p["ABITS"] <= 8, "WBITS and ABITS must be in 2..8")
    need(p["CLASSES"] >= 2, "CLASSES must be >= 2")
    need(p["SEQLEN"] <= p["MAXLEN"], "SEQLEN must be <= MAXLEN")


def folds(params: dict) -> tuple[int, int, int]:
    """(INPUT/SIMD_IN, HIDDEN/SIMD_REC, NF = the larger of the two)."""
    p = resolve(params)
    fi = p["INPUT"] // p["SIMD_IN"]
    fr = p["HIDDEN"] // p["SIMD_REC"]
    return fi, fr, max(fi, fr)


def hidden_cycles(params: dict) -> int:
    p = resolve(params)
    return 2 * (p["HIDDEN"] // p["PE"]) * folds(p)[2]


def output_cycles(params: dict) -> int:
    """CLASSES*HIDDEN/SIMD_FC per column, + 1 to read the column's hidden outputs."""
    p = resolve(params)
    return p["CLASSES"] * (p["HIDDEN"] // p["SIMD_FC"]) + 1


def cycles_per_item(params: dict) -> int:
    """Cycles per input column of the whole pipeline: load 1 + hidden layer
    2*(HIDDEN/PE)*NF + output layer CLASSES*HIDDEN/SIMD_FC + 1 + labeling 1."""
    return 1 + hidden_cycles(params) + output_cycles(params) + 1


# --------------------------------------------------------------------------- fixed point
def _wrap(x, bits: int) -> np.ndarray:
    x = np.asarray(x, dtype=np.int64)
    m = np.int64(1) << bits
    return ((x + (m >> 1)) & (m - 1)) - (m >> 1)


def _sat(x, bits: int) -> np.ndarray:
    return np.clip(np.asarray(x, dtype=np.int64), -(1 << (bits - 1)), (1 << (bits - 1)) - 1)


def _rnd_zero(v, shift: int) -> np.ndarray:
    """v / 2**shift rounded to nearest, ties toward zero (AP_RND_ZERO; not AP_TRN_ZERO);
    shift <= 0 scales up exactly."""
    v = np.asarray(v, dtype=np.int64)
    if shift <= 0:
        return v << -shift
    q = v >> shift
    r = v & ((1 << shift) - 1)
    half = 1 << (shift - 1)
    return q + ((r > half) | ((r == half) & (v < 0)))


def _rnd_conv(v, shift: int) -> np.ndarray:
    """v / 2**shift rounded to nearest, ties to even (AP_RND_CONV)."""
    v = np.asarray(v, dtype=np.int64)
    if shift <= 0:
        return v << -shift
    q = v >> shift
    r = v & ((1 << shift) - 1)
    half = 1 << (shift - 1)
    return q + ((r > half) | ((r == half) & ((q & 1) == 1)))


def _fx_product(a, b, frac: int, rnd) -> np.ndarray:
    """a*b (fraction bits adding up to ``frac``) in <16,8> with rounding ``rnd``, WRAP."""
    return _wrap(rnd(np.asarray(a, dtype=np.int64) * np.asarray(b, dtype=np.int64),
                     frac - SUM_FRAC), SUM_BITS)


def lut_index(x, limit: int, recip: tuple[int, int]) -> np.ndarray:
    """FINN-L's table index of a <16,8> value x: 0 at or below -limit, 255 at or above
    limit, else floor((x + limit) * recip_step)."""
    x = np.asarray(x, dtype=np.int64)
    lim = limit << SUM_FRAC
    mul, shift = recip
    idx = ((x + lim) * mul) >> shift
    return np.where(x <= -lim, 0, np.where(x >= lim, LUT_ENTRIES - 1, idx))


def sigmoid_table() -> np.ndarray:
    """256 codes (7 fraction bits) of sigmoid over [-5, 5] in steps of 1/25.5, rounded to
    1/64 (our generated table; with a FINN-L weights file its own table is used)."""
    x = -SIG_LIMIT + np.arange(LUT_ENTRIES) / 25.5
    return (np.floor(64.0 / (1.0 + np.exp(-x)) + 0.5) * 2).astype(np.int64)


def tanh_table() -> np.ndarray:
    """256 codes (6 fraction bits) of tanh over [-3, 3] in steps of 1/42.5, rounded to 1/64."""
    x = -TANH_LIMIT + np.arange(LUT_ENTRIES) / 42.5
    return np.floor(64.0 * np.tanh(x) + 0.5).astype(np.int64)


# --------------------------------------------------------------------------- network
@dataclass
class Network:
    """Integer codes of the whole network. wx[d, q, unit, INPUT], wh[d, q, unit, HIDDEN]
    (WBITS), bias[d, q, unit, 2] (ih, hh; 8 bits), wfc[d, class, unit], bfc[d, class]
    (8 bits), sigmoid[256], tanh[256] (8-bit codes); d 0 forward, 1 backward; q i, f, g, o."""
    wx: np.ndarray
    wh: np.ndarray
    bias: np.ndarray
    wfc: np.ndarray
    bfc: np.ndarray
    sigmoid: np.ndarray
    tanh: np.ndarray
    source: str = "generated"


def random_network(params: dict, seed: int = 1) -> Network:
    """Seeded weights in FINN-L's formats; unit 0 of each direction gets biases at the
    format's limits and large weights so that gate sums leave the table ranges and the cell
    state grows (table clamps, rounding ties and saturation are exercised)."""
    p = resolve(params)
    rng = np.random.default_rng(seed)
    H, I, W, K = p["HIDDEN"], p["INPUT"], p["WBITS"], p["CLASSES"]
    lo, hi = -(1 << (W - 1)), (1 << (W - 1)) - 1
    wx = rng.integers(lo, hi + 1, size=(2, 4, H, I))
    wh = rng.integers(lo, hi + 1, size=(2, 4, H, H))
    bias = rng.integers(-128, 128, size=(2, 4, H, 2))
    wx[:, :, 0] = hi
    wh[:, :, 0] = hi
    bias[:, :, 0] = 127
    wfc = rng.integers(-128, 128, size=(2, K, H))
    bfc = rng.integers(-128, 128, size=(2, K))
    return Network(wx, wh, bias, wfc, bfc, sigmoid_table(), tanh_table(), f"generated(seed={seed})")


def hidden_layer(x, net: Network, params: dict, trace: dict | None = None):
    """The bidirectional hidden layer on one sequence x[T, INPUT] (codes).

    Returns (h_fw, h_bw), each [T, HIDDEN], row t = the output for input column t."""
    p = resolve(params)
    H, A, W = p["HIDDEN"], p["ABITS"], p["WBITS"]
    x = np.asarray(x, dtype=np.int64)
    T = x.shape[0]
    fp = A + W - 2                       # fraction bits of a product
    h = np.zeros((2, H), dtype=np.int64)
    c = np.zeros((2, H), dtype=np.int64)
    hs = np.zeros((2, T, H), dtype=np.int64)
    bias = _wrap((net.bias[..., 0] + net.bias[..., 1]) << (SUM_FRAC - BIAS_FRAC), SUM_BITS)
    for s in range(T):
        for d in (0, 1):
            t = s if d == 0 else T - 1 - s
            px = _fx_product(net.wx[d], x[t][None, None, :], fp, _rnd_zero)   # [4, H, I]
            ph = _fx_product(net.wh[d], h[d][None, None, :], fp, _rnd_zero)   # [4, H, H]
            acc = _wrap(bias[d] + px.sum(-1) + ph.sum(-1), SUM_BITS)           # [4, H]
            si = lut_index(acc, SIG_LIMIT, SIG_RECIP)
            ti = lut_index(acc, TANH_LIMIT, TANH_RECIP)
            gi, gf, go = net.sigmoid[si[0]], net.sigmoid[si[1]], net.sigmoid[si[3]]
            gg = net.tanh[ti[2]]
            ig = _sat(_rnd_conv(gg * gi, TANH_FRAC + SIG_FRAC - SUM_FRAC), SUM_BITS)
            if s == 0:
                cn = ig
            else:
                fc = _sat(_rnd_conv(gf * c[d], SIG_FRAC + SUM_FRAC - SUM_FRAC), SUM_BITS)
                cn = _sat(ig + fc, SUM_BITS)
            c[d] = cn
            tc = net.tanh[lut_index(cn, TANH_LIMIT, TANH_RECIP)]
            h[d] = _sat(_rnd_conv(tc * go, TANH_FRAC + SIG_FRAC - (A - 1)), A)
            hs[d, t] = h[d]
            if trace is not None:
                trace.setdefault("acc", []).append(acc.copy())
                trace.setdefault("c", []).append(cn.copy())
    return hs[0], hs[1]


def output_scores(h_fw, h_bw, net: Network, params: dict):
    """Output layer on both directions: (total[T, CLASSES], per_direction[2, T, CLASSES]),
    row t = input column t."""
    p = resolve(params)
    A = p["ABITS"]
    fp = (A - 1) + FC_FRAC
    part = []
    for d, hd in enumerate((h_fw, h_bw)):
        hd = np.asarray(hd, dtype=np.int64)
        prod = _fx_product(hd[:, None, :], net.wfc[d][None, :, :], fp, _rnd_conv)  # [T, K, H]
        b = np.asarray(net.bfc[d], dtype=np.int64) << (SUM_FRAC - FC_FRAC)
        part.append(_wrap(b[None, :] + prod.sum(-1), SUM_BITS))
    part = np.stack(part)
    return _wrap(part[0] + part[1], SUM_BITS), part


def concat_order(T: int) -> np.ndarray:
    """Image column of each Concatenator output c (FINN-L's order, centre outwards).

    The hidden layer emits per column step j the forward output (index 2j) and the backward
    one (2j+1, for image column T-1-j); the Concatenator adds stream item T-1-c to item T+c."""
    def col(m: int) -> int:
        j, d = divmod(m, 2)
        return j if d == 0 else T - 1 - j
    order = np.array([col(T - 1 - c) for c in range(T)], dtype=np.int64)
    assert all(col(T + c) == order[c] for c in range(T))
    return order


def label_positions(T: int) -> np.ndarray:
    """FinalLabeling's write position ``center + pointer`` of Concatenator output c."""
    pos, pointer, center = [], 0, T >> 1
    for c in range(T):
        pos.append(center + pointer)
        pointer = -(pointer + 1) if c % 2 == 0 else -pointer
    return np.array(pos, dtype=np.int64)


def max_per_column(scores_c) -> tuple[np.ndarray, np.ndarray]:
    """FINN-L's MaxPerColumn over rows in arrival order: (value, label) per row; value starts
    at 0 each row, the label carries over from the previous row when no score exceeds 0."""
    scores_c = np.asarray(scores_c, dtype=np.int64)
    vals, labs = [], []
    label = 0
    for row in scores_c:
        value = 0
        for k, v in enumerate(row):
            if v > value:
                value, label = int(v), k
        vals.append(value)
        labs.append(label)
    return np.array(vals, dtype=np.int64), np.array(labs, dtype=np.int64)


def final_labeling(values, labels, T: int, classes: int) -> list[int]:
    """FINN-L's FinalLabeling: the labels it emits, then the terminator ``classes``."""
    pos = label_positions(T)
    gv = [0] * T
    gl = [0] * T
    for c in range(T):
        v = 0 if labels[c] == 0 else int(values[c])
        gv[pos[c]], gl[pos[c]] = v, int(labels[c])
    out = []
    pv, pl = 0, 0
    for t in range(T):
        if gv[t] > pv:
            pv, pl = gv[t], gl[t]
        elif pl != 0 and gl[t] == 0:
            out.append(pl)
            pv, pl = gv[t], gl[t]
    return out + [classes]


def ctc_best_path(scores) -> list[int]:
    """Textbook CTC best-path decoding (not FINN-L's): argmax per column (lowest index on
    ties), merge repeats, drop the blank (class 0)."""
    best = np.argmax(np.asarray(scores), axis=1)
    out, prev = [], -1
    for k in best:
        if k != prev and k != 0:
            out.append(int(k))
        prev = k
    return out


def run_network(x, net: Network, params: dict) -> dict:
    """The whole accelerator on one sequence x[T, INPUT] (codes)."""
    p = resolve(params)
    x = np.asarray(x, dtype=np.int64)
    T = x.shape[0]
    h_fw, h_bw = hidden_layer(x, net, p)
    scores, part = output_scores(h_fw, h_bw, net, p)
    order = concat_order(T)
    values, labels = max_per_column(scores[order])
    lab = final_labeling(values, labels, T, p["CLASSES"])
    beats = np.concatenate([h_fw, h_bw[::-1]], axis=1)      # RTL m_* beats, step order
    return {"h_fw": h_fw, "h_bw": h_bw, "beats": beats, "scores": scores,
            "scores_dir": part, "order": order, "max_value": values, "max_label": labels,
            "labels": lab, "ctc_best_path": ctc_best_path(scores)}


def recognize(labels: list[int], alphabet: list[str], classes: int, max_out: int = 96) -> str:
    """The host's text: FINN-L's Stream2Mem keeps at most max_out-1 labels before the
    terminator, the host maps each to its alphabet symbol."""
    body = [k for k in labels[:labels.index(classes)]] if classes in labels else list(labels)
    return "".join(alphabet[k] for k in body[:max_out - 1])


def quantize_image(pixels, params: dict) -> np.ndarray:
    """Float pixels (column after column, INPUT a column) -> codes [T, INPUT] as FINN-L's
    host does: ``(ap_fixed<ABITS,1,AP_RND_ZERO,AP_WRAP>) float``."""
    p = resolve(params)
    a = p["ABITS"]
    v = np.asarray(pixels, dtype=np.float32).astype(np.float64).reshape(-1, p["INPUT"])
    scaled = v * (1 << (a - 1))
    fl = np.floor(scaled)
    frac = scaled - fl
    up = (frac > 0.5) | ((frac == 0.5) & (scaled < 0))   # AP_RND_ZERO: nearest, ties to 0
    return _wrap(fl.astype(np.int64) + up, a)


def cer(predicted: str, expected: str) -> float:
    """Character error rate: Levenshtein distance / len(expected)."""
    a, b = predicted, expected
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] / max(1, len(b))


# --------------------------------------------------------------------------- FINN-L files
def _signed(raw, bits: int) -> np.ndarray:
    return _wrap(np.asarray(raw, dtype=np.int64) & ((1 << bits) - 1), bits)


def _parse_fixed(t: str) -> tuple[bool, int, int]:
    m = re.fullmatch(r"\s*ap_(u?)fixed\s*<\s*(\d+)\s*,\s*(\d+)[^>]*>\s*", t)
    if not m:
        raise ValueError(f"bilstm: not an ap_fixed type: {t!r}")
    return m.group(1) == "", int(m.group(2)), int(m.group(3))


def _cint(text: str) -> int:
    return int(eval(text, {"__builtins__": {}}))  # '8+1' style #defines (digits and +)


def read_hpp(path: pathlib.Path) -> tuple[dict, dict, dict]:
    """LSTM-PYNQ's r_model_fw_bw.hpp: (#defines, typedefs, arrays of raw unsigned codes)."""
    text = pathlib.Path(path).read_text()
    text = re.sub(r"//[^\n]*", "", text)
    defines = dict(re.findall(r"^\s*#define\s+(\w+)\s+([^\n]+?)\s*$", text, re.M))
    typedefs = {n: re.sub(r"\s+", "", t) for t, n in
                re.findall(r"typedef\s+(ap_u?fixed\s*<[^>]*>)\s+(\w+)\s*;", text)}
    arrays = {}
    for m in re.finditer(r"const\s+ap_uint\s*<\s*(\d+)\s*>\s*(\w+)\s*((?:\[\s*\d+\s*\])+)\s*=\s*"
                         r"\{([^;]*)\}\s*;", text):
        shape = [int(v) for v in re.findall(r"\d+", m.group(3))]
        vals = [int(v, 0) for v in re.findall(r"0[xX][0-9a-fA-F]+|\d+", m.group(4))]
        if len(vals) != math.prod(shape):
            raise ValueError(f"bilstm: {path}: array {m.group(2)} has {len(vals)} values, "
                             f"shape {shape}")
        arrays[m.group(2)] = np.array(vals, dtype=np.int64).reshape(shape)
    return defines, typedefs, arrays


def _finnl_sources(path: pathlib.Path) -> tuple[dict, dict, dict, dict | None]:
    path = pathlib.Path(path)
    if not path.is_file():
        raise ValueError(f"bilstm: WEIGHTS={path}: no such file")
    hw = None
    if path.suffix == ".npz":
        meta_path = path.with_name(path.name[: -len(".npz")] + ".json")
        if not meta_path.is_file():
            raise ValueError(f"bilstm: {path}: needs {meta_path.name} beside it (defines, typedefs)")
        meta = json.loads(meta_path.read_text())
        with np.load(path) as z:
            arrays = {k: np.asarray(z[k], dtype=np.int64) for k in z.files}
        defines, typedefs = meta.get("defines", {}), meta.get("typedefs", {})
        hw_path = path.with_name("hw_config.json")
        if hw_path.is_file():
            hw = json.loads(hw_path.read_text())
    elif path.suffix in (".hpp", ".h"):
        defines, typedefs, arrays = read_hpp(path)
        hw_path = path.parent.parent / "hw_config.h"
        if hw_path.is_file():
            hw = {"luts": _read_hw_luts(hw_path)}
    else:
        raise ValueError(f"bilstm: WEIGHTS={path}: expected a .npz (with .json) or r_model_fw_bw.hpp")
    return defines, typedefs, arrays, hw


def _read_hw_luts(path: pathlib.Path) -> dict:
    text = pathlib.Path(path).read_text()
    out = {}
    for name in ("lut_sigmoid_1", "lut_tanh_1"):
        m = re.search(name + r"\s*\[[^\]]*\]\s*=\s*\{([^}]*)\}", text)
        if m:
            out[name] = [float(v) for v in m.group(1).replace("\n", "").split(",") if v.strip()]
    return out


def finnl_params(path) -> dict[str, int]:
    """The core parameters of a FINN-L weights file (its #defines)."""
    d = _finnl_sources(pathlib.Path(path))[0]
    if _cint(d.get("PIXELWIDTH", "0")) != _cint(d.get("OUTPUTACTIVATIONHIDDENLAYERWIDTH", "0")):
        raise ValueError(f"bilstm: {path}: PIXELWIDTH != OUTPUTACTIVATIONHIDDENLAYERWIDTH "
                         "(the core uses one ABITS for both)")
    return {"HIDDEN": _cint(d["NUMBER_OF_NEURONS"]), "INPUT": _cint(d["HEIGHT_IN_PIX"]),
            "WBITS": _cint(d["WEIGHTWIDTH"]), "ABITS": _cint(d["PIXELWIDTH"]),
            "CLASSES": _cint(d["NUMBER_OF_CLASSES"]), "PE": _cint(d["PE"]),
            "SIMD_IN": _cint(d["SIMD_INPUT"]), "SIMD_REC": _cint(d["SIMD_RECURRENT"]),
            "MAXLEN": _cint(d["MAX_NUMBER_COLUMNS_TEST_SET"])}


def load_finnl(path, params: dict | None = None) -> Network:
    """FINN-L's trained network from ``<P>_weights.npz`` (+ .json, hw_config.json) or
    LSTM-PYNQ's ``r_model_fw_bw.hpp``: the same arrays, names, shapes and bit patterns.
    Checks that the formats are the ones the core implements."""
    path = pathlib.Path(path)
    defines, typedefs, arrays, hw = _finnl_sources(path)
    fp = finnl_params(path)
    p = resolve({**(params or {}), **{k: fp[k] for k in ("HIDDEN", "INPUT", "WBITS", "ABITS",
                                                         "CLASSES")}})
    # the file's PE/SIMD folding is only its array layout; the core may fold differently
    H, I, W, K = p["HIDDEN"], p["INPUT"], p["WBITS"], p["CLASSES"]
    fpe, fsi, fsr = fp["PE"], fp["SIMD_IN"], fp["SIMD_REC"]
    want = {**{f"t_fixed_w{FINNL_GATE[q]}_{s}": (True, W, 1) for q in GATES for s in ("ih", "hh")},
            **{f"t_fixed_b{FINNL_GATE[q]}_{s}": (True, 8, 1) for q in GATES for s in ("ih", "hh")},
            "t_fixed_wfc": (True, 8, 1), "t_fixed_bfc": (True, 8, 1)}
    for name, fmt in want.items():
        if name in typedefs and _parse_fixed(typedefs[name]) != fmt:
            raise ValueError(f"bilstm: {path}: {name} is {typedefs[name]}, the core implements "
                             f"ap_fixed<{fmt[1]},{fmt[2]}>")
    if _cint(defines.get("BIASWIDTH", "8")) != 8 or _cint(defines.get("FCWEIGHTWIDTH", "8")) != 8:
        raise ValueError(f"bilstm: {path}: bias/FC widths other than 8 are not implemented")

    def arr(name: str, shape: tuple) -> np.ndarray:
        if name not in arrays:
            raise ValueError(f"bilstm: {path}: array {name} missing")
        a = arrays[name]
        if tuple(a.shape) != tuple(shape):
            raise ValueError(f"bilstm: {path}: {name} has shape {list(a.shape)}, expected {list(shape)}")
        return a

    G = H // fpe
    wx = np.zeros((2, 4, H, I), dtype=np.int64)
    wh = np.zeros((2, 4, H, H), dtype=np.int64)
    bias = np.zeros((2, 4, H, 2), dtype=np.int64)
    for q, gate in enumerate(GATES):
        n = FINNL_GATE[gate]
        # w[SIMD][FOLD][PE][2H/PE]: input j*SIMD + i, unit (a % G)*PE + p, direction a // G
        a = _signed(arr(f"w{n}_ih", (fsi, I // fsi, fpe, 2 * G)), W)
        wx[:, q] = a.transpose(3, 2, 1, 0).reshape(2, G, fpe, I).reshape(2, H, I)
        a = _signed(arr(f"w{n}_hh", (fsr, H // fsr, fpe, 2 * G)), W)
        wh[:, q] = a.transpose(3, 2, 1, 0).reshape(2, G, fpe, H).reshape(2, H, H)
        for b, s in enumerate(("ih", "hh")):
            a = _signed(arr(f"b{n}_{s}", (fpe, 2 * G)), 8)     # [PE][2H/PE]
            bias[:, q, :, b] = a.T.reshape(2, G, fpe).reshape(2, H)
    wfc = _signed(arr("wfc", (H, 2 * K)), 8).reshape(H, 2, K).transpose(1, 2, 0)
    bfc = _signed(arr("bfc", (1, 2 * K)), 8).reshape(2, K)
    sig, tnh = sigmoid_table(), tanh_table()
    luts = (hw or {}).get("luts", {})
    if "lut_sigmoid_1" in luts:
        sig = _table_codes(luts["lut_sigmoid_1"], SIG_FRAC, path)
    if "lut_tanh_1" in luts:
        tnh = _table_codes(luts["lut_tanh_1"], TANH_FRAC, path)
    return Network(wx, wh, bias, wfc, bfc, sig, tnh, str(path))


def _table_codes(values, frac: int, path) -> np.ndarray:
    v = np.asarray(values, dtype=np.float64) * (1 << frac)
    if v.shape != (LUT_ENTRIES,) or np.any(v != np.trunc(v)):
        raise ValueError(f"bilstm: {path}: activation table is not {LUT_ENTRIES} exact codes")
    return v.astype(np.int64)


def write_finnl_npz(net: Network, params: dict, path) -> None:
    """Write a network in FINN-L's published format (``<P>_weights.npz`` + ``.json``): the
    r_model_fw_bw.hpp arrays as raw bit patterns, laid out for the params' PE/SIMD."""
    p = resolve(params)
    H, I, W, K, PE, SI, SR = (p[k] for k in ("HIDDEN", "INPUT", "WBITS", "CLASSES", "PE",
                                               "SIMD_IN", "SIMD_REC"))
    G = H // PE
    m = lambda a, bits: (np.asarray(a, dtype=np.int64) & ((1 << bits) - 1)).astype(np.uint8)  # noqa: E731
    arrays = {}
    for q, gate in enumerate(GATES):
        n = FINNL_GATE[gate]
        arrays[f"w{n}_ih"] = m(net.wx[:, q].reshape(2, G, PE, I // SI, SI).transpose(4, 3, 2, 0, 1)
                               .reshape(SI, I // SI, PE, 2 * G), W)
        arrays[f"w{n}_hh"] = m(net.wh[:, q].reshape(2, G, PE, H // SR, SR).transpose(4, 3, 2, 0, 1)
                               .reshape(SR, H // SR, PE, 2 * G), W)
        for b, s in enumerate(("ih", "hh")):
            arrays[f"b{n}_{s}"] = m(net.bias[:, q, :, b].reshape(2, G, PE).transpose(2, 0, 1)
                                    .reshape(PE, 2 * G), 8)
    arrays["wfc"] = m(net.wfc.transpose(2, 0, 1).reshape(H, 2 * K), 8)
    arrays["bfc"] = m(net.bfc.reshape(1, 2 * K), 8)
    path = pathlib.Path(path)
    np.savez(path, **arrays)
    wt = FINNL_TYPEDEFS["weight"].format(W=W)
    typedefs = {**{f"t_fixed_w{FINNL_GATE[q]}_{s}": wt for q in GATES for s in ("ih", "hh")},
                **{f"t_fixed_b{FINNL_GATE[q]}_{s}": FINNL_TYPEDEFS["bias"] for q in GATES
                   for s in ("ih", "hh")},
                "t_fixed_wfc": FINNL_TYPEDEFS["fc"], "t_fixed_bfc": FINNL_TYPEDEFS["fc"]}
    defines = {"PE": PE, "SIMD_INPUT": SI, "SIMD_RECURRENT": SR, "NUMBER_OF_NEURONS": H,
               "HEIGHT_IN_PIX": I, "NUMBER_OF_CLASSES": K, "MAX_NUMBER_COLUMNS_TEST_SET": p["MAXLEN"],
               "PIXELWIDTH": p["ABITS"], "WEIGHTWIDTH": W, "BIASWIDTH": 8, "FCWEIGHTWIDTH": 8,
               "FCBIASWIDTH": 8, "OUTPUTACTIVATIONHIDDENLAYERWIDTH": p["ABITS"],
               "OUTPUTACTIVATIONOUTPUTLAYERWIDTH": 16}
    meta = {"defines": {k: str(v) for k, v in defines.items()}, "typedefs": typedefs,
            "array_bits": {k: (8 if k.startswith("b") or k == "wfc" else W) for k in arrays},
            "array_shapes": {k: list(v.shape) for k, v in arrays.items()}}
    path.with_name(path.name[: -len(".npz")] + ".json").write_text(json.dumps(meta, indent=1))
    hw = {"luts": {"lut_sigmoid_1": (net.sigmoid / float(1 << SIG_FRAC)).tolist(),
                   "lut_tanh_1": (net.tanh / float(1 << TANH_FRAC)).tolist()}}
    path.with_name("hw_config.json").write_text(json.dumps(hw))


def write_finnl_hpp(net: Network, params: dict, path) -> None:
    """The same network as an LSTM-PYNQ-style r_model_fw_bw.hpp (for the loader's tests)."""
    tmp = pathlib.Path(path).with_suffix(".tmp.npz")
    write_finnl_npz(net, params, tmp)
    meta = json.loads(tmp.with_suffix("").with_suffix(".json").read_text()) \
        if False else json.loads(tmp.with_name(tmp.name[:-4] + ".json").read_text())
    lines = ["#pragma once\n"] + [f"#define {k} {v}\n" for k, v in meta["defines"].items()]
    lines += [f"typedef {t} {n};\n" for n, t in meta["typedefs"].items()]
    with np.load(tmp) as z:
        for name in z.files:
            a = z[name]
            dims = "".join(f"[{n}]" for n in a.shape)
            body = ", ".join(hex(int(v)) for v in a.ravel())
            lines.append(f"const ap_uint<{meta['array_bits'][name]}> {name} {dims} = {{ {body} }};\n")
    pathlib.Path(path).write_text("".join(lines))
    for f in (tmp, tmp.with_name(tmp.name[:-4] + ".json"), tmp.with_name("hw_config.json")):
        f.unlink(missing_ok=True)


def network_for(p: dict, seed: int = 1) -> Network:
    """The network of a parameter set: WEIGHTS when given (its geometry must match), else
    generated weights."""
    if p.get("WEIGHTS"):
        fp = finnl_params(p["WEIGHTS"])
        for k in ("HIDDEN", "INPUT", "WBITS", "ABITS", "CLASSES"):
            if fp[k] != p[k]:
                raise ValueError(f"bilstm: WEIGHTS={p['WEIGHTS']} has {k}={fp[k]}, parameters "
                                 f"say {k}={p[k]}")
        return load_finnl(p["WEIGHTS"], p)
    return random_network(p, seed)


# --------------------------------------------------------------------------- vectors
def sequences(params: dict, seed: int = 1) -> list[np.ndarray]:
    """Test sequences: random (SEQLEN), all-zero, full-scale alternating, an odd length, one
    column."""
    p = resolve(params)
    rng = np.random.default_rng(seed + 1000)
    T, I, A = p["SEQLEN"], p["INPUT"], p["ABITS"]
    lo, hi = -(1 << (A - 1)), (1 << (A - 1)) - 1
    half = max(1, T // 2)
    alt = np.where((np.arange(half)[:, None] + np.arange(I)[None, :]) % 2 == 0, hi, lo)
    odd = max(1, T - 1 if T % 2 == 0 else T)
    return [
        rng.integers(lo, hi + 1, size=(T, I)),
        np.zeros((half, I), dtype=np.int64),
        alt.astype(np.int64),
        rng.integers(lo, hi + 1, size=(odd, I)),
        rng.integers(lo, hi + 1, size=(1, I)),
    ]


def _hex_word(fields, bits: int) -> str:
    """Pack fields (field 0 = least significant) of ``bits`` each into a hex string."""
    value = 0
    mask = (1 << bits) - 1
    flat = [int(v) for v in np.ravel(fields)]
    for f in reversed(flat):
        value = (value << bits) | (f & mask)
    return format(value, f"0{(len(flat) * bits + 3) // 4}x")


def rom_words(net: Network, params: dict) -> dict[str, np.ndarray]:
    """ROM contents in hardware layout: wx[addr, PE, 4, SIMD_IN], wh[addr, PE, 4, SIMD_REC],
    bias[d*G + grp, PE, 4, 2], wfc[class*FF + k, 2, SIMD_FC], bfc[class, 2]."""
    p = resolve(params)
    H, I, PE, SI, SR, SF, K = (p[k] for k in ("HIDDEN", "INPUT", "PE", "SIMD_IN", "SIMD_REC",
                                                "SIMD_FC", "CLASSES"))
    fi, fr, nf = folds(p)
    g = H // PE
    wx = np.zeros((2, g, nf, PE, 4, SI), dtype=np.int64)
    wh = np.zeros((2, g, nf, PE, 4, SR), dtype=np.int64)
    wx[:, :, :fi] = net.wx.reshape(2, 4, g, PE, fi, SI).transpose(0, 2, 4, 3, 1, 5)
    wh[:, :, :fr] = net.wh.reshape(2, 4, g, PE, fr, SR).transpose(0, 2, 4, 3, 1, 5)
    bias = net.bias.reshape(2, 4, g, PE, 2).transpose(0, 2, 3, 1, 4)
    ff = H // SF
    wfc = net.wfc.reshape(2, K, ff, SF).transpose(1, 2, 0, 3)
    return {"wx": wx.reshape(2 * g * nf, PE, 4, SI), "wh": wh.reshape(2 * g * nf, PE, 4, SR),
            "bias": bias.reshape(2 * g, PE, 4, 2), "wfc": wfc.reshape(K * ff, 2, SF),
            "bfc": net.bfc.T.copy()}


def _c_array(name: str, ctype: str, values: np.ndarray) -> str:
    dims = "".join(f"[{n}]" for n in values.shape)
    flat = ",".join(str(int(v)) for v in np.ravel(values))
    return f"static const {ctype} {name}{dims} = {{{flat}}};\n"


def write_roms(outdir: pathlib.Path, net: Network, p: dict) -> None:
    """The ROM/table files of the core (RTL hex files and the HLS header)."""
    outdir = pathlib.Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    W = p["WBITS"]
    r = rom_words(net, p)

    def lines(path: str, rows) -> None:
        (outdir / path).write_text("".join(x + "\n" for x in rows))

    lines("bilstm_wx.hex", (_hex_word(w, W) for w in r["wx"]))
    lines("bilstm_wh.hex", (_hex_word(w, W) for w in r["wh"]))
    lines("bilstm_bias.hex", (_hex_word(w, 8) for w in r["bias"]))
    lines("bilstm_sigmoid.hex", (_hex_word([v], 8) for v in net.sigmoid))
    lines("bilstm_tanh.hex", (_hex_word([v], 8) for v in net.tanh))
    lines("bilstm_wfc.hex", (_hex_word(w, 8) for w in r["wfc"]))
    lines("bilstm_bfc.hex", (_hex_word(w, 8) for w in r["bfc"]))
    ip = int_params(p)
    lines("bilstm_params.txt", (f"{k}={v}" for k, v in ip.items()))
    hdr = ["// generated by fpgaflow.models.bilstm -- do not edit\n",
           f"// network: {net.source}\n",
           "#ifndef BILSTM_PARAMS_H\n#define BILSTM_PARAMS_H\n#include <stdint.h>\n"]
    hdr += [f"#define BILSTM_GEN_{k} {v}\n" for k, v in ip.items()]
    hdr.append(_c_array("BILSTM_WX", "int8_t", r["wx"]))
    hdr.append(_c_array("BILSTM_WH", "int8_t", r["wh"]))
    hdr.append(_c_array("BILSTM_BIAS", "int8_t", r["bias"]))
    hdr.append(_c_array("BILSTM_SIGMOID", "int8_t", _wrap(net.sigmoid, 8)))
    hdr.append(_c_array("BILSTM_TANH", "int8_t", net.tanh))
    hdr.append(_c_array("BILSTM_WFC", "int8_t", r["wfc"]))
    hdr.append(_c_array("BILSTM_BFC", "int8_t", r["bfc"]))
    hdr.append("#endif\n")
    (outdir / "bilstm_params.h").write_text("".join(hdr))


def write_stimulus(outdir: pathlib.Path, seqs: list[np.ndarray], net: Network, p: dict) -> dict:
    """Input and expected-output files for the testbenches; returns the counts."""
    outdir = pathlib.Path(outdir)
    A = p["ABITS"]
    lw = max(1, math.ceil(math.log2(p["CLASSES"] + 1)))
    ins, lasts, outs, scores, labels = [], [], [], [], []
    for x in seqs:
        r = run_network(x, net, p)
        for t in range(x.shape[0]):
            ins.append(_hex_word(x[t], A))
            lasts.append("1" if t == x.shape[0] - 1 else "0")
            outs.append(_hex_word(r["beats"][t], A))
        for row in r["scores"][r["order"]]:
            scores.extend(_hex_word([v], 16) for v in row)
        labels.extend(_hex_word([v], lw) for v in r["labels"])

    def lines(path: str, rows) -> None:
        (outdir / path).write_text("".join(x + "\n" for x in rows))

    lines("bilstm_in.hex", ins)
    lines("bilstm_last.hex", lasts)
    lines("bilstm_out.hex", outs)
    lines("bilstm_scores.hex", scores)
    lines("bilstm_labels.hex", labels)
    counts = [len(ins), len(seqs), len(scores), len(labels)]
    lines("bilstm_count.hex", (format(c, "08x") for c in counts))
    return dict(zip(("columns", "sequences", "scores", "labels"), counts))


def write_vectors(outdir: pathlib.Path, params: dict, seed: int = 1) -> int:
    """ROMs, tables and test vectors into ``outdir``; returns the number of columns."""
    p = resolve(params)
    net = network_for(p, seed)
    write_roms(outdir, net, p)
    return write_stimulus(outdir, sequences(p, seed), net, p)["columns"]


# --------------------------------------------------------------------------- CLI
def check(params: dict) -> None:
    """The target's values the RTL cannot build (names the model does not take are passed
    over): ``ValueError``."""
    resolve(_cli.known([*PARAMETERS, *STR_PARAMETERS], params))


def main(argv: list[str] | None = None) -> int:
    """``vectors OUTDIR -P NAME=VALUE`` (WEIGHTS=path of a FINN-L weights file), ``check``,
    ``cycles``, ``params``: :mod:`fpgaflow.models._cli`."""
    return _cli.main(argv, prog="fpgaflow.models.bilstm", names=[*PARAMETERS, *STR_PARAMETERS],
                     write_vectors=write_vectors, cycles_per_item=cycles_per_item, check=check)


if __name__ == "__main__":
    sys.exit(main())
