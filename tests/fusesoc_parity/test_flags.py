"""FuseSoC user flags (`fusesoc run --flag mdu servant`: SERV's `mdu?` adds the MDU core and
MDU=1): a recipe had no way to set one, so such a fileset, parameter or dependency could not
be built. `flags: {big: true}` is `--flag big`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ._fusesoc import CORES, edam_of, fusesoc_run, fpgaflow_build as _build

CORE = "fpgaflow-test:fusesoc:tflags"


@pytest.fixture(autouse=True)
def _cores_env(monkeypatch):
    monkeypatch.setenv("FPGAFLOW_CORES", str(CORES))


def _facts(edam: dict) -> tuple:
    return ([(Path(f["name"]).name, f["file_type"]) for f in edam["files"]],
            {k: v.get("default") for k, v in edam["parameters"].items()},
            sorted(edam["dependencies"]))


@pytest.mark.parametrize("flags,args", [("{big: true}", ("--flag", "big")), ("{}", ()),
                                        ("{big: false}", ("--flag=-big",))])
def test_flags_select_as_fusesoc_run_flag(tmp_path, shim_path, flags, args):
    fs_work = fusesoc_run(tmp_path, CORE + ":1.0", "up5k", shim=shim_path, setup_only=True,
                          pre=args)
    proc = _build(tmp_path, f"core: {CORE}\ntarget: up5k\nflags: {flags}\n"
                            "clocks: {clk: 12 MHz}\n", "--dry-run", "--json")
    assert proc.returncode == 0, proc.stderr
    bdir = Path(json.loads(proc.stdout)["build_dir"])
    ours = yaml.safe_load((bdir / "edam.yml").read_text())
    assert _facts(ours) == _facts(edam_of(fs_work))
    big = flags == "{big: true}"
    files, params, deps = _facts(ours)
    assert (("tflags_out_wide.v", "verilogSource") in files) == big
    assert (params == {"WIDTH": 24}) if big else params == {}
    assert ("::tnovendor:0" in deps) == big
    ys = (bdir / "work/synth/synth.ys").read_text()
    assert ("chparam -set WIDTH 24 tflags" in ys) == big


@pytest.mark.parametrize("text,words", [
    ("flags: {tool: true}\n", "set by fpgaflow"),
    ("flags: {big: 1}\n", "flags.big"),
    ("flags: [big]\n", "flags"),
])
def test_bad_flags_are_exit_2(tmp_path, text, words):
    proc = _build(tmp_path, f"core: {CORE}\ntarget: up5k\n{text}", "--dry-run")
    assert proc.returncode == 2 and words in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
