"""The fpgaflow command line: a thin Click group.

Each command lives in its own module ``fpgaflow/cli/<name>.py`` that defines ``command``
(a ``click.Command``) and does nothing but parse options, call the library and print.
Commands are imported lazily so that ``fpgaflow --help`` starts fast.

Commands exit non-zero with ``ctx.exit(code)``. Every ``FpgaflowError`` becomes one readable message on stderr and its exit code
(0 ok, 1 design failed, 2 bad input); bad input never shows a traceback.
"""

from __future__ import annotations

import importlib

import click

from ..errors import FpgaflowError

COMMANDS = {
    "build": "Build a recipe: plan, run the tools, parse the reports, write summary.json.",
    "boards": "List the boards and devices with their capacities.",
    "cores": "List the FuseSoC cores found, with their parameters.",
    "doctor": "Show which tools are found (native or YoWASP) and their versions.",
    "show": "Show a summary.json (or a build directory) as a table.",
    "report": "Parse existing tool reports (format detected) into one unified summary.",
    "gate": "Check a summary against rules and a baseline (CI synthesis gate).",
    "compare": "Compare summaries across devices, flows and vendors.",
    "sweep": "Run a design-space sweep (matrix of builds) and report the Pareto front.",
    "schema": "Print the JSON Schema of a recipe, sweep, summary, board or device file.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return [name for name in COMMANDS if _module_exists(name)]

    def get_command(self, ctx, name):
        if name not in COMMANDS or not _module_exists(name):
            return None
        module = importlib.import_module(f"{__name__}.{name}")
        return module.command

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except FpgaflowError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:  # full disk, read-only --out, a directory as --junit ...
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}cannot write or read: {exc.strerror or exc}", err=True)
            ctx.exit(2)

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _module_exists(name: str) -> bool:
    from importlib.util import find_spec
    return find_spec(f"{__name__}.{name}") is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fpgaflow")
def cli():
    """fpgaflow: build FuseSoC cores for any FPGA vendor from one YAML recipe,
    and read every tool's reports as one summary."""


def main(argv=None):
    """Console-script entry point."""
    try:
        return cli.main(args=argv, prog_name="fpgaflow")
    finally:
        # The process ends here. Python's last collections walk every object the imports
        # made (pydantic, Rich, the flows): about 30 ms, a quarter of a small build's whole
        # overhead (benchmarks/phases.py, "exit"). Frozen objects are not walked; atexit
        # handlers, stream flushing and module teardown still run.
        import gc
        gc.freeze()
