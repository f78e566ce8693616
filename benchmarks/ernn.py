"""E-RNN accuracy proxy on a trained network: the FINN-L BiLSTM projected onto circulant blocks.

There is no trained block-circulant network to load, so this takes the trained dense FINN-L
BiLSTM (plain OCR, 128 units a direction, 32-pixel columns; Xilinx LSTM-PYNQ) and projects
every gate matrix [W_ih | W_hh] (128 x 160) onto K x K circulant blocks with the projection
of ADMM's step (E-RNN, Sec. 4): each block's wrapped diagonals d = (r - c) mod K are replaced
by their mean, the nearest circulant block in the Frobenius norm. It then runs the dense and
the projected network in float64 (exact sigmoid/tanh, both directions, the trained output
layer, greedy CTC decoding) on the FINN-L test line and prints, per K:

* the relative Frobenius distance of the projected weights,
* the RMS and max distance between the dense and projected forward-direction h (the layer
  output), and between their output-layer logits,
* the decoded text's character error rate against the ground truth (the dense network's
  own CER is the baseline row, K=1),
* the weight memory of one direction's layer (dense, circulant direct, stored spectra),
* with ``--fixed`` (K = 1, 8, 16), the RMS distance of the core's bit-exact fixed-point
  model (fpgaflow.models.ernn, W8A8, 8-bit tables; direct and FFT datapath) running the
  projected weights from the float network with the same weights: the hardware's own error.

LUT/DSP/BRAM: ``--sweep DIR`` adds the synthesised cost of the sweep points
(``fpgaflow sweep recipes/sweeps/ernn.yaml``, reduced layer size, as labelled).

    python benchmarks/ernn.py --papers ../shared/papers [--precision W8A8] [--fixed] [--sweep build/sweep-ernn]

The paper data is read from --papers and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fpgaflow.models import ernn  # noqa: E402

GATES = ("gi", "gf", "ci", "go")      # FINN-L names in the core's order i, f, g, o
KS = (1, 2, 4, 8, 16)


def load(papers: Path, precision: str) -> dict:
    """The trained FINN-L weights as real matrices: w[dir][gate] (128 x 160), b[dir][gate],
    the output layer and the test line (columns of 32 pixels)."""
    base = papers / "finn-l"
    meta = json.loads((base / f"{precision}_weights.json").read_text())
    raw = np.load(base / f"{precision}_weights.npz")

    def real(name: str) -> np.ndarray:
        bits = meta["array_bits"][name]
        fmt = meta["typedefs"][f"t_fixed_{name}"]           # ap_fixed<N,I,...>
        n, i = (int(v) for v in fmt.split("<")[1].split(",")[:2])
        assert n == bits, (name, fmt, bits)
        v = raw[name].astype(np.int64)
        v = np.where(v >= 1 << (bits - 1), v - (1 << bits), v)
        return v / float(1 << (n - i))

    d = meta["defines"]
    pe, hid, hin = int(d["PE"]), int(d["NUMBER_OF_NEURONS"]), int(d["HEIGHT_IN_PIX"])
    w = np.zeros((2, 4, hid, hin + hid))
    b = np.zeros((2, 4, hid))
    for q, g in enumerate(GATES):
        # LSTM-PYNQ layout: weights[lane][fold][pe][unit group], input = fold*SIMD + lane,
        # unit = group*PE + pe over 2*HIDDEN (forward first, then backward)
        for part, cols in (("ih", slice(0, hin)), ("hh", slice(hin, hin + hid))):
            a = real(f"w{g}_{part}")                           # [SIMD, F, PE, 2H/PE]
            simd, folds = a.shape[0], a.shape[1]
            m = a.transpose(3, 2, 1, 0).reshape(2 * hid, folds * simd)   # [unit, input]
            w[0, q, :, cols], w[1, q, :, cols] = m[:hid], m[hid:]
        bias = real(f"b{g}_ih").reshape(pe, -1).T.reshape(-1) + real(f"b{g}_hh").reshape(pe, -1).T.reshape(-1)
        b[0, q], b[1, q] = bias[:hid], bias[hid:]
    x = np.load(base / f"{precision}_test_image.npy").reshape(-1, hin)
    gt = (base / f"{precision}_test_image_gt.txt").read_text().strip()
    alphabet = (base / "alphabet.txt").read_text().split("\n")
    return {"w": w, "b": b, "wfc": real("wfc"), "bfc": real("bfc").reshape(-1), "x": x, "gt": gt,
            "alphabet": alphabet, "hidden": hid, "input": hin}


def project(m: np.ndarray, k: int) -> np.ndarray:
    """Nearest block-circulant matrix (Frobenius): every K x K block's wrapped diagonals
    replaced by their mean; returns the block vectors [rows/K, cols/K, K]."""
    rows, cols = m.shape
    blocks = m.reshape(rows // k, k, cols // k, k).transpose(0, 2, 1, 3)   # [P, Q, K, K]
    d = ernn.circulant_index(k)
    return np.stack([blocks[:, :, d == j].mean(axis=2) for j in range(k)], axis=-1)


def expand(v: np.ndarray) -> np.ndarray:
    """Block vectors [P, Q, K] -> the dense matrix (W[r][c] = w[(r - c) mod K])."""
    P, Q, k = v.shape
    return v[:, :, ernn.circulant_index(k)].transpose(0, 2, 1, 3).reshape(P * k, Q * k)


def run(net: dict, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Forward h, backward h (in column order) and the output logits for weights w[2, 4, H, I+H]."""
    x = net["x"]
    hf = ernn.float_layer_real(x, w[0], net["b"][0], 0, net["input"])
    hb = ernn.float_layer_real(x[::-1], w[1], net["b"][1], 0, net["input"])[::-1]
    nc = net["wfc"].shape[1] // 2
    logits = (hf @ net["wfc"][:, :nc] + net["bfc"][:nc]) + (hb @ net["wfc"][:, nc:] + net["bfc"][nc:])
    return hf, hb, logits


def decode(logits: np.ndarray, alphabet: list[str]) -> str:
    """Greedy CTC: the best class per column, repeats collapsed, blanks (class 0) dropped."""
    best = logits.argmax(axis=1)
    out, prev = [], -1
    for c in best:
        if c != prev and c != 0:
            out.append(alphabet[c] if c < len(alphabet) else "?")
        prev = c
    return "".join(out)


def cer(a: str, b: str) -> float:
    """Character error rate: Levenshtein distance / len(b)."""
    d = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, d[0] = d[0], i
        for j, cb in enumerate(b, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (ca != cb))
    return d[len(b)] / max(1, len(b))


def fixed_distance(net: dict, vec: np.ndarray, k: int, fft: int, hf_float: np.ndarray) -> float:
    """RMS distance of the core's bit-exact model (W8A8, forward direction, projected weights)
    from the float network with the same projected weights (the hardware's own error)."""
    p = ernn.resolve({"INPUT": net["input"], "HIDDEN": net["hidden"], "K": k, "FFT": fft,
                      "WBITS": 8, "ABITS": 8})
    wq = np.clip(np.floor(vec * 128 + 0.5), -128, 127).astype(np.int64)          # [4, P, Q, K]
    bq = np.floor(net["b"][0] * (1 << 14) + 0.5).astype(np.int64)
    xq = np.clip(np.floor(net["x"] * 128 + 0.5), -128, 127).astype(np.int64)
    h = ernn.run_sequence(xq, ernn.Weights(wq, bq), p) / 128.0
    return float(np.sqrt(np.mean((h - hf_float) ** 2)))


def sweep_costs(path: Path) -> list[str]:
    data = json.loads((path / "sweep.json").read_text()) if (path / "sweep.json").exists() else None
    if data is None:
        return [f"(no sweep.json under {path})"]
    lines = ["", "Synthesised cost of the sweep points (Yosys estimate, xczu7ev; INPUT=HIDDEN=16):",
             f"{'point':28} {'LUT':>7} {'LUT %':>6} {'DSP':>5} {'BRAM':>5} {'cycles/step':>11} {'bound':>6}"]
    for pt in data.get("points", []):
        s = pt.get("summary") or {}
        r = s.get("resources", {})
        sim = s.get("sim", {})

        def u(key):
            return r.get(key, {}).get("used", "-")
        lut = r.get("lut", {})
        pct = f"{100.0 * lut['used'] / lut['available']:.2f}" if lut.get("available") else "-"
        lines.append(f"{pt.get('name', '?')[-28:]:28} {u('lut'):>7} {pct:>6} {u('dsp'):>5} {u('bram'):>5} "
                     f"{sim.get('cycles_per_item', '-'):>11} {sim.get('cycles_per_item_bound', '-'):>6}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--papers", type=Path, required=True, help="the shared papers directory")
    ap.add_argument("--precision", default="W8A8", help="FINN-L weight set (W2A2 ... W8A8)")
    ap.add_argument("--fixed", action="store_true", help="also run the core's fixed-point model (K=8, 16)")
    ap.add_argument("--sweep", type=Path, help="a sweep result directory (sweep-ernn) for LUT/DSP/BRAM")
    args = ap.parse_args(argv)
    try:
        net = load(args.papers, args.precision)
    except (OSError, KeyError, ValueError) as exc:
        print(f"error: cannot read the FINN-L data under {args.papers}: {exc}", file=sys.stderr)
        return 2
    hf0, _, lg0 = run(net, net["w"])
    text0 = decode(lg0, net["alphabet"])
    print(f"FINN-L {args.precision} BiLSTM, test line of {net['x'].shape[0]} columns; "
          f"ground truth {net['gt']!r}")
    print(f"dense float network decodes {text0!r} (CER {cer(text0, net['gt']):.3f})")
    print()
    hdr = (f"{'K':>3} {'|W-Wc|/|W|':>10} {'h RMS':>8} {'h max':>7} {'logit RMS':>9} "
           f"{'CER':>6} {'dense bits':>10} {'direct bits':>11} {'FFT bits':>9}")
    if args.fixed:
        hdr += f" {'fixed direct':>12} {'fixed FFT':>10}"
    print(hdr)
    H, I = net["hidden"], net["input"]
    for k in KS:
        vec = np.stack([np.stack([project(net["w"][d, q], k) for q in range(4)]) for d in range(2)])
        wc = np.stack([np.stack([expand(vec[d, q]) for q in range(4)]) for d in range(2)])
        rel = np.linalg.norm(wc - net["w"]) / np.linalg.norm(net["w"])
        hf, _, lg = run(net, wc)
        text = decode(lg, net["alphabet"])
        bits = ernn.weight_bits({"INPUT": I, "HIDDEN": H, "K": k, "WBITS": 8})
        row = (f"{k:>3} {rel:>10.4f} {np.sqrt(np.mean((hf - hf0) ** 2)):>8.4f} "
               f"{np.abs(hf - hf0).max():>7.4f} {np.sqrt(np.mean((lg - lg0) ** 2)):>9.4f} "
               f"{cer(text, net['gt']):>6.3f} {bits['dense']:>10} {bits['direct']:>11} {bits['fft']:>9}")
        if args.fixed:
            if k in (1, 8, 16):
                row += (f" {fixed_distance(net, vec[0], k, 0, hf):>12.4f}"
                        f" {fixed_distance(net, vec[0], k, 1, hf):>10.4f}")
            else:
                row += f" {'':>12} {'':>10}"
        print(row)
        if k >= 8:
            print(f"    K={k} decodes {text!r}")
    print("\nh RMS/max: forward-direction layer output, projected vs dense (float64; h in [-1, 1]).")
    if args.fixed:
        print("fixed direct/FFT: RMS of the core's fixed-point model vs the float network with the "
              "same projected weights.")
    print("bits: one direction's four gate matrices at 8-bit weights (FFT: stored spectra, "
          f"SBITS = 8 + log2 K + SFRAC={ernn.PARAMETERS['SFRAC']}), biases not included.")
    if args.sweep:
        print("\n".join(sweep_costs(args.sweep)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
