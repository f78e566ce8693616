"""Bit-exact reference model of the E-RNN core: a block-circulant LSTM or GRU layer.

E-RNN (Li et al., HPCA 2019) and its baseline C-LSTM (Wang et al., FPGA 2018) split every
weight matrix of an LSTM/GRU into K x K circulant blocks. A block is stored as one K-vector
``w`` (``W[r][c] = w[(r - c) mod K]``, i.e. ``w`` is the block's first column), so the
block's product with an input block ``u`` is the circular convolution ``w (*) u``, which
is ``IFFT(FFT(w) . FFT(u))``. The RTL (``cores/ernn/rtl``) and this model compute the same
integers; every ROM and table comes from :func:`write_vectors`.

Parameters (CAPI2 ``vlogparam``; all integers)
----------------------------------------------
INPUT, HIDDEN  input and hidden sizes (multiples of K)
K              circulant block size (a power of two: 1, 2, 4, 8, 16, ...; 1 = dense layer)
CELL           0: LSTM (gates i, f, g, o), 1: GRU (gates z, r and the candidate n)
FFT            0: direct datapath (K*K MACs per block), 1: FFT datapath
WBITS, ABITS   weight and activation (x, h) bits; ACCBITS gate accumulator bits
CBITS          LSTM cell-state bits; LUTBITS, GBITS: the sigmoid/tanh tables
PE             circulant blocks multiplied per cycle (divides INPUT/K and HIDDEN/K)
TBITS          twiddle bits (FFT datapath); XFRAC: extra fraction bits of the input FFT;
SFRAC          fraction bits of the stored weight spectra
SEQLEN         sequence length of the test vectors (testbench only)

Number formats (``sN.F``: N-bit two's complement with F fraction bits)
-------------------------------------------------------------------
* x, h: s[ABITS].[ABITS-1]; weights w: s[WBITS].[WBITS-1]; every sequence starts at h = c = 0.
* gate accumulator: s[ACCBITS].[FA], FA = WBITS+ABITS-2: ``bias + dot`` wraps to ACCBITS.
  Direct datapath: ``dot`` is the exact integer sum of the block products. FFT datapath:
  ``dot`` is :func:`fft_dot` below (an approximation within :func:`fft_dot_bound`).
* tables as in the BiLSTM core (:mod:`fpgaflow.models.fixed`): index = acc >> (FA-LF)
  (floor) saturated to s[LUTBITS].[LUTBITS-4] (input range [-8, 8)); sigmoid u[G].[G],
  tanh s[G+1].[G] (G = GBITS).
* LSTM: ``c' = sat_C(((f*c) >> G) + ((i*g) >> (2G-CF)))``, CF = CBITS-4;
  ``h = sat_A(round_half_up(o * tanh(c') / 2**(2G-(A-1))))``, tanh(c') indexed by
  ``c' >> (CBITS-LUTBITS)``.
* GRU (Cho et al.; E-RNN's GRU): z = sig(Wz [x;h] + bz), r = sig(Wr [x;h] + br),
  ``rh = round_half_up(r*h / 2**G)`` (s[A].[A-1]), n = tanh(Wn [x; rh] + bn),
  ``hG = h << (G-(A-1))``, ``h' = sat_A(round_half_up(((hG << G) + z*(n - hG)) / 2**(2G-(A-1))))``
  i.e. h' = (1-z) h + z n. Requires GBITS >= ABITS-1.

FFT datapath (exact integer specification; LK = log2 K)
-------------------------------------------------------
* twiddles ``TW[i] = (round_half_up(2**(TBITS-2) cos(2 pi i/K)), round_half_up(-2**(TBITS-2) sin(2 pi i/K)))``,
  i = 0..K/2-1, s[TBITS].[TBITS-2] per component (so 1 and -j are exact).
* forward FFT of an input block u (K ints): ``a[n] = u[bitrev(n)] << XFRAC``; radix-2
  decimation in time, stages s = 1..LK, span m = 2**s, for every j (step m) and t < m/2:
  ``b = a[j+t+m/2] * TW[t*K/m]`` (complex, exact), ``b' = round_half_up(b / 2**(TBITS-2))``
  per component, then ``a[j+t], a[j+t+m/2] = a[j+t] + b', a[j+t] - b'``. No scaling
  between stages (one bit of growth a stage). The spectrum X keeps bins 0..K/2.
* stored weight spectra: ``S = sat_SBITS(round_half_up(2**SFRAC * DFT(w)))`` per component,
  SBITS = WBITS + LK + SFRAC; a block stores only its K independent values (conjugate
  symmetry of a real block's spectrum): ``[Re S0, Re S1 .. Re S(K/2), Im S1 .. Im S(K/2-1)]``.
* per output block: ``A[m] = sum_q X_q[m] * S_q[m]`` (complex products and sums exact),
  m = 0..K/2; the inverse FFT runs on the full Hermitian spectrum ``B[m] = A[m]`` (m <= K/2),
  ``B[m] = conj(A[K-m])`` (m > K/2), with the same stages and conjugated twiddles;
  ``dot = round_half_up(Re y / 2**(LK + XFRAC + SFRAC))`` (the imaginary part is dropped).
  Widths (checked by the model, used by the RTL): forward data XB = ABITS+XFRAC+LK+1,
  products PB = XB+SBITS+1, accumulator AB = PB+clog2(Q)+1, inverse data IB = AB+LK+1.

Schedule and folding (RTL)
--------------------------
A step runs NPASS passes (LSTM 1; GRU 2: z and r, then n, which needs all of r*h). A pass
is P = HIDDEN/K output block rows, each Q/PE cycles (Q = (INPUT+HIDDEN)/K input blocks,
PE per cycle), all gates of the pass in parallel (LSTM 4 lanes, GRU 2). So the folding
bound is ``cycles_per_item = NPASS * P * Q / PE``. The recurrent blocks of a pass wait
until the previous pass has been written back: the pipeline depth shows as extra cycles
when the input blocks at the start of a row do not cover it.
FFT datapath: in the first row of a pass the input blocks go through the forward FFT and
their spectra are kept; later rows reuse them (one FFT per input block per pass), and
every row ends with one inverse FFT per gate.

Vector files (written by :func:`write_vectors` into the working directory)
--------------------------------------------------------------------------
``ernn_w.hex``      weight ROM (direct: w, WBITS a field; FFT: the packed spectra, SBITS),
                    depth NPASS*P*(Q/PE), address ``(pass*P + p)*(Q/PE) + g``, field
                    ``(lane*PE + e)*K + j`` for block q = g*PE + e of gate lane ``lane``
``ernn_bias.hex``   bias ROM, depth NPASS*P, field ``lane*K + j`` (ACCBITS)
``ernn_sigmoid.hex``, ``ernn_tanh.hex``  tables; ``ernn_twiddle.hex``: K/2 (at least 1)
                    words {im, re} of TBITS each
``ernn_in.hex``, ``ernn_last.hex``, ``ernn_out.hex``, ``ernn_count.hex`` test vectors for
the HLS testbench (one x per line; 1 on the last step of a sequence; one h per line; number
of steps and sequences); ``in.txt``/``exp.txt`` the same for the RTL testbench (the shared
stream driver/checker: the step count, then one beat per step, ``{last, x}`` in and
``{last, h}`` expected), ``ernn_params.txt``, and ``ernn_params.h`` (the same ROMs, tables and twiddles
as C arrays for the HLS C++, with the parameters as ``ERNN_GEN_<NAME>``).
"""

from __future__ import annotations

import math
import pathlib
import sys

import numpy as np

from fpgaflow.models import _cli

from . import fixed

PARAMETERS: dict[str, int] = {
    "INPUT": 32,
    "HIDDEN": 32,
    "K": 8,
    "CELL": 0,
    "FFT": 0,
    "WBITS": 8,
    "ABITS": 8,
    "ACCBITS": 24,
    "CBITS": 16,
    "LUTBITS": 8,
    "GBITS": 8,
    "PE": 1,
    "TBITS": 16,
    "XFRAC": 4,
    "SFRAC": 4,
    "SEQLEN": 8,
}
NAMES = {"CELL": {"lstm": 0, "gru": 1}, "FFT": {"direct": 0, "fft": 1}}
GATES = {0: ("i", "f", "g", "o"), 1: ("z", "r", "n")}


# --------------------------------------------------------------------------- parameters
def resolve(params: dict | None = None) -> dict[str, int]:
    """Defaults overlaid with ``params`` (strings accepted; CELL lstm|gru, FFT direct|fft)."""
    p = dict(PARAMETERS)
    for key, value in (params or {}).items():
        key = str(key).upper()
        if key not in PARAMETERS:
            raise ValueError(f"ernn: unknown parameter {key!r} (known: {', '.join(PARAMETERS)})")
        if isinstance(value, str) and value.strip().lower() in NAMES.get(key, {}):
            value = NAMES[key][value.strip().lower()]
        p[key] = _cli.integer(key, value)
    _validate(p)
    return p


def _validate(p: dict[str, int]) -> None:
    def need(cond: bool, why: str) -> None:
        if not cond:
            raise ValueError(f"ernn: {why} (parameters: {p})")

    zero_ok = ("CELL", "FFT", "XFRAC", "SFRAC")
    _cli.at_least(p, 0, zero_ok)              # names the parameter (fpgaflow: its recipe line)
    _cli.at_least(p, 1, [k for k in p if k not in zero_ok])
    k = p["K"]
    need(k & (k - 1) == 0 and k <= 64, "K must be a power of two <= 64")
    need(p["INPUT"] % k == 0 and p["HIDDEN"] % k == 0, "K must divide INPUT and HIDDEN")
    need((p["INPUT"] // k) % p["PE"] == 0 and (p["HIDDEN"] // k) % p["PE"] == 0,
         "PE must divide INPUT/K and HIDDEN/K")
    need(p["CELL"] in (0, 1) and p["FFT"] in (0, 1), "CELL and FFT must be 0 or 1")
    need(2 <= p["WBITS"] <= 16 and 2 <= p["ABITS"] <= 16, "WBITS and ABITS must be in 2..16")
    need(p["LUTBITS"] >= 5 and p["CBITS"] >= p["LUTBITS"], "LUTBITS >= 5 and CBITS >= LUTBITS")
    need(2 * p["GBITS"] >= p["CBITS"] - 4, "2*GBITS must be >= CBITS-4")
    need(p["GBITS"] >= p["ABITS"] - 1, "GBITS must be >= ABITS-1")
    need(p["ACCBITS"] <= 48, "ACCBITS must be <= 48")
    need(4 <= p["TBITS"] <= 24, "TBITS must be in 4..24")
    if p["FFT"]:
        need(widths(p)["IB"] <= 62, "the FFT datapath needs more than 62 bits: lower XFRAC/SFRAC/TBITS")


def geometry(params: dict) -> dict[str, int]:
    """P (output blocks), QX, QH, Q (input blocks), QG = Q/PE, NPASS, NL (gate lanes), LK."""
    p = params
    k = p["K"]
    qx, qh = p["INPUT"] // k, p["HIDDEN"] // k
    return {"P": qh, "QX": qx, "QH": qh, "Q": qx + qh, "QG": (qx + qh) // p["PE"],
            "NPASS": 1 + p["CELL"], "NL": 2 if p["CELL"] else 4, "LK": k.bit_length() - 1}


def widths(params: dict) -> dict[str, int]:
    """The FFT datapath's widths (see the module docstring)."""
    p = params
    g = geometry(p)
    xb = p["ABITS"] + p["XFRAC"] + g["LK"] + 1
    sb = p["WBITS"] + g["LK"] + p["SFRAC"]
    pb = xb + sb + 1
    ab = pb + max(1, math.ceil(math.log2(g["Q"]))) + 1
    return {"XB": xb, "SB": sb, "PB": pb, "AB": ab, "IB": ab + g["LK"] + 1}


def cycles_per_item(params: dict) -> int:
    """The folding bound on cycles per time step: NPASS * (HIDDEN/K) * ((INPUT+HIDDEN)/K) / PE."""
    p = resolve(params)
    g = geometry(p)
    return g["NPASS"] * g["P"] * g["QG"]


def weight_bits(params: dict) -> dict[str, int]:
    """Weight memory in bits: dense layer, circulant (direct), stored spectra (FFT), biases."""
    p = resolve(params)
    g = geometry(p)
    ng = 3 if p["CELL"] else 4
    blocks = ng * g["P"] * g["Q"]
    return {"dense": ng * p["HIDDEN"] * (p["INPUT"] + p["HIDDEN"]) * p["WBITS"],
            "direct": blocks * p["K"] * p["WBITS"],
            "fft": blocks * p["K"] * widths(p)["SB"],
            "bias": ng * p["HIDDEN"] * p["ACCBITS"]}


def acc_bits_needed(params: dict) -> int:
    """Accumulator bits for which ``bias + dot`` (|bias| <= 2**FA) never wraps (direct)."""
    p = resolve(params)
    terms = p["INPUT"] + p["HIDDEN"]
    bound = terms * 2 ** (p["WBITS"] - 1) * 2 ** (p["ABITS"] - 1) + 2 ** (p["WBITS"] + p["ABITS"] - 2)
    return int(math.ceil(math.log2(bound + 1))) + 1


# --------------------------------------------------------------------------- circulant algebra
def circulant_index(k: int) -> np.ndarray:
    """C[r, c] = (r - c) mod k: block W = w[C]."""
    r = np.arange(k)
    return (r[:, None] - r[None, :]) % k


def dot_direct(w: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Exact block-circulant product: w[P, Q, K] (ints), u[Q*K] -> y[P*K]."""
    P, Q, K = w.shape
    blocks = w[:, :, circulant_index(K)]                      # [P, Q, K, K]
    return np.einsum("pqrc,qc->pr", blocks, np.asarray(u, dtype=np.int64).reshape(Q, K)).reshape(P * K)


def _bitrev(k: int) -> np.ndarray:
    lk = k.bit_length() - 1
    return np.array([int(format(n, f"0{lk}b")[::-1], 2) if lk else 0 for n in range(k)])


def twiddles(params: dict) -> tuple[np.ndarray, np.ndarray]:
    """(re, im) of TW[i], i = 0..max(1, K/2)-1, s[TBITS].[TBITS-2]."""
    k, tb = params["K"], params["TBITS"]
    i = np.arange(max(1, k // 2))
    return (fixed.quantize(np.cos(2 * np.pi * i / k), tb - 2),
            fixed.quantize(-np.sin(2 * np.pi * i / k), tb - 2))


def fft_fixed(re: np.ndarray, im: np.ndarray, params: dict, inverse: bool = False):
    """The fixed-point radix-2 DIT FFT of the module docstring over the last axis (length K),
    on already scaled integer inputs in natural order; returns (re, im) in natural order."""
    k, tb = params["K"], params["TBITS"]
    twr, twi = twiddles(params)
    if inverse:
        twi = -twi
    rev = _bitrev(k)
    ar = np.array(np.asarray(re, dtype=np.int64)[..., rev])
    ai = np.array(np.asarray(im, dtype=np.int64)[..., rev])
    m = 2
    while m <= k:
        h = m // 2
        for j in range(0, k, m):
            for t in range(h):
                wr, wi = twr[t * (k // m)], twi[t * (k // m)]
                br, bi = ar[..., j + t + h], ai[..., j + t + h]
                tr = fixed.shr_round(br * wr - bi * wi, tb - 2)
                ti = fixed.shr_round(br * wi + bi * wr, tb - 2)
                xr, xi = ar[..., j + t].copy(), ai[..., j + t].copy()
                ar[..., j + t], ai[..., j + t] = xr + tr, xi + ti
                ar[..., j + t + h], ai[..., j + t + h] = xr - tr, xi - ti
        m *= 2
    return ar, ai


def pack_spectrum(sr: np.ndarray, si: np.ndarray) -> np.ndarray:
    """Bins 0..K/2 (last axis) -> the K stored values [Re 0..K/2, Im 1..K/2-1]."""
    half = sr.shape[-1] - 1
    if half == 0:
        return sr[..., :1]
    return np.concatenate([sr, si[..., 1:half]], axis=-1)


def unpack_spectrum(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    k = packed.shape[-1]
    half = k // 2
    sr = packed[..., :half + 1]
    si = np.zeros_like(sr)
    if half > 1:
        si[..., 1:half] = packed[..., half + 1:]
    return sr, si


def spectra(w: np.ndarray, params: dict) -> np.ndarray:
    """Stored weight spectra of blocks w[..., K]: packed, SBITS, SFRAC fraction bits."""
    k = params["K"]
    f = np.fft.fft(np.asarray(w, dtype=np.float64), axis=-1)[..., :k // 2 + 1]
    sb = widths(params)["SB"]
    sr = fixed.sat(fixed.quantize(f.real, params["SFRAC"]), sb)
    si = fixed.sat(fixed.quantize(f.imag, params["SFRAC"]), sb)
    return pack_spectrum(sr, si)


def _check(v: np.ndarray, bits: int, what: str) -> None:
    if v.size and (v.max() >= (1 << (bits - 1)) or v.min() < -(1 << (bits - 1))):
        raise AssertionError(f"ernn: {what} exceeds its documented width of {bits} bits")


def fft_input(u: np.ndarray, params: dict) -> tuple[np.ndarray, np.ndarray]:
    """Forward FFT of the input blocks u[Q*K] -> (re, im)[Q, K/2+1]."""
    k = params["K"]
    blocks = np.asarray(u, dtype=np.int64).reshape(-1, k) << params["XFRAC"]
    xr, xi = fft_fixed(blocks, np.zeros_like(blocks), params)
    xb = widths(params)["XB"]
    _check(xr, xb, "forward FFT data")
    _check(xi, xb, "forward FFT data")
    return xr[:, :k // 2 + 1], xi[:, :k // 2 + 1]


def fft_dot(spec: np.ndarray, u: np.ndarray, params: dict, xs=None) -> np.ndarray:
    """FFT datapath product: packed spectra spec[P, Q, K], u[Q*K] -> dot[P*K] (ints)."""
    k = params["K"]
    wd = widths(params)
    xr, xi = fft_input(u, params) if xs is None else xs
    sr, si = unpack_spectrum(np.asarray(spec, dtype=np.int64))      # [P, Q, K/2+1]
    pr = xr[None] * sr - xi[None] * si
    pi = xr[None] * si + xi[None] * sr
    _check(pr, wd["PB"], "spectral product")
    _check(pi, wd["PB"], "spectral product")
    ar, ai = pr.sum(axis=1), pi.sum(axis=1)                          # [P, K/2+1]
    _check(ar, wd["AB"], "spectral accumulator")
    _check(ai, wd["AB"], "spectral accumulator")
    half = k // 2
    if half:
        br = np.concatenate([ar, ar[:, 1:half][:, ::-1]], axis=1)
        bi = np.concatenate([ai, -ai[:, 1:half][:, ::-1]], axis=1)
    else:
        br, bi = ar, ai
    yr, yi = fft_fixed(br, bi, params, inverse=True)
    _check(yr, wd["IB"], "inverse FFT data")
    _check(yi, wd["IB"], "inverse FFT data")
    lk = geometry(params)["LK"]
    return fixed.shr_round(yr, lk + params["XFRAC"] + params["SFRAC"]).reshape(-1)


def fft_dot_bound(w: np.ndarray, params: dict) -> np.ndarray:
    """A rigorous bound on |fft_dot - dot_direct| (in accumulator LSBs) per output block
    [P], for any input with |u| <= 2**(ABITS-1), for the blocks w[P, Q, K] of one gate.

    Derivation: a butterfly stage computes a' = a +- round(b*w_q). With e the error of the
    stage's input (against the exact FFT), M a bound on its magnitude and eps the twiddles'
    largest quantisation error, the output error is <= e*(2+eps) + M*eps + sqrt(2)/2 and
    the magnitude bound doubles; stages of span 2 and 4 use only the exact twiddles 1 and
    -j (output error 2e). The forward FFT starts exact (e = 0, M = 2**(A-1+XFRAC)). A
    product X_q*S_q differs from X*DFT(w)*2**SFRAC by <= eX*|S_q| + MX*|S_q - S| (the
    actual rounding of each stored spectrum value); these add over q. The inverse FFT
    starts with that error and a magnitude bound of sum_q (MX+eX)*|S_q|; its result divided
    by K*2**(XFRAC+SFRAC), plus 1/2 for the final rounding, bounds the dot error."""
    k, lk = params["K"], geometry(params)["LK"]
    twr, twi = twiddles(params)
    i = np.arange(len(twr))
    scale = float(1 << (params["TBITS"] - 2))
    eps = float(np.max(np.abs((twr + 1j * twi) / scale - np.exp(-2j * np.pi * i / k)))) if k > 1 else 0.0
    r = math.sqrt(2) / 2

    def stages(e: float, m: float) -> tuple[float, float]:
        for s in range(1, lk + 1):
            if s <= 2:
                e, m = 2 * e, 2 * m
            else:
                e, m = e * (2 + eps) + m * eps + r, 2 * m * (1 + eps) + r
        return e, m

    m0 = float(2 ** (params["ABITS"] - 1 + params["XFRAC"]))
    ex, mx = stages(0.0, m0)
    spec = spectra(w, params)
    sr, si = unpack_spectrum(spec)
    exact = np.fft.fft(np.asarray(w, dtype=np.float64), axis=-1)[..., :k // 2 + 1] * 2.0 ** params["SFRAC"]
    smag = np.hypot(sr, si)                                          # [P, Q, K/2+1]
    squant = np.abs(sr + 1j * si - exact)
    e_a = (ex * smag + mx * squant).sum(axis=1).max(axis=1)          # [P]
    m_a = ((mx + ex) * smag).sum(axis=1).max(axis=1)
    out = []
    for ea, ma in zip(e_a, m_a):
        e, _ = stages(float(ea), float(ma))
        out.append(e / (k * 2 ** (params["XFRAC"] + params["SFRAC"])) + 0.5)
    return np.array(out)


# --------------------------------------------------------------------------- weights
class Weights:
    """Integer weights: w[NG, P, Q, K] (block vectors over [x; h]) and bias[NG, HIDDEN]."""

    def __init__(self, w: np.ndarray, bias: np.ndarray):
        self.w = np.asarray(w, dtype=np.int64)
        self.bias = np.asarray(bias, dtype=np.int64)
        self._spec = None

    def spectra(self, params: dict) -> np.ndarray:
        if self._spec is None:
            self._spec = spectra(self.w, params)
        return self._spec


def random_weights(params: dict, seed: int = 1, scale: float = 1.0, edge: bool = True) -> Weights:
    """Seeded random weights (uniform over scale * the WBITS range). With ``edge``, the
    biases of units 0 and 1 drive the accumulator, the cell state and h into saturation."""
    p = resolve(params)
    g = geometry(p)
    rng = np.random.default_rng(seed)
    ng = 3 if p["CELL"] else 4
    lim = max(1, int(round(scale * (1 << (p["WBITS"] - 1)))))
    w = rng.integers(-lim, min(lim, (1 << (p["WBITS"] - 1)) - 1) + 1, size=(ng, g["P"], g["Q"], p["K"]))
    one = 1 << (p["WBITS"] + p["ABITS"] - 2)
    bias = rng.integers(-one // 2, one // 2 + 1, size=(ng, p["HIDDEN"]))
    if edge:
        big = min((1 << (p["ACCBITS"] - 1)) - 1, 64 * one)
        if p["CELL"] == 0:
            bias[:, 0] = [big, big, big, big]
            if p["HIDDEN"] > 1:
                bias[:, 1] = [big, big, -big, big]
        else:
            bias[:, 0] = [big, big, big]
            if p["HIDDEN"] > 1:
                bias[:, 1] = [big, -big, -big]
    return Weights(w, fixed.wrap(bias, p["ACCBITS"]))


# --------------------------------------------------------------------------- fixed point
def _dot(w: Weights, gate: int, u: np.ndarray, p: dict, xs=None) -> np.ndarray:
    if p["FFT"]:
        return fft_dot(w.spectra(p)[gate], u, p, xs)
    return dot_direct(w.w[gate], u)


def run_sequence(x: np.ndarray, w: Weights, params: dict, trace: dict | None = None) -> np.ndarray:
    """Run one sequence x[T, INPUT] (ints, s[ABITS]) from h = c = 0; returns h[T, HIDDEN]."""
    p = resolve(params)
    H, A, G, C, L = p["HIDDEN"], p["ABITS"], p["GBITS"], p["CBITS"], p["LUTBITS"]
    fa = p["WBITS"] + A - 2
    sig, tnh = fixed.sigmoid_table(L, G), fixed.tanh_table(L, G)
    x = np.asarray(x, dtype=np.int64)
    out = np.zeros((x.shape[0], H), dtype=np.int64)
    h = np.zeros(H, dtype=np.int64)
    c = np.zeros(H, dtype=np.int64)

    def acc(gate: int, u: np.ndarray) -> np.ndarray:
        a = fixed.wrap(w.bias[gate] + _dot(w, gate, u, p), p["ACCBITS"])
        if trace is not None:
            trace.setdefault("acc", []).append(a)
        return fixed.table_address(a, fa, L)

    for t in range(x.shape[0]):
        u = np.concatenate([x[t], h])
        if p["CELL"] == 0:
            gi, gf, gg, go = sig[acc(0, u)], sig[acc(1, u)], tnh[acc(2, u)], sig[acc(3, u)]
            c = fixed.sat(((gf * c) >> G) + ((gi * gg) >> (2 * G - (C - 4))), C)
            tc = tnh[(c >> (C - L)) + (1 << (L - 1))]
            h = fixed.sat(fixed.shr_round(go * tc, 2 * G - (A - 1)), A)
            if trace is not None:
                trace.setdefault("c", []).append(c.copy())
        else:
            z, r = sig[acc(0, u)], sig[acc(1, u)]
            rh = fixed.shr_round(r * h, G)
            n = tnh[acc(2, np.concatenate([x[t], rh]))]
            hg = h << (G - (A - 1))
            h = fixed.sat(fixed.shr_round((hg << G) + z * (n - hg), 2 * G - (A - 1)), A)
        out[t] = h
    return out


# --------------------------------------------------------------------------- float reference
def dense_matrices(w: Weights, params: dict) -> np.ndarray:
    """Circulant blocks expanded to full matrices [NG, HIDDEN, INPUT+HIDDEN] (block column c
    of a circulant block is w rolled by c), real weights."""
    p = resolve(params)
    ng, P, Q, K = w.w.shape
    out = np.zeros((ng, P * K, Q * K))
    for gate in range(ng):
        for i in range(P):
            for j in range(Q):
                block = np.stack([np.roll(w.w[gate, i, j], c) for c in range(K)], axis=1)
                out[gate, i * K:(i + 1) * K, j * K:(j + 1) * K] = block
    return out / float(1 << (p["WBITS"] - 1))


def _sg(v):
    return 1.0 / (1.0 + np.exp(-v))


def float_layer(x: np.ndarray, w: Weights, params: dict, trace: dict | None = None) -> np.ndarray:
    """The same layer in float64 with dense matrices, exact sigmoid/tanh and no quantisation
    of gates, state or h (inputs and weights are the dequantised integers). h[T, HIDDEN]."""
    p = resolve(params)
    wd = dense_matrices(w, p)
    b = w.bias / float(1 << (p["WBITS"] + p["ABITS"] - 2))
    xs = np.asarray(x, dtype=np.float64) / (1 << (p["ABITS"] - 1))
    return float_layer_real(xs, wd, b, p["CELL"], p["INPUT"], trace)


def float_layer_real(xs: np.ndarray, wd: np.ndarray, b: np.ndarray, cell: int, n_in: int,
                     trace: dict | None = None) -> np.ndarray:
    """Float LSTM (cell 0) / GRU (cell 1) over real inputs xs[T, I] with dense weights
    wd[NG, H, I+H] (columns: x then h) and biases b[NG, H]."""
    H = wd.shape[1]
    h, c = np.zeros(H), np.zeros(H)
    out = np.zeros((xs.shape[0], H))
    for t in range(xs.shape[0]):
        u = np.concatenate([xs[t], h])
        if cell == 0:
            a = wd @ u + b
            i, f, g, o = _sg(a[0]), _sg(a[1]), np.tanh(a[2]), _sg(a[3])
            c = f * c + i * g
            h = o * np.tanh(c)
            if trace is not None:
                for key, v in (("i", i), ("f", f), ("g", g), ("o", o), ("c", c), ("tc", np.tanh(c))):
                    trace.setdefault(key, []).append(v)
        else:
            z = _sg(wd[0] @ u + b[0])
            r = _sg(wd[1] @ u + b[1])
            n = np.tanh(wd[2, :, :n_in] @ xs[t] + wd[2, :, n_in:] @ (r * h) + b[2])
            if trace is not None:
                for key, v in (("z", z), ("r", r), ("n", n), ("hprev", h)):
                    trace.setdefault(key, []).append(v)
            h = (1 - z) * h + z * n
        out[t] = h
    return out


def error_bound(x: np.ndarray, w: Weights, params: dict) -> np.ndarray:
    """A bound on |run_sequence / 2**(ABITS-1) - float_layer| per step and unit [T, HIDDEN].

    First-order-free: every error is propagated with the functions' Lipschitz constants
    (sigmoid 1/4, tanh 1) along the float trajectory, whose values bound the fixed ones up
    to the errors themselves. Sources: table entries (max deviation of the actual tables),
    table index flooring and clamping to [-8, 8), the FFT dot (:func:`fft_dot_bound`),
    the floor of the cell update (2 * 2**-CF), the rounding and saturation of h and r*h
    (one LSB of h), and the recurrent weights' absolute row sums times the h error.
    Valid while the accumulator does not wrap. Where |c| + its bound may reach 8 (the
    cell saturates) or the bound exceeds 2 (|h| <= 1 on both sides), it is 2: no
    information. It is a worst case: with a recurrent gain above about 1 it grows
    geometrically over the steps."""
    p = resolve(params)
    A, G, L, C = p["ABITS"], p["GBITS"], p["LUTBITS"], p["CBITS"]
    fa = p["WBITS"] + A - 2
    step = 2.0 ** -(L - 4)
    xin = fixed.lut_inputs(L)
    e_sig = np.max(np.abs(fixed.sigmoid_table(L, G) / 2.0 ** G - _sg(xin)))
    e_tanh = np.max(np.abs(fixed.tanh_table(L, G) / 2.0 ** G - np.tanh(xin)))
    e_sig += max(step / 4, 1 - _sg(8 - step))      # index floor, clamp at the range ends
    e_tanh_c = e_tanh + step                        # tanh(c): floor only (c in [-8, 8))
    e_tanh += max(step, 1 - np.tanh(8 - step))
    lsb = 2.0 ** -(A - 1)
    wd = dense_matrices(w, p)
    urow = np.abs(wd[:, :, p["INPUT"]:])            # recurrent parts [NG, H, H]
    if p["FFT"]:
        per_block = np.stack([fft_dot_bound(wg, p) for wg in w.w])   # [NG, P]
        dfft = np.repeat(per_block, p["K"], axis=1) / 2.0 ** fa
    else:
        dfft = np.zeros((wd.shape[0], p["HIDDEN"]))
    tr: dict = {}
    float_layer(x, w, p, tr)
    T = np.asarray(x).shape[0]
    out = np.zeros((T, p["HIDDEN"]))
    dh = np.zeros(p["HIDDEN"])
    dc = np.zeros(p["HIDDEN"])
    for t in range(T):
        da = dfft + urow @ dh                        # [NG, H]
        if p["CELL"] == 0:
            di, df, dg, do = (e_sig + da[0] / 4, e_sig + da[1] / 4, e_tanh + da[2], e_sig + da[3] / 4)
            i, f, g, o, c, tc = (tr[k][t] for k in ("i", "f", "g", "o", "c", "tc"))
            cprev = tr["c"][t - 1] if t else np.zeros_like(c)
            dc = df * (np.abs(cprev) + dc) + f * dc + di * (np.abs(g) + dg) + i * dg + 2.0 ** (1 - (C - 4))
            dc = np.where(np.abs(c) + dc < 8, dc, 16.0)   # saturation possible: no bound
            dtc = e_tanh_c + dc
            dh = np.minimum(do * (np.abs(tc) + dtc) + o * dtc + lsb, 2.0)
        else:
            z, r, n, hp = (tr[k][t] for k in ("z", "r", "n", "hprev"))
            dz, dr = e_sig + da[0] / 4, e_sig + da[1] / 4
            drh = dr * (np.abs(hp) + dh) + r * dh + lsb / 2
            dn = e_tanh + dfft[2] + urow[2] @ drh
            dh = np.minimum((1 - z) * dh + z * dn + dz * (np.abs(n - hp) + dn + dh) + lsb, 2.0)
        out[t] = dh
    return out


# --------------------------------------------------------------------------- vectors
def sequences(params: dict, seed: int = 1) -> list[np.ndarray]:
    """Test sequences: random, all-zero, all-ones bit pattern (-1 LSB), full-scale
    alternating +max/-max (saturation), a single step."""
    p = resolve(params)
    rng = np.random.default_rng(seed + 1000)
    T, I, A = p["SEQLEN"], p["INPUT"], p["ABITS"]
    lo, hi = -(1 << (A - 1)), (1 << (A - 1)) - 1
    half = max(1, T // 2)
    alt = np.where((np.arange(T)[:, None] + np.arange(I)[None, :]) % 2 == 0, hi, lo)
    return [rng.integers(lo, hi + 1, size=(T, I)), np.zeros((half, I), dtype=np.int64),
            np.full((half, I), -1, dtype=np.int64), alt.astype(np.int64),
            rng.integers(lo, hi + 1, size=(1, I))]


def rom_words(w: Weights, params: dict) -> tuple[np.ndarray, np.ndarray]:
    """ROM contents in hardware layout: weights [NPASS*P*QG, NL, PE, K] (w or packed
    spectra), biases [NPASS*P, NL, K]."""
    p = resolve(params)
    g = geometry(p)
    P, QG, NL, PE, K = g["P"], g["QG"], g["NL"], p["PE"], p["K"]
    src = w.spectra(p) if p["FFT"] else w.w                          # [NG, P, Q, K]
    lanes = [[0, 1, 2, 3]] if p["CELL"] == 0 else [[0, 1], [2, None]]
    wr = np.zeros((g["NPASS"], P, QG, NL, PE, K), dtype=np.int64)
    br = np.zeros((g["NPASS"], P, NL, K), dtype=np.int64)
    for ps, gates in enumerate(lanes):
        for lane, gate in enumerate(gates):
            if gate is None:
                continue
            wr[ps, :, :, lane] = src[gate].reshape(P, QG, PE, K)
            br[ps, :, lane] = w.bias[gate].reshape(P, K)
    return wr.reshape(-1, NL, PE, K), br.reshape(-1, NL, K)


def write_vectors(outdir: pathlib.Path, params: dict, seed: int = 1) -> int:
    """Write the ROMs, tables, twiddles and test vectors into ``outdir``; returns the
    number of steps (= output beats)."""
    p = resolve(params)
    outdir = pathlib.Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    w = random_weights(p, seed)
    wr, br = rom_words(w, p)
    wbits = widths(p)["SB"] if p["FFT"] else p["WBITS"]

    def lines(name: str, rows) -> None:
        (outdir / name).write_text("".join(r + "\n" for r in rows))

    lines("ernn_w.hex", (fixed.hex_word(r, wbits) for r in wr))
    lines("ernn_bias.hex", (fixed.hex_word(r, p["ACCBITS"]) for r in br))
    lines("ernn_sigmoid.hex", (fixed.hex_word([v], p["GBITS"]) for v in
                               fixed.sigmoid_table(p["LUTBITS"], p["GBITS"])))
    lines("ernn_tanh.hex", (fixed.hex_word([v], p["GBITS"] + 1) for v in
                            fixed.tanh_table(p["LUTBITS"], p["GBITS"])))
    twr, twi = twiddles(p)
    lines("ernn_twiddle.hex", (fixed.hex_word([a, b], p["TBITS"]) for a, b in zip(twr, twi)))
    ins, lasts, outs = [], [], []
    for x in sequences(p, seed):
        y = run_sequence(x, w, p)
        for t in range(x.shape[0]):
            ins.append(fixed.hex_word(x[t], p["ABITS"]))
            lasts.append("1" if t == x.shape[0] - 1 else "0")
            outs.append(fixed.hex_word(y[t], p["ABITS"]))
    lines("ernn_in.hex", ins)
    lines("ernn_last.hex", lasts)
    lines("ernn_out.hex", outs)
    lines("ernn_count.hex", [format(len(ins), "08x"), format(lasts.count("1"), "08x")])
    # the shared stream testbench (cores/common/tb/stream_tb.v): one beat an item, the
    # sequence's last flag as the top bit of both the input and the expected output beat
    xw, hw = p["INPUT"] * p["ABITS"], p["HIDDEN"] * p["ABITS"]
    lines("in.txt", [str(len(ins))] + [format(int(v, 16) | (int(l) << xw), "x") for v, l in zip(ins, lasts)])
    lines("exp.txt", [format(int(v, 16) | (int(l) << hw), "x") for v, l in zip(outs, lasts)])
    lines("ernn_params.txt", (f"{k}={v}" for k, v in p.items()))
    (outdir / "ernn_params.h").write_text(_c_header(p, wr, br, twr, twi))
    return len(ins)


def _c_header(p: dict, wr: np.ndarray, br: np.ndarray, twr: np.ndarray, twi: np.ndarray) -> str:
    """The ROMs, tables and twiddles as C arrays for the HLS C++ (cores/ernn/hls)."""
    def arr(name: str, values: np.ndarray) -> str:
        dims = "".join(f"[{n}]" for n in values.shape)
        ctype = "int32_t" if np.abs(values).max(initial=0) < 2 ** 31 else "int64_t"
        return f"static const {ctype} {name}{dims} = {{{','.join(str(int(v)) for v in values.ravel())}}};\n"

    out = ["// generated by fpgaflow.models.ernn -- do not edit\n",
           "#ifndef ERNN_PARAMS_H\n#define ERNN_PARAMS_H\n#include <stdint.h>\n"]
    out += [f"#define ERNN_GEN_{k} {v}\n" for k, v in p.items()]
    out += [arr("ERNN_W", wr), arr("ERNN_BIAS", br),
            arr("ERNN_SIGMOID", fixed.sigmoid_table(p["LUTBITS"], p["GBITS"])),
            arr("ERNN_TANH", fixed.tanh_table(p["LUTBITS"], p["GBITS"])),
            arr("ERNN_TWR", twr), arr("ERNN_TWI", twi), "#endif\n"]
    return "".join(out)


# --------------------------------------------------------------------------- CLI
def check(params: dict) -> None:
    """The target's values the RTL cannot build (names the model does not take are passed
    over): ``ValueError``."""
    resolve(_cli.known(PARAMETERS, params))


def main(argv: list[str] | None = None) -> int:
    """``vectors OUTDIR -P NAME=VALUE``, ``check``, ``cycles``, ``params`` and ``memory``
    (the weight memory figures): :mod:`fpgaflow.models._cli`."""
    return _cli.main(argv, prog="fpgaflow.models.ernn", names=PARAMETERS,
                     write_vectors=write_vectors, cycles_per_item=cycles_per_item, check=check,
                     extra={"memory": lambda p: " ".join(f"{k}={v}"
                                                         for k, v in weight_bits(p).items())})


if __name__ == "__main__":
    sys.exit(main())
