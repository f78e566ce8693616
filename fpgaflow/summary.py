"""The summary contract (`summary.json`, schema ``fpgaflow.summary/1``).

A summary is a plain JSON object; this module owns its shape. Parsers produce *partial*
summaries (only the sections they know about), ``merge`` folds them together, and
``write`` stores the result atomically. Everything downstream (render, gate, compare,
sweep) reads summaries through ``load`` and never opens a tool report.

Rules (DESIGN.md):
- a section or value a flow cannot produce is *absent*, never zero;
- units are fixed by the key: ``_ns``, ``_mhz``, ``_w``, ``bits``;
- resource keys are canonical, ``unit`` keeps the native primitive (LUT4 is not LUT6);
- ``status`` is one of STATUSES.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import FpgaflowError


# the names the schema (fpgaflow/schemas/summary.py, pydantic) and its readers share; the
# pydantic model itself is imported when a summary is validated, not by every reader
SCHEMA = "fpgaflow.summary/1"
STATUSES = ("passed", "failed", "incomplete", "timing-failed")
RESOURCE_KEYS = ("lut", "ff", "dsp", "bram", "uram", "lutram", "carry", "io")
SECTIONS = ("resources", "timing", "power", "hls", "sim")
MAX_BYTES = 64 << 20


class SummaryError(FpgaflowError):
    """A summary file that cannot be read or does not follow the contract (exit 2)."""


def resource_pct(entry: dict[str, Any]) -> float | None:
    """Percentage of the device used by one resource entry, or None when unknown."""
    used, avail = entry.get("used"), entry.get("available")
    if used is None or not avail:
        return None
    return 100.0 * float(used) / float(avail)


def fit_note(summary: dict[str, Any]) -> str | None:
    """``does not fit: dsp 456 of 156 (292%); place-and-route would fail`` naming every resource
    a summary uses more of than the device has, or None when everything fits (or nothing says
    how much the device has). A synthesis tool does not fail on that, nor does the status
    (gate on ``dsp.pct <= 100``); the clause about place-and-route is there when the build has
    no pnr stage."""
    over = []
    for key in RESOURCE_KEYS:
        entry = summary.get("resources", {}).get(key)
        pct = resource_pct(entry) if isinstance(entry, dict) else None
        if pct is not None and pct > 100:
            share = f"{pct:.0f}%" if pct >= 101 else f"{pct:.1f}%"   # never '(100%)'
            over.append(f"{key} {_count(entry['used'])} of {_count(entry['available'])} ({share})")
    if not over:
        return None
    placed = any(st.get("name") == "pnr" for st in summary.get("stages", []))
    return "does not fit: " + ", ".join(over) + ("" if placed else "; place-and-route would fail")


def _count(v: Any) -> str:
    return f"{v:,.1f}" if isinstance(v, float) and not v.is_integer() else f"{int(v):,}"


def find(path: str | os.PathLike) -> Path:
    """The summary.json for a path that is a summary file or a build directory."""
    p = Path(path)
    if p.is_dir():
        p = p / "summary.json"
    return p


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def load(path: str | os.PathLike) -> dict[str, Any]:
    """Read and check a summary (a file, or a build directory holding summary.json)."""
    from . import yamlfile
    p = find(path)
    if not p.exists():
        raise SummaryError("no summary here", file=str(p),
                           hint="give a summary.json or a build directory that holds one")
    try:
        text = yamlfile.read_text(p, limit=MAX_BYTES, what="summary.json")
    except FpgaflowError as exc:
        raise SummaryError(exc.message, file=str(p)) from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise SummaryError(f"not valid JSON: {exc.msg}", file=str(p), line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:
        raise SummaryError(f"not valid JSON: {exc}", file=str(p)) from None
    validate(data, file=str(p))
    data.setdefault("_path", str(p))
    return data


def validate(data: Any, file: str | None = None) -> dict[str, Any]:
    """Check a summary object against the schema; a SummaryError names the first problem."""
    from .schemas import base
    from .schemas import summary as schema
    if not isinstance(data, dict):
        raise SummaryError("not a fpgaflow summary: top level is not an object", file=file)
    clean = {k: v for k, v in data.items() if not k.startswith("_")}
    if clean.get("schema") != SCHEMA:
        raise SummaryError(f"not a fpgaflow summary: schema is {base.short(clean.get('schema'))}, "
                           f"expected {SCHEMA!r}", file=file, key="schema")
    base.validate(schema.Summary, clean, file=file, error_class=SummaryError)
    return data


def check(data: Any) -> list[str]:
    """Contract violations in a summary object (empty list when it is fine)."""
    try:
        validate(data)
    except SummaryError as exc:
        return [f"{exc.key}: {exc.message}" if exc.key else exc.message]
    return []


def finite(value: Any) -> Any:
    """The value without NaN/Infinity (not JSON): such a number is absent, as a value a tool
    did not report is (an infinite Fmax of a design without paths says nothing)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()
                if not (isinstance(v, float) and not math.isfinite(v))}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def write(path: str | os.PathLike, summary: dict[str, Any]) -> Path:
    """Check and write a summary atomically (never a half-written file, even on Ctrl-C),
    readable as any file the user creates (the umask's mode, not mkstemp's 0600)."""
    p = Path(path)
    clean = finite({k: v for k, v in summary.items() if not k.startswith("_")})
    validate(clean, file=str(p))
    text = json.dumps(clean, indent=2, sort_keys=False, allow_nan=False) + "\n"
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".summary.", dir=p.parent)
    except OSError as exc:
        raise FpgaflowError(f"cannot write: {exc.strerror or exc}", file=str(p)) from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, p)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise FpgaflowError(f"cannot write: {exc.strerror or exc}", file=str(p)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p


def merge(base: dict[str, Any], *partials: dict[str, Any]) -> dict[str, Any]:
    """Fold partial summaries into ``base`` (later partials win, key by key).

    - ``resources``: per resource key, the later entry's fields override the earlier's;
    - ``timing.clocks``: merged by clock name;
    - ``tools``: appended, without duplicates;
    - ``sources``: per section, later wins;
    - other sections (``power``, ``hls``, ``sim``, ``device``...): shallow-merged.
    """
    out = json.loads(json.dumps(base))  # deep copy of plain JSON data
    for part in partials:
        for key, value in part.items():
            if value is None:
                continue
            if key == "resources":
                res = out.setdefault("resources", {})
                for rk, entry in value.items():
                    res[rk] = {**res.get(rk, {}), **entry}
            elif key == "timing":
                t = out.setdefault("timing", {})
                clocks = {c["name"]: c for c in t.get("clocks", [])}
                for c in value.get("clocks", []):
                    clocks[c["name"]] = {**clocks.get(c["name"], {}), **c}
                t.update({k: v for k, v in value.items() if k != "clocks"})
                if clocks:
                    t["clocks"] = list(clocks.values())
            elif key == "tools":
                tools = out.setdefault("tools", [])
                for tool in value:
                    if tool not in tools:
                        tools.append(tool)
            elif isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = {**out[key], **value}
            else:
                out[key] = value
    return out
