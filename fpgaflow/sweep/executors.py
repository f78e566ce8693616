"""Executors: how planned points are built. ``serial`` in this process, ``local`` in spawned
worker processes (Ctrl-C stops them all and cancels the queue), ``dask`` on a cluster.
Each yields (index, result) as points finish; ``build_point`` never raises for a design."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def build_point(plan, out_root: str, force: bool = False) -> dict[str, Any]:
    """Build one planned point (runs in a worker process). Never raises for a design failure."""
    import time

    from .. import build
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

    from .. import toolchain
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
