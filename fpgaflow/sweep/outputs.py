"""Sweep outputs: metrics of a point, the Pareto front, sweep.json / sweep.csv, the SVG plot
and the HTML page (its Pareto section from templates/pareto.html.j2)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .spec import Sweep

SCHEMA = "fpgaflow.sweep/1"
COLUMNS = ["lut.used", "lut.pct", "ff.used", "dsp.used", "bram.used", "fmax_mhz",
           "sim.cycles_per_item"]
FAILED = ("failed", "incomplete", "invalid", "error")


def metric(summary: dict[str, Any], name: str) -> Any:
    """A metric of a summary (``lut.pct``, ``fmax_mhz``, ``sim.cycles_per_item``) or None."""
    from .. import gate
    try:
        value = gate.metric_value(summary, tuple(name.split(".")))
    except (gate.Missing, KeyError, TypeError, IndexError):
        return None
    return round(value, 4) if isinstance(value, float) else value


def metric_names(sweep: Sweep) -> list[str]:
    names = list(COLUMNS)
    for o in sweep.objectives:
        if o.metric not in names:
            names.append(o.metric)
    return names



def dominates(a: tuple, b: tuple, goals: list[str]) -> bool:
    """True when ``a`` is at least as good as ``b`` on every objective and better on one."""
    better = False
    for x, y, goal in zip(a, b, goals):
        if goal == "max":
            x, y = -x, -y
        if x > y:
            return False
        if x < y:
            better = True
    return better


def pareto_front(values: list[tuple | None], goals: list[str]) -> list[int]:
    """Indices of the non-dominated points (``None`` entries: points without values)."""
    idx = [i for i, v in enumerate(values) if v is not None]
    return [i for i in idx if not any(dominates(values[j], values[i], goals) for j in idx if j != i)]


def _front(sweep: Sweep, records: list[dict]) -> list[str]:
    if not sweep.objectives:
        return []
    values = []
    for r in records:
        m = r.get("metrics") or {}
        v = tuple(m.get(o.metric) for o in sweep.objectives)
        ok = r["status"] in ("passed", "timing-failed") and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)
        values.append(v if ok else None)
    idx = pareto_front(values, [o.goal for o in sweep.objectives])
    for i, r in enumerate(records):
        r["pareto"] = i in idx
    return [records[i]["name"] for i in idx]


def counts(records: list[dict]) -> dict[str, int]:
    c = {"total": len(records), "passed": 0, "failed": 0, "cached": 0, "pending": 0}
    for r in records:
        if r["status"] == "pending":
            c["pending"] += 1
        elif r["status"] == "passed":
            c["passed"] += 1
        else:
            c["failed"] += 1
        c["cached"] += bool(r.get("cached"))
    return c


def results_key(sweep: Sweep, records: list[dict]) -> str:
    """A digest of what the plot and the HTML page show: unchanged -> not drawn again."""
    import hashlib
    import json
    material = [[o.metric, o.goal] for o in sweep.objectives] + [
        [r["name"], r.get("digest"), r["status"], r.get("metrics"), r.get("pareto")]
        for r in records]
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


def _previous_key(sweep_dir: Path) -> str | None:
    import json
    try:
        return json.loads((sweep_dir / "sweep.json").read_text()).get("results_key")
    except (OSError, ValueError, AttributeError):
        return None


def _write_json(sweep: Sweep, sweep_dir: Path, records: list[dict], front: list[str],
                key: str | None = None) -> Path:
    import json
    sweep_dir.mkdir(parents=True, exist_ok=True)
    data = {"schema": SCHEMA, "name": sweep.name, "sweep": str(sweep.path), "results_key": key,
            "objectives": [{"metric": o.metric, "goal": o.goal} for o in sweep.objectives],
            "counts": counts(records), "pareto": front, "points": records}
    path = sweep_dir / "sweep.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n")
    tmp.replace(path)
    return path


def param_names(records: list[dict]) -> list[str]:
    out: list[str] = []
    for r in records:
        for k in r.get("parameters", {}):
            if k not in out:
                out.append(k)
    return out


def to_csv(sweep: Sweep, records: list[dict]) -> str:
    import csv
    import io
    params, names = param_names(records), metric_names(sweep)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["name", "status", "cached", "board", "flow", *params, *names, "pareto",
                "seconds", "build_dir", "error"])
    for r in records:
        m = r.get("metrics") or {}
        w.writerow([r["name"], r["status"], r.get("cached", False), r.get("board") or "",
                    r.get("flow") or "", *[r["parameters"].get(p, "") for p in params],
                    *["" if m.get(n) is None else m[n] for n in names], r.get("pareto", False),
                    "" if r.get("seconds") is None else r["seconds"], r.get("build_dir", ""),
                    (r.get("error") or "").splitlines()[0] if r.get("error") else ""])
    return buf.getvalue()


def write_results(sweep: Sweep, sweep_dir: Path, records: list[dict], front: list[str],
                  previous_key: str | None = None) -> dict[str, Path]:
    """sweep.json, sweep.csv, pareto.svg and report.html in the sweep directory.

    The plot and the page (matplotlib: seconds) are kept from the last run when the results
    they show are the same (a sweep served from cache).
    """
    key = results_key(sweep, records)
    files = {"json": _write_json(sweep, sweep_dir, records, front, key)}
    (sweep_dir / "sweep.csv").write_text(to_csv(sweep, records))
    files["csv"] = sweep_dir / "sweep.csv"
    if key == previous_key:
        for kind, name in (("plot", "pareto.svg"), ("html", "report.html")):
            if (sweep_dir / name).is_file():
                files[kind] = sweep_dir / name
        return files
    for name in ("pareto.svg", "report.html"):
        (sweep_dir / name).unlink(missing_ok=True)
    svg = plot_front(sweep, records)
    if svg is not None:
        (sweep_dir / "pareto.svg").write_text(svg)
        files["plot"] = sweep_dir / "pareto.svg"
    html = html_page(sweep, records, front, svg)
    if html is not None:
        (sweep_dir / "report.html").write_text(html, encoding="utf-8")
        files["html"] = sweep_dir / "report.html"
    return files


def plot_front(sweep: Sweep, records: list[dict]) -> str | None:
    """An SVG scatter of the first two objectives, the front highlighted (None: nothing to plot)."""
    if len(sweep.objectives) < 2:
        return None
    ox, oy = sweep.objectives[:2]
    pts = [(r["metrics"][ox.metric], r["metrics"][oy.metric], r) for r in records
           if r.get("metrics") and isinstance(r["metrics"].get(ox.metric), (int, float))
           and isinstance(r["metrics"].get(oy.metric), (int, float))]
    if not pts:
        return None
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    import io
    fig, ax = plt.subplots(figsize=(7, 4.5))
    rest = [(x, y) for x, y, r in pts if not r.get("pareto")]
    front = sorted([(x, y, r["name"]) for x, y, r in pts if r.get("pareto")])
    if rest:
        ax.scatter(*zip(*rest), color="#8c959f", s=22, label="dominated")
    if front:
        xs, ys, labels = zip(*front)
        ax.plot(xs, ys, color="#0072B2", linewidth=1, alpha=0.6, drawstyle="steps-post")
        ax.scatter(xs, ys, color="#0072B2", s=40, zorder=3, label="Pareto front")
        prefix = sweep.name + "-"
        for x, y, label in front:
            ax.annotate(label.removeprefix(prefix), (x, y), xytext=(4, 4),
                        textcoords="offset points", fontsize=7)
    ax.set_xlabel(f"{ox.metric} ({ox.goal})")
    ax.set_ylabel(f"{oy.metric} ({oy.goal})")
    ax.set_title(f"sweep {sweep.name}: {len(pts)} points, {len(front)} on the front",
                 fontsize=10, loc="left")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    return buf.getvalue()


def html_page(sweep: Sweep, records: list[dict], front: list[str], svg: str | None) -> str | None:
    """The compare page of the points that have a summary, with the Pareto section."""
    from .. import compare
    summaries = compare.sweep_summaries(records)
    if not summaries:
        return None
    try:
        from .. import html_report
        return html_report.render(summaries, title=f"fpgaflow sweep {sweep.name}",
                                  extra_sections=[pareto_section(sweep, records, front, svg)])
    except Exception:  # noqa: BLE001 - the report is a convenience; the CSV/JSON are the results
        return None


def pareto_section(sweep, records: list[dict], front: list[str], svg: str | None, *,
                   section_id: str | None = None):
    """The Pareto section of an HTML page (``html_report.Section``): objectives, plot, front table.

    ``sweep`` is a ``Sweep`` or anything with ``name`` and ``objectives`` (``fpgaflow compare``
    passes the ``compare.SweepResults`` it read from sweep.json); ``svg`` comes from
    ``plot_front``. The one place that writes this markup, for ``fpgaflow sweep``'s report.html
    and for ``fpgaflow compare --html``.
    """
    from jinja2 import Environment, PackageLoader
    from markupsafe import Markup

    from .. import html_report
    if svg:
        svg = svg[svg.find("<svg"):]
        svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
        svg = svg.replace("<svg ", '<svg class="chart" data-chart="pareto" role="img" ', 1)
    on_front = set(front)
    rows = [(r["name"], [(r.get("metrics") or {}).get(o.metric) for o in sweep.objectives])
            for r in records if r["name"] in on_front]
    env = Environment(loader=PackageLoader("fpgaflow", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    body = env.get_template("pareto.html.j2").render(
        objectives=sweep.objectives, rows=rows, front=front, total=len(records),
        svg=Markup(svg) if svg else None, absent="—")
    return html_report.Section(title=f"Pareto front: sweep {sweep.name}", body=Markup(body),
                               id=section_id or f"pareto-{sweep.name}")
