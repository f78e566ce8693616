"""The shipped accelerator configurations beside the papers' published figures.

For each configuration it runs `fpgaflow build` (Yosys estimate for the paper's device
family, plus RTL simulation) and prints:
- resources (LUT, FF, RAMB36, DSP) from the Yosys estimate beside the paper's Vivado
  figures on XC7Z020 where they exist: an estimate is not a Vivado result, and the
  columns say which is which;
- simulated cycles per item beside the folding bound (goal: within 5 %);
- the LUTNet / XNOR area ratio on one device (the paper reports about 2x area efficiency
  at equal accuracy, where LUTNet prunes much harder).

    python benchmarks/cores.py [--quick] [--out DIR]

--quick builds only the small configurations (minutes); the full set runs the full
geometries (tens of minutes on 2 cores: Yosys on the 128-unit BiLSTM and the full LFC
takes a while). Builds are cached, so a second run is immediate.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# recipe -> published figures on XC7Z020 (LUT, FF, BRAM36, DSP); None where not published
PAPER = {
    "bilstm_w2a2_pynqz2": ("FINN-L W2A2", (26423, 39703, 119.5, 180)),
    "bilstm_w4a4_pynqz2": ("FINN-L W4A4", (38260, 26618, 103.5, 7)),
    "bilstm_w4a8_pynqz2": ("FINN-L W4A8", (41895, 41588, 105, 7)),
    "bilstm_w8a8_pynqz2": ("FINN-L W8A8", None),
    "lfc_w1a1_pynqz2": ("BNN-PYNQ lfcW1A1", (28360, 33470, 110, 4)),
    "lfc_small_pynqz2": ("LFC (small geometry)", None),
}
QUICK = ["lfc_small_pynqz2", "mvau_w1a1_zcu104", "lutnet_xnor_zcu104", "lutnet_k4_zcu104"]
FULL = [*PAPER, "mvau_w1a1_zcu104", "lutnet_xnor_zcu104", "lutnet_k4_zcu104", "lutnet_k6_zcu104"]


def build(recipe: str, out: Path) -> tuple[dict, float]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "fpgaflow", "build", str(REPO / "recipes" / f"{recipe}.yaml"),
                           "--out", str(out), "--json"], capture_output=True, text=True)
    try:
        return json.loads(proc.stdout), time.perf_counter() - t0
    except ValueError:
        return {"status": "error", "error": proc.stderr.strip().splitlines()[-1:]}, time.perf_counter() - t0


def used(s: dict, key: str):
    return s.get("resources", {}).get(key, {}).get("used")


def fmt(v) -> str:
    if v is None:
        return "—"
    return f"{v:,.1f}" if isinstance(v, float) and not float(v).is_integer() else f"{int(v):,}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", type=Path, default=REPO / "build")
    args = ap.parse_args()
    names = QUICK if args.quick else FULL
    print(f"{'configuration':28} {'status':9} {'LUT':>9} {'FF':>9} {'RAMB36':>7} {'DSP':>5}"
          f" | {'paper LUT':>9} {'FF':>7} {'BRAM36':>7} {'DSP':>4} | {'cyc/item':>8} {'bound':>7} {'ratio':>6} {'s':>6}")
    results = {}
    for name in names:
        s, secs = build(name, args.out)
        results[name] = s
        label, paper = PAPER.get(name, (name, None))
        sim = s.get("sim", {})
        cyc, bound = sim.get("cycles_per_item"), sim.get("cycles_per_item_bound")
        ratio = f"{cyc / bound:.3f}" if cyc and bound else "—"
        p = paper or (None, None, None, None)
        print(f"{label[:28]:28} {s.get('status', '?'):9} {fmt(used(s, 'lut')):>9} {fmt(used(s, 'ff')):>9}"
              f" {fmt(used(s, 'bram')):>7} {fmt(used(s, 'dsp')):>5} | {fmt(p[0]):>9} {fmt(p[1]):>7}"
              f" {fmt(p[2]):>7} {fmt(p[3]):>4} | {fmt(cyc):>8} {fmt(bound):>7} {ratio:>6} {secs:6.0f}")
    xnor = used(results.get("lutnet_xnor_zcu104", {}), "lut")
    for k in ("lutnet_k4_zcu104", "lutnet_k6_zcu104"):
        lut = used(results.get(k, {}), "lut")
        if xnor and lut:
            print(f"LUTNet/XNOR LUT ratio ({k}): {lut / xnor:.2f} ({lut:,} vs {xnor:,} LUT, same layer shape)")
    print("Resources are Yosys estimates (synth_xilinx); paper figures are Vivado post-implementation.")


if __name__ == "__main__":
    main()
