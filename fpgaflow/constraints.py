"""The ``constraints`` stage of the open flows: pin constraints for the synthesized top.

It runs after synthesis, reads the top's ports from the netlist (``../synth/netlist.json``),
and writes the one pin constraint file nextpnr gets, in the family's format (``FORMATS``:
LPF for ECP5 and MachXO2, PCF for iCE40, CST for Gowin, PDC for Nexus, CCF for GateMate;
the FuseSoC/Edalize file types of the same names):

1. the core's own constraint file of the target (of that file type in the EDAM), verbatim, first;
2. for each port bit it leaves unplaced, the board's pin of that name (``pins:`` and
   ``clocks:`` in ``boards/<board>.yaml``); a recipe clock port takes the board clock of its
   name, else the board's only clock;
3. ``constraints.json``: every port bit and where its pin came from (``core``, ``board``)
   or ``null`` when nothing places it. The summary reads it as ``io``; the ``bitstream``
   stage refuses to pack a design with such pins unless
   ``options: {allow_unconstrained: true}``, and where nextpnr cannot place such pins at
   all (Gowin, Nexus, GateMate) the stage itself stops with their names (``check --no-auto TOOL``).

``python -m fpgaflow.constraints write SPEC.json`` and ``... check`` are the stage
commands; everything else here is pure and unit-tested. It lives outside ``fpgaflow.flows``
so that the stage's process imports nothing but the standard library (the flows package
brings pydantic and the schemas).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable


@dataclass(frozen=True)
class Format:
    """A pin constraint format: its comment syntax, the placements it holds (a regex with
    groups ``port`` and ``pin``) and the lines placing one port bit."""
    comment: str                                    # regex of a comment to the line's end
    locate: re.Pattern[str]
    lines: Callable[[str, str, str | None], list[str]]    # (bit, pin, standard) -> lines
    bad: tuple[re.Pattern[str], str] | None = None        # a line the tool cannot take, why


def _lpf(bit: str, pin: str, std: str | None) -> list[str]:
    return [f'LOCATE COMP "{bit}" SITE "{pin}";'] + \
        ([f'IOBUF PORT "{bit}" IO_TYPE={std};'] if std else [])


def _cst(bit: str, pin: str, std: str | None) -> list[str]:
    return [f'IO_LOC "{bit}" {pin};'] + ([f'IO_PORT "{bit}" IO_TYPE={std};'] if std else [])


def _pdc(bit: str, pin: str, std: str | None) -> list[str]:
    return [f"ldc_set_location -site {{{pin}}} [get_ports {{{bit}}}]"] + \
        ([f"ldc_set_port -iobuf {{IO_TYPE={std}}} [get_ports {{{bit}}}]"] if std else [])


FORMATS: dict[str, Format] = {
    # Lattice LPF (ECP5, MachXO2): LOCATE COMP "led[0]" SITE "B2"; IOBUF PORT ... IO_TYPE=..
    "LPF": Format(r"#.*|//.*", re.compile(
        r'^\s*LOCATE\s+COMP\s+"(?P<port>[^"]+)"\s+SITE\s+"(?P<pin>[^"]+)"', re.I | re.M), _lpf),
    # iCE40 PCF: set_io [-nowarn ...] led[0] 27
    "PCF": Format(r"#.*", re.compile(r"^\s*set_io\s+(?:-\S+\s+)*(?P<port>\S+)\s+(?P<pin>\S+)",
                                     re.M), lambda bit, pin, std: [f"set_io {bit} {pin}"]),
    # Gowin CST: IO_LOC "led[0]" 10; IO_PORT "led[0]" IO_TYPE=LVCMOS18;
    "CST": Format(r"//.*", re.compile(
        r'^\s*IO_LOC\s+"?(?P<port>[^"\s;]+)"?\s+(?P<pin>[^;\s]+)', re.I | re.M), _cst),
    # Nexus PDC: ldc_set_location -site {E17} [get_ports {led[0]}]
    "PDC": Format(r"#.*", re.compile(
        r"^\s*ldc_set_location\s+-site\s+\{?\s*(?P<pin>[^\s{}\[\]]+)\s*\}?\s+"
        r"\[\s*get_ports\s+\{?\s*(?P<port>[^\s{}\[\]]+(?:\[\d+\])?)\s*\}?\s*\]", re.M), _pdc,
        # Tcl reads `[get_ports led[1]]` as a command substitution `[1]`; nextpnr-nexus 0.11
        # hangs on it (measured: no output after the clock line, for minutes)
        (re.compile(r"get_ports\s+[^\s{}\[\]]+\[\d+\]"), "a bus bit in get_ports needs "
         "braces, {led[1]} (Tcl reads led[1] as a command; nextpnr-nexus 0.11 hangs on it)")),
    # GateMate CCF: Net "led[0]" Loc = "IO_EB_B1"; (Pin_in/Pin_out/Pin_inout too). The I/O
    # standard is the bank's supply on GateMate, not a pin attribute: none is written
    "CCF": Format(r"#.*", re.compile(
        r'^\s*(?:Net|Pin_in|Pin_out|Pin_inout)\s+"(?P<port>[^"]+)"\s+Loc\s*=\s*"(?P<pin>[^"]+)"',
        re.I | re.M), lambda bit, pin, std: [f'Net "{bit}" Loc = "{pin}";']),
}


def lint(fmt: str, text: str) -> tuple[int, str] | None:
    """(line number, why) the tool cannot take a core's constraint file, or None."""
    f = FORMATS[fmt]
    if f.bad is None:
        return None
    for i, line in enumerate(text.splitlines(), 1):
        if f.bad[0].search(re.sub(f.comment, "", line)):
            return i, f.bad[1]
    return None


def placed(fmt: str, text: str) -> dict[str, str]:
    """Port bit -> pin that a core's constraint file of format ``fmt`` places (comments
    stripped)."""
    f = FORMATS[fmt]
    text = re.sub(f.comment, "", text)
    return {m.group("port"): m.group("pin") for m in f.locate.finditer(text)}


def port_bits(netlist: dict, top: str) -> list[tuple[str, str, str]]:
    """(port, bit name as nextpnr names the IO, direction) of the top module's ports."""
    mods = netlist.get("modules", {})
    mod = mods.get(top) or next((m for m in mods.values()
                                 if m.get("attributes", {}).get("top")), None)
    if mod is None:
        raise KeyError(f"module {top} not in the netlist (modules: {', '.join(mods)})")
    out = []
    for name, p in mod.get("ports", {}).items():
        width = len(p.get("bits", []))
        if width == 1:
            out.append((name, name, p.get("direction", "")))
            continue
        offset, upto = int(p.get("offset", 0)), bool(p.get("upto", 0))
        for i in range(width):
            idx = offset + (width - 1 - i if upto else i)
            out.append((name, f"{name}[{idx}]", p.get("direction", "")))
    return out


def board_pin(spec: dict, port: str, bit: str) -> dict | None:
    """The board's pin for a port bit: ``pins`` by bit name (``led[0]: {pin: B2}``), by port
    and index (``led: {pins: [B2, C2]}``) or by the port for a one-bit port; a recipe clock
    port takes the board clock of its name, else the board's only clock."""
    pins = spec.get("board_pins", {})
    exact = pins.get(bit)                   # `led[0]: {pin: B2}`: one bit
    if isinstance(exact, dict) and "pin" in exact:
        return {"pin": str(exact["pin"]), "standard": exact.get("standard")}
    entry = pins.get(port)
    if isinstance(entry, dict) and isinstance(entry.get("pins"), list):
        m = re.match(r".*\[(\d+)\]$", bit)
        i = int(m.group(1)) if m else 0
        if i < len(entry["pins"]) and (m or bit == port):
            return {"pin": str(entry["pins"][i]), "standard": entry.get("standard")}
        return None
    if isinstance(entry, dict) and bit == port and "pin" in entry:
        return {"pin": str(entry["pin"]), "standard": entry.get("standard")}
    if port in spec.get("clocks", {}) and bit == port:
        clocks = spec.get("board_clocks", {})
        clk = clocks.get(port) or (next(iter(clocks.values())) if len(clocks) == 1 else None)
        if clk and clk.get("pin"):
            return {"pin": str(clk["pin"]), "standard": clk.get("standard")}
    return None


def plan(spec: dict, netlist: dict) -> tuple[str, dict[str, Any]]:
    """(constraint file text, constraints.json) for the top of ``netlist``."""
    fmt = spec["format"]
    core_text = spec.get("core_text", "")
    from_core = placed(fmt, core_text)
    bits = port_bits(netlist, spec["top"])
    ports = {port for port, _, _ in bits}
    missing_clocks = [c for c in spec.get("clocks", {}) if c not in ports]
    lines = []
    comment = "//" if fmt == "CST" else "#"
    if core_text:
        lines += [f"{comment} from the core: {spec.get('core_file', '')}", core_text.rstrip(), ""]
    lines.append(f"{comment} board {spec.get('board', '')}: pins for the ports the core leaves unplaced"
                 " (generated by fpgaflow)")
    where: dict[str, Any] = {}
    for port, bit, _ in bits:
        if bit in from_core:
            where[bit] = {"from": "core", "pin": from_core[bit]}
            continue
        pin = board_pin(spec, port, bit)
        if pin is None:
            where[bit] = None
            continue
        where[bit] = {"from": "board", "pin": pin["pin"]}
        lines += FORMATS[fmt].lines(bit, pin["pin"],
                                    pin.get("standard") or spec.get("default_standard"))
    unconstrained = [b for b, w in where.items() if w is None]
    report = {"ports": len(bits), "constrained": len(bits) - len(unconstrained),
              "unconstrained": len(unconstrained), "unconstrained_ports": unconstrained,
              "from_core": sum(1 for w in where.values() if w and w["from"] == "core"),
              "from_board": sum(1 for w in where.values() if w and w["from"] == "board"),
              "missing_clocks": missing_clocks, "pins": where}
    return "\n".join(lines) + "\n", report


def _write(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    netlist = json.loads(Path(spec["netlist"]).read_text())
    try:
        text, report = plan(spec, netlist)
    except KeyError as exc:
        print(f"constraints: {exc.args[0]}", file=sys.stderr)
        return 1
    Path(spec["output"]).write_text(text)
    Path("constraints.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"constraints: {report['ports']} port bits: {report['from_core']} placed by the core's "
          f"constraint file, {report['from_board']} from the board's pin map, "
          f"{report['unconstrained']} unconstrained"
          + (f" ({', '.join(report['unconstrained_ports'][:12])})" if report["unconstrained"] else ""))
    if report["missing_clocks"]:
        print("constraints: recipe clocks that are not ports of the top: "
              + ", ".join(report["missing_clocks"]), file=sys.stderr)
        return 1
    return 0


def _check(report_path: str, allow: bool, remove: str | None, no_auto: str | None = None) -> int:
    if remove:      # no stale bitstream of an earlier run survives a refusal
        Path(remove).unlink(missing_ok=True)
    report = json.loads(Path(report_path).read_text())
    if not report["unconstrained"]:
        return 0
    names = ", ".join(report["unconstrained_ports"][:12])
    if no_auto:     # this nextpnr refuses unplaced I/O: say which, before it runs
        print(f"constraints: {report['unconstrained']} of {report['ports']} I/O pins are placed "
              f"by neither the core's constraint file nor the board's pin map ({names}); "
              f"{no_auto} cannot place I/O by itself. Place them in the core's constraint file "
              "or the board's `pins:`.", file=sys.stderr)
        return 1
    if not allow:
        print(f"bitstream: refused: {report['unconstrained']} of {report['ports']} I/O pins would "
              f"be placed anywhere by nextpnr ({names}). "
              "Place them in the core's constraint file or the board's pin map, or set "
              "`options: {allow_unconstrained: true}` in the recipe.", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "write":
        return _write(argv[1])
    if len(argv) >= 2 and argv[0] == "check":
        rest = argv[2:]

        def value(flag):
            return rest[rest.index(flag) + 1] if flag in rest[:-1] else None
        return _check(argv[1], "--allow-unconstrained" in rest, value("--remove"),
                      value("--no-auto"))
    print("usage: python -m fpgaflow.constraints write SPEC.json | check "
          "constraints.json [--allow-unconstrained] [--remove FILE] [--no-auto TOOL]",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
