"""Design-space sweeps: a sweep file -> points (normal recipes) -> builds -> table + Pareto front.

A sweep file names a base recipe and a matrix::

    name: bilstm_precision
    base: ../bilstm_zcu104.yaml          # a recipe file (relative to this file) or an inline mapping
    matrix:
      parameters.WBITS: [2, 4]
      parameters.FOLD: [1, 2]
      board: [zcu104, ulx3s]
      flow: [estimate]
    exclude: [{board: ulx3s, parameters.WBITS: 4}]
    include: [{parameters.WBITS: 8, parameters.FOLD: 1, board: zcu104}]
    derived: {SIMD_IN: "INPUT // FOLD"}
    objectives: [{metric: lut.pct, goal: min}, {metric: sim.cycles_per_item, goal: min}]

``expand`` turns it into ``Point`` s (exclude first, then include, as in GitHub Actions
matrices; derived parameters last, with a restricted expression evaluator). Each point is
written as an ordinary recipe under ``<out>/sweep-<name>/points/`` and built with
``build.make_plan`` + ``build.execute``, so its digest is its cache key: finished points are
served from cache and an interrupted sweep resumes where it stopped. ``run`` plans every
point in this process (which also resolves, and so warms, the tools once), serves cached
points at once and hands the rest to an executor: serial, local processes or Dask.
``pareto_front`` is a pure function.

The package: ``spec`` (the file, ``load``), ``expressions`` (derived parameters),
``expansion`` (matrix -> points -> point recipes), ``executors`` (serial, local processes,
Dask), ``running`` (``run``), ``outputs`` (metrics, Pareto front, JSON/CSV/SVG/HTML).
"""

from .executors import EXECUTORS, build_point, warm_tools
from .expansion import combinations, expand, point_name, point_recipe, write_points
from .expressions import FUNCTIONS, ExprError, check_expression, evaluate, names_in
from .outputs import (COLUMNS, FAILED, SCHEMA, _front, counts, dominates, html_page, metric,
                      metric_names, param_names, pareto_front, pareto_section, plot_front,
                      results_key, to_csv, write_results)
from .running import Observer, SweepResult, _fill, run
from .spec import GOALS, KEYS, Objective, Point, Sweep, load

__all__ = ["COLUMNS", "EXECUTORS", "FAILED", "FUNCTIONS", "GOALS", "KEYS", "SCHEMA", "ExprError",
           "Objective", "Observer", "Point", "Sweep", "SweepResult", "build_point",
           "check_expression", "combinations", "counts", "dominates", "evaluate", "expand",
           "html_page", "load", "metric", "metric_names", "names_in", "param_names",
           "pareto_front", "pareto_section", "plot_front", "point_name", "point_recipe",
           "results_key", "run", "to_csv", "warm_tools", "write_points", "write_results"]
