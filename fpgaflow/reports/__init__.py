"""Tool-report parsers: text in → partial summary out (see DESIGN.md, "Summary contract").

Each parser is a pure function in a module per tool family (``yosys``, ``nextpnr``,
``vivado``, ``quartus``, ``hls``). This package detects the kind of a report from its
content, dispatches, and merges many reports into one complete summary.

Every failure to read a report is a ``ReportError`` (exit code 2), never another exception.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..summary import SCHEMA, merge
from ._common import ReportError
from ._designs import Found, check_one_design, design_name
from ._devices import set_part

__all__ = ["ReportError", "KINDS", "detect", "parse_text", "parse_file", "parse_paths"]

_HEAD = 200_000  # detection looks at the start of a report (and its last lines for logs)


def _json_kind(text: str) -> str | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("modules"), dict) and str(data.get("creator", "")).startswith("Yosys") \
            and "stat" in str(data.get("invocation", "stat")):
        if any(isinstance(m, dict) and "num_cells_by_type" in m for m in data["modules"].values()):
            return "yosys_stat_json"
    if isinstance(data.get("utilization"), dict) and ("fmax" in data or "critical_paths" in data):
        return "nextpnr_report"
    return None


class _InOrder:
    """A rule met when each pattern matches after the previous one's match: one forward
    scan (``a[\\s\\S]*?b`` regexes backtrack quadratically on many ``a`` without ``b``)."""

    def __init__(self, *patterns: str, flags: int = re.M) -> None:
        self.patterns = [re.compile(p, flags) for p in patterns]

    def search(self, text: str) -> bool:
        pos = 0
        for pattern in self.patterns:
            m = pattern.search(text, pos)
            if m is None:
                return False
            pos = m.end()
        return True


_VIVADO = r"^\| Tool Version"


@dataclass(frozen=True)
class Kind:
    """One report kind: its parser (``module.function`` of this package) and, for text
    reports, the content rule that detects it (JSON kinds are told apart by ``_json_kind``).
    Detection tries the rules in registration order, so a more specific kind registers
    before a more general one (hierarchical utilization before flat)."""
    name: str
    module: str
    parser: str
    rule: Any = None


# every rule is linear in the text: no nested or unbounded-then-backtrack quantifiers across
# lines ([ \t] instead of \s where a line is meant)
REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Add a report kind (a flow module may register its tool's reports)."""
    REGISTRY[kind.name] = kind
    KINDS[kind.name] = (kind.module, kind.parser)
    if kind.rule is not None:
        _RULES[:] = [(n, r) for n, r in _RULES if n != kind.name] + [(kind.name, kind.rule)]


# kind → (module, parser function), and the detection rules: views of REGISTRY
KINDS: dict[str, tuple[str, str]] = {}
_RULES: list[tuple[str, Any]] = []

for _kind in (
    Kind("hls_csynth_xml", "hls", "parse_csynth_xml",
         _InOrder(r"<profile\b", r"<(?:PerformanceEstimates|AreaEstimates)>")),
    Kind("hls_csynth_rpt", "hls", "parse_csynth_rpt",
         re.compile(r"^== (Vivado|Vitis) HLS Report|^== Synthesis Summary Report", re.M)),
    Kind("vitis_accel_util", "vivado", "parse_accelerator_utilization",
         re.compile(r"Accelerator Utilization Design Information")),
    Kind("vivado_util_hier", "vivado", "parse_utilization_hierarchical",
         _InOrder(_VIVADO, r"Utilization Design Information",
                  r"^\|[ \t]*Instance[ \t]*\|[ \t]*Module[ \t]*\|")),
    Kind("vivado_util", "vivado", "parse_utilization",
         _InOrder(_VIVADO, r"Utilization Design Information")),
    Kind("vivado_timing", "vivado", "parse_timing_summary",
         _InOrder(_VIVADO, r"Design Timing Summary")),
    Kind("vivado_power", "vivado", "parse_power",
         _InOrder(_VIVADO, r"Total On-Chip Power \(W\)")),
    Kind("quartus_fit", "quartus", "parse_fit",
         re.compile(r"^;?[ \t]*Fitter Status[ \t]*[:;]", re.M)),
    Kind("quartus_power", "quartus", "parse_power",
         re.compile(r"^;?[ \t]*(PowerPlay )?Power Analyzer Status[ \t]*[:;]", re.M)),
    Kind("quartus_sta", "quartus", "parse_sta",
         re.compile(r"^;?[ \t]*(TimeQuest )?Timing Analyzer Summary[ \t]*;?[ \t]*$|"
                    r"^(TimeQuest )?Timing Analyzer report for |"
                    r"^Type[ \t]*:(?=[^\n']*')[^\n']*?\b(Setup|Hold|Recovery|Removal|"
                    r"Pulse Width|Data Delay)\b", re.M)),
    Kind("ise_twr", "ise", "parse_twr",
         _InOrder(r"^Release \d+\.\d+\S* Trace\b",
                  r"^Timing errors:|^INFO:Timing:2698 - No timing constraints found")),
    Kind("ise_util", "ise", "parse_utilization",
         re.compile(r"^Release \d+\.\d+\S* (Map|par)\b|^Xilinx Mapping Report File for", re.M)),
    Kind("nextpnr_log", "nextpnr", "parse_log",
         re.compile(r"^(Info|Warning|ERROR): Max frequency for clock '|"
                    r"^Info: Device utilisation:", re.M)),
    Kind("yosys_stat", "yosys", "parse_stat",
         re.compile(r"Printing statistics\.|^=== [^\n]+ ===[ \t\r]*\n([ \t\r]*\n)?"
                    r"[ \t]+(Number of wires:|\+-+Local Count)", re.M)),
    Kind("yosys_stat_json", "yosys", "parse_stat_json"),
    Kind("nextpnr_report", "nextpnr", "parse_report_json"),
    Kind("fpgaflow_constraints", "constraints", "parse_constraints_json"),
):
    register(_kind)


def detect(text: str) -> str | None:
    """The kind of a report from its content, or None when it is not a known report."""
    if not isinstance(text, str) or not text.strip() or "\x00" in text[:4096]:
        return None
    if text.lstrip().startswith("{"):
        return _json_kind(text)
    head = text if len(text) <= 2 * _HEAD else text[:_HEAD] + "\n" + text[-_HEAD:]
    if "\r" in head:
        head = head.replace("\r\n", "\n")
    for kind, rule in _RULES:
        if rule.search(head):
            return kind
    return None


def _parser(kind: str) -> Callable[[str], dict[str, Any]]:
    try:
        module, func = KINDS[kind]
    except KeyError:
        raise ReportError(f"unknown report kind {kind!r}",
                          hint="one of: " + ", ".join(KINDS)) from None
    try:
        return getattr(importlib.import_module(f"{__name__}.{module}"), func)
    except (ImportError, AttributeError):
        raise ReportError(f"no parser for {kind!r} reports in this version of fpgaflow") from None


def parse_text(text: str, kind: str | None = None) -> dict[str, Any]:
    """Parse one report (its kind detected from content unless given) → partial summary."""
    if isinstance(text, str) and "\r" in text:
        # reports written on Windows (ISE, Quartus, Vivado, HLS, nextpnr) end lines in CRLF;
        # the parsers anchor rows at '$' and read them line by line
        text = text.replace("\r\n", "\n")
    if kind is None:
        if isinstance(text, str) and not text.strip():
            raise ReportError("the report is empty")
        kind = detect(text)
        if kind is None:
            raise ReportError("not a report fpgaflow knows (Yosys stat, nextpnr, Vivado, Quartus, "
                              "HLS csynth, ISE map/par/twr)")
    try:
        return _parser(kind)(text)
    except ReportError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, AttributeError,
            RecursionError, ZeroDivisionError, OverflowError) as exc:  # a parser bug must not leak
        raise ReportError(f"{kind}: cannot parse this report ({type(exc).__name__}: {exc})") from None


def _sections(partial: dict[str, Any]) -> list[str]:
    return [s for s in ("resources", "timing", "power", "hls") if s in partial]


def read_text(path: str | os.PathLike) -> str:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror or exc}", file=str(p)) from None
    if b"\x00" in data[:4096]:
        raise ReportError("this is binary data, not a text report", file=str(p))
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


def parse_file(path: str | os.PathLike, kind: str | None = None) -> dict[str, Any]:
    """Parse one report file; sets ``sources`` to this path for every section it fills."""
    p = Path(path)
    return _parse_read(p, read_text(p), kind)


def _parse_read(p: Path, text: str, kind: str | None) -> dict[str, Any]:
    try:
        partial = parse_text(text, kind)
    except ReportError as exc:
        if exc.file is None:
            exc.file = str(p)
        raise
    partial["sources"] = {section: str(p) for section in _sections(partial)}
    return partial


# Later reports win a merge. Under a directory, a flow's earlier reports go first: Vivado's
# synth_1 utilization before impl_1's placed/routed ones (sorted by name, synth_1 came last
# and its pre-placement counts won), a Quartus .summary before the .rpt of the same run (the
# .fit.rpt has the M9K block counts its summary lacks), an HLS solution's per-function
# <name>_csynth reports before its csynth.rpt and csynth.xml (which describe the top), Yosys
# before nextpnr, ISE's MAP report and top_preroute.twr before the PAR report and top.twr.
_STAGES = (re.compile(r"synth|yosys", re.I),
           re.compile(r"opt(?:ed)?\b|_opt|_map\.mrp$", re.I),
           re.compile(r"place|pre_?route", re.I),
           re.compile(r"(?<!pre)(?<!pre_)route(?!_physopt)|pnr|\.par$|^(?!.*pre_?route).*\.twr$",
                      re.I),
           re.compile(r"physopt", re.I))


def stage_rank(path: Path) -> tuple[int, int, int]:
    """(flow stage, .summary before .rpt, HLS top report last) of a report file's name, for
    merge order."""
    name = path.name
    stage = max((i + 1 for i, s in enumerate(_STAGES) if s.search(name)), default=0)
    return (stage, 0 if name.endswith(".summary") else 1,
            {"csynth.rpt": 1, "csynth.xml": 2}.get(name, 0))


def _candidates(paths: list[str | os.PathLike]) -> list[tuple[Path, bool]]:
    """(file, explicitly named) for files, and the files under directories (in merge order:
    see ``stage_rank``)."""
    out: list[tuple[Path, bool]] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            out.extend((f, False) for f in sorted(
                (f for f in p.rglob("*")
                 if f.is_file() and not any(part.startswith(".") for part in f.parts)),
                key=lambda f: (stage_rank(f), str(f))))
        elif p.exists():
            out.append((p, True))
        else:
            raise ReportError("no such file or directory", file=str(p))
    seen: set[Path] = set()
    unique = []
    for p, explicit in out:  # a file named and found under a named folder is one report
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((p, explicit))
    return unique


def parse_paths(paths: list[str | os.PathLike] | tuple[str | os.PathLike, ...]) -> dict[str, Any]:
    """Parse report files and directories (recursively, known reports only) into one summary.

    A file named explicitly must be a report; files found under a directory that are not
    reports are skipped. The reports must be of one design (``_designs``: else a
    ReportError naming each design and its files). The result is a complete summary with
    ``flow: "report"``."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    partials = []
    found = []
    for path, explicit in _candidates(list(paths)):
        if explicit:
            text = read_text(path)
        else:
            try:
                text = read_text(path) if path.stat().st_size < 512 * 1024 * 1024 else ""
            except (ReportError, OSError):
                continue  # unreadable or binary files in a directory are not reports
        kind = detect(text)
        if kind is None and not explicit:
            continue
        partials.append((str(path), _parse_read(path, text, kind)))
        if kind is not None:
            module = KINDS[kind][0]
            found.append(Found(path, kind, module, stage_rank(path),
                               design_name(module, text, path)))
    if not partials:
        raise ReportError("no known tool report found in " + ", ".join(str(p) for p in paths))
    check_one_design(found)
    summary = merge({"schema": SCHEMA, "flow": "report"}, *(p for _, p in partials))
    set_part(summary, partials)  # one device, whatever the order (else ReportError)
    partials = [p for _, p in partials]
    verdicts = [p["timing"]["met"] for p in partials if "met" in p.get("timing", {})]
    verdicts += [c["met"] for c in summary.get("timing", {}).get("clocks", []) if "met" in c]
    if verdicts:
        summary["timing"]["met"] = all(verdicts)
    summary["status"] = "passed" if all(verdicts) else "timing-failed"
    order = ["schema", "name", "device", "flow", "tools", "status", "resources", "timing", "power",
             "hls"]
    return {**{k: summary[k] for k in order if k in summary},
            **{k: v for k, v in summary.items() if k not in order}}
