"""The estimate flow: Yosys synthesis mapped to the vendor family, no place-and-route.

For Xilinx and Intel parts without their vendor tool: ``synth_xilinx -family xc7|xcup``,
``synth_intel_alm -family cyclonev``. Resource counts are Yosys' technology mapping, not
Vivado's or Quartus' result; there is no timing or power. The summary says so
(``estimate: true``, ``needs_vendor``) and the table says it loudly.
"""

from __future__ import annotations

from . import Flow, FlowPlan, YosysOptions
from .yosys import YOSYS, stage_notes, synth_stage

NAME = "estimate"
DEFAULT_STAGES = ["synth"]


def available(device) -> str | None:
    return None if device.estimate else f"no Yosys mapping for {device.family}"


def plan(ctx, wanted: list[str]) -> FlowPlan:
    est = ctx.device.estimate
    vendor = ctx.device.vendor_flow or "the vendor tool"
    notes = [f"Yosys estimate ({est['yosys']} {est.get('args', '')}".rstrip() +
             f"): resource counts only; place-and-route, timing and power need {vendor}"]
    if est.get("basis"):
        notes.append(est["basis"])
    out = []
    if "synth" in wanted or "pnr" in wanted:
        args = est.get("args", "")
        if est["yosys"] == "synth_xilinx":
            args += " -flatten"
            if ctx.options.get("out_of_context"):
                args += " -noiopad"   # a core, not a chip top: no I/O buffers, as Vivado OOC
        out.append(synth_stage(ctx, est["yosys"], args, netlist=None))
    return FlowPlan(stages=out, notes=notes + stage_notes(out),
                    needs_vendor=["pnr", "timing", "power"])


FLOW = Flow(
    name=NAME, kind="estimate", summary="Yosys synthesis estimate", module=__name__,
    families=None, device_key="estimate", tools=(YOSYS,), options=YosysOptions,
    stages={"synth": ()}, default_stages=tuple(DEFAULT_STAGES),
    report_kinds=("yosys_stat_json",), plan=plan, available=available)
