"""Vivado reports → partial summary: ``report_utilization`` (flat and ``-hierarchical``),
``report_timing_summary``, ``report_power``; Vitis ``report_accelerator_utilization``.

Covers Vivado 2013.x–2025.x: the column sets ``Used|Loced|Available|Util%``,
``Used|Fixed|Available|Util%`` and ``Used|Fixed|Prohibited|Available|Util%``; 7-series
rows (``Slice LUTs``, ``Block RAM Tile``, ``DSPs``) and UltraScale rows (``CLB LUTs``,
``URAM``, ``CARRY8``); asterisks of synthesized reports; fractional BRAM tiles.
Values the report does not print are absent; a printed 0 (out-of-context black boxes)
is kept.
"""

from __future__ import annotations

import re
from typing import Any

from ._common import ReportError, check_text, number
from ._table import Table, bordered

_HEADER_FIELD = re.compile(r"^\|\s*([A-Za-z][A-Za-z ]*?)\s*:\s*(.*?)\s*$", re.M)
_VERSION = re.compile(r"Vivado v\.?(\d{4}\.\d+(?:\.\d+)?)")


def _header(text: str) -> dict[str, str]:
    """The ``| Key : value`` block at the top of every Vivado report."""
    out: dict[str, str] = {}
    for m in _HEADER_FIELD.finditer(text[:4000]):
        out.setdefault(m.group(1), m.group(2))
    return out


def _part(device: str, speed: str | None = None) -> str:
    """Vivado prints parts without 'xc' (2016–2019 7-series) and, in timing reports, as
    'family-package' with the speed grade apart; give back the ordering part name."""
    part = device.strip()
    if speed and not re.search(r"-\d+[A-Za-z]?$|-[A-Za-z]?\d+-[a-z]$", part):
        m = re.match(r"\s*(-\d+[A-Za-z]*)", speed)
        if m:
            part = part.replace("-", "") + m.group(1)
    if part[:1].isdigit():
        part = "xc" + part
    return part


def _meta(text: str, speed_in_part: bool = False) -> dict[str, Any]:
    head = _header(text)
    out: dict[str, Any] = {}
    m = _VERSION.search(head.get("Tool Version", ""))
    if m:
        out["tools"] = [{"name": "vivado", "version": m.group(1)}]
    if head.get("Device"):
        out["device"] = {"part": _part(head["Device"], head.get("Speed File") if speed_in_part
                                       else None)}
    return out


def _require_vivado(text: str, what: str) -> None:
    check_text(text, what)
    if "| Tool Version" not in text[:4000]:
        raise ReportError(f"{what}: no '| Tool Version' header (is this a Vivado report?)")


# --- report_utilization ---------------------------------------------------------------
_ROWS = {  # site type → (key, unit); first match in the report wins
    "Slice LUTs": ("lut", "LUT6"), "CLB LUTs": ("lut", "LUT6"),
    "Slice Registers": ("ff", "FF"), "CLB Registers": ("ff", "FF"),
    "LUT as Memory": ("lutram", "LUT6"),
    "Block RAM Tile": ("bram", "RAMB36"),
    "URAM": ("uram", "URAM288"),
    "DSPs": ("dsp", None),
    "CARRY8": ("carry", "CARRY8"),
    "Bonded IOB": ("io", "pin"),
}


def _columns(header: list[str]) -> dict[str, int]:
    return {name.strip().rstrip("*").strip(): i for i, name in enumerate(header)}


def _site_rows(tables: list[Table]) -> dict[str, dict[str, Any]]:
    """Site Type → {used, available} from every Site Type table (first occurrence wins)."""
    rows: dict[str, dict[str, Any]] = {}
    for table in tables:
        cols = _columns(table.header)
        if "Site Type" not in cols or "Used" not in cols:
            continue
        for row in table.body:
            if len(row) != len(table.header):
                continue
            name = row[cols["Site Type"]].rstrip("*").strip()
            if name in rows:
                continue
            used = number(row[cols["Used"]])
            if used is None:
                continue
            entry: dict[str, Any] = {"used": used}
            if "Available" in cols:
                avail = number(row[cols["Available"]])
                if avail is not None:
                    entry["available"] = avail
            rows[name] = entry
    return rows


def _primitives(tables: list[Table]) -> dict[str, int]:
    for table in tables:
        cols = _columns(table.header)
        if "Ref Name" in cols and "Used" in cols:
            out = {}
            for row in table.body:
                if len(row) == len(table.header):
                    n = number(row[cols["Used"]])
                    if isinstance(n, int):
                        out[row[cols["Ref Name"]]] = n
            return out
    return {}


def parse_utilization(text: str) -> dict[str, Any]:
    """Flat ``report_utilization`` → resources (used, available), device, tool version."""
    _require_vivado(text, "vivado utilization")
    if "Accelerator Utilization Design Information" in text[:20000]:
        raise ReportError("vivado utilization: this is a Vitis accelerator utilization report",
                          hint="parse it as kind 'vitis_accel_util'")
    if "Utilization Design Information" not in text[:20000]:
        raise ReportError("vivado utilization: no 'Utilization Design Information' title")
    tables = bordered(text, "|")
    rows = _site_rows(tables)
    if not rows:
        raise ReportError("vivado utilization: no 'Site Type' table (truncated report?)")
    prims = _primitives(tables)
    ultrascale = "CLB LUTs" in rows
    resources: dict[str, dict[str, Any]] = {}
    for site, (key, unit) in _ROWS.items():
        if site not in rows or key in resources:
            continue
        if key == "dsp":
            kinds = [p for p in prims if p.startswith("DSP48E") or p.startswith("DSP58")]
            unit = kinds[0] if len(kinds) == 1 else ("DSP48E2" if ultrascale else "DSP48E1")
        resources[key] = {**rows[site], "unit": unit}
    if "carry" not in resources and "CARRY4" in prims:
        resources["carry"] = {"used": prims["CARRY4"], "unit": "CARRY4"}
    out = _meta(text)
    out["resources"] = dict(sorted(resources.items()))
    return out


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


_HIER_HEAD = re.compile(r"^\|\s*Instance\s*\|\s*Module\s*\|.*\|\s*$", re.M)


def parse_utilization_hierarchical(text: str) -> dict[str, Any]:
    """``report_utilization -hierarchical`` → ``hierarchy`` rows and top-row ``resources``.

    Each row is ``{"instance", "module", "depth", <column>: value ...}`` with the column
    names in snake case (``total_luts``, ``logic_luts``, ``lutrams``, ``srls``, ``ffs``,
    ``ramb36``, ``ramb18``, ``uram``, ``dsp48_blocks``...)."""
    _require_vivado(text, "vivado hierarchical utilization")
    head = _HIER_HEAD.search(text)
    if head is None:
        raise ReportError("vivado hierarchical utilization: no 'Instance | Module' table")
    header = [_snake(c) for c in head.group(0).strip().strip("|").split("|")]
    width = len(header)
    hierarchy: list[dict[str, Any]] = []
    lines = text[head.end():].splitlines()
    started = False
    for line in lines:
        if line.startswith("+"):
            if started:
                break
            continue
        if not line.startswith("|"):
            if started or line.strip():
                break
            continue
        started = True
        parts = line.split("|")
        if len(parts) != width + 2:
            raise ReportError("vivado hierarchical utilization: a row has "
                              f"{len(parts) - 2} cells, the header {width} (truncated?)")
        inst = parts[1]
        indent = len(inst) - len(inst.lstrip(" "))
        entry: dict[str, Any] = {"instance": inst.strip(), "module": parts[2].strip(),
                                 "depth": max(0, (indent - 1) // 2)}
        for col, cell in zip(header[2:], parts[3:-1]):
            value = number(cell)
            if value is not None:
                entry[col] = value
        hierarchy.append(entry)
    if not hierarchy:
        raise ReportError("vivado hierarchical utilization: the table has no rows")
    top = hierarchy[0]
    resources: dict[str, dict[str, Any]] = {}
    if "total_luts" in top:
        resources["lut"] = {"used": top["total_luts"], "unit": "LUT6"}
    if "ffs" in top:
        resources["ff"] = {"used": top["ffs"], "unit": "FF"}
    if "lutrams" in top or "srls" in top:
        resources["lutram"] = {"used": top.get("lutrams", 0) + top.get("srls", 0), "unit": "LUT6"}
    if "ramb36" in top or "ramb18" in top:
        bram = top.get("ramb36", 0) + top.get("ramb18", 0) / 2
        resources["bram"] = {"used": int(bram) if float(bram).is_integer() else bram,
                             "unit": "RAMB36"}
    if "uram" in top:
        resources["uram"] = {"used": top["uram"], "unit": "URAM288"}
    dsp_col = next((c for c in ("dsp48_blocks", "dsp_blocks", "dsps") if c in top), None)
    if dsp_col:
        resources["dsp"] = {"used": top[dsp_col],
                            "unit": "DSP48E2" if "uram" in header else "DSP48E1"}
    out = _meta(text)
    out["resources"] = dict(sorted(resources.items()))
    out["hierarchy"] = hierarchy
    return out


# --- Vitis report_accelerator_utilization -----------------------------------------------
_ACCEL_CELL = re.compile(r"^\s*([\d.]+)\s*\[\s*([\d.]+)\s*%\s*\]\s*$")


def parse_accelerator_utilization(text: str) -> dict[str, Any]:
    """Vitis ``report_accelerator_utilization``: per compute unit ``N [ p%]`` cells.

    The report describes kernels inside a platform, not a whole device, so it fills no
    top-level ``resources``; it is returned under ``accelerators`` as printed."""
    check_text(text, "vitis accelerator utilization")
    if "Accelerator Utilization Design Information" not in text:
        raise ReportError("vitis accelerator utilization: missing its title")
    rows = []
    for table in bordered(text, "|"):
        header = table.header
        for row in table.body:
            if len(row) != len(header) or not header:
                continue
            entry: dict[str, Any] = {}
            for col, cell in zip(header, row):
                m = _ACCEL_CELL.match(cell)
                if m:
                    entry[_snake(col)] = number(m.group(1))
                elif cell and col:
                    entry[_snake(col)] = number(cell) if number(cell) is not None else cell
            if entry:
                rows.append(entry)
    if not rows:
        raise ReportError("vitis accelerator utilization: no table rows")
    return {**_meta(text), "accelerators": rows}


# --- report_timing_summary ---------------------------------------------------------------
_DTS_COLS = {"WNS(ns)": "wns_ns", "TNS(ns)": "tns_ns", "WHS(ns)": "whs_ns", "THS(ns)": "ths_ns",
             "WPWS(ns)": "wpws_ns", "TPWS(ns)": "tpws_ns",
             "TNS Failing Endpoints": "setup_failing_endpoints",
             "TNS Total Endpoints": "setup_endpoints",
             "THS Failing Endpoints": "hold_failing_endpoints",
             "THS Total Endpoints": "hold_endpoints"}
_SECTION = re.compile(r"^\| ([A-Z][A-Za-z ]+?)\s*\n\| -+\s*$", re.M)


def _sections(text: str) -> dict[str, str]:
    """'| Title' / '| -----' sections of a timing summary → their text."""
    heads = list(_SECTION.finditer(text))
    out: dict[str, str] = {}
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        out.setdefault(h.group(1).strip(), text[h.end():end])
    return out


def _columns_by_dashes(block: str) -> tuple[list[tuple[str, int, int]], list[str]]:
    """A whitespace-aligned table: ((name, start, end) per column, data lines)."""
    lines = block.splitlines()
    for i in range(1, len(lines)):
        dashes = lines[i]
        header = lines[i - 1]
        if header.strip() and dashes.strip() and not dashes.replace("-", "").strip():
            spans = [(m.start(), m.end()) for m in re.finditer(r"-+", dashes)]
            if len(spans) < 2:
                continue
            cols = [(header[s:e].strip() if e <= len(header) else header[s:].strip(), s, e)
                    for s, e in spans]
            data = []
            for line in lines[i + 1:]:
                if not line.strip():
                    break
                data.append(line)
            return cols, data
    return [], []


def _row_values(cols: list[tuple[str, int, int]], line: str, first_left: bool) -> dict[str, str]:
    """Right-aligned numeric columns: each token belongs to the column whose dashes end at or
    after the token's end. The first column may be a left-aligned name."""
    out: dict[str, str] = {}
    tokens = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    if first_left and tokens:
        out[cols[0][0]] = tokens[0][0]
        tokens = tokens[1:]
        cols = cols[1:]
    for tok, _start, end in tokens:
        for name, _s, e in cols:
            if end <= e:
                out.setdefault(name, tok)
                break
    return out


def _timing_values(values: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col, key in _DTS_COLS.items():
        v = number(values.get(col, ""))
        if v is not None:
            out[key] = float(v) if key.endswith("_ns") else int(v)
    return out


_CLOCK_ROW = re.compile(r"^(\s*)(\S+)\s+\{([^}]*)\}\s+([-\d.]+)\s+([-\d.]+)\s*$")


def parse_timing_summary(text: str) -> dict[str, Any]:
    """``report_timing_summary`` → timing (WNS/TNS/WHS/THS, met, per-clock Fmax implied)."""
    _require_vivado(text, "vivado timing summary")
    sections = _sections(text)
    if "Design Timing Summary" not in sections:
        raise ReportError("vivado timing summary: no 'Design Timing Summary' section")
    cols, data = _columns_by_dashes(sections["Design Timing Summary"])
    if not cols or not data:
        raise ReportError("vivado timing summary: the Design Timing Summary table is empty "
                          "(truncated report?)")
    timing = _timing_values(_row_values(cols, data[0], first_left=False))
    block = sections["Design Timing Summary"]
    if "All user specified timing constraints are met." in block:
        timing["met"] = True
    elif "Timing constraints are not met." in block:
        timing["met"] = False
    elif "There are no user specified timing constraints." in block:
        # nothing was checked: no verdict ('NA' or, since 2022, 'inf' slacks)
        timing["constrained"] = False
    elif "wns_ns" in timing:
        timing["met"] = timing["wns_ns"] >= 0 and timing.get("whs_ns", 0) >= 0
    clocks: dict[str, dict[str, Any]] = {}
    for line in sections.get("Clock Summary", "").splitlines():
        m = _CLOCK_ROW.match(line)
        period, freq = (number(m.group(4)), number(m.group(5))) if m else (None, None)
        if m and period is not None:
            clocks[m.group(2)] = {"name": m.group(2), "period_ns": float(period)}
            if freq:
                clocks[m.group(2)]["target_mhz"] = float(freq)
    icols, idata = _columns_by_dashes(sections.get("Intra Clock Table", ""))
    for line in idata:
        values = _row_values(icols, line, first_left=True)
        name = values.get("Clock")
        if not name:
            continue
        per = _timing_values(values)
        clock = clocks.setdefault(name, {"name": name})
        for key in ("wns_ns", "tns_ns", "whs_ns", "ths_ns"):
            if key in per:
                clock[key] = per[key]
        if "wns_ns" in per:
            clock["met"] = per["wns_ns"] >= 0 and per.get("whs_ns", 0) >= 0
            period = clock.get("period_ns")
            if period and period - per["wns_ns"] > 0:
                clock["fmax_mhz"] = round(1000.0 / (period - per["wns_ns"]), 2)
    if clocks:
        timing["clocks"] = list(clocks.values())
    out = _meta(text, speed_in_part=True)
    out["timing"] = timing
    return out


# --- report_power -------------------------------------------------------------------------
_POWER_ROWS = {"Total On-Chip Power (W)": "total_w", "Dynamic (W)": "dynamic_w",
               "Device Static (W)": "static_w", "Design Power Budget (W)": "budget_w",
               "Power Budget Margin (W)": "margin_w", "Total Off-Chip Power (W)": "off_chip_w",
               "Junction Temperature (C)": "junction_temp_c",
               "Max Ambient (C)": "max_ambient_c"}


_EXCEEDED = "(Junction temp exceeded!)"


def parse_power(text: str) -> dict[str, Any]:
    """``report_power`` → power (total/dynamic/static W, junction temperature, confidence)."""
    _require_vivado(text, "vivado power")
    summary = next((t for t in bordered(text, "|")
                    if any(r and r[0] == "Total On-Chip Power (W)" for r in t.body)), None)
    if summary is None:
        raise ReportError("vivado power: no summary table with 'Total On-Chip Power (W)'")
    power: dict[str, Any] = {}
    for row in summary.body:
        if len(row) < 2:
            continue
        key = _POWER_ROWS.get(row[0])
        cell = row[1]
        if key and cell.endswith(_EXCEEDED):  # '62.359 (Junction temp exceeded!)'
            cell = cell[: -len(_EXCEEDED)]
            power["junction_temp_exceeded"] = True
        value = number(cell)
        if key and value is not None:
            power[key] = float(value)
        elif row[0] == "Confidence Level" and row[1]:
            power["confidence"] = row[1]
    if "total_w" not in power:
        raise ReportError("vivado power: 'Total On-Chip Power (W)' has no value")
    power["source"] = "vivado report_power"
    out = _meta(text)
    out["power"] = power
    return out
