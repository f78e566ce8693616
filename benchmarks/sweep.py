"""Sweep executors side by side: the same 8-point sweep serially, with -j 2 and on a 2-worker
Dask LocalCluster, each into a fresh output directory; then the finished sweep again (all
cache hits). Prints figures; asserts nothing about time.

    python benchmarks/sweep.py [--points 8] [--keep DIR]

The points are the blinky counter on the iCEBreaker (iCE40UP5K) at 8 counter widths:
real Yosys synthesis + nextpnr place-and-route, a few seconds each.
"""

from __future__ import annotations

import argparse
import os
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
    ap.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="fpgaflow-bench-sweep-"))
    root.mkdir(parents=True, exist_ok=True)
    widths = [8 + 2 * i for i in range(args.points)]
    path = root / "bench.yaml"
    path.write_text(SWEEP.format(widths=widths))
    s = sweep.load(path)
    n = len(widths)
    print(f"{n}-point sweep (blinky WIDTH {widths[0]}..{widths[-1]} on iCE40UP5K, synth+pnr), "
          f"{os.cpu_count()} cores, output under {root}")
    # warm: tool versions and the YoWASP compile are not part of any figure
    sweep.warm_tools(["yosys", "nextpnr-ice40"])
    # and one untimed pass, so that the first timed mode does not pay for cold file caches,
    # imports and the FuseSoC memo that the later modes would get for free
    timed(s, root / "warm-up", executor="serial")

    rows = []
    for label, kw in (("serial", dict(executor="serial")),
                      ("local -j 2", dict(executor="local", jobs=2)),
                      ("dask LocalCluster, 2 workers", dict(executor="dask", jobs=2))):
        out = root / label.split()[0]
        shutil.rmtree(out, ignore_errors=True)
        wall, built, res = timed(s, out, **kw)
        rows.append((label, wall, built, out))
        print(f"  {label:30s} wall {wall:6.1f} s   sum of point builds {built:6.1f} s   "
              f"front {res.front}")
    serial = rows[0][1]
    print("\nwall-clock against serial (goal <= 0.6 on 2 cores):")
    for label, wall, built, _ in rows[1:]:
        print(f"  {label:30s} {wall / serial:5.2f}")
    print("\noverhead per point (wall x workers - time inside the builds) / points:")
    for (label, wall, built, _), workers in zip(rows, (1, 2, 2)):
        print(f"  {label:30s} {(wall * workers - built) / n:5.2f} s")
    local, dask = rows[1], rows[2]
    print(f"  dask against local processes: {(dask[1] - local[1]) / n:+.2f} s per point (wall)")

    out = rows[0][3]
    wall, _, res = timed(s, out, executor="local", jobs=2)
    cached = sum(r["cached"] for r in res.records)
    print(f"\nre-run of the finished sweep ({cached}/{n} from cache, goal < 2 s):")
    print(f"  in-process sweep.run          {wall:5.2f} s")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fpgaflow", "sweep", str(path), "--out", str(out),
                    "--json"], check=True, capture_output=True, cwd=REPO)
    print(f"  `fpgaflow sweep` (new process) {time.perf_counter() - start:5.2f} s")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
