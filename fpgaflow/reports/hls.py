"""Vivado/Vitis HLS csynth reports → the ``hls`` section.

``hls`` = ``{"top", "latency_cycles": [min, max], "interval": n or [min, max],
"clock_target_ns", "clock_estimated_ns", "clock_uncertainty_ns", "pipeline",
"resources": {key: {"used", "available", "unit"}}}``. Resource figures are estimates
made before synthesis, so they live under ``hls.resources``, never top-level
``resources``. A ``?`` (data-dependent latency) is absent, never 0.

Formats: 2017.2–2019.1 (``+ Timing (ns):``, ``DSP48E``), 2019.2+ (``ns`` inside values,
``Latency (absolute)`` columns), Vitis 2020.2+ (``DSP``, ``URAM``), 2021.2+ "Synthesis
Summary Report" (one Modules & Loops table), and ``csynth.xml`` (profile.xsd).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from ._common import ReportError, check_text, count, number
from ._table import Table, bordered

_TITLE = re.compile(r"^== (Vivado HLS|Vitis HLS) Report for '([^']+)'", re.M)
_SUMMARY_TITLE = re.compile(r"^== Synthesis Summary Report of '([^']+)'", re.M)
_FIELD = re.compile(r"^\s*\* (Version|Target device|Product family|Solution):\s+(.+?)\s*$", re.M)

_RES_UNITS = {"BRAM_18K": ("bram", "BRAM_18K"), "BRAM": ("bram", "BRAM_18K"),
              "DSP48E": ("dsp", "DSP48E"), "DSP": ("dsp", "DSP"), "FF": ("ff", "FF"),
              "LUT": ("lut", "LUT"), "URAM": ("uram", "URAM")}


def _ns(cell: str) -> float | None:
    value = number(re.sub(r"\s*ns\s*$", "", cell.strip()))
    return None if value is None else float(value)


def _span(lo: Any, hi: Any, collapse: bool) -> Any:
    if not isinstance(lo, int) or not isinstance(hi, int):
        return None
    return lo if collapse and lo == hi else [lo, hi]


def _meta(text: str, tool: str) -> dict[str, Any]:
    fields = {m.group(1): m.group(2) for m in _FIELD.finditer(text[:5000])}
    out: dict[str, Any] = {}
    m = re.match(r"(\d{4}\.\d+(?:\.\d+)?)", fields.get("Version", ""))
    if m:
        flow_tool = "vitis_hls" if tool.startswith("Vitis") or "(" in fields.get("Solution", "") \
            else "vivado_hls"
        out["tools"] = [{"name": flow_tool, "version": m.group(1)}]
    if fields.get("Target device"):
        out["device"] = {"part": fields["Target device"]}
    return out


def _find(tables: list[Table], first_col: str) -> Table | None:
    for t in tables:
        if t.segments and t.segments[0][-1] and t.segments[0][-1][0].replace(" ", "") == first_col:
            return t
    return None


def _resources_from(header: list[str], total: list[str],
                    avail: list[str] | None) -> dict[str, dict[str, Any]]:
    res: dict[str, dict[str, Any]] = {}
    for i, col in enumerate(header[1:], start=1):
        hit = _RES_UNITS.get(col.strip())
        if hit is None or i >= len(total):
            continue
        used = 0 if total[i].strip() == "-" else number(total[i])  # '-': none used
        if used is None:
            continue
        entry: dict[str, Any] = {"used": used, "unit": hit[1]}
        if avail is not None and i < len(avail) and number(avail[i]) is not None:
            entry["available"] = number(avail[i])
        res[hit[0]] = entry
    return res


def parse_csynth_rpt(text: str) -> dict[str, Any]:
    """``<top>_csynth.rpt`` / ``csynth.rpt`` of Vivado HLS and Vitis HLS."""
    check_text(text, "hls csynth report")
    if _SUMMARY_TITLE.search(text[:5000]):
        return _parse_summary_report(text)
    title = _TITLE.search(text[:5000])
    if not title:
        raise ReportError("hls csynth report: no '== Vivado/Vitis HLS Report for' title")
    hls: dict[str, Any] = {"top": title.group(2)}
    tables = bordered(text, "|")
    timing = _find(tables, "Clock")
    if timing and timing.body:
        cols = {c: i for i, c in enumerate(timing.segments[0][-1])}
        row = timing.body[0]
        for col, key in (("Target", "clock_target_ns"), ("Estimated", "clock_estimated_ns"),
                         ("Uncertainty", "clock_uncertainty_ns")):
            if col in cols and cols[col] < len(row):
                v = _ns(row[cols[col]])
                if v is not None:
                    hls[key] = v
    latency = next((t for t in tables if t.segments and len(t.segments[0]) == 2
                    and t.segments[0][0] and "Latency" in t.segments[0][0][0]), None)
    if latency and latency.body:
        row = latency.body[0]
        absolute = "Latency (absolute)" in " ".join(latency.segments[0][0])
        vals = [number(c) for c in row]
        ii = (4, 5) if absolute else (2, 3)
        if len(row) >= ii[1] + 2:
            lat = _span(vals[0], vals[1], collapse=False)
            if lat:
                hls["latency_cycles"] = lat
            interval = _span(vals[ii[0]], vals[ii[1]], collapse=True)
            if interval is not None:
                hls["interval"] = interval
            if row[ii[1] + 1]:
                hls["pipeline"] = row[ii[1] + 1]
    util = _find(tables, "Name")
    if util:
        named = {seg[0][0]: seg[0] for seg in util.segments if seg and seg[0]}
        total = named.get("Total")
        if total:
            hls["resources"] = dict(sorted(_resources_from(util.segments[0][-1], total,
                                                           named.get("Available")).items()))
    if len(hls) == 1:
        raise ReportError("hls csynth report: no timing, latency or utilization table "
                          "(truncated report?)")
    return {**_meta(text, title.group(1)), "hls": hls}


_PCT = re.compile(r"^\s*(\d+)\s*\(")


def _parse_summary_report(text: str) -> dict[str, Any]:
    """2021.2+ 'Synthesis Summary Report': the '+ top' row of the Modules & Loops table."""
    top = _SUMMARY_TITLE.search(text).group(1)  # type: ignore[union-attr]
    hls: dict[str, Any] = {"top": top}
    table = next((t for t in bordered(text, "|") if t.segments and len(t.segments[0]) == 2
                  and t.segments[0][0][0] == "Modules"), None)
    if table is None or not table.body:
        raise ReportError("hls synthesis summary: no 'Modules & Loops' table (truncated?)")
    h1, h2 = table.segments[0]
    header = [f"{a} {b}".strip() for a, b in zip(h1, h2)]
    cols = {c: i for i, c in enumerate(header)}
    row = next((r for r in table.body if r and r[0].startswith("+")), None)
    if row is None or len(row) != len(header):
        raise ReportError("hls synthesis summary: no '+ <top>' row")

    def cell(name: str) -> str:
        return row[cols[name]] if name in cols else ""

    slack = _ns(cell("Slack"))
    if slack is not None:
        hls["slack_ns"] = slack
    lat = number(cell("Latency (cycles)"))
    if isinstance(lat, int):
        hls["latency_max_cycles"] = lat
    interval = number(cell("Interval"))
    if isinstance(interval, int):
        hls["interval"] = interval
    if cell("Pipelined"):
        hls["pipeline"] = cell("Pipelined")
    res: dict[str, dict[str, Any]] = {}
    for col, (key, unit) in (("BRAM", ("bram", "BRAM_18K")), ("DSP", ("dsp", "DSP")),
                             ("FF", ("ff", "FF")), ("LUT", ("lut", "LUT")),
                             ("URAM", ("uram", "URAM"))):
        text_ = cell(col).strip()
        m = _PCT.match(text_)
        if m:
            res[key] = {"used": count(m.group(1), "hls synthesis summary"), "unit": unit}
        elif text_ == "-" and col in cols:  # the tool prints '-' for none used
            res[key] = {"used": 0, "unit": unit}
    if res:
        hls["resources"] = res
    return {**_meta(text, "Vitis"), "hls": hls}


def parse_csynth_xml(text: str) -> dict[str, Any]:
    """``csynth.xml`` (profile.xsd): PerformanceEstimates and AreaEstimates."""
    check_text(text, "hls csynth.xml")
    try:
        root = ET.fromstring(text)
    except (ET.ParseError, ValueError) as exc:
        raise ReportError(f"hls csynth.xml: not well-formed XML ({exc})") from None
    if root.tag != "profile" or root.find("PerformanceEstimates") is None:
        raise ReportError("hls csynth.xml: no <profile>/<PerformanceEstimates> (not a csynth.xml?)")

    def val(path: str) -> Any:
        node = root.find(path)
        return number(node.text or "") if node is not None else None

    def text_of(path: str) -> str | None:
        node = root.find(path)
        return node.text.strip() if node is not None and node.text and node.text.strip() else None

    hls: dict[str, Any] = {}
    if text_of("UserAssignments/TopModelName"):
        hls["top"] = text_of("UserAssignments/TopModelName")
    for path, key in (("UserAssignments/TargetClockPeriod", "clock_target_ns"),
                      ("PerformanceEstimates/SummaryOfTimingAnalysis/EstimatedClockPeriod",
                       "clock_estimated_ns"),
                      ("UserAssignments/ClockUncertainty", "clock_uncertainty_ns")):
        v = val(path)
        if v is not None:
            hls[key] = float(v)
    lat = "PerformanceEstimates/SummaryOfOverallLatency/"
    span = _span(val(lat + "Best-caseLatency"), val(lat + "Worst-caseLatency"), collapse=False)
    if span:
        hls["latency_cycles"] = span
    interval = _span(val(lat + "Interval-min"), val(lat + "Interval-max"), collapse=True)
    if interval is not None:
        hls["interval"] = interval
    if text_of("PerformanceEstimates/PipelineType"):
        hls["pipeline"] = text_of("PerformanceEstimates/PipelineType")
    used, avail = root.find("AreaEstimates/Resources"), root.find("AreaEstimates/AvailableResources")
    if used is not None:
        res: dict[str, dict[str, Any]] = {}
        for node in used:
            hit = _RES_UNITS.get(node.tag)
            n = number(node.text or "")
            if hit and n is not None:
                res[hit[0]] = {"used": n, "unit": hit[1]}
                a = avail.find(node.tag) if avail is not None else None
                if a is not None and number(a.text or "") is not None:
                    res[hit[0]]["available"] = number(a.text or "")
        if res:
            hls["resources"] = dict(sorted(res.items()))
    out: dict[str, Any] = {}
    version = text_of("ReportVersion/Version")
    if version:
        m = re.match(r"(\d{4}\.\d+(?:\.\d+)?)", version)
        if m:
            name = "vitis_hls" if text_of("UserAssignments/FlowTarget") else "vivado_hls"
            out["tools"] = [{"name": name, "version": m.group(1)}]
    if text_of("UserAssignments/Part"):
        out["device"] = {"part": text_of("UserAssignments/Part")}
    out["hls"] = hls
    return out
