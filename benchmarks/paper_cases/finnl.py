"""FINN-L (Xilinx/LSTM-PYNQ) plain-OCR cases for benchmarks/papers.py.

Per precision (W2A2, W2A4, W4A4, W4A8, W8A8): FINN-L's trained weights
(``<P>_weights.npz`` + ``.json``, ``hw_config.json``) and its test line
(``<P>_test_image.npy``) run through the bit-exact model, the RTL simulation (Verilator) and
the HLS C-simulation (g++ + ap_types) of the whole network: hidden layer, output layer,
MaxPerColumn, FinalLabeling. The recognized text (FinalLabeling, FINN-L's decoding) is
compared with ``<P>_test_image_gt.txt``; the testbenches compare every hidden output,
every score and every label with the model (``rtl_equals_model``, ``hls_equals_model``).

``--trace DIR`` writes per case ``DIR/finnl_<P>/``: ``h_fw.npy``, ``h_bw.npy`` (columns x
HIDDEN integer codes, row t = the output for input column t), ``scores.npy`` (columns x
CLASSES, the output layer's summed scores as <16,8> codes, row t = column t),
``scores_fw.npy``/``scores_bw.npy`` (each direction's part), ``labels.json``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np

from fpgaflow.models import bilstm as model

NAME = "finnl"
PRECISIONS = ("W2A2", "W2A4", "W4A4", "W4A8", "W8A8")
REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "cores" / "bilstm"
RTL = [CORE / "rtl" / "bilstm_mem.v", CORE / "rtl" / "bilstm.v", CORE / "tb" / "bilstm_tb.v"]
RESULT = re.compile(r"FPGAFLOW_SIM vectors=(\d+) mismatches=(\d+)(?: cycles_per_item=(\d+))?")


def add_args(ap) -> None:
    g = ap.add_argument_group("finnl")
    g.add_argument("--finnl-precision", action="append", choices=PRECISIONS,
                   help="only these precisions (default: all five)")
    g.add_argument("--finnl-simd-fc", type=int, default=64,
                   help="output-layer lanes per direction of the core (default 64)")
    g.add_argument("--finnl-no-rtl", action="store_true", help="skip the RTL simulation")
    g.add_argument("--finnl-no-hls", action="store_true", help="skip the HLS C-simulation")


def _ap_types() -> Path:
    spec = importlib.util.find_spec("hls4ml")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("finnl: hls4ml (ap_types headers) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "templates" / "vivado" / "ap_types"


def _result(text: str):
    m = RESULT.findall(text)
    if len(m) != 1:
        return None
    n, mism, c = m[0]
    return int(n), int(mism), (int(c) if c else None)


def _run(cmd, cwd: Path, log: Path, timeout: int) -> tuple[subprocess.CompletedProcess, float]:
    t0 = time.monotonic()
    env = {**os.environ, "MAKEFLAGS": "-j2"}
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    log.write_text(f"$ {' '.join(map(str, cmd))}\n{r.stdout}\n{r.stderr}")
    return r, time.monotonic() - t0


def _rtl(work: Path, p: dict) -> dict:
    """Verilator: build, then one run over the test line (timed separately)."""
    args = ["verilator", "--binary", "-O3", "--top-module", "bilstm_tb", "--Mdir", "obj",
            "-o", "vsim", "-j", "2", "-Wno-fatal", "-Wno-lint", "-Wno-style"]
    args += [f"-G{k}={v}" for k, v in model.int_params(p).items()]
    args += [f"-GVMAX={p['SEQLEN'] + 16}"]
    b, t_build = _run(args + [str(f) for f in RTL], work, work / "verilator_build.log", 3600)
    if b.returncode != 0:
        return {"rtl_equals_model": False, "rtl_error": "verilator build failed (see log)",
                "rtl_build_s": round(t_build, 1)}
    r, t_run = _run([str(work / "obj" / "vsim")], work, work / "verilator_run.log", 3600)
    res = _result(r.stdout)
    out = {"rtl_build_s": round(t_build, 1), "rtl_sim_s": round(t_run, 2)}
    if res is None:
        return {**out, "rtl_equals_model": False, "rtl_error": "no FPGAFLOW_SIM line"}
    n, mism, cyc = res
    return {**out, "rtl_equals_model": mism == 0 and r.returncode == 0, "rtl_mismatches": mism,
            "cycles_per_item": cyc}


def _hls(work: Path, p: dict) -> dict:
    args = ["g++", "-std=c++14", "-O1", "-w", f"-I{_ap_types()}", f"-I{CORE / 'hls'}", "-I."]
    args += [f"-D{k}={v}" for k, v in model.int_params(p).items()]
    args += [str(CORE / "hls" / "bilstm.cpp"), str(CORE / "tb" / "bilstm_tb.cpp"), "-o", "csim"]
    b, t_build = _run(args, work, work / "csim_build.log", 3600)
    if b.returncode != 0:
        return {"hls_equals_model": False, "hls_error": "g++ failed (see log)"}
    r, t_run = _run(["./csim"], work, work / "csim_run.log", 3600)
    res = _result(r.stdout)
    if res is None:
        return {"hls_equals_model": False, "hls_error": "no FPGAFLOW_SIM line"}
    return {"hls_equals_model": res[1] == 0 and r.returncode == 0, "hls_mismatches": res[1],
            "hls_build_s": round(t_build, 1), "hls_sim_s": round(t_run, 2)}


def cases(papers: Path, args):
    base = Path(papers) / "finn-l"
    if not base.is_dir():
        raise SystemExit(f"finnl: {base}: not found (expected the shared papers folder)")
    alphabet = (base / "alphabet.txt").read_text().split("\n")
    work_root = Path(args.work) / "finnl"
    for prec in args.finnl_precision or PRECISIONS:
        weights = base / f"{prec}_weights.npz"
        fp = model.finnl_params(weights)
        image = np.load(base / f"{prec}_test_image.npy")
        cols = image.size // fp["INPUT"]
        p = model.resolve({**fp, "SIMD_FC": args.finnl_simd_fc, "SEQLEN": cols,
                           "MAXLEN": max(fp["MAXLEN"], cols), "WEIGHTS": str(weights)})
        net = model.load_finnl(weights, p)
        x = model.quantize_image(image, p)
        r = model.run_network(x, net, p)
        expected = (base / f"{prec}_test_image_gt.txt").read_text().rstrip("\n")
        predicted = model.recognize(r["labels"], alphabet, p["CLASSES"])
        best_path = model.recognize(r["ctc_best_path"] + [p["CLASSES"]], alphabet, p["CLASSES"])
        work = work_root / prec
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        model.write_roms(work, net, p)
        model.write_stimulus(work, [x], net, p)
        case = {"network": "finn-l plain OCR", "precision": prec,
                "input": f"{prec}_test_image.npy", "columns": cols,
                "predicted": predicted, "expected": expected, "match": predicted == expected,
                "cer": round(model.cer(predicted, expected), 4),
                "ctc_best_path": best_path,
                "ctc_best_path_cer": round(model.cer(best_path, expected), 4),
                "bound": model.cycles_per_item(p), "cycles_per_item": None,
                "hidden_bound": model.hidden_cycles(p),
                "parameters": model.int_params(p),
                "rtl_equals_model": None, "hls_equals_model": None}
        if not args.finnl_no_rtl:
            case.update(_rtl(work, p))
        if not args.finnl_no_hls:
            case.update(_hls(work, p))
        if args.trace:
            t = Path(args.trace) / f"finnl_{prec}"
            t.mkdir(parents=True, exist_ok=True)
            np.save(t / "h_fw.npy", r["h_fw"])
            np.save(t / "h_bw.npy", r["h_bw"])
            np.save(t / "scores.npy", r["scores"])
            np.save(t / "scores_fw.npy", r["scores_dir"][0])
            np.save(t / "scores_bw.npy", r["scores_dir"][1])
            (t / "labels.json").write_text(json.dumps(
                {"final_labeling": r["labels"], "ctc_best_path": r["ctc_best_path"],
                 "concat_order": r["order"].tolist(), "max_value": r["max_value"].tolist(),
                 "max_label": r["max_label"].tolist()}))
        yield case
