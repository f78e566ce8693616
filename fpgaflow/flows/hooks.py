"""A core's model, as the core declares it to FuseSoC (or the recipe names it).

A CAPI2 core declares the script that writes its data files (ROM contents, LUTs, test
vectors) once, under ``scripts:``, and runs it from a target's ``hooks:``: ``pre_build``
where synthesis reads the files (the ROMs of the default target), ``pre_build`` or
``pre_run`` for the simulation target::

    scripts:
      vectors:
        cmd: [python3, -m, fpgaflow.models.lfc, vectors, .]
    targets:
      default: {hooks: {pre_build: [vectors]}, ...}
      sim:     {hooks: {pre_run: [vectors]}, ...}

FuseSoC puts them into the target's EDAM (``edam["hooks"]["pre_build"]``: name, cmd, env)
and Edalize runs them in the work root, where the model reads the parameter values from
the EDAM file. fpgaflow reads the same EDAM entry: a hook whose command is
``python3 -m MODULE ARGS...`` names the model. fpgaflow runs it in the stage's work dir
with the interpreter it runs in, appends ``-P NAME=VALUE`` for each parameter of the
stage's target (and ``--seed N`` when the recipe sets one), and imports MODULE for two
optional functions, both given the target's parameters (name -> value; a model passes
over the names it does not take):

* ``check(params)``: raises ``ValueError`` on values the design cannot be built with;
  fpgaflow stops with exit 2 naming the recipe's file, line and parameter, before any
  tool runs (a ``ValueError`` with a ``name`` attribute names the parameter);
* ``cycles_per_item(params)``: the folding bound the sim stage sets beside the measured
  cycles per item.

A recipe may name the model itself (``model: some.module``, for a core whose model lives
elsewhere): it replaces the core's Python hooks, and the sim and csim stages run it even
when the core declares none. A hook that is not ``python -m`` is FuseSoC's to run; fpgaflow
names it in the stage's note and does not run it.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

from ..edam import parameters as edam_parameters
from ..errors import FpgaflowError

#: the hooks that run before each stage's tool, as Edalize runs them for that stage
PHASES = {"synth": ("pre_build",), "hls": ("pre_build",),
          "sim": ("pre_build", "pre_run"), "csim": ("pre_build", "pre_run")}
_PYTHON = re.compile(r"python(\d+(\.\d+)?)?(\.exe)?")
_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


@dataclass(frozen=True)
class Model:
    module: str
    args: tuple[str, ...]          # the hook's arguments after the module ("vectors", ".")
    source: str                    # where it was declared, for messages


def _python_module(cmd: list[str]) -> tuple[str, tuple[str, ...]] | None:
    if len(cmd) >= 3 and _PYTHON.fullmatch(os.path.basename(cmd[0])) and cmd[1] == "-m" \
            and _MODULE.fullmatch(cmd[2]):
        return cmd[2], tuple(cmd[3:])
    return None


def declared(edam: dict, stage: str) -> tuple[list[Model], list[str]]:
    """(the Python models the target's hooks run before ``stage``, the other hooks' names)."""
    models, others = [], []
    for phase in PHASES[stage]:
        for hook in (edam.get("hooks") or {}).get(phase) or []:
            found = _python_module([str(c) for c in hook.get("cmd") or []])
            if found:
                models.append(Model(found[0], found[1], f"{phase} hook {hook.get('name')}"))
            else:
                others.append(f"{phase} hook {hook.get('name')}")
    return models, others


def models(ctx, edam: dict, stage: str) -> list[Model]:
    """The models that run before ``stage``: the target's, or the recipe's ``model:``."""
    found, _ = declared(edam, stage)
    named = getattr(ctx, "model", None)
    if not named:
        return found
    if found:       # the recipe's model stands in for the core's, with the hooks' arguments
        return [Model(named, m.args, f"the recipe's model, for the {m.source}") for m in found]
    return [Model(named, ("vectors", "."), "the recipe's model")] if stage in ("sim", "csim") \
        else []


def _import(model: Model, core: str):
    try:
        return importlib.import_module(model.module)
    except Exception as exc:  # noqa: BLE001 - a model that does not import is bad input
        raise FpgaflowError(f"core {core}: the model {model.module} ({model.source}) does not "
                            f"import: {type(exc).__name__}: {str(exc)[:200]}", key="model",
                            hint="the fpgaflow package (or the model's) must be importable "
                                 "by this Python") from None


def _functions(ctx, edam: dict, stage: str, name: str):
    """(model, its function ``name``) for each model before ``stage`` that has one."""
    for m in models(ctx, edam, stage):
        fn = getattr(_import(m, ctx.core), name, None)
        if fn is not None:
            yield m, fn


_REJECTS = (ValueError, KeyError, TypeError, ArithmeticError)


def check(ctx, edam: dict, stage: str) -> None:
    """Each model's ``check`` on the target's parameters: exit 2 before any tool runs."""
    params = edam_parameters(edam)
    for m, fn in _functions(ctx, edam, stage, "check"):
        try:
            fn(params)
        except _REJECTS as exc:
            name = getattr(exc, "name", None)
            key = f"parameters.{name}" if name and name in params else "parameters"
            msg = str(exc.args[0] if exc.args else exc)[:300]
            raise FpgaflowError(f"core {ctx.core}: its model rejects these parameters: {msg}",
                                key=key, hint=f"see the parameter limits in {m.module} "
                                              f"(declared by the {m.source})") from None


def commands(ctx, edam: dict, stage: str) -> list[list[str]]:
    """The commands that write the target's data files before ``stage``'s tool runs."""
    params = edam_parameters(edam)
    out = []
    for m in models(ctx, edam, stage):
        cmd = [sys.executable, "-m", m.module, *m.args]
        for k, v in params.items():
            cmd += ["-P", f"{k}={v}"]
        if "seed" in ctx.options:
            cmd += ["--seed", str(ctx.options["seed"])]
        out.append(cmd)
    return out


def not_run(edam: dict, stage: str) -> list[str]:
    """The hooks before ``stage`` that are not a Python model (fpgaflow does not run them)."""
    return declared(edam, stage)[1]


def bound(ctx, edam: dict, stage: str) -> dict[str, Any]:
    """``{"cycles_per_item_bound": N}`` from the first model that has ``cycles_per_item``."""
    params = edam_parameters(edam)
    for m, fn in _functions(ctx, edam, stage, "cycles_per_item"):
        try:
            return {"cycles_per_item_bound": int(fn(params))}
        except _REJECTS as exc:
            raise FpgaflowError(f"core {ctx.core}: its model rejects these parameters: {exc}",
                                key="parameters",
                                hint=f"see the folding rules in {m.module}") from None
    return {}
