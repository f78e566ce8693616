"""End to end: Vitis HLS (mock) -> Vivado synthesis (mock) of the exported RTL."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import tcl_check
from .test_vivado import _vivado_reports

RECIPE = "recipes/mvau_zcu104_vivado_hls.yaml"


def _hls_only(run_cli, vendor, tmp_path, name: str, text: str) -> Path:
    """Build a recipe whose only stage is hls with the mock vitis_hls; its work dir."""
    vendor.provide("csynth.rpt", "hls/csynth_2021.1_vitis.rpt")
    vendor.provide("csynth.xml", "hls/csynth_2020.2.xml")
    recipe = tmp_path / "recipes" / f"{name}.yaml"
    recipe.parent.mkdir()
    recipe.write_text(text)
    res = run_cli("build", recipe, "--out", vendor.out, "--json")
    assert res.exit_code == 0, res.output
    calls = vendor.calls()
    assert [c["tool"] for c in calls] == ["vitis_hls"]
    return Path(calls[0]["cwd"])


def test_hls_feeds_vivado_synthesis(run_cli, vendor, repo):
    vendor.provide("csynth.rpt", "hls/csynth_2021.1_vitis.rpt")
    vendor.provide("csynth.xml", "hls/csynth_2020.2.xml")
    _vivado_reports(vendor, "synth")
    res = run_cli("build", repo / RECIPE, "--out", vendor.out, "--json")
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert [st["name"] for st in s["stages"]] == ["hls", "synth"]
    assert s["hls"]["latency_cycles"] == [262673, 262673]
    assert s["hls"]["interval"] == 262674 and s["hls"]["clock_estimated_ns"] == 6.427
    assert s["resources"]["lut"]["used"] == 17923          # Vivado's figure, not the estimate
    assert {t["name"] for t in s["tools"]} >= {"vivado", "vitis_hls"}
    calls = vendor.calls()
    assert [c["tool"] for c in calls] == ["vitis_hls", "vivado", "vivado"]
    hls = Path(calls[0]["cwd"])
    assert (hls / "hls_steps.txt").read_text().split() == [
        "open_project", "csim_design", "csynth_design", "export_design"]
    script = (hls / "vitis_hls.tcl").read_text()
    assert "set_top mvau_top" in script and "set_part xczu7ev-ffvc1156-2-e" in script
    assert "create_clock -period 5.000 -name default" in script
    assert "\nadd_files -tb " in script and "-DPE=4 -DSIMD=8" in script
    assert "export_design -format ip_catalog" in script
    assert any(hls.glob("*.hex")) or any(hls.glob("*.txt"))   # the model's vectors for csim
    tcl_check(hls / "vitis_hls.tcl", "vitis_hls")
    synth = Path(calls[1]["cwd"])
    proj = (synth / "mvau_zcu104_vivado_hls.tcl").read_text()
    assert "set_property top mvau_top" in proj and "mvau.v" not in proj
    assert "../hls/hls_prj/solution1/syn/verilog" in (synth / "fpgaflow_project.tcl").read_text()
    assert "create_clock -period 5.000 -name ap_clk [get_ports ap_clk]" in \
        (synth / "fpgaflow.xdc").read_text()


BILSTM_HLS = """\
name: bilstm_hls
core: fpgaflow:nn:bilstm
board: zcu104
flow: vivado
stages: [hls]
clocks: {clk: 200 MHz}
parameters: {HIDDEN: 16, INPUT: 8, WBITS: 2, ABITS: 2, PE: 2, SIMD_IN: 8, SIMD_REC: 16, SIMD_FC: 8,
             CLASSES: 10, SEQLEN: 4}
"""


def test_hls_finds_model_headers_from_its_build_dirs(run_cli, vendor, repo, tmp_path):
    """bilstm.cpp includes the bilstm_params.h that the model writes into the work dir.
    The generated Tcl runs in tclsh (mock vitis_hls) and builds -cflags at run time: the
    absolute work dir, then the core's include dirs, then the -D macros. The mock's
    csim_design/csynth_design resolve each #include "..." from solution1/csim/build and
    solution1/syn, as the compiler does there."""
    hls = _hls_only(run_cli, vendor, tmp_path, "bilstm_hls", BILSTM_HLS)
    assert (hls / "bilstm_params.h").is_file()
    assert (hls / "hls_steps.txt").read_text().split() == [
        "open_project", "csim_design", "csynth_design", "export_design"]
    added = [line.split("\t") for line in (hls / "hls_add_files.txt").read_text().splitlines()]
    compiled = {Path(f).name: (tb, cflags.split()) for f, tb, cflags in added if f.endswith(".cpp")}
    assert set(compiled) == {"bilstm.cpp", "bilstm_tb.cpp"}
    assert compiled["bilstm.cpp"][0] == "0" and compiled["bilstm_tb.cpp"][0] == "1"
    core_hls = str((repo / "cores" / "bilstm" / "hls").resolve())
    for _, flags in compiled.values():
        assert flags[:2] == [f"-I{hls.resolve()}", f"-I{core_hls}"]
        assert flags[2:] == ["-DHIDDEN=16", "-DINPUT=8", "-DWBITS=2", "-DABITS=2", "-DCLASSES=10",
                             "-DPE=2", "-DSIMD_IN=8", "-DSIMD_REC=16", "-DSIMD_FC=8",
                             "-DMAXLEN=732", "-DSEQLEN=4"]
    # the testbench's data files, by absolute path, as testbench files
    data = {Path(f).name for f, tb, _ in added if tb == "1" and not f.endswith(".cpp")}
    assert {"bilstm_in.hex", "bilstm_out.hex", "bilstm_last.hex", "bilstm_count.hex",
            "bilstm_wx.hex", "bilstm_wh.hex", "bilstm_bias.hex", "bilstm_wfc.hex",
            "bilstm_scores.hex", "bilstm_labels.hex"} <= data
    assert all(Path(f).is_absolute() for f, _, _ in added)


def test_hls_cflags_are_quoted_for_tcl(tmp_path):
    """-D values with Tcl metacharacters arrive unchanged in -cflags (real tclsh)."""
    import subprocess

    from fpgaflow.flows.vivado import render
    from fpgaflow.flows.vitis_hls import tcl_word
    defines = ["-DA=1", '-DS="a b"', "-DD=$x[y]", "-DB={c", "-DK=x\\y"]
    inc = tmp_path / "inc dir" / ".." / "inc"
    script = render("vitis_hls.tcl.j2", core="c", top="t", project="p", sources=["s.cpp"],
                    testbench=[], part="x", period="5.000", csim=False, cosim=False,
                    incdirs=[tcl_word(str(inc))], defines=[tcl_word(d) for d in defines],
                    defines_text=" ".join(defines))
    work = tmp_path / "work"
    work.mkdir()
    (work / "s.cpp").write_text("")
    stubs = ("proc add_files {args} { puts [lindex $args end] }\n"
             "foreach c {open_project set_top open_solution set_part create_clock "
             "csynth_design export_design} { proc $c {args} {} }\n")
    (work / "run.tcl").write_text(stubs + script)
    out = subprocess.run(["tclsh", "run.tcl"], cwd=work, capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == " ".join([f"-I{work}", f"-I{tmp_path / 'inc'}", *defines])


def test_missing_vitis_hls_fails_before_anything_runs(run_cli, no_vendor, repo, tmp_path,
                                                      monkeypatch):
    """Vivado is installed (mock) but vitis_hls is not: a recipe with an hls stage stops
    at once with exit 2 and a hint, before any stage runs; --dry-run still writes it."""
    import os

    from .conftest import MOCKS
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("vivado", "vivado_stubs.tcl", "_record.py"):
        (bin_dir / name).symlink_to(MOCKS / name)
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FPGAFLOW_MOCK_LOG", str(log))
    monkeypatch.setenv("FPGAFLOW_MOCK_FIXTURES", str(tmp_path))
    res = run_cli("build", repo / RECIPE, "--out", no_vendor)
    assert res.exit_code == 2, res.output
    assert "stage 'hls' cannot run here: vitis_hls not found on PATH" in res.output
    assert "settings64.sh" in res.output
    assert "remove 'hls' from the recipe's stages" in res.output and "--dry-run" in res.output
    assert not log.exists()                                   # no tool ran
    assert not no_vendor.exists() or not any(no_vendor.glob("mvau*"))
    # (the flow check passed: vivado is found; only vitis_hls is missing) a dry run writes
    # the HLS project for a machine that has the tool, and still runs nothing
    res = run_cli("build", repo / RECIPE, "--out", no_vendor, "--dry-run", "--json")
    assert res.exit_code == 0, res.output
    bd = Path(json.loads(res.stdout)["build_dir"])
    assert (bd / "work" / "hls" / "vitis_hls.tcl").is_file()
    assert not log.exists()


LFC_HLS = """\
name: lfc_hls
core: fpgaflow:nn:lfc
board: zcu104
flow: vivado
stages: [hls]
clocks: {clk: 100 MHz}
parameters: {ABITS: 2}
"""


def test_hls_of_the_whole_lfc_network(run_cli, vendor, repo, tmp_path):
    """The LFC's csim target is its HLS design: top lfc_top, the MVAU's headers (a dependency
    core) on the include path of both files, the eight ROM files and the vectors as testbench
    files (the mock's csim_design and csynth_design resolve every #include "..." as the
    compiler does in solution1/csim/build and solution1/syn)."""
    hls = _hls_only(run_cli, vendor, tmp_path, "lfc_hls", LFC_HLS)
    assert "set_top lfc_top" in (hls / "vitis_hls.tcl").read_text()
    assert (hls / "hls_steps.txt").read_text().split() == [
        "open_project", "csim_design", "csynth_design", "export_design"]
    added = [line.split("\t") for line in (hls / "hls_add_files.txt").read_text().splitlines()]
    compiled = {Path(f).name: (tb, cflags.split()) for f, tb, cflags in added if f.endswith(".cpp")}
    assert {k: v[0] for k, v in compiled.items()} == {"lfc_top.cpp": "0", "lfc_tb.cpp": "1"}
    mvau_hls = f"-I{(repo / 'cores' / 'mvau' / 'hls').resolve()}"
    for _, flags in compiled.values():
        assert mvau_hls in flags and "-DABITS=2" in flags and "-DL3_PE=2" in flags
    data = {Path(f).name for f, tb, _ in added if tb == "1" and not f.endswith(".cpp")}
    assert {f"l{i}_{k}.hex" for i in range(4) for k in ("weights", "thresh")} | \
        {"in.txt", "exp.txt"} <= data
    tcl_check(hls / "vitis_hls.tcl", "vitis_hls")
