"""Yosys stat parsers, on real output of Yosys 0.9, 0.23, 0.54, 0.60 and 0.70."""

from pathlib import Path

import pytest

from fpgaflow.reports import ReportError, yosys


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def read(rel: str) -> str:
    return (FIXTURES / rel).read_text()


def test_old_format_ecp5_flat_has_no_lut_when_yosys_printed_none():
    out = yosys.parse_stat(read("yosys/y023_flat_ecp5.stat"))
    assert out["cells"] == {"CCU2C": 5, "DP16KD": 1, "MULT18X18D": 1, "TRELLIS_FF": 16}
    assert out["resources"] == {
        "bram": {"used": 1, "unit": "DP16KD"},
        "carry": {"used": 5, "unit": "CCU2C"},
        "dsp": {"used": 1, "unit": "MULT18X18D"},
        "ff": {"used": 16, "unit": "FF"},
    }
    assert "lut" not in out["resources"]  # never an invented zero
    assert "tools" not in out  # a bare stat printout names no version


def test_old_format_hierarchy_uses_design_totals_and_drops_submodule_instances():
    out = yosys.parse_stat(read("yosys/y023_hier_ecp5.stat"))
    assert out["cells"] == {"CCU2C": 4, "DP16KD": 1, "LUT4": 13, "MULT18X18D": 1, "PFUMX": 1,
                            "TRELLIS_FF": 28}
    assert out["resources"]["lut"] == {"used": 13, "unit": "LUT4"}
    assert out["resources"]["ff"] == {"used": 28, "unit": "FF"}


def test_new_format_hierarchy_uses_count_including_submodules():
    out = yosys.parse_stat(read("yosys/y070_hier_ecp5.stat"))
    # 49 cells printed = 48 cells + the 'sub' instance
    assert out["cells"] == {"CCU2C": 4, "DP16KD": 1, "LUT4": 14, "MULT18X18D": 1, "PFUMX": 1,
                            "TRELLIS_FF": 28}
    assert out["resources"]["lut"] == {"used": 14, "unit": "LUT4"}


def test_new_format_xilinx_ramb18_is_half_a_ramb36():
    out = yosys.parse_stat(read("yosys/y070_xc7.stat"))
    assert out["resources"] == {
        "bram": {"used": 0.5, "unit": "RAMB36"},
        "carry": {"used": 3, "unit": "CARRY4"},
        "dsp": {"used": 1, "unit": "DSP48E1"},
        "ff": {"used": 12, "unit": "FF"},
        "io": {"used": 63, "unit": "pin"},
        "lut": {"used": 11, "unit": "LUT6"},   # 10 LUTn + 1 INV (a LUT1 in Vivado)
    }
    assert out["cells"]["INV"] == 1 and out["cells"]["BUFG"] == 1


def test_old_format_xilinx_flat():
    out = yosys.parse_stat(read("yosys/y023_flat_xc7.stat"))
    assert out["resources"]["lut"] == {"used": 8, "unit": "LUT6"}
    assert out["resources"]["io"] == {"used": 59, "unit": "pin"}
    assert "ff" not in out["resources"]


def test_intel_alm_both_formats():
    old = yosys.parse_stat(read("yosys/y023_flat_alm.stat"))
    assert old["resources"] == {
        "bram": {"used": 1, "unit": "M10K"},
        "dsp": {"used": 1, "unit": "multiplier"},
        "ff": {"used": 16, "unit": "FF"},
        "io": {"used": 59, "unit": "pin"},
        "lut": {"used": 10, "unit": "ALUT"},  # 9 MISTRAL_ALUT_ARITH + 1 MISTRAL_NOT
    }
    new = yosys.parse_stat(read("yosys/y070_alm.stat"))
    assert new["resources"]["lut"] == {"used": 23, "unit": "ALUT"}  # 9 ALUT2 + 12 ARITH + 2 NOT
    assert new["resources"]["io"] == {"used": 63, "unit": "pin"}


def test_ice40_both_formats():
    old = yosys.parse_stat(read("yosys/y023_flat_ice40.stat"))
    assert old["resources"] == {
        "bram": {"used": 2, "unit": "SB_RAM40_4K"},
        "carry": {"used": 18, "unit": "SB_CARRY"},
        "ff": {"used": 42, "unit": "FF"},
        "lut": {"used": 181, "unit": "LUT4"},
    }
    new = yosys.parse_stat(read("yosys/y070_ice40_dsp.stat"))
    assert new["resources"]["dsp"] == {"used": 1, "unit": "SB_MAC16"}
    assert new["resources"]["lut"] == {"used": 58, "unit": "LUT4"}


def test_generic_cells_without_techmap():
    old = yosys.parse_stat(read("yosys/y023_flat_genlut.stat"))
    assert old["resources"] == {"ff": {"used": 2072, "unit": "FF"},
                                "lut": {"used": 2256, "unit": "LUT"}}
    new = yosys.parse_stat(read("yosys/y070_gen.stat"))
    assert new["cells"] == {"$_DFFE_PP_": 2048, "$_DFF_P_": 32, "$_SDFF_PP0_": 4, "$lut": 2119}
    assert new["resources"] == {"ff": {"used": 2084, "unit": "FF"},
                                "lut": {"used": 2119, "unit": "LUT"}}


def test_yosys_0_9_ice40_log_with_spram_and_version():
    out = yosys.parse_stat(read("yosys/y09_ice40_log_excerpt.log"))
    assert sum(out["cells"].values()) == 5273
    assert out["resources"] == {
        "bram": {"used": 4, "unit": "SB_RAM40_4K"},
        "carry": {"used": 770, "unit": "SB_CARRY"},
        "ff": {"used": 1118, "unit": "FF"},  # all SB_DFF* variants
        "io": {"used": 4, "unit": "pin"},
        "lut": {"used": 3373, "unit": "LUT4"},
        "uram": {"used": 4, "unit": "SPRAM256KA"},
    }
    assert out["tools"] == [{"name": "yosys", "version": "0.9+4081"}]


def test_yosys_0_54_log_old_format_drops_scopeinfo():
    out = yosys.parse_stat(read("yosys/y054_ecp5_log_excerpt.log"))
    assert "$scopeinfo" not in out["cells"]
    assert sum(out["cells"].values()) == 14074 - 119
    assert out["resources"]["lut"] == {"used": 8018, "unit": "LUT4"}
    assert out["resources"]["lutram"] == {"used": 58, "unit": "TRELLIS_DPR16X4"}
    assert out["resources"]["bram"] == {"used": 26, "unit": "DP16KD"}
    assert out["tools"] == [{"name": "yosys", "version": "0.54+23"}]


def test_yosys_0_60_log_last_stat_wins():
    # the log holds two printouts (20 local cells with 524 misplaced 'submodules', then 544)
    out = yosys.parse_stat(read("yosys/y060_synth_lattice_log_excerpt.log"))
    assert sum(out["cells"].values()) == 544 - 3
    assert out["resources"] == {"carry": {"used": 25, "unit": "CCU2C"},
                                "ff": {"used": 208, "unit": "FF"},
                                "lut": {"used": 264, "unit": "LUT4"}}
    assert out["tools"] == [{"name": "yosys", "version": "0.60+59"}]


@pytest.mark.parametrize("stat,js", [("y023_flat_xc7.stat", "y023_flat_xc7.statjson"),
                                     ("y070_hier_ecp5.stat", "y070_hier_ecp5.statjson")])
def test_json_agrees_with_text(stat, js):
    text, data = yosys.parse_stat(read("yosys/" + stat)), yosys.parse_stat_json(read("yosys/" + js))
    assert data["cells"] == text["cells"]
    assert data["resources"] == text["resources"]


def test_json_version_and_hierarchy():
    out = yosys.parse_stat_json(read("yosys/y070_hier_ecp5.statjson"))
    assert out["tools"] == [{"name": "yosys", "version": "0.70"}]
    assert "sub" not in out["cells"]
    old = yosys.parse_stat_json(read("yosys/y023_flat_xc7.statjson"))
    assert old["tools"] == [{"name": "yosys", "version": "0.23"}]
    ice = yosys.parse_stat_json(read("yosys/y070_ice40.statjson"))
    assert ice["resources"]["ff"] == {"used": 54, "unit": "FF"}  # SB_DFF 50 + SB_DFFSR 4


def test_several_modules_without_hierarchy_are_summed_only_when_independent():
    text = ("=== a ===\n\n   Number of cells:   3\n     LUT4   2\n     TRELLIS_FF   1\n\n"
            "=== b ===\n\n   Number of cells:   1\n     LUT4   1\n")
    assert yosys.parse_stat(text)["resources"]["lut"] == {"used": 3, "unit": "LUT4"}
    nested = text.replace("TRELLIS_FF   1", "b   1")
    with pytest.raises(ReportError, match="design hierarchy"):
        yosys.parse_stat(nested)


def test_classify_table():
    assert yosys.classify("RAMB36E2") == ("bram", "RAMB36", 1)
    assert yosys.classify("URAM288_BASE") == ("uram", "URAM288", 1)
    assert yosys.classify("RAM64M") == ("lutram", "LUT6", 4)
    assert yosys.classify("SRLC32E") == ("lutram", "LUT6", 1)
    assert yosys.classify("CARRY8") == ("carry", "CARRY8", 1)
    assert yosys.classify("FDRE_1") == ("ff", "FF", 1)
    assert yosys.classify("SB_DFFNESR") == ("ff", "FF", 1)
    assert yosys.classify("$_SDFFCE_PN0P_") == ("ff", "FF", 1)
    assert yosys.classify("PDPW16KD") == ("bram", "DP16KD", 1)
    assert yosys.classify("MISTRAL_M20K") == ("bram", "M20K", 1)
    assert yosys.classify("MISTRAL_MLAB") == ("lutram", "MLAB", 1)
    assert yosys.classify("PFUMX") is None
    assert yosys.classify("$_AND_") is None


def test_mixed_units_are_not_merged_silently():
    out = yosys.resources_from_cells({"DSP48E1": 1, "DSP48E2": 2})
    assert out == {"dsp": {"used": 3, "unit": "mixed"}}


@pytest.mark.parametrize("bad", [
    "", "   \n", "hello world\n", "=== top ===\n\n   Number of wires: 3\n",
    "\x00\x01\x02binary", '{"modules": 3}',
])
def test_bad_text_raises_report_error(bad):
    with pytest.raises(ReportError):
        yosys.parse_stat(bad)


@pytest.mark.parametrize("bad", [
    "", "{", "[]", '{"modules": {}}', '{"modules": {"a": {}, "b": {}}}',
    '{"modules": {"\\\\t": {"num_cells_by_type": {"LUT4": "x"}}}}',
    '{"modules": {"\\\\t": {"num_cells_by_type": {"LUT4": -1}}}}',
])
def test_bad_json_raises_report_error(bad):
    with pytest.raises(ReportError):
        yosys.parse_stat_json(bad)


def test_truncated_block_names_its_line():
    text = read("yosys/y023_hier_ecp5.stat")
    cut = text[: text.index("Number of cells:", text.index("=== top ==="))]
    with pytest.raises(ReportError) as err:
        yosys.parse_stat(cut)
    assert err.value.line == cut.count("\n", 0, cut.index("=== top ===")) + 1


def test_xilinx_lut4_is_a_lut6_site_not_an_ecp5_lut4():
    """LUT4 names a Xilinx and an ECP5 primitive; the rest of the netlist decides."""
    xilinx = yosys.resources_from_cells({"LUT2": 3, "LUT4": 5, "LUT6": 1, "FDRE": 2})
    assert xilinx["lut"] == {"used": 9, "unit": "LUT6"}
    ecp5 = yosys.resources_from_cells({"LUT4": 5, "TRELLIS_FF": 2, "CCU2C": 1})
    assert ecp5["lut"] == {"used": 5, "unit": "LUT4"}


def test_intel_le_families_of_synth_intel():
    """Cyclone IV E / MAX 10 (synth_intel, real Yosys 0.70 output): LEs, dffeas, one
    altsyncram per M9K (a 2048x16 RAM is 4), MAX 10's hard multiplier."""
    c4 = yosys.parse_stat(read("yosys/y070_cycloneive.stat"))
    assert c4["resources"] == {"lut": {"used": 225, "unit": "LE"}, "ff": {"used": 18, "unit": "FF"},
                               "bram": {"used": 4, "unit": "M9K"}}
    m10 = yosys.parse_stat(read("yosys/y070_max10.stat"))
    assert m10["resources"]["dsp"] == {"used": 1, "unit": "multiplier"}
    assert m10["resources"]["bram"] == {"used": 1, "unit": "M9K"}
