"""Recipe: a YAML file -> a validated, typed ``Recipe``.

Every error names the file, the line and the key, says what was expected, and exits 2::

    recipes/x.yaml:7: clocks.clk: expected a frequency like '100 MHz' or a period like '5 ns', got 'fast'

Validation that needs the outside world (is the board known, is the core known, does the
core have this parameter, can the board's part use this flow) is done here too, through
``boards`` and ``corelib``, so a recipe that loads is a recipe that can be planned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import boards as boards_mod
from . import yamlfile
from .errors import FpgaflowError
from .schemas import base as schema_base
from .schemas import recipe as schema

flow_names = schema.flow_names
stage_names = schema.stage_names
KEYS = schema.KEYS
OPTION_KEYS = tuple(schema.KnownOptions.model_fields)
parse_frequency = schema.parse_frequency


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
    toplevel: str | None = None        # None: the target's own
    resolved: list[boards_mod.Board] = field(default_factory=list)  # the boards, resolved
    model: str | None = None           # None: the model the core's hooks declare
    flags: dict[str, bool] = field(default_factory=dict)   # FuseSoC flags (`fusesoc run --flag`)
    mapping: list[str] = field(default_factory=list)      # `fusesoc run --mapping` cores

    def for_board(self, board: boards_mod.Board) -> "Recipe":
        """The same recipe for another board (multi-board recipes, --board)."""
        import dataclasses
        return dataclasses.replace(self, board=board)


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


def _line(mapping: Any, key: str) -> int | None:
    return mapping.line_of(key) if hasattr(mapping, "line_of") else None


def load(path: str | Path, *, board: str | None = None, flow: str | None = None,
         check_core: bool = True) -> Recipe:
    """Load and validate a recipe; ``board``/``flow`` override the file (CLI options)."""
    p = Path(path)
    data = yamlfile.load(p)
    file = str(p)

    def err(key: str, msg: str, line_key: str | None = None, *, hint: str | None = None,
            mapping: Any = None):
        m = mapping if mapping is not None else data
        return FpgaflowError(msg, file=file, line=_line(m, line_key or key.split(".")[0]),
                             key=key, hint=hint)

    if not isinstance(data, dict):
        raise FpgaflowError("a recipe must be a YAML mapping (key: value lines)", file=file, line=1)
    model = schema_base.validate(schema.RecipeFile, data, file=file, hints={
        "extra_forbidden": "known keys: " + ", ".join(KEYS), "missing": KEYS["core"]})

    name = model.name if model.name is not None else p.stem
    if model.name is None:
        try:
            schema_base.validate(schema.RecipeFile, {"core": model.core, "name": name})
        except FpgaflowError as exc:
            raise FpgaflowError(f"the file name is not a build name: {exc.message}; give a "
                                "name: key", file=file, line=1, key="name") from None
    target = model.target or "default"
    flow_name = flow or model.flow or "auto"
    if flow_name not in flow_names():
        raise err("flow", f"expected one of {', '.join(flow_names())}, got "
                  f"{schema_base.short(flow_name)}")

    # boards: `board: x` or `boards: [x, y]`; --board overrides
    if model.board is not None and model.boards is not None:
        raise err("boards", "give either 'board' or 'boards', not both")
    if model.boards is not None:
        board_names = list(model.boards)
    elif model.board is not None:
        board_names = [model.board]
    else:
        board_names = []
    if board is not None:
        board_names = [board]
    if model.part is not None and (board_names or model.board or model.boards):
        raise err("part", "give either 'part' or 'board'/'boards', not both")
    extra = [p.parent / "boards", p.parent.parent / "boards"]
    resolved = []
    for bname in board_names:
        b = boards_mod.find_board(bname, extra)
        if b is None:
            known = ", ".join(sorted(boards_mod.all_boards(extra)))
            raise err("board" if "board" in data else "boards",
                      f"unknown board {schema_base.short(bname)}", hint=f"known boards: {known}")
        resolved.append(b)
    target_part = None
    if model.part is not None or board is None and not board_names or resolved:
        target_part = _target_part(model, target, p, err)
    if not resolved:
        resolved = [boards_mod.part_board(target_part)]
    elif target_part is not None:
        for b in resolved:
            _check_board_part(b, target_part, model, target, err)

    clocks = {port: schema.parse_frequency(value) for port, value in (model.clocks or {}).items()}
    params = dict(model.parameters or {})

    # options: a mapping, checked against the chosen flow's options schema
    options: dict[str, Any] = {}
    if model.options:
        omodel = schema.flow_options_model(flow_name)
        checked = schema_base.validate(omodel, data["options"], file=file, prefix=("options",),
                                       hints={"extra_forbidden": (
                                           f"the {flow_name} flow's options: "
                                           if flow_name != "auto" else "known options: ")
                                           + ", ".join(omodel.model_fields)})
        options = checked.model_dump(exclude_unset=True)

    if model.model is not None:
        _check_model(model.model, err)

    gates = model.gates if model.gates is not None else {}
    _check_gates(gates, data.get("gates"), file)

    for b in resolved:
        if flow_name != "auto" and flow_name not in b.device.flows():
            raise err("flow" if "flow" in data else "board",
                      f"board {b.name} ({b.part}, {b.device.family}) cannot use flow {flow_name!r}; "
                      f"it can use: {', '.join(['auto'] + b.device.flows())}")
        if options:     # each option against the flows this board can use (flows registry)
            from . import flows
            try:
                flows.check_recipe_options(flow_name, b.device, options)
            except FpgaflowError as exc:
                okey = exc.key.split(".", 1)[1].split(".")[0] if "." in (exc.key or "") else None
                raise err(exc.key or "options", exc.message, line_key=okey,
                          mapping=data.get("options") if okey else None,
                          hint=exc.hint) from None

    recipe = Recipe(path=p, name=name, core=model.core, target=target,
                    board=resolved[0] if resolved else None, flow=flow_name,
                    stages=list(model.stages) if model.stages is not None else None,
                    clocks=clocks, parameters=params, gates=yamlfile.plain(gates), options=options,
                    boards=[b.name for b in resolved], toplevel=model.toplevel,
                    resolved=resolved, model=model.model, flags=dict(model.flags or {}),
                    mapping=list(model.mapping or []))

    if check_core:
        from . import corelib
        info = corelib.find_core(model.core, corelib.core_roots(p))
        if info is None:
            msg, hint = corelib.unknown_core(model.core, corelib.core_roots(p))
            raise err("core", msg, hint=hint)
        check_against_core(recipe, info, file=file, mapping=data.get("parameters"),
                           target_line=_line(data, "target"), core_line=_line(data, "core"))
    return recipe


def check_against_core(recipe: Recipe, info, *, file: str, mapping: Any = None,
                       target_line: int | None = None, core_line: int | None = None) -> None:
    """The recipe's target and parameters exist in the core, with the core's datatypes."""
    from . import corelib
    if recipe.target not in info.targets:
        raise FpgaflowError(f"core {info.name} has no target {schema_base.short(recipe.target)} "
                            f"(it has: {', '.join(info.targets)})", file=file,
                            line=target_line or core_line, key="target")
    if recipe.toplevel is None and (info.toplevels or {}).get(recipe.target, "") is None:
        raise FpgaflowError(f"core {info.name} target {recipe.target!r} names no toplevel",
                            file=file, line=target_line or core_line, key="target",
                            hint="name the toplevel module with `toplevel:` in the recipe")
    declared = info.params_of(recipe.target) if hasattr(info, "params_of") else info.parameters
    if declared is None:        # only FuseSoC can tell: corelib.edam checks them when planning
        declared = {p: {} for p in recipe.parameters}
    for pname, value in recipe.parameters.items():
        line = _line(mapping, pname)
        if pname not in declared:
            raise FpgaflowError(f"core {info.name} has no parameter {pname!r}", file=file,
                                line=line, key=f"parameters.{pname}",
                                hint="its parameters: " + (", ".join(declared) or "none"))
        dtype = corelib.datatype_mismatch(declared[pname], value)
        if dtype:
            raise FpgaflowError(f"core {info.name} declares {pname} as {dtype}, got "
                                f"{schema_base.kind(value)}", file=file, line=line,
                                key=f"parameters.{pname}")
    recipe.core = info.name


def _check_model(name: str, err) -> None:
    """The recipe's ``model:`` must import (it is run as ``python -m`` and imported)."""
    import importlib
    try:
        importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - whatever the import raised, the key is wrong
        raise err("model", f"cannot import the model {name}: {type(exc).__name__}: "
                  f"{str(exc)[:200]}", hint="a module on this Python's path, e.g. "
                  "fpgaflow.models.mvau; its `check`/`cycles_per_item` are optional") from None


def _check_gates(gates: Any, raw: Any, file: str) -> None:
    """Gate rules are parsed when the recipe loads: a bad rule is a recipe error (exit 2)."""
    from . import gate
    items = gates.items() if isinstance(gates, dict) else [(None, g) for g in gates]
    for i, (metric, cond) in enumerate(items):
        one = {metric: cond} if metric is not None else [cond]
        try:
            gate.rules_from_gates(one)
        except FpgaflowError as exc:
            key = f"gates.{metric}" if metric is not None else f"gates[{i}]"
            line = _line(raw, metric) if metric is not None else _line(raw, "gates")
            raise FpgaflowError(exc.message, file=file, line=line, key=key,
                                hint="see `fpgaflow gate --help` for the rule grammar") from None


def _target_part(model, target: str, path: Path, err):
    """The part of the recipe's ``part:``, else the one the core's target names in its
    tool options (None when it names none and the recipe has boards). Raises when there is
    no board and no part, or the part has no device data."""
    from . import targetdevice
    has_boards = model.board is not None or model.boards is not None
    if model.part is not None:
        tp = targetdevice.TargetPart(model.part, targetdevice.lookup(model.part),
                                     targetdevice.package_of(model.part),
                                     targetdevice.speed_of(model.part), "the recipe's part:")
        key = "part"
    else:
        from . import corelib
        info = corelib.find_core(model.core, corelib.core_roots(path))
        if info is None:
            if has_boards:
                return None
            msg, hint = corelib.unknown_core(model.core, corelib.core_roots(path))
            raise err("core", msg, hint=hint)
        tools = (info.target_tools or {}).get(target) or {}
        tp = targetdevice.from_target(tools)
        if tp is None:
            if has_boards:
                return None
            sim_only = bool(model.stages) and set(model.stages) <= {"sim", "csim"}
            raise FpgaflowError(
                "missing required key 'board'", file=str(path), line=1, key="board",
                hint=f"core {info.name} target {target!r} names no device in its tool or flow "
                     "options (nextpnr_options, part, device); give `board:` (`fpgaflow boards` lists "
                     "them) or `part:` (a part number, e.g. iCE40UP5K-SG48)"
                     + ("; a simulation-only recipe does not use the device, so any board will "
                        "do (e.g. `board: icebreaker`)" if sim_only else ""))
        tp = targetdevice.TargetPart(tp.part, tp.device, tp.package, tp.speed,
                                     f"core {info.name} target {target!r} ({tp.source})")
        key = "target"
    if tp.device is None:
        from .boards import devices
        raise err(key if key in model.model_fields_set else "core",
                  f"{tp.source} names part {schema_base.short(tp.part)}, for which fpgaflow has "
                  "no device data", hint="add the device to fpgaflow/devices.yaml and its part "
                  "pattern to fpgaflow/parts.yaml, or build for a board (`fpgaflow boards`); "
                  f"known devices: {', '.join(devices())}")
    return tp


def _check_board_part(b: boards_mod.Board, tp, model, target: str, err) -> None:
    """A board of another device than the core's target names is refused: nextpnr would get
    both devices' flags, and the target's pins are for its own board."""
    pkg = (tp.package or "").lower()
    same = b.device.key == tp.device and (not pkg or not b.package or b.package.lower() == pkg)
    if not same:
        raise err("board" if model.board is not None else "boards",
                  f"board {b.name} is {b.part} ({b.device.key}), but {tp.source} is for "
                  f"{tp.part}", hint="drop `board:` to build for the target's own device, or "
                  "choose a target of the core made for this board")


def recipe_boards(recipe: Recipe) -> list[boards_mod.Board]:
    if recipe.resolved:
        return list(recipe.resolved)
    extra = [recipe.path.parent / "boards", recipe.path.parent.parent / "boards"]
    return [boards_mod.find_board(n, extra) for n in recipe.boards]
