"""Recipe strings on their way into a tool's language: quoted for it, or refused.

- Tcl (the Vivado XDC, the Quartus SDC and settings, Vitis HLS scripts, nextpnr's SDC):
  ``tcl_word`` makes any string one literal Tcl word (no ``$``/``[]`` substitution, no
  command break at a newline or ``;``).
- Clock ports: ``clock_port`` accepts HDL port names only (a Verilog simple identifier:
  letters, digits, ``_``, ``$``; a letter or ``_`` first). LPF and PCF have no quoting for
  a ``"`` or a newline, and a clock that is not a port of the top constrains nothing, so
  anything else is an error a user can act on (exit 2), before any tool runs.

The constraint writers of every flow call these (one place to tighten).
"""

from __future__ import annotations

import re

from .errors import FpgaflowError

_TCL_PLAIN = re.compile(r"[A-Za-z0-9_./:=+,@%-]+")
_HDL_PORT = re.compile(r"[A-Za-z_][A-Za-z0-9_$]{0,199}")


def tcl_word(text: str) -> str:
    """``text`` as one Tcl word that the interpreter takes literally (no substitution)."""
    text = str(text)
    if _TCL_PLAIN.fullmatch(text):
        return text
    if not re.search(r"[{}\\\n\r]", text):
        return "{" + text + "}"
    return "".join(c if c.isalnum() else "\\" + c for c in text) \
        .replace("\\\n", "\\n").replace("\\\r", "\\r")


def comment_text(text: object) -> str:
    """``text`` inside a ``#`` comment line: line breaks would end the comment."""
    return re.sub(r"[\r\n]+", " ", str(text))


def clock_port(name: object) -> str:
    """``name`` when it can be a port of the top in every HDL and constraint language."""
    if isinstance(name, str) and _HDL_PORT.fullmatch(name):
        return name
    shown = repr(name)[:60] + ("..." if len(repr(name)) > 60 else "")
    raise FpgaflowError(f"clock {shown} is not a port name (constraint files would carry it "
                        "verbatim)", key="clocks",
                        hint="name the top-level clock port: letters, digits, _ and $, "
                             "a letter or _ first, at most 200 characters")
