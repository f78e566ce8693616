"""The Vivado flow: Edalize's Vivado flow API writes the project, fpgaflow adds the rest.

Stages (each runs in ``work/<stage>/`` of the build directory):

- ``synth``: Edalize renders ``<proj>.tcl`` (create_project, sources, parameters),
  ``<proj>_synth.tcl``, ``<proj>_netlist.tcl`` and a ``Makefile`` from the EDAM; fpgaflow
  adds ``fpgaflow.xdc`` (the recipe's clocks, board pins outside out-of-context mode),
  ``fpgaflow_project.tcl`` (sourced by the project Tcl: report hooks on synth_1/impl_1,
  ``-mode out_of_context``, HLS sources) and the hook scripts
  ``fpgaflow_reports_{synth,routed}.tcl``. The commands: the core model's data files
  (ROM contents for ``$readmemh``, as in the Yosys flow; the project adds them as memory
  files), then ``make synth``.
- ``pnr``: ``vivado -mode batch -source vivado_impl.tcl`` opens ``../synth/<proj>.xpr``
  and runs impl_1 to ``route_design`` (or ``write_bitstream`` with option ``bitstream``).

The hooks write ``report_utilization`` (flat and ``-hierarchical``),
``report_timing_summary`` and ``report_power`` into the run directories under fixed names
(``fpgaflow_<phase>_*.rpt``); the stages map them to the parser kinds. Synthesis only
(``stages: [synth]``) is out of context by default (option ``out_of_context``).

Everything a user needs to run the build elsewhere is a stage file, so ``--dry-run``
writes a complete project even where Vivado is not installed.
"""

from __future__ import annotations

import copy
import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from pydantic import Field

from .. import toolchain
from ..errors import FpgaflowError
from ..plan import Stage
from ..quoting import clock_port, comment_text, tcl_word
from . import Flow, FlowPlan, Options
from .sim import data_commands
from .yosys import check_clocks, copyto_command

NAME = "vivado"
DEFAULT_STAGES = ["synth", "pnr"]
TOOL = "vivado"

@lru_cache(maxsize=1)
def _env():
    """The templates' Jinja environment (imported when a script is rendered, not when the
    flow registry is read)."""
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["tcl"] = tcl_word          # a recipe or board value as one literal Tcl word
    env.filters["comment"] = comment_text  # ... inside a '#' comment line
    return env

# report kind -> file name suffix written by the hook (hierarchical first: the flat table
# of the same phase is merged after it and wins for the totals)
REPORTS = {"vivado_util_hier": "utilization_hier.rpt", "vivado_util": "utilization.rpt",
           "vivado_timing": "timing_summary.rpt", "vivado_power": "power.rpt"}


def render(template: str, **values) -> str:
    return _env().get_template(template).render(**values)


def available(device) -> str | None:
    if device.vendor_flow != "vivado":
        return f"{device.family} is not an AMD/Xilinx part"
    if shutil.which(TOOL) is None:
        return ("vivado not found on PATH (source the settings64.sh of a Vivado installation)")
    return None


def vendor_tool(name: str, ctx) -> toolchain.Tool:
    """The vendor tool, or a placeholder record when it is absent (dry run only)."""
    tool = toolchain.resolve(name, announce=ctx.announce)
    if tool is None:
        return toolchain.Tool(name, name, "not-installed", "vendor")
    return tool


def project_name(ctx) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", ctx.name)


def period_ns(mhz: float) -> str:
    return f"{1000.0 / mhz:.3f}"


def xdc(ctx, ooc: bool, hls: bool = False) -> str:
    """Clocks of the recipe; an HLS design has one clock port, ``ap_clk``."""
    clocks = [{"name": "ap_clk" if hls else clock_port(n), "period": period_ns(mhz)}
              for n, mhz in list(ctx.clocks.items())[:1 if hls else None]]
    pins = []
    if not ooc and not hls:
        for n in ctx.clocks:
            info = ctx.board.clocks.get(n) or {}
            if info.get("pin"):
                pins.append({"name": clock_port(n), "pin": info["pin"],
                             "standard": info.get("standard", "LVCMOS33")})
    return render("vivado.xdc.j2", name=ctx.name, board=ctx.board.name, part=ctx.board.part,
                  clocks=clocks, pins=pins)


def run_dir(name: str, run: str) -> str:
    return f"{name}.runs/{run}"


def phase_reports(prefix: str, phase: str) -> dict[str, str]:
    return {kind: f"{prefix}/fpgaflow_{phase}_{suffix}" for kind, suffix in REPORTS.items()}


def _edalize_project(edam: dict, name: str, flow_options: dict) -> dict[str, str]:
    """Run Edalize's Vivado flow ``configure`` in a scratch dir; return the files it wrote."""
    from edalize.flows.vivado import Vivado as EdalizeVivado
    e = copy.deepcopy(edam)
    e["name"] = name
    e["flow_options"] = {**e.get("flow_options", {}), **flow_options}
    with tempfile.TemporaryDirectory(prefix="fpgaflow-vivado-") as d:
        flow = EdalizeVivado(e, d)
        flow.configure()
        return {p.name: p.read_text() for p in sorted(Path(d).iterdir()) if p.is_file()}


def synth_edam(ctx, wanted: list[str]) -> tuple[dict, list[str], str | None]:
    """The EDAM the synth stage builds from, its input files and the HLS RTL dir (if any).

    With an ``hls`` stage in the same recipe, the design is the RTL Vitis HLS exported
    (``../hls/<proj>/solution1/syn/verilog``, globbed when the project is created) with
    the HLS top; the core's own RTL and Verilog parameters are not used.
    """
    edam = copy.deepcopy(ctx.edam)
    if "hls" in wanted:
        from .vitis_hls import hls_rtl_dir, hls_top
        edam["files"] = []
        edam["parameters"] = {}
        edam["toplevel"] = hls_top(ctx)
        edam["hooks"] = {}
        return edam, [], hls_rtl_dir(ctx, relative_to="synth")
    files, inputs = [], []
    for f in edam.get("files", []):
        if "simulation" in f.get("tags", []):
            continue
        files.append(f)
        inputs.append(f["name"])
    edam["files"] = files
    # fpgaflow writes the data files itself (data_commands, with the recipe's values): the
    # core's FuseSoC hooks would run in Edalize's Makefile without them (the model's defaults)
    edam["hooks"] = {}
    return edam, inputs, None


def stages(ctx, wanted: list[str]) -> list[Stage]:
    out = []
    if "synth" in wanted or "pnr" in wanted:
        out.append(synth_stage(ctx, wanted))
    if "pnr" in wanted:
        out.append(pnr_stage(ctx))
    return out


def plan(ctx, wanted: list[str]) -> FlowPlan:
    if "hls" not in wanted and ("synth" in wanted or "pnr" in wanted):
        check_clocks(ctx)        # with hls the XDC constrains the HLS top's ap_clk
    out = [hls_stage(ctx)] if "hls" in wanted else []
    return FlowPlan(stages=out + stages(ctx, wanted))


def _ooc(ctx, wanted) -> bool:
    return bool(ctx.options.get("out_of_context", "pnr" not in wanted))


def synth_stage(ctx, wanted: list[str]) -> Stage:
    tool = vendor_tool(TOOL, ctx)
    name = project_name(ctx)
    ooc = _ooc(ctx, wanted)
    if ooc and ctx.options.get("bitstream"):
        raise FpgaflowError("option bitstream needs a placed design with pins: it cannot be "
                            "combined with out_of_context", key="options.bitstream")
    edam, inputs, hls_dir = synth_edam(ctx, wanted)
    edam["files"] = edam["files"] + [
        {"name": "fpgaflow.xdc", "file_type": "xdc"},
        {"name": "fpgaflow_project.tcl", "file_type": "tclSource"},
    ]
    files = _edalize_project(edam, name, {"part": ctx.board.part})
    files["fpgaflow.xdc"] = xdc(ctx, ooc, hls=hls_dir is not None)
    files["fpgaflow_project.tcl"] = render("vivado_project.tcl.j2", name=name, ooc=ooc,
                                           hls_sources=hls_dir, data_files=hls_dir is None)
    files["fpgaflow_reports_synth.tcl"] = render("vivado_reports.tcl.j2", phase="synth",
                                                 step="synth_design")
    files["fpgaflow_reports_routed.tcl"] = render("vivado_reports.tcl.j2", phase="routed",
                                                  step="route_design")
    mode = "out-of-context synthesis" if ooc else "synthesis"
    # ROM contents ($readmemh files) from the core's model, into the work dir before the
    # project is created (fpgaflow_project.tcl adds them); HLS RTL brings its own .dat files
    data = [] if hls_dir else data_commands(ctx, ctx.edam)   # the project's EDAM has no hooks
    # the core's `copyto` files (firmware for a $readmemh by a target's relative memfile=),
    # in the project directory as `fusesoc run` has them in its work root; the project adds
    # *.hex/*.mem/*.dat there as memory files
    copies, copied = ([], []) if hls_dir else copyto_command(ctx.edam)
    return Stage(name="synth", tools=[tool.record()],
                 commands=[*copies, *data, ["make", "synth"]],
                 files=files,
                 inputs=[*inputs, *copied], outputs=[f"{name}.xpr"],
                 reports=phase_reports(run_dir(name, "synth_1"), "synth"),
                 needs=["hls"] if hls_dir else [],
                 timeout_s=ctx.options.get("timeout_s"),
                 note=f"vivado {mode} (Edalize project, make synth)")


def pnr_stage(ctx) -> Stage:
    tool = vendor_tool(TOOL, ctx)
    name = project_name(ctx)
    bitstream = bool(ctx.options.get("bitstream", False))
    script = render("vivado_impl.tcl.j2", name=name, jobs="",
                    to_step="write_bitstream" if bitstream else "route_design",
                    bitstream=bitstream)
    return Stage(name="pnr", tools=[tool.record()],
                 commands=[[tool.path, "-notrace", "-mode", "batch", "-source", "vivado_impl.tcl"]],
                 files={"vivado_impl.tcl": script},
                 outputs=[f"{name}.bit"] if bitstream else [],
                 reports=phase_reports("../synth/" + run_dir(name, "impl_1"), "routed"),
                 needs=["synth"],
                 timeout_s=ctx.options.get("timeout_s"),
                 note="vivado implementation" + (" + bitstream" if bitstream else ""))


def hls_stage(ctx) -> Stage:
    from .vitis_hls import hls_stage as _hls
    return _hls(ctx)


def hls_available() -> str | None:
    """None when the ``hls`` stage (Vitis HLS) can run here, else the reason."""
    from .vitis_hls import available as _available
    return _available()


class VivadoOptions(Options):
    out_of_context: bool = Field(None, description="synthesize out of context (default: "
                                                   "when there is no pnr stage)")
    bitstream: bool = Field(None, description="write the bitstream after routing")
    hls_cosim: bool = Field(None, description="run C/RTL co-simulation in the hls stage")


FLOW = Flow(
    name=NAME, kind="vendor", summary="AMD Vivado", module=__name__,
    families=("zynquplus", "zynq", "artix7", "kintex7", "virtex7", "spartan7", "kintexu",
              "kintexuplus", "virtexuplus", "versal"),
    tools=(toolchain.ToolSpec(TOOL, version_args=("-version",), vendor=True,
                              purpose="AMD Vivado (source settings64.sh)"),
           toolchain.ToolSpec("vitis_hls", version_args=("-version",), vendor=True,
                              purpose="Vitis HLS, for the hls stage")),
    options=VivadoOptions,
    stages={"hls": (), "synth": ("hls",), "pnr": ("synth",)}, default_stages=tuple(DEFAULT_STAGES),
    report_kinds=(*REPORTS, "hls_csynth_rpt", "hls_csynth_xml"),
    plan=plan, available=available, stage_checks={"hls": hls_available})
