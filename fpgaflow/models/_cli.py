"""The command line every model shares, as a core's FuseSoC hook runs it.

A core declares its model once (``scripts: vectors: cmd: [python3, -m,
fpgaflow.models.<m>, vectors, .]``) and runs it from a target's ``hooks:``. FuseSoC runs
the hook in the work root, where the target's EDAM (``<core>.eda.yml``) holds the
parameter values of that run; fpgaflow runs the same command with ``-P NAME=VALUE`` for
each parameter of the target. Either way the model reads the same values::

    python -m fpgaflow.models.<m> vectors OUTDIR [-P NAME=VALUE ...] [--seed N]
    python -m fpgaflow.models.<m> check  [OUTDIR] [-P ...]    # exit 2 on a bad parameter
    python -m fpgaflow.models.<m> cycles [OUTDIR] [-P ...]    # the folding bound
    python -m fpgaflow.models.<m> params [OUTDIR] [-P ...]    # the values it would use

Parameter values come from the EDAM file in OUTDIR, then from ``-P`` (which wins). Names
the model does not take are passed over (the target has file names and testbench knobs
too). A value the model rejects (``check``) is exit 2 with one line on stderr.

fpgaflow imports the model for the same two functions: ``check(params)`` raises
``ValueError`` before any tool runs, ``cycles_per_item(params)`` gives the bound.
"""

from __future__ import annotations

import argparse
import math
import pathlib
import sys
from typing import Any, Callable, Iterable


class ParameterError(ValueError):
    """A parameter value the model cannot build; ``name`` is the parameter's."""

    def __init__(self, name: str | None, message: str):
        super().__init__(message)
        self.name = name


def known(names: Iterable[str], params: dict | None) -> dict[str, Any]:
    """The entries of ``params`` the model takes (names matched as given or upper-cased)."""
    names = set(names)
    out = {}
    for key, value in (params or {}).items():
        key = str(key)
        if key in names:
            out[key] = value
        elif key.upper() in names:
            out[key.upper()] = value
    return out


def integer(name: str, value: Any) -> int:
    """An integer parameter: ints, integral finite floats and integer strings (``0x10``)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ParameterError(name, f"{name}={value!r} is not an integer")
        return int(value)
    try:
        return int(str(value).strip(), 0)
    except ValueError:
        raise ParameterError(name, f"{name}={str(value)[:40]!r} is not an integer") from None


def number(name: str, value: Any) -> float:
    """A real parameter: finite."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(name, f"{name}={str(value)[:40]!r} is not a number") from None
    if not math.isfinite(v):
        raise ParameterError(name, f"{name}={value!r} is not a finite number")
    return v


def at_least(p: dict, minimum: int, names: Iterable[str]) -> None:
    """Each of ``names`` is >= ``minimum`` (a ``ParameterError`` naming the first that is not)."""
    for n in names:
        if p[n] < minimum:
            raise ParameterError(n, f"{n}={p[n]} must be >= {minimum}")


def edam_parameters(workdir: pathlib.Path, names: Iterable[str]) -> dict[str, Any]:
    """The values of an EDAM file (``*.eda.yml``, FuseSoC writes one per work root) in
    ``workdir``, for the parameters the model takes."""
    found = sorted(pathlib.Path(workdir).glob("*.eda.yml"))
    if len(found) != 1:
        return {}
    import yaml

    edam = yaml.safe_load(found[0].read_text()) or {}
    return known(names, {n: s["default"] for n, s in (edam.get("parameters") or {}).items()
                         if isinstance(s, dict) and "default" in s})


def assignments(items: Iterable[str]) -> dict[str, str]:
    """``-P NAME=VALUE`` options -> {NAME: VALUE}."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(None, f"-P expects NAME=VALUE, got {item[:60]!r}")
        out[name.strip()] = value.strip()
    return out


def main(argv: list[str] | None, *, prog: str, names: Iterable[str],
         write_vectors: Callable[..., int], cycles_per_item: Callable[[dict], int] | None = None,
         check: Callable[[dict], Any] | None = None,
         extra: dict[str, Callable[[dict], str]] | None = None) -> int:
    """The model's command line (see the module docstring); ``extra`` adds commands that
    print ``fn(params)``; a model without ``cycles_per_item`` has no folding bound."""
    names = list(names)
    extra = extra or {}
    ap = argparse.ArgumentParser(prog=f"python -m {prog}",
                                 description=f"{prog}: reference model (ROM files, test vectors)")
    ap.add_argument("command", choices=["vectors", "check", "cycles", "params", *extra])
    ap.add_argument("outdir", nargs="?", default=".", type=pathlib.Path,
                    help="work dir: the files go here; a FuseSoC *.eda.yml here gives the values")
    ap.add_argument("-P", "--param", dest="params", action="append", default=[],
                    metavar="NAME=VALUE", help="parameter value (repeatable; wins over the EDAM)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    short = prog.rsplit(".", 1)[-1]
    try:
        params = edam_parameters(args.outdir, names)
        given = assignments(args.params)
        for k in given:
            if k not in names and k.upper() not in names:
                print(f"{short}: ignoring parameter {k} (not a model parameter)", file=sys.stderr)
        params.update(known(names, given))
        if check is not None:
            check(params)
        if args.command == "check":
            print(f"{short}: parameters accepted")
        elif args.command == "params":
            for k, v in params.items():
                print(f"{k}={v}")
        elif args.command == "cycles":
            print(cycles_per_item(params) if cycles_per_item else "no folding bound")
        elif args.command in extra:
            print(extra[args.command](params))
        else:
            args.outdir.mkdir(parents=True, exist_ok=True)
            n = write_vectors(args.outdir, params, seed=args.seed)
            bound = f" (cycles_per_item={cycles_per_item(params)})" if cycles_per_item else ""
            print(f"{short}: wrote {n} vectors to {args.outdir}{bound}")
    except (ValueError, KeyError) as exc:
        msg = str(exc.args[0] if exc.args else exc)
        print(msg if msg.startswith(f"{short}:") else f"{short}: {msg}", file=sys.stderr)
        return 2
    return 0
