"""Flows: one module per backend, each declaring itself as a ``Flow``; a registry finds them.

A flow module ends with ``FLOW = Flow(...)``, which says:
- ``name``: the value of the recipe's ``flow:`` (several modules may share a name when
  they serve different families: ``open`` is Yosys + nextpnr on ECP5/iCE40, Gowin,
  Nexus, MachXO2 and GateMate, one module each);
- ``kind``: ``vendor``, ``open`` or ``estimate`` (what ``flow: auto`` prefers, in that order);
- ``families``: the device families it serves (``devices.yaml`` ``family``), and
  ``device_key``: the section of a device entry it reads (``open``, ``estimate``);
- ``tools``: ``toolchain.ToolSpec`` declarations (executables, accepted native versions as
  ``packaging`` specifiers, YoWASP builds and their PyPI packages);
- ``options``: a pydantic model (``extra="forbid"``, strict types, help text per field):
  a recipe's ``options:`` are validated against the chosen flow's model;
- ``stages``: the stage graph, stage -> the stages whose products it reads, and
  ``default_stages``;
- ``report_kinds``: the report kinds its stages hand to ``fpgaflow.reports``;
- ``plan(ctx, wanted) -> FlowPlan``: its stages, notes and vendor-only sections, as data;
- ``available(device) -> str | None``: None when it can run here, else the reason.

The flow-independent stages (``csim`` with g++, ``sim`` with Icarus/Verilator) come from
``fpgaflow.flows.sim``, which declares its tools as ``TOOLS``. ``choose`` implements
``flow: auto``: the vendor tool when it is installed, else the open flow where the part
has one, else the Yosys estimate.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Callable, Literal

from pydantic import BaseModel, Field

from ..boards import Board
from ..errors import FpgaflowError, ToolMissing
from ..schemas import base as schema_base
from ..schemas.base import Finite, Strict
from ..schemas.recipe import ArgvItem, YosysArg

KIND_ORDER = ("vendor", "open", "estimate")


# ---------------------------------------------------------------- option schemas
# the field types (what may reach a tool's command line) are the recipe schema's

class Options(Strict):
    """Options every flow takes (the flow-independent sim/csim stages read them too)."""

    seed: Annotated[int, Field(ge=0, lt=2**31)] = Field(
        None, description="seed of placement and of the model's test vectors")
    timeout_s: Annotated[Finite, Field(gt=0, le=7 * 24 * 3600)] = Field(
        None, description="seconds a stage may run before it is stopped")
    sim_tool: Literal["icarus", "verilator"] = Field(
        None, description="the RTL simulator of the sim stage")


class YosysOptions(Options):
    """Options of the flows whose synthesis is Yosys."""
    yosys: list[YosysArg] = Field(None, max_length=100,
                                  description="extra arguments of the Yosys synth_* command")
    out_of_context: bool = Field(None, description="synthesize a core, not a chip top "
                                                   "(no I/O buffers)")


class NextpnrOptions(YosysOptions):
    """Options of the Yosys + nextpnr flows."""
    nextpnr: list[ArgvItem] = Field(None, max_length=100, description="extra nextpnr arguments")
    bitstream: bool = Field(None, description="also write the bitstream (as stage 'bitstream')")
    allow_unconstrained: bool = Field(None, description="write the bitstream even when nextpnr "
                                      "places some of the top's pins anywhere (ECP5, iCE40, MachXO2; "
                                      "Gowin's, Nexus' and GateMate's nextpnr cannot)")


# ---------------------------------------------------------------- declarations

@dataclass
class FlowPlan:
    """What a flow returns for a recipe: its stages, notes for the table and summary, and
    the summary sections only a vendor tool can give (``needs_vendor``)."""
    stages: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    needs_vendor: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Flow:
    name: str
    kind: str
    summary: str
    options: type[BaseModel]
    stages: dict[str, tuple[str, ...]]
    default_stages: tuple[str, ...]
    plan: Callable[..., FlowPlan]
    available: Callable[..., str | None]
    families: tuple[str, ...] | None = None
    device_key: str | None = None
    tools: tuple = ()
    report_kinds: tuple[str, ...] = ()
    module: str = ""
    stage_checks: dict[str, Callable[[], str | None]] = field(default_factory=dict)

    def serves(self, device) -> bool:
        if self.families is not None and device.family not in self.families:
            return False
        return self.device_key is None or bool(getattr(device, self.device_key, None))

    @property
    def key(self) -> str:
        """The module that declares it (unique; ``name`` may be shared across families)."""
        return self.module.rsplit(".", 1)[-1]

    def option_help(self) -> dict[str, str]:
        return {n: f.description or "" for n, f in self.options.model_fields.items()}


class Registry:
    """The flows found in this package, and the tools they declare."""

    def __init__(self, flows: list[Flow], extra_tools: tuple = ()):
        self.flows = sorted(flows, key=lambda f: (KIND_ORDER.index(f.kind), f.name, f.key))
        self._tools = {}
        for t in (*extra_tools, *(t for f in self.flows for t in f.tools)):
            self._tools.setdefault(t.name, t)

    def names(self) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.flows))

    def for_device(self, device) -> list[Flow]:
        """The flows that can build for a device, in the order ``flow: auto`` prefers them."""
        return [f for f in self.flows if f.serves(device)]

    def find(self, name: str, device) -> Flow | None:
        for f in self.for_device(device):
            if f.name == name:
                return f
        return None

    def tools(self) -> dict[str, Any]:
        return dict(self._tools)

    def stage_names(self) -> list[str]:
        names = ["csim", "hls", "sim"]
        for f in self.flows:
            names += [s for s in f.stages if s not in names]
        return names


@lru_cache(maxsize=None)
def registry() -> Registry:
    found = []
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        flow = getattr(mod, "FLOW", None)
        if isinstance(flow, Flow):
            found.append(flow)
    from . import sim
    return Registry(found, extra_tools=tuple(sim.TOOLS))


def names() -> list[str]:
    return registry().names()


def flow_for(name: str, device) -> Flow:
    f = registry().find(name, device)
    if f is None:
        raise FpgaflowError(f"unknown flow {name!r} for {device.family}",
                            hint="flows: " + ", ".join(registry().names()))
    return f


# ---------------------------------------------------------------- options

def _describe(model: type[BaseModel]) -> str:
    return ", ".join(model.model_fields)


def options_model(flow: str) -> type[BaseModel] | None:
    """The options schema of the flows named ``flow`` (the recipe schema asks this)."""
    models = {f.options for f in registry().flows if f.name == flow}
    if len(models) > 1:        # modules sharing a name must share their options
        raise ValueError(f"the {flow} flows declare different options")
    return models.pop() if models else None


def validate_options(flow: Flow, options: dict[str, Any], *, others: list[Flow] = ()) -> dict:
    """The recipe's ``options`` checked against ``flow``'s schema; returns them unchanged.

    ``others`` are the flows ``flow: auto`` could have chosen: an option only they take is
    left out here (it is for a tool that is not running) instead of being an error."""
    own = set(flow.options.model_fields)
    elsewhere = {k for f in others for k in f.options.model_fields}
    mine = {k: v for k, v in options.items() if k in own or k not in elsewhere}
    schema_base.validate(flow.options, mine, prefix=("options",), hints={
        "extra_forbidden": f"flow {flow.name} ({flow.key}) options: {_describe(flow.options)}"})
    return dict(mine)


def check_recipe_options(flow_name: str, device, options: dict[str, Any]) -> None:
    """Validate a recipe's options when it is loaded: against the flow it names, or for
    ``flow: auto`` each option against the flows of the device that declare it."""
    reg = registry()
    candidates = reg.for_device(device)
    if flow_name != "auto":
        validate_options(flow_for(flow_name, device), options)
        return
    for key, value in options.items():
        owners = [f for f in candidates if key in f.options.model_fields]
        if not owners:
            union = sorted({k for f in candidates for k in f.options.model_fields})
            raise FpgaflowError(f"no flow for {device.family} has this option "
                                f"(flows: {', '.join(dict.fromkeys(f.key for f in candidates))})",
                                key=f"options.{key}", hint="their options: " + ", ".join(union))
        validate_options(owners[0], {key: value})


# ---------------------------------------------------------------- planning context

@dataclass
class Context:
    """Everything a flow needs to plan, resolved once (read-only for the flows)."""
    name: str
    core: str
    target: str
    board: Board
    clocks: dict[str, float]
    parameters: dict[str, Any]
    options: dict[str, Any]
    core_roots: tuple[Path, ...]
    edam: dict[str, Any]                     # EDAM of the synthesis target
    announce: Any = print
    out_root: Path | None = None             # where build dirs go (for relative source paths)
    default_stages: bool = False             # the recipe names no stages: the flow's defaults
    model: str | None = None                 # the recipe's model: (else the core's hooks declare it)
    flags: dict[str, bool] = field(default_factory=dict)   # the recipe's FuseSoC flags
    mapping: list[str] = field(default_factory=list)       # its `fusesoc run --mapping` cores

    @property
    def device(self):
        return self.board.device

    @property
    def top(self) -> str:
        return self.edam["toplevel"]

    def from_workdir(self, path: str) -> str:
        """``path`` as seen from a stage's work dir (OUT/<name>-<digest8>/work/<stage>/).

        Tools get relative paths: YoWASP (WebAssembly) tools cannot open some absolute
        host paths (e.g. under /tmp on some machines) but always reach relative ones.
        """
        if self.out_root is None:
            return path
        return os.path.join("..", "..", "..", os.path.relpath(path, self.out_root))


def module(flow: str, device=None):
    """The module of a flow (for a device, when several modules share the name)."""
    reg = registry()
    found = reg.find(flow, device) if device is not None else \
        next((f for f in reg.flows if f.name == flow), None)
    if found is None:
        raise FpgaflowError(f"unknown flow {flow!r}", hint="flows: " + ", ".join(reg.names()))
    return importlib.import_module(found.module)


def choose(flow: str, board: Board, *, dry_run: bool = False) -> tuple[Flow, str]:
    """The flow that runs for a recipe's ``flow`` on a board, and why.

    With ``dry_run`` an explicitly asked-for flow whose tool is missing is still chosen:
    the project is written for a machine that has the tool.
    """
    device = board.device
    candidates = registry().for_device(device)
    if flow != "auto":
        chosen = registry().find(flow, device)
        if chosen is None:
            can = list(dict.fromkeys(f.name for f in candidates))
            raise FpgaflowError(f"board {board.name} ({board.part}) cannot use flow {flow!r}; "
                                f"it can use: {', '.join(can)}", key="flow")
        reason = chosen.available(device)
        if reason and dry_run:
            return chosen, f"{flow} (asked for; {reason}: project written for a machine with the tool)"
        if reason:
            raise ToolMissing(f"flow {flow!r} cannot run here: {reason}",
                              hint="use `--flow auto` for the open/estimate flow, or "
                                   "`--dry-run` to write the project for a machine that has the tool")
        return chosen, f"{flow} (asked for)"
    skipped = []
    for f in candidates:
        reason = f.available(device)
        if reason is None:
            if f.kind == "vendor":
                return f, f"{f.name} (installed)"
            if f.kind == "open":
                return f, f"{f.name} ({f.summary})"
            why = "".join(f"{r}; " for r in skipped)
            return f, f"{f.name}: {why}Yosys gives a synthesis estimate only"
        if f.kind == "vendor":
            skipped.append(reason)
    raise FpgaflowError(f"no flow can build for {board.part}")
