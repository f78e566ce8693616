"""Compare summaries across devices, flows and vendors: one column per run, one row per metric.

Reads summaries only. ``table(summaries)`` is the library entry point; the CLI, the CSV/JSON
writers and the HTML page (``html_report``) all render its rows. A value that a summary does
not have stays ``None`` (shown as "—"): absent is never zero.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .summary import RESOURCE_KEYS, resource_pct

SCHEMA = "fpgaflow.compare/1"
ABSENT = "—"
LEGEND = (
    "% of device and memory bits are what compare fairly across architectures: a LUT4 (Lattice), "
    "a LUT6 (AMD/Xilinx) and an ALM (Intel) hold different amounts of logic, so raw LUT counts "
    "of different units do not compare. '—' means the flow does not report the value (absent, "
    "not zero). '≈' marks a Yosys estimate (synthesis only, no place-and-route: no timing or power "
    "of the real device).")

RESOURCE_NAMES = {"lut": "Logic (LUT/ALM)", "ff": "Flip-flops", "dsp": "DSP", "bram": "Block RAM",
                  "uram": "UltraRAM/SPRAM", "lutram": "LUT RAM", "carry": "Carry chains", "io": "I/O"}


@dataclass
class Run:
    """One column: a summary's device, flow and tools."""
    name: str
    part: str
    vendor: str
    family: str
    flow: str
    estimate: bool
    tools: str
    status: str
    path: str | None = None
    label: str = ""   # unique column label, set by runs()

    @property
    def header(self) -> str:
        """A longer column header: part, flow and tool versions."""
        return f"{self.part}\n{self.flow} · {self.tools}" + ("\n≈ estimate" if self.estimate else "")


@dataclass
class Row:
    """One metric across runs: raw ``values`` (None = absent) and display ``cells``."""
    section: str
    metric: str
    label: str
    values: list[Any]
    cells: list[str] = field(default_factory=list)


def run_of(s: dict[str, Any]) -> Run:
    device = s.get("device") or {}
    tools = ", ".join(f"{t.get('name')} {t.get('version', '')}".strip()
                      for t in s.get("tools") or [] if isinstance(t, dict)) or "unknown tool"
    return Run(name=str(s.get("name") or "?"), part=str(device.get("part") or "unknown part"),
               vendor=str(device.get("vendor") or "?"), family=str(device.get("family") or "?"),
               flow=str(s.get("flow") or "?"), estimate=bool(s.get("estimate")), tools=tools,
               status=str(s.get("status")), path=s.get("_path"))


def runs(summaries: list[dict[str, Any]]) -> list[Run]:
    """The columns, each with a label unique among them (part · flow, then the design, then #n)."""
    rs = [run_of(s) for s in summaries]
    for r in rs:
        r.label = f"{r.part} · {r.flow}" + (" (estimate)" if r.estimate and r.flow != "estimate" else "")
    for step in ("name", "index"):
        seen: dict[str, int] = {}
        for r in rs:
            seen[r.label] = seen.get(r.label, 0) + 1
        for i, r in enumerate(rs, start=1):
            if seen[r.label] > 1:
                r.label += f" · {r.name}" if step == "name" else f" #{i}"
    return rs


def table(summaries: list[dict[str, Any]]) -> list[Row]:
    """The comparison rows, in display order: run, resources, memory, timing, power, hls, sim, stages."""
    rows: list[Row] = []
    rows += _run_rows(summaries)
    rows += _resource_rows(summaries)
    rows += _timing_rows(summaries)
    rows += _section_rows(summaries, "power", [("total_w", "Power total", "W"),
                                               ("dynamic_w", "Power dynamic", "W"),
                                               ("static_w", "Power static", "W")])
    rows += _section_rows(summaries, "hls", [("latency_cycles", "HLS latency", "cycles"),
                                             ("interval", "HLS interval (II)", "cycles"),
                                             ("clock_estimated_ns", "HLS estimated clock", "ns")])
    rows += _section_rows(summaries, "sim", [("passed", "Simulation passed", ""),
                                             ("vectors", "Simulation vectors", ""),
                                             ("cycles_per_item", "Cycles per item", "cycles")])
    rows += _stage_rows(summaries)
    return [r for r in rows if any(v is not None for v in r.values)]


def _row(section: str, metric: str, label: str, values: list[Any], cells: list[str]) -> Row:
    return Row(section, metric, label, values, cells)


def _run_rows(summaries):
    rs = runs(summaries)
    out = []
    for metric, label, get in (("name", "Design", lambda r: r.name),
                               ("device.part", "Device", lambda r: r.part),
                               ("device.family", "Vendor / family", lambda r: f"{r.vendor} / {r.family}"),
                               ("flow", "Flow", lambda r: r.flow + (" (estimate)" if r.estimate and r.flow != "estimate" else "")),
                               ("tools", "Tools", lambda r: r.tools),
                               ("status", "Status", lambda r: r.status)):
        values = [get(r) for r in rs]
        out.append(_row("run", metric, label, values, [str(v) for v in values]))
    return out


def _resource_rows(summaries):
    out = []
    for key in RESOURCE_KEYS:
        entries = [(s.get("resources") or {}).get(key) for s in summaries]
        if not any(entries):
            continue
        name = RESOURCE_NAMES[key]
        used = [e.get("used") if e else None for e in entries]
        # a synthesis count beside a placed one is not the same quantity: each says its stage
        mixed = len({e.get("stage") for e in entries if e and e.get("stage")}) > 1
        out.append(_row("resources", f"{key}.used", f"{name} used", used,
                        [_mark(s, f"{_num(u)} {e.get('unit', '')}".strip()
                               + (f" [{e.get('stage', '?')}]" if mixed else ""))
                         if u is not None else ABSENT
                         for s, e, u in zip(summaries, entries, used)]))
        pct = [resource_pct(e) if e else None for e in entries]
        out.append(_row("resources", f"{key}.pct", f"{name} % of device", pct,
                        [_mark(s, f"{p:.1f} %") if p is not None else ABSENT for s, p in zip(summaries, pct)]))
        avail = [e.get("available") if e else None for e in entries]
        out.append(_row("resources", f"{key}.available", f"{name} available", avail,
                        [f"{_num(a)} {e.get('unit', '')}".strip() if a is not None else ABSENT
                         for e, a in zip(entries, avail)]))
        bits = [e.get("bits") if e else None for e in entries]
        out.append(_row("resources", f"{key}.bits", f"{name} bits", bits,
                        [_mark(s, _num(b)) if b is not None else ABSENT for s, b in zip(summaries, bits)]))
    totals = []
    for s in summaries:
        bits = [e.get("bits") for e in (s.get("resources") or {}).values()
                if isinstance(e, dict) and e.get("bits") is not None]
        totals.append(sum(bits) if bits else None)
    out.append(_row("memory", "memory.bits", "Memory bits (all RAM)", totals,
                    [_mark(s, _num(t)) if t is not None else ABSENT for s, t in zip(summaries, totals)]))
    return out


def clock_names(summaries: list[dict[str, Any]]) -> list[str]:
    """Clock names across runs, in order of first appearance."""
    names: list[str] = []
    for s in summaries:
        for c in (s.get("timing") or {}).get("clocks", []):
            if isinstance(c, dict) and c.get("name") is not None and c["name"] not in names:
                names.append(c["name"])
    return names


def clock(s: dict[str, Any], name: str) -> dict[str, Any] | None:
    for c in (s.get("timing") or {}).get("clocks", []):
        if isinstance(c, dict) and c.get("name") == name:
            return c
    return None


def _timing_rows(summaries):
    out = []
    timings = [s.get("timing") for s in summaries]
    met = [t.get("met") if t else None for t in timings]
    out.append(_row("timing", "timing.met", "Timing met", met,
                    [ABSENT if m is None else ("yes" if m else "NO") for m in met]))
    for key, label in (("wns_ns", "Worst setup slack"), ("whs_ns", "Worst hold slack")):
        vals = [t.get(key) if t else None for t in timings]
        out.append(_row("timing", f"timing.{key}", label, vals,
                        [ABSENT if v is None else f"{_num(v)} ns" for v in vals]))
    for name in clock_names(summaries):
        clocks = [clock(s, name) for s in summaries]
        fmax = [c.get("fmax_mhz") if c else None for c in clocks]
        target = [c.get("target_mhz") if c else None for c in clocks]
        cells = []
        for f, t in zip(fmax, target):
            if f is None:
                cells.append(ABSENT)
            elif t is None:
                cells.append(f"{_num(f)} MHz")
            else:
                cells.append(f"{_num(f)} MHz {'✓' if f >= t else '✗'}")
        out.append(_row("timing", f"{name}.fmax_mhz", f"Fmax {name}", fmax, cells))
        out.append(_row("timing", f"{name}.target_mhz", f"Target {name}", target,
                        [ABSENT if t is None else f"{_num(t)} MHz" for t in target]))
    return out


def _section_rows(summaries, section, fields):
    out = []
    for key, label, unit in fields:
        vals = [(s.get(section) or {}).get(key) for s in summaries]
        cells = []
        for v in vals:
            if v is None:
                cells.append(ABSENT)
            elif isinstance(v, bool):
                cells.append("yes" if v else "NO")
            elif isinstance(v, list):
                cells.append("–".join(_num(x) for x in v) + (f" {unit}" if unit else ""))
            else:
                cells.append(f"{_num(v)} {unit}".strip())
        out.append(_row(section, f"{section}.{key}", label, vals, cells))
    return out


def _stage_rows(summaries):
    names: list[str] = []
    for s in summaries:
        for st in s.get("stages") or []:
            if isinstance(st, dict) and st.get("name") not in names:
                names.append(st.get("name"))
    out = []
    for name in names:
        vals = []
        for s in summaries:
            st = next((x for x in s.get("stages") or [] if isinstance(x, dict) and x.get("name") == name), None)
            vals.append(st.get("seconds") if st else None)
        out.append(_row("stages", f"stages.{name}.seconds", f"Stage {name} time", vals,
                        [ABSENT if v is None else f"{v:.1f} s" for v in vals]))
    return out


def _mark(s: dict[str, Any], text: str) -> str:
    """Mark values that come from an estimate."""
    return f"≈ {text}" if s.get("estimate") else text


def _num(x: Any) -> str:
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return f"{int(x):,}"
    if isinstance(x, float):
        return f"{x:,.3f}".rstrip("0").rstrip(".")
    return str(x)


# --------------------------------------------------------------------------- outputs

def to_json(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    rs = runs(summaries)
    return {"schema": SCHEMA, "legend": LEGEND,
            "runs": [asdict(r) for r in rs],
            "rows": [asdict(row) for row in table(summaries)]}


def to_csv(summaries: list[dict[str, Any]]) -> str:
    """CSV of raw values: section, metric, label, then one column per run (empty = absent)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["section", "metric", "label"] + [r.label for r in runs(summaries)])
    for row in table(summaries):
        writer.writerow([row.section, row.metric, row.label] + [_csv_value(v) for v in row.values])
    return buf.getvalue()


def _csv_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "/".join(str(x) for x in v)
    if isinstance(v, float):
        return repr(round(v, 4))
    return str(v)


def print_table(summaries: list[dict[str, Any]], console) -> None:
    from rich.table import Table
    from rich.text import Text

    rs = runs(summaries)
    tbl = Table(title="fpgaflow compare", title_justify="left", show_lines=False)
    tbl.add_column("metric", style="bold")
    for r in rs:
        tbl.add_column(Text(r.header), justify="right")
    section = None
    for row in table(summaries):
        if section is not None and row.section != section:
            tbl.add_section()
        section = row.section
        tbl.add_row(Text(row.label), *[Text(c, style="red" if c in ("NO",) or c.endswith("✗") else "")
                                       for c in row.cells])
    console.print(tbl)
    console.print(Text("Legend: " + LEGEND, style="dim"))


# --------------------------------------------------------------------------- sweep results

SWEEP_SCHEMA = "fpgaflow.sweep/1"     # what ``sweep.write_results`` writes (sweep.json)
_NO_SUMMARY = ("pending", "invalid", "error")


@dataclass
class Objective:
    metric: str
    goal: str


@dataclass
class SweepResults:
    """A sweep result read back from its sweep.json (what ``fpgaflow compare`` expands)."""
    path: Path                          # the sweep.json
    name: str
    objectives: list[Objective]
    records: list[dict[str, Any]]       # the points, as sweep.json holds them
    front: list[str]                    # names of the points on the Pareto front

    @property
    def sweep_dir(self) -> Path:
        return self.path.parent


def is_sweep(path: str | Path) -> bool:
    """A sweep result: a directory holding sweep.json, or a sweep.json file."""
    p = Path(path)
    if p.is_dir():
        return (p / "sweep.json").is_file() and not (p / "summary.json").is_file()
    return p.name == "sweep.json"


def load_sweep(path: str | Path) -> SweepResults:
    """Read a sweep.json (or the sweep directory holding one); bad files are ``FpgaflowError`` s."""
    import json

    from .errors import FpgaflowError
    p = Path(path)
    if p.is_dir():
        p = p / "sweep.json"
    hint = "give the directory `fpgaflow sweep` wrote (OUT/sweep-NAME/) or its sweep.json"
    if not p.is_file():
        raise FpgaflowError("no sweep.json here", file=str(p), hint=hint)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FpgaflowError(f"cannot read: {exc}", file=str(p), hint=hint) from None
    except json.JSONDecodeError as exc:
        raise FpgaflowError(f"not valid JSON: {exc.msg}", file=str(p), line=exc.lineno,
                            hint="run `fpgaflow sweep SWEEP.yaml` again to rewrite it") from None
    if not isinstance(data, dict) or data.get("schema") != SWEEP_SCHEMA:
        got = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise FpgaflowError(f"not a fpgaflow sweep result: schema is {got!r}, expected "
                            f"{SWEEP_SCHEMA!r}", file=str(p), key="schema", hint=hint)
    points, objectives, front = data.get("points"), data.get("objectives") or [], data.get("pareto") or []
    if not isinstance(points, list) or not all(isinstance(r, dict) and isinstance(r.get("name"), str)
                                               for r in points):
        raise FpgaflowError("'points' is not a list of points with names", file=str(p), key="points",
                            hint="run `fpgaflow sweep SWEEP.yaml` again to rewrite it")
    if not isinstance(objectives, list) or not all(
            isinstance(o, dict) and isinstance(o.get("metric"), str) and o.get("goal") in ("min", "max")
            for o in objectives):
        raise FpgaflowError("'objectives' is not a list of {metric, goal: min|max}", file=str(p),
                            key="objectives", hint="run `fpgaflow sweep SWEEP.yaml` again to rewrite it")
    if not isinstance(front, list):
        raise FpgaflowError("'pareto' is not a list of point names", file=str(p), key="pareto")
    return SweepResults(path=p, name=str(data.get("name") or p.parent.name),
                        objectives=[Objective(o["metric"], o["goal"]) for o in objectives],
                        records=points, front=[str(n) for n in front])


def point_summary_path(record: dict[str, Any], sweep_dir: Path | None = None) -> Path | None:
    """The summary.json of a sweep point, or None when the point has none.

    The build directory is recorded as an absolute path; when the output directory was moved
    (a CI artifact), the point's build directory is looked up next to the sweep directory.
    """
    if record.get("status") in _NO_SUMMARY or not record.get("build_dir"):
        return None
    build_dir = Path(record["build_dir"])
    for d in (build_dir, *((sweep_dir.parent / build_dir.name,) if sweep_dir else ())):
        if (d / "summary.json").is_file():
            return d / "summary.json"
    return None


def sweep_summaries(records: list[dict[str, Any]], sweep_dir: Path | None = None,
                    strict: bool = False) -> list[dict[str, Any]]:
    """The summaries of the points that have one, in the sweep's order.

    ``strict``: an unreadable summary is an error (``fpgaflow compare``); otherwise it is left
    out (the sweep's own report page is a convenience).
    """
    from . import summary as summary_lib
    from .errors import FpgaflowError
    out = []
    for r in records:
        p = point_summary_path(r, sweep_dir)
        if p is None:
            continue
        try:
            out.append(summary_lib.load(p))
        except FpgaflowError:
            if strict:
                raise
    return out


def load_inputs(paths) -> tuple[list[dict[str, Any]], list[SweepResults]]:
    """``fpgaflow compare`` arguments -> the summaries (sweeps expanded in place) and the sweeps.

    A sweep point whose summary is also given directly (``compare build/*/`` names the sweep
    directory and the points' build directories) is shown once, where it was given directly.
    """
    from . import summary as summary_lib
    from .errors import FpgaflowError
    items: list[tuple[dict[str, Any], bool]] = []      # (summary, came from a sweep)
    sweeps: list[SweepResults] = []
    for path in paths:
        if not is_sweep(path):
            if Path(path).is_dir() and not (Path(path) / "summary.json").exists():
                raise FpgaflowError("no summary here (no summary.json, no sweep.json)", file=str(path),
                                    hint="give a summary.json, a build directory or a sweep "
                                         "directory (OUT/sweep-NAME/)")
            items.append((summary_lib.load(path), False))
            continue
        res = load_sweep(path)
        if any(res.path.resolve() == other.path.resolve() for other in sweeps):
            continue                                    # the same sweep given twice
        found = sweep_summaries(res.records, res.sweep_dir, strict=True)
        if not found:
            raise FpgaflowError(f"no point of sweep {res.name!r} has a summary yet "
                                f"({len(res.records)} points)", file=str(res.path),
                                hint="run (or finish) `fpgaflow sweep` for it first")
        items += [(s, True) for s in found]
        sweeps.append(res)

    def key(s):
        return str(Path(s["_path"]).resolve())
    direct = {key(s) for s, from_sweep in items if not from_sweep}
    summaries, seen = [], set()
    for s, from_sweep in items:
        if from_sweep and (key(s) in direct or key(s) in seen):
            continue
        seen.add(key(s))
        summaries.append(s)
    return summaries, sweeps
