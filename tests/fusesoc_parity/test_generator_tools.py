"""FuseSoC generators that run an IceStorm/Trellis program by name (fusesoc-generators'
icepll: SERV's servant and corescore's iCE40 targets): with only YoWASP installed there is
``yowasp-icepll`` and no ``icepll``, so the generator failed ("No such file or directory:
'icepll'") and so did the build. fpgaflow resolves such a target in a child process whose
PATH has launchers named as the generators call them (``toolchain.generator_path``)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ._fusesoc import CORES, edam_of, fusesoc_run
from fpgaflow import toolchain

CORE = "fpgaflow-test:fusesoc:tgenpll"


def _exe(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


def test_generator_path_has_launchers_for_yowasp_only_tools(tmp_path, monkeypatch):
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    _exe(bin_ / "yowasp-icepll", "#!/bin/sh\necho \"yowasp icepll $*\"\n")
    _exe(bin_ / "yowasp-ecppll", "#!/bin/sh\necho ecppll\n")
    _exe(bin_ / "ecppll", "#!/bin/sh\necho native ecppll\n")      # native: left alone
    monkeypatch.setenv("PATH", f"{bin_}{os.pathsep}/usr/bin{os.pathsep}/bin")
    monkeypatch.setattr(toolchain, "CACHE_DIR", tmp_path / "cache")
    path = toolchain.generator_path()
    first = Path(path.split(os.pathsep)[0])
    assert first == tmp_path / "cache" / "generator-bin"
    assert sorted(p.name for p in first.iterdir()) == ["icepll"]
    out = subprocess.run(["icepll", "-i", "12", "-o", "24"], env={"PATH": path},
                         capture_output=True, text=True)
    assert out.stdout.strip() == "yowasp icepll -i 12 -o 24"
    assert shutil.which("ecppll", path=path) == str(bin_ / "ecppll")
    # a native icepll appears: the launcher goes, and nothing is left to add
    _exe(bin_ / "icepll", "#!/bin/sh\necho native\n")
    (bin_ / "yowasp-ecppll").unlink()
    assert toolchain.generator_path() is None
    (bin_ / "icepll").unlink()
    assert Path(toolchain.generator_path().split(os.pathsep)[0]) == first
    assert [p.name for p in first.iterdir()] == ["icepll"]


@pytest.fixture(autouse=True)
def _cores_env(monkeypatch):
    monkeypatch.setenv("FPGAFLOW_CORES", str(CORES))


def test_icepll_generator_builds_as_fusesoc_run(tmp_path, shim_path):
    """fusesoc run gets icepll from the test's shim dir; fpgaflow from nothing but the
    YoWASP install. Same generated module, same placed design, same bitstream size."""
    fs_work = fusesoc_run(tmp_path, CORE + ":1.0", "up5k", shim=shim_path)
    theirs = edam_of(fs_work)
    (fs_pll,) = [f["name"] for f in theirs["files"] if f["name"].endswith("tgen_pll.v")]
    util = {m.group(1): int(m.group(2)) for m in re.finditer(
        r"^Info:\s+(\w+):\s+(\d+)/\s*\d+", (fs_work / "next.log").read_text(), re.M)}

    r = tmp_path / "r.yaml"
    r.write_text(f"core: {CORE}\ntarget: up5k\nclocks: {{clk: 12 MHz}}\n")
    env = {**os.environ, "PATH": os.pathsep.join(
        p for p in os.environ["PATH"].split(os.pathsep) if not shutil.which("icepll", path=p))}
    proc = subprocess.run([sys.executable, "-m", "fpgaflow", "build", str(r), "--out",
                           str(tmp_path / "ff"), "--json"], capture_output=True, text=True,
                          timeout=900, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    s = json.loads(proc.stdout)
    assert s["status"] == "passed" and s["device"]["part"] == "iCE40UP5K-SG48"
    bdir = tmp_path / "ff" / f"r-{s['digest'][:8]}"
    (ours_pll,) = [p for p in (tmp_path / "ff" / ".edam").rglob("tgen_pll.v")]
    assert ours_pll.read_text() == (fs_work / fs_pll).read_text()
    assert "SB_PLL40_CORE" in ours_pll.read_text()
    pnr = {b: v["used"] for b, v in json.loads(
        (bdir / "reports/pnr_report.json").read_text())["utilization"].items()}
    for bel in ("ICESTORM_LC", "ICESTORM_PLL", "SB_IO"):
        assert pnr[bel] == util[bel], bel
    assert pnr["ICESTORM_PLL"] == 1
    assert (bdir / s["artifacts"]["bitstream"]).stat().st_size == \
        next(fs_work.glob("*.bin")).stat().st_size
