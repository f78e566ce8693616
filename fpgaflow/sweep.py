"""Design-space sweeps: a sweep file -> points (normal recipes) -> builds -> table + Pareto front.

A sweep file names a base recipe and a matrix::

    name: bilstm_precision
    base: ../bilstm_zcu104.yaml          # a recipe file (relative to this file) or an inline mapping
    matrix:
      parameters.WBITS: [2, 4]
      parameters.FOLD: [1, 2]
      board: [zcu104, ulx3s]
      flow: [estimate]
    exclude: [{board: ulx3s, parameters.WBITS: 4}]
    include: [{parameters.WBITS: 8, parameters.FOLD: 1, board: zcu104}]
    derived: {SIMD_IN: "INPUT // FOLD"}
    objectives: [{metric: lut.pct, goal: min}, {metric: sim.cycles_per_item, goal: min}]

``expand`` turns it into ``Point`` s (exclude first, then include, as in GitHub Actions
matrices; derived parameters last, with a restricted expression evaluator). Each point is
written as an ordinary recipe under ``<out>/sweep-<name>/points/`` and built with
``build.make_plan`` + ``build.execute``, so its digest is its cache key: finished points are
served from cache and an interrupted sweep resumes where it stopped. ``run`` plans every
point in this process (which also resolves, and so warms, the tools once), serves cached
points at once and hands the rest to an executor: serial, local processes or Dask.
``pareto_front`` is a pure function.
"""

from __future__ import annotations

import ast
import itertools
import math
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yamlfile
from .errors import FpgaflowError

from .schemas import base as schema_base
from .schemas import sweep as schema

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


# ---------------------------------------------------------------- safe expressions

_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
           ast.Pow: operator.pow}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}
_CMP = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
        ast.Gt: operator.gt, ast.GtE: operator.ge}
FUNCTIONS = {"min": min, "max": max, "abs": abs, "int": int, "round": round,
             "ceil": math.ceil, "floor": math.floor, "log2": math.log2,
             "clog2": lambda x: max(0, math.ceil(math.log2(x)))}


class ExprError(ValueError):
    pass


MAX_EXPR = 1000          # characters of a derived expression
MAX_BITS = 256           # integers a derived parameter may reach (HDL parameters are 32-bit)
MAX_STR = 1000           # characters of a string result


def _bounded(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        raise ExprError(f"result too large (more than {MAX_BITS} bits)")
    if isinstance(value, str) and len(value) > MAX_STR:
        raise ExprError(f"string result longer than {MAX_STR} characters")
    if isinstance(value, float) and not math.isfinite(value):
        raise ExprError(f"result is {value}, not a finite number")
    return value


def _check_operands(op: ast.operator, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too large before computing it."""
    if isinstance(op, ast.Pow) and _is_num(left) and _is_num(right):
        if abs(right) > 64:
            raise ExprError("exponent too large")
        if isinstance(left, int) and isinstance(right, int) and right > 0 and \
                left.bit_length() * right > MAX_BITS:
            raise ExprError(f"result too large (more than {MAX_BITS} bits)")
    if isinstance(op, ast.Mult):
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, str) and isinstance(n, int) and len(seq) * max(n, 0) > MAX_STR:
                raise ExprError(f"string result longer than {MAX_STR} characters")


def _is_num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_expression(text: str) -> ast.Expression:
    """Parse ``text`` and reject anything but arithmetic, comparisons, ``a if c else b`` and
    calls of ``FUNCTIONS`` on names and literals."""
    if len(text) > MAX_EXPR:
        raise ExprError(f"expression longer than {MAX_EXPR} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"not a valid expression: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError("expression nested too deeply") from None
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp,
               ast.Constant, ast.Name, ast.Load, ast.Call, ast.And, ast.Or,
               *_BINOPS, *_UNARY, *_CMP)
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            raise ExprError(f"{type(node).__name__} is not allowed in a derived expression")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
                raise ExprError("only calls of " + ", ".join(FUNCTIONS) + " are allowed")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str, bool)):
            raise ExprError(f"constant {node.value!r} is not allowed")
    return tree


def names_in(tree: ast.AST) -> set[str]:
    calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in calls}


def evaluate(text: str | ast.Expression, variables: dict[str, Any]) -> Any:
    """Evaluate a checked expression over ``variables`` (no builtins, no attributes)."""
    tree = check_expression(text) if isinstance(text, str) else text

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return _bounded(node.value)
        if isinstance(node, ast.Name):
            if node.id not in variables:
                raise ExprError(f"unknown name {node.id!r}")
            return variables[node.id]
        if isinstance(node, ast.BinOp):
            left, right = ev(node.left), ev(node.right)
            _check_operands(node.op, left, right)
            return _bounded(_BINOPS[type(node.op)](left, right))
        if isinstance(node, ast.UnaryOp):
            return _bounded(_UNARY[type(node.op)](ev(node.operand)))
        if isinstance(node, ast.BoolOp):
            values = [ev(v) for v in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Compare):
            left = ev(node.left)
            for op, comp in zip(node.ops, node.comparators):
                right = ev(comp)
                if not _CMP[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.IfExp):
            return ev(node.body) if ev(node.test) else ev(node.orelse)
        if isinstance(node, ast.Call):
            return _bounded(FUNCTIONS[node.func.id](*[ev(a) for a in node.args]))
        raise ExprError(f"{type(node).__name__} is not allowed")

    try:
        value = ev(tree)
    except ExprError:
        raise
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ExprError(f"{type(exc).__name__}: {str(exc)[:200]}") from None
    except RecursionError:
        raise ExprError("expression nested too deeply") from None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value


# ---------------------------------------------------------------- loading

def _plain(value: Any) -> Any:
    """Located dicts -> plain dicts (for YAML dumping and pickling)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _axis(key: str, err) -> str:
    """Normalise an axis name: parameters.X, board, flow."""
    if key in ("board", "flow"):
        return key
    if key.startswith("parameters.") and _PARAM.match(key[len("parameters."):]):
        return key
    raise err(f"unknown axis {key!r}; expected parameters.NAME, board or flow")


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
        raise err_at(data, "name", "name", f"expected letters, digits, '-', '_' or '.', got {name!r}")

    # base
    if "base" not in data:
        raise FpgaflowError("missing required key 'base'", file=file, line=1, key="base",
                            hint=KEYS["base"])
    raw_base = data["base"]
    if isinstance(raw_base, str):
        base_path = (p.parent / raw_base)
        if not base_path.is_file():
            raise err_at(data, "base", "base", f"base recipe {raw_base!r} not found "
                         f"(looked for {base_path})")
        base = yamlfile.load(base_path)
        if not isinstance(base, dict):
            raise err_at(data, "base", "base", f"{raw_base} is not a recipe mapping")
    elif isinstance(raw_base, dict):
        base, base_path = raw_base, p
    else:
        raise err_at(data, "base", "base", f"expected a recipe path or mapping, got {raw_base!r}")
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
                raise err(f"expected a non-empty list of values, got {vals!r}")
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
                                    f"got {entry!r}", file=file, line=data.line_of(key),
                                    key=f"{key}[{i}]")
            norm = {}
            for k, v in entry.items():
                def err(msg, k=k):
                    return err_at(entry, k, f"{key}[{i}].{k}", msg)
                axis = _axis(k, err)
                if not _scalar(v):
                    raise err(f"expected one value, got {v!r}")
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
            raise err_at(raw_derived, k, f"derived.{k}", f"expected an expression, got {expr!r}")
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
            raise FpgaflowError(f"expected {{metric: lut.pct, goal: min}}, got {_plain(o)!r}",
                                file=file, line=getattr(o, "line", None) or data.line_of("objectives"),
                                key=where)
        goal = o.get("goal", "min")
        if goal not in GOALS:
            raise err_at(o, "goal", f"{where}.goal", f"expected min or max, got {goal!r}")
        metric = o["metric"]
        problem = _check_metric(metric)
        if problem:
            raise err_at(o, "metric", f"{where}.metric", problem)
        objectives.append(Objective(metric, goal))

    sweep = Sweep(path=p, name=name, base=_plain(base), base_path=base_path, matrix=matrix,
                  include=include, exclude=exclude, derived=derived, objectives=objectives,
                  lines=lines)
    expand(sweep)  # evaluate derived parameters now: their errors are sweep-file errors
    return sweep


def _check_metric(metric: Any) -> str | None:
    from .summary import RESOURCE_KEYS
    if not isinstance(metric, str) or not metric:
        return f"expected a metric like lut.pct, got {metric!r}"
    head = metric.split(".")[0]
    known = set(RESOURCE_KEYS) | {"timing", "power", "hls", "sim", "csim", "fmax_mhz"}
    if head not in known:
        return (f"unknown metric {metric!r}: it should start with one of "
                + ", ".join(sorted(known)))
    return None


# ---------------------------------------------------------------- expansion

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


# ---------------------------------------------------------------- Pareto

def dominates(a: tuple, b: tuple, goals: list[str]) -> bool:
    """True when ``a`` is at least as good as ``b`` on every objective and better on one."""
    better = False
    for x, y, goal in zip(a, b, goals):
        if goal == "max":
            x, y = -x, -y
        if x > y:
            return False
        if x < y:
            better = True
    return better


def pareto_front(values: list[tuple | None], goals: list[str]) -> list[int]:
    """Indices of the non-dominated points (``None`` entries: points without values)."""
    idx = [i for i, v in enumerate(values) if v is not None]
    return [i for i in idx if not any(dominates(values[j], values[i], goals) for j in idx if j != i)]


# ---------------------------------------------------------------- running

SCHEMA = "fpgaflow.sweep/1"
COLUMNS = ["lut.used", "lut.pct", "ff.used", "dsp.used", "bram.used", "fmax_mhz",
           "sim.cycles_per_item"]
FAILED = ("failed", "incomplete", "invalid", "error")


def metric(summary: dict[str, Any], name: str) -> Any:
    """A metric of a summary (``lut.pct``, ``fmax_mhz``, ``sim.cycles_per_item``) or None."""
    from . import gate
    try:
        value = gate.metric_value(summary, tuple(name.split(".")))
    except (gate.Missing, KeyError, TypeError, IndexError):
        return None
    return round(value, 4) if isinstance(value, float) else value


def metric_names(sweep: Sweep) -> list[str]:
    names = list(COLUMNS)
    for o in sweep.objectives:
        if o.metric not in names:
            names.append(o.metric)
    return names


def build_point(plan, out_root: str, force: bool = False) -> dict[str, Any]:
    """Build one planned point (runs in a worker process). Never raises for a design failure."""
    import time

    from . import build
    start = time.monotonic()
    notes: list[str] = []
    try:
        outcome = build.execute(plan, Path(out_root), force=force, announce=notes.append)
    except Exception as exc:  # noqa: BLE001 - one point's crash must not stop the sweep
        return {"status": "error", "error": f"{type(exc).__name__}: {exc}", "cached": False,
                "seconds": round(time.monotonic() - start, 2)}
    return {"status": outcome.summary.get("status"), "summary": outcome.summary,
            "build_dir": str(outcome.build_dir), "cached": outcome.cached,
            "seconds": round(time.monotonic() - start, 2)}


def warm_tools(names: list[str]) -> list[str]:
    """Resolve the tools (and compile cold YoWASP tools once, under toolchain's file lock).

    Runs in the parent before dispatch, and on every Dask worker (``client.run``): a worker
    on another machine has its own YoWASP cache, and its first compile must not race.
    """
    import subprocess

    from filelock import FileLock

    from . import toolchain
    found = []
    for name in names:
        tool = toolchain.resolve(name, announce=None)
        if tool is None:
            continue
        found.append(f"{name} {tool.version} ({tool.via})")
        if tool.via == "yowasp" and name in toolchain.YOWASP and toolchain.yowasp_is_cold(name):
            toolchain.CACHE_DIR.mkdir(parents=True, exist_ok=True)
            with FileLock(str(toolchain.CACHE_DIR / f"warm-{name}.lock")):
                if toolchain.yowasp_is_cold(name):
                    subprocess.run([tool.path, "--version"], capture_output=True,
                                   stdin=subprocess.DEVNULL, timeout=900)
    return found


def _serial(tasks, jobs, scheduler, force):
    for i, plan, out in tasks:
        yield i, build_point(plan, out, force)


_IN_WORKER = False


def _worker_init() -> None:
    """In a local worker process: Ctrl-C is the parent's to handle (it reaches the whole
    terminal process group); SIGTERM from the parent stops the running build (the runner
    stops the tool's process group) and ends the worker, so it never starts a queued point."""
    import signal
    global _IN_WORKER
    _IN_WORKER = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_sigterm)


def _worker_sigterm(signum, frame):
    raise KeyboardInterrupt


def _point_in_worker(plan, out_root: str, force: bool = False) -> dict[str, Any]:
    import os
    try:
        return build_point(plan, out_root, force)
    except KeyboardInterrupt:
        os._exit(130)   # the tool is stopped (runner); a worker that was told to stop ends


def _stop_workers(pool, grace: float = 15.0) -> None:
    """Cancel the queued points and stop the running ones: TERM each worker (which stops its
    tool's process group), then KILL what is left after ``grace`` seconds."""
    import time
    procs = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    deadline = time.monotonic() + grace
    for proc in procs:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
            proc.join(5)


def _local(tasks, jobs, scheduler, force):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(tasks))),
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_init)
    stopped = False
    try:
        futures = {pool.submit(_point_in_worker, plan, out, force): i for i, plan, out in tasks}
        for fut in as_completed(futures):
            try:
                yield futures[fut], fut.result()
            except Exception as exc:  # noqa: BLE001 - e.g. BrokenProcessPool: a killed worker
                yield futures[fut], {"status": "error", "cached": False,
                                     "error": f"worker lost: {type(exc).__name__}: {exc}"}
    except BaseException:   # Ctrl-C / SIGTERM in the parent, or the consumer gave up
        stopped = True
        _stop_workers(pool)
        raise
    finally:
        if not stopped:
            pool.shutdown(wait=True, cancel_futures=True)


def _dask(tasks, jobs, scheduler, force):
    import uuid

    from distributed import Client, LocalCluster, as_completed
    cluster = None
    if scheduler:
        client = Client(scheduler, timeout="30s")
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    futures = []
    try:
        tools = sorted({t["name"] for _, plan, _ in tasks for t in plan.tools()})
        client.run(warm_tools, tools)
        futures = [client.submit(build_point, plan, out, force, pure=False,
                                 key=f"{plan.dirname}-{uuid.uuid4().hex[:6]}")
                   for i, plan, out in tasks]
        index = {f.key: i for f, (i, _, _) in zip(futures, tasks)}
        for fut in as_completed(futures):
            try:
                yield index[fut.key], fut.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker, lost connection ...
                yield index[fut.key], {"status": "error", "cached": False,
                                       "error": f"dask: {type(exc).__name__}: {exc}"}
    finally:
        if futures:
            client.cancel(futures)
        client.close()
        if cluster is not None:
            cluster.close()


EXECUTORS = {"serial": _serial, "local": _local, "dask": _dask}


class Observer:
    """Progress callbacks (the CLI shows a live display; tests may record)."""

    def planned(self, records: list[dict], to_build: int, workers: int) -> None: ...

    def finished(self, record: dict) -> None: ...


@dataclass
class SweepResult:
    sweep: Sweep
    sweep_dir: Path
    records: list[dict]
    front: list[str]                       # names of the points on the Pareto front
    files: dict[str, Path]

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.records)

    @property
    def ok(self) -> bool:
        return all(r["status"] in ("passed",) for r in self.records)


def counts(records: list[dict]) -> dict[str, int]:
    c = {"total": len(records), "passed": 0, "failed": 0, "cached": 0, "pending": 0}
    for r in records:
        if r["status"] == "pending":
            c["pending"] += 1
        elif r["status"] == "passed":
            c["passed"] += 1
        else:
            c["failed"] += 1
        c["cached"] += bool(r.get("cached"))
    return c


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


class _cores_env:
    """Point recipes live in the output dir: let them find the sweep project's cores/."""

    def __init__(self, sweep: Sweep):
        from . import corelib
        self.extra = [str(r) for r in corelib.core_roots(sweep.base_path)]

    def __enter__(self):
        import os
        self.old = os.environ.get("FPGAFLOW_CORES")
        os.environ["FPGAFLOW_CORES"] = os.pathsep.join(
            [*self.extra, *([self.old] if self.old else [])])

    def __exit__(self, *exc):
        import os
        if self.old is None:
            os.environ.pop("FPGAFLOW_CORES", None)
        else:
            os.environ["FPGAFLOW_CORES"] = self.old


def _load_point(path: Path, core_infos: dict):
    """``recipe.load`` with the core looked up once per sweep, not once per point.

    FuseSoC's core lookup costs ~0.4 s a call; a sweep served from cache must take a second
    or two, so the core checks of ``recipe.load`` are done here against one lookup.
    """
    from . import corelib, recipe as recipe_mod
    r = recipe_mod.load(path, check_core=False)
    roots = corelib.core_roots(path)
    key = (r.core, roots)
    if key not in core_infos:
        core_infos[key] = corelib.find_core(r.core, roots)
    info = core_infos[key]
    if info is None:
        raise FpgaflowError(f"unknown core {r.core!r}", file=str(path), key="core")
    recipe_mod.check_against_core(r, info, file=str(path))
    return r


def _fill(record: dict, summary: dict, names: list[str]) -> None:
    record["status"] = summary.get("status", "incomplete")
    record["flow"] = summary.get("flow", record.get("flow"))
    record["part"] = summary.get("device", {}).get("part")
    record["estimate"] = summary.get("estimate")
    record["metrics"] = {n: metric(summary, n) for n in names}
    bad = [s for s in summary.get("stages", []) if s.get("status") in ("failed", "incomplete")]
    if bad:
        record["error"] = f"stage {bad[0]['name']} {bad[0]['status']}: {bad[0].get('message', '')}"


def run(sweep: Sweep, out_root: Path, *, jobs: int | None = None, executor: str = "local",
        scheduler: str | None = None, force: bool = False, observer: Observer | None = None,
        announce=print) -> SweepResult:
    """Plan every point, serve cached ones, build the rest with ``executor``, write results."""
    import os

    from . import build
    observer = observer or Observer()
    out_root = Path(out_root).resolve()
    jobs = jobs or os.cpu_count() or 1
    sweep_dir = out_root / f"sweep-{sweep.name}"
    points = expand(sweep)
    paths = write_points(sweep, points, sweep_dir / "points")
    names = metric_names(sweep)
    records, tasks = [], []
    core_infos: dict = {}
    with _cores_env(sweep):
        for i, (pt, path) in enumerate(zip(points, paths)):
            rec: dict[str, Any] = {"name": pt.name, "recipe": str(path), "board": pt.board,
                                   "flow": pt.flow, "axes": pt.axes, "parameters": pt.parameters,
                                   "status": "pending", "cached": False}
            records.append(rec)
            try:
                r = _load_point(path, core_infos)
                plan = build.make_plan(r, r.board, out_root=out_root, announce=announce)
            except Exception as exc:  # noqa: BLE001 - an invalid point is reported, not fatal
                rec["status"], rec["error"] = "invalid", str(exc)
                continue
            rec.update(board=r.board.name, flow=plan.flow, digest=plan.digest,
                       build_dir=str(out_root / plan.dirname))
            cached = None if force else build.cached_summary(out_root / plan.dirname, plan.digest)
            if cached is not None:
                rec["cached"] = True
                _fill(rec, cached, names)
            else:
                tasks.append((i, plan, str(out_root)))
        if tasks and executor != "dask":
            warm_tools(sorted({t["name"] for _, plan, _ in tasks for t in plan.tools()}))
    workers = 1 if executor == "serial" else min(jobs, max(1, len(tasks)))
    observer.planned(records, len(tasks), workers)
    previous = _previous_key(sweep_dir)
    _write_json(sweep, sweep_dir, records, [])
    if executor == "local" and jobs == 1:
        executor = "serial"
    results = EXECUTORS[executor](tasks, jobs, scheduler, force) if tasks else iter(())
    try:
        if tasks:
            for i, res in results:
                rec = records[i]
                rec["seconds"] = res.get("seconds")
                if "summary" in res:
                    rec["cached"] = res["cached"]
                    _fill(rec, res["summary"], names)
                else:
                    rec["status"], rec["error"] = res["status"], res.get("error")
                observer.finished(rec)
    finally:  # interrupted or not, what finished is on disk: the next run resumes from it
        close = getattr(results, "close", None)
        if close is not None:
            close()             # an executor stops its workers now, not when collected
        front = _front(sweep, records)
        files = write_results(sweep, sweep_dir, records, front, previous)
    return SweepResult(sweep, sweep_dir, records, front, files)


def _front(sweep: Sweep, records: list[dict]) -> list[str]:
    if not sweep.objectives:
        return []
    values = []
    for r in records:
        m = r.get("metrics") or {}
        v = tuple(m.get(o.metric) for o in sweep.objectives)
        ok = r["status"] in ("passed", "timing-failed") and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)
        values.append(v if ok else None)
    idx = pareto_front(values, [o.goal for o in sweep.objectives])
    for i, r in enumerate(records):
        r["pareto"] = i in idx
    return [records[i]["name"] for i in idx]


# ---------------------------------------------------------------- outputs

def results_key(sweep: Sweep, records: list[dict]) -> str:
    """A digest of what the plot and the HTML page show: unchanged -> not drawn again."""
    import hashlib
    import json
    material = [[o.metric, o.goal] for o in sweep.objectives] + [
        [r["name"], r.get("digest"), r["status"], r.get("metrics"), r.get("pareto")]
        for r in records]
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


def _previous_key(sweep_dir: Path) -> str | None:
    import json
    try:
        return json.loads((sweep_dir / "sweep.json").read_text()).get("results_key")
    except (OSError, ValueError, AttributeError):
        return None


def _write_json(sweep: Sweep, sweep_dir: Path, records: list[dict], front: list[str],
                key: str | None = None) -> Path:
    import json
    sweep_dir.mkdir(parents=True, exist_ok=True)
    data = {"schema": SCHEMA, "name": sweep.name, "sweep": str(sweep.path), "results_key": key,
            "objectives": [{"metric": o.metric, "goal": o.goal} for o in sweep.objectives],
            "counts": counts(records), "pareto": front, "points": records}
    path = sweep_dir / "sweep.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n")
    tmp.replace(path)
    return path


def param_names(records: list[dict]) -> list[str]:
    out: list[str] = []
    for r in records:
        for k in r.get("parameters", {}):
            if k not in out:
                out.append(k)
    return out


def to_csv(sweep: Sweep, records: list[dict]) -> str:
    import csv
    import io
    params, names = param_names(records), metric_names(sweep)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["name", "status", "cached", "board", "flow", *params, *names, "pareto",
                "seconds", "build_dir", "error"])
    for r in records:
        m = r.get("metrics") or {}
        w.writerow([r["name"], r["status"], r.get("cached", False), r.get("board") or "",
                    r.get("flow") or "", *[r["parameters"].get(p, "") for p in params],
                    *["" if m.get(n) is None else m[n] for n in names], r.get("pareto", False),
                    "" if r.get("seconds") is None else r["seconds"], r.get("build_dir", ""),
                    (r.get("error") or "").splitlines()[0] if r.get("error") else ""])
    return buf.getvalue()


def write_results(sweep: Sweep, sweep_dir: Path, records: list[dict], front: list[str],
                  previous_key: str | None = None) -> dict[str, Path]:
    """sweep.json, sweep.csv, pareto.svg and report.html in the sweep directory.

    The plot and the page (matplotlib: seconds) are kept from the last run when the results
    they show are the same (a sweep served from cache).
    """
    key = results_key(sweep, records)
    files = {"json": _write_json(sweep, sweep_dir, records, front, key)}
    (sweep_dir / "sweep.csv").write_text(to_csv(sweep, records))
    files["csv"] = sweep_dir / "sweep.csv"
    if key == previous_key:
        for kind, name in (("plot", "pareto.svg"), ("html", "report.html")):
            if (sweep_dir / name).is_file():
                files[kind] = sweep_dir / name
        return files
    for name in ("pareto.svg", "report.html"):
        (sweep_dir / name).unlink(missing_ok=True)
    svg = plot_front(sweep, records)
    if svg is not None:
        (sweep_dir / "pareto.svg").write_text(svg)
        files["plot"] = sweep_dir / "pareto.svg"
    html = html_page(sweep, records, front, svg)
    if html is not None:
        (sweep_dir / "report.html").write_text(html, encoding="utf-8")
        files["html"] = sweep_dir / "report.html"
    return files


def plot_front(sweep: Sweep, records: list[dict]) -> str | None:
    """An SVG scatter of the first two objectives, the front highlighted (None: nothing to plot)."""
    if len(sweep.objectives) < 2:
        return None
    ox, oy = sweep.objectives[:2]
    pts = [(r["metrics"][ox.metric], r["metrics"][oy.metric], r) for r in records
           if r.get("metrics") and isinstance(r["metrics"].get(ox.metric), (int, float))
           and isinstance(r["metrics"].get(oy.metric), (int, float))]
    if not pts:
        return None
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    import io
    fig, ax = plt.subplots(figsize=(7, 4.5))
    rest = [(x, y) for x, y, r in pts if not r.get("pareto")]
    front = sorted([(x, y, r["name"]) for x, y, r in pts if r.get("pareto")])
    if rest:
        ax.scatter(*zip(*rest), color="#8c959f", s=22, label="dominated")
    if front:
        xs, ys, labels = zip(*front)
        ax.plot(xs, ys, color="#0072B2", linewidth=1, alpha=0.6, drawstyle="steps-post")
        ax.scatter(xs, ys, color="#0072B2", s=40, zorder=3, label="Pareto front")
        prefix = sweep.name + "-"
        for x, y, label in front:
            ax.annotate(label.removeprefix(prefix), (x, y), xytext=(4, 4),
                        textcoords="offset points", fontsize=7)
    ax.set_xlabel(f"{ox.metric} ({ox.goal})")
    ax.set_ylabel(f"{oy.metric} ({oy.goal})")
    ax.set_title(f"sweep {sweep.name}: {len(pts)} points, {len(front)} on the front",
                 fontsize=10, loc="left")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    return buf.getvalue()


def html_page(sweep: Sweep, records: list[dict], front: list[str], svg: str | None) -> str | None:
    """The compare page of the points that have a summary, with the Pareto section."""
    from . import compare
    summaries = compare.sweep_summaries(records)
    if not summaries:
        return None
    try:
        from . import html_report
        return html_report.render(summaries, title=f"fpgaflow sweep {sweep.name}",
                                  extra_sections=[pareto_section(sweep, records, front, svg)])
    except Exception:  # noqa: BLE001 - the report is a convenience; the CSV/JSON are the results
        return None


def pareto_section(sweep, records: list[dict], front: list[str], svg: str | None, *,
                   section_id: str | None = None):
    """The Pareto section of an HTML page (``html_report.Section``): objectives, plot, front table.

    ``sweep`` is a ``Sweep`` or anything with ``name`` and ``objectives`` (``fpgaflow compare``
    passes the ``compare.SweepResults`` it read from sweep.json); ``svg`` comes from
    ``plot_front``. The one place that writes this markup, for ``fpgaflow sweep``'s report.html
    and for ``fpgaflow compare --html``.
    """
    from jinja2 import Environment
    from markupsafe import Markup

    from . import html_report
    if svg:
        svg = svg[svg.find("<svg"):]
        svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
        svg = svg.replace("<svg ", '<svg class="chart" data-chart="pareto" role="img" ', 1)
    on_front = set(front)
    rows = [(r["name"], [(r.get("metrics") or {}).get(o.metric) for o in sweep.objectives])
            for r in records if r["name"] in on_front]
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    body = env.from_string(_PARETO_TEMPLATE).render(
        objectives=sweep.objectives, rows=rows, front=front, total=len(records),
        svg=Markup(svg) if svg else None, absent="—")
    return html_report.Section(title=f"Pareto front: sweep {sweep.name}", body=Markup(body),
                               id=section_id or f"pareto-{sweep.name}")


_PARETO_TEMPLATE = """\
<p class="meta">objectives:
{% for o in objectives %}{{ o.metric }} ({{ o.goal }}){{ ", " if not loop.last }}{% else %}none given in the sweep file{% endfor %};
{{ front|length }} of {{ total }} points on the front</p>
{% if svg %}
<figure>{{ svg }}</figure>
{% endif %}
{% if objectives %}
<div class="scroll">
<table class="pareto">
  <thead><tr><th class="metric">point</th>{% for o in objectives %}<th>{{ o.metric }} ({{ o.goal }})</th>{% endfor %}</tr></thead>
  <tbody>
  {% for name, values in rows %}
    <tr data-point="{{ name }}"><td class="metric">{{ name }}</td>{% for v in values %}<td>{{ absent if v is none else v }}</td>{% endfor %}</tr>
  {% endfor %}
  </tbody>
</table>
</div>
{% endif %}
"""
