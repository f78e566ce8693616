"""Matrix expansion: GitHub-Actions combinations (exclude, then include), point names,
derived parameters per point, and each point as an ordinary recipe file."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from ..errors import FpgaflowError
from .expressions import ExprError, evaluate
from .spec import Point, Sweep


def combinations(matrix: dict[str, list], include: list[dict], exclude: list[dict]) -> list[dict]:
    """GitHub Actions matrix semantics: the product, minus exclude matches, then include.

    An include entry extends every combination whose *original* axes it does not contradict
    (values it adds may be overwritten by later entries); when it extends none, it is added
    as a combination of its own.
    """
    keys = list(matrix)
    out = [dict(zip(keys, values)) for values in itertools.product(*matrix.values())] if keys else []
    out = [c for c in out if not any(all(c.get(k) == v for k, v in e.items()) for e in exclude)]
    original = set(keys)
    for entry in include:
        matched = False
        for c in out:
            if all(c.get(k) == v for k, v in entry.items() if k in original and k in c):
                if any(k in original and k not in c for k in entry):
                    continue
                c.update(entry)
                matched = True
        if not matched:
            out.append(dict(entry))
    unique: list[dict] = []
    for c in out:
        if c not in unique:
            unique.append(c)
    return unique


def _slug(value: Any) -> str:
    return re.sub(r"[^A-Za-z0-9_.]", "_", str(value))


def point_name(sweep_name: str, combo: dict[str, Any], varying: list[str]) -> str:
    parts = [sweep_name]
    for axis in varying:
        if axis not in combo:
            continue
        v = combo[axis]
        parts.append(_slug(v) if axis in ("board", "flow") else f"{axis.split('.', 1)[1]}{_slug(v)}")
    return "-".join(parts)


def expand(sweep: Sweep) -> list[Point]:
    """The points of a sweep, in matrix order; derived parameters evaluated per point."""
    combos = combinations(sweep.matrix, sweep.include, sweep.exclude)
    axes: list[str] = []
    for c in combos:
        for k in c:
            if k not in axes:
                axes.append(k)
    varying = [a for a in axes if len({repr(c.get(a)) for c in combos}) > 1]
    base_params = dict(sweep.base.get("parameters") or {})
    points = []
    for combo in combos:
        params = {k.split(".", 1)[1]: v for k, v in combo.items() if k.startswith("parameters.")}
        env = {**base_params, **params}
        for name, expr in sweep.derived.items():
            try:
                value = evaluate(expr, env)
            except ExprError as exc:
                where = ", ".join(f"{k}={v}" for k, v in combo.items())
                raise FpgaflowError(f"{exc} (at the point {where})", file=str(sweep.path),
                                    line=sweep.lines.get(f"derived.{name}"),
                                    key=f"derived.{name}") from None
            env[name] = params[name] = value
        points.append(Point(name=point_name(sweep.name, combo, varying), axes=dict(combo),
                            parameters=params, board=combo.get("board"), flow=combo.get("flow")))
    return points


def point_recipe(sweep: Sweep, point: Point) -> dict[str, Any]:
    """The recipe mapping of one point: the base with the point's board, flow and parameters."""
    r = {k: v for k, v in sweep.base.items() if k not in ("boards",)}
    r["name"] = point.name
    if point.board is not None:
        r["board"] = point.board
    elif "boards" in sweep.base:
        r["board"] = sweep.base["boards"][0]
    if point.flow is not None:
        r["flow"] = point.flow
    r["parameters"] = {**(sweep.base.get("parameters") or {}), **point.parameters}
    return r


def write_points(sweep: Sweep, points: list[Point], points_dir: Path) -> list[Path]:
    import yaml
    points_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for pt in points:
        path = points_dir / f"{pt.name}.yaml"
        text = (f"# point of sweep {sweep.name} ({sweep.path}); rebuild it alone with\n"
                f"#   fpgaflow build {path} --out {points_dir.parent.parent}\n"
                + yaml.safe_dump(point_recipe(sweep, pt), sort_keys=False))
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
        paths.append(path)
    return paths
