"""LUTNet generator: caching, given tables, model self-checks, RTL simulation for K=4..6, FuseSoC generator."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from fpgaflow.generators import lutnet as gen
from fpgaflow.models import lutnet

REPO = Path(__file__).resolve().parents[2]
TB = REPO / "cores" / "lutnet" / "tb" / "lutnet_tb.v"
RESULT = re.compile(r"^FPGAFLOW_SIM vectors=(\d+) mismatches=(\d+)(?: cycles_per_item=(\d+))?\s*$", re.M)
SMALL = {"N_IN": 24, "N_OUT": 8, "DENSITY": 0.5}


def result(text: str):
    found = RESULT.findall(text)
    assert len(found) == 1, text[-2000:]
    return tuple(int(v) if v else None for v in found[0])


def simulate(workdir: Path, k: int, n_in: int, n_out: int) -> str:
    srcs = sorted(str(p) for p in workdir.glob("*.v")) + [str(TB)]
    cmd = ["iverilog", "-g2012", "-o", "sim", f"-Plutnet_tb.K={k}", f"-Plutnet_tb.N_IN={n_in}",
           f"-Plutnet_tb.N_OUT={n_out}"]
    subprocess.run(cmd + srcs, cwd=workdir, check=True)
    return subprocess.run(["vvp", "-n", "sim"], cwd=workdir, capture_output=True, text=True,
                          check=True, timeout=300).stdout


def materialize(params: dict, cache: Path, dest: Path) -> dict:
    src, _ = gen.generate(params, cache)
    dest.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.suffix in (".v", ".json"):
            (dest / f.name).write_bytes(f.read_bytes())
    return json.loads((dest / "lutnet_spec.json").read_text())


# ----------------------------------------------------------------------------- generator cache
def test_cache_hit_on_same_inputs_and_new_output_on_changed_input(tmp_path):
    a, hit_a = gen.generate(SMALL, tmp_path)
    b, hit_b = gen.generate(dict(SMALL), tmp_path)
    assert (hit_a, hit_b) == (False, True) and a == b
    stamp = (a / "lutnet_k4.v").stat().st_mtime_ns
    gen.generate(SMALL, tmp_path)
    assert (a / "lutnet_k4.v").stat().st_mtime_ns == stamp  # not rewritten
    c, hit_c = gen.generate(dict(SMALL, DENSITY=0.25), tmp_path)
    d, hit_d = gen.generate(dict(SMALL, SEED=2), tmp_path)
    assert not hit_c and not hit_d and len({a, c, d}) == 3
    assert (a / "lutnet_k4.v").read_text() != (c / "lutnet_k4.v").read_text()


def test_cache_key_includes_given_table_content(tmp_path):
    spec = gen.build_spec(dict(SMALL, KS=[4]))
    tables = tmp_path / "t.json"
    tables.write_text(json.dumps({"neurons": [n["lutnet"] for n in spec["neurons"]]}))
    p = dict(SMALL, KS=[4], TABLES=str(tables))
    h1 = gen.input_hash(p)
    assert gen.input_hash(p) == h1
    data = json.loads(tables.read_text())
    data["neurons"][0]["luts"]["4"][0]["table"] ^= 1
    tables.write_text(json.dumps(data))
    assert gen.input_hash(p) != h1


def test_bad_parameters_are_rejected():
    with pytest.raises(ValueError):
        gen.normalize({"K": 7})
    with pytest.raises(ValueError):
        gen.normalize({"DENSITY": 0})
    with pytest.raises(KeyError):
        gen.normalize({"WIDTH": 3})


def test_spec_shape_and_density():
    spec = gen.build_spec(dict(SMALL, DENSITY=0.25))
    for n in spec["neurons"]:
        for k in (4, 5, 6):
            luts = n["lutnet"]["luts"][str(k)]
            assert len(luts) == 6  # round(0.25 * 24)
            for e in luts:
                assert len(e["inputs"]) == k == len(set(e["inputs"]))
                assert 0 <= e["table"] < 1 << (1 << k)
        assert len(n["xnor"]["inputs"]) == 6
    assert spec == gen.build_spec(dict(SMALL, DENSITY=0.25))  # deterministic


# ----------------------------------------------------------------------------- model
def test_model_xnor_matches_plus_minus_one_dot_product():
    spec = gen.build_spec(SMALL)
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2, size=(20, SMALL["N_IN"]))
    y = lutnet.xnor_outputs(spec, x)
    for o, n in enumerate(spec["neurons"]):
        ins, w = n["xnor"]["inputs"], np.array(n["xnor"]["weights"])
        dot = (2 * x[:, ins] - 1) @ (2 * w - 1)
        popcount = (dot + len(ins)) // 2
        assert np.array_equal(y[:, o], (popcount >= n["xnor"]["threshold"]).astype(int))


def test_lutnet_with_xnor_tables_equals_xnor_layer(tmp_path):
    """Given tables that compute x[first input] XNOR w make the LUTNet layer an XNOR layer."""
    spec = gen.build_spec(SMALL)
    neurons = []
    for n in spec["neurons"]:
        luts = {}
        for k in spec["ks"]:
            entries = []
            for i, w in zip(n["xnor"]["inputs"], n["xnor"]["weights"]):
                others = [j for j in range(SMALL["N_IN"]) if j != i][:k - 1]
                table = sum(1 << idx for idx in range(1 << k) if (idx & 1) == w)
                entries.append({"inputs": [i] + others, "table": table})
            luts[str(k)] = entries
        neurons.append({"threshold": n["xnor"]["threshold"], "luts": luts})
    tables = tmp_path / "xnor_tables.json"
    tables.write_text(json.dumps({"neurons": neurons}))
    given = gen.build_spec(dict(SMALL, TABLES=str(tables)))
    x = np.random.default_rng(1).integers(0, 2, size=(30, SMALL["N_IN"]))
    for k in (4, 5, 6):
        assert np.array_equal(lutnet.lutnet_outputs(given, k, x), lutnet.xnor_outputs(given, x))
    # and the generated RTL agrees (K=5)
    work = tmp_path / "rtl"
    materialize(dict(SMALL, TABLES=str(tables)), tmp_path / "cache", work)
    n = lutnet.write_vectors(work, {"N_IN": 24, "N_OUT": 8})
    assert (work / "exp_lutnet_k5.txt").read_text() == (work / "exp_xnor.txt").read_text()
    assert result(simulate(work, 5, 24, 8)) == (n, 0, 1)


# ----------------------------------------------------------------------------- RTL
@pytest.mark.parametrize("k", [4, 5, 6])
def test_rtl_bit_exact_one_vector_per_cycle(tmp_path, k):
    materialize(dict(SMALL, DENSITY=0.4, SEED=k), tmp_path / "cache", tmp_path / "w")
    n = lutnet.write_vectors(tmp_path / "w", {"N_IN": 24, "N_OUT": 8})
    y = [int(v, 16) for v in (tmp_path / "w" / f"exp_lutnet_k{k}.txt").read_text().split()]
    assert len(set(y)) > 3  # the outputs actually vary
    assert result(simulate(tmp_path / "w", k, 24, 8)) == (n, 0, lutnet.cycles_per_item({}))


def test_rtl_detects_wrong_table(tmp_path):
    spec = materialize(SMALL, tmp_path / "cache", tmp_path / "w")
    n = lutnet.write_vectors(tmp_path / "w", {"N_IN": 24, "N_OUT": 8})
    # regenerate the expectations from a spec with one neuron's tables inverted
    bad = json.loads(json.dumps(spec))
    for e in bad["neurons"][3]["lutnet"]["luts"]["4"]:
        e["table"] ^= 0xFFFF
    (tmp_path / "w" / "lutnet_spec.json").write_text(json.dumps(bad))
    lutnet.write_vectors(tmp_path / "w", {"N_IN": 24, "N_OUT": 8})
    vectors, mismatches, _ = result(simulate(tmp_path / "w", 4, 24, 8))
    assert vectors == n and mismatches > 0


def test_fusesoc_generator_run_and_cache(tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"), FPGAFLOW_CACHE_DIR=str(tmp_path / "ff"))
    cmd = ["fusesoc", "--cores-root", str(REPO / "cores"), "run", "--target", "sim", "fpgaflow:nn:lutnet:0.1",
           "--K", "5"]
    first = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert result(first.stdout) == (lutnet.PARAMETERS["NVEC"], 0, 1)
    assert "lutnet generator: generated" in first.stdout + first.stderr
    second = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert "Found cached output" in second.stdout + second.stderr
    assert result(second.stdout)[:2] == (lutnet.PARAMETERS["NVEC"], 0)
    assert len(list((tmp_path / "ff" / "lutnet").iterdir())) == 1


def test_build_json_stays_clean_when_the_generator_prints(tmp_path):
    """FuseSoC runs the generator as a subprocess that prints to stdout; with --json the
    only thing on stdout must be the JSON document (sweeps and scripts parse it)."""
    env = dict(os.environ, FPGAFLOW_CACHE_DIR=str(tmp_path / "cache"), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    cmd = ["python", "-m", "fpgaflow", "build", str(REPO / "recipes" / "lutnet_k4_zcu104.yaml"),
           "--dry-run", "--json", "--out", str(tmp_path / "build")]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "lutnet generator: generated" in proc.stderr          # the generator did run
    doc = json.loads(proc.stdout)
    assert doc["name"] == "lutnet_k4_zcu104" and doc["flow"] in ("estimate", "vivado")
