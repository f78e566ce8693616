"""Flow-independent verification stages: ``sim`` (RTL simulation) and ``csim`` (HLS C-sim).

Both resolve their own FuseSoC target (``sim``, ``csim``) into an EDAM, apply the recipe's
parameters that the target declares, write the core's test vectors from its bit-exact
model (the one the target's FuseSoC hooks declare, ``fpgaflow.flows.hooks``) and run the
testbench.
The testbench prints one line that the summary reads::

    FPGAFLOW_SIM vectors=64 mismatches=0 cycles_per_item=512
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from .. import corelib, toolchain
from . import hooks
from ..edam import base_type, define_value, vlog_literal
from ..edam import files as edam_files
from ..edam import parameters as edam_parameters
from ..errors import FpgaflowError, ToolMissing
from ..plan import Stage


# the tools of the flow-independent stages (the registry adds them to the flows' tools)
TOOLS = (toolchain.ToolSpec("iverilog", version_args=("-V",), purpose="RTL simulation (sim)"),
         toolchain.ToolSpec("verilator", version_args=("--version",),
                            purpose="RTL simulation (sim, options.sim_tool: verilator)"),
         toolchain.ToolSpec("g++", version_args=("--version",), purpose="HLS C simulation (csim)"))


def _target_edam(ctx, target: str, work_root: Path, tool: str | None = None) -> dict:
    # FuseSoC's get_parameters() for a target can list more than the target's EDAM has
    # (lutnet: VARIANT), so the EDAM itself decides which recipe parameters apply
    return corelib.edam(ctx.core, target, ctx.core_roots, ctx.parameters, work_root, tool,
                        undeclared="skip", flags=ctx.flags, mapping=ctx.mapping)


SIM_TOOLS = ("icarus", "verilator")


def _target_simulator(info, target: str) -> str | None:
    """The simulator a target defaults to (``default_tool``, or ``flow: sim`` with
    ``flow_options: {tool: X}``), if it is one the sim stage runs."""
    tools = (info.target_tools or {}).get(target) or {}
    default = tools.get("tool")
    if tools.get("flow") == "sim":      # the flow API: `flow: sim`, `flow_options: {tool: X}`
        default = (tools.get("flow_options") or {}).get("tool") or default
    return default if default in SIM_TOOLS else None


def sim_target(ctx, info) -> str:
    """The target the sim stage runs: the recipe's own target when it is a simulation
    target (it defaults to Icarus or Verilator: subservient's sim_hello, fpga_tb), else
    ``sim``."""
    if ctx.target != "sim" and ctx.target in info.targets and _target_simulator(info, ctx.target):
        return ctx.target
    return "sim"


def _sim_tool(ctx, info, target: str = "sim") -> str:
    """The simulator: the recipe's ``sim_tool``, else the sim target's ``default_tool`` (as
    ``fusesoc run --target sim``), else Icarus."""
    return ctx.options.get("sim_tool") or _target_simulator(info, target) or "icarus"


def _tool_opts(edam: dict, tool: str, key: str) -> list[str]:
    """A list option of the sim target's ``tools: <tool>:`` (iverilog_options, vvp_options,
    verilator_options, run_options), or of its flat ``flow_options`` (``flow: sim``), each
    item split as Edalize's Makefile line is."""
    from ..edam import tool_options
    return tool_options(edam, tool, key)


def cmdlineargs(edam: dict) -> list[str]:
    """``paramtype: cmdlinearg`` parameters, as Edalize's Verilator run passes them
    (``--NAME=VALUE``)."""
    return [f"--{k}={define_value(v)}" for k, v in edam_parameters(edam, "cmdlinearg").items()]


def plusargs(edam: dict) -> list[str]:
    """The target's ``paramtype: plusarg`` parameters as Edalize hands them to the simulation
    (``+NAME=VALUE``, booleans 1/0, strings raw: edalize.icarus/verilator ``run_main``)."""
    return [f"+{k}={define_value(v)}" for k, v in edam_parameters(edam, "plusarg").items()]


def data_commands(ctx, edam: dict, stage: str = "synth") -> list[list[str]]:
    """Commands that write the core's data files (ROM contents, LUTs, test vectors) into
    the stage's work dir, from the model the target's hooks declare (``flows.hooks``);
    synthesis needs the ROM files as much as sim."""
    return hooks.commands(ctx, edam, stage)


def _params(edam: dict) -> dict:
    return edam_parameters(edam)


# A core whose model writes the test vectors has a testbench that compares against them
# and prints the FPGAFLOW_SIM line; without it the run did not get that far. A testbench of
# its own (a public core's) passes by exiting 0, as under `fusesoc run`.
_RESULT_LINE = {"result_line": True}


def sim_stage(ctx, scratch: Path) -> Stage:
    info = corelib.find_core(ctx.core, ctx.core_roots)
    target = sim_target(ctx, info)
    if target not in info.targets:
        raise FpgaflowError(f"core {ctx.core} has no 'sim' target", key="stages",
                            hint="remove 'sim' from the recipe's stages, add a sim target, or "
                                 "name a simulation target (one whose default_tool is icarus "
                                 "or verilator) as the recipe's target")
    tool_name = _sim_tool(ctx, info, target)
    # the chosen simulator is FuseSoC's tool flag (`--tool`): its `tool_X?` filesets, its
    # `tools: X:` options
    edam = _target_edam(ctx, target, scratch / "sim", tool_name)
    top = edam["toplevel"]
    tops = str(top).split()          # a list of toplevels arrives space-separated
    vhdl = [f for f in edam.get("files", []) if base_type(f) == "vhdlSource"]
    if vhdl:     # Icarus and Verilator would stop at the first entity they cannot find
        f = vhdl[0]
        raise FpgaflowError(
            f"core {ctx.core} target {target} has VHDL ({len(vhdl)} file(s), the first "
            f"{f['name']} of {f.get('core', ctx.core)}): the sim stage runs Icarus or "
            "Verilator, which simulate Verilog/SystemVerilog only", key="stages",
            hint="leave 'sim' out of the recipe's stages and run that target with `fusesoc "
                 "run --target sim` and a VHDL simulator (GHDL, ModelSim, ...)")
    walk = edam_files(edam)
    srcs, incdirs, inputs = [name for name, _ in walk.hdl], walk.include_dirs, walk.inputs
    params = _params(edam)
    vparams = {k: v for k, v in params.items()
               if edam["parameters"][k].get("paramtype") == "vlogparam"}
    # defines reach the simulator as Edalize passes them (raw values)
    defines = [f"-D{k}={define_value(v)}" for k, v in params.items()
               if edam["parameters"][k].get("paramtype") == "vlogdefine"]
    runargs = plusargs(edam)
    from .yosys import copyto_command
    copy, copied = copyto_command(edam)          # firmware/ROM files the testbench opens
    inputs += copied
    hooks.check(ctx, edam, "sim")
    model = hooks.commands(ctx, edam, "sim")
    commands = [*copy, *model]
    vpi = edam.get("vpi") or []
    files: dict[str, str] = {}
    if tool_name == "verilator":
        if vpi:
            raise FpgaflowError(
                f"core {ctx.core} target {target} loads VPI modules "
                f"({', '.join(v['name'] for v in vpi)}), which only the Icarus flow builds "
                "(Edalize's Verilator backend leaves them out too)", key="options.sim_tool",
                hint="use options: {sim_tool: icarus}, or a sim target without `vpi:`")
        tool = toolchain.resolve("verilator", announce=ctx.announce)
        if tool is None:
            raise ToolMissing("verilator not found", hint="apt-get install verilator")
        tools = [tool]
        # a C++ testbench (cppSource/cSource in the target, as subservient's fpga_tb) is the
        # main: --cc --exe with it, as Edalize's default mode; else Verilator's own --binary.
        # Control files (file_type vlt) first, headers' dirs to the C++ compiler too, the
        # target's `libs` to the linker
        cfiles = walk.c
        mode = ["--cc", "--exe", "--build"] if cfiles else ["--binary"]
        cflags = [a for d in dict.fromkeys(incdirs) for a in ("-CFLAGS", f"-I{d}")] \
            if cfiles else []
        libs = [a for lib in _tool_opts(edam, "verilator", "libs") for a in ("-LDFLAGS", lib)]
        vlt = [f["name"] for f in edam.get("files", []) if base_type(f) == "vlt"]
        commands.append([tool.path, *mode, "-Wno-fatal", "-Wno-lint", "-Wno-style",
                         "--top-module", tops[0], "-Mdir", "obj_dir", "-o", "simv",
                         *[f"-I{d}" for d in dict.fromkeys(incdirs)], *cflags, *libs, *defines,
                         *[f"-G{k}={_vlog(v)}" for k, v in vparams.items()],
                         *_tool_opts(edam, "verilator", "verilator_options"), *vlt, *srcs,
                         *cfiles])
        commands.append(["obj_dir/simv", *runargs, *cmdlineargs(edam),
                         *_tool_opts(edam, "verilator", "run_options")])
    elif tool_name == "icarus":
        iverilog = toolchain.resolve("iverilog", announce=ctx.announce)
        if iverilog is None:
            raise ToolMissing("iverilog (Icarus Verilog) not found", hint="apt-get install iverilog")
        vvp = os.path.join(os.path.dirname(iverilog.path), "vvp")
        tools = [iverilog]
        # as Edalize's Makefile: one -s per toplevel, each vlogparam on each, the target's
        # iverilog_options after fpgaflow's -g2012 (a later -g wins), vvp_options, plusargs
        # the target's `timescale` option: a timescale.v ahead of the sources, as Edalize's
        ts = " ".join(_tool_opts(edam, "icarus", "timescale"))
        if ts:
            files["timescale.v"] = f"`timescale {ts}\n"
        commands.append([iverilog.path, "-g2012", "-o", "sim.vvp", *[a for t in tops for a in ("-s", t)],
                         *[f"-I{d}" for d in dict.fromkeys(incdirs)], *defines,
                         *[f"-P{t}.{k}={_vlog(v)}" for t in tops for k, v in vparams.items()],
                         *_tool_opts(edam, "icarus", "iverilog_options"),
                         *(["timescale.v"] if ts else []), *srcs])
        # VPI modules as Edalize's Makefile builds them (iverilog-vpi --name=N -lLIB -IDIR
        # SRCS in the work dir) and loads them (vvp -M. -mN)
        for v in vpi:
            commands.append([os.path.join(os.path.dirname(iverilog.path), "iverilog-vpi"),
                             f"--name={v['name']}", *[f"-l{lib}" for lib in v.get("libs", [])],
                             *[f"-I{d}" for d in v.get("include_dirs", [])], *v["src_files"]])
            inputs += v["src_files"] + [str(h) for d in v.get("include_dirs", [])
                                        for h in sorted(Path(d).glob("*.h"))]
        load = ["-M.", *[f"-m{v['name']}" for v in vpi]] if vpi else []
        commands.append([vvp, "-n", *load, *_tool_opts(edam, "icarus", "vvp_options"),
                         "sim.vvp", *runargs])
    else:
        raise FpgaflowError(f"unknown sim_tool {tool_name!r}; expected icarus or verilator",
                            key="options.sim_tool")
    return Stage(name="sim", tools=[t.record() for t in tools], commands=commands,
                 files=files, inputs=inputs, reports={"sim_log": "@log"},
                 timeout_s=ctx.options.get("timeout_s"),
                 note=_note(f"{tool_name} on target {target} ({top})", edam, "sim"),
                 meta={**hooks.bound(ctx, edam, "sim"), **(_RESULT_LINE if model else {})})


def _note(text: str, edam: dict, stage: str) -> str:
    skipped = hooks.not_run(edam, stage)
    return text + (f" (not run: {', '.join(skipped)}, not a Python model)" if skipped else "")


def ap_types_dir() -> str | None:
    """The ap_types headers that the hls4ml package ships (Vivado/Vitis HLS compatible)."""
    spec = importlib.util.find_spec("hls4ml")
    if spec is None or not spec.submodule_search_locations:
        return None
    d = Path(list(spec.submodule_search_locations)[0]) / "templates" / "vivado" / "ap_types"
    return str(d) if (d / "ap_int.h").exists() else None


def csim_stage(ctx, scratch: Path) -> Stage:
    if "csim" not in corelib.find_core(ctx.core, ctx.core_roots).targets:
        raise FpgaflowError(f"core {ctx.core} has no 'csim' target (no HLS sources)", key="stages",
                            hint="remove 'csim' from the recipe's stages")
    gxx = toolchain.resolve("g++", announce=ctx.announce)
    if gxx is None:
        raise ToolMissing("g++ not found", hint="apt-get install g++")
    ap = ap_types_dir()
    if ap is None:
        raise ToolMissing("the ap_types headers were not found (they ship with the hls4ml package)",
                          hint="pip install --no-deps hls4ml")
    edam = _target_edam(ctx, "csim", scratch / "csim")
    walk = edam_files(edam)
    # ".": headers the model writes (bilstm_params.h)
    srcs, incdirs, inputs = walk.c, [".", ap, *walk.include_dirs], walk.inputs
    params = _params(edam)
    hooks.check(ctx, edam, "csim")
    commands = hooks.commands(ctx, edam, "csim")
    meta = dict(_RESULT_LINE) if commands else {}
    commands.append([gxx.path, "-std=c++14", "-O2", "-w",
                     *[f"-I{d}" for d in dict.fromkeys(incdirs)],
                     *[f"-D{k}={_cdef(v)}" for k, v in params.items()], *srcs, "-o", "csim"])
    commands.append(["./csim"])
    return Stage(name="csim", tools=[gxx.record(), {"name": "ap_types", "path": ap,
                                                    "version": _hls4ml_version(), "via": "hls4ml"}],
                 commands=commands, inputs=inputs, outputs=["csim"], reports={"sim_log": "@log"},
                 timeout_s=ctx.options.get("timeout_s"),
                 note=_note("g++ with hls4ml's ap_types", edam, "csim"), meta=meta)


def _hls4ml_version() -> str:
    try:
        from importlib.metadata import version
        return version("hls4ml")
    except Exception:  # noqa: BLE001 - metadata may be absent in odd installs
        return "unknown"


_vlog = vlog_literal      # the literal formatters all flows share (fpgaflow.edam)
_cdef = define_value
