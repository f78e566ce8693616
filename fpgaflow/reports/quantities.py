"""Which stage measured each resource, and the one ``lut`` quantity of each open family.

After a build every ``resources`` entry says which stage its ``used`` comes from
(``"stage": "synth"`` from Yosys' cell counts, ``"pnr"`` from nextpnr's placed bels) and,
when more than one stage measured it, keeps each stage's figure in ``by_stage``: a
place-and-route figure is never silently compared with a synthesis one.

``lut`` is one defined quantity per family, whatever the stage:

- ECP5: LUT4 positions of the slices (nextpnr's ``TRELLIS_COMB`` bels). At synthesis:
  Yosys' ``LUT4`` cells plus two per ``CCU2C`` carry cell, which fills two positions.
  Place-and-route adds route-through LUT4s, so its figure is the larger.
- iCE40: logic cells (nextpnr's ``ICESTORM_LC``: one LUT4 with its carry and flip-flop).
  At synthesis: Yosys' ``SB_LUT4`` cells, one logic cell each; cells that hold only a
  flip-flop or a carry are found at place-and-route, so its figure is the larger.
- MachXO2: as ECP5 (``TRELLIS_COMB``; at synthesis ``LUT4`` + 2 per ``CCU2D``).
- Nexus: LUT4 positions (nextpnr's ``OXIDE_COMB``); at synthesis ``LUT4`` + ``INV`` + 2
  per ``WIDEFN9`` and per ``CCU2``.
- Gowin: LUT4 positions (nextpnr's ``LUT4``); at synthesis ``LUT1``-``LUT4``. nextpnr
  also fills LUT4 positions for the ``ALU`` carry cells and the LUT RAM, so its figure is
  the larger (measured on tests/families/cores/cells: 56 at synthesis, 167 placed).
- GateMate: no synthesis equivalent: nextpnr's ``CPE_LT`` (half CPEs) is the measure;
  Yosys' LUT-tree cells count as ``CC_LUT``, a different unit.
"""

from __future__ import annotations

from typing import Any

LUT = {
    "ecp5": ("LUT4", lambda c: c.get("LUT4", 0) + c.get("TRELLIS_COMB", 0) + 2 * c.get("CCU2C", 0)),
    "ice40": ("LC", lambda c: c.get("SB_LUT4", 0)),
    "machxo2": ("LUT4", lambda c: c.get("LUT4", 0) + c.get("TRELLIS_COMB", 0)
                + 2 * c.get("CCU2D", 0)),
    "nexus": ("LUT4", lambda c: c.get("LUT4", 0) + c.get("INV", 0) + 2 * c.get("WIDEFN9", 0)
              + 2 * c.get("CCU2", 0)),
    "gowin": ("LUT4", lambda c: sum(c.get(f"LUT{n}", 0) for n in (1, 2, 3, 4))),
}


def stage_resources(summary: dict[str, Any], by_stage: dict[str, dict], family: str) -> None:
    """Mark ``summary["resources"]`` with the measuring stage (see the module docstring).
    ``by_stage``: stage name -> {"resources": ..., "cells": ...}, in the order they ran."""
    res = summary.get("resources")
    if not res:
        return
    figures: dict[str, dict[str, Any]] = {}
    for stage, part in by_stage.items():
        for key, entry in part["resources"].items():
            if entry.get("used") is not None:
                figures.setdefault(key, {})[stage] = entry["used"]
        if key_lut := LUT.get(family):
            cells = part.get("cells")
            if cells:                               # a Yosys cell histogram: synthesis
                figures.setdefault("lut", {})[stage] = key_lut[1](cells)
    for key, entry in res.items():
        fig = figures.get(key)
        if not fig:
            continue
        stage = list(fig)[-1]
        entry["stage"] = stage
        entry["used"] = fig[stage]
        if key == "lut" and family in LUT:
            entry["unit"] = LUT[family][0]
        if len(fig) > 1:
            entry["by_stage"] = dict(fig)
