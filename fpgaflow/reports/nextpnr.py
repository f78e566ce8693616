"""nextpnr ``--report`` JSON and log → partial summary (resources with ``available``, timing).

Clock names in nextpnr are net names (``$glbnet$clk$TRELLIS_IO_IN``,
``clk$SB_IO_IN_$glb_clk``); each clock also carries ``port``, the name with those
decorations stripped, so that a caller can match the recipe's clock ``clk``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._common import ReportError, check_text, count, finite, line_of

# bel type → (resource key, native unit). Bels not listed are not summarised.
BELS: dict[str, tuple[str, str]] = {
    # ECP5 (nextpnr-ecp5 since 2023 splits slices into COMB/FF/RAMW bels)
    "TRELLIS_COMB": ("lut", "LUT4"),
    "TRELLIS_FF": ("ff", "FF"),
    "TRELLIS_RAMW": ("lutram", "TRELLIS_RAMW"),
    "DP16KD": ("bram", "DP16KD"),
    "MULT18X18D": ("dsp", "MULT18X18D"),
    "TRELLIS_IO": ("io", "pin"),
    # ECP5 before nextpnr 0.4 (2022): one slice bel of two LUT4s and two flip-flops
    "TRELLIS_SLICE": ("lut", "TRELLIS_SLICE"),
    # iCE40 (a logic cell is one LUT4 plus its optional flip-flop)
    "ICESTORM_LC": ("lut", "LC"),
    "ICESTORM_RAM": ("bram", "SB_RAM40_4K"),
    "ICESTORM_DSP": ("dsp", "SB_MAC16"),
    "ICESTORM_SPRAM": ("uram", "SPRAM256KA"),
    "SB_IO": ("io", "pin"),
    # GateMate (himbaechel): a CPE is two LUT-tree halves (CPE_LT) and two flip-flops
    "CPE_FF": ("ff", "FF"),
    "CPE_LT": ("lut", "CPE_LT"),
    "RAM_HALF": ("bram", "RAM_HALF"),
    "GPIO": ("io", "pin"),
    # Gowin (himbaechel); its DSP bels are in DSP_SHARES below
    "LUT4": ("lut", "LUT4"),
    "DFF": ("ff", "DFF"),
    "BSRAM": ("bram", "BSRAM"),
    "RAM16SDP4": ("lutram", "RAM16SDP4"),
    "ALU": ("carry", "ALU"),
    "IOB": ("io", "pin"),
    # Lattice Nexus; its DSP bels are in DSP_SHARES below
    "OXIDE_COMB": ("lut", "LUT4"),
    "OXIDE_FF": ("ff", "FF"),
    "OXIDE_EBR": ("bram", "EBR"),
    "LRAM_CORE": ("uram", "LRAM"),
    "RAMW": ("lutram", "RAMW"),
    "SEIO33_CORE": ("io", "pin"),
    "SEIO18_CORE": ("io", "pin"),
    # Lattice MachXO2 (TRELLIS_* as ECP5)
    "DP8KC": ("bram", "DP8KC"),
    # not summarised, on purpose: GateMate CPE_ADDF2/CPE_MULT/CPE_MX4 (roles of CPEs already
    # in CPE_LT; nextpnr gives them no capacity), clock and configuration bels (DCC, GSR,
    # GLBOUT, ...)
}

# DSP bels that are modes of one block of multipliers: each placed bel counts as the share of
# the block's multipliers it takes, in the unit the datasheets (and devices.yaml) count;
# ``available`` is the device's count of that unit, not a sum over the modes.
#
# Gowin GW1N/GW2A: the unit is one 18x18 multiplier (GW1NR-9: "20 multipliers 18x18", DS117
# Table 1-1). nextpnr-himbaechel-gowin 0.11 places each DSP primitive on a bel of its own
# type and reserves multiplier sites for it; its database has, per 18x18 site, 2 MULT9X9 and
# 2 PADD9, 1 PADD18, 1/2 ALU54D, MULTALU18X18, MULTALU36X18 and MULTADDALU18X18, and 1/4
# MULT36X36 bels (GW1NR-9: 20 MULT18X18, 40 MULT9X9, 10 ALU54D, 5 MULT36X36; GW2AR-18: 48,
# 96, 24, 12). The share of a bel is the number of 18x18 sites over its count: filled to its
# count (40 MULT9X9, 40 PADD9, 10 ALU54D, 10 MULTALU36X18, 10 MULTADDALU18X18, 5 MULT36X36)
# any one type uses the whole GW1NR-9: one MULT18X18 more cannot be placed, nor can 10
# MULTALU18X18 with 10 MULT18X18 (measured with tests/families/cores/dsp, YoWASP nextpnr
# 0.11.1). A standalone PADD9/PADD18 takes its multiplier too: nextpnr implements it as a
# multiplication by 1. Not counted: the GW5A (Arora V) DSP bels (MULT12X12, MULT27X36,
# MULTALU27X18, ...), whose unit is another multiplier.
#
# Lattice Nexus: the unit is one 18x18 multiplier (LIFCL-40: "56 18x18 multipliers",
# FPGA-DS-02049 Table 1.1). nextpnr-nexus 0.11 builds every multiplier of MULT9_CORE bels,
# each with its PREADD9_CORE and REG18_CORE, and an 18x18 of two of them plus a
# MULT18_CORE that sums them (measured: MULT9X9 → 1 MULT9_CORE and no MULT18_CORE;
# 18x18 → 2 MULT9_CORE + 1 MULT18_CORE; 18x36 → 4 + 2 + 1 MULT18X36_CORE; 36x36 → 8 + 4 + 2
# + 1 MULT36_CORE). So the MULT9_COREs count, at half an 18x18 each (LIFCL-40: 112 of them);
# the pre-adders, registers, the MULT18/18X36/36 adders and the ACC54_CORE accumulators are
# parts of the same multipliers and do not count again.
DSP_SHARES: dict[str, tuple[str, float]] = {
    "MULT9X9": ("MULT18X18", 0.5), "PADD9": ("MULT18X18", 0.5),
    "MULT18X18": ("MULT18X18", 1), "PADD18": ("MULT18X18", 1),
    "MULTALU18X18": ("MULT18X18", 2), "MULTALU36X18": ("MULT18X18", 2),
    "MULTADDALU18X18": ("MULT18X18", 2), "ALU54D": ("MULT18X18", 2),
    "MULT36X36": ("MULT18X18", 4),
    "MULT9_CORE": ("MULT18", 0.5),
}

# input/clock buffers Yosys names nets after (Gowin clk_IBUF_I_O, Nexus clk_IB_I_O,
# GateMate clk_CC_IBUF_I_Y_CC_BUFG_I_O after autoname)
_BUFFERED = re.compile(r"(?:_(?:CC_)?(?:IBUF|IB|BUFG)_I_[OY])+$")

def clock_port(net: str) -> str:
    """Best guess of the top-level port behind a nextpnr clock net name."""
    name = net
    if name.startswith("$glbnet$"):
        name = name[len("$glbnet$"):]
    if name.endswith("$glb_clk") and not name.endswith("_$glb_clk") and \
            len(name) > len("$glb_clk") and "$SB_IO_IN" not in name:
        name = name[: -len("$glb_clk")]       # MachXO2/Nexus: clk$TRELLIS_IO_IN$glb_clk
    for suffix in ("$SB_IO_IN_$glb_clk", "$SB_IO_IN", "$TRELLIS_IO_IN", "_$glb_clk", "$glb_clk",
                   "$TRELLIS_IO_OUT"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    name = _BUFFERED.sub("", name) or name
    return name or net


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _resources(util: dict[str, tuple[int, int]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for bel, (used, avail) in util.items():
        hit = BELS.get(bel)
        if hit is None:
            continue
        key, unit = hit
        if key in out:  # two bels for one key: add them up, keep the first unit
            out[key]["used"] += used
            out[key]["available"] += avail
            continue
        out[key] = {"used": used, "available": avail, "unit": unit}
    shares = {bel: util[bel] for bel in DSP_SHARES if bel in util}
    if shares:
        unit = DSP_SHARES[next(iter(shares))][0]
        used = sum(u * DSP_SHARES[bel][1] for bel, (u, _) in shares.items())
        # every mode fills the whole device (see DSP_SHARES): the largest is the device's
        avail = max(a * DSP_SHARES[bel][1] for bel, (_, a) in shares.items())
        out["dsp"] = {"used": _whole(used), "available": _whole(avail), "unit": unit}
    return dict(sorted(out.items()))


def _clock(net: str, achieved: float, target: float | None) -> dict[str, Any]:
    clock: dict[str, Any] = {"name": net, "port": clock_port(net), "fmax_mhz": round(achieved, 2)}
    if target is not None:
        clock["target_mhz"] = round(target, 2)
        clock["met"] = achieved >= target
    return clock


def _timing(clocks: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not clocks:
        return None
    timing: dict[str, Any] = {"clocks": clocks}
    verdicts = [c["met"] for c in clocks if "met" in c]
    if verdicts:
        timing["met"] = all(verdicts)
    return timing


def _partial(util: dict[str, tuple[int, int]], clocks: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if util:
        out["bels"] = {bel: {"used": u, "available": a} for bel, (u, a) in sorted(util.items())}
        resources = _resources(util)
        if resources:
            out["resources"] = resources
    timing = _timing(clocks)
    if timing:
        out["timing"] = timing
    return out


def _num(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ReportError(f"nextpnr report: {where} is not a number: {str(value)[:40]!r}")
    try:
        return finite(float(value), f"nextpnr report: {where}")
    except OverflowError:
        raise ReportError(f"nextpnr report: {where} is not a finite number") from None


def parse_report_json(text: str) -> dict[str, Any]:
    """Parse the JSON written by ``nextpnr-* --report FILE``."""
    check_text(text, "nextpnr report")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # ValueError: also ints over 4,300 digits
        raise ReportError(f"nextpnr report: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("utilization"), dict):
        raise ReportError("nextpnr report: no 'utilization' object (is this a nextpnr --report file?)")
    util: dict[str, tuple[int, int]] = {}
    for bel, entry in data["utilization"].items():
        if not isinstance(entry, dict):
            raise ReportError(f"nextpnr report: utilization of {bel!r} is not an object")
        used = _num(entry.get("used"), f"utilization.{bel}.used")
        avail = _num(entry.get("available"), f"utilization.{bel}.available")
        util[str(bel)] = (int(used), int(avail))
    fmax = data.get("fmax", {})
    if not isinstance(fmax, dict):
        raise ReportError("nextpnr report: 'fmax' is not an object")
    clocks = []
    for net, entry in fmax.items():
        if not isinstance(entry, dict):
            raise ReportError(f"nextpnr report: fmax of {net!r} is not an object")
        achieved = _num(entry.get("achieved"), f"fmax.{net}.achieved")
        target = entry.get("constraint")
        clocks.append(_clock(str(net), achieved,
                             None if target is None else _num(target, f"fmax.{net}.constraint")))
    return _partial(util, clocks)


_FMAX = re.compile(r"^(?:Info|Warning|ERROR): Max frequency for clock +'(?P<net>[^']+)': "
                   r"(?P<fmax>[\d.]+) MHz(?: \((?P<verdict>PASS|FAIL) at (?P<target>[\d.]+) MHz\))?",
                   re.M)
_UTIL_HEAD = re.compile(r"^Info: Device utilisation:[ \t]*$", re.M)
_UTIL_ROW = re.compile(r"^Info:\s+(\S+):\s+(\d+)/\s*(\d+)\s+\d+%\s*$")
_DEVICE = re.compile(r"^Info: Using uarch '([^']+)' for device '([^']+)'", re.M)
_CRASH = re.compile(r"^(ERROR: (?!Max frequency for clock).*|terminate called.*|"
                    r".*Segmentation fault.*|.*Aborted \(core dumped\).*|"
                    r"thread '.*' panicked.*)$", re.M)


def parse_log(text: str) -> dict[str, Any]:
    """Parse a nextpnr log: the last Max-frequency line per clock, the last utilisation block.

    A log with an ``ERROR:`` (other than a failed Max-frequency check) or a crash raises
    ``ReportError``: its figures describe a run that did not finish."""
    check_text(text, "nextpnr log")
    crash = _CRASH.search(text)
    if crash:
        raise ReportError(f"nextpnr log: the run failed: {crash.group(0).strip()[:200]}",
                          line=line_of(text, crash.start()))
    util: dict[str, tuple[int, int]] = {}
    heads = list(_UTIL_HEAD.finditer(text))
    if heads:
        for line in text[heads[-1].end():].lstrip("\r\n").splitlines():
            m = _UTIL_ROW.match(line)
            if not m:
                break
            util[m.group(1)] = (count(m.group(2), "nextpnr log"), count(m.group(3), "nextpnr log"))
    last: dict[str, dict[str, Any]] = {}
    for m in _FMAX.finditer(text):
        try:
            achieved = finite(float(m.group("fmax")), "nextpnr log: Fmax")
            target = finite(float(m.group("target")), "nextpnr log: target") \
                if m.group("target") else None
        except (ValueError, ReportError):
            raise ReportError(f"nextpnr log: bad frequency in {m.group(0)[:120]!r}",
                              line=line_of(text, m.start())) from None
        clock = _clock(m.group("net"), achieved, target)
        if m.group("verdict"):  # trust the tool's own verdict over our comparison
            clock["met"] = m.group("verdict") == "PASS"
        last.pop(m.group("net"), None)
        last[m.group("net")] = clock
    if not util and not last:
        raise ReportError("nextpnr log: no 'Device utilisation' block and no 'Max frequency' line "
                          "(is this a nextpnr log?)")
    out = _partial(util, list(last.values()))
    dev = _DEVICE.search(text)
    if dev:
        out["device"] = {"part": dev.group(2)}
    return out
