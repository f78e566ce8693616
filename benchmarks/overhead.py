"""fpgaflow's overhead over the bare tool commands, side by side in one run.

Every figure is a ratio against a baseline measured in the same command (medians of paired
runs), so a loaded machine slows both sides; absolute seconds are printed for reference only.

- blinky (iCE40, Yosys + nextpnr): `fpgaflow build --force` against the bare commands of its
  own plan, run at the build's depth (goal <= 1.05);
- a cache hit: `fpgaflow build` of the unchanged recipe, new process (goal < 0.25 s);
- only the clock changed: `fpgaflow build` of the recipe with a new clock (synthesis comes
  from the stage store, nextpnr runs) against the bare nextpnr command (goal <= 1.10);
- `fpgaflow --help` start-up, against `python -c pass`;
- the main job (recipes/bilstm_zcu104.yaml: csim, sim, synth): `fpgaflow build --force`
  against its bare commands run as the stage graph allows on the same number of cores
  (independent stages at once, goal <= 1.02), and the build's wall time over its longest
  stage (goal <= 1.02: the stages that can overlap do).

fpgaflow's bytecode is written first (``compileall``, as ``pip install`` does) unless
``--no-compile``.

    python benchmarks/overhead.py [--runs 5] [--main-runs 1] [--no-main | --main-only] [--json]
                                  [--no-compile]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
FPGAFLOW = [sys.executable, "-m", "fpgaflow"]
BLINKY = REPO / "recipes/blinky_icebreaker.yaml"
MAIN = REPO / "recipes/bilstm_zcu104.yaml"


def timed(cmd, **kw) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0


def build(recipe: Path, out: Path, *extra: str) -> float:
    return timed([*FPGAFLOW, "build", str(recipe), "--out", str(out), *extra], cwd=REPO)


def dry_plan(recipe: Path, out: Path) -> tuple[dict, Path]:
    """The plan of a recipe and a pristine copy of its generated work dirs."""
    proc = subprocess.run([*FPGAFLOW, "build", str(recipe), "--out", str(out), "--dry-run",
                           "--json"], check=True, capture_output=True, text=True, cwd=REPO)
    bdir = Path(json.loads(proc.stdout)["build_dir"])
    plan = json.loads((bdir / "plan.json").read_text())
    pristine = out / f"pristine-{bdir.name}"
    shutil.rmtree(pristine, ignore_errors=True)
    shutil.copytree(bdir / "work", pristine / "work")
    return plan, pristine


def bare_graph(plan: dict, pristine: Path, scratch: Path, jobs: int,
               only: list[str] | None = None) -> float:
    """The plan's commands without fpgaflow: each stage's commands in order in its work dir
    (a copy of the pristine one at the build's depth: sources are reached by relative
    paths), independent stages at once up to ``jobs``, as a shell script with ``&`` would."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(pristine / "work", scratch / "work")
    from fpgaflow.schedule import rank
    stages = [s for s in plan["stages"] if only is None or s["name"] in only]
    names = {s["name"] for s in stages}

    def downstream(name: str) -> int:      # stages reading its products, directly or not
        found, todo = set(), [name]
        while todo:
            n = todo.pop()
            for s in stages:
                if n in s.get("needs", []) and s["name"] not in found:
                    found.add(s["name"])
                    todo.append(s["name"])
        return len(found)
    # the order fpgaflow starts ready stages in: what a hand-written script would do too
    stages.sort(key=lambda s: rank(s["name"], downstream(s["name"]), plan["stages"].index(s)))
    done: set[str] = set()
    cond = threading.Condition()
    running = [0]
    failed: list[str] = []

    def run(stage):
        for cmd in stage["commands"]:
            rc = subprocess.run(cmd, cwd=scratch / "work" / stage["name"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            if rc:
                failed.append(f"{stage['name']}: {cmd[0]} exited {rc}")
                break
        with cond:
            done.add(stage["name"])
            running[0] -= 1
            cond.notify_all()

    t0 = time.perf_counter()
    pending = list(stages)
    threads = []
    with cond:
        while pending:
            ready = [s for s in pending
                     if all(n in done or n not in names for n in s.get("needs", []))]
            if ready and running[0] < jobs:
                s = ready[0]
                pending.remove(s)
                running[0] += 1
                t = threading.Thread(target=run, args=(s,))
                t.start()
                threads.append(t)
                continue
            cond.wait()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if failed:
        raise SystemExit(f"bare commands failed: {failed}")
    return wall


def paired(bare, ours, runs: int) -> tuple[list[float], list[float]]:
    """``runs`` pairs, alternating which side goes first."""
    b, o = [], []
    for i in range(runs):
        if i % 2:
            o.append(ours())
            b.append(bare())
        else:
            b.append(bare())
            o.append(ours())
    return b, o


def fmt(xs: list[float]) -> str:
    return ", ".join(f"{x:.2f}" for x in xs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="paired runs for the small figures")
    ap.add_argument("--main-runs", type=int, default=1, help="paired runs of the main job")
    ap.add_argument("--no-main", action="store_true", help="skip the main job (minutes)")
    ap.add_argument("--main-only", action="store_true", help="only the main job")
    ap.add_argument("--json", action="store_true", help="print one JSON object only")
    ap.add_argument("--no-compile", action="store_true",
                    help="do not write fpgaflow's bytecode first (compileall)")
    args = ap.parse_args()
    jobs = os.cpu_count() or 1
    res: dict = {"cores": jobs, "load_before": round(os.getloadavg()[0], 2)}
    say = (lambda *a: None) if args.json else (lambda *a: print(*a, flush=True))

    if not args.no_compile:
        # as `pip install` leaves a package: its bytecode written (an editable checkout
        # with PYTHONDONTWRITEBYTECODE=1 would compile every module in every process)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "fpgaflow")],
                       check=True, stdout=subprocess.DEVNULL)
    res["bytecode_compiled"] = not args.no_compile
    with tempfile.TemporaryDirectory(prefix="fpgaflow-overhead-") as tmp:
        out = Path(tmp) / "build"
        say(f"machine: {jobs} cores, load average {res['load_before']} (shared: absolute "
            "seconds are indicative, ratios are paired within this run)")
        if not args.main_only:
            small(args, out, Path(tmp), jobs, res, say)
        if not args.no_main:
            main_job(args, out, jobs, res, say)
    res["load_after"] = round(os.getloadavg()[0], 2)
    say(f"\nload average after: {res['load_after']}")
    if args.json:
        keys = ("ratio_blinky", "ratio_main", "cache_hit_s", "clock_change_ratio", "help_s",
                "main_wall_over_longest_stage")
        print(json.dumps({k: (round(res[k], 4) if isinstance(res.get(k), float) else res.get(k))
                          for k in keys} | {k: v for k, v in res.items() if k not in keys},
                         indent=1))


def small(args, out: Path, tmp: Path, jobs: int, res: dict, say) -> None:
    """blinky against its bare commands, the cache hit, the clock-only change, --help."""
    med = statistics.median
    # ---- blinky: full rebuild against the bare commands
    plan, pristine = dry_plan(BLINKY, out)
    build(BLINKY, out, "--force")            # warm-up: tool versions, WebAssembly, memos
    bare, ours = paired(lambda: bare_graph(plan, pristine, out / "bare", jobs),
                        lambda: build(BLINKY, out, "--force"), args.runs)
    res |= {"blinky_bare_s": med(bare), "blinky_fpgaflow_s": med(ours),
            "ratio_blinky": med(ours) / med(bare),
            "blinky_extra_s": med([o - b for b, o in zip(bare, ours)])}
    say(f"\nblinky on iCE40UP5K ({', '.join(s['name'] for s in plan['stages'])}), "
        f"{args.runs} paired runs, medians")
    say(f"  bare tool commands         {med(bare):7.2f} s  ({fmt(bare)})")
    say(f"  fpgaflow build --force     {med(ours):7.2f} s  ({fmt(ours)})")
    say(f"  ratio                      {res['ratio_blinky']:7.3f}    (goal <= 1.05; "
        f"fpgaflow's own time, median of the pairs: {res['blinky_extra_s']:.3f} s)")

    # ---- cache hit
    build(BLINKY, out)
    hits = [build(BLINKY, out) for _ in range(args.runs)]
    py = [timed([sys.executable, "-c", "pass"]) for _ in range(args.runs)]
    res |= {"cache_hit_s": med(hits), "python_s": med(py)}
    say(f"  served from cache          {med(hits):7.3f} s  ({fmt(hits)}; goal < 0.25 s; "
        f"python -c pass {med(py):.3f} s)")

    # ---- only the clock changed: fpgaflow rebuild vs bare nextpnr
    src = BLINKY.read_text()
    warm = out / f"blinky_icebreaker-{_digest8(out, 'blinky_icebreaker')}" / "work"
    clock_bare, clock_ours = [], []
    for i in range(args.runs):
        recipe = tmp / f"clock{i}.yaml"
        recipe.write_text(src.replace("clk: 48 MHz", f"clk: {40 + i} MHz"))   # nothing else
        p, pr = dry_plan(recipe, out)
        # the bare nextpnr reads what the stages before it wrote in the warm build (the
        # netlist, the pin constraints): a new clock changes neither
        for up in p["stages"]:
            if up["name"] != "pnr":
                shutil.copytree(warm / up["name"], pr / "work" / up["name"], dirs_exist_ok=True)
        sides = [lambda: clock_bare.append(bare_graph(p, pr, out / "bare", jobs, only=["pnr"])),
                 lambda: clock_ours.append(build(recipe, out))]
        for side in (sides if i % 2 == 0 else sides[::-1]):
            side()
    res |= {"clock_bare_pnr_s": med(clock_bare), "clock_fpgaflow_s": med(clock_ours),
            "clock_change_ratio": med(clock_ours) / med(clock_bare),
            "clock_extra_s": med([o - b for b, o in zip(clock_bare, clock_ours)])}
    say(f"\nonly the clock changed ({args.runs} new clocks): synth from the stage store, "
        "nextpnr runs")
    say(f"  bare nextpnr               {med(clock_bare):7.2f} s  ({fmt(clock_bare)})")
    say(f"  fpgaflow build             {med(clock_ours):7.2f} s  ({fmt(clock_ours)})")
    say(f"  ratio                      {res['clock_change_ratio']:7.3f}    (goal <= 1.10; "
        f"fpgaflow's own time: {res['clock_extra_s']:.3f} s, planning the new recipe included)")

    # ---- --help
    helps = [timed([*FPGAFLOW, "--help"]) for _ in range(args.runs)]
    res |= {"help_s": med(helps)}
    say(f"\nfpgaflow --help              {med(helps):7.3f} s  (python -c pass "
        f"{med(py):.3f} s)")


def main_job(args, out: Path, jobs: int, res: dict, say) -> None:
    """The main job: fpgaflow against its bare commands on the same stage graph and cores,
    fpgaflow first (its own figure, wall over longest stage, is printed as soon as known)."""
    med = statistics.median
    mplan, mpristine = dry_plan(MAIN, out)
    say(f"\nmain job {MAIN.relative_to(REPO)} ({', '.join(s['name'] for s in mplan['stages'])}),"
        f" {args.main_runs} paired run(s), -j {jobs}")
    bare_m, ours_m, over, longest = [], [], [], []
    for i in range(args.main_runs):
        for side in (("ours", "bare") if i % 2 == 0 else ("bare", "ours")):
            if side == "bare":
                bare_m.append(bare_graph(mplan, mpristine, out / "bare", jobs))
                say(f"  bare commands, same graph  {bare_m[-1]:7.1f} s")
                continue
            t = build(MAIN, out, "--force")
            (bdir,) = [d for d in out.glob(f"{mplan['name']}-*") if (d / "summary.json").exists()]
            s = json.loads((bdir / "summary.json").read_text())
            assert s["status"] == "passed", s["status"]
            stages = {st["name"]: st["seconds"] for st in s["stages"]}
            ours_m.append(t)
            longest.append(max(stages.values()))
            over.append(t / longest[-1])
            say(f"  fpgaflow build --force     {t:7.1f} s  (stages: " +
                ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()) +
                f"; wall / longest stage {over[-1]:.3f})")
    res |= {"main_bare_s": med(bare_m), "main_fpgaflow_s": med(ours_m),
            "ratio_main": med(ours_m) / med(bare_m), "main_longest_stage_s": med(longest),
            "main_wall_over_longest_stage": med(over)}
    say(f"  ratio fpgaflow / bare      {res['ratio_main']:7.3f}    (goal <= 1.02)")
    say(f"  wall / longest stage       {res['main_wall_over_longest_stage']:7.3f}    "
        "(goal <= 1.02; 1.15 when the stages ran one after another)")


def _digest8(out: Path, name: str) -> str:
    """The build dir suffix of the (only) passed build of ``name`` under out."""
    for d in sorted(out.glob(f"{name}-*")):
        if (d / "summary.json").exists():
            return d.name.rsplit("-", 1)[1]
    raise SystemExit(f"no passed build of {name} under {out}")


if __name__ == "__main__":
    main()
