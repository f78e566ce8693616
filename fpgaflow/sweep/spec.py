"""The sweep file: ``load`` (validated by ``schemas.sweep``, errors with file:line:key) into
``Sweep``, with its ``Objective`` s; ``Point`` is one combination of the matrix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import yamlfile
from ..errors import FpgaflowError
from ..schemas import base as schema_base
from ..schemas.base import short
from ..schemas import sweep as schema
from .expressions import ExprError, check_expression

KEYS = schema.KEYS
GOALS = ("min", "max")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_PARAM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class Objective:
    metric: str
    goal: str  # min | max


@dataclass
class Point:
    name: str
    axes: dict[str, Any]                 # the matrix/include values that make this point
    parameters: dict[str, Any]           # all parameters the sweep sets (axes + derived)
    board: str | None
    flow: str | None


@dataclass
class Sweep:
    path: Path
    name: str
    base: dict[str, Any]                 # the base recipe mapping
    base_path: Path                      # the base recipe file (or the sweep file when inline)
    matrix: dict[str, list]              # axis -> values, axes normalised (parameters.X, board, flow)
    include: list[dict[str, Any]] = field(default_factory=list)
    exclude: list[dict[str, Any]] = field(default_factory=list)
    derived: dict[str, str] = field(default_factory=dict)
    objectives: list[Objective] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # "derived.X" / "matrix" -> line



def _axis(key: str, err) -> str:
    """Normalise an axis name: parameters.X, board, flow."""
    if key in ("board", "flow"):
        return key
    if key.startswith("parameters.") and _PARAM.match(key[len("parameters."):]):
        return key
    raise err(f"unknown axis {short(key)}; expected parameters.NAME, board or flow")


def _scalar(v: Any) -> bool:
    return isinstance(v, (int, float, str, bool))


def load(path: str | Path) -> Sweep:
    """Load and validate a sweep file; every error names file, line and key (exit 2)."""
    p = Path(path)
    data = yamlfile.load(p)
    file = str(p)

    def err_at(mapping, key, full_key, msg, hint=None):
        line = mapping.line_of(key) if hasattr(mapping, "line_of") else None
        return FpgaflowError(msg, file=file, line=line, key=full_key, hint=hint)

    if not isinstance(data, dict):
        raise FpgaflowError("a sweep file must be a YAML mapping", file=file, line=1)
    schema_base.validate(schema.SweepFile, data, file=file, hints={
        "extra_forbidden": "known keys: " + ", ".join(KEYS), "missing": KEYS["base"]})
    name = data.get("name", p.stem)
    if not isinstance(name, str) or not _NAME.match(name):
        raise err_at(data, "name", "name", f"expected letters, digits, '-', '_' or '.', got {short(name)}")

    # base
    if "base" not in data:
        raise FpgaflowError("missing required key 'base'", file=file, line=1, key="base",
                            hint=KEYS["base"])
    raw_base = data["base"]
    if isinstance(raw_base, str):
        base_path = (p.parent / raw_base)
        if not base_path.is_file():
            raise err_at(data, "base", "base", f"base recipe {short(raw_base)} not found "
                         f"(looked for {base_path})")
        base = yamlfile.load(base_path)
        if not isinstance(base, dict):
            raise err_at(data, "base", "base", f"{raw_base} is not a recipe mapping")
    elif isinstance(raw_base, dict):
        base, base_path = raw_base, p
    else:
        raise err_at(data, "base", "base", f"expected a recipe path or mapping, got {short(raw_base)}")
    if "core" not in base:
        raise err_at(data, "base", "base", "the base recipe has no 'core'")

    # matrix: `parameters.X: [..]` keys, or a nested `parameters: {X: [..]}`
    raw_matrix = data.get("matrix", {})
    if not isinstance(raw_matrix, dict):
        raise err_at(data, "matrix", "matrix", "expected a mapping of axis -> list of values")
    matrix: dict[str, list] = {}
    for key, values in raw_matrix.items():
        if key == "parameters" and isinstance(values, dict):
            items = [(f"parameters.{k}", v, values, k) for k, v in values.items()]
        else:
            items = [(key, values, raw_matrix, key)]
        for axis_key, vals, where, wkey in items:
            def err(msg, where=where, wkey=wkey, axis_key=axis_key):
                return err_at(where, wkey, f"matrix.{axis_key}", msg)
            axis = _axis(axis_key, err)
            if not isinstance(vals, list) or not vals or not all(_scalar(v) for v in vals):
                raise err(f"expected a non-empty list of values, got {short(vals)}")
            if axis in matrix:
                raise err("axis given twice")
            matrix[axis] = list(vals)

    def combos(key: str) -> list[dict]:
        raw = data.get(key, [])
        if not isinstance(raw, list):
            raise err_at(data, key, key, "expected a list of mappings")
        out = []
        for i, entry in enumerate(raw):
            if not isinstance(entry, dict) or not entry:
                raise FpgaflowError(f"expected a mapping like {{board: x, parameters.N: 4}}, "
                                    f"got {short(entry)}", file=file, line=data.line_of(key),
                                    key=f"{key}[{i}]")
            norm = {}
            for k, v in entry.items():
                def err(msg, k=k):
                    return err_at(entry, k, f"{key}[{i}].{k}", msg)
                axis = _axis(k, err)
                if not _scalar(v):
                    raise err(f"expected one value, got {short(v)}")
                if key == "exclude" and axis not in matrix:
                    raise err(f"{axis} is not an axis of the matrix")
                norm[axis] = v
            out.append(norm)
        return out

    include, exclude = combos("include"), combos("exclude")
    if not matrix and not include:
        raise err_at(data, "matrix", "matrix", "the sweep has no points: give a matrix or include")

    # derived parameters
    raw_derived = data.get("derived", {})
    if not isinstance(raw_derived, dict):
        raise err_at(data, "derived", "derived", "expected a mapping of parameter -> expression")
    derived: dict[str, str] = {}
    lines: dict[str, int] = {}
    for k, expr in raw_derived.items():
        if not _PARAM.match(k):
            raise err_at(raw_derived, k, f"derived.{k}", "expected a parameter name")
        if isinstance(expr, bool) or not isinstance(expr, (str, int, float)):
            raise err_at(raw_derived, k, f"derived.{k}", f"expected an expression, got {short(expr)}")
        try:
            check_expression(str(expr))
        except ExprError as exc:
            raise err_at(raw_derived, k, f"derived.{k}", str(exc)) from None
        if f"parameters.{k}" in matrix:
            raise err_at(raw_derived, k, f"derived.{k}", "is also a matrix axis")
        derived[k] = str(expr)
        lines[f"derived.{k}"] = raw_derived.line_of(k)

    # objectives
    raw_obj = data.get("objectives", [])
    if not isinstance(raw_obj, list):
        raise err_at(data, "objectives", "objectives", "expected a list of {metric, goal}")
    objectives = []
    for i, o in enumerate(raw_obj):
        where = f"objectives[{i}]"
        if not isinstance(o, dict) or set(o) - {"metric", "goal"} or "metric" not in o:
            raise FpgaflowError(f"expected {{metric: lut.pct, goal: min}}, got {short(o)}",
                                file=file, line=getattr(o, "line", None) or data.line_of("objectives"),
                                key=where)
        goal = o.get("goal", "min")
        if goal not in GOALS:
            raise err_at(o, "goal", f"{where}.goal", f"expected min or max, got {short(goal)}")
        metric = o["metric"]
        problem = _check_metric(metric)
        if problem:
            raise err_at(o, "metric", f"{where}.metric", problem)
        objectives.append(Objective(metric, goal))

    sweep = Sweep(path=p, name=name, base=yamlfile.plain(base), base_path=base_path, matrix=matrix,
                  include=include, exclude=exclude, derived=derived, objectives=objectives,
                  lines=lines)
    from .expansion import expand
    expand(sweep)  # evaluate derived parameters now: their errors are sweep-file errors
    return sweep


def _check_metric(metric: Any) -> str | None:
    from ..summary import RESOURCE_KEYS
    if not isinstance(metric, str) or not metric:
        return f"expected a metric like lut.pct, got {short(metric)}"
    head = metric.split(".")[0]
    known = set(RESOURCE_KEYS) | {"timing", "power", "hls", "sim", "csim", "fmax_mhz"}
    if head not in known:
        return (f"unknown metric {short(metric)}: it should start with one of "
                + ", ".join(sorted(known)))
    return None
