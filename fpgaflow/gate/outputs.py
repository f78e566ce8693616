"""Gate outputs: the table on a terminal, JUnit XML, Markdown for a PR, plain JSON."""

from __future__ import annotations

import re
from typing import Any

from .evaluation import GateReport, Result
from .rules import _fmt_value as _fmt, _num


def format_value(r: Result) -> str:
    if r.value is None:
        return "missing"
    text = _fmt(r.value)
    return text + " %" if r.rule.path[-1] == "pct" else text


def format_limit(r: Result) -> str:
    if r.limit is None and r.rule.relative is not None:
        return f"{r.rule.op} {r.rule.relative}"
    text = f"{r.rule.op} {_fmt(r.limit)}"
    if r.rule.relative is not None:
        text += f" ({r.rule.relative})"
    return text


def format_delta(r: Result) -> str:
    if r.delta is not None:
        d = r.delta
        text = ("+" if d >= 0 else "−") + _num(abs(d))
        if r.baseline:
            text += f" ({'+' if d >= 0 else '−'}{abs(d) / abs(r.baseline) * 100:.1f}%)"
        return text
    if r.baseline is not None:
        return "=" if r.baseline == r.value else f"was {_fmt(r.baseline)}"
    return ""


def device_line(s: dict[str, Any]) -> str:
    part = (s.get("device") or {}).get("part", "unknown part")
    tools = ", ".join(f"{t.get('name')} {t.get('version', '')}".strip() for t in s.get("tools") or []
                      if isinstance(t, dict))
    est = " (estimate)" if s.get("estimate") and s.get("flow") != "estimate" else ""
    return f"{part} · flow {s.get('flow', '?')}{est}" + (f" · {tools}" if tools else "")


def to_junit(report: GateReport) -> str:
    """JUnit XML: one testsuite per summary, one testcase per rule, a <failure> per failed rule."""
    import xml.etree.ElementTree as ET

    s = report.summary
    failures = len(report.failures)
    tests = str(len(report.results))
    root = ET.Element("testsuites", name="fpgaflow gate", tests=tests, failures=str(failures),
                      errors="0", skipped="0", time="0")
    suite = ET.SubElement(root, "testsuite", name=f"fpgaflow gate: {report.title}", tests=tests,
                          failures=str(failures), errors="0", skipped="0", time="0")
    props = ET.SubElement(suite, "properties")
    for name, value in (("summary", s.get("_path")), ("device", (s.get("device") or {}).get("part")),
                        ("flow", s.get("flow")), ("status", s.get("status")),
                        ("baseline", report.baseline_path)):
        if value is not None:
            ET.SubElement(props, "property", name=name, value=str(value))
    classname = "fpgaflow.gate." + re.sub(r"[^A-Za-z0-9_]", "_", report.title)
    for r in report.results:
        case = ET.SubElement(suite, "testcase", classname=classname, name=r.rule.text, time="0")
        detail = (f"value: {format_value(r)}\nlimit: {format_limit(r)}\n"
                  f"baseline delta: {format_delta(r) or '—'}\nfrom: {r.rule.origin}")
        if r.passed:
            ET.SubElement(case, "system-out").text = detail
        else:
            fail = ET.SubElement(case, "failure", message=r.message, type="GateFailure")
            fail.text = detail
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def to_dict(report: GateReport) -> dict[str, Any]:
    """The report as plain JSON data (for --json and for other tools)."""
    return {
        "schema": "fpgaflow.gate/1",
        "passed": report.passed,
        "summary": report.summary.get("_path"),
        "baseline": report.baseline_path,
        "baseline_updated": report.updated_baseline,
        "mismatches": report.mismatches,
        "results": [{"rule": r.rule.text, "metric": r.rule.metric, "op": r.rule.op,
                     "origin": r.rule.origin, "value": r.value, "limit": r.limit,
                     "baseline": r.baseline, "delta": r.delta, "passed": r.passed,
                     "message": r.message} for r in report.results],
    }


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: GateReport) -> str:
    """GitHub-flavoured Markdown for a PR comment or $GITHUB_STEP_SUMMARY."""
    n, bad = len(report.results), len(report.failures)
    icon = "✅" if report.passed else "❌"
    verdict = f"all {n} rules pass" if report.passed else f"{bad} of {n} rules fail"
    lines = [f"### {icon} fpgaflow gate: {_md_cell(report.title)} — {verdict}", "",
             f"`{_md_cell(device_line(report.summary))}` · status `{report.summary.get('status')}`"]
    if report.baseline_path:
        lines.append(f"Baseline: `{report.baseline_path}`"
                     + (" (updated from this run)" if report.updated_baseline else ""))
    if report.mismatches:
        lines.append("")
        lines.append("> [!WARNING]\n> Baseline of another configuration (accepted with `--allow-mismatch`): "
                     + "; ".join(_md_cell(m) for m in report.mismatches))
    lines += ["", "| Rule | Value | Limit | Verdict | Δ baseline |", "|---|---:|---|:---:|---:|"]
    for r in report.results:
        lines.append(f"| `{_md_cell(r.rule.text)}` | {_md_cell(format_value(r))} | "
                     f"{_md_cell(format_limit(r))} | {'✅ pass' if r.passed else '❌ fail'} | "
                     f"{_md_cell(format_delta(r))} |")
    if report.failures:
        lines += ["", "**Failures**", ""]
        lines += [f"- `{_md_cell(r.rule.text)}`: {r.message}" for r in report.failures]
    return "\n".join(lines) + "\n"


def print_table(report: GateReport, console) -> None:
    """The rule / value / limit / verdict / delta table on a rich console."""
    from rich.table import Table
    from rich.text import Text

    console.print(Text(f"gate {report.title}: {device_line(report.summary)}", style="bold"), soft_wrap=True)
    if report.baseline_path:
        console.print(Text(f"baseline {report.baseline_path}"), soft_wrap=True)
    table = Table()
    table.add_column("rule", overflow="fold")
    table.add_column("value", justify="right")
    table.add_column("limit")
    table.add_column("verdict", justify="center")
    if report.baseline is not None:
        table.add_column("Δ baseline", justify="right")
    for r in report.results:
        row = [Text(r.rule.text), Text(format_value(r)), Text(format_limit(r)),
               Text("pass", style="green") if r.passed else Text("FAIL", style="bold red")]
        if report.baseline is not None:
            row.append(Text(format_delta(r)))
        table.add_row(*row)
    console.print(table)
    for m in report.mismatches:
        console.print(Text.assemble(("warning: ", "yellow"), f"baseline mismatch accepted (--allow-mismatch): {m}"),
                      soft_wrap=True)
    for r in report.failures:
        console.print(Text.assemble(("FAIL ", "bold red"), f"{r.rule.text}: {r.message}"), soft_wrap=True)
    n, bad = len(report.results), len(report.failures)
    console.print(Text(f"gate failed: {bad} of {n} rules fail" if bad else f"gate passed: all {n} rules pass",
                       style="bold red" if bad else "bold green"))
