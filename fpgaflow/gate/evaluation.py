"""Gate evaluation: a metric's value in a summary, a baseline's comparability, each rule's
verdict, and ``run`` (summary + rules + baseline -> ``GateReport``). Reads summaries only."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import summary as summary_mod
from ..errors import FpgaflowError
from ..summary import RESOURCE_KEYS, resource_pct
from .rules import SECTIONS, Rule, _fmt_value as _fmt, _is_number, parse_rule, rules_from_gates


class GateInputError(FpgaflowError):
    """Bad gate input: no rules, no baseline for a relative rule, baseline mismatch (exit 2)."""


class Missing(Exception):
    """The summary does not have this metric; the message says what is missing."""


def metric_value(summary: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value of a metric in a summary, or ``Missing`` with a reason."""
    head = path[0]
    if head == "fmax_mhz" and len(path) == 1:
        clocks = [c for c in _clocks(summary) if c.get("fmax_mhz") is not None]
        if not clocks:
            raise Missing(_no("timing", summary) if "timing" not in summary
                          else "no clock in timing.clocks has an fmax_mhz")
        return min(c["fmax_mhz"] for c in clocks)
    if len(path) == 1:
        if head not in summary:
            raise Missing(f"the summary has no {head!r}")
        return summary[head]
    if head in RESOURCE_KEYS:
        entry = summary.get("resources", {}).get(head)
        if entry is None:
            raise Missing(f"the summary has no resources.{head}")
        attr = path[1]
        if attr == "pct":
            pct = resource_pct(entry)
            if pct is None:
                raise Missing(f"resources.{head} has no 'available' count, so no % of device")
            return pct
        if entry.get(attr) is None:
            raise Missing(f"resources.{head} has no {attr!r}")
        return entry[attr]
    if head in SECTIONS:
        if head not in summary:
            raise Missing(_no(head, summary))
        node: Any = summary[head]
        for i, seg in enumerate(path[1:], start=1):
            if not isinstance(node, dict) or seg not in node or node[seg] is None:
                raise Missing(f"the summary has no {'.'.join(path[:i + 1])}")
            node = node[seg]
        if isinstance(node, list) and node and all(_is_number(v) for v in node):
            return max(node)  # e.g. hls.latency_cycles [best, worst]: gate the worst case
        return node
    if head == "stages":
        for stage in summary.get("stages", []):
            if stage.get("name") == path[1]:
                if stage.get(path[2]) is None:
                    raise Missing(f"stage {path[1]!r} has no {path[2]!r}")
                return stage[path[2]]
        names = [s.get("name") for s in summary.get("stages", [])]
        raise Missing(f"the summary has no stage {path[1]!r} (stages: {', '.join(map(str, names)) or 'none'})")
    # a clock of timing.clocks
    if "timing" not in summary:
        raise Missing(_no("timing", summary))
    clocks = _clocks(summary)
    for clock in clocks:
        if clock.get("name") == head:
            if clock.get(path[1]) is None:
                raise Missing(f"clock {head!r} has no {path[1]!r}")
            return clock[path[1]]
    names = ", ".join(str(c.get("name")) for c in clocks) or "none"
    raise Missing(f"the summary has no clock {head!r} in timing.clocks (clocks: {names})")


def _clocks(summary: dict[str, Any]) -> list[dict[str, Any]]:
    timing = summary.get("timing") or {}
    return [c for c in timing.get("clocks", []) if isinstance(c, dict)]


def _no(section: str, summary: dict[str, Any]) -> str:
    flow = summary.get("flow")
    if section in ("hls", "sim"):
        why = f" (no {'HLS' if section == 'hls' else 'simulation'} stage in this run)"
    else:
        why = f" (flow {flow!r} does not report {section})" if flow else ""
        if section in (summary.get("needs_vendor") or []):
            why = why[:-1] + ": it needs the vendor tool)" if why else " (it needs the vendor tool)"
    return f"the summary has no {section} section{why}"


def mismatches(current: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """What makes a baseline incomparable: another device part, flow or tool (name+version)."""
    out = []
    part, base_part = (current.get("device") or {}).get("part"), (baseline.get("device") or {}).get("part")
    if part != base_part:
        out.append(f"device part {part!r} here, {base_part!r} in the baseline")
    if current.get("flow") != baseline.get("flow"):
        out.append(f"flow {current.get('flow')!r} here, {baseline.get('flow')!r} in the baseline")
    tools, base_tools = _tool_versions(current), _tool_versions(baseline)
    for name in sorted(set(tools) | set(base_tools)):
        if name not in base_tools:
            out.append(f"tool {name} {'/'.join(tools[name])} here, absent from the baseline")
        elif name not in tools:
            out.append(f"tool {name} {'/'.join(base_tools[name])} in the baseline, absent here")
        elif tools[name] != base_tools[name]:
            out.append(f"tool {name} version {'/'.join(tools[name])} here, "
                       f"{'/'.join(base_tools[name])} in the baseline")
    return out


def _tool_versions(summary: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for tool in summary.get("tools") or []:
        if isinstance(tool, dict) and tool.get("name"):
            version = str(tool.get("version", "?"))
            versions = out.setdefault(str(tool["name"]), [])
            if version not in versions:
                versions.append(version)
    return {k: sorted(v) for k, v in out.items()}


@dataclass
class Result:
    rule: Rule
    passed: bool
    value: Any = None          # the metric's value, None when missing
    limit: Any = None          # the value compared against (resolved from the baseline if relative)
    baseline: Any = None       # the baseline's value of the metric, when there is a baseline
    message: str = ""          # why it failed (or a note)

    @property
    def delta(self) -> float | None:
        if _is_number(self.value) and _is_number(self.baseline):
            return self.value - self.baseline
        return None


@dataclass
class GateReport:
    summary: dict[str, Any]
    results: list[Result]
    baseline: dict[str, Any] | None = None
    baseline_path: str | None = None
    mismatches: list[str] = field(default_factory=list)   # accepted with --allow-mismatch
    updated_baseline: bool = False

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.passed]

    @property
    def title(self) -> str:
        s = self.summary
        return f"{s.get('name') or Path(s.get('_path', 'summary')).parent.name}"


_COMPARE = {
    "<=": lambda a, b: a <= b, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}


def evaluate(rule: Rule, summary: dict[str, Any], baseline: dict[str, Any] | None = None) -> Result:
    """Check one rule; a missing metric (or baseline metric) is a failure that says so."""
    base_value, base_missing = None, None
    if baseline is not None:
        try:
            base_value = metric_value(baseline, rule.path)
        except Missing as why:
            base_missing = str(why)
    limit = rule.value
    if rule.relative is not None:
        if baseline is None:
            raise GateInputError(f"rule {rule.text!r} is relative to a baseline: give --baseline FILE")
        limit = rule.relative.limit(base_value) if _is_number(base_value) else None
    try:
        value = metric_value(summary, rule.path)
    except Missing as why:
        return Result(rule, False, None, limit, base_value, f"missing metric {rule.metric}: {why}")
    if rule.relative is not None and limit is None:
        reason = (f"missing baseline metric {rule.metric}: {base_missing}" if base_missing
                  else f"baseline {rule.metric} is not a number: {base_value!r}")
        return Result(rule, False, value, None, base_value, reason)
    if _is_number(limit) != _is_number(value) or isinstance(limit, bool) != isinstance(value, bool):
        return Result(rule, False, value, limit, base_value,
                      f"{rule.metric} is {value!r}, which cannot be compared with {limit!r}")
    if isinstance(value, float) and math.isnan(value):
        return Result(rule, False, value, limit, base_value, f"{rule.metric} is not a number (NaN)")
    ok = _COMPARE[rule.op](value, limit)
    message = "" if ok else f"{rule.metric} is {_fmt(value)}, limit {rule.op} {_fmt(limit)}" + (
        f" ({rule.relative} = {_fmt(limit)})" if rule.relative else "")
    return Result(rule, ok, value, limit, base_value, message)


def build_status(summary: dict[str, Any]) -> Result | None:
    """A failing result when the build itself failed or is incomplete: its numbers are
    partial (a failed P&R leaves synthesis counts), so no rule can pass it."""
    status = summary.get("status")
    if status not in ("failed", "incomplete"):
        return None
    bad = [s for s in summary.get("stages") or [] if isinstance(s, dict)
           and s.get("status") in ("failed", "incomplete")]
    why = (f": stage {bad[0].get('name')} {bad[0].get('status')}"
           + (f" ({bad[0]['message']})" if bad[0].get("message") else "")) if bad else \
        (": no stage ran" if not summary.get("stages") else "")
    rule = Rule("status is passed or timing-failed", ("status",), "==", "passed",
                origin="build status")
    return Result(rule, False, status, "passed", None, f"the build is {status}{why}")


def run(summary_path: str | Path, rules: list[str] = (), baseline_path: str | Path | None = None,
        allow_mismatch: bool = False, update_baseline: bool = False) -> GateReport:
    """Load a summary (and baseline), parse the rules and check them all.

    ``update_baseline`` writes the current summary to ``baseline_path`` first, on purpose:
    the rules are then checked against the new baseline (absolute rules still apply).
    Raises FpgaflowError (exit 2) for bad input; the report says whether the rules passed.
    """
    current = summary_mod.load(summary_path)
    parsed = rules_from_gates(current.get("gates"), where=current.get("_path"))
    parsed += [parse_rule(text) for text in rules]
    if not parsed:
        raise GateInputError("no rules to check", file=current.get("_path"),
                             hint="add a gates: section to the recipe or give --rule 'lut.pct <= 40'")
    baseline = None
    found: list[str] = []
    if update_baseline:
        if baseline_path is None:
            raise GateInputError("--update-baseline needs --baseline FILE (the file to write)")
        summary_mod.write(baseline_path, current)
    if baseline_path is not None:
        baseline = summary_mod.load(baseline_path)
        found = mismatches(current, baseline)
        if found and not allow_mismatch:
            raise GateInputError("baseline is not comparable: " + "; ".join(found), file=str(baseline_path),
                                 hint="gate against a baseline of the same part, flow and tools, "
                                      "or pass --allow-mismatch")
    relative = [r for r in parsed if r.relative is not None]
    if relative and baseline is None:
        raise GateInputError(f"rule {relative[0].text!r} is relative to a baseline: give --baseline FILE")
    results = [evaluate(rule, current, baseline) for rule in parsed]
    status = build_status(current)
    if status is not None:
        results.insert(0, status)
    return GateReport(current, results, baseline, str(baseline_path) if baseline_path else None,
                      found, update_baseline)
