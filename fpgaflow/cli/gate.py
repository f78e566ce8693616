"""fpgaflow gate: check a summary against rules and a baseline (CI synthesis gate)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .. import gate as gate_lib


@click.command("gate")
@click.argument("summary", metavar="SUMMARY_OR_BUILD_DIR", type=click.Path())
@click.option("--baseline", type=click.Path(dir_okay=False), metavar="FILE",
              help="Baseline summary.json for relative rules (+2%, -5%, +0) and the delta column.")
@click.option("--rule", "rules", multiple=True, metavar="EXPR",
              help="A rule such as 'lut.used <= 40000', 'clk.fmax_mhz >= 200', 'lut.used <= +2%' "
                   "(repeatable; added to the summary's gates).")
@click.option("--junit", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write JUnit XML: one testcase per rule.")
@click.option("--markdown", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write GitHub-flavoured Markdown (also appended to $GITHUB_STEP_SUMMARY when set).")
@click.option("--update-baseline", is_flag=True,
              help="Write this summary to the --baseline file (on purpose), then gate against it.")
@click.option("--allow-mismatch", is_flag=True,
              help="Accept a baseline of another device part, flow or tool version.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON instead of a table.")
@click.pass_context
def command(ctx, summary, baseline, rules, junit, markdown, update_baseline, allow_mismatch, as_json):
    """Check SUMMARY_OR_BUILD_DIR against its gates and --rule rules.

    Exit 0 when every rule passes, 1 when a rule fails (a metric the summary lacks fails),
    2 on bad input (unreadable summary, bad rule syntax, baseline of another part/flow/tool).
    """
    from rich.console import Console

    report = gate_lib.run(summary, rules, baseline, allow_mismatch=allow_mismatch,
                          update_baseline=update_baseline)
    if as_json:
        click.echo(json.dumps(gate_lib.to_dict(report), indent=2))
    else:
        console = Console(emoji=False, highlight=False, width=None if _is_tty() else 120)
        if update_baseline:
            console.print(f"baseline written: {baseline}")
        gate_lib.print_table(report, console)
    if junit:
        _write(junit, gate_lib.to_junit(report))
    md = gate_lib.to_markdown(report)
    if markdown:
        _write(markdown, md)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as fh:
            fh.write(md + "\n")
    ctx.exit(0 if report.passed else 1)


def _write(path: str, text: str) -> None:
    from ..errors import FpgaflowError
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise FpgaflowError(f"cannot write: {exc.strerror or exc}", file=str(p)) from None


def _is_tty() -> bool:
    stream = sys.stdout  # (click.get_text_stream is gone in Click 9)
    return hasattr(stream, "isatty") and stream.isatty()
