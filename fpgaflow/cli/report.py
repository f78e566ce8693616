"""``fpgaflow report FILE_OR_DIR…``: parse existing tool reports into one summary."""

from __future__ import annotations

import json

import click

from ..reports import parse_paths
from ..summary import resource_pct


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return str(value)


def _render(summary: dict) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    console = Console(emoji=False, highlight=False)
    tools = ", ".join(f"{t['name']} {t.get('version', '')}".strip() for t in summary.get("tools", []))
    part = summary.get("device", {}).get("part")
    # report text is data, never markup: a '[/bold]' in a device or clock name is printed as is
    console.print(f"[bold]status[/bold] {escape(summary['status'])}"
                  + (f"   [bold]device[/bold] {escape(str(part))}" if part else "")
                  + (f"   [bold]tools[/bold] {escape(tools)}" if tools else ""))
    if summary.get("resources"):
        t = Table(title="resources")
        for col in ("resource", "used", "available", "%", "unit"):
            t.add_column(col, justify="left" if col in ("resource", "unit") else "right")
        for key, e in summary["resources"].items():
            pct = resource_pct(e)
            t.add_row(Text(key), _fmt(e.get("used")), _fmt(e.get("available")),
                      "-" if pct is None else f"{pct:.1f}", Text(str(e.get("unit", ""))))
        console.print(t)
    timing = summary.get("timing")
    if timing and timing.get("constrained") is False:
        # the tool checked nothing: an empty table with "met: -" said nothing of why
        console.print(Text("timing: the design has no timing constraints; nothing was checked",
                           style="yellow"))
    elif timing:
        t = Table(title=f"timing (met: {_fmt(timing.get('met'))}, WNS {_fmt(timing.get('wns_ns'))} ns)")
        for col in ("clock", "target MHz", "fmax MHz", "WNS ns", "met"):
            t.add_column(col, justify="left" if col == "clock" else "right")
        for c in timing.get("clocks", []):
            t.add_row(Text(str(c["name"])), _fmt(c.get("target_mhz")), _fmt(c.get("fmax_mhz")),
                      _fmt(c.get("wns_ns")), _fmt(c.get("met")))
        console.print(t)
    for section in ("power", "hls"):
        data = summary.get(section)
        if data:
            t = Table(title=section)
            t.add_column("key")
            t.add_column("value", justify="right")
            for k, v in data.items():
                if k == "resources":
                    v = ", ".join(f"{rk} {_fmt(e.get('used'))}" for rk, e in v.items())
                t.add_row(Text(k), Text(_fmt(v) if not isinstance(v, list) else json.dumps(v)))
            console.print(t)


@click.command("report")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the merged summary as JSON.")
@click.pass_context
def command(ctx, paths, as_json):
    """Parse tool reports (files or directories; kinds detected from content) into one
    unified summary. Exit 0 when the reports pass, 1 when timing failed, 2 when a report
    cannot be read or the reports are of different devices."""
    summary = parse_paths(list(paths))
    if as_json:
        click.echo(json.dumps(summary, indent=2, allow_nan=False))
    else:
        _render(summary)
    if summary.get("status") != "passed":
        ctx.exit(1)
