"""Summaries rendered for people: rich tables on the console.

Reads a summary dict only (never a tool report). Estimates are said loudly.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .summary import RESOURCE_KEYS, fit_note, resource_pct

STATUS_STYLE = {"passed": "bold green", "failed": "bold red", "incomplete": "bold yellow",
                "timing-failed": "bold red", "skipped": "dim"}


def _num(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.1f}"
    return f"{int(v):,}"


def summary_renderable(s: dict, *, cached: bool = False, build_dir: str | None = None):
    dev = s.get("device", {})
    title = Text.assemble((s.get("name", "?"), "bold"), "  ", dev.get("part", "?"),
                          f"  ({dev.get('vendor', '?')} {dev.get('family', '?')})",
                          "  flow: ", (s.get("flow", "?"), "bold"))
    parts = []
    if s.get("estimate"):
        needs = ", ".join(s.get("needs_vendor", [])) or "place-and-route, power"
        parts.append(Text(f"ESTIMATE: resource counts from Yosys technology mapping, not the vendor "
                          f"tool. Needs the vendor tool: {needs}.", style="bold yellow"))
    for note in s.get("notes", []):
        if note.startswith("does not fit:"):
            continue                            # in red under the resources table
        if not note.startswith("flow:") and not (s.get("estimate") and note.startswith("Yosys estimate")):
            parts.append(Text(f"note: {note}", style="yellow"))

    res = s.get("resources", {})
    over: list[str] = []
    if res:
        t = Table(box=box.SIMPLE_HEAD, title="Resources", title_justify="left", title_style="bold")
        for col, just in (("resource", "left"), ("used", "right"), ("available", "right"),
                          ("%", "right"), ("unit", "left"), ("memory bits", "right")):
            t.add_column(col, justify=just)
        for key in RESOURCE_KEYS:
            if key not in res:
                continue
            e = res[key]
            pct = resource_pct(e)
            if pct is not None and pct > 100:
                over.append(key)
            t.add_row(Text(key), _num(e.get("used")), _num(e.get("available")),
                      "—" if pct is None else Text(f"{pct:.1f}", "bold red" if pct > 100 else ""),
                      Text(str(e.get("unit", ""))),
                      _num(e.get("bits")) if "bits" in e else "")
        parts.append(t)
        if over:    # the summary's note (a summary from before it: the same words)
            fit = next((n for n in s.get("notes", []) if n.startswith("does not fit:")), None)
            parts.append(Text((fit or fit_note(s) or "")
                              + (" (a core with more ports than pins: build it out of context, "
                                 "options: {out_of_context: true})" if over == ["io"] else ""),
                              style="bold red"))

    uncon = res.get("io", {}).get("unconstrained")
    if uncon:
        names = res["io"].get("unconstrained_ports", [])
        parts.append(Text(f"io: {uncon} pin(s) not constrained, placed anywhere by nextpnr: "
                          + ", ".join(names[:8]) + (" ..." if len(names) > 8 else ""),
                          style="bold yellow"))
    timing = s.get("timing")
    if timing and timing.get("clocks"):
        t = Table(box=box.SIMPLE_HEAD, title="Timing", title_justify="left", title_style="bold")
        for col, just in (("clock", "left"), ("target MHz", "right"), ("Fmax MHz", "right"),
                          ("slack ns", "right"), ("met", "left")):
            t.add_column(col, justify=just)
        for c in timing["clocks"]:
            met = c.get("met")
            t.add_row(Text(str(c.get("name", "?"))), _f(c.get("target_mhz")), _f(c.get("fmax_mhz")),
                      _f(c.get("wns_ns"), 3),
                      Text("yes", "green") if met else Text("NO", "bold red") if met is False else "—")
        parts.append(t)
    if timing and timing.get("constrained") is False:
        # the tool checked nothing: no verdict, whatever its clock table says
        parts.append(Text("Timing: the design has no timing constraints; nothing was checked "
                          "(give the recipe `clocks:`).", style="yellow"))
    elif not (timing and timing.get("clocks")) and "timing" in s.get("needs_vendor", []):
        parts.append(Text("Timing: not available from a Yosys estimate (needs place-and-route).",
                          style="yellow"))
    elif not timing and any(st.get("name") == "pnr" and st.get("status") == "passed"
                            for st in s.get("stages", [])):
        # nextpnr gives a clock no Fmax when no path starts and ends at its registers
        parts.append(Text("Timing: place-and-route reported no clock: no path between "
                          "registers on the design's clocks, so nothing was timed.",
                          style="yellow"))

    if s.get("power"):
        p = s["power"]
        parts.append(Text(f"Power: total {_f(p.get('total_w'), 3)} W (dynamic {_f(p.get('dynamic_w'), 3)} W,"
                          f" static {_f(p.get('static_w'), 3)} W) — {p.get('source', '')}"))
    for key in ("csim", "sim"):
        if s.get(key):
            v = s[key]
            if v.get("vectors") is None and v.get("checked_by") == "exit status":
                parts.append(Text(f"{key}: passed — the testbench exited 0 (it prints no "
                                  "FPGAFLOW_SIM line, so what it checked is its own)",
                                  style="green"))
                continue
            line = (f"{key}: {'passed' if v.get('passed') else 'FAILED'} — {v.get('vectors')} vectors, "
                    f"{v.get('mismatches')} mismatches")
            if "cycles_per_item" in v:
                line += f", {v['cycles_per_item']} cycles/item"
                if v.get("cycles_per_item_bound"):
                    ratio = v["cycles_per_item"] / v["cycles_per_item_bound"]
                    line += f" (folding bound {v['cycles_per_item_bound']}, ratio {ratio:.3f})"
            parts.append(Text(line, style="green" if v.get("passed") else "bold red"))

    t = Table(box=box.SIMPLE_HEAD, title="Stages and tools", title_justify="left", title_style="bold")
    for col, just in (("stage", "left"), ("status", "left"), ("seconds", "right"), ("log", "left")):
        t.add_column(col, justify=just)
    for st in s.get("stages", []):
        status = st["status"] + (" (cached)" if st.get("cached") else "")
        t.add_row(Text(str(st["name"])), Text(str(status), STATUS_STYLE.get(st["status"], "")),
                  f"{st.get('seconds', 0):.1f}", Text(str(st.get("log", ""))))
    parts.append(t)
    tools = ", ".join(f"{x['name']} {x.get('version', '?')}" + (f" ({x['via']})" if x.get("via") else "") for x in s.get("tools", []))
    if tools:
        parts.append(Text(f"tools: {tools}", style="dim"))
    for kind, name in (s.get("artifacts") or {}).items():
        parts.append(Text(f"{kind}: {build_dir + '/' if build_dir else ''}{name}", style="bold"))
    status = s.get("status", "?")
    footer = Text.assemble("status: ", (status, STATUS_STYLE.get(status, "")))
    if cached:
        footer.append("  (served from cache)", style="cyan")
    if build_dir:
        footer.append(f"  {build_dir}/summary.json", style="dim")
    parts.append(footer)
    return Panel(Group(*parts), title=title, title_align="left", expand=False)


def _f(v, digits: int = 1) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


def print_summary(s: dict, console: Console | None = None, **kw) -> None:
    (console or Console(emoji=False)).print(summary_renderable(s, **kw))


# --- tables that fit the terminal -----------------------------------------------------------
NAME, NUMBER, TEXT = "name", "number", "text"


def fitted_table(console: Console, columns: list[tuple[str, str, int | None]],
                 rows: list[list[str]], **table_kw) -> tuple[Table, list[str]]:
    """A table that fits ``console.width`` without an ellipsis in any cell.

    ``columns``: (header, kind, drop) with kind ``NAME`` (what a user copies: boards, parts,
    VLNVs, paths: never wrapped or cut, folded only when it alone is wider than the screen),
    ``NUMBER`` (right-aligned) or ``TEXT``, both wrapped between words, never inside one;
    ``drop`` orders the columns that may go
    when the table is too wide (highest first; None: always kept). Returns the table and the
    headers dropped."""
    def natural(i: int) -> int:
        cells = [str(r[i]) for r in rows] + [columns[i][0]]
        return max((len(line) for c in cells for line in c.splitlines() or [""]), default=1)

    def minimum(i: int) -> int:
        if columns[i][1] == NAME:
            return natural(i)
        words = [w for r in rows for w in str(r[i]).split()] + columns[i][0].split()
        return min(natural(i), max(map(len, words), default=1))

    keep = list(range(len(columns)))
    droppable = sorted((i for i, c in enumerate(columns) if c[2] is not None),
                       key=lambda i: -columns[i][2])
    overhead = lambda n: 3 * n + 1  # noqa: E731 - padding and borders of a boxed table
    while droppable and sum(minimum(i) for i in keep) + overhead(len(keep)) > console.width:
        keep.remove(droppable.pop(0))
    # widths: every column at its natural width, then the widest wrappable one narrowed a
    # character at a time (never below its longest word) until the table fits
    width = {i: natural(i) for i in keep}
    while sum(width.values()) + overhead(len(keep)) > console.width:
        shrinkable = [i for i in keep if columns[i][1] != NAME and width[i] > minimum(i)] \
            or [i for i in keep if width[i] > 8]  # a name alone wider than the screen: fold it
        if not shrinkable:
            break
        width[max(shrinkable, key=lambda i: width[i])] -= 1
    t = Table(**table_kw)
    for i in keep:
        header, kind, _ = columns[i]
        t.add_column(header, justify="right" if kind == NUMBER else "left",
                     overflow="fold", width=width[i])
    for r in rows:
        t.add_row(*(Text(str(r[i])) for i in keep))
    return t, [columns[i][0] for i in range(len(columns)) if i not in keep]


def print_fitted(console: Console, table: Table, dropped: list[str]) -> None:
    console.print(table)
    if dropped:
        console.print(f"(not shown, to fit {console.width} columns: {', '.join(dropped)}; "
                      "--json has everything)", style="dim")
