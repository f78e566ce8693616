"""ASCII tables as the vendor tools print them.

``bordered(text, sep)`` finds tables drawn with ``+----+----+`` borders and ``sep``-separated
cells (``|`` for Vivado and HLS, ``;`` for Quartus). Each table is split into its segments
(the runs of content lines between borders), so that a caller can tell a title, a header
and the body apart. ``heading_before`` names the section a table belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    line: int  # 1-based line of the first border
    heading: str  # the last section heading above the table ('' when none)
    segments: list[list[list[str]]] = field(default_factory=list)

    @property
    def body(self) -> list[list[str]]:
        return self.segments[-1] if self.segments else []

    @property
    def header(self) -> list[str]:
        """The header row (the last line of the segment before the body), or []."""
        return self.segments[-2][-1] if len(self.segments) >= 2 else []


def _is_border(line: str) -> bool:
    s = line.strip()
    return len(s) > 2 and s[0] == "+" and s[-1] == "+" and not s.strip("+-")


def cells(line: str, sep: str) -> list[str]:
    s = line.strip()
    if s.startswith(sep):
        s = s[1:]
    if s.endswith(sep):
        s = s[:-1]
    return [c.strip() for c in s.split(sep)]


def _is_underline(line: str) -> bool:
    s = line.strip()
    return len(s) >= 3 and not s.strip("-")


def bordered(text: str, sep: str = "|") -> list[Table]:
    """All bordered tables of a report, in order."""
    tables: list[Table] = []
    lines = text.splitlines()
    heading = ""
    current: Table | None = None
    segment: list[list[str]] = []
    prev = ""
    for i, raw in enumerate(lines):
        stripped = raw.lstrip()
        if _is_border(raw):
            if current is None:
                current = Table(line=i + 1, heading=heading)
            if segment:
                current.segments.append(segment)
                segment = []
        elif current is not None and stripped.startswith(sep):
            segment.append(cells(raw, sep))
        else:
            if current is not None:
                if segment:
                    current.segments.append(segment)
                    segment = []
                tables.append(current)
                current = None
            if _is_underline(raw) and prev.strip() and not _is_underline(prev):
                heading = prev.strip().lstrip("|").strip()
            elif stripped.startswith("| ") and raw.rstrip().endswith("|") is False \
                    and stripped[2:].strip() and not stripped[2:].strip().startswith("-"):
                heading = stripped[2:].strip()  # '| Design Timing Summary' style headings
        prev = raw
    if current is not None:
        if segment:
            current.segments.append(segment)
        tables.append(current)
    return tables
