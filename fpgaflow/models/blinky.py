"""The blinky core's model (cores/blinky): no data files, only the limits of its parameters.

The counter is WIDTH bits and the top LEDS bits drive the LEDs, so ``1 <= LEDS <= WIDTH``;
the LEDs toggle every ``2**(WIDTH-1)`` cycles, which at WIDTH = 64 is 146 years at 1 GHz, so
a wider counter is a typo. The testbench computes its own expected values: no vectors, and
no folding bound (``cycles_per_item``) beside the one item a cycle it measures.
The core declares the model as a FuseSoC hook (``check``), so ``fusesoc run`` refuses the
same values fpgaflow does.
"""

from __future__ import annotations

import pathlib
import sys

from fpgaflow.models import _cli

PARAMETERS = {"WIDTH": 24, "LEDS": 4}
MAX_WIDTH = 64


def resolve(params: dict | None = None) -> dict[str, int]:
    p = dict(PARAMETERS)
    p.update({k: _cli.integer(k, v) for k, v in _cli.known(PARAMETERS, params).items()})
    return p


def check(params: dict) -> None:
    p = resolve(params)
    if not 1 <= p["WIDTH"] <= MAX_WIDTH:
        raise _cli.ParameterError("WIDTH", f"WIDTH={p['WIDTH']} must be 1..{MAX_WIDTH}")
    if not 1 <= p["LEDS"] <= p["WIDTH"]:
        raise _cli.ParameterError("LEDS", f"LEDS={p['LEDS']} must be 1..WIDTH ({p['WIDTH']}): "
                                          "the LEDs are the counter's top bits")


def write_vectors(outdir: pathlib.Path, params: dict, seed: int = 1) -> int:
    return 0            # the testbench computes its own expected values


def main(argv=None) -> int:
    return _cli.main(argv, prog="fpgaflow.models.blinky", names=PARAMETERS,
                     write_vectors=write_vectors, check=check)


if __name__ == "__main__":
    sys.exit(main())
