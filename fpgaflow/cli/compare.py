"""fpgaflow compare: compare summaries across devices, flows and vendors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import compare as compare_lib


@click.command("compare")
@click.argument("paths", nargs=-1, required=True, metavar="SUMMARY_OR_BUILD_OR_SWEEP_DIR...",
                type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON on stdout.")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the raw values as CSV (one column per run; '-' for stdout).")
@click.option("--html", "html_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write one self-contained HTML page with the table and charts "
                   "(and the Pareto front of each sweep given).")
def command(paths, as_json, csv_file, html_file):
    """Compare SUMMARY_OR_BUILD_OR_SWEEP_DIR... : one column per run (device, flow, tools),
    one row per metric. % of device and memory bits compare fairly across LUT4/LUT6/ALM.

    A sweep result (OUT/sweep-NAME/ or its sweep.json) stands for the points of that sweep
    that have a summary; with --html the page also shows the sweep's Pareto front."""
    if as_json and csv_file == "-":
        raise click.UsageError("--json and --csv - both want stdout: give --csv a file")
    summaries, sweeps = compare_lib.load_inputs(paths)
    if csv_file:
        text = compare_lib.to_csv(summaries)
        if csv_file == "-":
            click.echo(text, nl=False)
        else:
            _write(csv_file, text)
    if html_file:
        from .. import html_report
        _write(html_file, html_report.render(summaries, extra_sections=_pareto_sections(sweeps)))
    if as_json:
        click.echo(json.dumps(compare_lib.to_json(summaries), indent=2))
    elif csv_file != "-":
        from rich.console import Console
        stream = sys.stdout  # (click.get_text_stream is gone in Click 9)
        tty = hasattr(stream, "isatty") and stream.isatty()
        console = Console(emoji=False, highlight=False, width=None if tty else max(120, 40 + 28 * len(summaries)))
        compare_lib.print_table(summaries, console)
        if html_file:
            console.print(f"HTML report: {html_file}")


def _pareto_sections(sweeps):
    from .. import sweep as sweep_lib
    sections, ids = [], set()
    for res in sweeps:
        sid, n = f"pareto-{res.name}", 1
        while sid in ids:
            n += 1
            sid = f"pareto-{res.name}-{n}"
        ids.add(sid)
        svg = sweep_lib.plot_front(res, res.records)
        sections.append(sweep_lib.pareto_section(res, res.records, res.front, svg, section_id=sid))
    return sections


def _write(path: str, text: str) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
