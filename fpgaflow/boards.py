"""Boards and devices.

A *device* (``fpgaflow/devices.yaml``) is an FPGA with its datasheet capacities and the
way each flow drives it. A *board* (``boards/<name>.yaml``) names a device and a full
part number and adds clocks, pins, package and speed grade, and for Intel parts the
Quartus edition (never guessed from what happens to be installed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import yamlfile
from .errors import FpgaflowError

PACKAGE_DIR = Path(__file__).resolve().parent
DEVICES_FILE = PACKAGE_DIR / "devices.yaml"
REPO_BOARDS = PACKAGE_DIR.parent / "boards"

BOARD_KEYS = ("name", "description", "device", "part", "package", "speed", "clocks",
              "quartus_edition", "pins")


@dataclass(frozen=True)
class Device:
    key: str
    vendor: str
    family: str
    description: str
    datasheet: str
    resources: dict[str, dict[str, Any]]
    vendor_flow: str | None = None         # vivado | quartus | None
    open: dict[str, Any] | None = None     # synth/nextpnr for families with open P&R
    estimate: dict[str, Any] | None = None  # yosys synth command for the estimate flow
    packages: dict[str, dict[str, int]] | None = None   # package -> {io: user I/O}

    def capacity(self, key: str, package: str | None = None) -> dict[str, Any] | None:
        """A datasheet capacity; ``io`` of the given package where the device lists it."""
        cap = self.resources.get(key)
        per = (self.packages or {}).get((package or "").lower(), {})
        if cap is not None and key in per:
            cap = {**cap, "count": per[key]}
        return cap

    def flows(self) -> list[str]:
        """The flows this device can use, in the order `auto` prefers them (the registry's
        flows that serve its family)."""
        from .flows import registry
        return list(dict.fromkeys(f.name for f in registry().for_device(self)))


@dataclass(frozen=True)
class Board:
    name: str
    description: str
    device: Device
    part: str
    path: Path
    package: str | None = None
    speed: str | None = None
    clocks: dict[str, dict[str, Any]] = field(default_factory=dict)
    quartus_edition: str | None = None
    pins: dict[str, dict[str, Any]] = field(default_factory=dict)  # top port bit -> {pin, standard}


@lru_cache(maxsize=None)
def devices() -> dict[str, Device]:
    from .schemas import base, board as schema
    data = yamlfile.load(DEVICES_FILE)
    if not isinstance(data, dict):
        raise FpgaflowError("the devices file must be a mapping of device -> entry",
                            file=str(DEVICES_FILE))
    out = {}
    for key, d in data.items():
        e = base.validate(schema.DeviceEntry, d, file=str(DEVICES_FILE), prefix=(key,))
        out[key] = Device(key=key, vendor=e.vendor, family=e.family,
                          description=e.description or key, datasheet=e.datasheet,
                          resources={k: dict(v) for k, v in d["resources"].items()},
                          vendor_flow=e.vendor_flow, open=d.get("open"), estimate=d.get("estimate"),
                          packages={k.lower(): dict(v) for k, v in (e.packages or {}).items()} or None)
    return out


def board_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Where boards are looked up: given dirs, ./boards, then the repository's boards/."""
    dirs = list(extra or []) + [Path.cwd() / "boards", REPO_BOARDS]
    seen, out = set(), []
    for d in dirs:
        r = d.resolve()
        if r not in seen and r.is_dir():
            seen.add(r)
            out.append(r)
    return out


def all_boards(extra: list[Path] | None = None) -> dict[str, Board]:
    found: dict[str, Board] = {}
    for d in board_dirs(extra):
        for f in sorted(d.glob("*.yaml")):
            if f.stem not in found:
                found[f.stem] = load_board(f)
    return found


def find_board(name: str, extra: list[Path] | None = None) -> Board | None:
    for d in board_dirs(extra):
        f = d / f"{name}.yaml"
        if f.exists():
            return load_board(f)
    return None


def load_board(path: Path) -> Board:
    from .schemas import base, board as schema
    data = yamlfile.load(path)
    file = str(path)
    if not isinstance(data, dict):
        raise FpgaflowError("a board file must be a mapping", file=file)
    b = base.validate(schema.BoardFile, data, file=file,
                      hints={"extra_forbidden": "known keys: " + ", ".join(BOARD_KEYS)})
    dev = devices().get(b.device)
    if dev is None:
        raise FpgaflowError(f"unknown device {base.short(b.device)} (known: {', '.join(devices())})",
                            file=file, line=data.line_of("device"), key="device")
    return Board(name=b.name or path.stem, description=b.description or "",
                 device=dev, part=b.part, path=path, package=b.package,
                 speed=str(b.speed) if b.speed is not None else None,
                 clocks={k: dict(v) for k, v in (data.get("clocks") or {}).items()},
                 quartus_edition=b.quartus_edition,
                 pins=_pins(data, file))


def _pins(data, file: str) -> dict[str, dict[str, Any]]:
    """``pins`` as port bit -> {pin, standard}; pin names are written into LPF/PCF/CST."""
    pins = data.get("pins") or {}
    out = {}
    for port, entry in pins.items():
        entry = dict(entry) if isinstance(entry, dict) else {"pin": str(entry)}
        if not re.fullmatch(r"[A-Za-z0-9_]{1,20}", str(entry.get("pin"))):
            raise FpgaflowError(f"pins.{port}: {str(entry.get('pin'))[:40]!r} is not a pin name "
                                "(letters, digits, _)", file=file,
                                line=pins.line_of(port) if hasattr(pins, "line_of") else None,
                                key=f"pins.{port}")
        out[str(port)] = entry
    return out


# Intel families Quartus Prime Pro does not support, all of whose devices Quartus Prime Lite
# does (Intel's "Device Support" table of the Quartus Prime editions): a part of these needs
# no edition from the recipe (Lite and Standard write the same project; Pro cannot build it)
LITE_FAMILIES = ("cycloneive", "cyclonev", "cyclone10lp", "max10")


def part_board(tp) -> Board:
    """A board-less build for a part (the recipe's ``part:`` or the part a core's target
    names, ``targetdevice.TargetPart``): the device, package and speed, no pin map (the
    core's own constraint files place the pins); the Quartus edition where the device
    leaves one choice (``LITE_FAMILIES``)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", tp.part)
    device = devices()[tp.device]
    return Board(name=name, description=f"{tp.part}, from {tp.source}", device=device,
                 part=tp.part, path=DEVICES_FILE, package=tp.package, speed=tp.speed,
                 quartus_edition="lite" if device.family in LITE_FAMILIES else None)
