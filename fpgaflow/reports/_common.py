"""Helpers shared by the report parsers: the error type and number parsing."""

from __future__ import annotations

import math
import re

from ..errors import FpgaflowError


class ReportError(FpgaflowError):
    """A tool report that cannot be read: unknown kind, truncated, or a failed run (exit 2)."""


_NUM = re.compile(r"^[-+]?(\d[\d,]*)?(\.\d+)?([eE][-+]?\d+)?$")
# no tool prints a figure with more digits than this; longer ones are junk, not numbers (and
# int() refuses strings over 4,300 digits, float() of a long one is inf)
MAX_DIGITS = 30


def number(text: str) -> int | float | None:
    """``'1,234'`` → 1234, ``'5.5'`` → 5.5, ``'12 ns'`` → None (callers strip units first).

    Returns None for anything that is not a plain number (``NA``, ``-``, ``?``, ``''``)."""
    s = text.strip().rstrip("*").strip()
    if not s or len(s) > 2 * MAX_DIGITS or not _NUM.match(s) or not any(ch.isdigit() for ch in s):
        return None
    s = s.replace(",", "")
    try:
        if re.fullmatch(r"[-+]?\d+", s):
            return int(s)
        value = float(s)
    except ValueError:  # pragma: no cover - guarded by the regex
        return None
    return value if math.isfinite(value) else None


def count(text: str, what: str) -> int:
    """A count the regex already found to be digits (``\\d+``); a ReportError when it is
    longer than any real figure."""
    if len(text) > MAX_DIGITS:
        raise ReportError(f"{what}: a {len(text)}-digit number is not a count")
    return int(text)


def finite(value: float, what: str) -> float:
    """``value`` when it is a finite number, else a ReportError (summary.json is strict JSON:
    no NaN or Infinity)."""
    if not math.isfinite(value):
        raise ReportError(f"{what}: {value} is not a finite number")
    return value


def line_of(text: str, pos: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, pos) + 1


def check_text(text: object, what: str) -> str:
    """Refuse non-text and binary junk early with one clear message."""
    if not isinstance(text, str):
        raise ReportError(f"{what}: expected text, got {type(text).__name__}")
    if not text.strip():
        raise ReportError(f"{what}: the report is empty")
    if "\x00" in text[:4096]:
        raise ReportError(f"{what}: this is binary data, not a text report")
    return text
