#!/usr/bin/env python3
"""FuseSoC generator: `icepll -i <freq_in> -o <freq_out> -m -n tgen_pll -f tgen_pll.v`, then
a core listing tgen_pll.v. Input: the YAML FuseSoC passes (parameters, vlnv)."""
import re
import subprocess
import sys

text = open(sys.argv[1]).read()
fin = re.search(r"^\s*freq_in:\s*(\d+)", text, re.M).group(1)
fout = re.search(r"^\s*freq_out:\s*(\d+)", text, re.M).group(1)
vlnv = re.search(r"^vlnv:\s*(\S+)", text, re.M).group(1).strip("'\"")
subprocess.check_call(["icepll", "-q", "-i", fin, "-o", fout, "-m", "-n", "tgen_pll",
                       "-f", "tgen_pll.v"])
open("tgen_pll.core", "w").write(
    "CAPI=2:\n"
    f"name: {vlnv}\n"
    "filesets:\n  gen:\n    files: [tgen_pll.v]\n    file_type: verilogSource\n"
    "targets:\n  default:\n    filesets: [gen]\n")
