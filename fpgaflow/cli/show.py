"""fpgaflow show: a summary.json (or a build directory) as a table."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import render
from .. import summary as summary_mod


@click.command("show")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary JSON.")
def command(path, as_json):
    """Show SUMMARY_OR_BUILD_DIR (a summary.json, or a build directory holding one)."""
    s = summary_mod.load(path)
    if as_json:
        s.pop("_path", None)
        click.echo(json.dumps(s, indent=2))
        return
    render.print_summary(s, build_dir=str(summary_mod.find(path).parent))
