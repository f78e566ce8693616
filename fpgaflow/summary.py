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
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import FpgaflowError

SCHEMA = "fpgaflow.summary/1"
STATUSES = ("passed", "failed", "incomplete", "timing-failed")
RESOURCE_KEYS = ("lut", "ff", "dsp", "bram", "uram", "lutram", "carry", "io")
SECTIONS = ("resources", "timing", "power", "hls", "sim")


class SummaryError(FpgaflowError):
    """A summary file that cannot be read or does not follow the contract (exit 2)."""


def resource_pct(entry: dict[str, Any]) -> float | None:
    """Percentage of the device used by one resource entry, or None when unknown."""
    used, avail = entry.get("used"), entry.get("available")
    if used is None or not avail:
        return None
    return 100.0 * float(used) / float(avail)


def find(path: str | os.PathLike) -> Path:
    """The summary.json for a path that is a summary file or a build directory."""
    p = Path(path)
    if p.is_dir():
        p = p / "summary.json"
    return p


def load(path: str | os.PathLike) -> dict[str, Any]:
    """Read and check a summary (a file, or a build directory holding summary.json)."""
    p = find(path)
    if not p.exists():
        raise SummaryError("no summary here", file=str(p),
                           hint="give a summary.json or a build directory that holds one")
    try:
        data = json.loads(p.read_text())
    except (OSError, UnicodeDecodeError) as exc:
        raise SummaryError(f"cannot read: {exc}", file=str(p)) from None
    except json.JSONDecodeError as exc:
        raise SummaryError(f"not valid JSON: {exc.msg}", file=str(p), line=exc.lineno) from None
    problems = check(data)
    if problems:
        raise SummaryError("not a fpgaflow summary: " + "; ".join(problems), file=str(p))
    data.setdefault("_path", str(p))
    return data


def check(data: Any) -> list[str]:
    """Contract violations in a summary object (empty list when it is fine)."""
    if not isinstance(data, dict):
        return ["top level is not an object"]
    problems = []
    if data.get("schema") != SCHEMA:
        problems.append(f"schema is {data.get('schema')!r}, expected {SCHEMA!r}")
    if data.get("status") not in STATUSES:
        problems.append(f"status is {data.get('status')!r}, expected one of {', '.join(STATUSES)}")
    res = data.get("resources", {})
    if not isinstance(res, dict):
        problems.append("resources is not an object")
    else:
        for key, entry in res.items():
            if key not in RESOURCE_KEYS:
                problems.append(f"unknown resource key {key!r}")
            elif not isinstance(entry, dict) or "used" not in entry:
                problems.append(f"resources.{key} has no 'used'")
    timing = data.get("timing")
    if timing is not None and not isinstance(timing, dict):
        problems.append("timing is not an object")
    return problems


def write(path: str | os.PathLike, summary: dict[str, Any]) -> Path:
    """Write a summary atomically (never a half-written file, even on Ctrl-C)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    clean = {k: v for k, v in summary.items() if not k.startswith("_")}
    fd, tmp = tempfile.mkstemp(prefix=".summary.", dir=p.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(clean, fh, indent=2, sort_keys=False)
            fh.write("\n")
        os.replace(tmp, p)
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
