"""The EDAM (FuseSoC's description of one target) as fpgaflow's stages read it.

One walk over a target's files (HDL and C sources in order, include directories, data
files, everything a stage reads for its digest), its parameters by type, and parameter
values written as HDL and C literals the way Edalize writes them
(``edalize.edatool.jinja_filter_param_value_str``: booleans 1/0, strings quoted for
Verilog parameters, raw for defines).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HDL_TYPES = ("verilogSource", "systemVerilogSource")
C_TYPES = ("cppSource", "cSource")
DATA_TYPES = ("user", "hex", "mem", "verilogMem")


@dataclass
class Files:
    hdl: list[tuple[str, str]] = field(default_factory=list)   # (name, base file type)
    c: list[str] = field(default_factory=list)
    include_dirs: list[str] = field(default_factory=list)      # in order, no repeats
    data: list[str] = field(default_factory=list)              # $readmemh files and the like
    inputs: list[str] = field(default_factory=list)            # every file a stage reads


def base_type(f: dict) -> str:
    """``verilogSource-2005`` -> ``verilogSource``."""
    return str(f.get("file_type", "")).split("-")[0]


def files(edam: dict, *, synthesis: bool = False) -> Files:
    """The files of a target; ``synthesis`` leaves out those tagged ``simulation``."""
    out = Files()
    for f in edam.get("files", []):
        if synthesis and "simulation" in f.get("tags", []):
            continue
        name, base = f["name"], base_type(f)
        if f.get("is_include_file"):
            d = f.get("include_path") or str(Path(name).parent)
            if d not in out.include_dirs:
                out.include_dirs.append(d)
        elif base in HDL_TYPES:
            out.hdl.append((name, base))
        elif base in C_TYPES:
            out.c.append(name)
        elif base in DATA_TYPES:
            out.data.append(name)
        elif synthesis:
            continue          # constraints and the like: read by other stages, not this one
        out.inputs.append(name)
    return out


def parameters(edam: dict, paramtype: str | None = None) -> dict[str, Any]:
    """The parameters that have a value (of one ``paramtype``: vlogparam, vlogdefine, ...)."""
    return {k: v["default"] for k, v in edam.get("parameters", {}).items()
            if "default" in v and (paramtype is None or v.get("paramtype") == paramtype)}


def tool_options(edam: dict, tool: str | None, key: str) -> list[str]:
    """A list option of the target for one FuseSoC tool (``nextpnr_options``,
    ``yosys_synth_options``), split as the shell splits Edalize's Makefile line.

    A tool-API target has them under ``tools: <tool>:`` (the EDAM's ``tool_options``); a
    flow-API target (``flow: icestorm``) has one flat ``flow_options`` from which each tool
    of the flow takes its own keys, as Edalize's flows hand them out."""
    from .targetdevice import split_options
    per_tool = edam.get("tool_options") or {}
    opts = per_tool.get(tool or "", {}) if per_tool else (edam.get("flow_options") or {})
    return split_options(opts.get(key, [])) if isinstance(opts, dict) else []


def _edalize(value: Any, quote: str) -> str:
    from edalize.edatool import jinja_filter_param_value_str
    return jinja_filter_param_value_str(value, str_quote_style=quote)


def vlog_literal(value: Any) -> str:
    """A Verilog parameter value: 1/0 for booleans, strings in double quotes."""
    return _edalize(value, '"')


def yosys_literal(value: Any, width: int | None = None) -> str:
    """A parameter value for Yosys's ``chparam``: as :func:`vlog_literal`, except a negative
    integer, which chparam cannot decode (``RTLIL::SigSpec::parse`` has no minus sign: Yosys
    says ``Can't decode value '-1'``). That one is written as a ``width``-bit two's complement
    signed constant (``32'sb1…1`` for -1); ``width`` defaults to 32, or the bits the value
    needs when it needs more (Yosys keeps wide constants: a ``signed [63:0]`` parameter reads
    64 bits). Yosys gives the parameter those bits, converted to its declared type: exact for
    a parameter declared ``integer`` or ``signed`` (of at most ``width`` bits), the unsigned
    value for an untyped one."""
    if isinstance(value, bool) or not isinstance(value, int) or value >= 0:
        return vlog_literal(value)
    bits = width or max(32, (~value).bit_length() + 1)
    return f"{bits}'sb{value & ((1 << bits) - 1):0{bits}b}"


def define_value(value: Any) -> str:
    """A preprocessor define's value (Verilog or C): 1/0 for booleans, strings raw."""
    return _edalize(value, "")
