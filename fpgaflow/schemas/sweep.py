"""The sweep file schema (``recipes/sweeps/*.yaml``): a base recipe and a matrix."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field

from .base import Finite, Identifier, Name, Strict
from .recipe import RecipeFile

Value = Union[bool, int, Finite, Annotated[str, Field(max_length=1000)]]
Axis = Annotated[str, Field(max_length=300, description="parameters.NAME, board or flow")]


class Objective(Strict):
    metric: Annotated[str, Field(max_length=300)] = Field(
        description="a summary metric, e.g. lut.pct, fmax_mhz, sim.cycles_per_item")
    goal: Literal["min", "max"] = Field("min", description="minimise or maximise it")


class SweepFile(Strict):
    """A design-space sweep: every combination of the matrix is one build of the base."""

    name: Name = Field(None, description="a name for the sweep (letters, digits, - _ .)")
    description: Annotated[str, Field(max_length=10000)] = Field(None, description="free text")
    base: Union[Annotated[str, Field(max_length=4096)], RecipeFile] = Field(
        description="a recipe file (relative to the sweep file) or an inline recipe mapping")
    matrix: Annotated[dict[Axis, Union[Annotated[list[Value], Field(max_length=10_000)],
                                       dict[Identifier, list[Value]]]],
                      Field(max_length=100)] = Field(
        None, description="a mapping of axis -> list of values; axes: parameters.X, board, flow "
                          "(or parameters: {X: [...]})")
    include: Annotated[list[dict[Axis, Value]], Field(max_length=10_000)] = Field(
        None, description="extra or extended combinations (as in GitHub Actions matrices)")
    exclude: Annotated[list[dict[Axis, Value]], Field(max_length=10_000)] = Field(
        None, description="partial combinations to drop")
    derived: Annotated[dict[Identifier, Union[Annotated[str, Field(max_length=1000)], int, Finite]],
                       Field(max_length=100)] = Field(
        None, description="a mapping of parameter -> expression over the other parameters")
    objectives: Annotated[list[Objective], Field(max_length=10)] = Field(
        None, description="the objectives of the Pareto front")


KEYS = {name: (f.description or "") for name, f in SweepFile.model_fields.items()}
