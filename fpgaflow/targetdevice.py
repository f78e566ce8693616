"""The device a core's FuseSoC target builds for, read from its tool options.

Public cores name their device per target, in the options of the target's default tool
(``tools: icestorm: nextpnr_options: [--lp8k, --package, cm81]``, ``tools: vivado: part:
xc7a35ticsg324-1L``, ``tools: apicula: device: GW1N-LV1QN48C6/I5``): that is what
``fusesoc run --target T`` builds for, with no board file. A recipe with no ``board:``
builds for that device, and a recipe whose board is another device is refused.

Options are read as Edalize writes them into its Makefile (each list item split as the
shell splits it) and as nextpnr reads them: of several device flags, the last one in
nextpnr's own order wins; ``--package`` and ``--speed`` take nextpnr's defaults.
The part numbers map to ``devices.yaml`` entries through ``parts.yaml``.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import yamlfile
from .errors import FpgaflowError

PARTS_FILE = Path(__file__).resolve().parent / "parts.yaml"

# nextpnr-ice40's device flags in the order its main.cc tests them (the last one set wins),
# with the part prefix and the package nextpnr takes when none is given
ICE40 = {"lp384": ("iCE40LP384", "qn32"), "lp1k": ("iCE40LP1K", "tq144"),
         "lp4k": ("iCE40LP4K", "tq144"), "lp8k": ("iCE40LP8K", "ct256"),
         "hx1k": ("iCE40HX1K", "tq144"), "hx4k": ("iCE40HX4K", "tq144"),
         "hx8k": ("iCE40HX8K", "ct256"), "up3k": ("iCE40UP3K", "sg48"),
         "up5k": ("iCE40UP5K", "sg48"), "u1k": ("iCE5LP1K", "swg16tr"),
         "u2k": ("iCE5LP2K", "sg48"), "u4k": ("iCE5LP4K", "sg48")}
# nextpnr-ecp5's device flags, in its order; the package (default CABGA381) becomes the
# order code's package letters, the speed grade (default 6, 5G parts 8) its digit
ECP5 = {"12k": "LFE5U-12F", "25k": "LFE5U-25F", "45k": "LFE5U-45F", "85k": "LFE5U-85F",
        "um-25k": "LFE5UM-25F", "um-45k": "LFE5UM-45F", "um-85k": "LFE5UM-85F",
        "um5g-25k": "LFE5UM5G-25F", "um5g-45k": "LFE5UM5G-45F", "um5g-85k": "LFE5UM5G-85F"}
ECP5_PACKAGES = {"CABGA256": "BG256", "CABGA381": "BG381", "CABGA554": "BG554",
                 "CABGA756": "BG756", "CSFBGA285": "MG285", "TQFP144": "TG144"}
# the option that names the part, per FuseSoC tool (Edalize's TOOL_OPTIONS)
PART_OPTION = {"vivado": "part", "ise": "part", "diamond": "part", "radiant": "part",
               "libero": "part", "apicula": "device", "oxide": "device", "gatemate": "device",
               "quartus": "device", "nextpnr": "device"}
DEVICE_FLAGS = {"icestorm": {f"--{k}" for k in ICE40}, "trellis": {f"--{k}" for k in ECP5}}


@dataclass(frozen=True)
class TargetPart:
    part: str                  # the vendor's part number
    device: str | None         # the devices.yaml key; None: fpgaflow has no data for it
    package: str | None
    speed: str | None
    source: str                # where it was read, for messages


def split_options(value) -> list[str]:
    """A tool option list as the shell splits Edalize's Makefile line ('--25k --package X'
    as one item is three arguments)."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        try:
            out += shlex.split(str(item))
        except ValueError:
            out.append(str(item))
    return out


def _flag_values(args: list[str], name: str) -> list[str]:
    vals = []
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            vals.append(args[i + 1])
        elif a.startswith(name + "="):
            vals.append(a.split("=", 1)[1])
    return vals


def _nextpnr_part(tool: str, args: list[str], source: str) -> TargetPart | None:
    table = ICE40 if tool == "icestorm" else ECP5
    flags = [k for k in table if f"--{k}" in args]
    if not flags:
        return None
    size = flags[-1]                   # nextpnr tests them in this order; the last one set wins
    packages = _flag_values(args, "--package")
    speeds = _flag_values(args, "--speed")
    if tool == "icestorm":
        prefix, default = ICE40[size]
        package = (packages[-1] if packages else default).upper()
        return TargetPart(f"{prefix}-{package}", lookup(f"{prefix}-{package}"), package.lower(),
                          None, source)
    package = (packages[-1] if packages else "CABGA381").upper()
    # no --speed: nextpnr takes 6, and 8 for the 5G parts (their only grade); passing none
    # keeps it so
    speed = speeds[-1] if speeds else None
    grade = speed or ("8" if size.startswith("um5g") else "6")
    part = f"{ECP5[size]}-{grade}{ECP5_PACKAGES.get(package, package)}C"
    return TargetPart(part, lookup(part), package, speed, source)


def from_tool_options(tool: str | None, options: dict | None) -> TargetPart | None:
    """The part a target's tool options name, or None when they name none."""
    if not tool or not isinstance(options, dict):
        return None
    if tool in DEVICE_FLAGS:
        args = split_options(options.get("nextpnr_options", []))
        return _nextpnr_part(tool, args, f"tools: {tool}: nextpnr_options")
    key = PART_OPTION.get(tool)
    part = options.get(key) if key else None
    if not isinstance(part, str) or not part.strip():
        return None
    part = part.strip()
    return TargetPart(part, lookup(part), None, None, f"tools: {tool}: {key}")


# the flow-API flows (Edalize's edalize/flows/, ``flow: X``) and where their flow_options
# name the part: nextpnr_options for the iCE40/ECP5 flows, else a part or device option
FLOW_TOOL = {"icestorm": "icestorm", "trellis": "trellis"}
FLOW_PART_OPTION = {"vivado": "part", "gowin": "part", "efinity": "part", "f4pga": "part",
                    "apicula": "device", "gatemate": "device", "nextpnr": "device"}
# Edalize's apicula flow: `board:` stands for its device (edalize/flows/apicula.py BOARDS)
APICULA_BOARDS = {"tangnano": "GW1N-LV1QN48C6/I5", "tangnano9k": "GW1NR-LV9QN88PC6/I5",
                  "tangnano20k": "GW2AR-LV18QN88C8/I7"}


def from_flow_options(flow: str | None, options: dict | None) -> TargetPart | None:
    """The part a flow-API target's ``flow_options`` name (``flow: icestorm``,
    ``flow_options: {nextpnr_options: [--lp8k, --package, cm81]}``), or None."""
    if not flow or not isinstance(options, dict):
        return None
    if flow in FLOW_TOOL:
        args = split_options(options.get("nextpnr_options", []))
        return _nextpnr_part(FLOW_TOOL[flow], args, f"flow: {flow}: flow_options: nextpnr_options")
    key = FLOW_PART_OPTION.get(flow)
    part = options.get(key) if key else None
    if flow == "apicula" and not part and options.get("board") in APICULA_BOARDS:
        key, part = "board", APICULA_BOARDS[options["board"]]
    if not isinstance(part, str) or not part.strip():
        return None
    part = part.strip()
    return TargetPart(part, lookup(part), None, None, f"flow: {flow}: flow_options: {key}")


def from_target(tools: dict | None) -> TargetPart | None:
    """The part a target names (``corelib.CoreInfo.target_tools`` of one target): its
    flow_options when it uses the flow API (``fusesoc run`` takes the flow then), else its
    default tool's options."""
    tools = tools or {}
    return from_flow_options(tools.get("flow"), tools.get("flow_options")) if tools.get("flow") \
        else from_tool_options(tools.get("tool"), tools.get("options"))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern, str]]:
    data = yamlfile.load(PARTS_FILE)
    if not isinstance(data, dict):
        raise FpgaflowError("parts.yaml must map device -> part patterns", file=str(PARTS_FILE))
    return [(re.compile(p, re.IGNORECASE), dev) for dev, pats in data.items()
            for p in (pats if isinstance(pats, list) else [pats])]


def lookup(part: str) -> str | None:
    """The devices.yaml entry of a part number (case-insensitive, whole part)."""
    for pat, dev in _patterns():
        if pat.fullmatch(part):
            return dev
    return None


def flag_of_part(part: str) -> str | None:
    """nextpnr's device flag for an iCE40 or ECP5 part number (iCE40LP8K-CM81: --lp8k,
    LFE5UM5G-85F-8BG381C: --um5g-85k), None for other parts."""
    prefix = part.split("-")[0].upper() if part.upper().startswith("ICE") else \
        "-".join(part.split("-")[:2]).upper()
    for flag, (pre, _) in ICE40.items():
        if pre.upper() == prefix:
            return f"--{flag}"
    for flag, pre in ECP5.items():
        if pre.upper() == prefix:
            return f"--{flag}"
    return None


def package_of(part: str) -> str | None:
    """The package of a part, where the open flows pass it to nextpnr (iCE40 and ECP5)."""
    m = re.fullmatch(r"iCE(?:40|5)[A-Z]+\d+K?-(\w+)", part, re.IGNORECASE)
    if m:
        return m.group(1).lower()
    m = re.fullmatch(r"LFE5U\w*-\d+F-(\d)([A-Z]+\d+)[CI]?", part, re.IGNORECASE)
    if m:
        codes = {v: k for k, v in ECP5_PACKAGES.items()}
        return codes.get(m.group(2).upper())
    return None


def speed_of(part: str) -> str | None:
    m = re.fullmatch(r"LFE5U\w*-\d+F-(\d)[A-Z]+\d+[CI]?", part, re.IGNORECASE)
    return m.group(1) if m else None
