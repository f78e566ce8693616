"""fpgaflow schema: print the JSON Schema of a recipe, sweep, summary, board or device."""

from __future__ import annotations

import json

import click

from ..schemas import NAMES


@click.command("schema")
@click.argument("kind", type=click.Choice(NAMES))
@click.option("-o", "--output", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the schema to FILE instead of printing it.")
def command(kind, output):
    """Print the JSON Schema of KIND (recipe, sweep, summary, board, device).

    For completion and checking in editors (yaml-language-server: VS Code's YAML extension,
    Neovim, Helix...): `fpgaflow schema recipe -o recipe.schema.json`, then start a recipe
    with the line `# yaml-language-server: $schema=recipe.schema.json`.
    """
    from ..errors import FpgaflowError
    from ..schemas import json_schema
    text = json.dumps(json_schema(kind), indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise FpgaflowError(f"cannot write: {exc.strerror or exc}", file=output) from None
