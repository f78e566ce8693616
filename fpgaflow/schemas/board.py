"""The board (``boards/<name>.yaml``) and device (``fpgaflow/devices.yaml``) schemas."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Field

from .base import Count, Name, Strict

Text = Annotated[str, Field(max_length=10_000)]
Word = Annotated[str, Field(max_length=200)]
Scalar = Union[bool, int, float, str]


class BoardClock(Strict):
    mhz: Annotated[float, Field(gt=0, le=1e5)] = Field(
        None, description="the oscillator's frequency in MHz (none: the clock comes in on a pin)")
    pin: Word = Field(None, description="the FPGA pin the oscillator drives")
    standard: Word = Field(None, description="the I/O standard of the pin, e.g. LVCMOS33")
    note: Text = None


class BoardPin(Strict):
    pin: Word = Field(description="the FPGA pin (ball) name")
    standard: Word = Field(None, description="the I/O standard, e.g. LVCMOS33")
    note: Text = None


class BoardFile(Strict):
    """A board: a device, the full part number, its clocks and pins."""

    name: Name = Field(None, description="the board's name (default: the file's name)")
    description: Text = None
    device: Word = Field(description="a device of fpgaflow/devices.yaml (see `fpgaflow boards`)")
    part: Word = Field(description="the full part number, e.g. LFE5U-85F-6BG381C")
    package: Word = None
    speed: Union[Word, int] = Field(None, description="the speed grade")
    clocks: dict[Word, BoardClock] = Field(None, description="clock port -> oscillator")
    quartus_edition: Literal["lite", "standard", "pro"] = Field(
        None, description="the Quartus edition the part needs (Intel parts)")
    pins: dict[Word, Union[Word, BoardPin]] = Field(
        None, description="top port bit (led[0]) -> FPGA pin, or {pin, standard}")


class Capacity(Strict):
    count: Count = Field(description="how many the device has")
    unit: Word = Field(description="the native primitive, e.g. LUT4, DP16KD")
    bits: Count = Field(None, description="memory bits of all blocks together")
    note: Text = None


class DeviceEntry(Strict):
    """An FPGA with its datasheet capacities and the way each flow drives it."""

    vendor: Word
    family: Word
    description: Text = None
    datasheet: Text = Field(description="where the capacities come from (URL or document)")
    resources: dict[Literal["lut", "ff", "dsp", "bram", "uram", "lutram", "carry", "io"], Capacity]
    vendor_flow: Word = Field(None, description="the vendor flow: vivado, quartus ...")
    open: dict[Word, Union[Scalar, list[Scalar], dict[str, Any]]] = Field(
        None, description="synthesis and place-and-route of the open flow")
    estimate: dict[Word, Union[Scalar, list[Scalar], dict[str, Any]]] = Field(
        None, description="the Yosys synthesis of the estimate flow")
    packages: dict[Word, dict[Literal["io"], Count]] = Field(
        None, description="per package (as nextpnr names it, lower case): its user I/O count, "
                          "where it differs from resources.io")


class DevicesFile(Strict):
    model_config = {"extra": "allow"}
    __pydantic_extra__: dict[str, DeviceEntry]
