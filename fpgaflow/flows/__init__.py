"""Flows: one module per backend, each turning a ``Context`` into plan ``Stage`` objects.

A flow module defines:
- ``NAME``: the flow name used in recipes;
- ``DEFAULT_STAGES``: what runs when the recipe does not say;
- ``available(device) -> str | None``: None when it can run here, else the reason;
- ``stages(ctx, wanted) -> list[Stage]``: the synthesis/implementation stages.

The flow-independent stages (``csim`` with g++, ``sim`` with Icarus/Verilator) come from
``fpgaflow.flows.sim``. ``choose`` implements ``flow: auto``: the vendor tool when it
is installed, else the open flow where the part has one, else the Yosys estimate.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..boards import Board
from ..errors import FpgaflowError, ToolMissing

MODULES = {"vivado": "vivado", "quartus": "quartus", "open": "open", "estimate": "estimate"}


@dataclass
class Context:
    """Everything a flow needs to plan, resolved once."""
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
    notes: list[str] = field(default_factory=list)
    needs_vendor: list[str] = field(default_factory=list)

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


def module(flow: str):
    if flow not in MODULES:
        raise FpgaflowError(f"unknown flow {flow!r}")
    try:
        return importlib.import_module(f"{__name__}.{MODULES[flow]}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{MODULES[flow]}":
            raise ToolMissing(f"the {flow} flow is not part of this fpgaflow installation") from None
        raise


def choose(flow: str, board: Board, *, dry_run: bool = False) -> tuple[str, str]:
    """The flow that runs for a recipe's ``flow`` on a board, and why.

    With ``dry_run`` an explicitly asked-for flow whose tool is missing is still chosen:
    the project is written for a machine that has the tool.
    """
    device = board.device
    if flow != "auto":
        if flow not in device.flows():
            raise FpgaflowError(f"board {board.name} ({board.part}) cannot use flow {flow!r}; "
                                f"it can use: {', '.join(device.flows())}", key="flow")
        reason = module(flow).available(device)
        if reason and dry_run:
            return flow, f"{flow} (asked for; {reason}: project written for a machine with the tool)"
        if reason:
            raise ToolMissing(f"flow {flow!r} cannot run here: {reason}",
                              hint="use `--flow auto` for the open/estimate flow, or "
                                   "`--dry-run` to write the project for a machine that has the tool")
        return flow, f"{flow} (asked for)"
    if device.vendor_flow:
        try:
            reason = module(device.vendor_flow).available(device)
        except ToolMissing:
            reason = f"the {device.vendor_flow} flow is not installed"
        if reason is None:
            return device.vendor_flow, f"{device.vendor_flow} (installed)"
        skipped = reason
    else:
        skipped = ""
    if device.open:
        return "open", "open (Yosys + nextpnr)"
    if device.estimate:
        return "estimate", f"estimate: {skipped}; Yosys gives a synthesis estimate only"
    raise FpgaflowError(f"no flow can build for {board.part}")
