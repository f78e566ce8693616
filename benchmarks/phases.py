"""Where fpgaflow's own time goes in a build: the phases of one process, in milliseconds.

``overhead.py`` gives the ratios; this shows what is left in them. It runs ``fpgaflow build``
in a child Python that wraps a few functions with timestamps (nothing else changes), for
blinky with ``--force`` (the plan memo vouches for the plans: no planning) and for blinky
with a new clock (the recipe is validated and planned again, nextpnr runs), and prints for
each: interpreter start, loading the command line, the memo lookup, loading and validating
the recipe, planning, the run up to the first tool, the tools, between the tools, and
after the last one (reports, summary, table), and the CPU time of fpgaflow's own process
(its threads included, the tools not: the figure that a loaded machine changes least). A last line times ``import pydantic`` and its
first model in a bare interpreter: the part of recipe loading no fpgaflow code can avoid.

    python benchmarks/phases.py [--runs 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BLINKY = REPO / "recipes/blinky_icebreaker.yaml"

# run in the child: wrap, run the CLI, write the marks as JSON to the pipe it is given
CHILD = r"""
import json, os, runpy, sys, time
t0, fd = float(sys.argv[1]), int(sys.argv[2]); marks = [("start", time.time() - t0)]
def mark(name): marks.append((name, time.time() - t0))
import importlib
def wrap(module, attr, name):
    obj = importlib.import_module(module)
    *path, last = attr.split(".")
    for p in path:
        obj = getattr(obj, p)
    orig = getattr(obj, last)
    def f(*a, **k):
        mark(name + " >")
        try:
            return orig(*a, **k)
        finally:
            mark(name + " <")
    setattr(obj, last, f)
import fpgaflow.cli.build
mark("cli loaded")
for module, attr, name in [
        ("fpgaflow.cli.build", "_jobs", "recipe"), ("fpgaflow.build", "make_plan", "plan"),
        ("fpgaflow.build", "execute", "execute"), ("fpgaflow.runner", "run_command", "tool")]:
    wrap(module, attr, name)
sys.argv = ["fpgaflow", *sys.argv[3:]]
try:
    runpy.run_module("fpgaflow", run_name="__main__")
except SystemExit:
    pass
mark("end")
import resource
ru = resource.getrusage(resource.RUSAGE_SELF)
marks.append(("cpu", ru.ru_utime + ru.ru_stime))
with os.fdopen(fd, "w") as out:
    json.dump(marks, out)
"""


def phases(args: list[str]) -> dict[str, float]:
    """One build's phases in ms."""
    import os
    read, write = os.pipe()
    t0 = time.time()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, repr(t0), str(write), "build", *args],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            pass_fds=(write,))
    os.close(write)
    with os.fdopen(read) as fh:
        data = fh.read()
    proc.wait()
    t_end = time.time() - t0
    marks = json.loads(data)
    at = {}
    for name, t in marks:
        at.setdefault(name, []).append(t)
    ms = lambda s: round(1000 * s, 1)       # noqa: E731
    tools = list(zip(at.get("tool >", []), at.get("tool <", [])))
    out = {"interpreter start": ms(at["start"][0]),
           "command line loaded": ms(at["cli loaded"][0] - at["start"][0])}
    first = at["recipe >"][0] if "recipe >" in at else at["execute >"][0]
    out["memo lookup"] = ms(first - at["cli loaded"][0])
    if "recipe >" in at:
        out["recipe load + validation"] = ms(at["recipe <"][0] - at["recipe >"][0])
        out["planning"] = ms(sum(b - a for a, b in zip(at["plan >"], at["plan <"])))
        out["memo lookup"] = ms(at["recipe >"][0] - at["cli loaded"][0])
    out["execute: to the first tool"] = ms(tools[0][0] - at["execute >"][0]) if tools else None
    out["tools"] = ms(sum(b - a for a, b in tools))
    out["between tools"] = ms(sum(tools[i + 1][0] - tools[i][1] for i in range(len(tools) - 1)))
    out["after the last tool"] = ms(at["end"][0] - tools[-1][1]) if tools else None
    out["exit"] = ms(t_end - at["end"][0])
    out["total"] = ms(t_end)
    out["fpgaflow's own"] = round(out["total"] - out["tools"], 1)
    out["its CPU time (all threads)"] = ms(at["cpu"][0])
    return out


def pydantic_floor() -> dict[str, float]:
    code = ("import time; t = time.perf_counter(); from pydantic import BaseModel; "
            "t1 = time.perf_counter()\nclass A(BaseModel):\n    x: int\n"
            "print(round(1000 * (t1 - t), 1), round(1000 * (time.perf_counter() - t1), 1))")
    a, b = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.split()
    return {"import pydantic": float(a), "its first model": float(b)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "fpgaflow")], check=True,
                   stdout=subprocess.DEVNULL)
    res: dict = {}
    with tempfile.TemporaryDirectory(prefix="fpgaflow-phases-") as tmp:
        out = str(Path(tmp) / "build")
        phases([str(BLINKY), "--out", out, "--force"])          # warm: memo, store, versions
        runs = [phases([str(BLINKY), "--out", out, "--force"]) for _ in range(args.runs)]
        res["blinky --force"] = _median(runs)
        src = BLINKY.read_text()
        runs = []
        for i in range(args.runs + 1):
            recipe = Path(tmp) / f"clock{i}.yaml"
            recipe.write_text(src.replace("clk: 48 MHz", f"clk: {30 + i} MHz"))
            r = phases([str(recipe), "--out", out])
            if i:                                   # the first new clock warms the memos
                runs.append(r)
        res["blinky, new clock"] = _median(runs)
    res["bare interpreter"] = pydantic_floor()
    if args.json:
        print(json.dumps(res, indent=1))
        return
    for case, ph in res.items():
        print(f"\n{case} (ms, median of {args.runs})" if case != "bare interpreter"
              else "\nin a bare interpreter (ms)")
        for k, v in ph.items():
            print(f"  {k:30s} {'-' if v is None else f'{v:8.1f}'}")


def _median(runs: list[dict]) -> dict:
    return {k: (None if runs[0][k] is None else round(statistics.median(r[k] for r in runs), 1))
            for k in runs[0]}


if __name__ == "__main__":
    main()
