"""BNN-PYNQ's trained networks (FINN LFC on MNIST, CNV on CIFAR-10 and SVHN) through the shipped
cores: cores/lfc and cores/cnv in RTL simulation (Verilator) on the published parameters, beside
the NumPy model (fpgaflow/models/finn.py) and, with --bnn-hls, the HLS MVAU's C-simulation of
every fully connected layer on that layer's inputs and, for the LFCs, the C-simulation of the
whole network's HLS top (cores/lfc/hls, lfc_top) on the RTL's ROM files and vectors.

Cases: lfcW1A1 and lfcW1A2 on the MNIST digit, the three CIFAR-10 CNVs on the deer (the CIFAR
binary record, and the .jpg through BNN-PYNQ's own preprocessing), the SVHN cnvW1A1 on the
street-number photo.  The image is streamed --bnn-images times (default 10) so the testbench
measures steady-state cycles per image against the folding bound (the slowest layer's SF*NF
cycles per output pixel); with 3 images a CNV's layers 0-5 had taken all three before the first
came out, so the measured window saw only layers 6-8 at work.  The prediction is decoded as
BNN-PYNQ's host does (LFC: round(log2) of the class bits; CNV: first maximum of the ten
ap_int<16> scores).
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from fpgaflow.models import cnv, finn, lfc, mvau  # noqa: E402

NAME = "bnn"
CORES = REPO / "cores"
STREAM_TB = CORES / "common" / "tb" / "stream_tb.v"
COMMON = sorted((CORES / "common" / "rtl").glob("*.v"))
MVAU = CORES / "mvau" / "rtl" / "mvau.v"
RESULT = re.compile(r"FPGAFLOW_SIM vectors=(\d+) mismatches=(\d+) cycles_per_item=(\d+)")
PROF = re.compile(r"FPGAFLOW_PROF layer=(\w+) window=(\d+) busy=(\d+) out_stall=(\d+) "
                  r"in_starve=(\d+) fifo_full=(\d+)")

# (network, dataset file prefix, input kind, input file, expected class index)
CASES = [
    ("lfcW1A1", "mnist", "idx", "mnist_digit3.idx3-ubyte", 3),
    ("lfcW1A2", "mnist", "idx", "mnist_digit3.idx3-ubyte", 3),
    ("cnvW1A1", "cifar10", "cifar", "cifar10_deer.bin", 4),
    ("cnvW1A2", "cifar10", "cifar", "cifar10_deer.bin", 4),
    ("cnvW2A2", "cifar10", "cifar", "cifar10_deer.bin", 4),
    ("cnvW1A1", "cifar10", "image", "cifar10_deer.jpg", 4),
    ("cnvW1A2", "cifar10", "image", "cifar10_deer.jpg", 4),
    ("cnvW2A2", "cifar10", "image", "cifar10_deer.jpg", 4),
    ("cnvW1A1", "streetview", "image", "svhn_6.png", 5),
]


def add_args(ap) -> None:
    g = ap.add_argument_group("bnn (BNN-PYNQ LFC/CNV)")
    g.add_argument("--bnn-sim", choices=["verilator", "icarus"], default="verilator",
                   help="RTL simulator for the whole networks (Icarus takes hours for a CNV)")
    g.add_argument("--bnn-images", type=int, default=10,
                   help="times the test image is streamed (>= 2 for steady-state cycles)")
    g.add_argument("--bnn-hls", action="store_true",
                   help="also C-simulate the HLS MVAU on every fully connected layer, and "
                        "the whole LFC's HLS top")
    g.add_argument("--bnn-profile", action="store_true",
                   help="CNV: per layer, the MVAU's busy / output-stalled / input-starved cycles "
                        "and its input FIFO's full cycles over the measured window")
    g.add_argument("--bnn-case", action="append", default=None,
                   help="only cases whose '<network> <input>' contains this text")


# --------------------------------------------------------------------------- inputs
def _input_codes(kind: str, path: Path):
    if kind == "idx":
        return finn.mnist_codes(finn.read_idx_images(path)[:1])
    if kind == "cifar":
        planes, _ = finn.read_cifar_bin(path)
        return finn.cifar_codes(planes[:1])
    return finn.cifar_codes(finn.image_to_cifar(path)[None])


def _classes(papers: Path, dataset: str, net: str) -> list[str]:
    f = papers / "bnn-pynq" / f"{dataset}_{net}_classes.txt"
    return [c.strip() for c in f.read_text().splitlines() if c.strip()] if f.is_file() else []


# --------------------------------------------------------------------------- RTL
def _rtl(net: str):
    """(top testbench, sources, HDL parameters, output lanes, lane bits) of a network."""
    if net.startswith("lfc"):
        p = dict(lfc.FULL, ABITS=int(net[-1]))
        src = [MVAU, *COMMON, CORES / "lfc" / "rtl" / "lfc.v", CORES / "lfc" / "tb" / "lfc_tb.v", STREAM_TB]
        return "lfc_tb", src, p
    p = dict(cnv.FULL[net])
    src = [MVAU, *COMMON, *sorted((CORES / "cnv" / "rtl").glob("*.v")),
           CORES / "cnv" / "tb" / "cnv_tb.v", STREAM_TB]
    return "cnv_tb", src, p


def _build(tool: str, top: str, src, params: dict, workdir: Path, defines=()) -> list[str]:
    """Compile once per network (the ROM files are read when the simulation starts)."""
    workdir.mkdir(parents=True, exist_ok=True)
    if tool == "icarus":
        subprocess.run(["iverilog", "-g2012", "-o", str(workdir / "sim"), "-s", top,
                        *[f"-D{d}" for d in defines],
                        *[f"-P{top}.{k}={v}" for k, v in params.items()], *map(str, src)],
                       check=True, capture_output=True)
        return ["vvp", "-n", str(workdir / "sim")]
    exe = workdir / "obj" / f"V{top}"
    if not exe.is_file():
        # -O0 C++: the unrolled PE x SIMD lanes make large sources; compiling them is the slow
        # part, the simulation of a few images is short either way
        subprocess.run(["verilator", "--binary", "-Wno-fatal", "-Wno-lint", "-Wno-style",
                        "--MAKEFLAGS", "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0", "--top-module", top, "-Mdir", str(workdir / "obj"),
                        *[f"+define+{d}" for d in defines],
                        *[f"-G{k}={v}" for k, v in params.items()], *map(str, src)],
                       check=True, capture_output=True)
    return [str(exe)]


def _simulate(cmd: list[str], rundir: Path) -> tuple[int, int, int, str]:
    r = subprocess.run(cmd, cwd=rundir, capture_output=True, text=True, timeout=4 * 3600)
    found = RESULT.findall(r.stdout)
    if len(found) != 1:
        return 0, 1, 0, r.stdout[-2000:] + r.stderr[-2000:]
    v, m, c = (int(t) for t in found[0])
    return v, m, c, r.stdout


# --------------------------------------------------------------------------- HLS (per FC layer)
def _ap_types() -> Path:
    spec = importlib.util.find_spec("hls4ml")
    return Path(spec.origin).parent / "templates" / "vivado" / "ap_types"


def _hls_layers(layers, params, trace, x, workdir: Path) -> bool | None:
    """C-simulate cores/mvau/hls on every fully connected layer with that layer's inputs from the
    model; True when every output beat equals the model's."""
    if not shutil.which("g++"):
        return None
    hls = CORES / "mvau" / "hls"
    named = dict(trace)
    outs = [named.get(f"L{i}_pool", named.get(f"L{i}")) for i in range(len(layers))]
    ok = True
    for i, (lp, (w, t)) in enumerate(zip(layers, params)):
        if lp.get("kind") == "conv":
            continue
        d = finn.derived(lp)
        xin = np.asarray(x if i == 0 else outs[i - 1]).reshape(len(x), -1)
        y = mvau.compute(w, xin, t, d)
        ldir = workdir / f"hls_l{i}"
        ldir.mkdir(parents=True, exist_ok=True)
        mvau.write_files(ldir, d, w, t, xin, y)
        defines = [f"-D{k}={d[k]}" for k in mvau.PARAMETERS if k != "NVEC"]
        exe = workdir.parent / "hls-bin" / ("csim_" + "_".join(f[2:].replace("=", "") for f in defines))
        if not exe.is_file():                  # one compile per layer geometry and type
            exe.parent.mkdir(parents=True, exist_ok=True)
            # the widest ROM word (lfc layer 1: 64 PE x 32 SIMD) passes ap_int's default 1,024 bits
            subprocess.run(["g++", "-std=c++14", "-O2", "-w", "-DAP_INT_MAX_W=4096",
                            f"-I{_ap_types()}", f"-I{hls}", *defines, str(hls / "mvau_tb.cpp"),
                            str(hls / "mvau_top.cpp"), "-o", str(exe)], check=True)
        out = subprocess.run([str(exe)], cwd=ldir, capture_output=True, text=True).stdout
        m = re.search(r"vectors=(\d+) mismatches=(\d+)", out)
        ok = ok and bool(m) and int(m.group(1)) == len(x) and int(m.group(2)) == 0
    return ok


def _hls_lfc(net: str, rundir: Path, images: int) -> bool | None:
    """C-simulate the whole LFC's HLS top (cores/lfc/hls) in the RTL's run dir: the same ROM files
    (l<i>_weights.hex, l<i>_thresh.hex) and the same in.txt/exp.txt; True when every class bit of
    every image equals the model's.  The testbench's output goes to hls_network.log."""
    if not shutil.which("g++"):
        return None
    params = dict(lfc.FULL, ABITS=int(net[-1]), ACCW=16)
    exe = rundir.parent / "hls-bin" / f"lfc_top_{net}"
    if not exe.is_file():                      # one compile per network
        exe.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["g++", "-std=c++14", "-O2", "-w", f"-I{_ap_types()}",
                        f"-I{CORES / 'mvau' / 'hls'}", f"-I{CORES / 'lfc' / 'hls'}",
                        *[f"-D{k}={v}" for k, v in params.items()],
                        str(CORES / "lfc" / "hls" / "lfc_tb.cpp"),
                        str(CORES / "lfc" / "hls" / "lfc_top.cpp"), "-o", str(exe)], check=True)
    r = subprocess.run([str(exe)], cwd=rundir, capture_output=True, text=True, timeout=3600)
    (rundir / "hls_network.log").write_text(r.stdout + r.stderr)
    m = re.search(r"FPGAFLOW_SIM vectors=(\d+) mismatches=(\d+)", r.stdout)
    return bool(m) and int(m.group(1)) == images and int(m.group(2)) == 0


# --------------------------------------------------------------------------- cases
def cases(papers: Path, args):
    base = papers / "bnn-pynq"
    work = Path(args.work) / "bnn"
    built: dict[str, list[str]] = {}
    for net, dataset, kind, fname, expected in CASES:
        label = f"{net} {fname}"
        if args.bnn_case and not any(s in label for s in args.bnn_case):
            continue
        layers = finn.network(net)
        params = finn.load(base / f"{dataset}_{net}_params.npz", layers)
        x1 = _input_codes(kind, base / fname)
        trace: list = []
        y = finn.forward(layers, params, x1, trace)
        classes = _classes(papers, dataset, net)
        if net.startswith("lfc"):
            predicted, scores = finn.lfc_decode(y[0])
        else:
            predicted, scores = finn.cnv_decode(y[0])
        # RTL: the image N times, the model's outputs as the expected beats
        top, src, hdl = _rtl(net)
        profile = args.bnn_profile and net.startswith("cnv")
        key = f"{net}-{args.bnn_sim}" + ("-profile" if profile else "")
        if key not in built:
            built[key] = _build(args.bnn_sim, top, src, hdl, work / key,
                                ["FPGAFLOW_PROFILE"] if profile else [])
        rundir = work / f"{net}-{dataset}-{Path(fname).name.replace('.', '_')}"
        rundir.mkdir(parents=True, exist_ok=True)
        finn.write_roms(rundir, layers, params)
        n = max(1, args.bnn_images)
        xs = np.repeat(x1, n, axis=0)
        ys = np.repeat(y, n, axis=0)
        if net.startswith("lfc"):
            finn.write_streams(rundir, xs, layers[0]["SIMD"], 1, ys, layers[-1]["PE"], 1)
        else:
            finn.write_streams(rundir, xs, xs.shape[3], 8, ys, layers[-1]["PE"], 16)
        vectors, mismatches, cycles, log = _simulate(built[key], rundir)
        (rundir / "sim.log").write_text(log)
        rtl_ok = vectors == n and mismatches == 0
        hls_ok = _hls_layers(layers, params, trace, x1, rundir) if args.bnn_hls else None
        hls_net = _hls_lfc(net, rundir, n) if args.bnn_hls and net.startswith("lfc") else None
        bound = finn.cycles_bound(layers)
        def name(i: int) -> str:
            label = classes[i] if i < len(classes) else str(i)
            return str(i) if label == str(i) else f"{i} {label}"

        case = {
            "network": f"{net}" + ("" if dataset in ("mnist", "cifar10") else f"-{dataset}"),
            "precision": net[3:],
            "input": fname,
            "predicted": name(predicted),
            "expected": name(expected),
            "match": predicted == expected,
            "scores": scores,
            "cycles_per_item": cycles if n > 1 else None,
            "bound": bound,
            "rtl_equals_model": rtl_ok,
            "hls_equals_model": hls_ok,                 # the HLS MVAU, layer by layer
            "hls_network_equals_model": hls_net,        # the whole network's HLS top (LFC)
            "rtl_log": str(rundir / "sim.log"),
        }
        if profile:
            case["layers"] = [dict(zip(("layer", "window", "busy", "out_stall", "in_starve", "fifo_full"),
                                       (m[0], *map(int, m[1:])))) for m in PROF.findall(log)]
        if args.trace:
            tdir = Path(args.trace) / "bnn"
            tdir.mkdir(parents=True, exist_ok=True)
            stem = f"{net}-{dataset}-{Path(fname).stem}"
            np.savez(tdir / f"{stem}.npz", input=x1, **{k: v for k, v in trace})
            (tdir / f"{stem}.json").write_text(json.dumps(
                {k: v for k, v in case.items() if k != "rtl_log"}, indent=1))
        if not getattr(args, "json", False):
            print(f"  {label}: scores {scores}", flush=True)
            for lay in case.get("layers", []):
                print("    {layer}: busy {busy} out_stall {out_stall} in_starve {in_starve} "
                      "fifo_full {fifo_full} of {window} cycles".format(**lay), flush=True)
        yield case
