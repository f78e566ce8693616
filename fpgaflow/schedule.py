"""Run a plan's stage graph: independent stages at once (up to ``jobs``), stored ones reused.

A stage starts when every stage it ``needs`` has passed; when one of them did not pass it
is ``skipped``. Among the stages ready at once, those that start the longest chains go
first (``rank``): the main job starts its synthesis beside csim, not after it, so the build
takes as long as its longest chain of stages. Before running, a stage is looked up in the stage store by its digest
(``fpgaflow.stagestore``): a hit is copied in instead of run. A stage that runs holds the
store's lock for its digest, so two builds needing the same stage at once (sweep points,
boards of one family) run it once: the second waits and reuses it.

Stages run in worker threads (each runs its tool processes and waits); the observer is
called from the calling thread only, with ``tick`` about once a second. Ctrl-C or SIGTERM
(raised as KeyboardInterrupt by the CLI) stops every running tool's process group and
re-raises. Results come back in plan order whatever order the stages finished in.
"""

from __future__ import annotations

import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from . import runner
from .plan import Plan, Stage
from .runner import StageResult
from .stagestore import StageStore


# stages that run the long tools (synthesis, implementation) before the verification ones
LONG = ("hls", "synth", "pnr", "bitstream")


def rank(name: str, downstream: int, index: int) -> tuple:
    """Start order among ready stages: longer chains (more stages read this one's products),
    then the long tools, then plan order."""
    return (-downstream, 0 if name in LONG else 1, index)


def rerun_set(plan: Plan, force: bool, force_stages: list[str]) -> set[str]:
    """Stages to run even when stored: all with ``force``; each forced stage and every stage
    that reads its (new) products."""
    if force:
        return {s.name for s in plan.stages}
    out: set[str] = set()
    for name in force_stages:
        out.add(name)
        out.update(plan.downstream(name))
    return out


def run(plan: Plan, build_dir: Path, store: StageStore | None, *, jobs: int = 1,
        observer: runner.Observer | None = None, rerun: set[str] = frozenset(),
        on_tool=None) -> list[StageResult]:
    """Run the plan's stages; ``on_tool()`` is called (from a stage thread) each time a tool
    process has started."""
    observer = observer or runner.Observer()
    jobs = max(1, int(jobs))
    (build_dir / "logs").mkdir(parents=True, exist_ok=True)
    by_name = {s.name: s for s in plan.stages}
    index = {s.name: i for i, s in enumerate(plan.stages)}
    pending = sorted(plan.order(), key=lambda s: rank(s.name, len(plan.downstream(s.name)),
                                                    index[s.name]))
    results: dict[str, StageResult] = {}
    running: dict[Future, Stage] = {}
    procs: set = set()
    procs_lock = threading.Lock()
    cancelled = threading.Event()

    def on_process(proc):
        with procs_lock:
            procs.add(proc)
        if cancelled.is_set():
            runner.stop_group(proc)
        if on_tool is not None:
            on_tool()

    def work(stage: Stage) -> StageResult:
        if store is None:
            return runner.run_stage(stage, build_dir, on_process)
        with store.lock(stage):
            if stage.name not in rerun:       # another build may have stored it meanwhile
                hit = store.lookup(stage)
                if hit is not None:
                    res = store.restore(stage, build_dir, hit)
                    if res is not None:
                        return res
            if cancelled.is_set():
                return StageResult(stage.name, "failed", 0.0, f"logs/{stage.name}.log",
                                   message="interrupted")
            before = store.snapshot(plan.upstream(stage.name), build_dir)
            res = runner.run_stage(stage, build_dir, on_process)
            store.save(stage, build_dir, res, before)
            return res

    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="fpgaflow-stage")
    try:
        while pending or running:
            progressed = True
            while progressed:
                progressed = False
                for stage in list(pending):
                    deps = [results.get(n) for n in stage.needs]
                    if any(d is None for d in deps):
                        continue
                    bad = [(n, d) for n, d in zip(stage.needs, deps) if d.status != "passed"]
                    if bad:
                        pending.remove(stage)
                        n, d = bad[0]
                        res = StageResult(stage.name, "skipped", 0.0, f"logs/{stage.name}.log",
                                          message=f"not run: {n} {d.status}")
                        results[stage.name] = res
                        observer.stage_finished(stage, res)
                        progressed = True
                        continue
                    if store is not None and stage.name not in rerun:
                        with store.lock(stage):
                            hit = store.lookup(stage)
                            res = store.restore(stage, build_dir, hit) if hit else None
                        if res is not None:
                            pending.remove(stage)
                            results[stage.name] = res
                            observer.stage_finished(stage, res)
                            progressed = True
                            continue
                    if len(running) >= jobs:
                        continue
                    pending.remove(stage)
                    observer.stage_started(stage)
                    running[pool.submit(work, stage)] = stage
            if not running:
                if pending:      # cannot happen with a valid graph; never spin
                    raise RuntimeError("stage graph stalled: " + ", ".join(s.name for s in pending))
                break
            done, _ = wait(list(running), timeout=1.0, return_when=FIRST_COMPLETED)
            for fut in done:
                stage = running.pop(fut)
                res = fut.result()
                results[stage.name] = res
                observer.stage_finished(stage, res)
            observer.tick()
    except BaseException:
        cancelled.set()
        with procs_lock:
            alive = [p for p in procs if p.poll() is None]
        for p in alive:
            runner.stop_group(p)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [results[s.name] for s in plan.stages if s.name in by_name]
