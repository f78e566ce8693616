"""The estimate flow: Yosys synthesis mapped to the vendor family, no place-and-route.

For Xilinx and Intel parts without their vendor tool: ``synth_xilinx -family xc7|xcup``,
``synth_intel_alm -family cyclonev``. Resource counts are Yosys' technology mapping, not
Vivado's or Quartus' result; there is no timing or power. The summary says so
(``estimate: true``, ``needs_vendor``) and the table says it loudly.
"""

from __future__ import annotations

from .yosys import synth_stage

NAME = "estimate"
DEFAULT_STAGES = ["synth"]


def available(device) -> str | None:
    return None if device.estimate else f"no Yosys mapping for {device.family}"


def stages(ctx, wanted: list[str]):
    est = ctx.device.estimate
    vendor = ctx.device.vendor_flow or "the vendor tool"
    ctx.notes.append(f"Yosys estimate ({est['yosys']} {est.get('args', '')}".rstrip() +
                     f"): resource counts only; place-and-route, timing and power need {vendor}")
    if est.get("basis"):
        ctx.notes.append(est["basis"])
    ctx.needs_vendor.extend(["pnr", "timing", "power"])
    out = []
    if "synth" in wanted or "pnr" in wanted:
        args = est.get("args", "")
        if est["yosys"] == "synth_xilinx":
            args += " -flatten"
            if ctx.options.get("out_of_context"):
                args += " -noiopad"   # a core, not a chip top: no I/O buffers, as Vivado OOC
        out.append(synth_stage(ctx, est["yosys"], args, netlist=None))
    return out
