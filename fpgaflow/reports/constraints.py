"""fpgaflow's own ``constraints.json`` (the open flow's constraints stage) -> ``io``.

``resources.io``: ``used`` = the top's port bits, ``unconstrained`` = how many of them no
constraint file or board pin map places (nextpnr puts those anywhere), and their names.
"""

from __future__ import annotations

import json
from typing import Any

from ._common import ReportError


def parse_constraints_json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
        ports, uncon = int(data["ports"]), int(data["unconstrained"])
        names = [str(n) for n in data.get("unconstrained_ports", [])]
    except (ValueError, KeyError, TypeError) as exc:
        raise ReportError(f"constraints.json: {exc}") from None
    return {"resources": {"io": {"used": ports, "unit": "pin", "unconstrained": uncon,
                                 "unconstrained_ports": names}}}
