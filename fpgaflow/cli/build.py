"""fpgaflow build RECIPE: plan, run the tools, parse the reports, write summary.json."""

from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path

import click

from .. import build as build_mod

# a build served from cache imports neither the recipe loader (YAML, boards) nor the runner,
# and a build without a terminal imports Rich (the summary table) only once its first tool
# runs (``build._prefetch``): they are imported where they are used


class _Console:
    """A Rich console made when first printed to: a build without a terminal prints its
    progress lines as plain text, so Rich is imported while the tools run, not before."""

    def __init__(self, **options):
        self._options, self._console = options, None

    def get(self):
        if self._console is None:
            from rich.console import Console
            self._console = Console(emoji=False, **self._options)
        return self._console

    def __getattr__(self, name):
        return getattr(self.get(), name)


class _FlowChoice(click.Choice):
    """``click.Choice`` of the recipe flows, read from fpgaflow.recipe when first needed."""

    def __init__(self):
        super().__init__(())

    @property
    def choices(self):
        from ..recipe import flow_names
        return flow_names()

    @choices.setter
    def choices(self, value):
        pass


class LiveStages:
    """A rich live view of the stages while they run (only on a TTY, never with --json)."""

    def __init__(self, console, plan):
        self.console, self.plan, self.start = console, plan, time.monotonic()
        from rich.live import Live
        self.rows = {s.name: ["waiting", None, 0.0] for s in plan.stages}
        self.live = Live(self._table(), console=console, refresh_per_second=4, transient=True,
                         get_renderable=self._table)

    def _table(self):
        from rich.table import Table
        from rich.text import Text
        t = Table(title=f"{self.plan.name} on {self.plan.device['part']} ({self.plan.flow}), "
                        f"{time.monotonic() - self.start:.0f} s",
                  title_justify="left", show_edge=False)
        t.add_column("stage"), t.add_column("status"), t.add_column("seconds", justify="right")
        for name, (status, start, secs) in self.rows.items():
            if status == "running" and start:
                secs = time.monotonic() - start
            style = {"running": "cyan", "passed": "green", "cached": "green",
                     "failed": "red"}.get(status, "dim")
            t.add_row(name, Text(status, style), f"{secs:.1f}")
        return t

    def stage_started(self, stage):
        self.rows[stage.name] = ["running", time.monotonic(), 0.0]

    def stage_finished(self, stage, result):
        status = "cached" if result.cached else result.status
        self.rows[stage.name] = [status, None, result.seconds]
        self.console.print(f"  {stage.name}: {status} ({result.seconds:.1f} s)", style="dim")

    def tick(self):
        pass            # rich refreshes the live table itself


class StageLines:
    """Progress without a terminal (CI logs): one line when a stage starts, one when it ends
    (status, seconds, log), and a heartbeat every ``every`` seconds while one still runs."""

    def __init__(self, plan, build_dir: Path, write, every: float = 30.0, clock=time.monotonic):
        self.plan, self.build_dir, self.write, self.every, self.clock = \
            plan, build_dir, write, every, clock
        self.running: dict[str, list[float]] = {}     # name -> [start, last line]

    def _log(self, name: str) -> str:
        return _rel(self.build_dir / "logs" / f"{name}.log")

    def stage_started(self, stage):
        now = self.clock()
        self.running[stage.name] = [now, now]
        self.write(f"[{self.plan.name}] {stage.name}: started (log: {self._log(stage.name)})")

    def stage_finished(self, stage, result):
        self.running.pop(stage.name, None)
        status = "cached" if result.cached else result.status
        extra = f": {result.message}" if result.message and not result.cached else ""
        self.write(f"[{self.plan.name}] {stage.name}: {status} in {result.seconds:.1f} s "
                   f"(log: {self._log(stage.name)}){extra}")

    def tick(self):
        now = self.clock()
        for name, times in self.running.items():
            if now - times[1] >= self.every:
                times[1] = now
                self.write(f"[{self.plan.name}] {name}: still running, {now - times[0]:.0f} s "
                           f"(log: {self._log(name)})")


def _sigterm(signum, frame):
    raise KeyboardInterrupt


@click.command("build")
@click.argument("recipe", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--flow", type=_FlowChoice(), help="Override the recipe's flow.")
@click.option("--board", "boards", multiple=True,
              help="Build for this board instead of the recipe's (repeat for several).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build"), show_default=True, help="Root of the build directories.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON, nothing else.")
@click.option("--dry-run", is_flag=True, help="Write the plan and the project files, run nothing.")
@click.option("--force", is_flag=True,
              help="Run every stage again, even those an identical build already ran.")
@click.option("--force-stage", "force_stages", multiple=True, metavar="NAME",
              help="Run this stage again and every stage reading its products (repeatable).")
@click.option("-j", "--jobs", "stage_jobs", type=click.IntRange(min=1), default=None,
              help="Stages run at once when independent (default: the machine's cores).")
@click.pass_context
def command(ctx, recipe, flow, boards, out, as_json, dry_run, force, force_stages, stage_jobs):
    """Build RECIPE: plan, run the tools, parse the reports, write summary.json.

    The build directory is OUT/<name>-<digest8>/: plan.json, edam.yml, work/<stage>/,
    logs/<stage>.log, reports/, summary.json. An unchanged recipe (same sources,
    parameters, tools and options) is served from it without running any tool. Each
    stage is also kept in OUT/.stages/ by the digest of its own inputs: a build whose
    clock changed reruns place-and-route only, a changed testbench reruns sim only.

    Exit status: 0 passed, 1 failed / incomplete / timing failed, 2 bad recipe or usage.
    """
    console = _Console(stderr=as_json, quiet=False)
    err = _Console(stderr=True)
    out = out.resolve()
    if not (dry_run or force or force_stages):
        served = _served_from_memo(recipe, flow, boards, out)
        if served is not None:        # nothing the plans were made from changed: no planning
            code = 0 if all(s["status"] == "passed" for s, _ in served) else 1
            if as_json:
                found = [s for s, _ in served]
                click.echo(json.dumps(found[0] if len(found) == 1 else found, indent=2))
            else:
                for s, bdir in served:
                    _print_summary(s, console, cached=True, build_dir=_rel(bdir))
            ctx.exit(code)
    say = (lambda m: err.print(m, style="yellow", markup=False)) if not as_json \
        else (lambda m: err.print(m, markup=False))
    known = _plans_from_memo(recipe, flow, boards, out) if (force or force_stages) \
        and not dry_run else None
    from .. import planmemo
    seen: dict[str, str] = {}           # what the plans were made from, as planning saw it
    if known is not None:       # rerun stages of plans nothing changed since: no planning
        planned, count = iter(known), len(known)
    else:
        recipe_sha256 = planmemo.recipe_digest(recipe)
        jobs = _jobs(recipe, flow, boards)
        planned, count = _plan_each(jobs, out, say, dry_run, recipe, seen), len(jobs)
    from ..runner import STOP_SIGNALS  # SIGTERM, SIGHUP, SIGQUIT: stop the tools as Ctrl-C does
    previous = {sig: signal.signal(sig, _sigterm) for sig in STOP_SIGNALS}
    results, code, plans = [], 0, []
    try:
        for plan in planned:
            plans.append(plan)
            build_dir = out / plan.dirname
            if dry_run:
                plan.write(build_dir)
                results.append({"name": plan.name, "build_dir": str(build_dir), "flow": plan.flow,
                                "digest": plan.digest,
                                "stages": [{"name": s.name, "commands": s.commands}
                                           for s in plan.stages]})
                if not as_json:
                    _print_plan(console, plan, build_dir)
                continue
            build_mod.check_force_stages(plan, force_stages)
            run = dict(force=force, force_stages=force_stages, jobs=stage_jobs, announce=say)
            if not as_json and sys.stdout.isatty():
                live = LiveStages(console.get(), plan)
                with live.live:
                    outcome = build_mod.execute(plan, out, observer=live, **run)
            else:
                # plain lines: Rich would read '[name]' as markup and drop it
                lines = StageLines(plan, build_dir, lambda m: click.echo(m, err=True))
                outcome = build_mod.execute(plan, out, observer=lines, **run)
            s = outcome.summary
            results.append(s)
            if s["status"] != "passed":
                code = 1
            if not as_json:
                _print_summary(s, console, cached=outcome.cached,
                                     build_dir=_rel(outcome.build_dir))
                _print_failure(err, s, outcome.build_dir)
    except KeyboardInterrupt:
        # plain text: no import (of Rich) on the way out of an interrupt
        click.secho("interrupted: the tool's process group was stopped; no summary was "
                    "written for the unfinished build", err=True, fg="red", bold=True)
        ctx.exit(130)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if known is None and not dry_run and len(plans) == count:
        planmemo.record(recipe, flow, boards, out, plans, seen, recipe_sha256)
    if as_json:
        click.echo(json.dumps(results[0] if len(results) == 1 else results, indent=2))
    ctx.exit(code)


def _jobs(recipe: Path, flow, boards) -> list:
    """(recipe, board) for each build of the invocation."""
    from .. import recipe as recipe_mod
    recipes = [recipe_mod.load(recipe, flow=flow, board=b) for b in boards] if boards \
        else [recipe_mod.load(recipe, flow=flow)]
    jobs = []
    for r in recipes:
        for bname in r.boards:
            board = next(b for b in recipe_mod.recipe_boards(r) if b.name == bname)
            jobs.append((r, board))
    return jobs


def _plan_each(jobs: list, out: Path, say, dry_run: bool, recipe: Path, seen: dict):
    """The plan of each job, made when the build before it is done; ``seen`` gets the stat
    of the files it was made from, taken right after planning (for the plan memo)."""
    from .. import planmemo
    multi = len(jobs) > 1
    for r, board in jobs:
        if multi:
            r = r.for_board(board)
            r.name = f"{r.name}-{board.name}" if board.name not in r.name else r.name
        plan = build_mod.make_plan(r, board, out_root=out, announce=say, dry_run=dry_run)
        if not dry_run:
            seen.update(planmemo.snapshot(recipe, [plan]))
        yield plan


def _plans_from_memo(recipe: Path, flow, boards, out: Path):
    """The plans of this invocation, read back from their build dirs, when the plan memo
    says nothing they were made from changed and each plan.json still has its digests
    (``Plan.load``); else None (plan as usual). ``--force`` reruns the stages, not planning."""
    from .. import planmemo
    from ..plan import Plan
    entries = planmemo.lookup(recipe, flow, boards, out)
    if not entries:
        return None
    plans = []
    for e in entries:
        plan = Plan.load(out / e["dirname"])
        if plan is None or plan.digest != e["digest"]:
            return None
        plans.append(plan)
    return plans


def _served_from_memo(recipe: Path, flow, boards, out: Path):
    """[(summary, build dir)] when the plan memo knows this invocation's digests and every
    build dir holds a passed summary of its digest (else None: plan as usual)."""
    from .. import planmemo
    plans = planmemo.lookup(recipe, flow, boards, out)
    if not plans:
        return None
    served = []
    for p in plans:
        s = build_mod.cached_summary(out / p["dirname"], p["digest"])
        if s is None:
            return None
        served.append((s, out / p["dirname"]))
    return served


def _rel(p: Path) -> str:
    try:
        return str(p.relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def _print_summary(s: dict, console: _Console, **kw) -> None:
    from .. import render
    render.print_summary(s, console.get(), **kw)


def _print_plan(console: _Console, plan, build_dir: Path) -> None:
    console.print(f"[bold]{plan.name}[/] on {plan.device['part']}: flow {plan.flow}, "
                  f"digest {plan.digest[:8]}")
    for note in plan.notes:
        console.print(f"  note: {note}", style="yellow")
    for s in plan.stages:
        console.print(f"  [bold]{s.name}[/] in {_rel(build_dir / s.workdir)}")
        for cmd in s.commands:
            console.print("    $ " + " ".join(cmd), style="dim", soft_wrap=True)
    console.print(f"plan written: {_rel(build_dir / 'plan.json')} (dry run: nothing was run)")


def _print_failure(err: _Console, s: dict, build_dir: Path) -> None:
    for st in s.get("stages", []):
        if st["status"] in ("failed", "incomplete"):
            log = build_dir / st["log"]
            err.print(f"stage {st['name']} {st['status']}: {st.get('message', '')}", style="bold red",
                      soft_wrap=True)
            from .. import runner
            text = runner.tail(log)
            if text:
                err.print(text, style="dim", markup=False, highlight=False, soft_wrap=True)
            err.print(f"full log: {_rel(log)}", style="red", soft_wrap=True)
