"""One device for the reports of one summary.

Tools print the same part differently (Vivado timing reports drop the ``xc`` prefix and the
speed grade: ``7z020-clg400`` for ``xc7z020clg400-1``). Two parts are the same device when
one, lower-cased without ``xc`` and dashes, is the start of the other; the most complete
spelling is kept, whatever order the reports came in. Reports of different devices are
refused: they describe different builds.
"""

from __future__ import annotations

import re
from typing import Any

from ._common import ReportError


def _key(part: str) -> str:
    s = re.sub(r"[\s\-_]", "", part.lower())
    return s[2:] if s.startswith("xc") else s


def same_device(a: str, b: str) -> bool:
    ka, kb = _key(a), _key(b)
    return bool(ka) and bool(kb) and (ka.startswith(kb) or kb.startswith(ka))


def one_part(parts: list[tuple[str, str]]) -> str | None:
    """``parts``: (file, part) of every report that names one. The most complete spelling,
    or a ReportError naming the files and devices when they are not all one device."""
    if not parts:
        return None
    best = max((p for _, p in parts), key=lambda p: (len(_key(p)), p.startswith("xc"), p))
    others = [(f, p) for f, p in parts if not same_device(p, best)]
    if others:
        groups: dict[str, list[str]] = {}
        for f, p in parts:
            groups.setdefault(p, []).append(f)
        listing = "; ".join(f"{p}: {', '.join(fs)}" for p, fs in groups.items())
        raise ReportError(f"these reports are of different devices ({listing})",
                          hint="give the reports of one build (one device) at a time")
    return best


def set_part(summary: dict[str, Any], partials: list[tuple[str, dict[str, Any]]]) -> None:
    """The device part of ``summary`` from ``partials`` (file, partial): order-independent."""
    part = one_part([(f, p["device"]["part"]) for f, p in partials
                     if isinstance(p.get("device"), dict)
                     and isinstance(p["device"].get("part"), str) and p["device"]["part"]])
    if part is not None:
        summary.setdefault("device", {})["part"] = part
