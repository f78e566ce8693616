"""Yosys ``stat`` output (text, both formats, and ``stat -json``) → partial summary.

The result is ``{"cells": {cell: count}, "resources": {key: {"used": n, "unit": u}}}``,
plus ``"tools"`` when the text names the Yosys version. Resource keys come from one
table of technology cell names (Xilinx, ECP5, iCE40, Gowin, Nexus, MachXO2, GateMate,
Intel ALM, generic); a name two vendors share (LUT1-LUT4, INV) is read by the family whose
own cells the histogram holds. A resource with no cells is absent, never zero.

Text formats:

- Yosys <= 0.54: ``Number of cells:   N`` followed by ``  CELL   count`` lines;
  a ``=== design hierarchy ===`` block ends with the totals over the hierarchy.
- Yosys >= 0.60: count first (``   N cells``, ``   count   CELL``) under a
  ``+----Local Count, excluding submodules.`` banner; ``=== design hierarchy ===`` holds
  the counts including submodules.

In a log the last ``Printing statistics.`` section wins. Submodule instances (cells named
after a module of the design) and ``$scopeinfo`` markers are not cells of the hardware
and are left out.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._common import ReportError, check_text, count, line_of

# --- cell name → (resource key, native unit, weight) ---------------------------------
# The weight converts a cell into the unit: a RAMB18 is half a RAMB36, a RAM64M is four
# LUT6 used as memory, a differential buffer takes two pins.
_EXACT: dict[str, tuple[str, str, float]] = {}


def _add(key: str, unit: str, names: str, weight: float = 1) -> None:
    for name in names.split():
        _EXACT[name] = (key, unit, weight)


# Xilinx (7-series, UltraScale, UltraScale+)
# INV is what Yosys leaves for a lone inverter; Vivado implements it as a LUT1
_add("lut", "LUT6", "LUT1 LUT2 LUT3 LUT4 LUT5 LUT6 INV")
_add("ff", "FF", "FDRE FDSE FDCE FDPE FDRE_1 FDSE_1 FDCE_1 FDPE_1 LDCE LDPE LDCE_1 LDPE_1")
_add("dsp", "DSP48E1", "DSP48E1")
_add("dsp", "DSP48E2", "DSP48E2")
_add("bram", "RAMB36", "RAMB36E1 RAMB36E2")
_add("bram", "RAMB36", "RAMB18E1 RAMB18E2", 0.5)
_add("uram", "URAM288", "URAM288 URAM288_BASE")
_add("carry", "CARRY4", "CARRY4")
_add("carry", "CARRY8", "CARRY8")
_add("lutram", "LUT6", "SRL16E SRLC16E SRLC32E RAM32X1S RAM64X1S RAM16X1S RAM16X1D_1 RAM32X1S_1")
_add("lutram", "LUT6", "RAM32X1D RAM64X1D RAM128X1S RAM16X1D RAM32X16DR8", 2)
_add("lutram", "LUT6", "RAM32M RAM64M RAM128X1D RAM256X1S RAM256X1D", 4)
_add("lutram", "LUT6", "RAM32M16 RAM64M8 RAM512X1S", 8)
_add("io", "pin", "IBUF OBUF OBUFT IOBUF IBUFG IBUF_IBUFDISABLE IBUF_INTERMDISABLE")
_add("io", "pin", "IBUFDS OBUFDS OBUFTDS IOBUFDS IBUFGDS IBUFDS_GTE2 IBUFDS_GTE3 IBUFDS_GTE4", 2)
# Lattice ECP5
_add("lut", "LUT4", "LUT4 TRELLIS_COMB")
_add("ff", "FF", "TRELLIS_FF")
_add("dsp", "MULT18X18D", "MULT18X18D")
_add("bram", "DP16KD", "DP16KD PDPW16KD")
_add("carry", "CCU2C", "CCU2C")
_add("lutram", "TRELLIS_DPR16X4", "TRELLIS_DPR16X4")
_add("io", "pin", "TRELLIS_IO")
# Lattice iCE40
_add("lut", "LUT4", "SB_LUT4")
_add("dsp", "SB_MAC16", "SB_MAC16")
_add("bram", "SB_RAM40_4K", "SB_RAM40_4K SB_RAM40_4KNR SB_RAM40_4KNW SB_RAM40_4KNRNW")
_add("uram", "SPRAM256KA", "SB_SPRAM256KA")
_add("carry", "SB_CARRY", "SB_CARRY")
_add("io", "pin", "SB_IO SB_IO_OD SB_IO_I3C SB_GB_IO")
# Intel LE families (synth_intel: Cyclone IV E/GX, Cyclone 10 LP, MAX 10): memory_bram maps
# each M9K to one altsyncram
_add("lut", "LE", "cycloneive_lcell_comb cycloneiv_lcell_comb cyclone10lp_lcell_comb "
     "fiftyfivenm_lcell_comb")
_add("ff", "FF", "dffeas")
_add("bram", "M9K", "altsyncram")
_add("dsp", "multiplier", "fiftyfivenm_mac_mult cycloneive_mac_mult cyclone10lp_mac_mult")
# Intel ALM families (synth_intel_alm: Cyclone V, Cyclone 10 GX, Arria V ...)
_add("lut", "ALUT", "MISTRAL_NOT MISTRAL_ALUT2 MISTRAL_ALUT3 MISTRAL_ALUT4 MISTRAL_ALUT5 "
     "MISTRAL_ALUT6 MISTRAL_ALUT_ARITH")
_add("ff", "FF", "MISTRAL_FF")
_add("bram", "M10K", "MISTRAL_M10K")
_add("bram", "M20K", "MISTRAL_M20K")
_add("lutram", "MLAB", "MISTRAL_MLAB")
_add("dsp", "multiplier", "MISTRAL_MUL27X27 MISTRAL_MUL18X18 MISTRAL_MUL9X9")
_add("io", "pin", "MISTRAL_IB MISTRAL_OB MISTRAL_IO")
# Gowin (synth_gowin): LUT1..LUT4 and the wide-function MUX2_LUT5..8 (not LUTs: nextpnr
# places them on MUX2_LUT* bels, as Xilinx MUXF7/F8); LUT1-LUT3 are also Xilinx names, so
# a histogram with Gowin's own cells counts them as LUT4 (_FAMILY below)
_add("ff", "DFF", "DFF DFFE DFFS DFFSE DFFR DFFRE DFFP DFFPE DFFC DFFCE DFFN DFFNE DFFNS "
     "DFFNSE DFFNR DFFNRE DFFNP DFFNPE DFFNC DFFNCE DL DLE DLC DLCE DLP DLPE DLN DLNE DLNC "
     "DLNCE DLNP DLNPE")
_add("carry", "ALU", "ALU")
_add("bram", "BSRAM", "SP SPX9 SDP SDPX9 SDPB SDPX9B DP DPX9 DPB DPX9B ROM ROMX9 pROM pROMX9")
# DSP primitives in the 18x18 multiplier sites nextpnr places them on (nextpnr.DSP_SHARES)
_add("dsp", "MULT18X18", "MULT18X18 PADD18")
_add("dsp", "MULT18X18", "MULT9X9 PADD9", 0.5)            # two 9x9 in one 18x18 site
_add("dsp", "MULT18X18", "MULTALU18X18 MULTALU36X18 MULTADDALU18X18 ALU54D", 2)
_add("dsp", "MULT18X18", "MULT36X36", 4)
_add("lutram", "RAM16SDP4", "RAM16SDP1 RAM16SDP2 RAM16SDP4 RAM16S1 RAM16S2 RAM16S4")
_add("io", "pin", "TBUF")
_add("io", "pin", "ELVDS_IBUF ELVDS_OBUF ELVDS_TBUF ELVDS_IOBUF TLVDS_IBUF TLVDS_OBUF "
     "TLVDS_TBUF TLVDS_IOBUF", 2)
# Lattice Nexus (synth_nexus): LUT4 and INV (a LUT4 there, _FAMILY), WIDEFN9 (two LUT4s)
_add("lut", "LUT4", "WIDEFN9", 2)
_add("ff", "FF", "FD1P3BX FD1P3DX FD1P3IX FD1P3JX")
_add("carry", "CCU2", "CCU2")
_add("bram", "EBR", "DP16K PDP16K PDPSC16K SP16K FIFO16K")
_add("uram", "LRAM", "SP512K DPSC512K PDPSC512K")
_add("lutram", "DPR16X4", "DPR16X4")
_add("io", "pin", "IB OB BB OBZ SEIO33_CORE SEIO18_CORE")
# multipliers with a pre-adder or accumulator, in nextpnr's MULT9_CORE halves of an 18x18
# (nextpnr.DSP_SHARES; measured: one and two MULT9_CORE); MULT9X9 ... MULT36X36 below (_FAMILY)
_add("dsp", "MULT18", "MULTPREADD9X9", 0.5)
_add("dsp", "MULT18", "MULTADDSUB18X18")
# Lattice MachXO2 (synth_lattice -family xo2): LUT4, TRELLIS_FF, TRELLIS_DPR16X4 as ECP5
_add("carry", "CCU2D", "CCU2D")
_add("bram", "DP8KC", "DP8KC PDPW8KC SP8KC FIFO8KB")
# Cologne Chip GateMate (synth_gatemate): LUT trees and muxes each fill CPE halves; the
# CPE count is nextpnr's (CPE_LT); CC_MULT is a multiplier built of CPEs (no hard DSP)
_add("lut", "CC_LUT", "CC_LUT1 CC_LUT2 CC_LUT3 CC_LUT4 CC_L2T4 CC_L2T5 CC_MX2 CC_MX4 CC_MX8")
_add("ff", "FF", "CC_DFF CC_DLT")
_add("carry", "CC_ADDF", "CC_ADDF")
_add("dsp", "CC_MULT", "CC_MULT")
_add("bram", "RAM_HALF", "CC_BRAM_20K")
_add("bram", "RAM_HALF", "CC_BRAM_40K CC_FIFO_40K", 2)   # a 40K block is two RAM_HALF
_add("io", "pin", "CC_IBUF CC_OBUF CC_TOBUF CC_IOBUF")
_add("io", "pin", "CC_LVDS_IBUF CC_LVDS_OBUF CC_LVDS_TOBUF CC_LVDS_IOBUF", 2)
# Generic cells (no technology mapping): `synth -lut N` gives $lut, flip-flops stay $_DFF_*
_add("lut", "LUT", "$lut")

_PATTERNS: list[tuple[re.Pattern[str], tuple[str, str, float]]] = [
    (re.compile(r"^SB_DFF\w*$"), ("ff", "FF", 1)),  # SB_DFF, SB_DFFE, SB_DFFESR, SB_DFFN ...
    (re.compile(r"^\$_(S?DFF|DFFSR|DFFSRE|ALDFF|ALDFFE|SDFFE|SDFFCE|DFFE|DLATCH|DLATCHSR)_\w+_$"),
     ("ff", "FF", 1)),
]

_IGNORED = {"$scopeinfo"}


# cell names two vendors share: a histogram's family-only cells say which is meant
_XILINX_ONLY = ("LUT1", "LUT2", "LUT3", "LUT5", "LUT6", "FDRE", "FDSE", "FDCE", "FDPE", "CARRY4",
                "CARRY8")
_GOWIN_ONLY = ("ALU", "DFF", "DFFE", "DFFR", "DFFRE", "DFFS", "DFFSE", "DFFC", "DFFCE", "DFFP",
               "DFFPE", "MUX2_LUT5", "MUX2_LUT6", "RAM16SDP4")
_NEXUS_ONLY = ("CCU2", "FD1P3BX", "FD1P3DX", "FD1P3IX", "FD1P3JX", "VHI", "VLO", "IB", "OB")
_FAMILY: dict[str, dict[str, tuple[str, str, float]]] = {
    "gowin": {n: ("lut", "LUT4", 1) for n in ("LUT1", "LUT2", "LUT3", "LUT4")},
    # Nexus multipliers in its MULT18_CORE units (nextpnr's, devices.yaml's)
    "nexus": {"INV": ("lut", "LUT4", 1), "LUT4": ("lut", "LUT4", 1),
              "MULT9X9": ("dsp", "MULT18", 0.5), "MULT18X18": ("dsp", "MULT18", 1),
              "MULT18X36": ("dsp", "MULT18", 2), "MULT36X36": ("dsp", "MULT18", 4)},
    "xilinx": {"LUT4": ("lut", "LUT6", 1)},
}


def _family(cells: dict[str, int]) -> str | None:
    """The family whose own cells the histogram holds, where names are shared."""
    for family, only in (("gowin", _GOWIN_ONLY), ("nexus", _NEXUS_ONLY),
                         ("xilinx", _XILINX_ONLY)):
        if any(c in cells for c in only):
            return family
    return None


def classify(cell: str) -> tuple[str, str, float] | None:
    """(resource key, unit, weight) for a technology cell name, or None."""
    hit = _EXACT.get(cell)
    if hit:
        return hit
    for pattern, value in _PATTERNS:
        if pattern.match(cell):
            return value
    return None


def resources_from_cells(cells: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Canonical resources from a cell histogram. Keys with no cells are absent."""
    used: dict[str, float] = {}
    units: dict[str, set[str]] = {}
    # "LUT4" is a Xilinx, ECP5, Gowin and Nexus primitive: the other cells tell which
    own = _FAMILY.get(_family(cells) or "", {})
    for cell, count in cells.items():
        hit = own.get(cell) or classify(cell)
        if hit is None:
            continue
        key, unit, weight = hit
        used[key] = used.get(key, 0) + count * weight
        units.setdefault(key, set()).add(unit)
    out: dict[str, dict[str, Any]] = {}
    for key in sorted(used):
        value = used[key]
        if float(value).is_integer():
            value = int(value)
        unit_set = units[key]
        out[key] = {"used": value, "unit": unit_set.pop() if len(unit_set) == 1 else "mixed"}
    return out


def _partial(cells: dict[str, int], version: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"cells": dict(sorted(cells.items())),
                           "resources": resources_from_cells(cells)}
    if version:
        out["tools"] = [{"name": "yosys", "version": version}]
    return out


# --- text format -------------------------------------------------------------------------
_VERSION = re.compile(r"^Yosys (\d+\.\d+(?:\+\d+)?)\b", re.M)
_SECTION = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.\s+)?Printing statistics\.\s*$", re.M)
_PASS_HEAD = re.compile(r"^\d+(?:\.\d+)*\.\s+\S", re.M)
_BLOCK = re.compile(r"^=== (.+?) ===\s*$", re.M)
_OLD_TOTAL = re.compile(r"^\s+Number of cells:\s+(\d+)\s*$")
_OLD_CELL = re.compile(r"^\s+(\S+)\s+(\d+)\s*$")
_NEW_TOTAL = re.compile(r"^\s+(\d+) cells\s*$")
_NEW_CELL = re.compile(r"^\s+(\d+)\s+(\S+)\s*$")
_NEW_SUBMODULES = re.compile(r"^\s+\d+ submodules\s*$")


def _stat_section(text: str) -> tuple[str, int]:
    """The text of the last ``stat`` printout and its offset in ``text``."""
    heads = list(_SECTION.finditer(text))
    start = heads[-1].end() if heads else 0
    nxt = _PASS_HEAD.search(text, start + 1)
    end = nxt.start() if nxt else len(text)
    return text[start:end], start


def _block_cells(lines: list[str]) -> tuple[dict[str, int] | None, bool]:
    """Cell counts after the cell-total line of one ``=== name ===`` block.

    Returns (cells, new_format); cells is None when the block has no cell total."""
    for i, line in enumerate(lines):
        old, new = _OLD_TOTAL.match(line), _NEW_TOTAL.match(line)
        if not (old or new):
            continue
        cells: dict[str, int] = {}
        for follow in lines[i + 1:]:
            if new and _NEW_SUBMODULES.match(follow):
                continue
            m = _NEW_CELL.match(follow) if new else _OLD_CELL.match(follow)
            if not m:
                break
            name, number_text = (m.group(2), m.group(1)) if new else (m.group(1), m.group(2))
            cells[name] = cells.get(name, 0) + count(number_text, "yosys stat")
        return cells, bool(new)
    return None, False


def parse_stat(text: str) -> dict[str, Any]:
    """Parse Yosys ``stat`` text (a bare printout or a whole log; the last one wins)."""
    check_text(text, "yosys stat")
    section, offset = _stat_section(text)
    heads = list(_BLOCK.finditer(section))
    if not heads:
        raise ReportError("yosys stat: no '=== module ===' block found (is this Yosys 'stat' output?)")
    blocks: dict[str, dict[str, int]] = {}
    hierarchy: dict[str, int] | None = None
    for i, head in enumerate(heads):
        body_end = heads[i + 1].start() if i + 1 < len(heads) else len(section)
        lines = section[head.end():body_end].splitlines()
        cells, _ = _block_cells(lines)
        name = head.group(1).strip()
        if cells is None:
            raise ReportError(f"yosys stat: block '=== {name} ===' has no cell count (truncated?)",
                              line=line_of(text, offset + head.start()))
        if name == "design hierarchy":
            hierarchy = cells
        else:
            blocks[name] = cells
    modules = set(blocks) | {"\\" + b for b in blocks}
    if hierarchy is not None:
        chosen = hierarchy
    elif len(blocks) == 1:
        chosen = next(iter(blocks.values()))
    else:
        chosen = _sum_roots(blocks, modules)
    cells = {c: n for c, n in chosen.items() if c not in modules and c not in _IGNORED}
    versions = _VERSION.findall(text)
    return _partial(cells, versions[-1] if versions else None)


def _sum_roots(blocks: dict[str, dict[str, int]], modules: set[str]) -> dict[str, int]:
    """Several modules and no hierarchy: only sound when no module instantiates another."""
    for name, cells in blocks.items():
        if any(c in modules for c in cells):
            raise ReportError(f"yosys stat: module '{name}' instantiates other modules but there is "
                              "no '=== design hierarchy ===' block to total them",
                              hint="run 'hierarchy -top <top>' before 'stat', or 'stat -top <top>'")
    total: dict[str, int] = {}
    for cells in blocks.values():
        for c, n in cells.items():
            total[c] = total.get(c, 0) + n
    return total


# --- JSON format ---------------------------------------------------------------------------
def parse_stat_json(text: str) -> dict[str, Any]:
    """Parse ``stat -json`` output (``design`` totals when present, else the single module)."""
    check_text(text, "yosys stat -json")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # ValueError: also ints over 4,300 digits
        raise ReportError(f"yosys stat -json: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("modules"), dict):
        raise ReportError("yosys stat -json: no 'modules' object (is this 'stat -json' output?)")
    modules = data["modules"]
    design = data.get("design")
    if isinstance(design, dict):
        source = design
    elif len(modules) == 1:
        source = next(iter(modules.values()))
    else:
        raise ReportError("yosys stat -json: several modules and no 'design' totals",
                          hint="run 'hierarchy -top <top>' before 'stat -json'")
    by_type = source.get("num_cells_by_type") if isinstance(source, dict) else None
    if not isinstance(by_type, dict):
        raise ReportError("yosys stat -json: no 'num_cells_by_type' in the totals")
    names = {str(m) for m in modules} | {str(m).lstrip("\\") for m in modules}
    cells: dict[str, int] = {}
    for cell, count in by_type.items():
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count < 10 ** 30:
            raise ReportError(f"yosys stat -json: count of {str(cell)[:80]!r} is not a number: "
                              f"{str(count)[:40]!r}")
        if cell not in names and cell not in _IGNORED:
            cells[str(cell)] = count
    creator = data.get("creator")
    m = _VERSION.match(creator) if isinstance(creator, str) else None
    return _partial(cells, m.group(1) if m else None)
