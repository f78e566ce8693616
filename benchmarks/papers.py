"""The papers' own trained networks run through the shipped cores.

For every case (a network, a precision, a test input from the paper's repository) it runs
the RTL simulation (and, where the core has HLS C++, the C-simulation) of the whole network
on the paper's trained weights and prints the prediction beside the ground truth, the
cycles per item against the folding bound, and whether RTL, HLS and the NumPy model agree
value for value.

    python benchmarks/papers.py --papers ../shared/papers [--only finnl|bnn] [--json] [--trace DIR]

The data are read by path and never copied into the repository. Each family of cases is
one module in ``benchmarks/paper_cases/`` with ``NAME``, ``add_args(parser)`` (optional)
and ``cases(papers: Path, args) -> Iterator[dict]``; a case dict has at least the keys in
``KEYS``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FAMILIES = ("finnl", "bnn")
KEYS = ("network", "precision", "input", "predicted", "expected", "match", "cycles_per_item",
        "bound", "rtl_equals_model", "hls_equals_model")


def _family(name: str):
    return importlib.import_module(f"benchmarks.paper_cases.{name}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--papers", type=Path, required=True, help="the shared papers folder")
    ap.add_argument("--only", choices=FAMILIES, action="append", help="run only these families")
    ap.add_argument("--json", action="store_true", help="print a JSON list, one object per case")
    ap.add_argument("--trace", type=Path, help="write each case's intermediate values here")
    ap.add_argument("--work", type=Path, default=REPO / "build" / "papers", help="scratch dir")
    families = [_family(n) for n in FAMILIES]
    for fam in families:
        if hasattr(fam, "add_args"):
            fam.add_args(ap)
    args = ap.parse_args(argv)
    if not args.papers.is_dir():
        print(f"error: --papers {args.papers}: not a folder (expected ../shared/papers)",
              file=sys.stderr)
        return 2
    chosen = [f for f in families if not args.only or f.NAME in args.only]
    results = []
    for fam in chosen:
        for case in fam.cases(args.papers, args):
            missing = [k for k in KEYS if k not in case]
            if missing:
                raise AssertionError(f"{fam.NAME} case lacks {missing}")
            results.append(case)
            if not args.json:
                print(_line(case), flush=True)
    if args.json:
        print(json.dumps(results, indent=1))
    ok = all(c["match"] and c["rtl_equals_model"] is not False
             and c["hls_equals_model"] is not False
             and c.get("hls_network_equals_model") is not False for c in results)
    return 0 if ok else 1


def _line(c: dict) -> str:
    agree = "/".join(f"{label}={'yes' if c[k] else ('n/a' if c[k] is None else 'NO')}"
                     for k, label in (("rtl_equals_model", "rtl"), ("hls_equals_model", "hls"),
                                      ("hls_network_equals_model", "hls-net")) if k in c)
    extra = f"  cer {c['cer']:.3f}" if c.get("cer") is not None else ""
    return (f"{c['network']:<18} {c['precision']:<5} {c['input']:<22} "
            f"predicted {c['predicted']!s:<28} expected {c['expected']!s:<28} "
            f"{'MATCH' if c['match'] else 'differ'}{extra}  "
            f"cycles {c['cycles_per_item']}/{c['bound']}  {agree}")


if __name__ == "__main__":
    sys.exit(main())
