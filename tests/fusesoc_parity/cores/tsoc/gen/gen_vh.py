#!/usr/bin/env python3
"""FuseSoC generator: writes tsoc_gen.vh with `define TSOC_STEP <step> and a core listing it
as an include file. Input: the YAML FuseSoC passes (parameters.step, vlnv)."""
import re
import sys

text = open(sys.argv[1]).read()
m = re.search(r"^\s*step:\s*(\d+)", text, re.M)
step = int(m.group(1)) if m else 1
vlnv = re.search(r"^vlnv:\s*(\S+)", text, re.M).group(1).strip("'\"")
open("tsoc_gen.vh", "w").write(f"`define TSOC_STEP {step}\n")
open("tsoc_gen.core", "w").write(
    "CAPI=2:\n"
    f"name: {vlnv}\n"
    "filesets:\n  gen:\n    files:\n      - tsoc_gen.vh: {is_include_file: true}\n"
    "    file_type: verilogSource\n"
    "targets:\n  default:\n    filesets: [gen]\n")
