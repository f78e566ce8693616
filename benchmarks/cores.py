"""The shipped accelerator configurations beside the papers' published figures.

For each configuration it runs `fpgaflow build` (Yosys estimate for the paper's device
family, plus RTL simulation) and prints:
- resources (LUT, FF, RAMB36, DSP) from the Yosys estimate beside the paper's Vivado
  figures on XC7Z020 where they exist: an estimate is not a Vivado result, and the
  columns say which is which;
- simulated cycles per item beside the folding bound (goal: within 5 %);
- the LUTNet / XNOR area ratio on one device (the paper reports about 2x area efficiency
  at equal accuracy, where LUTNet prunes much harder);
- with ``--lutnet-density``: LUTNet layers at lower pruning densities beside the unpruned
  XNOR layer (FINN/ReBNet do not prune), i.e. how hard LUTNet must prune to reach the
  paper's 2x. Accuracy needs training data, which this benchmark does not have: it gives
  the area side of the trade, the density at which each K breaks even and halves the area.

    python benchmarks/cores.py [--quick] [--lutnet-density] [--out DIR]

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
    return build_recipe(REPO / "recipes" / f"{recipe}.yaml", out)


def build_recipe(recipe: Path, out: Path) -> tuple[dict, float]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "fpgaflow", "build", str(recipe),
                           "--out", str(out), "--json"], capture_output=True, text=True)
    try:
        return json.loads(proc.stdout), time.perf_counter() - t0
    except ValueError:
        return {"status": "error", "error": proc.stderr.strip().splitlines()[-1:]}, time.perf_counter() - t0


# The density study builds generated cores of its own: a project dir with a cores/ folder
# (fpgaflow finds cores next to the recipe), one core per (density, XNOR density).
DENSITY_CORE = """CAPI=2:
name: fpgaflow:bench:{name}:0.1
description: LUTNet layer at density {density}, XNOR baseline at density {xnor} (benchmark)
generators:
  lutnet_gen:
    interpreter: python3
    command: {generator}
generate:
  layers:
    generator: lutnet_gen
    parameters: {{N_IN: 64, N_OUT: 16, KS: [4, 6], DENSITY: {density}, XNOR_DENSITY: {xnor}, SEED: 1}}
parameters:
  K:       {{datatype: int, default: 4, paramtype: vlogparam}}
  VARIANT: {{datatype: int, default: 0, paramtype: vlogparam}}
targets:
  default:
    generate: [layers]
    parameters: [K, VARIANT]
    toplevel: lutnet_top
"""
DENSITY_RECIPE = """name: {name}
core: fpgaflow:bench:{core}
board: zcu104
stages: [synth]
clocks: {{clk: 200 MHz}}
parameters: {{K: {k}, VARIANT: {variant}}}
"""


def lutnet_density(out: Path) -> None:
    """LUTNet K=4/6 at densities 1/2, 1/4, 1/8 against the unpruned XNOR layer, xczu7ev."""
    proj = out / "lutnet-density"
    (proj / "cores").mkdir(parents=True, exist_ok=True)
    gen = REPO / "fpgaflow" / "generators" / "lutnet.py"
    points = [("xnor_d100", 1.0, 1.0, 4, 1)]
    points += [(f"k{k}_d{int(d * 1000):03d}", d, 1.0, k, 0) for d in (0.5, 0.25, 0.125) for k in (4, 6)]
    print("\nLUTNet pruning density against the unpruned XNOR layer (64 inputs, 16 neurons, xczu7ev,"
          " Yosys estimate)")
    print(f"{'layer':18} {'density':>7} {'LUT':>6} {'FF':>5} {'vs XNOR':>8} {'s':>5}")
    base = None
    for name, density, xnor, k, variant in points:
        core = f"lutnet_d{int(density * 1000):03d}"
        (proj / "cores" / f"{core}.core").write_text(
            DENSITY_CORE.format(name=core, density=density, xnor=xnor, generator=gen))
        recipe = proj / f"{name}.yaml"
        recipe.write_text(DENSITY_RECIPE.format(name=f"lutnet_{name}", core=core, k=k, variant=variant))
        s, secs = build_recipe(recipe, out)
        lut, ff = used(s, "lut"), used(s, "ff")
        if variant == 1:
            base = lut
        ratio = f"{lut / base:.2f}" if lut and base else "—"
        label = "XNOR (unpruned)" if variant else f"LUTNet K={k}"
        print(f"{label:18} {density:7.3f} {fmt(lut):>6} {fmt(ff):>5} {ratio:>8} {secs:5.0f}"
              + ("" if s.get("status") == "passed" else f"  {s.get('status')}: {s.get('error', '')}"))
    print("A ratio of 0.5 is the paper's 2x area efficiency; whether the network keeps its accuracy"
          " at that density is a training question (LUTNet's claim), not measured here.")


def used(s: dict, key: str):
    return s.get("resources", {}).get(key, {}).get("used")


def fmt(v) -> str:
    if v is None:
        return "—"
    return f"{v:,.1f}" if isinstance(v, float) and not float(v).is_integer() else f"{int(v):,}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--lutnet-density", action="store_true",
                    help="only the LUTNet pruning-density study (about 10 min)")
    ap.add_argument("--out", type=Path, default=REPO / "build")
    args = ap.parse_args()
    if args.lutnet_density:
        lutnet_density(args.out.resolve())
        return
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
