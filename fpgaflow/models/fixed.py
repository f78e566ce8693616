"""Fixed-point helpers shared by the bit-exact models (two's complement on int64 arrays).

Every function states its rounding: ``wrap`` and ``sat`` narrow a value to ``bits``,
``shr_round`` is an arithmetic right shift with round half up (toward +inf on ties),
``quantize`` rounds a real value half up. The activation tables are those of the
FINN-L-style LUT units: a table over [-8, 8) addressed by ``LUTBITS`` bits.
"""

from __future__ import annotations

import numpy as np


def wrap(x, bits: int) -> np.ndarray:
    """Two's-complement wrap of integers to ``bits``."""
    x = np.asarray(x, dtype=np.int64)
    m = np.int64(1) << bits
    return ((x + (m >> 1)) & (m - 1)) - (m >> 1)


def sat(x, bits: int) -> np.ndarray:
    """Saturate integers to the signed range of ``bits``."""
    return np.clip(np.asarray(x, dtype=np.int64), -(1 << (bits - 1)), (1 << (bits - 1)) - 1)


def shr_round(x, s: int) -> np.ndarray:
    """``round_half_up(x / 2**s)`` for integers (``s`` may be 0; negative s shifts left)."""
    x = np.asarray(x, dtype=np.int64)
    if s <= 0:
        return x << (-s)
    return (x + (np.int64(1) << (s - 1))) >> s


def quantize(v, frac: int) -> np.ndarray:
    """``round_half_up(v * 2**frac)`` of real values, as integers."""
    return np.floor(np.asarray(v, dtype=np.float64) * float(1 << frac) + 0.5).astype(np.int64)


def lut_inputs(lutbits: int) -> np.ndarray:
    """Real input of each table entry in address order (address = index + 2**(lutbits-1))."""
    n = 1 << lutbits
    return (np.arange(n, dtype=np.int64) - (n >> 1)) / float(1 << (lutbits - 4))


def sigmoid_table(lutbits: int, gbits: int) -> np.ndarray:
    """u[G].[G]: min(round(2**G * sigmoid(x)), 2**G - 1) at every table input x."""
    v = quantize(1.0 / (1.0 + np.exp(-lut_inputs(lutbits))), gbits)
    return np.minimum(v, (1 << gbits) - 1)


def tanh_table(lutbits: int, gbits: int) -> np.ndarray:
    """s[G+1].[G]: clip(round(2**G * tanh(x)), -(2**G - 1), 2**G - 1)."""
    v = quantize(np.tanh(lut_inputs(lutbits)), gbits)
    return np.clip(v, -((1 << gbits) - 1), (1 << gbits) - 1)


def table_address(acc, frac: int, lutbits: int) -> np.ndarray:
    """Accumulator with ``frac`` fraction bits -> table address: the index
    s[LUTBITS].[LUTBITS-4] is ``acc >> (frac - LF)`` (floor) or ``acc << (LF - frac)``,
    saturated, then offset by 2**(LUTBITS-1)."""
    lf = lutbits - 4
    acc = np.asarray(acc, dtype=np.int64)
    scaled = acc >> (frac - lf) if frac >= lf else acc << (lf - frac)
    return sat(scaled, lutbits) + (1 << (lutbits - 1))


def hex_word(fields, bits: int) -> str:
    """Fields (field 0 least significant) of ``bits`` each, packed into a hex string."""
    flat = [int(v) for v in np.ravel(fields)]
    value = 0
    mask = (1 << bits) - 1
    for f in reversed(flat):
        value = (value << bits) | (f & mask)
    return format(value, f"0{max(1, (len(flat) * bits + 3) // 4)}x")


def hex_fields(word: str, bits: int, n: int) -> list[int]:
    """The inverse of :func:`hex_word`: n signed fields of ``bits`` each."""
    value = int(word, 16)
    mask = (1 << bits) - 1
    out = []
    for _ in range(n):
        f = value & mask
        out.append(f - (1 << bits) if f >> (bits - 1) else f)
        value >>= bits
    return out
