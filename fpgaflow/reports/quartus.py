"""Quartus reports → partial summary: fitter (``.fit.summary``/``.fit.rpt``), timing
(``.sta.summary``/``.sta.rpt``) and power (``.pow.summary``/``.pow.rpt``).

Quartus II and Prime (Lite/Standard/Pro). LE families (Cyclone IV, MAX 10: logic elements,
memory bits, 9-bit multipliers) and ALM families (Cyclone V, Arria 10, Agilex: ALMs, RAM
blocks, DSP blocks). Numbers carry thousands separators and ``( < 1 % )``; power is in mW
and converted to W.
"""

from __future__ import annotations

import re
from typing import Any

from ._common import ReportError, check_text, number
from ._table import bordered

_USED = re.compile(r"^\s*([\d,]+)\s*(?:/\s*([\d,]+))?")
_VERSION = re.compile(r"(\d+\.\d+(?:\.\d+)?(?:std(?:\.\d+)?)?(?:\s*SP\s*\d+(?:\.\d+)?)?)"
                      r"(?:.*?\b(Lite|Standard|Pro|Web|Subscription)\s+Edition|.*?(Full) Version)?")


def _kv_line(line: str) -> tuple[str, str] | None:
    """``Key : value`` (a letter first, no ``;`` in the key, blanks around the first colon)
    without a regex: ``[^:]*?\\s+:`` backtracks quadratically on long runs of blanks."""
    key, colon, value = line.partition(":")
    if not colon or not key[:1].isascii() or not key[:1].isalpha() or ";" in key \
            or not key[-1:].isspace() or not value[:1].isspace():
        return None
    return key.strip(), value.strip()


def _summary(text: str, title: str, first_key: str) -> dict[str, str]:
    """Key → value of a summary panel: the ``; Title ;`` table of a .rpt, or the
    ``Key : value`` lines of a .summary file."""
    if title not in text and first_key not in text:
        return {}
    for table in bordered(text, ";"):
        if table.segments and table.segments[0] and table.segments[0][0] \
                and table.segments[0][0][0] == title and len(table.segments) >= 2:
            return {row[0]: row[1] for row in table.body if len(row) >= 2}
    out: dict[str, str] = {}
    for line in text.splitlines():
        kv = _kv_line(line.strip())
        if kv:
            out.setdefault(*kv)
    if first_key not in out:
        return {}
    return out


def _tools(kv: dict[str, str], header: str = "") -> list[dict[str, str]] | None:
    for key in ("Quartus Prime Version", "Quartus II 64-Bit Version", "Quartus II 32-bit Version",
                "Quartus II Version"):
        if key in kv:
            raw = kv[key]
            break
    else:
        m = re.search(r"^Quartus (?:Prime|II)(?: 64-Bit| 32-bit)? Version (.+)$", header, re.M)
        if not m:
            return None
        raw = m.group(1)
    m = _VERSION.match(raw.strip())
    if not m:
        return None
    tool = {"name": "quartus", "version": re.sub(r"\s+", " ", m.group(1))}
    edition = m.group(2) or m.group(3)
    if edition:
        tool["edition"] = edition
    return [tool]


def _used_avail(value: str) -> tuple[int, int | None] | None:
    m = _USED.match(value)
    if not m:
        return None
    used = number(m.group(1))
    avail = number(m.group(2)) if m.group(2) else None
    if not isinstance(used, int):
        return None
    return used, avail if isinstance(avail, int) else None


def _entry(value: str, unit: str) -> dict[str, Any] | None:
    ua = _used_avail(value)
    if ua is None:
        return None
    out: dict[str, Any] = {"used": ua[0], "unit": unit}
    if ua[1] is not None:
        out["available"] = ua[1]
    return out


_M20K_FAMILIES = ("Arria 10", "Stratix", "Agilex", "Cyclone 10 GX")


def _first(res: dict, name: str, kv: dict, rows: list[tuple[str, str]], *,
           skip_empty: bool = False) -> None:
    """``res[name]`` from the first of ``rows`` (key, unit) present in the summary; with
    ``skip_empty`` a present row that does not parse falls through to the next one."""
    for key, unit in rows:
        if key in kv:
            e = _entry(kv[key], unit)
            if e:
                res[name] = e
            if e or not skip_empty:
                return


_BLOCK_ROW = re.compile(r"^;[ \t]*(M9Ks|M9K blocks|M144Ks|M144K blocks)[ \t]*;[ \t]*([\d,]+)"
                        r"(?:[ \t]*/[ \t]*([\d,]+))?", re.M)


def _memory_blocks(text: str) -> dict[str, Any] | None:
    """M9K (Cyclone IV, MAX 10, Cyclone 10 LP) blocks of the .fit.rpt's Fitter Resource Usage
    Summary (``; M9Ks ; 44 / 66 ( 67 % ) ;``)."""
    m = _BLOCK_ROW.search(text)
    if not m:
        return None
    used, avail = number(m.group(2)), number(m.group(3) or "")
    if not isinstance(used, int):
        return None
    out: dict[str, Any] = {"used": used, "unit": "M144K" if "144" in m.group(1) else "M9K"}
    if isinstance(avail, int):
        out["available"] = avail
    return out


def parse_fit(text: str) -> dict[str, Any]:
    """Fitter summary (``.fit.summary`` or the ``; Fitter Summary ;`` panel of ``.fit.rpt``)."""
    check_text(text, "quartus fit")
    kv = _summary(text, "Fitter Summary", "Fitter Status")
    if not kv:
        raise ReportError("quartus fit: no 'Fitter Summary' (is this a Quartus .fit report?)")
    status = kv.get("Fitter Status", "")
    if status.lower().startswith("fail"):
        raise ReportError(f"quartus fit: the fitter failed ({status})")
    family = kv.get("Family", "")
    res: dict[str, dict[str, Any]] = {}
    # Stratix II/III/IV, Arria II, HardCopy: 'Logic utilization : 9 %' (a percentage alone) over
    # 'Combinational ALUTs : 1,776 / 36,100 ( 5 % )'
    _first(res, "lut", kv, [("Logic utilization (in ALMs)", "ALM"), ("Total logic elements", "LE"),
                            ("Combinational ALUTs", "ALUT")])
    _first(res, "ff", kv, [("Dedicated logic registers", "FF"), ("Total registers", "FF"),
                           ("Total dedicated logic registers", "FF")], skip_empty=True)
    bits_key = next((k for k in ("Total block memory bits", "Total memory bits") if k in kv), None)
    bits = _used_avail(kv[bits_key]) if bits_key else None
    blocks = _memory_blocks(text)
    if "Total RAM Blocks" in kv:
        unit = "M20K" if any(f in family for f in _M20K_FAMILIES) else \
            ("M10K" if family.startswith(("Cyclone V", "Arria V")) else "RAM block")
        e = _entry(kv["Total RAM Blocks"], unit)
        if e:
            res["bram"] = e
    elif blocks:
        res["bram"] = blocks
    elif bits:
        # LE families' .fit.summary counts memory bits only; the blocks (M9K) are in the
        # .fit.rpt's Fitter Resource Usage Summary
        res["bram"] = {"used": bits[0], "unit": "bit"}
        if bits[1] is not None:
            res["bram"]["available"] = bits[1]
    if bits and "bram" in res:
        res["bram"]["bits"] = bits[0]
    _first(res, "dsp", kv, [("Total DSP Blocks", "DSP block"),
                            ("Embedded Multiplier 9-bit elements", "9-bit multiplier"),
                            ("DSP block 18-bit elements", "18-bit DSP element"),
                            ("DSP block 9-bit elements", "9-bit DSP element")])
    _first(res, "io", kv, [("Total pins", "pin")])
    if not res:
        raise ReportError("quartus fit: the Fitter Summary has no resource rows (truncated?)")
    out: dict[str, Any] = {}
    tools = _tools(kv, text[:3000])
    if tools:
        out["tools"] = tools
    if kv.get("Device"):
        out["device"] = {"part": kv["Device"]}
    out["resources"] = dict(sorted(res.items()))
    return out


# --- timing ---------------------------------------------------------------------------
_BLOCK = re.compile(r"^Type[ \t]*:[ \t]*(?P<type>[^\n]*)\n"
                    r"(?:Corner[ \t]*:[ \t]*(?P<corner>[^\n]*)\n)?"
                    r"Slack[ \t]*:[ \t]*(?P<slack>[^\s]+)[ \t\r]*\n"
                    r"TNS[ \t]*:[ \t]*(?P<tns>[^\s]+)[ \t\r]*$", re.M)
_TYPE = re.compile(r"^(?:(?P<corner>.*?Model)\s+)?(?P<kind>[A-Za-z][A-Za-z -]*?)\s*"
                   r"(?:'(?P<clock>.*)')?$")
_KINDS = ("Setup", "Hold", "Recovery", "Removal", "Minimum Pulse Width")


def _clocks_from_checks(checks: list[tuple[str, str, str | None, float, float | None]]
                        ) -> dict[str, Any]:
    """checks: (corner, kind, clock, slack, tns) → timing with worst over corners."""
    clocks: dict[str, dict[str, Any]] = {}
    per_corner_tns: dict[str, float] = {}
    per_corner_ths: dict[str, float] = {}
    for corner, kind, clock, slack, tns in checks:
        if clock is None:
            continue  # a check of no clock (data delay, skew): in the verdict only
        c = clocks.setdefault(clock, {"name": clock})
        if kind == "Setup":
            c["wns_ns"] = min(c.get("wns_ns", slack), slack)
            if tns is not None:
                c["tns_ns"] = min(c.get("tns_ns", tns), tns)
                per_corner_tns[corner] = per_corner_tns.get(corner, 0.0) + tns
        elif kind == "Hold":
            c["whs_ns"] = min(c.get("whs_ns", slack), slack)
            if tns is not None:
                c["ths_ns"] = min(c.get("ths_ns", tns), tns)
                per_corner_ths[corner] = per_corner_ths.get(corner, 0.0) + tns
    timing: dict[str, Any] = {}
    setup = [s for _, k, _, s, _ in checks if k == "Setup"]
    hold = [s for _, k, _, s, _ in checks if k == "Hold"]
    if setup:
        timing["wns_ns"] = min(setup)
    if per_corner_tns:
        timing["tns_ns"] = round(min(per_corner_tns.values()), 3)
    if hold:
        timing["whs_ns"] = min(hold)
    if per_corner_ths:
        timing["ths_ns"] = round(min(per_corner_ths.values()), 3)
    if checks:
        timing["met"] = all(s >= 0 for _, _, _, s, _ in checks)
    for c in clocks.values():
        slacks = [s for _, _, name, s, _ in checks if name == c["name"]]
        c["met"] = all(s >= 0 for s in slacks)
    if clocks:
        timing["clocks"] = list(clocks.values())
    return timing


def _sta_summary(text: str) -> dict[str, Any]:
    """Blocks of ``Type : [<corner> Model] <check> ['<clock>']`` / ``[Corner :]`` / ``Slack`` /
    ``TNS``. Setup, Hold, Recovery, Removal and (Minimum) Pulse Width give the figures; other
    checks (Quartus Pro's ``Setup Data Delay``, ``Max Skew``, ``Net Delay`` ...) count in the
    verdict only."""
    checks = []
    for m in _BLOCK.finditer(text):
        type_ = m.group("type").strip()
        t = _TYPE.match(type_) if len(type_) <= 500 else None
        slack, tns = number(m.group("slack")), number(m.group("tns"))
        if not t:
            raise ReportError(f"quartus sta: cannot read the block 'Type : {type_[:120]}'")
        if slack is None:
            continue  # N/A slack: nothing constrained by this check
        corner = (m.group("corner") or "").strip() or t.group("corner") or ""
        kind = "Minimum Pulse Width" if t.group("kind") == "Pulse Width" else t.group("kind")
        clock = t.group("clock")
        if kind not in _KINDS or clock is None:
            kind, clock = f"other: {kind}", None
        checks.append((corner, kind, clock, float(slack), None if tns is None else float(tns)))
    if not checks:
        raise ReportError("quartus sta: no 'Type : ... / Slack : ... / TNS : ...' blocks")
    return {"timing": _clocks_from_checks(checks)}


def _mhz(cell: str) -> float | None:
    m = re.match(r"^\s*([\d.,]+)\s*MHz\s*$", cell)
    v = number(m.group(1)) if m else None
    return None if v is None else float(v)


def _sta_rpt(text: str) -> dict[str, Any]:
    checks = []
    fmax: dict[str, float] = {}
    targets: dict[str, float] = {}
    device = ""
    for table in bordered(text, ";"):
        if not table.segments or not table.segments[0] or not table.segments[0][0]:
            continue
        title = table.segments[0][0][0]
        header = table.header
        cols = {name: i for i, name in enumerate(header)}
        rows = [r for r in table.body if len(r) == len(header)]
        if title.endswith("Timing Analyzer Summary") and not device:
            device = next((r[1] for seg in table.segments for r in seg
                           if len(r) == 2 and r[0] in ("Device Name", "Device") and r[1]), "")
        elif title == "Clocks" and "Clock Name" in cols and "Frequency" in cols:
            for r in rows:
                f = _mhz(r[cols["Frequency"]])
                if f is not None:
                    targets[r[cols["Clock Name"]]] = f
        elif title.endswith("Fmax Summary") and "Clock Name" in cols:
            col = cols.get("Restricted Fmax", cols.get("Fmax"))
            for r in rows:
                f = _mhz(r[col]) if col is not None else None
                if f is not None:
                    name = r[cols["Clock Name"]]
                    fmax[name] = min(fmax.get(name, f), f)
        else:
            m = re.match(r"^(?:(.*Model) )?(Setup|Hold|Recovery|Removal|Minimum Pulse Width) "
                         r"Summary$", title)
            if m and "Clock" in cols and "Slack" in cols:
                for r in rows:
                    slack = number(r[cols["Slack"]])
                    tns = number(r[cols["End Point TNS"]]) if "End Point TNS" in cols else None
                    corner = m.group(1) or (r[cols["Worst-Case Operating Conditions"]]
                                            if "Worst-Case Operating Conditions" in cols else "")
                    if slack is not None:
                        checks.append((corner, m.group(2), r[cols["Clock"]], float(slack),
                                       None if tns is None else float(tns)))
    if "Timing Analyzer" not in text[:3000] and "TimeQuest" not in text[:3000]:
        raise ReportError("quartus sta: no Timing Analyzer header")
    timing = _clocks_from_checks(checks)
    clocks = {c["name"]: c for c in timing.get("clocks", [])}
    for name in list(targets) + [n for n in fmax if n not in targets]:
        c = clocks.setdefault(name, {"name": name})
        if name in targets:
            c["target_mhz"] = targets[name]
        if name in fmax:
            c["fmax_mhz"] = fmax[name]
    if clocks:
        timing["clocks"] = list(clocks.values())
    out: dict[str, Any] = {"timing": timing}
    tools = _tools({}, text[:3000])
    if tools:
        out["tools"] = tools
    if device:
        out["device"] = {"part": device}
    return out


def parse_sta(text: str) -> dict[str, Any]:
    """Timing: ``.sta.summary`` blocks or ``.sta.rpt`` panels; worst over corners per clock."""
    check_text(text, "quartus sta")
    if _BLOCK.search(text):
        return _sta_summary(text)
    if re.search(r"^; .*(Fmax|Setup) Summary\s*;", text, re.M) or \
            re.search(r"^(TimeQuest )?Timing Analyzer report for", text, re.M):
        return _sta_rpt(text)
    raise ReportError("quartus sta: neither .sta.summary blocks nor .sta.rpt panels found")


# --- power ----------------------------------------------------------------------------
_POWER_KEYS = {"Total Thermal Power Dissipation": "total_w",
               "Core Dynamic Thermal Power Dissipation": "dynamic_w",
               "Core Static Thermal Power Dissipation": "static_w",
               "I/O Thermal Power Dissipation": "io_w"}


def parse_power(text: str) -> dict[str, Any]:
    """Power Analyzer summary → power in W (Quartus prints mW)."""
    check_text(text, "quartus power")
    kv = _summary(text, "Power Analyzer Summary", "Power Analyzer Status")
    if not kv:
        kv = _summary(text, "PowerPlay Power Analyzer Summary", "PowerPlay Power Analyzer Status")
    if not kv:
        raise ReportError("quartus power: no 'Power Analyzer Summary'")
    power: dict[str, Any] = {}
    for key, out_key in _POWER_KEYS.items():
        m = re.match(r"^\s*([\d.,]+)\s*(mW|W)\s*$", kv.get(key, ""))
        v = number(m.group(1)) if m else None
        if v is not None:
            power[out_key] = round(float(v) / 1000.0, 6) if m.group(2) == "mW" else float(v)
    if "total_w" not in power:
        raise ReportError("quartus power: no 'Total Thermal Power Dissipation' value")
    if kv.get("Power Estimation Confidence"):
        power["confidence"] = kv["Power Estimation Confidence"]
    power["source"] = "quartus power analyzer"
    out: dict[str, Any] = {}
    tools = _tools(kv, text[:3000])
    if tools:
        out["tools"] = tools
    if kv.get("Device"):
        out["device"] = {"part": kv["Device"]}
    out["power"] = power
    return out
