"""Helpers shared by the stream-core tests (mvau, ternary, lfc): run a testbench with Icarus or
through a plain ``fusesoc run``, read its one ``FPGAFLOW_SIM`` line, corrupt an expected beat."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORES = REPO / "cores"
# the shared stream driver/checker (fpgaflow:nn:stream_tb) that every stream core's tb instantiates
STREAM_TB = CORES / "common" / "tb" / "stream_tb.v"
RESULT = re.compile(r"^FPGAFLOW_SIM vectors=(\d+) mismatches=(\d+)(?: cycles_per_item=(\d+))?\s*$", re.M)


def result(text: str) -> tuple[int, int, int | None]:
    """(vectors, mismatches, cycles_per_item or None) from the testbench's one result line."""
    found = RESULT.findall(text)
    assert len(found) == 1, f"expected exactly one result line, got {len(found)}:\n{text[-2000:]}"
    v, m, c = found[0]
    return int(v), int(m), (int(c) if c else None)


def icarus(workdir: Path, sources, top: str, params: dict, defines=()) -> str:
    """Compile with Icarus (-g2012, as the cores' sim targets) and return the simulation's stdout;
    NVEC is the model's vector count, not an HDL parameter, and is left out."""
    cmd = ["iverilog", "-g2012", "-o", str(workdir / "sim"), *[f"-D{d}" for d in defines]]
    cmd += [f"-P{top}.{k}={v}" for k, v in params.items() if k != "NVEC"]
    subprocess.run(cmd + [str(s) for s in sources], check=True, cwd=workdir)
    return subprocess.run(["vvp", "-n", "sim"], cwd=workdir, check=True, capture_output=True,
                          text=True, timeout=300).stdout


def fusesoc_sim(workdir: Path, vlnv: str, *args: str) -> subprocess.CompletedProcess:
    """A plain ``fusesoc --cores-root cores run --target sim VLNV ARGS`` in workdir."""
    cmd = ["fusesoc", "--cores-root", str(CORES), "run", "--target", "sim", vlnv, *args]
    return subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, XDG_CACHE_HOME=str(workdir / "cache")))


def flip_expected(workdir: Path, beat: int, mask: int) -> None:
    """XOR one beat of exp.txt with mask, so the testbench must report a mismatch."""
    exp = (workdir / "exp.txt").read_text().split()
    exp[beat] = format(int(exp[beat], 16) ^ mask, "x")
    (workdir / "exp.txt").write_text("\n".join(exp) + "\n")


def assert_passed(out: str, n: int, bound: int | None = None) -> None:
    """All n vectors came out bit-exact and, given the folding bound, the measured cycles per
    item are within 5 % of it."""
    vectors, mismatches, cycles = result(out)
    assert (vectors, mismatches) == (n, 0), out
    if bound is not None:
        assert abs(cycles - bound) <= 0.05 * bound, (cycles, bound)
