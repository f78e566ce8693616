"""fpgaflow boards: the boards and their devices, with datasheet capacities."""

from __future__ import annotations

import json

import click
from rich.console import Console

from .. import boards as boards_mod
from ..render import NAME, NUMBER, TEXT, fitted_table, print_fitted


@click.command("boards")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def command(as_json):
    """List the boards and devices with their capacities and usable flows."""
    found = boards_mod.all_boards()
    if as_json:
        click.echo(json.dumps([{
            "board": b.name, "part": b.part, "device": b.device.key, "vendor": b.device.vendor,
            "family": b.device.family, "flows": b.device.flows(), "resources": b.device.resources,
            "datasheet": b.device.datasheet, "file": str(b.path)} for b in found.values()], indent=2))
        return
    rows = []
    for b in found.values():
        r = b.device.resources

        def cap(key):
            e = r.get(key)
            return f"{e['count']:,} {e['unit']}" if e else "—"
        bits = sum(e.get("bits", 0) for k, e in r.items() if k in ("bram", "uram"))
        rows.append([b.name, b.part, f"{b.device.vendor} {b.device.family}",
                     " ".join(["auto", *b.device.flows()]), cap("lut"), cap("ff"), cap("dsp"),
                     cap("bram"), f"{bits // 1024:,}", cap("io")])
    console = Console(emoji=False)
    # board and part are what a user copies into a recipe: never cut; other columns go first
    columns = [("board", NAME, None), ("part", NAME, None), ("family", TEXT, 4),
               ("flows", TEXT, 5), ("LUT", NUMBER, None), ("FF", NUMBER, 6), ("DSP", NUMBER, 3),
               ("block RAM", NUMBER, 2), ("memory Kb", NUMBER, 8), ("I/O", NUMBER, 7)]
    table, dropped = fitted_table(console, columns, rows, title="Boards", title_justify="left")
    print_fitted(console, table, dropped)
    console.print("Capacities are datasheet figures (`fpgaflow boards --json` names each datasheet).",
                  style="dim")
