"""LUTNet layer generator (Wang et al., "LUTNet: Rethinking Inference in FPGA Soft Logic", FCCM 2019).

Turns K-input truth tables (seeded, or given in a JSON file) with a pruning density into a fully
unrolled binarized layer of K-LUTs as Verilog, plus the XNOR-popcount baseline of the same shape,
so that the LUT count of the two can be compared on one device.

Layer semantics (also those of :mod:`fpgaflow.models.lutnet`): N_IN binary inputs, N_OUT neurons.
Neuron ``o`` keeps M = max(1, round(DENSITY * N_IN)) connections (a seeded choice; the XNOR
baseline keeps the first round(XNOR_DENSITY * N_IN) of the same order).  In the LUTNet layer every
kept connection ``i`` is a K-LUT over x[i] and K-1 further seeded inputs ("logic expansion"):
``l = table[sum(x[in_k] << k)]``; in the XNOR layer it is ``x[i] XNOR w``.  The neuron fires when
the popcount of its M LUT/XNOR outputs is >= its threshold.  Inputs and outputs are registered:
one vector per cycle, latency 2.

Run it
* as a FuseSoC generator (``generators:``/``generate:`` in cores/lutnet/lutnet.core): FuseSoC runs
  ``python3 lutnet.py <input.yml>`` in an empty directory; the YAML holds ``parameters`` and
  ``vlnv``; we write the Verilog, ``lutnet_spec.json`` and a ``.core`` there;
* by hand: ``python -m fpgaflow.generators.lutnet --outdir DIR -P K=5 -P DENSITY=0.25``.

Either way the output is cached on its inputs: the SHA-256 of the canonical parameters (plus the
content of a TABLES file and this script) names a directory under the cache root
(``$FPGAFLOW_CACHE_DIR/lutnet/<hash>``, by default in the user cache dir ``fpgaflow/``); an existing complete
directory is a hit and is copied, not regenerated.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import pathlib
import shutil
import sys
import tempfile

import numpy as np

GENERATOR_VERSION = 1

DEFAULTS = {
    "N_IN": 64,
    "N_OUT": 16,
    "KS": [4, 5, 6],        # LUTNet layers to emit, one module lutnet_k<K> each
    "DENSITY": 0.5,         # fraction of the N_IN inputs each neuron keeps (LUTNet layer)
    "XNOR_DENSITY": None,   # same for the XNOR baseline; None = DENSITY
    "SEED": 1,
    "TABLES": None,         # optional JSON file with given tables (see load_tables)
}


# --------------------------------------------------------------------------- parameters
def normalize(params: dict | None) -> dict:
    p = dict(DEFAULTS)
    for key, value in (params or {}).items():
        key = key.upper()
        if key == "K":
            key, value = "KS", [value]
        if key not in DEFAULTS:
            raise KeyError(f"unknown LUTNet generator parameter {key!r}; known: {', '.join(DEFAULTS)}, K")
        p[key] = value
    ks = p["KS"]
    if isinstance(ks, (int, str)):
        ks = [ks]
    p["KS"] = sorted({int(k) for k in ks})
    for k in p["KS"]:
        if not 2 <= k <= 6:
            raise ValueError(f"K={k}: LUT inputs must be 2..6 (LUTNet uses 4..6)")
    p["N_IN"], p["N_OUT"], p["SEED"] = int(p["N_IN"]), int(p["N_OUT"]), int(p["SEED"])
    p["DENSITY"] = float(p["DENSITY"])
    p["XNOR_DENSITY"] = p["DENSITY"] if p["XNOR_DENSITY"] is None else float(p["XNOR_DENSITY"])
    for name in ("DENSITY", "XNOR_DENSITY"):
        if not 0.0 < p[name] <= 1.0:
            raise ValueError(f"{name}={p[name]} must be in (0, 1]")
    if p["N_IN"] < max(p["KS"]):
        raise ValueError(f"N_IN={p['N_IN']} must be at least K")
    return p


def input_hash(params: dict) -> str:
    """Content hash of everything the output depends on."""
    p = normalize(params)
    h = hashlib.sha256()
    data = dict(p)
    if p["TABLES"]:
        data["TABLES"] = hashlib.sha256(pathlib.Path(p["TABLES"]).read_bytes()).hexdigest()
    h.update(json.dumps(data, sort_keys=True).encode())
    h.update(f"v{GENERATOR_VERSION}".encode())
    h.update(pathlib.Path(__file__).read_bytes())
    return h.hexdigest()


# --------------------------------------------------------------------------- the layer spec
def _kept(n_in: int, density: float) -> int:
    return max(1, min(n_in, int(round(density * n_in))))


def build_spec(params: dict) -> dict:
    """The layer as plain data: per neuron the kept connections, the K-LUT inputs and tables for
    every K, the XNOR weights, and both thresholds.  Deterministic in the parameters."""
    p = normalize(params)
    n_in, n_out = p["N_IN"], p["N_OUT"]
    m_lut, m_xnor = _kept(n_in, p["DENSITY"]), _kept(n_in, p["XNOR_DENSITY"])
    rng = np.random.default_rng(p["SEED"])
    given = load_tables(p["TABLES"], p) if p["TABLES"] else None
    neurons = []
    for o in range(n_out):
        order = [int(i) for i in rng.permutation(n_in)]
        xnor_conn = order[:m_xnor]
        weights = [int(b) for b in rng.integers(0, 2, size=m_xnor)]
        spread = max(1, int(math.sqrt(m_xnor)))
        t_xnor = int(rng.integers(max(0, m_xnor // 2 - spread), min(m_xnor, m_xnor // 2 + spread) + 1))
        lut_conn = order[:m_lut]
        spread = max(1, int(math.sqrt(m_lut)))
        t_lut = int(rng.integers(max(0, m_lut // 2 - spread), min(m_lut, m_lut // 2 + spread) + 1))
        luts = {}
        for k in p["KS"]:
            krng = np.random.default_rng([p["SEED"], o, k])
            entries = []
            for i in lut_conn:
                others = [int(v) for v in krng.choice([j for j in range(n_in) if j != i], size=k - 1,
                                                      replace=False)]
                table = int.from_bytes(krng.bytes(8), "little") & ((1 << (1 << k)) - 1)
                entries.append({"inputs": [i] + others, "table": table})
            luts[str(k)] = entries
        neuron = {"xnor": {"inputs": xnor_conn, "weights": weights, "threshold": t_xnor},
                  "lutnet": {"threshold": t_lut, "luts": luts}}
        neurons.append(neuron)
    if given:
        for o, g in enumerate(given["neurons"]):
            neurons[o]["lutnet"] = g
    # edge rows: neuron 0 always fires (threshold 0), neuron 1 never (threshold above M)
    if n_out > 1:
        neurons[0]["xnor"]["threshold"] = 0
        neurons[1]["xnor"]["threshold"] = m_xnor + 1
        if not given:
            neurons[0]["lutnet"]["threshold"] = 0
            neurons[1]["lutnet"]["threshold"] = m_lut + 1
    return {"generator": "fpgaflow.generators.lutnet", "version": GENERATOR_VERSION,
            "params": p, "n_in": n_in, "n_out": n_out, "ks": p["KS"], "neurons": neurons}


def load_tables(path: str, p: dict) -> dict:
    """Given tables: JSON ``{"neurons": [{"threshold": T, "luts": {"<K>": [{"inputs": [..K..],
    "table": int}, ...]}}, ...]}`` with one entry per neuron and every K of KS."""
    data = json.loads(pathlib.Path(path).read_text())
    neurons = data.get("neurons")
    if not isinstance(neurons, list) or len(neurons) != p["N_OUT"]:
        raise ValueError(f"{path}: expected 'neurons' with {p['N_OUT']} entries")
    for o, n in enumerate(neurons):
        for k in p["KS"]:
            for e in n["luts"][str(k)]:
                if len(e["inputs"]) != k or not all(0 <= i < p["N_IN"] for i in e["inputs"]):
                    raise ValueError(f"{path}: neuron {o} K={k}: bad inputs {e['inputs']}")
                if not 0 <= int(e["table"]) < (1 << (1 << k)):
                    raise ValueError(f"{path}: neuron {o} K={k}: table out of range")
    return data


# --------------------------------------------------------------------------- Verilog
def _popcount_fn(width: int) -> str:
    cw = max(1, math.ceil(math.log2(width + 1)))
    return (f"    function [{cw - 1}:0] popcount;\n"
            f"        input [{width - 1}:0] v;\n"
            f"        integer i;\n"
            f"        begin\n"
            f"            popcount = 0;\n"
            f"            for (i = 0; i < {width}; i = i + 1)\n"
            f"                popcount = popcount + v[i];\n"
            f"        end\n"
            f"    endfunction\n")


def _module_head(name: str, n_in: int, n_out: int, comment: str) -> str:
    return (f"// {comment}\n// Generated by fpgaflow.generators.lutnet; do not edit.\n"
            f"module {name} (\n"
            f"    input  wire              clk,\n"
            f"    input  wire [{n_in - 1}:0] in_data,\n"
            f"    input  wire              in_valid,\n"
            f"    output reg  [{n_out - 1}:0] out_data,\n"
            f"    output reg               out_valid\n"
            f");\n"
            f"    reg [{n_in - 1}:0] x;\n"
            f"    reg v;\n"
            f"    initial begin v = 1'b0; out_valid = 1'b0; end\n"
            f"    wire [{n_out - 1}:0] y;\n"
            f"    always @(posedge clk) begin\n"
            f"        x <= in_data;\n"
            f"        v <= in_valid;\n"
            f"        out_data <= y;\n"
            f"        out_valid <= v;\n"
            f"    end\n")


def lutnet_verilog(spec: dict, k: int) -> str:
    n_in, n_out = spec["n_in"], spec["n_out"]
    ms = {len(n["lutnet"]["luts"][str(k)]) for n in spec["neurons"]}
    out = [_module_head(f"lutnet_k{k}", n_in, n_out,
                        f"LUTNet layer: {n_in} inputs, {n_out} neurons of {sorted(ms)} {k}-LUTs each")]
    out.append("    function lut;\n        input [63:0] tt;\n        input [5:0] idx;\n"
               "        lut = tt[idx];\n    endfunction\n")
    for m in sorted(ms):
        out.append(_popcount_fn(m).replace("popcount", f"popcount{m}"))
    for o, n in enumerate(spec["neurons"]):
        entries = n["lutnet"]["luts"][str(k)]
        m = len(entries)
        out.append(f"    wire [{m - 1}:0] l{o};\n")
        for j, e in enumerate(entries):
            idx = ", ".join(f"x[{i}]" for i in reversed(e["inputs"]))
            pad = f"{6 - k}'d0, " if k < 6 else ""
            out.append(f"    assign l{o}[{j}] = lut(64'h{e['table']:x}, {{{pad}{idx}}});\n")
        out.append(f"    assign y[{o}] = popcount{m}(l{o}) >= {n['lutnet']['threshold']};\n")
    out.append("endmodule\n")
    return "".join(out)


def xnor_verilog(spec: dict) -> str:
    n_in, n_out = spec["n_in"], spec["n_out"]
    m = len(spec["neurons"][0]["xnor"]["inputs"])
    out = [_module_head("xnor_layer", n_in, n_out,
                        f"XNOR-popcount baseline: {n_in} inputs, {n_out} neurons of {m} connections")]
    out.append(_popcount_fn(m))
    for o, n in enumerate(spec["neurons"]):
        terms = ", ".join(f"x[{i}] ~^ 1'b{w}" for i, w in
                          reversed(list(zip(n["xnor"]["inputs"], n["xnor"]["weights"]))))
        out.append(f"    assign y[{o}] = popcount({{{terms}}}) >= {n['xnor']['threshold']};\n")
    out.append("endmodule\n")
    return "".join(out)


def top_verilog(spec: dict) -> str:
    n_in, n_out, ks = spec["n_in"], spec["n_out"], spec["ks"]
    lines = [
        "// LUTNet / XNOR layer selector. Generated by fpgaflow.generators.lutnet; do not edit.\n",
        f"// K selects lutnet_k<K> (available: {', '.join(map(str, ks))}); VARIANT 1 = XNOR baseline.\n",
        f"module lutnet_top #(\n    parameter K = {ks[0]},\n    parameter VARIANT = 0\n) (\n",
        f"    input  wire clk,\n    input  wire [{n_in - 1}:0] in_data,\n    input  wire in_valid,\n",
        f"    output wire [{n_out - 1}:0] out_data,\n    output wire out_valid\n);\n",
        "    generate\n        if (VARIANT != 0) begin : g_xnor\n",
        "            xnor_layer u (.clk(clk), .in_data(in_data), .in_valid(in_valid), "
        ".out_data(out_data), .out_valid(out_valid));\n        end\n"]
    for k in ks:
        lines.append(f"        else if (K == {k}) begin : g_k{k}\n"
                     f"            lutnet_k{k} u (.clk(clk), .in_data(in_data), .in_valid(in_valid), "
                     ".out_data(out_data), .out_valid(out_valid));\n        end\n")
    lines.append("    endgenerate\nendmodule\n")
    return "".join(lines)


# --------------------------------------------------------------------------- generate + cache
def cache_root() -> pathlib.Path:
    env = os.environ.get("FPGAFLOW_CACHE_DIR")     # the same root as fpgaflow.toolchain
    if env:
        return pathlib.Path(env) / "lutnet"
    import platformdirs

    return pathlib.Path(platformdirs.user_cache_dir("fpgaflow")) / "lutnet"


def rtl_files(spec: dict) -> list[str]:
    return [f"lutnet_k{k}.v" for k in spec["ks"]] + ["xnor_layer.v", "lutnet_top.v"]


def generate(params: dict, root: pathlib.Path | None = None) -> tuple[pathlib.Path, bool]:
    """Generate into ``<root>/<hash>`` unless it is already there.  Returns (dir, cache_hit)."""
    root = pathlib.Path(root) if root else cache_root()
    digest = input_hash(params)
    out = root / digest[:24]
    if (out / "DONE").is_file():
        return out, True
    spec = build_spec(params)
    root.mkdir(parents=True, exist_ok=True)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
    try:
        for k in spec["ks"]:
            (tmp / f"lutnet_k{k}.v").write_text(lutnet_verilog(spec, k))
        (tmp / "xnor_layer.v").write_text(xnor_verilog(spec))
        (tmp / "lutnet_top.v").write_text(top_verilog(spec))
        (tmp / "lutnet_spec.json").write_text(json.dumps(spec, indent=1, sort_keys=True))
        (tmp / "DONE").write_text(digest + "\n")
        try:
            tmp.rename(out)
        except OSError:  # a concurrent run finished first: keep its output
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out, False


def core_text(vlnv: str, spec: dict) -> str:
    files = "".join(f"      - {f}\n" for f in rtl_files(spec))
    return ("CAPI=2:\n"
            f"# Generated by fpgaflow.generators.lutnet (K = {spec['ks']}); do not edit.\n"
            f"name: {vlnv}\n"
            "filesets:\n"
            "  rtl:\n"
            "    files:\n" + files +
            "    file_type: verilogSource\n"
            "  spec:\n"
            "    files:\n"
            "      - lutnet_spec.json: {copyto: lutnet_spec.json}\n"
            "    file_type: user\n"
            "targets:\n"
            "  default:\n"
            "    filesets: [rtl, spec]\n")


def run_fusesoc(config_path: str) -> pathlib.Path:
    """FuseSoC generator entry: read the input YAML, write outputs + .core into the cwd."""
    import yaml

    cfg = yaml.safe_load(pathlib.Path(config_path).read_text()) or {}
    params = dict(cfg.get("parameters") or {})
    tables = params.get("TABLES")
    if tables and not os.path.isabs(tables):
        params["TABLES"] = os.path.join(cfg.get("files_root", "."), tables)
    src, hit = generate(params)
    cwd = pathlib.Path.cwd()
    for f in src.iterdir():
        if f.name != "DONE":
            shutil.copy2(f, cwd / f.name)
    spec = json.loads((src / "lutnet_spec.json").read_text())
    vlnv = cfg.get("vlnv", "fpgaflow:nn:lutnet-layers:0.1")
    (cwd / (vlnv.split(":")[2] + ".core")).write_text(core_text(vlnv, spec))
    print(f"lutnet generator: {'cache hit' if hit else 'generated'} {src}")
    return src


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 1 and argv[0].endswith((".yml", ".yaml")) and not argv[0].startswith("-"):
        run_fusesoc(argv[0])
        return 0
    ap = argparse.ArgumentParser(prog="fpgaflow.generators.lutnet",
                                 description="generate a LUTNet layer and its XNOR baseline")
    ap.add_argument("--outdir", help="copy the generated files here (default: print the cache dir)")
    ap.add_argument("--cache", help="cache root (default $FPGAFLOW_CACHE_DIR/lutnet or the user cache)")
    ap.add_argument("-P", "--param", action="append", default=[], metavar="NAME=VALUE",
                    help="N_IN, N_OUT, K or KS (comma list), DENSITY, XNOR_DENSITY, SEED, TABLES")
    args = ap.parse_args(argv)
    params = {}
    for item in args.param:
        if "=" not in item:
            ap.error(f"-P expects NAME=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        k = k.strip().upper()
        params[k] = [int(x) for x in v.split(",")] if k == "KS" else v
    try:
        src, hit = generate(params, pathlib.Path(args.cache) if args.cache else None)
    except (KeyError, ValueError) as e:
        ap.error(str(e))
    if args.outdir:
        out = pathlib.Path(args.outdir)
        out.mkdir(parents=True, exist_ok=True)
        for f in src.iterdir():
            if f.name != "DONE":
                shutil.copy2(f, out / f.name)
    print(f"{'cache hit' if hit else 'generated'}: {src}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
