"""The recipe schema (``recipes/*.yaml``): what a recipe may say, typed.

Structure and types are checked here (pydantic, strict, unknown keys are errors); what
needs the outside world (is the board known, does the core have this parameter, can the
board use this flow) is checked by ``fpgaflow.recipe.load``.

Every string that reaches a tool is limited to what the tool's language takes without
quoting: names are file names, clock ports and parameter names are HDL identifiers,
parameter strings and Yosys arguments carry no quote, brace, bracket, ``$``, ``;``, ``#``,
backslash or control character (they are written into Tcl, SDC, Verilog and Yosys scripts).
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, Field

from .base import IDENTIFIER_KEYS, Finite, Identifier, Name, Strict, matching, short



def flow_names() -> tuple[str, ...]:
    """``auto`` and the flows the registry finds (``fpgaflow.flows``)."""
    from .. import flows
    return ("auto", *flows.names())


def stage_names() -> tuple[str, ...]:
    from .. import flows
    return tuple(flows.registry().stage_names())


def __getattr__(attr: str):
    if attr == "FLOWS":
        return flow_names()
    if attr == "STAGES":
        return stage_names()
    raise AttributeError(attr)

_FREQ = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(GHz|MHz|kHz|Hz|ns|ps|us)\s*",
                   re.IGNORECASE)
_SCALE_MHZ = {"ghz": 1e3, "mhz": 1.0, "khz": 1e-3, "hz": 1e-6}
MAX_MHZ = 1e5          # 100 GHz: anything above is a typo, and 1e400 is not a number


def parse_frequency(value: Any) -> float | None:
    """'200 MHz' -> 200.0, '5 ns' -> 200.0; None when it is not a (finite, sane) frequency."""
    if isinstance(value, bool) or not isinstance(value, str) or len(value) > 64:
        return None
    m = _FREQ.fullmatch(value)
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2).lower()
    if not math.isfinite(number) or number <= 0:
        return None
    if unit in _SCALE_MHZ:
        mhz = number * _SCALE_MHZ[unit]
    else:
        mhz = 1000.0 / (number * {"ns": 1.0, "ps": 1e-3, "us": 1e3}[unit])
    return mhz if math.isfinite(mhz) and 0 < mhz <= MAX_MHZ else None


def _frequency(value: str) -> str:
    if parse_frequency(value) is None:
        raise ValueError("expected a frequency like '100 MHz' or a period like '5 ns' "
                         f"(at most {MAX_MHZ:g} MHz), got {short(value)}")
    return value


Frequency = Annotated[str, AfterValidator(_frequency)]
# flags FuseSoC sets itself: the target, the tool (from the flow), the top core
RESERVED_FLAGS = ("target", "tool", "is_toplevel")


def _flags(value: dict) -> dict:
    bad = [k for k in value if k in RESERVED_FLAGS]
    if bad:
        raise ValueError(f"flag {bad[0]!r} is set by fpgaflow (the target from `target:`, the "
                         "tool from the flow); the others are the core's own (`name?`)")
    return value
# vendor and library may be empty, as FuseSoC has them (corescore is `::corescore:0`)
Vlnv = matching(r"(?:[A-Za-z0-9_.\-+~]*:){0,2}[A-Za-z0-9_.\-+~]+(?::[A-Za-z0-9_.\-+~]*)?",
                "a core VLNV like vendor:library:name[:version]", 250)
Target = matching(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*", "a FuseSoC target name", 250)
# parameter strings end up in Verilog literals, Tcl (Vivado/Quartus) and Yosys scripts
ParamString = matching(r"[A-Za-z0-9_.,:/+=@%~ \-]*",
                       "a string of letters, digits, spaces and _ . , : / + = @ % ~ -", 1000)
ParamValue = Union[bool, int, Finite, ParamString]
# a Python module (run as `python -m MODULE vectors .`, imported for check/cycles_per_item)
ModuleName = matching(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*",
                      "a Python module name like fpgaflow.models.mvau", 200)
# one word of a Yosys synth command line (written into synth.ys)
YosysArg = matching(r"[^\x00-\x1f\x7f;#\"'\\{}\[\]$]*",
                    "a Yosys argument without ; # quotes braces $ or control characters", 1000)
# one argv item of nextpnr (a process argument: no NUL or control characters)
ArgvItem = matching(r"[^\x00-\x1f\x7f]*", "an argument without control characters", 4000)
GateCondition = Union[bool, int, Finite, Annotated[str, Field(max_length=1000)]]


class KnownOptions(Strict):
    """Every option a shipped flow takes, with its type (until each flow declares its own:
    ``flow_options_model`` asks the flow registry first)."""

    seed: Annotated[int, Field(ge=0, lt=2**31)] = Field(
        None, description="int: the seed of nextpnr and the simulators")
    out_of_context: bool = Field(None, description="bool: synthesize as a block inside a chip "
                                 "(no I/O buffers, no pins)")
    yosys: list[YosysArg] = Field(None, max_length=100,
                                  description="list of extra arguments of Yosys' synth command")
    nextpnr: list[ArgvItem] = Field(None, max_length=100,
                                    description="list of extra nextpnr arguments")
    sim_tool: Literal["icarus", "verilator"] = Field(None, description="the RTL simulator")
    timeout_s: Annotated[Finite, Field(gt=0, le=7 * 24 * 3600)] = Field(
        None, description="number: seconds a stage may run before it is stopped")
    bitstream: bool = Field(None, description="bool: also write the bitstream")
    allow_unconstrained: bool = Field(None, description="bool: write the bitstream even when "
                                      "nextpnr places some pins anywhere (open flow)")
    quartus_edition: Literal["lite", "standard", "pro"] = Field(
        None, description="the Quartus edition (else the board's)")
    hls_cosim: bool = Field(None, description="bool: run Vitis HLS C/RTL co-simulation")


def flow_options_model(flow: str) -> type[Strict]:
    """The options schema of a flow: the flow registry's, when it has one, else every known
    option (``flow: auto`` is checked against the union of all flows)."""
    from .. import flows
    getter = getattr(flows, "options_model", None)
    if getter is not None and flow != "auto":
        try:
            model = getter(flow)
        except (KeyError, ValueError):
            model = None
        if model is not None:
            return model
    return KnownOptions


def _flow(value: str) -> str:
    if value not in flow_names():
        raise ValueError(f"expected one of {', '.join(flow_names())}, got {short(value)}")
    return value


def _enum(names):
    def extra(schema: dict) -> None:    # the registry's names, when the schema is written
        schema["enum"] = list(names())
    return extra


def _stages(values: list) -> list:
    for s in values:
        if s not in stage_names():
            raise ValueError(f"unknown stage {short(s)}; expected some of "
                             f"{', '.join(stage_names())}")
    if len(set(values)) != len(values):
        raise ValueError("a stage is listed twice")
    return values


class RecipeFile(Strict):
    """A build recipe: one core, on one board (or several), with one flow."""

    name: Name = Field(None, description="a name for the build (letters, digits, - _ .); "
                       "default: the file's name")
    description: Annotated[str, Field(max_length=10000)] = Field(None, description="free text")
    core: Vlnv = Field(description="the VLNV of a FuseSoC core, e.g. fpgaflow:demo:blinky")
    target: Target = Field(None, description="the FuseSoC target of the core (default: default)")
    toplevel: Identifier = Field(None, description="the toplevel module, for a target that "
                                 "names none (or to override the target's)")
    model: ModuleName = Field(None, description="the Python module of the core's bit-exact "
                              "model (default: the one the core's FuseSoC hooks run)")
    board: Name = Field(None, description="a board from boards/ (see `fpgaflow boards`)")
    boards: Annotated[list[Name], Field(min_length=1, max_length=100)] = Field(
        None, description="a list of boards, to build the design for each")
    part: Annotated[str, Field(min_length=2, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_./-]*$")] = Field(
        None, description="build for this part number instead of a board (e.g. iCE40UP5K-SG48, "
        "LFE5U-25F-6MG285C, xc7a100tcsg324-1); default: the board's, else the part the core's "
        "target names in its tool options (nextpnr_options, part, device)")
    flow: Annotated[str, Field(max_length=64), AfterValidator(_flow)] = Field(
        None, json_schema_extra=_enum(flow_names),
        description="auto, or a flow: vivado, quartus, open, estimate (`fpgaflow doctor "
                    "--options` lists each flow and its options)")
    stages: Annotated[list[Annotated[str, Field(max_length=20)]], Field(min_length=1),
                      AfterValidator(_stages)] = Field(
        None, json_schema_extra=lambda s: s.setdefault("items", {}).update(enum=list(stage_names())),
        description="a list of stages among csim, hls, sim, synth, pnr, bitstream "
                    "(default: the flow's)")
    clocks: Annotated[dict[Identifier, Frequency], Field(max_length=64)] = Field(
        None, description="a mapping of clock port -> frequency, e.g. {clk: 100 MHz}",
        json_schema_extra=IDENTIFIER_KEYS)
    parameters: Annotated[dict[Identifier, ParamValue], Field(max_length=1000)] = Field(
        None, description="a mapping of core parameter -> value", json_schema_extra=IDENTIFIER_KEYS)
    flags: Annotated[dict[Identifier, bool], Field(max_length=100),
                     AfterValidator(_flags)] = Field(
        None, description="FuseSoC flags, as `fusesoc run --flag`: {mdu: true} selects the "
        "core's `mdu?` filesets, parameters and dependencies", json_schema_extra=IDENTIFIER_KEYS)
    mapping: Annotated[list[Vlnv], Field(min_length=1, max_length=20)] = Field(
        None, description="cores whose `mapping:` picks the providers of virtual cores, as "
        "`fusesoc run --mapping VLNV`")
    gates: Union[Annotated[dict[Annotated[str, Field(max_length=250)],
                                Union[GateCondition, list[GateCondition]]], Field(max_length=1000)],
                 Annotated[list[Annotated[str, Field(max_length=1000)]], Field(max_length=1000)]] = Field(
        None, description="a mapping of metric -> condition, read by `fpgaflow gate` "
        "(e.g. {lut.pct: '<= 40', timing.met: true})")
    options: Annotated[dict[str, Any], Field(max_length=100)] = Field(
        None, description="tool options of the chosen flow (seed, out_of_context, yosys, "
        "nextpnr, sim_tool, timeout_s, bitstream, quartus_edition, hls_cosim)")


KEYS = {name: (f.description or "") for name, f in RecipeFile.model_fields.items()}
