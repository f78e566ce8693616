"""The typed schemas of fpgaflow's files, published as JSON Schema.

pydantic v2 models, strict (no ``"3"`` for 3, no ``true`` for 1) with unknown keys
refused; ``base.validate`` maps an error to file:line:key through ``yamlfile``'s located
mappings. ``fpgaflow schema recipe|sweep|summary|board|device`` prints the JSON Schema;
editors that speak yaml-language-server complete and check recipes with it::

    # yaml-language-server: $schema=recipe.schema.json
"""

from __future__ import annotations

from typing import Any

URL = "https://fpgaflow.invalid/schemas/{name}.schema.json"


def models() -> dict[str, Any]:
    from . import board, recipe, summary, sweep
    return {"recipe": recipe.RecipeFile, "sweep": sweep.SweepFile, "summary": summary.Summary,
            "board": board.BoardFile, "device": board.DeviceEntry}


NAMES = ("recipe", "sweep", "summary", "board", "device")


def _options_schema() -> dict[str, Any]:
    """Every option of every registered flow (the editor cannot know the flow ``auto``
    picks; the loader checks the chosen flow's own model)."""
    from . import recipe
    try:
        from .. import flows
        option_models = list(dict.fromkeys(f.options for f in flows.registry().flows))
    except (AttributeError, ImportError):
        option_models = []
    out: dict[str, Any] = recipe.KnownOptions.model_json_schema(mode="validation")
    for model in option_models:
        sch = model.model_json_schema(mode="validation")
        out.setdefault("$defs", {}).update(sch.get("$defs", {}))
        for key, prop in sch.get("properties", {}).items():
            out["properties"].setdefault(key, prop)
    out["title"] = "Options"
    out["description"] = "tool options; each flow takes some of them (`fpgaflow doctor --options`)"
    return out


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one file kind."""
    from . import recipe
    model = models()[name]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema",
           "$id": URL.format(name=name), **schema}
    if name in ("recipe", "sweep"):
        # options are checked against the chosen flow's schema; the editor gets every
        # option a flow takes, with its type and help
        opts = _options_schema()
        defs = out.setdefault("$defs", {})
        defs.update(opts.pop("$defs", {}))
        defs["Options"] = opts
        holder = out if name == "recipe" else defs.get("RecipeFile", {})
        if "options" in holder.get("properties", {}):
            desc = holder["properties"]["options"].get("description")
            holder["properties"]["options"] = {"$ref": "#/$defs/Options", "description": desc}
    return out
