"""fpgaflow doctor: which tools are found (native or YoWASP), and their versions."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from .. import toolchain
from ..flows import registry
from ..flows.sim import ap_types_dir
from ..render import NAME, TEXT, fitted_table, print_fitted


def tool_flows() -> dict[str, list[str]]:
    """Every tool the flows declare -> the flows (modules) that run it."""
    out: dict[str, list[str]] = {name: [] for name in registry().tools()}
    for f in registry().flows:
        for t in f.tools:
            out[t.name].append(f.key)
    return out


def print_options(console: Console) -> None:
    for f in registry().flows:
        t = Table(title=f"flow {f.name} ({f.key}): {f.summary}; families: "
                        f"{', '.join(f.families or ['any with a Yosys mapping'])}",
                  title_justify="left")
        for col in ("option", "type", "default", "help"):
            t.add_column(col)
        for name, field in f.options.model_fields.items():
            default = field.get_default(call_default_factory=True)
            t.add_row(name, str(field.annotation).replace("typing.", ""), repr(default),
                      field.description or "")
        console.print(t)


@click.command("doctor")
@click.option("--warm", is_flag=True,
              help="Compile the YoWASP tools once now (1-3 minutes each on first use).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--options", "show_options", is_flag=True,
              help="List each flow's options (what a recipe's `options:` may hold).")
def command(warm, as_json, show_options):
    """Show which tools are found (native or YoWASP), their versions, and what is missing."""
    err = Console(emoji=False, stderr=True)
    if show_options:
        print_options(Console(emoji=False))
        return
    users = tool_flows()
    if warm:
        for name, spec in registry().tools().items():
            if not spec.yowasp:
                continue
            tool = toolchain.resolve(name, announce=lambda m: err.print(m, style="yellow"))
            if tool and tool.via == "yowasp":
                # the version probe ran the tool once, so its WebAssembly is compiled now
                err.print(f"{name}: ready ({tool.path})", style="green")
    rows = toolchain.report(list(users))
    for r in rows:
        r["flows"] = users[r["name"]] or ["sim/csim"]
    ap = ap_types_dir()
    if as_json:
        click.echo(json.dumps({"tools": rows, "ap_types": ap}, indent=2))
        return
    rows_out = []
    for r in rows:
        note = r.get("note", "") or ("" if r["found"] else r.get("hint", ""))
        if r.get("yowasp_cold"):
            note = (note + "; " if note else "") + "not compiled yet: `fpgaflow doctor --warm`"
        rows_out.append([r["name"], " ".join(r["flows"]), "yes" if r["found"] else "no",
                         r.get("version", ""), r.get("via", ""), r.get("path", ""), note])
    rows_out.append(["ap_types (hls4ml)", "csim", "yes" if ap else "no", "", "hls4ml", ap or "",
                     "" if ap else "pip install --no-deps hls4ml"])
    console = Console(emoji=False)
    # the tool's name and version are what a user looks up or copies: never cut; the path
    # (in --json) goes first, then how it was found, then the flows
    columns = [("tool", NAME, None), ("flows", TEXT, 3), ("found", TEXT, None),
               ("version", NAME, None), ("via", TEXT, 4), ("path", NAME, 5), ("note", TEXT, 2)]
    table, dropped = fitted_table(console, columns, rows_out, title="Tools", title_justify="left")
    print_fitted(console, table, dropped)
