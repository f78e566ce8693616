"""``run``: plan every point in this process (which resolves and warms the tools once),
serve cached points at once, hand the rest to an executor, write the results even when
interrupted (the next run resumes from them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FpgaflowError
from .executors import EXECUTORS, warm_tools
from .expansion import expand, write_points
from .outputs import _front, _previous_key, _write_json, counts, metric, metric_names, write_results
from .spec import Sweep


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


def _load_point(path: Path, core_infos: dict, roots: tuple[Path, ...]):
    """``recipe.load`` with the core looked up once per sweep, not once per point.

    FuseSoC's core lookup costs ~0.4 s a call; a sweep served from cache must take a second
    or two, so the core checks of ``recipe.load`` are done here against one lookup. The
    point recipes live in the output dir: ``roots`` are the sweep project's core libraries.
    """
    from .. import corelib, recipe as recipe_mod
    r = recipe_mod.load(path, check_core=False)
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

    from .. import build, corelib
    observer = observer or Observer()
    out_root = Path(out_root).resolve()
    jobs = jobs or os.cpu_count() or 1
    sweep_dir = out_root / f"sweep-{sweep.name}"
    points = expand(sweep)
    paths = write_points(sweep, points, sweep_dir / "points")
    names = metric_names(sweep)
    records, tasks = [], []
    core_infos: dict = {}
    roots = corelib.core_roots(sweep.base_path)   # passed as data: no environment hand-off
    for i, (pt, path) in enumerate(zip(points, paths)):
        rec: dict[str, Any] = {"name": pt.name, "recipe": str(path), "board": pt.board,
                               "flow": pt.flow, "axes": pt.axes, "parameters": pt.parameters,
                               "status": "pending", "cached": False}
        records.append(rec)
        try:
            r = _load_point(path, core_infos, roots)
            plan = build.make_plan(r, r.board, out_root=out_root, announce=announce,
                                   core_roots=roots)
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
