"""fpgaflow cores: the FuseSoC cores found, with their targets and parameters."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console

from .. import corelib
from ..render import NAME, TEXT, fitted_table, print_fitted


@click.command("cores")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--cores-root", "roots", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Extra directory to search for .core files (repeatable).")
def command(as_json, roots):
    """List the FuseSoC cores found (cores/, $FPGAFLOW_CORES), with their parameters."""
    search = tuple(Path(r).resolve() for r in roots) + corelib.core_roots(Path.cwd() / "x")
    cores = corelib.list_cores(tuple(dict.fromkeys(search)))
    if as_json:
        click.echo(json.dumps([{"name": c.name, "description": c.description,
                                "core_file": str(c.core_file), "targets": list(c.targets),
                                "parameters": c.parameters} for c in cores], indent=2, default=str))
        return
    rows = []
    for c in cores:
        params = "\n".join(f"{k}={v.get('default', '?')} ({v.get('datatype', '?')})"
                           for k, v in c.parameters.items()) or "—"
        rows.append([c.name, ", ".join(c.targets), params, c.description])
    console = Console()
    # the VLNV is what a recipe's `core:` takes: never cut
    columns = [("core", NAME, None), ("targets", TEXT, 2), ("parameters (default target)", TEXT, 1),
               ("description", TEXT, 3)]
    table, dropped = fitted_table(console, columns, rows, title="Cores", title_justify="left",
                                  show_lines=True)
    print_fitted(console, table, dropped)
