"""More reports in the layouts of real ones, from public repositories nobody here chose, checked
figure by figure.

Each fixture is our own text written by hand in the exact layout of the real report it names
(tool version, panel order, column widths, line wrapping), with that report's asserted numbers;
design, instance, net and file names, dates and the figures not asserted are ours. Trimmed to
the panels the parsers read."""

from pathlib import Path

import pytest

from fpgaflow.reports import detect, parse_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def dig(data, path):
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


CASES = [
    # viniciosfaustino/trex-runner-altera-de0 output_files/top.sta.rpt (Quartus II 13.1,
    # Cyclone III EP3C16): the clock CDiv:SegClock|D meets setup and hold in every corner but
    # fails minimum pulse width (-1.000, TNS -2.000); the .sta.summary of the same run says so
    # and so must the .sta.rpt (its Minimum Pulse Width Summary panels were not read)
    ("quartus/sta_13.1_cyclone3_pulse_width_failing.sta.rpt", "quartus_sta", {
        "timing.wns_ns": -9.297, "timing.tns_ns": -4416.301, "timing.whs_ns": -0.191,
        "timing.ths_ns": -0.191, "timing.met": False,
        "timing.clocks.0": {"name": "clk", "wns_ns": -9.297, "tns_ns": -4416.301,
                            "whs_ns": -0.191, "ths_ns": -0.191, "met": False,
                            "target_mhz": 1000.0, "fmax_mhz": 97.12},
        "timing.clocks.1": {"name": "CDiv:SegClock|D", "wns_ns": 0.213, "tns_ns": 0.0,
                            "whs_ns": 0.187, "ths_ns": 0.0, "met": False,
                            "target_mhz": 1000.0, "fmax_mhz": 500.0},
        "device.part": "EP3C16F484C6",
        "tools": [{"name": "quartus", "version": "13.1.0", "edition": "Web"}]}),
    # bigbyrus/SHA-256 output_files/simplified_sha256.fit.summary and .fit.rpt (Quartus Prime
    # 20.1 Lite, Arria II GX EP2AGX45): ALUT families print 'Logic utilization : 9 %' (a bare
    # percentage) over 'Combinational ALUTs' and count DSP in 'DSP block 18-bit elements';
    # neither was read (no lut, no dsp)
    ("quartus/fit_20.1_arria2gx_aluts.fit.summary", "quartus_fit", {
        "resources": {"lut": {"used": 1776, "available": 36100, "unit": "ALUT"},
                      "ff": {"used": 2143, "available": 36100, "unit": "FF"},
                      "bram": {"used": 0, "available": 2939904, "unit": "bit", "bits": 0},
                      "dsp": {"used": 0, "available": 232, "unit": "18-bit DSP element"},
                      "io": {"used": 118, "available": 404, "unit": "pin"}},
        "device.part": "EP2AGX45DF29I5",
        "tools": [{"name": "quartus", "version": "20.1.0", "edition": "Lite"}]}),
    ("quartus/fit_20.1_arria2gx_m9k.fit.rpt", "quartus_fit", {
        "resources.lut": {"used": 1776, "available": 36100, "unit": "ALUT"},
        "resources.bram": {"used": 0, "available": 319, "unit": "M9K", "bits": 0},
        "resources.dsp": {"used": 0, "available": 232, "unit": "18-bit DSP element"}}),
    # written by hand (no public report found whole): Vivado appends '(Junction temp
    # exceeded!)' to the Total On-Chip Power cell when the estimate passes the device's limit
    # (public parsers strip exactly that string before float()); the report was refused as
    # having no total
    ("vivado/power_2019.1_junction_exceeded_synthetic.rpt", "vivado_power", {
        "power": {"total_w": 37.591, "dynamic_w": 37.095, "static_w": 0.496,
                  "junction_temp_c": 125.0, "max_ambient_c": 0.0, "confidence": "Low",
                  "junction_temp_exceeded": True, "source": "vivado report_power"},
        "device.part": "xc7a35tcpg236-1"}),
    # nextpnr-ecp5 before 0.4 (2018-2022) packs into TRELLIS_SLICE bels (two LUT4s and two
    # flip-flops each; YosysHQ/nextpnr nextpnr-0.3 ecp5/arch.cc, utilisation printed as
    # common/design_utils.cc '\t%20s: %5d/%5d %5d%%'); no lut was read. Figures of a public
    # 12k-die ECP5 log found by content search (the index names no repository for it)
    ("nextpnr/ecp5_slice_pre04_excerpt.log", "nextpnr_log", {
        "resources": {"lut": {"used": 2871, "available": 12144, "unit": "TRELLIS_SLICE"},
                      "io": {"used": 62, "available": 197, "unit": "pin"},
                      "bram": {"used": 4, "available": 56, "unit": "DP16KD"},
                      "dsp": {"used": 0, "available": 28, "unit": "MULT18X18D"}},
        "timing.met": False,
        "timing.clocks": [
            {"name": "clkout", "port": "clkout", "fmax_mhz": 454.34, "target_mhz": 12.0,
             "met": True},
            {"name": "$glbnet$clk_25mhz$TRELLIS_IO_IN", "port": "clk_25mhz", "fmax_mhz": 20.47,
             "target_mhz": 25.0, "met": False},
            {"name": "$glbnet$clk_sdr", "port": "clk_sdr", "fmax_mhz": 153.63,
             "target_mhz": 125.0, "met": True}]}),
    # a design with no clock constraints: BatchClayderman/MyFourthTerm
    # fib/fib.runs/impl_1/top_timing_summary_routed.rpt (Vivado 2017.4, all 'NA') and
    # zyx303/4kmania project_1/project_1.runs/impl_1/top_timing_summary_routed.rpt (2023.2:
    # WNS/WHS 'inf', TNS 0.000 over 8029 endpoints). Both say 'There are no user specified
    # timing constraints.': no verdict, timing.constrained false (the timing was an empty or
    # verdict-less section that did not say why)
    ("vivado/timing_2017.4_no_constraints_na.rpt", "vivado_timing", {
        "timing": {"constrained": False}, "device.part": "xc7a35tcsg324-1"}),
    ("vivado/timing_2023.2_no_constraints_inf.rpt", "vivado_timing", {
        "timing": {"tns_ns": 0.0, "ths_ns": 0.0, "setup_failing_endpoints": 0,
                   "setup_endpoints": 8029, "hold_failing_endpoints": 0,
                   "hold_endpoints": 8029, "constrained": False},
        "device.part": "xc7k160tffg676-2L", "tools.0.version": "2023.2"}),
    # featherfeet/SDRAM output_files/top.fit.summary (Quartus II 13.0sp1 32-bit Web Edition,
    # Cyclone II EP2C20): the 32-bit build names itself 'Quartus II 32-bit Version'; no tool
    # version was read (nor from its .fit.rpt/.sta.rpt headers)
    ("quartus/fit_13.0sp1_32bit_cycloneii.fit.summary", "quartus_fit", {
        "tools": [{"name": "quartus", "version": "13.0.1", "edition": "Web"}],
        "device.part": "EP2C20F484C7",
        "resources": {"lut": {"used": 132, "available": 18752, "unit": "LE"},
                      "ff": {"used": 58, "available": 18752, "unit": "FF"},
                      "bram": {"used": 0, "available": 239616, "unit": "bit", "bits": 0},
                      "dsp": {"used": 0, "available": 52, "unit": "9-bit multiplier"},
                      "io": {"used": 42, "available": 315, "unit": "pin"}}}),
    # our own report in the layout of JongSeob/Nexys2_Lcd_Controll_Prj_using_EPC top.twr (ISE
    # 14.7 TRACE, Spartan-3E; names, paths and counts are ours, the slacks and periods are the
    # real report's): a DCM clock's PERIOD derived unscaled from the input's TS name ('TS_<base>
    # HIGH 50%') whose long TS name (the same length as the real one) wraps the statement over
    # four lines padded with blanks; the clock was lost and WNS read 5.692 ns where the
    # design's worst PERIOD slack is 0.965 ns (minimum period 19.035 ns of 20)
    ("ise/twr_14.7_spartan3e_derived_padded.twr", "ise_twr", {
        "timing": {"met": True, "wns_ns": 0.965, "clocks": [
            {"name": "osc_clk_pad", "period_ns": 20.0, "target_mhz": 50.0, "wns_ns": 5.692,
             "fmax_mhz": 104.8, "met": True},
            {"name": "mcu_clkgen_block_0_mcu_clkgen_block_0_SIG_DCM0_CLKOUT_0",
             "period_ns": 20.0, "target_mhz": 50.0, "wns_ns": 0.965, "fmax_mhz": 52.53,
             "met": True}]},
        "device.part": "xc3s1200efg320-4"}),
    # our own MAP report in the layout of the same project's top_map.mrp (Spartan-3E
    # XC3S1200E, the asserted figures are the real report's, the others ours): a design with
    # latches prints 'Total Number Slice Registers' for its flip-flops and latches; no ff was
    # read. lut stays the logic-utilization row (2,620), not 'Total Number of 4 input LUTs'
    # (2,705 with route-thrus)
    ("ise/map_14.7_spartan3e_total_slice_registers.mrp", "ise_util", {
        "resources": {"ff": {"used": 1658, "available": 17344, "unit": "FF"},
                      "lut": {"used": 2620, "available": 17344, "unit": "LUT4"},
                      "bram": {"used": 16, "available": 28, "unit": "RAMB16"},
                      "dsp": {"used": 3, "available": 28, "unit": "MULT18X18"},
                      "io": {"used": 43, "available": 250, "unit": "pin"}},
        "device.part": "xc3s1200efg320-4", "tools": [{"name": "ise", "version": "14.7"}]}),
    # our own report in the layout of MForever78/fpga-fury top.twr (ISE 14.7 TRACE, Spartan-6
    # LX16, no UCF timing constraints; names ours): TRACE's INFO:Timing:2698 (no timing
    # constraints, default enumeration) and no 'Timing errors:' summary; the report was not
    # recognised at all (exit 2). The clock's register-to-register delay is in the Data Sheet
    # (4.611 ns: 216.87 MHz)
    ("ise/twr_14.7_spartan6_no_constraints.twr", "ise_twr", {
        "timing": {"constrained": False,
                   "clocks": [{"name": "osc100_clk", "fmax_mhz": 216.87}]},
        "device.part": "xc6slx16csg324-2", "tools": [{"name": "ise", "version": "14.7"}]}),
    # our own report in the layout of toptensoftware/clken_test top.twr (ISE 14.7, Spartan-6;
    # names and path counts ours, of the real names' lengths): the design's logic runs on a
    # DCM output whose PERIOD TRACE derives from the input's ('PERIOD analysis for net <out>
    # derived from NET <in> PERIOD = 10 ns ...; multiplied by 1.25 to 12.500 nS'); that clock
    # (worst setup slack 8.100 ns, minimum period 4.400 ns) was dropped and no WNS read
    ("ise/twr_14.7_spartan6_dcm_derived.twr", "ise_twr", {
        "timing": {"met": True, "wns_ns": 8.1, "clocks": [
            {"name": "cgu/clk_in", "period_ns": 10.0, "target_mhz": 100.0, "fmax_mhz": 187.27,
             "met": True},
            {"name": "cgu/fxclk", "period_ns": 12.5, "target_mhz": 80.0, "wns_ns": 8.1,
             "fmax_mhz": 227.27, "met": True}]}}),
    # our own report in the layout of nabeel-at-intel/OPT4 output_files/top.sta.rpt (Quartus
    # Prime Pro 24.1, Agilex 7; clock and revision names ours): the Pro 'Timing Analyzer
    # Summary' panel names the part in a 'Device' row (Std/Lite: 'Device Name'); it was not read
    ("quartus/sta_24.1pro_agilex.sta.rpt", "quartus_sta", {
        "device.part": "AGFB014R24A2I2V", "timing.wns_ns": -3.884}),
]


@pytest.mark.parametrize("rel,kind,expected", CASES, ids=[c[0] for c in CASES])
def test_real_report(rel, kind, expected):
    text = (FIXTURES / rel).read_text()
    assert detect(text) == kind
    out = parse_text(text)
    for path, value in expected.items():
        assert dig(out, path) == value, path


def _fixtures():
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix != ".json"
                  and "\r\n" not in p.read_text(errors="replace"))


@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_crlf_report_reads_as_lf(path):
    """A report written on Windows (CRLF line ends, as the Quartus and Vitis HLS reports of
    viniciosfaustino/trex-runner-altera-de0 and Taise228/topk_sort are) gives the same figures:
    ISE .twr periods and the nextpnr utilisation block were lost."""
    text = path.read_text(errors="replace")
    try:
        expected = parse_text(text)
    except Exception as exc:  # a fixture of a failed run: the CRLF copy fails alike
        with pytest.raises(type(exc)):
            parse_text(text.replace("\n", "\r\n"))
        return
    assert parse_text(text.replace("\n", "\r\n")) == expected


def test_crlf_files_through_the_cli_path(tmp_path):
    """``fpgaflow report DIR`` reads files as bytes: a CRLF nextpnr log in a directory is found
    and its utilisation read."""
    from fpgaflow.reports import parse_paths
    text = (FIXTURES / "nextpnr" / "ice40_up5k.log").read_text()
    (tmp_path / "pnr.log").write_bytes(text.replace("\n", "\r\n").encode())
    assert parse_paths([tmp_path])["resources"] == parse_text(text)["resources"]


def test_directory_merge_order_keeps_the_final_reports(tmp_path):
    """A Quartus output_files/ holds the .fit.summary and the .fit.rpt of one run (as
    viniciosfaustino/trex-runner-altera-de0 does): the .rpt's M9K blocks must win, not the
    summary's memory bits."""
    from fpgaflow.reports import parse_paths
    out = tmp_path / "output_files"
    out.mkdir()
    (out / "top.fit.summary").write_text(
        (FIXTURES / "quartus" / "fit_20.1_arria2gx_aluts.fit.summary").read_text())
    (out / "top.fit.rpt").write_text(
        (FIXTURES / "quartus" / "fit_20.1_arria2gx_m9k.fit.rpt").read_text())
    assert parse_paths([tmp_path])["resources"]["bram"] == {
        "used": 0, "available": 319, "unit": "M9K", "bits": 0}


def test_stage_rank_orders_a_vivado_run_directory():
    """project.runs/ sorts synth_1 after impl_1 by name; a merge must end on the routed and
    post-route physopt reports (the names Vivado's runs write); ISE's top_preroute.twr
    (Lmx2315/project_SDR_tx2) is not the routed top.twr."""
    from pathlib import Path

    from fpgaflow.reports import stage_rank
    names = ["impl_1/design_1_wrapper_utilization_placed.rpt",
             "synth_1/design_1_wrapper_utilization_synth.rpt",
             "impl_1/MPSQ_timing_summary_postroute_physopted.rpt",
             "impl_1/design_1_wrapper_timing_summary_routed.rpt",
             "impl_1/design_1_wrapper_drc_opted.rpt",
             "ise/top_preroute.twr", "ise/top.twr", "ise/top_map.mrp", "ise/top.par",
             "yosys.log", "nextpnr.log"]
    ordered = sorted(names, key=lambda n: (stage_rank(Path(n)), n))
    assert ordered == ["synth_1/design_1_wrapper_utilization_synth.rpt", "yosys.log",
                       "impl_1/design_1_wrapper_drc_opted.rpt", "ise/top_map.mrp",
                       "impl_1/design_1_wrapper_utilization_placed.rpt",
                       "ise/top_preroute.twr",
                       "impl_1/design_1_wrapper_timing_summary_routed.rpt",
                       "ise/top.par", "ise/top.twr", "nextpnr.log",
                       "impl_1/MPSQ_timing_summary_postroute_physopted.rpt"]


def test_stage_rank_puts_the_hls_top_report_last():
    """An HLS solution's syn/report/ holds a report per function (Taise228/topk_sort:
    Loop_VITIS_LOOP_35_2_proc3_csynth.rpt ...) and the top's csynth.rpt/csynth.xml; a function
    named after the top in sort order must not win the merge."""
    from pathlib import Path

    from fpgaflow.reports import stage_rank
    names = ["zz_sub_csynth.xml", "csynth.xml", "aa_top_csynth.rpt", "csynth.rpt",
             "zz_sub_csynth.rpt"]
    assert sorted(names, key=lambda n: (stage_rank(Path(n)), n))[-2:] == ["csynth.rpt",
                                                                         "csynth.xml"]


def test_an_unconstrained_design_says_so_in_the_tables(run_cli, tmp_path):
    """`report` and `show` said "met: -" under an empty clock table; they now say that the
    design has no timing constraints."""
    rpt = FIXTURES / "vivado/timing_2023.2_no_constraints_inf.rpt"
    res = run_cli("report", str(rpt))
    assert res.exit_code == 0, res.output
    assert "no timing constraints" in res.stdout and "met: -" not in res.stdout
    out = tmp_path / "s.json"
    out.write_text(run_cli("report", str(rpt), "--json").stdout)
    res = run_cli("show", str(out))
    assert res.exit_code == 0, res.output
    assert "no timing constraints" in res.stdout
