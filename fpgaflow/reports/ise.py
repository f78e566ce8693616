"""Xilinx ISE reports → partial summary: MAP (``.mrp``) and PAR (``.par``) device
utilization, and TRACE timing (``.twr``).

ISE 10–14.7 (Spartan-3/6, Virtex-4/5/6, 7-series). Utilization lines read
``Number of Slice LUTs:   2,315 out of   5,720   40%``; the rows differ by family (4-input
LUTs and slice flip-flops before Virtex-5, ``RAMB16BWER``/``RAMB8BWER`` on Spartan-6,
``RAMB36E1``/``RAMB18E1`` on Virtex-6/7, ``DSP48A1``/``DSP48E1``/``MULT18X18SIO``). Half-size
block RAMs count as half a block of the full size. TRACE gives the verdict (``Timing
errors: N``), the minimum period (Fmax) and, per PERIOD constraint, its slack.

Layouts checked against public reports (Spartan-3/3E/3A, Spartan-6, Virtex-5, Artix-7):
PAR of ISE 9-11 writes its "Design Summary Report" / "Device Utilization Summary" rows
without a colon (``Number of External IOBs   42 out of 158   26%``) and in mixed case
(``Slice LUTS``, ``MULT18x18s``); TRACE gives PERIODs in ns or MHz, or derived from
another one (``TS_fx = PERIOD TIMEGRP "fx" TS_clk / 2``), and wraps them at 80 columns;
only a setup path's ``Slack`` counts (not the hold paths' nor the component switching
limit checks').
"""

from __future__ import annotations

import re
from typing import Any

from ._common import ReportError, check_text, count, number

_RELEASE = re.compile(r"^Release (\d+\.\d+)(?:\.\d+)? (Map|par|Trace)\b", re.M | re.I)
# ``Number of Slice LUTs:   2,315 out of   5,720   40%`` (MAP, and PAR from ISE 12 on), or
# without the colon, the name ended by a run of blanks or a tab (PAR's "Design Summary
# Report" / "Device Utilization Summary" of ISE 9-11, Spartan-3 and Virtex-5:
# ``Number of External IOBs            42 out of 158    26%``)
# (Spartan-3E/3A MAP with latches: ``Total Number Slice Registers:  1,658 out of  17,344``)
_ROW = re.compile(r"^[ \t]*(?:Number of |Total Number (?=Slice Registers))"
                  r"([A-Za-z0-9][A-Za-z0-9 /_-]{0,59}?)"
                  r"(?=(?P<blanks>[ \t]*))(?P=blanks)"        # the blanks, never given back
                  r"(?::[ \t]*|(?<=[ \t]{2})|(?<=\t))([\d,]+)"
                  r"(?:[ \t]+out of[ \t]+([\d,]+))?", re.M)

# row name → (resource key, unit, weight)
# row name (lower case: ISE writes ``Slice LUTS`` and ``MULT18x18s`` too) → (resource key,
# unit, weight). Of the lut/ff/dsp/io rows the first in the report counts; the block RAM
# rows of one summary add up (half-size blocks as half a block).
_ROWS: dict[str, tuple[str, str, float]] = {k.lower(): v for k, v in {
    "Slice LUTs": ("lut", "LUT6", 1), "4 input LUTs": ("lut", "LUT4", 1),
    "Slice Registers": ("ff", "FF", 1), "Slice Flip Flops": ("ff", "FF", 1),
    "RAMB36E1/FIFO36E1s": ("bram", "RAMB36", 1), "RAMB18E1/FIFO18E1s": ("bram", "RAMB36", 0.5),
    "Block RAM/FIFO": ("bram", "RAMB36", 1), "BlockRAM/FIFO": ("bram", "RAMB36", 1),
    "RAMB36_EXPs": ("bram", "RAMB36", 1),
    "RAMB16BWERs": ("bram", "RAMB16", 1), "RAMB8BWERs": ("bram", "RAMB16", 0.5),
    "RAMB16BWEs": ("bram", "RAMB16", 1), "RAMB16s": ("bram", "RAMB16", 1),
    "FIFO16/RAMB16s": ("bram", "RAMB16", 1),
    "DSP48E1s": ("dsp", "DSP48E1", 1), "DSP48A1s": ("dsp", "DSP48A1", 1),
    "DSP48Es": ("dsp", "DSP48E", 1), "DSP48s": ("dsp", "DSP48", 1),
    "MULT18X18SIOs": ("dsp", "MULT18X18", 1), "MULT18X18s": ("dsp", "MULT18X18", 1),
    "bonded IOBs": ("io", "pin", 1), "External IOBs": ("io", "pin", 1),
}.items()}
# rows whose 'available' counts the same silicon as the full-size row (not added)
_HALF = {"ramb18e1/fifo18e1s", "ramb8bwers"}


def _tools(text: str) -> list[dict[str, str]] | None:
    m = _RELEASE.search(text[:4000])
    return [{"name": "ise", "version": m.group(1)}] if m else None


def _part(text: str) -> str | None:
    head = text[:20000]
    m = re.search(r"device (xc\w+), package (\w+), speed (-\w+)", head)
    if m:
        return f"{m.group(1)}{m.group(2)}{m.group(3)}"
    dev = re.search(r"^Target Device[ \t]*:[ \t]*(\w+)", head, re.M)
    pkg = re.search(r"^Target Package[ \t]*:[ \t]*(\w+)", head, re.M)
    spd = re.search(r"^Target Speed[ \t]*:[ \t]*(-\w+)", head, re.M)
    if dev and pkg and spd:
        return f"{dev.group(1)}{pkg.group(1)}{spd.group(1)}"
    m = re.search(r"^Device,package,speed:[ \t]*(\w+),(\w+),\w*,?(-\w+)", head, re.M)
    if m:
        return f"{m.group(1)}{m.group(2)}{m.group(3)}"
    return None


def _meta(text: str, out: dict[str, Any]) -> dict[str, Any]:
    tools = _tools(text)
    if tools:
        out = {"tools": tools, **out}
    part = _part(text)
    if part:
        part = part if part.startswith("xc") else "xc" + part
        out = {**out, "device": {"part": part}}
    return out


def parse_utilization(text: str) -> dict[str, Any]:
    """MAP ``.mrp`` (Design Summary) or PAR ``.par`` (Device Utilization Summary)."""
    check_text(text, "ise utilization")
    errors = re.search(r"^[ \t]*Number of errors:[ \t]*([\d,]+)", text, re.M)
    if errors and number(errors.group(1)) not in (0, None):
        raise ReportError(f"ise utilization: the run reported {errors.group(1)} errors")
    used: dict[str, float] = {}
    avail: dict[str, int] = {}
    units: dict[str, str] = {}
    seen: set[str] = set()
    for m in _ROW.finditer(text):
        name = m.group(1).strip().lower()
        hit = _ROWS.get(name)
        if hit is None or name in seen:  # the first summary in the report wins
            continue
        seen.add(name)
        n, a = number(m.group(3)), number(m.group(4) or "")
        if not isinstance(n, int):
            continue
        key, unit, weight = hit
        if key != "bram" and key in used:   # one row per resource (bonded / External IOBs)
            continue
        used[key] = used.get(key, 0) + n * weight
        units.setdefault(key, unit)
        if isinstance(a, int) and name not in _HALF:
            avail[key] = avail.get(key, 0) + a
    if not used:
        raise ReportError("ise utilization: no 'Number of ... out of ...' rows (is this an ISE "
                          "map or par report?)")
    resources: dict[str, dict[str, Any]] = {}
    for key in sorted(used):
        value = used[key]
        entry: dict[str, Any] = {"used": int(value) if float(value).is_integer() else value,
                                 "unit": units[key]}
        if key in avail:
            entry["available"] = avail[key]
        resources[key] = entry
    return _meta(text, {"resources": resources})


_VERDICT = re.compile(r"^Timing errors:[ \t]*(\d+)[ \t]+Score:[ \t]*(\d+)", re.M)
_MIN_PERIOD = re.compile(r"^[ \t]*Minimum period:[ \t]*([\d.]+)ns", re.M)
_HEAD = re.compile(r"^Timing constraint: ", re.M)
# the constraint as TRACE prints it (wrapped at 80 columns, joined before matching):
# ``TS_clk = PERIOD TIMEGRP "clk" 20 ns HIGH 50%;``, ``... "sys_clk_pin" 100 MHz HIGH 50%;``,
# derived from another one: ``TS_fx = PERIOD TIMEGRP "fx" TS_clk / 2 HIGH 50%;`` (or ``* 2``),
# or ``NET "clk_BUFGP/IBUFG" PERIOD = 10 ns HIGH 50%;``
# A long name pads the wrapped lines with blanks (``= PERIOD TIMEGRP         "grp"         TS_clk
# HIGH 50%``), and a derived constraint may take its base period unscaled (``TS_clk HIGH 50%``).
_CONSTRAINT = re.compile(r"(?:(?P<ts>\w+)[ \t]+=[ \t]+PERIOD[ \t]+TIMEGRP[ \t]+"
                         r"\"(?P<grp>[^\"\n]+)\""
                         r"|NET[ \t]+\"(?P<net>[^\"\n]+)\"[ \t]+PERIOD[ \t]+=)[ \t]*"
                         r"(?:(?P<value>[\d.]+)[ \t]*(?P<unit>ns|ps|us|MHz|kHz|GHz)\b"
                         r"|(?P<base>\w+)(?:[ \t]*(?P<op>[*/])[ \t]*(?P<factor>[\d.]+))?)")
_TO_NS = {"ps": 1e-3, "ns": 1.0, "us": 1e3}
_TO_MHZ = {"kHz": 1e-3, "MHz": 1.0, "GHz": 1e3}
_BLOCK_PERIOD = re.compile(r"^[ \t]*Minimum period is[ \t]*([\d.]+)ns", re.M)
# a setup path's slack (not the hold paths', nor the "Slack: ... (period - min period limit)"
# of the component switching limit checks)
_BLOCK_SLACK = re.compile(r"^[ \t]*Slack(?: \(setup path\))?:[ \t]*(-?[\d.]+)ns[ \t]*"
                          r"\(requirement", re.M)
_BLOCK_ERRORS = re.compile(r"^[ \t]*(\d+) timing errors? detected", re.M)


def _unwrap(block: str) -> str:
    """The constraint statement at the start of ``block`` on one line: TRACE wraps it at
    80 columns (at a blank, which it keeps, or inside a word)."""
    lines = block[:600].split(";", 1)[0].split("\n")
    return "".join(line if line.endswith((" ", "\t")) or j == len(lines) - 1 else line
                   for j, line in enumerate(lines))


# the PERIOD that TRACE derives for a DCM/PLL output from its input's constraint (two
# statements, the second after the ';'):
# ``PERIOD analysis for net "cgu/fxclk" derived from  NET "cgu/clk_in" PERIOD = 10 ns HIGH 50%;
# multiplied by 1.25 to 12.500 nS and duty cycle corrected to HIGH 6.250 nS``
_DERIVED = re.compile(r"PERIOD analysis for net \"(?P<net>[^\"\n]+)\"[ \t]+derived from[ \t]"
                      r"[^;]{0,400};[ \t]*(?:multiplied|divided) by[ \t]+[\d.]+[ \t]+to[ \t]+"
                      r"(?P<value>[\d.]+)[ \t]*nS")


def _unwrap_derived(block: str) -> str:
    """The derived-PERIOD statement on one line: its wrapped lines up to the 'For more
    information' line (it holds a ';' of its own)."""
    lines = []
    for line in block[:800].split("\n"):
        if not line.strip() or line.startswith("For more information"):
            break
        lines.append(line)
    return "".join(line if line.endswith((" ", "\t")) or j == len(lines) - 1 else line
                   for j, line in enumerate(lines))


def _period_ns(m: re.Match, periods: dict[str, float]) -> float | None:
    if m.group("value"):
        value = number(m.group("value"))
        if not isinstance(value, (int, float)) or value <= 0:
            return None
        unit = m.group("unit")
        return float(value) * _TO_NS[unit] if unit in _TO_NS else 1000.0 / (value * _TO_MHZ[unit])
    base = periods.get(m.group("base"))
    factor = number(m.group("factor")) if m.group("op") else 1
    if base is None or not isinstance(factor, (int, float)) or factor <= 0:
        return None
    return base * factor if m.group("op") == "*" else base / factor


_NO_CONSTRAINTS = re.compile(r"^INFO:Timing:2698 - No timing constraints found", re.M)
_SETUP_TABLE = re.compile(r"^Clock to Setup on destination clock (\S+)[ \t]*$", re.M)


def _datasheet_clocks(text: str) -> dict[str, Any]:
    """A design without constraints: TRACE enumerates paths by default and prints no verdict;
    each clock's register-to-register delay is the Src:Rise/Dest:Rise cell of its own row in
    the Data Sheet's 'Clock to Setup on destination clock' table."""
    timing: dict[str, Any] = {"constrained": False}
    clocks = []
    for m in _SETUP_TABLE.finditer(text):
        name = m.group(1)
        borders = 0
        pos = m.end() + 1
        while pos < len(text):  # the table's lines, up to the next table at most: linear
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            row, pos = text[pos:end], end + 1
            if row.startswith("Clock to Setup on destination clock"):
                break
            if row.startswith("-"):
                borders += 1
                if borders == 3:
                    break
                continue
            if borders == 2 and row.split("|", 1)[0].strip() == name:
                delay = number(row.split("|")[1]) if row.count("|") >= 2 else None
                if isinstance(delay, (int, float)) and delay > 0:
                    clocks.append({"name": name, "fmax_mhz": round(1000.0 / float(delay), 2)})
                break
    if clocks:
        timing["clocks"] = clocks
    return timing


def parse_twr(text: str) -> dict[str, Any]:
    """TRACE ``.twr``: verdict, minimum period and the PERIOD constraints' slack and Fmax."""
    check_text(text, "ise twr")
    verdict = _VERDICT.search(text)
    if verdict is None and _NO_CONSTRAINTS.search(text[:20000]):
        return _meta(text, {"timing": _datasheet_clocks(text)})
    if verdict is None:
        raise ReportError("ise twr: no 'Timing errors: N  Score: N' summary (truncated, or not "
                          "a TRACE report?)")
    timing: dict[str, Any] = {"met": count(verdict.group(1), "ise twr") == 0}
    clocks: list[dict[str, Any]] = []
    heads = list(_HEAD.finditer(text))
    periods: dict[str, float] = {}           # TS name -> period, for derived constraints
    for i, head in enumerate(heads):
        block = text[head.end():heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        m = _CONSTRAINT.match(_unwrap(block))
        derived = _DERIVED.match(_unwrap_derived(block)) if m is None else None
        if m is None and derived is None:
            continue                            # OFFSET, FROM/TO, MAXDELAY...: no clock
        if derived is not None:
            name = derived.group("net")
            value = number(derived.group("value"))
            period = float(value) if isinstance(value, (int, float)) and value > 0 else None
        else:
            name = m.group("grp") or m.group("net")
            period = _period_ns(m, periods)
            if m.group("ts") and period:
                periods[m.group("ts")] = period
        clock: dict[str, Any] = {"name": name}
        if period:
            clock["period_ns"] = round(period, 6)
            clock["target_mhz"] = round(1000.0 / period, 3)
        slack = _BLOCK_SLACK.search(block)
        if slack and number(slack.group(1)) is not None:
            clock["wns_ns"] = float(number(slack.group(1)))
        achieved = _BLOCK_PERIOD.search(block)
        if achieved and (number(achieved.group(1)) or 0) > 0:
            clock["fmax_mhz"] = round(1000.0 / float(number(achieved.group(1))), 2)
        errors = _BLOCK_ERRORS.search(block)
        if errors:
            clock["met"] = count(errors.group(1), "ise twr") == 0
        elif "wns_ns" in clock:
            clock["met"] = clock["wns_ns"] >= 0
        clocks.append(clock)
    wns = [c["wns_ns"] for c in clocks if "wns_ns" in c]
    if wns:
        timing["wns_ns"] = min(wns)
    if clocks:
        timing["clocks"] = clocks
    minimum = _MIN_PERIOD.search(text)
    if minimum and (number(minimum.group(1)) or 0) > 0 and not clocks:
        timing["clocks"] = [{"name": "(design)",
                             "fmax_mhz": round(1000.0 / float(number(minimum.group(1))), 2)}]
    return _meta(text, {"timing": timing})
