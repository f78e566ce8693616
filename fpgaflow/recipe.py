"""Recipe: a YAML file -> a validated, typed ``Recipe``.

Every error names the file, the line and the key, says what was expected, and exits 2::

    recipes/x.yaml:7: clocks.clk: expected a frequency like '100 MHz' or a period like '5 ns', got 'fast'

Validation that needs the outside world (is the board known, is the core known, does the
core have this parameter, can the board's part use this flow) is done here too, through
``boards`` and ``corelib``, so a recipe that loads is a recipe that can be planned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import boards as boards_mod
from . import yamlfile
from .errors import FpgaflowError

FLOWS = ("auto", "vivado", "quartus", "open", "estimate")
STAGES = ("csim", "hls", "sim", "synth", "pnr")
KEYS = {
    "name": "a name for the build (letters, digits, - _ .)",
    "core": "the VLNV of a FuseSoC core, e.g. fpgaflow:demo:blinky",
    "target": "the FuseSoC target of the core (default: default)",
    "board": "a board from boards/ (see `fpgaflow boards`)",
    "boards": "a list of boards, to build the design for each",
    "flow": "one of " + ", ".join(FLOWS),
    "stages": "a list of stages among " + ", ".join(STAGES),
    "clocks": "a mapping of clock port -> frequency, e.g. {clk: 100 MHz}",
    "parameters": "a mapping of core parameter -> value",
    "gates": "a mapping of metric -> condition, read by `fpgaflow gate`",
    "options": "tool options: seed, out_of_context, yosys, nextpnr, sim_tool, bitstream, quartus_edition, hls_cosim",
    "description": "free text",
}
OPTION_KEYS = {"seed": int, "out_of_context": bool, "yosys": list, "nextpnr": list,
               "sim_tool": str, "timeout_s": (int, float),
               "bitstream": bool, "quartus_edition": str, "hls_cosim": bool}
_FREQ = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(GHz|MHz|kHz|Hz|ns|ps|us)\s*$",
                   re.IGNORECASE)
_SCALE_MHZ = {"ghz": 1e3, "mhz": 1.0, "khz": 1e-3, "hz": 1e-6}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@dataclass
class Recipe:
    path: Path
    name: str
    core: str
    target: str
    board: boards_mod.Board
    flow: str
    stages: list[str] | None           # None: the flow's default
    clocks: dict[str, float]           # port -> MHz
    parameters: dict[str, Any]
    gates: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    boards: list[str] = field(default_factory=list)  # all boards named by the recipe

    def for_board(self, board: boards_mod.Board) -> "Recipe":
        """The same recipe for another board (multi-board recipes, --board)."""
        import dataclasses
        return dataclasses.replace(self, board=board)


def parse_frequency(value: Any) -> float | None:
    """'200 MHz' -> 200.0, '5 ns' -> 200.0; None when it is not a frequency."""
    if isinstance(value, bool) or not isinstance(value, str):
        return None
    m = _FREQ.match(value)
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2).lower()
    if number <= 0:
        return None
    if unit in _SCALE_MHZ:
        return number * _SCALE_MHZ[unit]
    period_ns = number * {"ns": 1.0, "ps": 1e-3, "us": 1e3}[unit]
    return 1000.0 / period_ns


def locate(path: str | Path, key: str | None) -> int | None:
    """The line of a dotted key (``parameters.PE``, ``stages``) in a recipe file, if found."""
    if not key:
        return None
    try:
        node, line = yamlfile.load(Path(path)), None
    except (OSError, FpgaflowError):
        return None
    for part in key.split("."):
        if not hasattr(node, "line_of") or part not in node:
            break
        line, node = node.line_of(part), node[part]
    return line


def load(path: str | Path, *, board: str | None = None, flow: str | None = None,
         check_core: bool = True) -> Recipe:
    """Load and validate a recipe; ``board``/``flow`` override the file (CLI options)."""
    p = Path(path)
    data = yamlfile.load(p)
    file = str(p)

    def err(key: str, msg: str, line_key: str | None = None, *, hint: str | None = None,
            mapping: Any = None):
        m = mapping if mapping is not None else data
        line = m.line_of(line_key or key.split(".")[0]) if hasattr(m, "line_of") else None
        return FpgaflowError(msg, file=file, line=line, key=key, hint=hint)

    if not isinstance(data, dict):
        raise FpgaflowError("a recipe must be a YAML mapping (key: value lines)", file=file, line=1)
    for key in data:
        if key not in KEYS:
            raise err(key, "unknown key", hint="known keys: " + ", ".join(KEYS))

    def typed(key: str, types, what: str, default=None):
        if key not in data:
            return default
        value = data[key]
        if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
            raise err(key, f"expected {what}, got {value!r}")
        if not isinstance(value, types):
            raise err(key, f"expected {what}, got {type(value).__name__} {value!r}")
        return value

    core = typed("core", str, "a core VLNV string")
    if core is None:
        raise FpgaflowError("missing required key 'core'", file=file, line=1, key="core",
                            hint=KEYS["core"])
    name = typed("name", str, "a name string", default=p.stem)
    if not _NAME.match(name):
        raise err("name", f"expected letters, digits, '-', '_' or '.', got {name!r}")
    target = typed("target", str, "a FuseSoC target name", default="default")
    flow_name = flow or typed("flow", str, "a flow name", default="auto")
    if flow_name not in FLOWS:
        raise err("flow", f"expected one of {', '.join(FLOWS)}, got {flow_name!r}")

    # boards: `board: x` or `boards: [x, y]`; --board overrides
    board_names: list[str]
    if "board" in data and "boards" in data:
        raise err("boards", "give either 'board' or 'boards', not both")
    if "boards" in data:
        bl = typed("boards", list, "a list of board names")
        if not bl or not all(isinstance(b, str) for b in bl):
            raise err("boards", "expected a non-empty list of board names")
        board_names = list(bl)
    elif "board" in data:
        board_names = [typed("board", str, "a board name")]
    elif board is None:
        raise FpgaflowError("missing required key 'board'", file=file, line=1, key="board",
                            hint="see `fpgaflow boards` for the known boards")
    else:
        board_names = []
    if board is not None:
        board_names = [board]
    extra = [p.parent / "boards", p.parent.parent / "boards"]
    resolved = []
    for bname in board_names:
        b = boards_mod.find_board(bname, extra)
        if b is None:
            known = ", ".join(sorted(boards_mod.all_boards(extra)))
            raise err("board" if "board" in data else "boards", f"unknown board {bname!r}",
                      hint=f"known boards: {known}")
        resolved.append(b)

    stages = typed("stages", list, "a list of stages")
    if stages is not None:
        for s in stages:
            if s not in STAGES:
                raise err("stages", f"unknown stage {s!r}; expected some of {', '.join(STAGES)}")

    clocks_raw = typed("clocks", dict, "a mapping of clock port -> frequency", default={})
    clocks = {}
    for cname, value in clocks_raw.items():
        mhz = parse_frequency(value)
        if mhz is None:
            raise err(f"clocks.{cname}",
                      f"expected a frequency like '100 MHz' or a period like '5 ns', got {value!r}",
                      line_key=cname, mapping=clocks_raw)
        clocks[cname] = mhz

    params = typed("parameters", dict, "a mapping of parameter -> value", default={})
    for pname, value in params.items():
        if not isinstance(value, (int, float, str, bool)):
            raise err(f"parameters.{pname}", f"expected a number, string or boolean, got {value!r}",
                      line_key=pname, mapping=params)
    gates = typed("gates", dict, "a mapping of metric -> condition", default={})
    options = typed("options", dict, "a mapping of tool options", default={})
    for okey, value in options.items():
        if okey not in OPTION_KEYS:
            raise err(f"options.{okey}", "unknown option",
                      hint="known options: " + ", ".join(OPTION_KEYS), line_key=okey,
                      mapping=options)
        want = OPTION_KEYS[okey]
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise err(f"options.{okey}", f"expected {getattr(want, '__name__', 'a number')}, got {value!r}",
                      line_key=okey, mapping=options)

    for b in resolved:
        if flow_name != "auto" and flow_name not in b.device.flows():
            raise err("flow" if "flow" in data else "board",
                      f"board {b.name} ({b.part}, {b.device.family}) cannot use flow {flow_name!r}; "
                      f"it can use: {', '.join(['auto'] + b.device.flows())}")

    recipe = Recipe(path=p, name=name, core=core, target=target,
                    board=resolved[0] if resolved else None, flow=flow_name,
                    stages=list(stages) if stages is not None else None, clocks=clocks,
                    parameters=dict(params), gates=dict(gates), options=dict(options),
                    boards=[b.name for b in resolved])

    if check_core:
        from . import corelib
        info = corelib.find_core(core, corelib.core_roots(p))
        if info is None:
            known = ", ".join(c.name for c in corelib.list_cores(corelib.core_roots(p)))
            raise err("core", f"unknown core {core!r}", hint=f"known cores: {known}")
        if target not in info.targets:
            raise err("target", f"core {info.name} has no target {target!r} "
                      f"(it has: {', '.join(info.targets)})")
        declared = info.parameters
        for pname in params:
            if pname not in declared:
                raise err(f"parameters.{pname}", f"core {info.name} has no parameter {pname!r}",
                          hint="its parameters: " + (", ".join(declared) or "none"),
                          line_key=pname, mapping=params)
        recipe.core = info.name
    return recipe


def recipe_boards(recipe: Recipe) -> list[boards_mod.Board]:
    extra = [recipe.path.parent / "boards", recipe.path.parent.parent / "boards"]
    return [boards_mod.find_board(n, extra) for n in recipe.boards]
