"""One design for the reports of one summary.

A folder of reports can hold the runs of several designs: two Vivado tops in one
``impl_1/`` (``a_utilization_placed.rpt``, ``b_utilization_placed.rpt``), two Quartus
revisions in one ``output_files/``, the nextpnr logs of two tops. Their figures must not be
merged into one summary; the reports of one design across its stages (synth, place, route)
still are.

Reports name their design, and names are compared among the reports of one tool (an HLS
solution and the Vivado run of its exported IP name it differently and are one design):

- Vivado: the header's ``| Design : top``;
- Quartus: ``Revision Name`` (a ``.sta.summary`` names none, but Quartus names every
  output after its revision: ``top.sta.summary``);
- ISE: ``... Report File for Design 'top'`` (MAP), ``Design file: top.ncd`` (TRACE; the
  pre-route ``top_map.ncd`` is the same design), the ``top.ncd`` PAR writes;
- HLS: ``* Project:`` and ``* Solution:`` (one report per function of one solution).

Reports that name no design (nextpnr, Yosys ``stat``) are told apart by kind and stage: two
nextpnr logs of one stage are two runs, a Yosys log and a nextpnr log are two stages of one.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from ._common import ReportError

_HEAD = 20_000  # every name above is in a report's first lines

_NAMES: dict[str, list[re.Pattern[str]]] = {
    "vivado": [re.compile(r"^\|[ \t]*Design[ \t]*:[ \t]*(\S+)[ \t]*$", re.M)],
    "quartus": [re.compile(r"^;?[ \t]*Revision Name[ \t]*[:;][ \t]*([^;\n]*?)[ \t]*;?[ \t]*$",
                           re.M)],
    "ise": [re.compile(r"^Xilinx (?:Mapping Report|Map Application Log) File for Design "
                       r"'([^']+)'", re.M),
            re.compile(r"^Design file:[ \t]+(\S+?)(?:_map)?\.ncd[ \t]*$", re.M),
            re.compile(r"^par\b[^\n]*?[ \t](\S+?)\.ncd[ \t]+\S+\.pcf[ \t]*$", re.M)],
}
_HLS_PROJECT = re.compile(r"^[ \t]*\* Project:[ \t]+(\S+)", re.M)
_HLS_SOLUTION = re.compile(r"^[ \t]*\* Solution:[ \t]+(\S+)", re.M)
_QUARTUS_FILE = re.compile(r"^(.+)\.(?:fit|sta|pow|map|syn|asm|flow)\.(?:rpt|summary)$")
_TOOL = {"vivado": "Vivado", "quartus": "Quartus revision", "ise": "ISE", "hls": "HLS"}


def design_name(module: str, text: str, path: Path) -> str | None:
    """The design a report of tool ``module`` (the parser module: vivado, quartus, ...)
    names, or None when it names none."""
    head = text[:_HEAD]
    if module == "hls":
        project, solution = _HLS_PROJECT.search(head), _HLS_SOLUTION.search(head)
        return f"{project.group(1)}/{solution.group(1)}" if project and solution else None
    for pattern in _NAMES.get(module, ()):
        m = pattern.search(head)
        if m and m.group(1):
            return m.group(1)
    if module == "quartus":
        m = _QUARTUS_FILE.match(path.name)
        return m.group(1) if m else None
    return None


@dataclass(frozen=True)
class Found:
    """A report of a ``fpgaflow report`` run, as the design check needs it."""
    path: Path
    kind: str
    module: str
    stage: tuple[int, int, int]
    design: str | None


def _command(paths: list[Path], everything: list[Path]) -> str:
    """``fpgaflow report`` with ``paths``, a folder instead of its files when every report
    under it is one of them."""
    mine = set(paths)
    args: list[str] = []
    for p in paths:
        parent = p.parent
        under = [q for q in everything if parent in q.parents]
        arg = str(parent) if str(parent) != "." and all(q in mine for q in under) else str(p)
        if arg not in args:
            args.append(arg)
    return "fpgaflow report " + " ".join(shlex.quote(a) for a in args)


def check_one_design(found: list[Found]) -> None:
    """A ReportError naming each design and its files when ``found`` holds the reports of
    more than one design (see the module docstring)."""
    everything = [f.path for f in found]
    by_tool: dict[str, dict[str, list[Path]]] = {}
    for f in found:
        if f.design is not None:
            by_tool.setdefault(f.module, {}).setdefault(f.design, []).append(f.path)
    for module, designs in by_tool.items():
        if len(designs) > 1:
            listing = "; ".join(f"{_TOOL[module]} {name!r}: {', '.join(map(str, paths))}"
                                for name, paths in designs.items())
            first = max(designs.values(), key=len)
            raise ReportError(
                f"these reports are of {len(designs)} designs, which fpgaflow does not merge "
                f"({listing})",
                hint=f"give the reports of one design at a time, e.g. {_command(first, everything)}")
    runs: dict[tuple[str, tuple[int, int, int]], list[Path]] = {}
    for f in found:
        # an HLS solution writes one report per function: many of one kind and stage
        if f.design is None and f.module != "hls":
            runs.setdefault((f.kind, f.stage), []).append(f.path)
    for (kind, _), paths in runs.items():
        if len(paths) > 1:
            raise ReportError(
                f"these {len(paths)} {kind} reports are of one stage and name no design: they "
                f"are of {len(paths)} runs, which fpgaflow does not merge "
                f"({', '.join(map(str, paths))})",
                hint=f"give the reports of one run at a time, e.g. "
                     f"{_command([paths[0]], everything)}")
