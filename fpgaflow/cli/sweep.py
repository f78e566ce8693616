"""fpgaflow sweep SWEEP.yaml: build every point of a design-space sweep, report the Pareto front."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import click
from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from .. import sweep as sweep_mod


class LiveProgress(sweep_mod.Observer):
    """One status line: done / running / failed / cached, elapsed and ETA (TTY only)."""

    def __init__(self, console: Console):
        self.console = console
        self.start = time.monotonic()
        self.total = self.to_build = self.built = self.failed = self.cached = 0
        self.workers = 1
        self.recent: list[str] = []
        self.live = Live(console=console, refresh_per_second=4, transient=True,
                         get_renderable=self.render)

    def planned(self, records, to_build, workers):
        self.total, self.to_build, self.workers = len(records), to_build, workers
        self.cached = sum(1 for r in records if r.get("cached"))
        self.failed = sum(1 for r in records if r["status"] in sweep_mod.FAILED)
        self.build_start = time.monotonic()

    def finished(self, record):
        self.built += 1
        if record.get("cached"):
            self.cached += 1
        if record["status"] in sweep_mod.FAILED:
            self.failed += 1
        style = "green" if record["status"] == "passed" else "red"
        self.console.print(Text(f"  {record['name']}: {record['status']}"
                                + (f" ({record['seconds']:.1f} s)" if record.get("seconds") else ""),
                                style=style))

    def render(self):
        now = time.monotonic()
        elapsed = now - self.start
        left = self.to_build - self.built
        running = min(self.workers, left)
        done = self.total - self.to_build + self.built
        eta = "?"
        if self.built and left:
            eta = f"{(now - self.build_start) / self.built * left:.0f} s"
        elif not left:
            eta = "0 s"
        return Text.assemble(
            ("sweep ", "bold"), f"{done}/{self.total} done · ", (f"{running} running", "cyan"),
            " · ", (f"{self.failed} failed", "red" if self.failed else "dim"), " · ",
            f"{self.cached} cached · elapsed {elapsed:.0f} s · ETA {eta}")


def _sigterm(signum, frame):
    raise KeyboardInterrupt


def _header(metric: str) -> str:
    """A short column header: lut.used -> lut, lut.pct -> lut %, sim.cycles_per_item -> cycles/item."""
    if metric.endswith(".used"):
        return metric[:-5]
    if metric.endswith(".pct"):
        return metric[:-4] + " %"
    return metric.split(".")[-1].replace("_per_", "/").replace("_", " ")


def points_table(result: sweep_mod.SweepResult) -> Table:
    sweep = result.sweep
    params = sweep_mod.param_names(result.records)
    names = sweep_mod.metric_names(sweep)
    shown = [n for n in names if any((r.get("metrics") or {}).get(n) is not None
                                     for r in result.records)]
    # a parameter with one value across all points is said once, in the title
    fixed = {p: vals.pop() for p in params
             if len(vals := {str(r["parameters"].get(p, "")) for r in result.records}) == 1}
    params = [p for p in params if p not in fixed]
    title = f"sweep {sweep.name}: {len(result.records)} points"
    if fixed:
        title += " (" + ", ".join(f"{k}={v}" for k, v in fixed.items()) + ")"
    t = Table(title=title, title_justify="left", show_edge=False)
    t.add_column("point", no_wrap=True)
    t.add_column("status", no_wrap=True)
    for p in params:
        t.add_column(p, justify="right")
    t.add_column("board")
    t.add_column("flow")
    for n in shown:
        h = _header(n)
        t.add_column(h, justify="right", min_width=len(h))
    if sweep.objectives:
        t.add_column("front", justify="center")
    prefix = sweep.name + "-"
    for r in result.records:
        status = "cached" if r.get("cached") and r["status"] == "passed" else r["status"]
        style = "green" if r["status"] == "passed" else "red"
        m = r.get("metrics") or {}
        cells = [r["name"].removeprefix(prefix), Text(status, style),
                 *[str(r["parameters"].get(p, "")) for p in params], r.get("board") or "",
                 r.get("flow") or "", *["-" if m.get(n) is None else f"{m[n]:.4g}"
                                         if isinstance(m[n], float) else str(m[n]) for n in shown]]
        if sweep.objectives:
            cells.append("★" if r.get("pareto") else "")
        t.add_row(*cells)
    return t


@click.command("sweep")
@click.argument("sweep_file", metavar="SWEEP.yaml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Points built at once (local processes or LocalCluster workers). "
                   "Default: the number of cores.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: a pool of processes on this machine; dask: a Dask distributed "
                   "scheduler (--scheduler) or a LocalCluster of -j worker processes.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (implies --executor dask).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Root of the build directories; results go to "
                                      "OUT/sweep-NAME/.")
@click.option("--force", is_flag=True, help="Rebuild every point, ignoring the cache.")
@click.option("--dry-run", is_flag=True, help="Expand the matrix, write the point recipes, stop.")
@click.option("--json", "as_json", is_flag=True, help="Print sweep.json on stdout (no live display).")
@click.pass_context
def command(ctx, sweep_file, jobs, executor, scheduler, out, force, dry_run, as_json):
    """Build every point of SWEEP.yaml (a base recipe and a matrix over parameters, boards
    and flows) and report the table, CSV/JSON, the Pareto front and its plot.

    Each point is an ordinary recipe written to OUT/sweep-NAME/points/ and built into
    OUT/<point>-<digest8>/: finished points are served from cache, so an interrupted sweep
    resumes where it stopped when run again. A failing point does not stop the others.

    Exit status: 0 every point passed, 1 some point failed, 2 bad sweep file or usage,
    130 interrupted.
    """
    sweep = sweep_mod.load(sweep_file)
    if scheduler:
        executor = "dask"
    stream = sys.stdout
    tty = hasattr(stream, "isatty") and stream.isatty()
    console = Console(emoji=False, stderr=as_json, highlight=False, width=None if tty else 160)
    err = Console(emoji=False, stderr=True, highlight=False)
    if dry_run:
        points = sweep_mod.expand(sweep)
        paths = sweep_mod.write_points(sweep, points, out.resolve() / f"sweep-{sweep.name}" / "points")
        if as_json:
            click.echo(json.dumps([{"name": p.name, "recipe": str(path), "board": p.board,
                                    "flow": p.flow, "parameters": p.parameters}
                                   for p, path in zip(points, paths)], indent=2))
        else:
            for p, path in zip(points, paths):
                console.print(f"{p.name}  {path}")
            console.print(f"{len(points)} points (dry run: nothing was built)")
        ctx.exit(0)
    live = None
    if not as_json and tty:
        live = LiveProgress(console)
    say = lambda m: err.print(m, style="yellow")  # noqa: E731
    from ..runner import STOP_SIGNALS  # SIGTERM, SIGHUP, SIGQUIT: stop the tools as Ctrl-C does
    previous = {sig: signal.signal(sig, _sigterm) for sig in STOP_SIGNALS}
    started = time.monotonic()
    try:
        if live:
            with live.live:
                result = sweep_mod.run(sweep, out, jobs=jobs, executor=executor,
                                       scheduler=scheduler, force=force, observer=live,
                                       announce=say)
        else:
            result = sweep_mod.run(sweep, out, jobs=jobs, executor=executor, scheduler=scheduler,
                                   force=force, announce=say)
    except KeyboardInterrupt:
        err.print("interrupted: finished points are kept; run the same command again to resume",
                  style="bold red")
        ctx.exit(130)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    seconds = time.monotonic() - started
    if as_json:
        click.echo((result.sweep_dir / "sweep.json").read_text(), nl=False)
    else:
        _report(console, err, result, seconds, jobs or os.cpu_count())
    ctx.exit(0 if result.ok else 1)


def _report(console: Console, err: Console, result, seconds: float, jobs) -> None:
    console.print(points_table(result))
    c = result.counts
    console.print(f"{c['total']} points: {c['passed']} passed, {c['failed']} failed, "
                  f"{c['cached']} from cache, in {seconds:.1f} s")
    for r in result.records:
        if r["status"] not in ("passed",) and r.get("error"):
            err.print(f"{r['name']}: {r['status']}: {r['error']}", style="red", markup=False)
    if result.sweep.objectives:
        objs = ", ".join(f"{o.metric} ({o.goal})" for o in result.sweep.objectives)
        console.print(Group(Text(f"Pareto front over {objs}: "
                                 + (", ".join(result.front) or "no point has every objective"),
                                 style="bold")))
    for kind, path in result.files.items():
        console.print(f"  {kind}: {path}", style="dim")
