"""The Quartus flow: Edalize's Quartus backend writes the project, fpgaflow adds the rest.

The edition (Lite/Standard vs Pro) comes from the recipe (``options.quartus_edition``) or
the board (``quartus_edition``), never from whatever Quartus is installed: Edalize's
backend probes ``quartus_sh --version`` to pick its Makefile, so fpgaflow constructs it
with no tool on PATH and sets the edition itself (``isPro``).

Stages (each runs in ``work/<stage>/``):

- ``synth``: Edalize's ``<proj>.tcl`` (project_new, family, device, sources, parameters)
  and ``Makefile``; fpgaflow adds ``fpgaflow.sdc`` (the recipe's clocks) and
  ``quartus_settings.tcl`` (output_files/, board clock pins, virtual pins out of context).
  The commands: the core model's data files (ROM contents for ``$readmemh``, into the
  project dir), then ``make syn`` (quartus_sh -t, then quartus_map, or quartus_syn for Pro).
- ``pnr``: ``make -C ../synth -f ../pnr/quartus_pnr.mk fit [asm] sta pow``: quartus_fit,
  quartus_asm (option ``bitstream``), quartus_sta and quartus_pow on that project. The
  ``.fit.summary``, ``.sta.summary`` and ``.pow.summary`` in ``output_files/`` are parsed;
  on LE families (Cyclone IV, Cyclone 10 LP, MAX 10) the ``.fit.rpt`` instead of the
  ``.fit.summary``, whose "Total memory bits" do not say how many M9K blocks are used.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import Field

from .. import toolchain
from ..errors import FpgaflowError
from ..plan import Stage
from ..quoting import clock_port
from . import Flow, FlowPlan, Options
from .sim import data_commands
from .vivado import period_ns, project_name, render, vendor_tool
from .yosys import check_clocks, copyto_command

NAME = "quartus"
DEFAULT_STAGES = ["synth", "pnr"]
TOOL = "quartus_sh"
EDITIONS = ("lite", "standard", "pro")

# device family (devices.yaml) -> Quartus FAMILY assignment
FAMILIES = {"cyclonev": "Cyclone V", "cycloneive": "Cyclone IV E", "cyclone10lp": "Cyclone 10 LP",
            "max10": "MAX 10", "arria10": "Arria 10", "stratix10": "Stratix 10",
            "agilex": "Agilex", "agilex7": "Agilex 7", "cyclone10gx": "Cyclone 10 GX"}


def available(device) -> str | None:
    if device.vendor_flow != "quartus":
        return f"{device.family} is not an Intel part"
    if shutil.which(TOOL) is None:
        return "quartus_sh not found on PATH (add the quartus/bin directory of a Quartus installation)"
    return None


def edition(ctx) -> str:
    value = ctx.options.get("quartus_edition") or ctx.board.quartus_edition
    if not value:
        raise FpgaflowError(f"board {ctx.board.name} names no quartus_edition: set "
                            "options.quartus_edition to lite, standard or pro in the recipe",
                            key="options.quartus_edition")
    value = str(value).lower()
    if value not in EDITIONS:
        raise FpgaflowError(f"quartus_edition {value!r}: expected one of {', '.join(EDITIONS)}",
                            key="options.quartus_edition")
    return value


def sdc(ctx) -> str:
    clocks = [{"name": clock_port(n), "period": period_ns(mhz)} for n, mhz in ctx.clocks.items()]
    return render("quartus.sdc.j2", name=ctx.name, board=ctx.board.name, part=ctx.board.part,
                  clocks=clocks)


def _edalize_backend(edam: dict, work_root: str, pro: bool):
    """Edalize's Quartus backend for an edition given, not probed.

    ``edalize.quartus.Quartus.__init__`` runs ``quartus_sh --version`` with the process's
    PATH to tell Pro from Standard; the edition here comes from the board or recipe, so
    the backend is set up as that constructor does after its probe (Pro >= 17 writes
    boolean generics as 1/0, other editions as strings), without running anything."""
    from functools import partial

    from edalize.edatool import Edatool
    from edalize.quartus import Quartus as EdalizeQuartus
    backend = EdalizeQuartus.__new__(EdalizeQuartus)
    Edatool.__init__(backend, edam, work_root)
    backend.isPro = pro
    if not pro:
        backend.jinja_env.filters["generic_value_str"] = partial(
            backend.jinja_env.filters["generic_value_str"], bool_is_str=True)
    return backend


def _edalize_project(edam: dict, name: str, tool_options: dict, pro: bool) -> dict[str, str]:
    e = copy.deepcopy(edam)
    e["name"] = name
    e["tool_options"] = {"quartus": tool_options}
    with tempfile.TemporaryDirectory(prefix="fpgaflow-quartus-") as d:
        backend = _edalize_backend(e, d, pro)
        backend.configure()
        return {p.name: p.read_text() for p in sorted(Path(d).iterdir()) if p.is_file()}


def stages(ctx, wanted: list[str]) -> list[Stage]:
    ed = edition(ctx)
    out = []
    if "synth" in wanted or "pnr" in wanted:
        out.append(synth_stage(ctx, wanted, ed))
    if "pnr" in wanted:
        out.append(pnr_stage(ctx, ed))
    return out


def synth_stage(ctx, wanted: list[str], ed: str) -> Stage:
    tool = vendor_tool(TOOL, ctx)
    name = project_name(ctx)
    family = FAMILIES.get(ctx.device.family)
    if family is None:
        raise FpgaflowError(f"no Quartus family name known for device family {ctx.device.family!r}")
    ooc = bool(ctx.options.get("out_of_context", "pnr" not in wanted))
    edam = copy.deepcopy(ctx.edam)
    inputs = []
    files_in = []
    for f in edam.get("files", []):
        if "simulation" in f.get("tags", []):
            continue
        files_in.append(f)
        inputs.append(f["name"])
    edam["files"] = files_in + [{"name": "fpgaflow.sdc", "file_type": "SDC"},
                                {"name": "quartus_settings.tcl", "file_type": "tclSource"}]
    edam["hooks"] = {}      # fpgaflow writes the data files itself (below), with recipe values
    files = _edalize_project(edam, name, {"family": family, "device": ctx.board.part},
                             pro=(ed == "pro"))
    pins = []
    if not ooc:
        for n in ctx.clocks:
            info = ctx.board.clocks.get(n) or {}
            if info.get("pin"):
                pins.append({"name": clock_port(n), "pin": info["pin"],
                             "standard": info.get("standard", "3.3-V LVTTL")})
    files["fpgaflow.sdc"] = sdc(ctx)
    files["quartus_settings.tcl"] = render("quartus_settings.tcl.j2", name=name,
                                           edition=ed.capitalize(), pins=pins,
                                           virtual_pins=ooc, seed=ctx.options.get("seed"))
    summary = "syn" if ed == "pro" else "map"
    # ROM contents ($readmemh files) from the core's model, into the work dir first: it is
    # the project directory, which Quartus resolves relative $readmemh file names against
    data = data_commands(ctx, ctx.edam)       # its hooks: the project's EDAM has none
    # and the core's `copyto` files, where `fusesoc run` puts them (its work root)
    copies, copied = copyto_command(ctx.edam)
    return Stage(name="synth", tools=[tool.record()], commands=[*copies, *data, ["make", "syn"]],
                 files=files,
                 inputs=[*inputs, *copied], outputs=[f"output_files/{name}.{summary}.summary"],
                 timeout_s=ctx.options.get("timeout_s"),
                 note=f"quartus {ed} synthesis (Edalize project, make syn)")


# LE families: the .fit.summary gives "Total memory bits" only; the block count (M9K) is in
# the .fit.rpt's Fitter Resource Usage Summary, which also holds the Fitter Summary panel
LE_FAMILIES = ("cycloneive", "cyclone10lp", "max10")


def fit_report(family: str) -> str:
    """The fitter report parsed for a device family: ``fit.rpt`` where only it counts the
    block RAM in blocks, else ``fit.summary``."""
    return "fit.rpt" if family in LE_FAMILIES else "fit.summary"


def pnr_stage(ctx, ed: str) -> Stage:
    tool = vendor_tool(TOOL, ctx)
    name = project_name(ctx)
    goals = ["fit", *(["asm"] if ctx.options.get("bitstream") else []), "sta", "pow"]
    mk = render("quartus_pnr.mk.j2", name=name, goals=" ".join(goals))
    out = f"../synth/output_files/{name}"
    return Stage(name="pnr", tools=[tool.record()],
                 commands=[["make", "-C", "../synth", "-f", "../pnr/quartus_pnr.mk", *goals]],
                 files={"quartus_pnr.mk": mk},
                 outputs=[f"{out}.sof"] if ctx.options.get("bitstream") else [],
                 reports={"quartus_fit": f"{out}.{fit_report(ctx.device.family)}",
                          "quartus_sta": f"{out}.sta.summary",
                          "quartus_power": f"{out}.pow.summary"},
                 needs=["synth"],
                 timeout_s=ctx.options.get("timeout_s"),
                 note=f"quartus {ed} fit, timing and power")


def plan(ctx, wanted: list[str]) -> FlowPlan:
    if "synth" in wanted or "pnr" in wanted:
        check_clocks(ctx)
    return FlowPlan(stages=stages(ctx, wanted))


class QuartusOptions(Options):
    quartus_edition: Literal["lite", "standard", "pro"] = Field(
        None, description="the Quartus edition (default: the board's)")
    out_of_context: bool = Field(None, description="virtual pins: a core, not a chip top "
                                                   "(default: when there is no pnr stage)")
    bitstream: bool = Field(None, description="run the assembler (.sof) after the fit")


FLOW = Flow(
    name=NAME, kind="vendor", summary="Intel Quartus Prime", module=__name__,
    families=tuple(FAMILIES),
    tools=(toolchain.ToolSpec(TOOL, version_args=("--version",), vendor=True,
                              purpose="Intel Quartus Prime (quartus/bin on PATH)"),),
    options=QuartusOptions,
    stages={"synth": (), "pnr": ("synth",)}, default_stages=tuple(DEFAULT_STAGES),
    report_kinds=("quartus_fit", "quartus_sta", "quartus_power"),
    plan=plan, available=available)
