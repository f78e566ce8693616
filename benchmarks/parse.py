"""Parser throughput: fpgaflow vs Edalize's ``vivado_reporting`` on the same files.

Builds, in a temporary directory, a hierarchical ``report_utilization`` of at least
``--mb`` MB (default 50) in the Vivado 2018.2 format, and a ~1.6 MB
``report_timing_summary`` (a 7-series header, the Design Timing Summary, a Clock Summary
with 40 clocks, an Intra Clock Table, then path details as Vivado writes them). Parses
both with fpgaflow and, when edalize's reporting extra (pandas, pyparsing) is installed,
with ``edalize.vivado_reporting.VivadoReporting`` in a subprocess with a time limit.
Prints MB/s, the ratio, and where Edalize's figures differ from the report. Asserts
nothing about time.

    python benchmarks/parse.py [--mb 50] [--edalize-timeout 600]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = """Copyright 1986-2018 Xilinx, Inc. All Rights Reserved.
------------------------------------------------------------------------------------------
| Tool Version : Vivado v.2018.2 (lin64) Build 2258646 Thu Jun 14 20:02:38 MDT 2018
| Date         : Fri Jun 27 09:37:27 2025
| Host         : bench running 64-bit Ubuntu 24.04.2 LTS
| Command      : {command}
| Design       : top
| Device       : 7vx690tffg1761-3
| {state_or_speed}
------------------------------------------------------------------------------------------
"""

COLS = ["Total LUTs", "Logic LUTs", "LUTRAMs", "SRLs", "FFs", "RAMB36", "RAMB18", "DSP48 Blocks"]


def build_hierarchical(path: Path, min_mb: float) -> tuple[int, dict]:
    """Write a -hierarchical utilization report; returns (rows, top row)."""
    iw, mw, cw = 60, 60, 12
    border = "+" + "-" * (iw + 2) + "+" + "-" * (mw + 2) + "+" + "+".join("-" * (cw + 2) for _ in COLS) + "+\n"

    def row(inst: str, mod: str, vals: list[int]) -> str:
        return ("| " + inst.ljust(iw) + " | " + mod.rjust(mw) + " | "
                + " | ".join(str(v).rjust(cw) for v in vals) + " |\n")

    leaves = []
    target = int(min_mb * 1024 * 1024)
    per_row = len(row("x", "y", [0] * len(COLS)))
    n_groups = target // (per_row * 9) + 1
    for g in range(n_groups):
        group = []
        for k in range(8):
            vals = [(g * 7 + k * 3) % 500 + 10, 0, (k % 3), (k % 2), (g + k) % 900 + 5,
                    k % 2, (k + 1) % 2, k % 3]
            vals[1] = vals[0] - vals[2] - vals[3]
            group.append((f"      gen_pe[{g}].u_pe/lane_{k}", f"pe_lane__parameterized{k}", vals))
        leaves.append(group)
    totals_by_group = [[sum(v[i] for _, _, v in grp) for i in range(len(COLS))] for grp in leaves]
    top = [sum(t[i] for t in totals_by_group) for i in range(len(COLS))]
    with open(path, "w") as fh:
        fh.write(HEADER.format(command="report_utilization -hierarchical -file util_hier.rpt",
                               state_or_speed="Design State : Routed"))
        fh.write("\nUtilization Design Information\n\nTable of Contents\n-----------------\n"
                 "1. Utilization by Hierarchy\n\n1. Utilization by Hierarchy\n"
                 "---------------------------\n\n")
        fh.write(border)
        fh.write("| " + "Instance".center(iw) + " | " + "Module".center(mw) + " | "
                 + " | ".join(c.center(cw) for c in COLS) + " |\n")
        fh.write(border)
        fh.write(row("top", "(top)", top))
        rows = 1
        for g, (grp, tot) in enumerate(zip(leaves, totals_by_group)):
            fh.write(row(f"    gen_pe[{g}].u_pe", "pe", tot))
            rows += 1
            for inst, mod, vals in grp:
                fh.write(row(inst, mod, vals))
                rows += 1
        fh.write(border)
        fh.write("* Note: The sum of lower-level cells may be larger than their parent cells total, "
                 "due to cross-hierarchy LUT combining\n")
    return rows, dict(zip(COLS, top))


def build_timing(path: Path, target_mb: float = 1.6) -> dict:
    """Write a timing summary with 40 clocks (some without paths) and path details."""
    clocks = [(f"clk_{i}", 2.5 + i * 0.25) for i in range(40)]
    wns = {name: round(0.05 + i * 0.037, 3) for i, (name, _) in enumerate(clocks) if i % 4 != 3}
    out = [HEADER.format(command="report_timing_summary -max_paths 10 -file t.rpt",
                         state_or_speed="Speed File   : -3  PRODUCTION 1.12 2017-02-17")]
    out.append("\nTiming Summary Report\n\n")

    def section(title: str) -> None:
        line = "-" * 96
        out.append(f"{line}\n| {title}\n| {'-' * len(title)}\n{line}\n\n")

    section("Design Timing Summary")
    cols = ["WNS(ns)", "TNS(ns)", "TNS Failing Endpoints", "TNS Total Endpoints", "WHS(ns)",
            "THS(ns)", "THS Failing Endpoints", "THS Total Endpoints", "WPWS(ns)", "TPWS(ns)",
            "TPWS Failing Endpoints", "TPWS Total Endpoints"]
    out.append("    " + "  ".join(f"{c:>{max(len(c), 7)}}" for c in cols) + "  \n")
    out.append("    " + "  ".join("-" * max(len(c), 7) for c in cols) + "  \n")
    vals = [min(wns.values()), 0.0, 0, 123456, 0.021, 0.0, 0, 123400, 0.4, 0.0, 0, 60000]
    out.append("    " + "  ".join(f"{v:>{max(len(c), 7)}}" for v, c in zip(vals, cols)) + "  \n")
    out.append("\n\nAll user specified timing constraints are met.\n\n\n")
    section("Clock Summary")
    out.append(f"{'Clock':<12}{'Waveform(ns)':<22}{'Period(ns)':<16}Frequency(MHz)\n")
    out.append(f"{'-----':<12}{'------------':<22}{'----------':<16}--------------\n")
    for name, period in clocks:
        wave = "{0.000 %.3f}" % (period / 2)
        out.append(f"{name:<12}{wave:<22}{period:<16.3f}{1000 / period:<16.3f}\n")
    out.append("\n\n")
    section("Intra Clock Table")
    icols = ["Clock"] + cols
    out.append(f"{'Clock':<12}" + "  ".join(f"{c:>{max(len(c), 7)}}" for c in cols) + "  \n")
    out.append(f"{'-----':<12}" + "  ".join("-" * max(len(c), 7) for c in cols) + "  \n")
    for name, _ in clocks:
        if name in wns:
            v = [wns[name], 0.0, 0, 3000, 0.03, 0.0, 0, 3000, 0.5, 0.0, 0, 1500]
            out.append(f"{name:<12}" + "  ".join(f"{x:>{max(len(c), 7)}}" for x, c in zip(v, cols))
                       + "  \n")
        else:  # pulse-width only: setup/hold columns blank
            blank = "  ".join(" " * max(len(c), 7) for c in cols[:8])
            tail = "  ".join(f"{x:>{max(len(c), 7)}}" for x, c in zip([0.5, 0.0, 0, 4], cols[8:]))
            out.append(f"{name:<12}{blank}  {tail}  \n")
    out.append("\n\n")
    section("Timing Details")
    detail = ("Slack (MET) :             0.123ns  (required time - arrival time)\n"
              "  Source:                 u_core/u_pe/acc_reg[17]/C\n"
              "  Destination:            u_core/u_pe/acc_reg[31]/D\n"
              "  Path Group:             clk_0\n  Path Type:              Setup (Max at Slow Process Corner)\n"
              + "    SLICE_X10Y20         LUT6 (Prop_lut6_I0_O)        0.124     1.234 r  u_core/n_1_i_1/O\n" * 30
              + "\n")
    body = "".join(out)
    target = int(target_mb * 1024 * 1024)
    path.write_text(body + detail * max(1, (target - len(body)) // len(detail)))
    return {"wns": min(wns.values()), "clocks": len(clocks), "with_paths": len(wns), "intra": icols}


EDALIZE_SNIPPET = """
import json, sys, time
from edalize.vivado_reporting import VivadoReporting as V
kind, path = sys.argv[1], sys.argv[2]
t = time.perf_counter()
if kind == "util":
    d = V.report_resources(path)
    secs = time.perf_counter() - t
    df = next(iter(d.values()))
    print(json.dumps({"seconds": secs, "rows": len(df), "columns": list(map(str, df.columns)),
                      "first": [str(x) for x in df.iloc[0].tolist()]}))
else:
    d = V.report_timing(path)
    secs = time.perf_counter() - t
    out = {"seconds": secs, "tables": list(d)}
    if "Design Timing Summary" in d:
        out["wns"] = str(d["Design Timing Summary"].iloc[0, 0])
    if "Intra Clock Table" in d:
        df = d["Intra Clock Table"]
        out["intra_rows"] = len(df)
        out["intra_sample"] = [[str(x) for x in df.iloc[i].tolist()[:3]] for i in (2, 3)]
    if "Clock Summary" in d:
        out["clock_summary_columns"] = list(map(str, d["Clock Summary"].columns))
    print(json.dumps(out))
"""


def run_edalize(kind: str, path: Path, timeout: float) -> dict | str:
    try:
        proc = subprocess.run([sys.executable, "-c", EDALIZE_SNIPPET, kind, str(path)],
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"did not finish within {timeout:.0f} s"
    if proc.returncode != 0:
        return "failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=50.0, help="size of the hierarchical report")
    ap.add_argument("--edalize-timeout", type=float, default=600.0)
    args = ap.parse_args()

    from fpgaflow.reports import vivado

    with tempfile.TemporaryDirectory() as tmp:
        util, timing = Path(tmp) / "util_hier.rpt", Path(tmp) / "timing_summary.rpt"
        rows, top = build_hierarchical(util, args.mb)
        expect = build_timing(timing)
        for label, path, kind in (("hierarchical utilization", util, "util"),
                                  ("timing summary", timing, "timing")):
            size = path.stat().st_size / 1e6
            text = path.read_text()
            t0 = time.perf_counter()
            parsed = (vivado.parse_utilization_hierarchical(text) if kind == "util"
                      else vivado.parse_timing_summary(text))
            ours = time.perf_counter() - t0
            print(f"{label}: {size:.1f} MB")
            print(f"  fpgaflow: {ours:.2f} s  ({size / ours:.1f} MB/s)")
            if kind == "util":
                assert len(parsed["hierarchy"]) == rows
                assert parsed["hierarchy"][0]["total_luts"] == top["Total LUTs"]
                print(f"    {rows} rows, top Total LUTs {top['Total LUTs']}, depth kept per row")
            else:
                clocks = parsed["timing"]["clocks"]
                assert parsed["timing"]["wns_ns"] == expect["wns"]
                assert sum("wns_ns" in c for c in clocks) == expect["with_paths"]
                print(f"    WNS {parsed['timing']['wns_ns']} ns, {len(clocks)} clocks, "
                      f"{expect['with_paths']} with setup paths")
            ed = run_edalize(kind, path, args.edalize_timeout)
            if isinstance(ed, str):
                print(f"  edalize: {ed}")
                continue
            print(f"  edalize: {ed['seconds']:.2f} s  ({size / ed['seconds']:.1f} MB/s); "
                  f"fpgaflow is {ed['seconds'] / ours:.1f}x faster")
            if kind == "util":
                print(f"    edalize rows {ed['rows']} (report has {rows}); first row {ed['first'][:4]}")
                print("    edalize keeps instance names stripped: the hierarchy depth is lost")
            else:
                print(f"    edalize tables: {ed['tables']}; WNS cell {ed.get('wns')!r}")
                print(f"    edalize Clock Summary columns: {ed.get('clock_summary_columns')}")
                print(f"    edalize Intra Clock rows 2-3 (row 3 has blank setup columns): "
                      f"{ed.get('intra_sample')}")


if __name__ == "__main__":
    main()
