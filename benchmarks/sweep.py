"""Sweep executors side by side: the same 8-point sweep serially, with -j 2 and on a Dask
cluster of two worker processes started as a real cluster is (`dask scheduler` and two
`dask worker` commands on loopback; `--local-cluster` adds Dask's LocalCluster), each into a
fresh output directory; points per minute and the per-point overhead of each; then the
finished sweep again (all cache hits); then a sweep whose points share synthesis (two ECP5
boards x counter widths: synth_ecp5 does not depend on the part) and how many stages, and
how many seconds of tool time, the per-stage cache saved. Prints figures; asserts nothing
about time. The machine may be shared: compare the modes of one run, not runs.

    python benchmarks/sweep.py [--points 8] [--keep DIR] [--local-cluster] [--json]

The points are the blinky counter on the iCEBreaker (iCE40UP5K) at 8 counter widths:
real Yosys synthesis + nextpnr place-and-route, a few seconds each.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fpgaflow import sweep  # noqa: E402

SWEEP = """\
name: bench
base:
  core: fpgaflow:demo:blinky
  board: icebreaker
  stages: [synth, pnr]
  clocks: {{clk: 48 MHz}}
  parameters: {{WIDTH: 8, LEDS: 4}}
matrix:
  parameters.WIDTH: {widths}
objectives:
  - {{metric: lut.used, goal: min}}
  - {{metric: fmax_mhz, goal: max}}
"""


SHARED = """\
name: shared
base:
  core: fpgaflow:demo:blinky
  stages: [synth, pnr]
  clocks: {{clk: 25 MHz}}
  parameters: {{WIDTH: 8, LEDS: 4}}
matrix:
  parameters.WIDTH: {widths}
  board: [orangecrab-25f, ulx3s]
"""


class DaskCluster:
    """`dask scheduler` + two `dask worker` processes on loopback, as a cluster is started
    (here on one machine); stopped (TERM, then KILL) on exit."""

    def __init__(self, root: Path, workers: int = 2):
        self.root, self.workers, self.procs = root, workers, []

    def __enter__(self) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        sched_file = self.root / "scheduler.json"
        sched_file.unlink(missing_ok=True)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
        dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
        if shutil.which("dask"):
            dask = [shutil.which("dask"), "scheduler"]
        logs = open(self.root / "cluster.log", "w")
        self.procs.append(subprocess.Popen(
            [*dask, "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(sched_file)], stdout=logs, stderr=logs, env=env))
        for _ in range(300):
            if sched_file.exists() and sched_file.read_text().strip():
                break
            time.sleep(0.1)
        address = json.loads(sched_file.read_text())["address"]
        worker = [shutil.which("dask"), "worker"] if shutil.which("dask") else \
            [sys.executable, "-m", "distributed.cli.dask_worker"]
        for i in range(self.workers):
            self.procs.append(subprocess.Popen(
                [*worker, address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                 "--name", f"w{i}", "--local-directory", str(self.root / f"w{i}")],
                stdout=logs, stderr=logs, env=env, cwd=REPO))
        from distributed import Client
        with Client(address, timeout="60s") as c:
            c.wait_for_workers(self.workers, timeout=120)
        return address

    def __exit__(self, *exc):
        for p in reversed(self.procs):
            p.terminate()
        for p in reversed(self.procs):
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def stage_seconds(res) -> float:
    """Tool time of the stages that ran (not those reused from the stage store)."""
    total = 0.0
    for r in res.records:
        s = r.get("summary") or _summary(r)
        for st in (s or {}).get("stages", []):
            if not st.get("cached"):
                total += st.get("seconds") or 0
    return total


def _summary(record) -> dict | None:
    bdir = record.get("build_dir")
    try:
        return json.loads((Path(bdir) / "summary.json").read_text()) if bdir else None
    except (OSError, ValueError):
        return None


def timed(s, out, **kw):
    start = time.perf_counter()
    res = sweep.run(s, out, announce=lambda m: None, **kw)
    wall = time.perf_counter() - start
    bad = [r["name"] for r in res.records if r["status"] != "passed"]
    if bad:
        print(f"  warning: points not passed: {bad}")
    built = sum(r.get("seconds") or 0 for r in res.records if not r["cached"])
    return wall, built, res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=8)
    ap.add_argument("--shared-widths", type=int, default=3,
                    help="counter widths of the shared-synthesis sweep (x 2 boards)")
    ap.add_argument("--keep", type=Path, help="work in this directory and keep it")
    ap.add_argument("--local-cluster", action="store_true", help="also Dask's LocalCluster")
    ap.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="fpgaflow-bench-sweep-"))
    root.mkdir(parents=True, exist_ok=True)
    widths = [8 + 2 * i for i in range(args.points)]
    path = root / "bench.yaml"
    path.write_text(SWEEP.format(widths=widths))
    s = sweep.load(path)
    n = len(widths)
    figures: dict = {"points": n, "cores": os.cpu_count(), "load_before": os.getloadavg()[0]}
    print(f"{n}-point sweep (blinky WIDTH {widths[0]}..{widths[-1]} on iCE40UP5K, synth+pnr), "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, output under {root}")
    # warm: tool versions and the YoWASP compile are not part of any figure
    sweep.warm_tools(["yosys", "nextpnr-ice40", "nextpnr-ecp5"])
    # and one untimed pass, so that the first timed mode does not pay for cold file caches,
    # imports and the FuseSoC memo that the later modes would get for free
    timed(s, root / "warm-up", executor="serial")

    modes = [("serial", dict(executor="serial"), 1),
             ("local -j 2", dict(executor="local", jobs=2), 2),
             ("dask cluster, 2 workers", dict(executor="dask"), 2)]
    if args.local_cluster:
        modes.append(("dask LocalCluster, 2 workers", dict(executor="dask", jobs=2), 2))
    rows = []
    for label, kw, workers in modes:
        out = root / label.replace(" ", "_").replace(",", "")
        shutil.rmtree(out, ignore_errors=True)
        if label.startswith("dask cluster"):
            with DaskCluster(root / "cluster") as address:
                wall, built, res = timed(s, out, scheduler=address, **kw)
        else:
            wall, built, res = timed(s, out, **kw)
        tools = stage_seconds(res)
        rows.append((label, wall, built, tools, workers, out))
        print(f"  {label:30s} wall {wall:6.1f} s   {60 * n / wall:5.1f} points/min   "
              f"point builds {built:6.1f} s   tool stages {tools:6.1f} s")
        figures[f"points_per_min[{label}]"] = round(60 * n / wall, 2)
    serial = rows[0][1]
    print("\nwall-clock against serial (2 workers on 2 cores: ideal 0.5):")
    for label, wall, *_ in rows[1:]:
        print(f"  {label:30s} {wall / serial:5.2f}")
    print("\noverhead per point, (wall x workers - time) / points:")
    print(f"  {'':30s} {'dispatch':>9s} {'all (fpgaflow + dispatch)':>26s}")
    for label, wall, built, tools, workers, _ in rows:
        disp, allo = (wall * workers - built) / n, (wall * workers - tools) / n
        print(f"  {label:30s} {disp:8.2f}s {allo:25.2f}s")
        figures[f"overhead_per_point_s[{label}]"] = round(allo, 3)

    out = rows[0][5]
    wall, _, res = timed(s, out, executor="local", jobs=2)
    cached = sum(r["cached"] for r in res.records)
    print(f"\nre-run of the finished sweep ({cached}/{n} from cache, goal < 2 s):")
    print(f"  in-process sweep.run          {wall:5.2f} s")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fpgaflow", "sweep", str(path), "--out", str(out),
                    "--json"], check=True, capture_output=True, cwd=REPO)
    print(f"  `fpgaflow sweep` (new process) {time.perf_counter() - start:5.2f} s")

    # ---- points sharing synthesis: the stage store serves the second board's synth
    sw = [8 + 4 * i for i in range(args.shared_widths)]
    spath = root / "shared.yaml"
    spath.write_text(SHARED.format(widths=sw))
    ss = sweep.load(spath)
    sout = root / "shared"
    shutil.rmtree(sout, ignore_errors=True)
    wall, _, res = timed(ss, sout, executor="local", jobs=2)
    ran, reused, saved_s = 0, 0, 0.0
    for r in res.records:
        for st in (_summary(r) or {}).get("stages", []):
            if st.get("cached"):
                reused += 1
                # "reused: built in <dir> (<seconds> s)": the run it saved (the store may
                # have pruned the entry since)
                m = re.search(r"\(([0-9.]+) s\)$", st.get("message", ""))
                saved_s += float(m.group(1)) if m else 0.0
            else:
                ran += 1
    pts = len(res.records)
    print(f"\nsweep sharing synthesis ({pts} points: WIDTH {sw} x orangecrab-25f, ulx3s; "
          f"-j 2): wall {wall:.1f} s")
    print(f"  stages run {ran}, reused from the stage store {reused} "
          f"(of {ran + reused}), tool time saved {saved_s:.1f} s")
    figures.update(shared_points=pts, shared_stages_run=ran, shared_stages_reused=reused,
                   shared_tool_seconds_saved=round(saved_s, 2),
                   load_after=os.getloadavg()[0])
    if args.json:
        print(json.dumps(figures, indent=1))
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
