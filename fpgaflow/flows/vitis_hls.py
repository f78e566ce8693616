"""Vitis HLS: the ``hls`` stage of the Vivado flow (C simulation, C synthesis, IP export).

The design is the core's ``csim`` target (its C++ sources and testbench, top = the HLS
top); recipe parameters become ``-D`` macros (``-cflags``) of design and testbench, as in
the g++ ``csim`` stage, after ``-I`` for the work dir (headers the model writes, such as
``bilstm_params.h``) and the core's include dirs. Vitis HLS compiles in
``<proj>/solution1/csim/build`` and elsewhere, so the script makes these ``-I`` paths
absolute when it runs (``[pwd]`` at its start, ``file normalize``).

``vitis_hls.tcl``: open_project, set_top, add_files (``-tb`` for the testbench and the
vector files the model writes), open_solution, set_part, create_clock, csim_design,
csynth_design, optional cosim_design (option ``hls_cosim``), export_design -format
ip_catalog. The model's files (vectors, ROM headers) are written first, also without a
testbench: C synthesis may include them. Reports:
``<proj>/solution1/syn/report/csynth.rpt`` and ``csynth.xml``. The Verilog in
``<proj>/solution1/syn/verilog`` is what the Vivado synth stage of the same recipe builds
(see ``vivado.synth_edam``).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from ..edam import files as edam_files
from ..errors import FpgaflowError
from ..plan import Stage
from ..quoting import tcl_word
from . import hooks
from . import sim as sim_flow
from .vivado import period_ns, render, vendor_tool

TOOL = "vitis_hls"
PROJECT = "hls_prj"
_TB = re.compile(r"(^|[_/.\-])(tb|test|testbench)([_/.\-]|$)", re.IGNORECASE)


def _csim_edam(ctx) -> dict:
    from .. import corelib
    if "csim" not in corelib.find_core(ctx.core, ctx.core_roots).targets:
        raise FpgaflowError(f"core {ctx.core} has no 'csim' target (no HLS sources)",
                            key="stages", hint="remove 'hls' from the recipe's stages")
    with tempfile.TemporaryDirectory(prefix="fpgaflow-hls-") as d:
        return sim_flow._target_edam(ctx, "csim", Path(d))


def available() -> str | None:
    """None when vitis_hls can run here, else the reason."""
    if shutil.which(TOOL) is None:
        return ("vitis_hls not found on PATH (source the settings64.sh of a Vitis or "
                "Vitis HLS installation)")
    return None


def hls_top(ctx) -> str:
    return _csim_edam(ctx)["toplevel"]


def hls_rtl_dir(ctx, relative_to: str) -> str:
    """The exported Verilog, as seen from ``work/<relative_to>``."""
    return f"../hls/{PROJECT}/solution1/syn/verilog"


def hls_clock_mhz(ctx) -> float:
    """The HLS design's one clock (``ap_clk``): the recipe's clock, 100 MHz without one.
    A second recipe clock would constrain nothing: exit 2."""
    if len(ctx.clocks) > 1:
        extra = list(ctx.clocks)[1]
        raise FpgaflowError(f"clock {extra!r}: an HLS design has one clock (ap_clk), the "
                            f"recipe names {len(ctx.clocks)}", key=f"clocks.{extra}",
                            hint="keep one clock in `clocks:` (its port name is not used)")
    return next(iter(ctx.clocks.values()), 100.0)


def hls_stage(ctx) -> Stage:
    edam = _csim_edam(ctx)
    tool = vendor_tool(TOOL, ctx)
    walk = edam_files(edam)
    incdirs, inputs = walk.include_dirs, walk.inputs
    testbench = [n for n in walk.c if _TB.search(Path(n).name)]
    sources = [n for n in walk.c if n not in testbench]
    if not sources:
        raise FpgaflowError(f"core {ctx.core}: the csim target has no C/C++ design sources")
    params = sim_flow._params(edam)
    hooks.check(ctx, edam, "hls")
    defines = [f"-D{k}={sim_flow._cdef(v)}" for k, v in params.items()]
    mhz = hls_clock_mhz(ctx)
    cosim = bool(ctx.options.get("hls_cosim", False))
    script = render("vitis_hls.tcl.j2", core=ctx.core, top=edam["toplevel"], project=PROJECT,
                    sources=sources, testbench=testbench, part=ctx.board.part,
                    incdirs=[tcl_word(d) for d in dict.fromkeys(incdirs)],
                    defines=[tcl_word(d) for d in defines], defines_text=" ".join(defines),
                    period=period_ns(mhz), csim=bool(testbench), cosim=cosim)
    commands = [*sim_flow.data_commands(ctx, edam, "hls"), [tool.path, "-f", "vitis_hls.tcl"]]
    report_dir = f"{PROJECT}/solution1/syn/report"
    return Stage(name="hls", tools=[tool.record()], commands=commands,
                 files={"vitis_hls.tcl": script}, inputs=inputs,
                 outputs=[f"{PROJECT}/solution1/syn/verilog/{edam['toplevel']}.v"],
                 reports={"hls_csynth_rpt": f"{report_dir}/csynth.rpt",
                          "hls_csynth_xml": f"{report_dir}/csynth.xml"},
                 timeout_s=ctx.options.get("timeout_s"),
                 note="vitis_hls csim, csynth" + (", cosim" if cosim else "") + ", export ip_catalog")
