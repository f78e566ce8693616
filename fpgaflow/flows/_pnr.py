"""What the Yosys + nextpnr flows of the newer open families share (Gowin, Nexus, MachXO2,
GateMate): the stages as on ECP5/iCE40. Each family module says only what differs: the
synth command, the nextpnr executable and device arguments, its pin constraint format
(the FuseSoC file type), the clock net its SDC constrains and the bitstream packer.

Stages (each runs in ``work/<stage>/`` and reads the products of the stages it needs):

- ``synth``: Yosys ``synth_<family> -json netlist.json`` plus ``stat -json``;
- ``constraints`` (needs synth): the core's constraint file of the family's type (CST,
  PDC, LPF, CCF; one, as Edalize takes one), then the board's ``pins:`` for the port bits
  it leaves unplaced (``fpgaflow.constraints``). Where nextpnr cannot place I/O by
  itself (Gowin, Nexus, GateMate: see their modules) the stage stops with the names of
  the pins nothing places;
- ``pnr`` (needs synth, constraints): nextpnr with those pins, an SDC from the recipe's
  clocks, ``--report report.json`` and the routed design in the form the packer reads;
  timing failure is not a tool failure (``--timing-allow-fail``). MachXO2 places
  unconstrained I/O (``--lpf-allow-unconstrained``), as ECP5/iCE40 do;
- ``bitstream`` (needs pnr, constraints): the family's packer, refusing (as on ECP5/iCE40)
  when some pin was placed by nextpnr, unless ``options: {allow_unconstrained: true}``.

A core with no constraint file of its own gets no bitstream by default (its ports are
the board's only by name), unless the recipe asks (``stages: [..., bitstream]`` or
``options: {bitstream: true}``), as on ECP5/iCE40.
"""

from __future__ import annotations

import os
import sys

from dataclasses import dataclass, field
from typing import Callable

from .. import edam as edam_mod
from .. import toolchain
from ..errors import FpgaflowError, ToolMissing
from ..plan import Stage
from ..quoting import clock_port
from . import Flow, FlowPlan, NextpnrOptions
from .open import constraints_stage, core_constraints
from .yosys import YOSYS, check_clocks, stage_notes, synth_stage

NETLIST = "netlist.json"
STAGES = {"synth": (), "constraints": ("synth",), "pnr": ("synth", "constraints"),
          "bitstream": ("pnr", "constraints")}
DEFAULT_STAGES = ("synth", "pnr", "bitstream")
REPORT_KINDS = ("yosys_stat_json", "nextpnr_report", "nextpnr_log", "fpgaflow_constraints")


@dataclass(frozen=True)
class Family:
    """One family's differences, as data and two small functions."""
    synth: str                               # Yosys command, e.g. "synth_gowin"
    nextpnr: str                             # logical tool name (a ToolSpec of the flow)
    pnr_args: Callable                       # (device data, board) -> nextpnr device arguments
    pins: tuple[str, str, str]               # (FuseSoC file type, file name, nextpnr option)
    routed: tuple[str, ...]                  # nextpnr args writing what the packer reads
    routed_file: str                         # ... and that file
    packer: str                              # logical tool name of the bitstream packer
    pack_args: Callable                      # (device data, routed path, bitstream) -> argv tail
    bitstream: str                           # the bitstream file name
    # nextpnr args that let it place unconstrained I/O; None: it cannot (the constraints
    # stage then refuses such a design, and allow_unconstrained is a recipe error)
    allow_unconstrained: tuple[str, ...] | None = None
    fusesoc_tool: str | None = None          # `fusesoc run --tool X`: tool_X? filesets, options
    clock_net: str = "{port}"                # net the SDC constrains (after the input buffer)
    clock_by: str = "get_ports"              # get_ports | get_nets
    synth_files: dict = field(default_factory=dict)    # extra files of the synth stage
    post_synth: tuple[str, ...] = ()                   # Yosys script run on the netlist after
    # (option, value) pairs nextpnr gets unless the target's nextpnr_options or the recipe's
    # options.nextpnr give that option themselves
    default_args: tuple[tuple[str, str], ...] = ()


def available(device) -> str | None:
    return None if device.open else f"no open place-and-route for {device.family}"


def fusesoc_tool_of(fam: Family):
    """A family module's ``fusesoc_tool(device)``: the FuseSoC tool whose ``tool_X?``
    filesets and ``tools: X:`` options the EDAM takes (as ``fusesoc run --tool X``)."""
    return lambda device: fam.fusesoc_tool


def flow(module: str, family: Family, *, summary: str, families: tuple[str, ...],
         tools: tuple) -> Flow:
    """The ``Flow`` declaration of a family module: the shared stages, options and reports."""
    return Flow(name="open", kind="open", summary=summary, module=module, families=families,
                device_key="open", tools=(YOSYS, *tools), options=NextpnrOptions,
                stages=STAGES, default_stages=DEFAULT_STAGES, report_kinds=REPORT_KINDS,
                plan=lambda ctx, wanted: plan(ctx, wanted, family), available=available)


def sdc(ctx, fam: Family) -> str:
    lines = ["# clocks from the recipe (generated by fpgaflow)"]
    for name, mhz in ctx.clocks.items():
        name = clock_port(name)
        target = fam.clock_net.format(port=name)
        lines.append(f"create_clock -period {1000.0 / mhz:.3f} -name {name} "
                     f"[{fam.clock_by} {{{target}}}]")
    return "\n".join(lines) + "\n"


def tool(ctx, name: str) -> toolchain.Tool:
    found = toolchain.resolve(name, announce=ctx.announce)
    if found is None:
        spec = toolchain.spec(name)
        raise ToolMissing(f"{name} not found (neither native {spec.executable} nor "
                          f"{spec.yowasp or 'a YoWASP build'})", hint=spec.install_hint)
    return found


def device_data(ctx) -> dict:
    data = ctx.device.open or {}
    if not data:
        raise FpgaflowError(f"device {ctx.device.key} has no 'open' entry in devices.yaml")
    return data


def tool_options(ctx, fam: Family, key: str) -> list[str]:
    """The target's own options for the family's FuseSoC tool (``tools: apicula:
    nextpnr_options: [...]``, or a flow-API target's ``flow_options``), from the EDAM."""
    return edam_mod.tool_options(ctx.edam, fam.fusesoc_tool, key)


def plan(ctx, wanted: list[str], fam: Family) -> FlowPlan:
    if ctx.options.get("out_of_context"):
        raise FpgaflowError(f"the {ctx.device.family} open flow has no out-of-context mode: "
                            "nextpnr places a chip top, every port on a pin",
                            key="options.out_of_context",
                            hint="remove out_of_context, or use stages: [synth]")
    if ctx.options.get("allow_unconstrained") and fam.allow_unconstrained is None:
        raise FpgaflowError(f"options.allow_unconstrained: {fam.nextpnr} cannot place I/O by "
                            "itself (an unconstrained port is an error there)",
                            key="options.allow_unconstrained",
                            hint=f"remove it, and place every top port in the core's "
                                 f"{fam.pins[0]} file or the board's `pins:`")
    bits = ctx.options.get("bitstream")
    if bits is None and ctx.default_stages and not core_constraints(ctx, fam.pins[0]):
        # a core with no pin constraints of its own is a design, not a board build (yet)
        wanted = [w for w in wanted if w != "bitstream"]
    if bits is True and "bitstream" not in wanted:
        wanted = [*wanted, "bitstream"]
    if bits is False:
        wanted = [w for w in wanted if w != "bitstream"]
    want_bits = "bitstream" in wanted
    out = []
    if {"synth", "pnr"} & set(wanted) or want_bits:
        out.append(synth(ctx, fam))
    if "pnr" in wanted or want_bits:
        check_clocks(ctx)
        out.append(constraints_stage(ctx, fam.pins[0], fam.pins[1], no_auto=None
                                     if fam.allow_unconstrained is not None else fam.nextpnr))
        out.append(pnr(ctx, fam))
    if want_bits:
        out.append(bitstream(ctx, fam))
    return FlowPlan(stages=out, notes=stage_notes(out), needs_vendor=["power"])


def synth(ctx, fam: Family) -> Stage:
    stage = synth_stage(ctx, fam.synth, " ".join(tool_options(ctx, fam, "yosys_synth_options")),
                        netlist=NETLIST)
    if fam.post_synth:
        stage.files = {**stage.files, **fam.synth_files,
                       "post_synth.ys": "\n".join(fam.post_synth) + "\n"}
        stage.commands = [*stage.commands, [stage.commands[-1][0], "-q", "-s", "post_synth.ys"]]
    return stage


def pnr(ctx, fam: Family) -> Stage:
    data = device_data(ctx)
    nextpnr = tool(ctx, fam.nextpnr)
    _, pins_file, option = fam.pins
    given = [*tool_options(ctx, fam, "nextpnr_options"), *ctx.options.get("nextpnr", [])]
    names = {a.split("=")[0] for a in given if a.startswith("--")}
    defaults = [w for opt, val in fam.default_args if opt not in names for w in (opt, val)]
    cmd = [nextpnr.path, "--json", f"../synth/{NETLIST}", *fam.pnr_args(data, ctx.board),
           *option.format(file=f"../constraints/{pins_file}").split(), "--sdc", "clocks.sdc",
           *(fam.allow_unconstrained or ()),
           "--report", "report.json", "--timing-allow-fail",
           "--seed", str(ctx.options.get("seed") or 1), "--threads", "1",
           *fam.routed, *defaults, *given]
    return Stage(name="pnr", tools=[nextpnr.record()], commands=[cmd],
                 files={"clocks.sdc": sdc(ctx, fam)},
                 outputs=["report.json", fam.routed_file],
                 reports={"?nextpnr_log": "@log", "nextpnr_report": "report.json"},
                 needs=["synth", "constraints"], timeout_s=ctx.options.get("timeout_s"),
                 note=f"{fam.nextpnr} {' '.join(fam.pnr_args(data, ctx.board))}")


def bitstream(ctx, fam: Family) -> Stage:
    packer = tool(ctx, fam.packer)
    # the bitstream sits in the build dir, named after the recipe, as on ECP5/iCE40
    artifact = f"{ctx.name}{os.path.splitext(fam.bitstream)[1]}"
    check = [sys.executable, "-m", "fpgaflow.constraints", "check",
             "../constraints/constraints.json", "--remove", f"../../{artifact}"]
    if ctx.options.get("allow_unconstrained"):
        check.append("--allow-unconstrained")
    cmd = [packer.path, *fam.pack_args(device_data(ctx), f"../pnr/{fam.routed_file}",
                                       f"../../{artifact}")]
    return Stage(name="bitstream", tools=[packer.record()], commands=[check, cmd],
                 outputs=[f"../../{artifact}"], needs=["pnr", "constraints"],
                 timeout_s=ctx.options.get("timeout_s"),
                 meta={"artifacts": {"bitstream": artifact}}, note=f"{fam.packer} -> {artifact}")


def nextpnr_spec(name: str, executable: str, purpose: str) -> toolchain.ToolSpec:
    """A nextpnr build from YoWASP (``yowasp-<name>``), or the native ``executable``."""
    return toolchain.ToolSpec(name, native=executable, native_spec=">=0.7", yowasp=f"yowasp-{name}",
                              package=f"yowasp-{name}", purpose=purpose)
