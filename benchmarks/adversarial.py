"""Report-kind detection and parsing on adversarial inputs (default 10 MB each).

With ``--kinds`` every parser also reads every input (``parse_text(text, kind)``), and
the slowest of them is printed.

Each input repeats a fragment that makes a backtracking regex go quadratic (a line start
followed by a token the rule looks for, without the rest of the rule). For each input it
times ``detect`` and ``parse_text`` and prints both as a ratio of a baseline in the same
run: one linear pass over the same text (``text.count`` of a character that is absent plus
``splitlines``). Asserts nothing about time; the issue's goal is < 2 s per 10 MB input.

    python benchmarks/adversarial.py [--mb 10] [--only NAME] [--kinds]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fpgaflow.reports import KINDS, ReportError, detect, parse_text  # noqa: E402

# name -> fragment repeated to the size (each one aims at one detection rule or parser regex)
CASES: dict[str, str] = {
    "vivado tool version lines": "| Tool Version\n",
    "vivado header, no title": "| Tool Version : Vivado v.2020.2\n| Instance | Module |\n",
    "blank lines": "\n",
    "spaces then newline": " " * 60 + "\n",
    "quartus Type lines without quote": "Type : Setup Setup Setup Setup Setup Setup\n",
    "one long quartus Type line": "Type : " + "Setup " * 64,
    "yosys === headers": "=== a === === b ===\n\n",
    "yosys long === line": "=== " + "x ===" * 64,
    "xml profile tags": "<profile>\n",
    "quartus key lines": "Fitter Status" + " " * 30 + "x\n",
    "quartus kv with long spaces": "Fitter Status : ok\n" + "A" + " " * 2000 + "b\n",
    "nextpnr fmax lines": "Info: Max frequency for clock 'c': 1" + "0" * 30 + "\n",
    "vivado table rows": "| Tool Version : x\n| Site Type | Used |\n" + "| a " * 40 + "\n",
    "hls title": "== Vitis HLS Report for 'x'\n" + "|" * 200 + "\n",
    "ise twr lines": "Timing summary:\n" + "Timing errors: " + "0" * 40 + "\n",
    "ise map lines": "Release 14.7 Map\nDesign Summary\n" + "  Number of Slice LUTs: " * 10 + "\n",
    "ise rows without a colon, blank runs": "Release 14.7 par\nNumber of a b" + "\t " * 100 + "x\n",
    "ise wrapped constraint heads": "Release 14.7 Trace\nTiming constraint: TS_a = PERIOD TIMEGRP "
                                    "\"a\" TS_b / \n",
    "ise derived PERIOD heads": "Release 14.7 Trace\nTiming errors: 0  Score: 0\nTiming "
                                "constraint: PERIOD analysis for net \"a\" derived from  NET \n",
    "ise data sheet of an unconstrained run": "Release 14.7 Trace\nINFO:Timing:2698 - No timing "
                                              "constraints found\nClock to Setup on destination "
                                              "clock c\n-----\nc |\n",
}


def _baseline(text: str) -> float:
    t = time.perf_counter()
    text.count("\x01")
    len(text.splitlines())
    return time.perf_counter() - t


def _timed(fn, text: str) -> tuple[float, str]:
    t = time.perf_counter()
    try:
        out = fn(text)
        verdict = "ok" if out is not None else "none"
    except ReportError:
        verdict = "ReportError"
    return time.perf_counter() - t, verdict


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--only", help="run only the case whose name contains this")
    ap.add_argument("--kinds", action="store_true", help="also run every parser on every input")
    args = ap.parse_args(argv)
    size = int(args.mb * 1024 * 1024)
    print(f"{'input':38} {'MB':>5} {'baseline s':>10} {'detect s':>9} {'ratio':>7} "
          f"{'parse s':>8} {'ratio':>7}  result")
    worst = 0.0
    for name, fragment in CASES.items():
        if args.only and args.only not in name:
            continue
        text = (fragment * (size // len(fragment) + 1))[:size]
        base = max(_baseline(text), 1e-6)
        t_detect, kind = _timed(detect, text)
        t_parse, verdict = _timed(parse_text, text)
        worst = max(worst, t_detect, t_parse)
        extra = ""
        if args.kinds:
            slowest = max(((_timed(lambda t, k=k: parse_text(t, k), text)[0], k) for k in KINDS))
            worst = max(worst, slowest[0])
            extra = f"; slowest parser {slowest[1]} {slowest[0]:.3f} s ({slowest[0] / base:.1f}x)"
        print(f"{name:38} {len(text) / 2**20:5.1f} {base:10.3f} {t_detect:9.3f} "
              f"{t_detect / base:7.1f} {t_parse:8.3f} {t_parse / base:7.1f}  "
              f"{kind or 'unknown'} / {verdict}{extra}", flush=True)
    print(f"slowest: {worst:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
