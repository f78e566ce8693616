"""fpgaflow boards: the boards and their devices, with datasheet capacities."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from .. import boards as boards_mod


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
    t = Table(title="Boards", title_justify="left")
    for col in ("board", "part", "family", "flows", "LUT", "FF", "DSP", "block RAM", "memory Kb", "I/O"):
        t.add_column(col, justify="right" if col in ("LUT", "FF", "DSP", "block RAM", "memory Kb", "I/O") else "left")
    for b in found.values():
        r = b.device.resources

        def cap(key):
            e = r.get(key)
            return f"{e['count']:,} {e['unit']}" if e else "—"
        bits = sum(e.get("bits", 0) for k, e in r.items() if k in ("bram", "uram"))
        t.add_row(b.name, b.part, f"{b.device.vendor} {b.device.family}",
                  " ".join(["auto", *b.device.flows()]), cap("lut"), cap("ff"), cap("dsp"),
                  cap("bram"), f"{bits // 1024:,}", cap("io"))
    console = Console()
    console.print(t)
    console.print("Capacities are datasheet figures (`fpgaflow boards --json` names each datasheet).",
                  style="dim")
