"""The ``summary.json`` schema (``fpgaflow.summary/1``), typed.

Every summary is checked against it when it is written and when it is read, so render,
gate, compare and sweep can rely on types: a resource count is a non-negative finite
number, a clock has a name, ``status`` is one of STATUSES. Sections whose keys depend on
the tool (``timing``, ``power``, ``hls``...) type the keys fpgaflow reads and accept other
keys with JSON values (never NaN or Infinity: those are not JSON).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import ConfigDict, Field

from ..summary import RESOURCE_KEYS, SCHEMA, STATUSES  # noqa: F401 - part of this schema
from .base import Count, Finite, Strict

Scalar = Union[bool, int, Finite, str, None]
Text = Annotated[str, Field(max_length=100_000)]
Positive = Annotated[Finite, Field(gt=0)]
Json = Union[Scalar, list[Any], dict[str, Any]]


class Open(Strict):
    """A section with typed known keys; other keys are allowed, with scalar values."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Union[Scalar, list[Scalar]]]


class Resource(Strict):
    used: Count = Field(description="how many the design uses (native primitives)")
    available: Count = Field(None, description="how many the device has")
    unit: Annotated[str, Field(max_length=100)] = Field(None, description="the native primitive, e.g. LUT4")
    bits: Count = Field(None, description="memory bits of the blocks used")
    bits_available: Count = Field(None, description="memory bits of the device (when the tool "
                                  "counts memory in bits, e.g. Cyclone IV)")
    stage: Annotated[str, Field(max_length=100)] = Field(
        None, description="the stage that measured `used`: synth (cell counts) or pnr (placed)")
    by_stage: dict[Annotated[str, Field(max_length=100)], Count] = Field(
        None, description="each stage's figure, when more than one measured it")
    sites: Count = Field(None, description="the die's sites where the part offers fewer: io, the die's I/O "
                       "sites (available: the package's pins); a part sold as a smaller device "
                       "on a larger die, the die's (available: the datasheet's)")
    unconstrained: Count = Field(None, description="io: pins no constraint file places")
    unconstrained_ports: list[Annotated[str, Field(max_length=1000)]] = Field(
        None, description="io: the port bits placed anywhere by the tool")


class Clock(Open):
    name: Annotated[str, Field(max_length=1000)]
    net: Annotated[str, Field(max_length=1000)] = None
    target_mhz: Positive = None
    fmax_mhz: Positive = None
    period_ns: Positive = None
    wns_ns: Finite = None
    tns_ns: Finite = None
    whs_ns: Finite = None
    ths_ns: Finite = None
    met: bool = None


class Timing(Open):
    met: bool = None
    wns_ns: Finite = None
    tns_ns: Finite = None
    whs_ns: Finite = None
    ths_ns: Finite = None
    clocks: list[Clock] = None


class Power(Open):
    total_w: Finite = None
    dynamic_w: Finite = None
    static_w: Finite = None
    source: Text = None


class Hls(Open):
    __pydantic_extra__: dict[str, Json]
    interval: Union[Count, list[Count]] = None
    latency_cycles: Union[Count, list[Count]] = None
    clock_estimated_ns: Finite = None
    resources: dict[str, Resource] = None


class Sim(Open):
    vectors: Annotated[int, Field(ge=0)] = None
    mismatches: Annotated[int, Field(ge=0)] = None
    cycles_per_item: Count = None
    cycles_per_item_bound: Count = None
    passed: bool = None
    # absent: the testbench's FPGAFLOW_SIM line (vectors, mismatches) decided; "exit
    # status": a testbench that prints none passed by exiting 0, as under `fusesoc run`
    checked_by: Literal["exit status"] = None


class Stage(Open):
    name: Annotated[str, Field(max_length=100)]
    status: Annotated[str, Field(max_length=100)]
    seconds: Count = None
    log: Text = None
    message: Text = None


class Tool(Open):
    name: Annotated[str, Field(max_length=200)]
    version: Annotated[str, Field(max_length=200)] = None
    via: Annotated[str, Field(max_length=200)] = None
    command: Text = None


class Device(Open):
    part: Annotated[str, Field(max_length=200)] = None
    vendor: Annotated[str, Field(max_length=200)] = None
    family: Annotated[str, Field(max_length=200)] = None
    device: Annotated[str, Field(max_length=200)] = None
    package: Annotated[str, Field(max_length=200)] = None


class Summary(Strict):
    """One build's (or one set of reports') results, the same for every vendor."""

    schema_: Literal[SCHEMA] = Field(alias="schema", description="always " + SCHEMA)
    status: Literal[STATUSES] = Field(description="one of " + ", ".join(STATUSES))
    name: Text = None
    recipe: Text = None
    digest: Annotated[str, Field(max_length=200)] = None
    core: Text = None
    board: Text = None
    device: Device = None
    flow: Annotated[str, Field(max_length=100)] = None
    estimate: bool = None
    tools: list[Tool] = None
    parameters: dict[str, Scalar] = None
    stages: list[Stage] = None
    notes: list[Text] = None
    needs_vendor: list[Annotated[str, Field(max_length=100)]] = None
    gates: Union[dict[str, Json], list[Json]] = None
    resources: dict[Literal[RESOURCE_KEYS], Resource] = None
    timing: Timing = None
    power: Power = None
    hls: Hls = None
    sim: Sim = None
    csim: Sim = None
    cells: dict[str, Count] = None
    bels: dict[str, dict[str, Count]] = None
    sources: dict[str, Text] = None
    artifacts: dict[Annotated[str, Field(max_length=100)], Text] = Field(
        None, description="files the build wrote for the user, in the build dir (bitstream)")
    accelerators: Json = None
    hierarchy: Json = None
    model_config = ConfigDict(populate_by_name=True)
