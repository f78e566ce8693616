"""The compare page: one self-contained HTML file (no network needed to view it).

The table comes from ``compare.table``; the charts (utilization % per resource per device,
Fmax against target per clock) are drawn by matplotlib and inlined as SVG; Jinja2 renders
the page. Nothing is loaded from outside the file: no scripts, fonts or images by URL.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from dataclasses import dataclass
from typing import Any, Iterable

from jinja2 import Environment
from markupsafe import Markup

from . import compare
from .errors import FpgaflowError
from .summary import RESOURCE_KEYS, resource_pct

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise FpgaflowError("the HTML report needs matplotlib", hint="pip install matplotlib") from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    return plt


def _svg(fig, salt: str) -> Markup:
    """A figure as an inline <svg> element (text kept as text, ids unique per chart)."""
    plt = _pyplot()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]                     # drop the XML declaration and DOCTYPE
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = text.replace("<svg ", f'<svg class="chart" data-chart="{salt}" role="img" ', 1)
    return Markup(text)


def utilization_chart(summaries: list[dict[str, Any]]) -> Markup | None:
    """Grouped bars: % of the device used, per resource (x) and run (colour)."""
    keys = [k for k in RESOURCE_KEYS
            if any(resource_pct((s.get("resources") or {}).get(k) or {}) is not None for s in summaries)]
    if not keys:
        return None
    plt = _pyplot()
    rs = compare.runs(summaries)
    width = 0.8 / len(rs)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(keys) * max(1, len(rs) / 2.5)), 3.8))
    for i, (run, s) in enumerate(zip(rs, summaries)):
        xs, ys = [], []
        for j, k in enumerate(keys):
            pct = resource_pct((s.get("resources") or {}).get(k) or {})
            if pct is not None:
                xs.append(j - 0.4 + width * (i + 0.5))
                ys.append(pct)
        ax.bar(xs, ys, width=width * 0.92, color=PALETTE[i % len(PALETTE)],
               hatch="//" if run.estimate else None, edgecolor="white" if not run.estimate else "#333",
               linewidth=0.5, label=run.label)
    ax.set_xticks(range(len(keys)), [compare.RESOURCE_NAMES[k] for k in keys], fontsize=9)
    ax.set_ylabel("% of device")
    ax.set_ylim(0, max(100.0, ax.get_ylim()[1]))
    ax.axhline(100, color="#999", linewidth=0.8, linestyle=":")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title("Utilization: % of device per resource (hatched: estimate)", fontsize=11, loc="left")
    return _svg(fig, "utilization")


def fmax_chart(summaries: list[dict[str, Any]]) -> Markup | None:
    """Grouped bars: the achieved Fmax per clock (x) and run (colour), the target as a black tick."""
    names = [n for n in compare.clock_names(summaries)
             if any((compare.clock(s, n) or {}).get("fmax_mhz") is not None for s in summaries)]
    if not names:
        return None
    plt = _pyplot()
    rs = compare.runs(summaries)
    width = 0.8 / len(rs)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.4 * len(names) * max(1, len(rs) / 2.5)), 3.8))
    target_labelled = False
    for i, (run, s) in enumerate(zip(rs, summaries)):
        labelled = False
        for j, name in enumerate(names):
            c = compare.clock(s, name) or {}
            fmax, target = c.get("fmax_mhz"), c.get("target_mhz")
            if fmax is None:
                continue
            x = j - 0.4 + width * (i + 0.5)
            missed = target is not None and fmax < target
            ax.bar(x, fmax, width=width * 0.92, color=PALETTE[i % len(PALETTE)],
                   hatch="//" if run.estimate else None, edgecolor="#B42318" if missed else "white",
                   linewidth=1.8 if missed else 0.5, label=None if labelled else run.label)
            labelled = True
            ax.annotate(f"{fmax:.0f}" + (" ✗" if missed else ""), (x, fmax), xytext=(0, 2),
                        textcoords="offset points", ha="center", fontsize=7,
                        color="#B42318" if missed else "#333")
            if target is not None:
                ax.hlines(target, x - width * 0.5, x + width * 0.5, colors="black", linewidth=2.2,
                          label=None if target_labelled else "target")
                target_labelled = True
    ax.set_xticks(range(len(names)), names, fontsize=9)
    ax.set_xlabel("clock")
    ax.set_ylabel("MHz")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title("Fmax per clock against its target (black tick; ✗ red edge: target missed)",
                 fontsize=11, loc="left")
    return _svg(fig, "fmax")


@dataclass
class Section:
    """A section after the table and charts: a heading and a body of trusted ``Markup``.

    The body must come from a template with autoescape on (``Markup``); a plain ``str`` is
    escaped like any other value.
    """
    title: str
    body: Markup | str
    id: str | None = None


def render(summaries: list[dict[str, Any]], title: str = "fpgaflow compare",
           extra_sections: Iterable[Section | tuple] = ()) -> str:
    """The whole page as a string.

    ``extra_sections``: ``Section`` s or ``(title, body[, id])`` tuples, shown after the charts
    (``fpgaflow compare`` of a sweep adds its Pareto front this way).
    """
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    page = env.from_string(TEMPLATE)
    rows = compare.table(summaries)
    sections: list[tuple[str, list[compare.Row]]] = []
    for row in rows:
        if not sections or sections[-1][0] != row.section:
            sections.append((row.section, []))
        sections[-1][1].append(row)
    return page.render(
        title=title, legend=compare.LEGEND, section_titles=SECTION_TITLES, runs=compare.runs(summaries), sections=sections,
        charts=[("Utilization", utilization_chart(summaries),
                 "No resource percentages: the summaries have no device capacities."),
                ("Fmax against target", fmax_chart(summaries),
                 "No clock in these summaries has an Fmax (estimates have no timing).")],
        extra_sections=[x if isinstance(x, Section) else Section(*x) for x in extra_sections],
        generated=_dt.datetime.now().strftime("%Y-%m-%d %H:%M"))


SECTION_TITLES = {"run": "Run", "resources": "Resources", "memory": "Memory", "timing": "Timing",
                  "power": "Power", "hls": "HLS", "sim": "Simulation", "stages": "Stage times"}

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
  :root { color-scheme: light; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
         margin: 2rem; color: #1b1f24; background: #fff; }
  h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
  .meta { color: #57606a; margin: 0 0 1rem; font-size: .9rem; }
  .legend { background: #f6f8fa; border-left: 4px solid #0072B2; padding: .6rem .9rem;
            font-size: .9rem; max-width: 70rem; }
  .scroll { overflow-x: auto; margin: 1.2rem 0; }
  table { border-collapse: collapse; font-size: .85rem; }
  th, td { border-bottom: 1px solid #d0d7de; padding: .25rem .6rem; text-align: right; white-space: nowrap; }
  tr[data-metric="tools"] td, thead th { white-space: normal; min-width: 7rem; max-width: 13rem; }
  th.metric, td.metric { text-align: left; position: sticky; left: 0; background: #fff; }
  thead th { background: #f6f8fa; vertical-align: bottom; }
  thead .part { font-weight: 700; display: block; }
  thead .tools { font-weight: 400; color: #57606a; display: block; }
  tr.section th { text-align: left; background: #eef1f4; font-size: .8rem; text-transform: uppercase;
                  letter-spacing: .04em; }
  td.absent { color: #8c959f; }
  td.bad { color: #b42318; font-weight: 700; }
  .badge { display: inline-block; background: #fff3cd; color: #7a5b00; border: 1px solid #e6c65c;
           border-radius: 3px; padding: 0 .35rem; font-size: .75rem; font-weight: 600; }
  figure { margin: 1.5rem 0; }
  figcaption { font-weight: 600; margin-bottom: .4rem; }
  svg.chart { max-width: 100%; height: auto; }
  .nochart { color: #57606a; font-style: italic; }
  section.extra { margin: 2rem 0; }
  h2 { font-size: 1.2rem; margin: 0 0 .4rem; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p class="meta">{{ runs|length }} runs · generated {{ generated }} by fpgaflow</p>
<p class="legend" id="legend"><strong>Legend.</strong> {{ legend }}</p>
<div class="scroll">
<table id="compare">
  <thead>
    <tr>
      <th class="metric">metric</th>
      {% for r in runs %}
      <th scope="col"><span class="part">{{ r.part }}</span><span class="tools">{{ r.flow }} · {{ r.tools }}</span>
        {% if r.estimate %}<span class="badge">estimate</span>{% endif %}</th>
      {% endfor %}
    </tr>
  </thead>
  <tbody>
  {% for section, rows in sections %}
    <tr class="section"><th colspan="{{ runs|length + 1 }}">{{ section_titles.get(section, section) }}</th></tr>
    {% for row in rows %}
    <tr data-metric="{{ row.metric }}">
      <td class="metric">{{ row.label }}</td>
      {% for cell in row.cells %}
      <td class="{{ 'absent' if cell == '—' else ('bad' if cell == 'NO' or cell.endswith('✗') else '') }}">{{ cell }}</td>
      {% endfor %}
    </tr>
    {% endfor %}
  {% endfor %}
  </tbody>
</table>
</div>
{% for caption, svg, missing in charts %}
<figure>
  <figcaption>{{ caption }}</figcaption>
  {% if svg %}{{ svg }}{% else %}<p class="nochart">{{ missing }}</p>{% endif %}
</figure>
{% endfor %}
{% for x in extra_sections %}
<section class="extra"{% if x.id %} id="{{ x.id }}"{% endif %}>
<h2>{{ x.title }}</h2>
{{ x.body }}
</section>
{% endfor %}
</body>
</html>
"""
