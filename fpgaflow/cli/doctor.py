"""fpgaflow doctor: which tools are found (native or YoWASP), and their versions."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from .. import toolchain
from ..flows.sim import ap_types_dir

TOOLS = ["yosys", "nextpnr-ecp5", "nextpnr-ice40", "iverilog", "verilator", "g++",
         "vivado", "vitis_hls", "quartus_sh"]


@click.command("doctor")
@click.option("--warm", is_flag=True,
              help="Compile the YoWASP tools once now (1-3 minutes each on first use).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def command(warm, as_json):
    """Show which tools are found (native or YoWASP), their versions, and what is missing."""
    err = Console(stderr=True)
    if warm:
        for name in toolchain.YOWASP:
            tool = toolchain.resolve(name, announce=lambda m: err.print(m, style="yellow"))
            if tool and tool.via == "yowasp":
                # the version probe ran the tool once, so its WebAssembly is compiled now
                err.print(f"{name}: ready ({tool.path})", style="green")
    rows = toolchain.report(TOOLS)
    ap = ap_types_dir()
    if as_json:
        click.echo(json.dumps({"tools": rows, "ap_types": ap}, indent=2))
        return
    t = Table(title="Tools", title_justify="left")
    for col in ("tool", "found", "version", "via", "path", "note"):
        t.add_column(col)
    for r in rows:
        note = r.get("note", "")
        if r.get("yowasp_cold"):
            note = (note + "; " if note else "") + "not compiled yet: `fpgaflow doctor --warm`"
        t.add_row(r["name"], "yes" if r["found"] else "[red]no[/]", r.get("version", ""),
                  r.get("via", ""), r.get("path", ""), note)
    t.add_row("ap_types (hls4ml)", "yes" if ap else "[red]no[/]", "", "hls4ml", ap or "",
              "" if ap else "pip install --no-deps hls4ml")
    Console().print(t)
