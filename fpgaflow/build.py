"""recipe -> plan -> run -> parse -> summary, for one recipe on one board.

``make_plan`` resolves the recipe into a Plan (no tool runs, except a first version
probe); ``execute`` runs it under a lock, or serves it from the build directory when an
identical plan already passed there. Otherwise the stage graph runs (``fpgaflow.schedule``:
independent stages at once, each stage reused from the stage store under OUT/.stages/ when
its digest is there); ``summarize`` turns stage results and reports into the summary (pure
apart from reading the reports).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import summary as summary_mod
from .errors import FpgaflowError, ToolMissing
from .plan import Plan

if TYPE_CHECKING:
    from . import runner
    from .boards import Board
    from .recipe import Recipe

# planning and running import FuseSoC's adapter, the flows, Jinja and the locks: not needed
# to serve a build from cache (cached_summary), so they are imported where they are used

ORDER = ("csim", "hls", "sim", "synth", "constraints", "pnr", "bitstream")


def make_plan(recipe: Recipe, board: Board, *, out_root: Path, announce=print,
              dry_run: bool = False, core_roots: tuple[Path, ...] | None = None) -> Plan:
    """The build plan of a recipe on a board; nothing runs. An error found while planning
    (a parameter the core's model rejects, a missing tool) names the recipe file and line.
    ``core_roots``: the core libraries (default: those of the recipe's folder, see
    ``corelib.core_roots``); a sweep passes its project's for the point recipes it writes."""
    from . import recipe as recipe_mod
    try:
        return _make_plan(recipe, board, out_root=out_root, announce=announce, dry_run=dry_run,
                          core_roots=core_roots)
    except FpgaflowError as exc:
        if exc.file is None and recipe.path is not None:
            exc.file = str(recipe.path)
            exc.line = exc.line or recipe_mod.locate(recipe.path, exc.key)
        raise


def _make_plan(recipe: Recipe, board: Board, *, out_root: Path, announce=print,
               dry_run: bool = False, core_roots: tuple[Path, ...] | None = None) -> Plan:
    from . import corelib, flows
    from .flows import hooks as flow_hooks
    from .flows import sim as sim_flow
    flow, reason = flows.choose(recipe.flow, board, dry_run=dry_run)
    others = [f for f in flows.registry().for_device(board.device) if f is not flow] \
        if recipe.flow == "auto" else []
    options = flows.validate_options(flow, recipe.options, others=others)
    notes = [f"flow: {reason}"]
    ignored = [k for k in recipe.options if k not in options]
    if ignored:
        notes.append(f"options {', '.join(ignored)}: not for the {flow.name} flow, not used")
    wanted = list(recipe.stages) if recipe.stages is not None else list(flow.default_stages)
    outside = [s for s in wanted if s not in flow.stages and s not in ("csim", "sim", "hls")]
    if outside:
        notes.append(f"stages {', '.join(outside)}: not part of the {flow.name} flow for "
                     f"{board.device.family}, not run")
    for stage_name, check in flow.stage_checks.items():
        missing = check() if stage_name in wanted and not dry_run else None
        if missing:             # checked before anything runs, like the flow's tool
            raise ToolMissing(f"stage {stage_name!r} cannot run here: {missing}", key="stages",
                              hint=f"remove {stage_name!r} from the recipe's stages, or use "
                                   "`--dry-run` to write the project for a machine that has "
                                   "the tool")
    roots = tuple(core_roots) if core_roots is not None else corelib.core_roots(recipe.path)
    scratch = out_root / ".edam" / f"{recipe.name}"
    # the FuseSoC tool flag of the flow (tool_trellis? filesets), as `fusesoc run --tool X`
    import importlib
    tool_of = getattr(importlib.import_module(flow.module), "fusesoc_tool", None)
    edam = corelib.edam(recipe.core, recipe.target, roots, recipe.parameters, scratch / "synth",
                        tool_of(board.device) if tool_of else None, toplevel=recipe.toplevel,
                        base=recipe.path.parent if recipe.path else None, flags=recipe.flags,
                        mapping=recipe.mapping)
    ctx = flows.Context(name=recipe.name, core=recipe.core, target=recipe.target, board=board,
                        clocks=recipe.clocks, parameters=recipe.parameters,
                        options=options, core_roots=roots, edam=edam, announce=announce,
                        out_root=out_root.resolve(), default_stages=recipe.stages is None,
                        model=recipe.model, flags=recipe.flags, mapping=recipe.mapping)
    # the model's limits on the recipe's values, before any tool runs (exit 2)
    flow_hooks.check(ctx, edam, "synth")
    skipped = flow_hooks.not_run(edam, "synth")
    if skipped:
        notes.append(f"target {recipe.target}: {', '.join(skipped)} not run (fpgaflow runs "
                     "the hooks that are a Python model, `python3 -m MODULE`)")
    stages, needs_vendor = [], []
    if "csim" in wanted:
        stages.append(sim_flow.csim_stage(ctx, scratch))
    if "hls" in wanted and "hls" not in flow.stages:
        needs_vendor.append("hls")
        notes.append(f"stage 'hls' (C synthesis) needs Vitis HLS; not run with the {flow.name} flow")
    if "sim" in wanted:
        stages.append(sim_flow.sim_stage(ctx, scratch))
    planned = flow.plan(ctx, wanted)
    stages += planned.stages
    notes += planned.notes
    needs_vendor += planned.needs_vendor
    stages.sort(key=lambda s: ORDER.index(s.name) if s.name in ORDER else len(ORDER))
    device = {"part": board.part, "vendor": board.device.vendor, "family": board.device.family,
              "device": board.device.key}
    if board.package:
        device["package"] = board.package
    plan = Plan(name=recipe.name, recipe=str(recipe.path), core=recipe.core, target=recipe.target,
                board=board.name, device=device, flow=flow.name, estimate=(flow.kind == "estimate"),
                clocks=recipe.clocks, parameters=recipe.parameters, options=options,
                gates=recipe.gates, stages=stages, notes=notes,
                needs_vendor=list(dict.fromkeys(needs_vendor)), edam=edam)
    plan.compute_digest()
    return plan


@dataclass
class Outcome:
    summary: dict[str, Any]
    build_dir: Path
    cached: bool


def check_force_stages(plan: Plan, names) -> None:
    """``--force-stage NAME`` must name a stage of the plan (bad input otherwise)."""
    unknown = [n for n in names if n not in {s.name for s in plan.stages}]
    if unknown:
        raise FpgaflowError(f"--force-stage {unknown[0]}: {plan.name} has no such stage",
                            key="stages", hint="its stages: " +
                            ", ".join(s.name for s in plan.stages))


def execute(plan: Plan, out_root: Path, *, force: bool = False, force_stages=(),
            jobs: int | None = None, observer: runner.Observer | None = None,
            announce=print) -> Outcome:
    """Build a plan in OUT/<name>-<digest8>/; ``force`` reruns every stage, ``force_stages``
    those named and what reads their products; ``jobs`` stages run at once (default: the
    machine's cores)."""
    from . import schedule
    from .locks import Busy, FileLock
    from .stagestore import StageStore
    check_force_stages(plan, force_stages)
    build_dir = out_root / plan.dirname
    locks = out_root / ".locks"
    locks.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(locks / f"{plan.dirname}.lock"))
    try:
        lock.acquire(timeout=0)
    except Busy:
        announce(f"another build of {plan.dirname} is running; waiting for it to finish...")
        lock.acquire()
    try:
        if not force and not force_stages:
            cached = cached_summary(build_dir, plan.digest)
            if cached is not None:
                return Outcome(cached, build_dir, True)
        for sub in ("work", "logs", "reports"):
            shutil.rmtree(build_dir / sub, ignore_errors=True)
        (build_dir / "summary.json").unlink(missing_ok=True)
        plan.write(build_dir)
        store = StageStore(out_root)
        warm, tool_started = _prefetch()
        try:
            results = schedule.run(plan, build_dir, store, jobs=jobs or os.cpu_count() or 1,
                                   observer=observer, on_tool=tool_started.set,
                                   rerun=schedule.rerun_set(plan, force, list(force_stages)))
        finally:
            tool_started.set()
        warm.join()
        summary = summarize(plan, results, build_dir)
        by_name = {s.name: s for s in plan.stages}
        for res in results:       # found failed or incomplete after it ran: never reused
            if res.status in ("failed", "incomplete"):
                store.evict(by_name[res.name])
        store.prune(plan.stages)
        summary_mod.write(build_dir / "summary.json", summary)
        return Outcome(summary, build_dir, False)
    finally:
        lock.release()


def _prefetch():
    """Import what parsing the reports, writing the summary and printing its table need (the
    summary's pydantic model, the parsers, the device table, Rich) in a thread, while the tools run in their own
    processes: on a machine with a core to spare it costs the build nothing afterwards.

    The thread starts importing once the first tool has started (the event returned is
    set then, or when no tool runs at all): before that it would hold the GIL the stage
    thread needs to start the tool, and delay it by the time the imports take."""
    import threading
    started = threading.Event()

    def load():
        started.wait()
        try:
            from . import render, reports  # noqa: F401 - render: the summary table (Rich)
            from .boards import devices
            from .reports import nextpnr, quantities, yosys  # noqa: F401
            from .schemas import summary  # noqa: F401
            devices()
        except Exception:  # noqa: BLE001 - the build imports them again and reports errors
            pass
    thread = threading.Thread(target=load, name="fpgaflow-prefetch", daemon=True)
    thread.start()
    return thread, started


def cached_summary(build_dir: Path, digest: str) -> dict | None:
    """A summary already in the build directory for this digest, if its run succeeded.

    Failed and incomplete runs are not served from cache: they are built again. The build
    validated the summary against the schema when it wrote it (``summary.write``); serving
    it reads it as JSON and checks its schema name, digest and status, without the
    pydantic model (importing it costs more than the rest of a cache hit).
    """
    import json
    path = build_dir / "summary.json"
    try:
        if path.stat().st_size > summary_mod.MAX_BYTES:
            return None
        data = json.loads(path.read_text())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("schema") != summary_mod.SCHEMA \
            or data.get("digest") != digest or data.get("status") not in ("passed", "timing-failed"):
        return None
    data.setdefault("_path", str(path))
    return data


# ---------------------------------------------------------------- summary

SIM_LINE = re.compile(r"^FPGAFLOW_SIM\s+(.*)$", re.MULTILINE)


def parse_sim_log(text: str) -> dict[str, Any] | None:
    """The testbench's result line -> the summary's ``sim`` section (None when absent)."""
    found = SIM_LINE.findall(text)
    if not found:
        return None
    fields = dict(kv.split("=", 1) for kv in found[-1].split() if "=" in kv)
    out: dict[str, Any] = {}
    for key in ("vectors", "mismatches", "cycles_per_item"):
        if key in fields:
            try:
                out[key] = int(fields[key])
            except ValueError:
                return None
    if "vectors" not in out or "mismatches" not in out:
        return None
    out["passed"] = out["mismatches"] == 0 and out["vectors"] > 0
    return out


def summarize(plan: Plan, results: list[runner.StageResult], build_dir: Path) -> dict[str, Any]:
    from . import reports
    from .reports import nextpnr, yosys  # noqa: F401 - submodules used via reports.*
    base: dict[str, Any] = {
        "schema": summary_mod.SCHEMA, "recipe": plan.recipe, "name": plan.name,
        "digest": plan.digest, "core": plan.core, "board": plan.board,
        "device": dict(plan.device), "flow": plan.flow, "estimate": plan.estimate,
        "tools": [{k: t[k] for k in ("name", "version", "via")} | _tool_command(plan, t)
                  for t in plan.tools()],
        "parameters": plan.parameters, "status": "passed", "stages": [],
    }
    if plan.notes:
        base["notes"] = list(plan.notes)
    if plan.needs_vendor:
        base["needs_vendor"] = list(plan.needs_vendor)
    if plan.gates:
        base["gates"] = dict(plan.gates)
    parts: list[dict] = []
    by_stage: dict[str, dict] = {}          # stage -> the resources it measured
    artifacts: dict[str, str] = {}
    sources: dict[str, str] = {}
    (build_dir / "reports").mkdir(exist_ok=True)
    by_name = {s.name: s for s in plan.stages}
    for res in results:
        stage = by_name[res.name]
        if res.status == "passed":
            try:
                part, used = _parse_stage(stage, res, build_dir, reports)
            except reports.ReportError as exc:
                res.status, res.message = "incomplete", f"report could not be parsed: {exc}"
            else:
                if part is None:
                    res.status = "incomplete"
                    res.message = res.message or "no result in its reports"
                else:
                    if stage.name in ("csim", "sim"):
                        part = {("csim" if stage.name == "csim" else "sim"): part}
                    parts.append(part)
                    if part.get("resources"):
                        by_stage[stage.name] = {"resources": part["resources"],
                                                "cells": part.get("cells")}
                    artifacts.update(stage.meta.get("artifacts", {}))
                    for section in part:
                        if section in ("resources", "timing", "sim", "csim", "hls"):
                            sources[section] = used
        base["stages"].append(res.record())
    known = {t["name"] for t in base["tools"]}
    for p in parts:  # the plan already records the tools that ran, with how they were found
        if "tools" in p:
            p["tools"] = [t for t in p["tools"] if t.get("name") not in known]
    summary = summary_mod.merge(base, *[{k: v for k, v in p.items() if k != "cells"} for p in parts])
    # the plan's part is what was built for; a report naming another part says so in a note
    # (it used to replace the plan's, so the last report read decided the summary's part)
    summary["device"] = {**summary.get("device", {}), **plan.device}
    for p in parts:
        said = (p.get("device") or {}).get("part")
        if said and said.lower() != str(plan.device.get("part", "")).lower():
            note = f"a report names part {said}, not the planned {plan.device.get('part')}"
            summary.setdefault("notes", [])
            if note not in summary["notes"]:
                summary["notes"].append(note)
    for p in parts:
        if "cells" in p:
            summary["cells"] = p["cells"]
    if sources:
        summary["sources"] = sources
    if artifacts:
        summary["artifacts"] = artifacts
    from .reports import quantities
    quantities.stage_resources(summary, by_stage, plan.device["family"])
    _complete_resources(summary, plan)
    _complete_timing(summary, plan)
    if fit := summary_mod.fit_note(summary):     # said, not a status: synthesis does not fail
        summary.setdefault("notes", []).append(fit)
    summary["status"] = overall_status(summary)
    return summary


def _tool_command(plan: Plan, tool: dict) -> dict:
    """The command line a stage declares for a tool (``meta["tool_commands"]``), if any."""
    for s in plan.stages:
        command = s.meta.get("tool_commands", {}).get(tool["name"])
        if command and any(t["path"] == tool["path"] for t in s.tools):
            return {"command": command}
    return {}


def _parse_stage(stage, res, build_dir: Path, reports) -> tuple[dict | None, str]:
    """Parse the reports a stage declared (``stage.reports``: kind -> file in its work dir).

    ``@log`` means the stage's log; a kind starting with ``?`` is optional. Each report is
    copied to ``reports/`` so the build directory keeps what the summary was made from.
    """
    wd = build_dir / stage.workdir
    log = build_dir / res.log
    if stage.name in ("sim", "csim"):
        text = log.read_text(errors="replace")
        parsed = parse_sim_log(text)
        if parsed is None:
            if SIM_LINE.search(text):        # printed, but not as N=M fields: a broken line
                raise reports.ReportError("the testbench's FPGAFLOW_SIM line has no "
                                          "vectors=N mismatches=M", file=str(log))
            if stage.meta.get("result_line"):     # the model wrote vectors to compare with
                raise reports.ReportError("the testbench printed no FPGAFLOW_SIM result line",
                                          file=str(log))
            # a testbench of its own (a public core's): it passed as `fusesoc run` and
            # Vitis HLS judge one, by exiting 0 (a $fatal, a failed assertion or a non-zero
            # return from main has already failed the stage)
            return {"passed": True, "checked_by": "exit status"}, res.log
        if not parsed["passed"]:
            res.status, res.message = "failed", (f"{parsed['mismatches']} of {parsed['vectors']} "
                                                 "outputs differ from the reference model")
        if "cycles_per_item_bound" in stage.meta:
            parsed["cycles_per_item_bound"] = stage.meta["cycles_per_item_bound"]
        return parsed, res.log
    part: dict = {}
    source = res.log
    for kind, rel in stage.reports.items():
        optional = kind.startswith("?")
        kind = kind.lstrip("?")
        path = log if rel == "@log" else wd / rel
        if not path.exists():
            if optional:
                continue
            raise reports.ReportError(f"expected report {rel} was not written", file=str(path))
        if rel != "@log":
            kept = build_dir / "reports" / f"{stage.name}_{Path(rel).name}"
            shutil.copy(path, kept)
            source = str(kept.relative_to(build_dir))
        try:
            parsed = reports.parse_text(path.read_text(errors="replace"), kind)
        except reports.ReportError:
            if optional:
                continue
            raise
        part = summary_mod.merge(part, parsed)
        if "cells" in parsed:
            part["cells"] = parsed["cells"]
    return part, source


def _complete_resources(summary: dict, plan: Plan) -> None:
    """Add device capacities the tool did not report, and memory bits of the blocks used."""
    from .boards import devices
    dev = devices()[plan.device["device"]]
    res = summary.get("resources")
    if res is not None and summary.get("cells") is not None:
        # a technology-mapped netlist with no cell of a kind uses none of it: a real zero
        for key in ("lut", "ff", "dsp", "bram"):
            if dev.capacity(key) and key not in res:
                res[key] = {"used": 0}
    for key, entry in summary.get("resources", {}).items():
        cap = dev.capacity(key, plan.device.get("package"))
        if not cap:
            continue
        if "available" in entry and (key == "io" and entry["available"] != cap["count"]
                                     or entry["available"] > cap["count"]):
            # the die's sites, not the package's pins (io) or what a part sold as a smaller
            # device on a larger die guarantees (iCE40 HX4K, ECP5 12F): the datasheet's count
            entry["sites"] = entry["available"]
            entry["available"] = cap["count"]
        entry.setdefault("available", cap["count"])
        entry.setdefault("unit", cap["unit"])
        if "bits" in cap and "bits" not in entry and entry.get("used") is not None:
            per_block = cap["bits"] / cap["count"]
            entry["bits"] = int(round(float(entry["used"]) * per_block))


def _complete_timing(summary: dict, plan: Plan) -> None:
    """Attach the recipe's targets to the tool's clocks (matched by port), derive met/WNS."""
    timing = summary.get("timing")
    if not timing:
        return
    clocks = timing.get("clocks", [])
    for c in clocks:
        port = c.pop("port", None) or c.get("name")
        if port in plan.clocks:
            if c.get("name") != port:
                c["net"] = c["name"]
                c["name"] = port
            c.setdefault("target_mhz", plan.clocks[port])
        if c.get("fmax_mhz") and c.get("target_mhz"):
            c.setdefault("wns_ns", round(1000.0 / c["target_mhz"] - 1000.0 / c["fmax_mhz"], 3))
            c["met"] = c["fmax_mhz"] >= c["target_mhz"]
    if clocks:
        mets = [c["met"] for c in clocks if "met" in c]
        if mets:
            timing["met"] = all(mets)
        wns = [c["wns_ns"] for c in clocks if "wns_ns" in c]
        if wns and "wns_ns" not in timing:
            timing["wns_ns"] = min(wns)


def overall_status(summary: dict) -> str:
    statuses = [s["status"] for s in summary.get("stages", [])]
    if not statuses:
        return "incomplete"     # nothing ran (e.g. only 'hls' on a flow without HLS): no result
    if "failed" in statuses:
        return "failed"
    if "incomplete" in statuses:
        return "incomplete"
    if summary.get("timing", {}).get("met") is False:
        return "timing-failed"
    return "passed"
