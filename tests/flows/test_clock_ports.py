"""A recipe clock whose port is not a port of the top constrains nothing (a create_clock on
no port: Vivado and Quartus warn and time nothing): exit 2 naming file, line and key, before
any tool runs, in every flow that writes one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fpgaflow.flows import yosys

VIVADO = "recipes/blinky_zcu104.yaml"
QUARTUS = "recipes/blinky_de10nano_quartus.yaml"


def _recipe(tmp_path: Path, repo: Path, src: str, clocks: str) -> Path:
    text = re.sub(r"(?m)^clocks:.*$", clocks, (repo / src).read_text())
    assert clocks in text
    p = tmp_path / "recipes" / "r.yaml"
    p.parent.mkdir(exist_ok=True)
    p.write_text(text)
    return p


def _line_of(path: Path, prefix: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1)
                if line.startswith(prefix))


@pytest.mark.parametrize("src", [VIVADO, QUARTUS], ids=["vivado", "quartus"])
@pytest.mark.parametrize("dry", [False, True], ids=["run", "dry-run"])
def test_a_clock_that_is_no_port_of_the_top_is_exit_2_before_any_tool(run_cli, vendor, repo,
                                                                     tmp_path, src, dry):
    recipe = _recipe(tmp_path, repo, src, "clocks: {clk: 50 MHz, clk_i: 100 MHz}")
    res = run_cli("build", recipe, "--out", vendor.out, *(["--dry-run"] if dry else []))
    assert res.exit_code == 2, res.output
    line = _line_of(recipe, "clocks:")
    assert f"{recipe}:{line}: clocks.clk_i: clock 'clk_i' is not a port of blinky" in res.output
    assert "Traceback" not in res.output
    assert vendor.calls() == []                            # no tool ran
    assert not list(vendor.out.rglob("*.xdc")) and not list(vendor.out.rglob("*.sdc"))


def test_an_hls_design_has_one_clock(run_cli, vendor, repo, tmp_path):
    from .test_vitis_hls import BILSTM_HLS
    recipe = tmp_path / "recipes" / "hls.yaml"
    recipe.parent.mkdir()
    recipe.write_text(BILSTM_HLS.replace("clocks: {clk: 200 MHz}",
                                         "clocks: {clk: 200 MHz, clk2x: 400 MHz}"))
    res = run_cli("build", recipe, "--out", vendor.out)
    assert res.exit_code == 2, res.output
    assert f"{recipe}:{_line_of(recipe, 'clocks:')}: clocks.clk2x:" in res.output
    assert "one clock (ap_clk)" in res.output and vendor.calls() == []


def test_vhdl_entity_ports_case_insensitive(tmp_path):
    class Ctx:
        top = "Demo"
        clocks = {"CLK": 100.0}
        edam = {"files": [{"name": str(tmp_path / "demo.vhd"), "file_type": "vhdlSource-2008"}]}
    (tmp_path / "demo.vhd").write_text(
        "library ieee; use ieee.std_logic_1164.all;\n"
        "entity demo is -- the top\n"
        "  generic (W : natural := 8; INIT : std_logic_vector(7 downto 0) := (others => '0'));\n"
        "  port (clk, rst : in std_logic;   -- clock\n"
        "        d : in std_logic_vector(W - 1 downto 0);\n"
        "        Q : out std_logic);\n"
        "end entity demo;\n"
        "architecture rtl of demo is begin end architecture;\n")
    assert yosys.top_ports(Ctx) == ["clk", "rst", "d", "q"]
    yosys.check_clocks(Ctx)                                 # VHDL names: any case
    Ctx.clocks = {"clk_i": 100.0}
    from fpgaflow.errors import FpgaflowError
    with pytest.raises(FpgaflowError, match="'clk_i' is not a port of Demo"):
        yosys.check_clocks(Ctx)
