"""Contract: the tools get from fpgaflow what they get from ``fusesoc run --target T``.

The test core (cores/tsoc) uses each construct real cores use: a header in another folder
(include_path), a define used as a module name, a firmware hex via ``copyto`` +
``$readmemh``, top-level parameters of a non-default target (``is_toplevel?``), a
generator that writes an include, the target's LPF/PCF with several pins, a
``tool_trellis?`` fileset, a target without toplevel, a PLL-derived clock. For each
board target the EDAM and the Yosys commands are built both ways and compared; then both
build it to a bitstream and the resources must be the same.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from ._fusesoc import CORES, edam_of, fusesoc_run, recorded_yosys
from fpgaflow import build as build_mod
from fpgaflow import corelib, recipe

CORE = "fpgaflow-test:fusesoc:tsoc:1.0"
ROOTS = (CORES.resolve(),)


def _norm(name: str, work: Path) -> str:
    """A file of either EDAM as '<core-relative path>' (or 'WORK/<name>' in the work root)."""
    p = Path(name)
    if not p.is_absolute():
        p = (work / p).resolve()
    for base in (CORES / "tsoc",):
        if p.is_relative_to(base):
            return p.relative_to(base).as_posix()
    rel = p.relative_to(work.resolve()).parts
    if rel[0] in ("src", "generator_cache"):        # exported / generated core files
        return "/".join(rel[2:])
    return "WORK/" + "/".join(rel)


def _files(edam: dict, work: Path) -> list[tuple]:
    return [(_norm(f["name"], work), f.get("file_type"), bool(f.get("is_include_file")),
             _norm(f["include_path"], work) if f.get("include_path") else None)
            for f in edam["files"]]


def _ys_facts(text: str, work: Path) -> dict:
    """Sources read, defines, include dirs, chparams and the synth command of a .ys script."""
    facts = {"read": [], "defines": {}, "incdirs": [], "chparam": {}, "synth": None}
    for line in text.splitlines():
        words = shlex.split(line) if line and not line.startswith("#") else []
        if not words:
            continue
        if words[0] == "verilog_defines":
            k, _, v = words[1][2:].partition("=")
            facts["defines"][k] = v
        elif words[:2] == ["verilog_defaults", "-add"]:
            facts["incdirs"] += [_norm(w[2:], work) for w in words[2:] if w.startswith("-I")]
        elif words[0] == "read_verilog":
            for w in words[1:]:
                if w.startswith("-D"):
                    k, _, v = w[2:].partition("=")
                    facts["defines"][k] = v
                elif w.startswith("-I"):
                    d = _norm(w[2:], work)
                    if d not in facts["incdirs"]:
                        facts["incdirs"].append(d)
                elif not w.startswith("-"):
                    facts["read"].append(_norm(w, work))
        elif words[0] == "chparam":
            facts["chparam"][words[2]] = (words[3], words[4])
        elif words[0].startswith("synth_"):
            facts["synth"] = (words[0], words[words.index("-top") + 1])
    return facts


def _recipe(tmp: Path, target: str, board: str, clocks: str, extra: str = "") -> Path:
    r = tmp / f"tsoc_{board}.yaml"
    r.write_text(f"core: fpgaflow-test:fusesoc:tsoc\ntarget: {target}\nboard: {board}\n"
                 f"clocks: {clocks}\n{extra}")
    return r


@pytest.fixture(autouse=True)
def _cores_env(monkeypatch):
    monkeypatch.setenv("FPGAFLOW_CORES", str(CORES))


@pytest.mark.parametrize("target,board,clocks,tool", [
    ("ulx3s", "ulx3s", "{clk_in: 25 MHz}", "trellis"),
    ("icebreaker", "icebreaker", "{clk_in: 12 MHz}", "icestorm"),
])
def test_same_edam_and_yosys_commands_as_fusesoc_run(tmp_path, shim_path, target, board, clocks,
                                                     tool):
    fs_work = fusesoc_run(tmp_path, CORE, target, shim=shim_path, setup_only=True)
    theirs = edam_of(fs_work)
    r = recipe.load(_recipe(tmp_path, target, board, clocks))
    plan = build_mod.make_plan(r, r.board, out_root=tmp_path / "ff")
    ours = plan.edam
    ff_work = tmp_path / "ff" / ".edam" / r.name / "synth"
    assert ours["toplevel"] == theirs["toplevel"] == "tsoc_top"
    assert _files(ours, ff_work) == _files(theirs, fs_work)            # every file, in order
    assert any(f[0] == "rtl/tsoc_tool_trellis.v" for f in _files(ours, ff_work)) == \
        (tool == "trellis")                                             # tool_trellis? fileset
    strip = {k: {f: v[f] for f in ("datatype", "paramtype", "default") if f in v}
             for k, v in theirs["parameters"].items()}
    assert {k: {f: v[f] for f in ("datatype", "paramtype", "default") if f in v}
            for k, v in ours["parameters"].items()} == strip
    assert strip["WIDTH"]["default"] == (8 if target == "ulx3s" else 5)  # is_toplevel? value
    assert ours["tool_options"] == theirs["tool_options"]

    ys_theirs = _ys_facts(recorded_yosys(fs_work), fs_work)
    synth_dir = tmp_path / "ff" / plan.dirname / "work" / "synth"
    plan.write(tmp_path / "ff" / plan.dirname)
    ys_ours = _ys_facts((synth_dir / "synth.ys").read_text(), ff_work)
    for key in ("read", "chparam", "synth"):
        assert ys_ours[key] == ys_theirs[key], key
    assert ys_ours["defines"] == ys_theirs["defines"] == {"IMPL": "tsoc_fast" if target == "ulx3s"
                                                         else "tsoc_slow"}   # raw, unquoted
    assert set(ys_ours["incdirs"]) == set(ys_theirs["incdirs"]) and ys_ours["incdirs"]
    assert not re.search(r'-I"', (synth_dir / "synth.ys").read_text())   # Yosys keeps quotes

    # the target's constraint file and its nextpnr options reach nextpnr
    kind = {"trellis": "LPF", "icestorm": "PCF"}[tool]
    (core_file,) = [f["name"] for f in theirs["files"] if f["file_type"] == kind]
    spec = json.loads(next(s for s in plan.stages if s.name == "constraints").files["spec.json"])
    assert spec["core_text"] == (fs_work / core_file).read_text()
    pnr = next(s for s in plan.stages if s.name == "pnr").commands[0]
    for opt in theirs["tool_options"][tool]["nextpnr_options"]:
        assert opt in pnr
    assert pnr.count("--package") == 1                     # the core's, not a second one
    assert [s.name for s in plan.stages] == ["synth", "constraints", "pnr", "bitstream"]
    assert {s.name: s.needs for s in plan.stages} == {
        "synth": [], "constraints": ["synth"], "pnr": ["synth", "constraints"],
        "bitstream": ["pnr", "constraints"]}


def _fusesoc_resources(work: Path) -> dict:
    log = (work / "next.log").read_text()
    util = dict((m.group(1), int(m.group(2))) for m in
                re.finditer(r"^Info:\s+(\w+):\s+(\d+)/\s*\d+", log, re.M))
    return util


@pytest.mark.parametrize("target,board,clocks,ext,bels", [
    ("ulx3s", "ulx3s", "{clk_in: 25 MHz}", ".bit", ("TRELLIS_COMB", "TRELLIS_FF", "TRELLIS_IO")),
    ("icebreaker", "icebreaker", "{clk_in: 12 MHz}", ".bin", ("ICESTORM_LC", "SB_IO", "ICESTORM_PLL")),
])
def test_board_build_to_bitstream_matches_fusesoc_run(tmp_path, shim_path, target, board, clocks,
                                                      ext, bels):
    fs_work = fusesoc_run(tmp_path, CORE, target, shim=shim_path)
    bitfile = next(fs_work.glob(f"*{ext}"))
    assert bitfile.stat().st_size > 1000
    util = _fusesoc_resources(fs_work)

    r = _recipe(tmp_path, target, board, clocks)
    proc = subprocess.run([sys.executable, "-m", "fpgaflow", "build", str(r), "--out",
                           str(tmp_path / "ff"), "--json"], capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    s = json.loads(proc.stdout)
    assert s["status"] == "passed" and [st["name"] for st in s["stages"]] == \
        ["synth", "constraints", "pnr", "bitstream"]
    bdir = tmp_path / "ff" / f"tsoc_{board}-{s['digest'][:8]}"
    ours = bdir / s["artifacts"]["bitstream"]
    assert ours.name == f"tsoc_{board}{ext}" and ours.stat().st_size > 1000
    assert abs(ours.stat().st_size - bitfile.stat().st_size) < 0.01 * bitfile.stat().st_size
    ours_util = {b: v["used"] for b, v in json.loads(
        (bdir / "reports/pnr_report.json").read_text())["utilization"].items()}
    for bel in bels:                                    # the same design was placed
        assert ours_util[bel] == util[bel], bel
    assert s["resources"]["lut"]["used"] == util[bels[0]] and s["resources"]["lut"]["stage"] == "pnr"
    io = s["resources"]["io"]
    assert io["unconstrained"] == 0 and io["used"] == util[bels[2 if ext == ".bit" else 1]]
    assert io["available"] == {"ulx3s": 205, "icebreaker": 39}[board]   # the package's pins
    # the copyto firmware was where $readmemh looks: the ROM is not optimised away to zeros
    assert (bdir / "work/synth/pattern.hex").read_text() == (CORES / "tsoc/sw/pattern.hex").read_text()
    assert "Can not open file" not in (bdir / "logs/synth.log").read_text()
    # the PLL-derived clock: nextpnr derives its constraint from the input clock's
    pll_mhz = {"ulx3s": 50.0, "icebreaker": 24.0}[board]
    derived = [c for c in s["timing"]["clocks"] if c.get("target_mhz") == pll_mhz]
    assert derived and derived[0]["name"] != "clk_in" and derived[0]["fmax_mhz"] > pll_mhz
