"""The strict Tcl stubs of tcl_check catch what a vendor tool would refuse."""

import pytest

from .conftest import tcl_check

GOOD = {
    "vivado": "create_project p -force\nset_property top t [current_fileset]\n"
              "launch_runs impl_1 -to_step route_design\nreport_utilization -file u.rpt\n",
    "quartus": "project_new p -overwrite\nset_global_assignment -name DEVICE 5CSEBA6U23I7\n"
               "set_instance_assignment -name IO_STANDARD {3.3-V LVTTL} -to clk\n",
    "vitis_hls": "open_project -reset p\nopen_solution -reset s -flow_target vivado\n"
                 "export_design -format ip_catalog\nexit\n",
}
BAD = [
    ("vivado", "create_project p -force\nlaunch_run impl_1\n", "unknown command 'launch_run'"),
    ("vivado", "report_utilization -hierarchichal -file u.rpt\n", "unknown option '-hierarchichal'"),
    ("vivado", "set_property TOP t [current_fileset]\n", "unknown property 'TOP'"),
    ("vivado", "launch_runs impl_1 -to_step route\n", "unknown step 'route'"),
    ("vivado", "read_xdc\n", "0 positional arguments"),
    ("quartus", "set_global_assignment -name DEVICES x\n", "unknown assignment name 'DEVICES'"),
    ("quartus", "set_location_assignment PIN_A1 -too clk\n", "unknown option '-too'"),
    ("vitis_hls", "open_solution s -flow_target vivadoo\n", "unknown flow target"),
    ("vitis_hls", "csynth_design\nexit 1\n", "exit 1"),
]


@pytest.mark.parametrize("tool", sorted(GOOD))
def test_good_scripts_pass(tmp_path, tool):
    f = tmp_path / "x.tcl"
    f.write_text(GOOD[tool])
    tcl_check(f, tool)


@pytest.mark.parametrize("tool,text,message", BAD, ids=[b[2] for b in BAD])
def test_bad_scripts_fail(tmp_path, tool, text, message):
    f = tmp_path / "x.tcl"
    f.write_text(text)
    with pytest.raises(AssertionError, match=message):
        tcl_check(f, tool)


def test_constraint_files_use_their_own_stubs(tmp_path):
    xdc = tmp_path / "c.xdc"
    xdc.write_text("set_property -dict {PACKAGE_PIN E3 IOSTANDRD LVCMOS33} [get_ports clk]\n")
    with pytest.raises(AssertionError, match="unknown property 'IOSTANDRD'"):
        tcl_check(xdc)
    sdc = tmp_path / "c.sdc"
    sdc.write_text("create_clock -name clk -perod 10 [get_ports clk]\n")
    with pytest.raises(AssertionError, match="unknown option '-perod'"):
        tcl_check(sdc)
    incomplete = tmp_path / "x_run.tcl"
    incomplete.write_text("if {1} {\n")
    with pytest.raises(AssertionError, match="INCOMPLETE"):
        tcl_check(incomplete, "vivado")
