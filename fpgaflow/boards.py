"""Boards and devices.

A *device* (``fpgaflow/devices.yaml``) is an FPGA with its datasheet capacities and the
way each flow drives it. A *board* (``boards/<name>.yaml``) names a device and a full
part number and adds clocks, pins, package and speed grade, and for Intel parts the
Quartus edition (never guessed from what happens to be installed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import yamlfile
from .errors import FpgaflowError

PACKAGE_DIR = Path(__file__).resolve().parent
DEVICES_FILE = PACKAGE_DIR / "devices.yaml"
REPO_BOARDS = PACKAGE_DIR.parent / "boards"

BOARD_KEYS = {"name", "description", "device", "part", "package", "speed", "clocks",
              "quartus_edition", "pins"}


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

    def capacity(self, key: str) -> dict[str, Any] | None:
        return self.resources.get(key)

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
    data = yamlfile.load(DEVICES_FILE)
    out = {}
    for key, d in data.items():
        out[key] = Device(key=key, vendor=d["vendor"], family=d["family"],
                          description=d.get("description", key), datasheet=d["datasheet"],
                          resources=dict(d["resources"]), vendor_flow=d.get("vendor_flow"),
                          open=d.get("open"), estimate=d.get("estimate"))
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
    data = yamlfile.load(path)
    file = str(path)
    if not isinstance(data, dict):
        raise FpgaflowError("a board file must be a mapping", file=file)
    for key in data:
        if key not in BOARD_KEYS:
            raise FpgaflowError(f"unknown key (expected one of: {', '.join(sorted(BOARD_KEYS))})",
                                file=file, line=data.line_of(key), key=key)
    for key in ("device", "part"):
        if key not in data:
            raise FpgaflowError(f"missing required key '{key}'", file=file, line=1, key=key)
    dev = devices().get(str(data["device"]))
    if dev is None:
        raise FpgaflowError(f"unknown device {data['device']!r} (known: {', '.join(devices())})",
                            file=file, line=data.line_of("device"), key="device")
    edition = data.get("quartus_edition")
    if edition is not None and edition not in ("lite", "standard", "pro"):
        raise FpgaflowError("expected lite, standard or pro", file=file,
                            line=data.line_of("quartus_edition"), key="quartus_edition")
    return Board(name=data.get("name", path.stem), description=data.get("description", ""),
                 device=dev, part=str(data["part"]), path=path,
                 package=data.get("package"), speed=str(data["speed"]) if "speed" in data else None,
                 clocks=dict(data.get("clocks") or {}), quartus_edition=edition,
                 pins={str(k): (dict(v) if isinstance(v, dict) else {"pin": str(v)})
                       for k, v in (data.get("pins") or {}).items()})
