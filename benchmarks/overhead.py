"""fpgaflow's overhead over the bare tools, on a small real design.

Prints (no assertions):
- `fpgaflow build --force` vs the bare tool commands of its own plan (same Yosys/nextpnr,
  same scripts, run by a shell loop), five runs each, median ratio (goal <= 1.10);
- `fpgaflow --help` start-up time vs `python -c pass`;
- the time to serve an unchanged recipe from cache (goal < 1 s).

    python benchmarks/overhead.py [RECIPE]      (default: recipes/blinky_icebreaker.yaml)
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = 5


def timed(cmd, **kw) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0


def main() -> None:
    recipe = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "recipes/blinky_icebreaker.yaml"
    fpgaflow = [sys.executable, "-m", "fpgaflow"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        subprocess.run([*fpgaflow, "build", str(recipe), "--out", str(out), "--dry-run", "--json"],
                       check=True, capture_output=True)
        (bdir,) = [d for d in out.glob("*-*") if d.is_dir()]
        plan = json.loads((bdir / "plan.json").read_text())
        # warm-up: one full build (tool versions cached, WebAssembly compiled)
        subprocess.run([*fpgaflow, "build", str(recipe), "--out", str(out), "--force"],
                       check=True, capture_output=True)

        bare, ours = [], []
        for _ in range(RUNS):
            # the same generated scripts, at the same depth under OUT as the build's own
            # work dir: they reach the sources by relative paths
            scratch = out / "bare" / "work"
            shutil.rmtree(scratch, ignore_errors=True)
            shutil.copytree(bdir / "work", scratch)
            t0 = time.perf_counter()
            for stage in plan["stages"]:
                for cmd in stage["commands"]:
                    subprocess.run(cmd, cwd=scratch / stage["name"], check=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            bare.append(time.perf_counter() - t0)
            ours.append(timed([*fpgaflow, "build", str(recipe), "--out", str(out), "--force"]))

        cache = [timed([*fpgaflow, "build", str(recipe), "--out", str(out)]) for _ in range(RUNS)]
        help_t = [timed([*fpgaflow, "--help"]) for _ in range(RUNS)]
        python_t = [timed([sys.executable, "-c", "pass"]) for _ in range(RUNS)]

    med = statistics.median
    print(f"recipe: {recipe.relative_to(REPO) if recipe.is_relative_to(REPO) else recipe}")
    print(f"stages: {', '.join(s['name'] for s in plan['stages'])}; {RUNS} runs each, medians")
    print(f"bare tool commands      {med(bare):7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in bare)})")
    print(f"fpgaflow build --force  {med(ours):7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in ours)})")
    print(f"ratio fpgaflow / bare   {med(ours) / med(bare):7.3f}     (goal <= 1.10)")
    print(f"served from cache       {med(cache):7.3f} s   (goal < 1 s)")
    print(f"fpgaflow --help         {med(help_t):7.3f} s   (python -c pass: {med(python_t):.3f} s)")


if __name__ == "__main__":
    main()
