"""Virtual cores and `fusesoc run --mapping` (lowRISC's prim_generic / prim_xilinx): a
recipe could not choose the provider of a virtual core, so a core whose providers differ
by FPGA family built with whichever one FuseSoC picked. `mapping: [VLNV]` is
`--mapping VLNV`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ._fusesoc import CORES, edam_of, fusesoc_run, fpgaflow_build as _build

TOP = "fpgaflow-test:fusesoc:tvirt:1.0"


@pytest.fixture(autouse=True)
def _cores_env(monkeypatch):
    monkeypatch.setenv("FPGAFLOW_CORES", str(CORES))


def _names(edam: dict) -> list[str]:
    return [Path(f["name"]).name for f in edam["files"]]


def test_mapping_picks_the_provider_as_fusesoc_run(tmp_path, shim_path):
    fs_work = fusesoc_run(tmp_path, TOP, "default", shim=shim_path, setup_only=True,
                          pre=("--mapping", TOP))
    proc = _build(tmp_path, f"core: {TOP}\nmapping: ['{TOP}']\nstages: [synth]\n",
                  "--dry-run", "--json")
    assert proc.returncode == 0, proc.stderr
    bdir = Path(json.loads(proc.stdout)["build_dir"])
    ours = yaml.safe_load((bdir / "edam.yml").read_text())
    assert _names(ours) == _names(edam_of(fs_work)) == ["prim_inv_fast.v", "tvirt.v"]
    assert "fpgaflow-test:prim_fast:inv:1.0" in ours["dependencies"]
    # the same process, no mapping: FuseSoC's own pick, another provider than the mapping's
    # is allowed; a mapping core that does not exist is exit 2
    proc = _build(tmp_path, f"core: {TOP}\nmapping: ['fpgaflow-test:nope:x:1.0']\n"
                            "stages: [synth]\n", "--dry-run")
    assert proc.returncode == 2 and "mapping" in proc.stderr and "wasn't found" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_mapped_and_plain_managers_are_separate():
    from fpgaflow import corelib
    roots = (CORES.resolve(),)
    a = corelib._mapped_manager(roots, (TOP,))
    assert corelib._mapped_manager(roots, (TOP,)) is a
    assert corelib._mapped_manager(roots, ()) is corelib._manager(roots) is not a
