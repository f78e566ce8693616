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
    """List the FuseSoC cores found (cores/, $FPGAFLOW_CORES, fusesoc.conf), with the
    parameters each target takes."""
    search = tuple(Path(r).resolve() for r in roots) + corelib.core_roots(Path.cwd() / "x")
    search = tuple(dict.fromkeys(search))
    cores = corelib.list_cores(search)
    for p in corelib.library_problems(search):   # a core that does not parse is absent: say why
        click.echo(f"warning: FuseSoC: {p}", err=True)
    if as_json:
        click.echo(json.dumps([{"name": c.name, "description": c.description,
                                "core_file": str(c.core_file), "targets": list(c.targets),
                                "toplevels": c.toplevels,
                                "parameters": c.target_parameters} for c in cores],
                              indent=2, default=str))
        return
    rows = []
    for c in cores:
        for i, target in enumerate(c.targets):
            params = c.params_of(target)
            text = "(listed by a dependency: see the EDAM)" if params is None else \
                "\n".join(f"{k}={v.get('default', '?')} ({v.get('datatype', '?')})"
                          for k, v in params.items()) or "—"
            top = (c.toplevels or {}).get(target) or "none: set toplevel:"
            rows.append([c.name if i == 0 else "", target, top, text,
                         c.description if i == 0 else ""])
    console = Console(emoji=False)
    # the VLNV and the target are what a recipe's `core:` and `target:` take: never cut or
    # dropped (the target column went first at 80 columns)
    columns = [("core", NAME, None), ("target", NAME, None), ("toplevel", TEXT, 3),
               ("parameters", TEXT, 1), ("description", TEXT, 4)]
    table, dropped = fitted_table(console, columns, rows, title="Cores", title_justify="left",
                                  show_lines=True)
    print_fitted(console, table, dropped)
