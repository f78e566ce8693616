"""Vivado, Quartus and HLS parsers on fixtures per tool version and variation.

The fixtures are trimmed copies of public reports (see /work/shared/reports/INDEX.tsv for
their origin); files named *_synthetic.* are variants written by hand in the format of
that release (a failing timing run, the 2013.2 'Loced' column, Pro 'Corner:' lines, the
2021.2+ Synthesis Summary, a Vitis accelerator report)."""

from pathlib import Path

import pytest

from fpgaflow.reports import ReportError, detect, hls, parse_file, quartus, vivado

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def read(rel: str) -> str:
    return (FIXTURES / rel).read_text()


def dig(data, path):
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


CASES = [
    # fixture, kind, {dotted path: exact value}
    ("vivado/util_2016.2_artix7_placed.rpt", "vivado_util", {
        "resources.lut": {"used": 38242, "available": 63400, "unit": "LUT6"},
        "resources.ff": {"used": 47258, "available": 126800, "unit": "FF"},
        "resources.bram": {"used": 103, "available": 135, "unit": "RAMB36"},
        "resources.dsp": {"used": 24, "available": 240, "unit": "DSP48E1"},
        "resources.lutram": {"used": 3214, "available": 19000, "unit": "LUT6"},
        "resources.carry": {"used": 1178, "unit": "CARRY4"},
        "resources.io": {"used": 97, "available": 210, "unit": "pin"},
        "device.part": "xc7a100tcsg324-1", "tools": [{"name": "vivado", "version": "2016.2"}]}),
    ("vivado/util_2013.2_loced_synthetic.rpt", "vivado_util", {
        "resources.lut.used": 38242, "resources.bram.used": 103, "device.part": "xc7a100t",
        "tools.0.version": "2013.2"}),
    ("vivado/util_2024.1_rfsoc_prohibited.rpt", "vivado_util", {
        "resources.bram": {"used": 66.5, "available": 1080, "unit": "RAMB36"},
        "resources.uram": {"used": 0, "available": 80, "unit": "URAM288"},
        "resources.carry": {"used": 91, "available": 53160, "unit": "CARRY8"},
        "resources.dsp": {"used": 376, "available": 4272, "unit": "DSP48E2"},
        "resources.lut": {"used": 29992, "available": 425280, "unit": "LUT6"},
        "resources.ff.used": 25689, "device.part": "xczu48dr-ffvg1517-2-e"}),
    ("vivado/util_2021.2_zynq7_prohibited.rpt", "vivado_util", {
        "resources.lut.used": 1913, "resources.ff.used": 2448, "resources.bram.used": 2,
        "resources.dsp.used": 0, "device.part": "xc7z010clg400-1"}),
    ("vivado/util_2020.1_zynqus_placed.rpt", "vivado_util", {
        "resources.lut.used": 17923, "resources.ff.used": 25677, "resources.bram.used": 3,
        "resources.dsp": {"used": 181, "available": 360, "unit": "DSP48E2"},
        "device.part": "xczu3egsbva484-1"}),
    ("vivado/util_2019.1_synth_ooc_zeros.rpt", "vivado_util", {  # zeros are real here
        "resources.lut": {"used": 0, "available": 17600, "unit": "LUT6"},
        "resources.ff": {"used": 0, "available": 35200, "unit": "FF"},
        "resources.bram.used": 0, "resources.dsp.used": 0}),
    ("vivado/util_hier_2018.2_virtex7.rpt", "vivado_util_hier", {
        "resources": {"bram": {"used": 8.5, "unit": "RAMB36"}, "dsp": {"used": 0, "unit": "DSP48E1"},
                      "ff": {"used": 12411, "unit": "FF"}, "lut": {"used": 9673, "unit": "LUT6"},
                      "lutram": {"used": 338, "unit": "LUT6"}},
        "hierarchy.0": {"instance": "fpga", "module": "(top)", "depth": 0, "total_luts": 9673,
                        "logic_luts": 9335, "lutrams": 338, "srls": 0, "ffs": 12411, "ramb36": 6,
                        "ramb18": 5, "dsp48_blocks": 0},
        "hierarchy.1.instance": "(fpga)", "hierarchy.1.depth": 1,
        "hierarchy.7.instance": "eth_mac_10g_inst", "hierarchy.7.depth": 3,
        "hierarchy.7.module": "eth_mac_10g"}),
    ("vivado/timing_2020.2_one_clock.rpt", "vivado_timing", {
        "timing.wns_ns": 13.199, "timing.tns_ns": 0.0, "timing.whs_ns": 0.04,
        "timing.ths_ns": 0.0, "timing.wpws_ns": 9.02, "timing.setup_endpoints": 1446,
        "timing.setup_failing_endpoints": 0, "timing.met": True,
        "timing.clocks": [{"name": "clk_fpga_0", "period_ns": 20.0, "target_mhz": 50.0,
                           "wns_ns": 13.199, "tns_ns": 0.0, "whs_ns": 0.04, "ths_ns": 0.0,
                           "met": True, "fmax_mhz": 147.04}],
        "device.part": "xc7z020clg400-1"}),
    ("vivado/timing_2020.2_failing_synthetic.rpt", "vivado_timing", {
        "timing.wns_ns": -1.25, "timing.tns_ns": -35.87, "timing.met": False,
        "timing.setup_failing_endpoints": 41, "timing.clocks.0.fmax_mhz": 47.06,
        "timing.clocks.0.met": False}),
    ("vivado/timing_2013.2_six_clocks.rpt", "vivado_timing", {
        "timing.wns_ns": 0.049, "timing.hold_endpoints": 86329, "timing.met": True,
        "timing.clocks.0": {"name": "clk_fpga_0", "period_ns": 10.0, "target_mhz": 100.0},
        "timing.clocks.1": {"name": "clk_150mhz", "period_ns": 6.667, "target_mhz": 150.0,
                            "wns_ns": 0.049, "tns_ns": 0.0, "whs_ns": 0.023, "ths_ns": 0.0,
                            "met": True, "fmax_mhz": 151.1},
        "timing.clocks.5.fmax_mhz": 155.21, "device.part": "xc7z020clg484-1",
        "tools.0.version": "2013.2"}),
    ("vivado/timing_2019.1_na_unconstrained.rpt", "vivado_timing", {
        "timing": {"wpws_ns": 17.845, "tpws_ns": 0.0, "met": True,
                   "clocks": [{"name": "clk_fpga_0", "period_ns": 20.0, "target_mhz": 50.0}]}}),
    ("vivado/power_2017.2_no_budget.rpt", "vivado_power", {
        "power": {"total_w": 1.417, "dynamic_w": 1.268, "static_w": 0.149, "max_ambient_c": 68.7,
                  "junction_temp_c": 41.3, "confidence": "Low", "source": "vivado report_power"}}),
    ("vivado/power_2024.1_budget_unspecified.rpt", "vivado_power", {
        "power": {"total_w": 5.613, "dynamic_w": 4.322, "static_w": 1.29, "max_ambient_c": 95.3,
                  "junction_temp_c": 29.7, "confidence": "Low", "source": "vivado report_power"}}),
    ("vivado/power_2016.2_off_chip.rpt", "vivado_power", {
        "power.total_w": 2.058, "power.off_chip_w": 0.633, "power.dynamic_w": 1.942}),
    ("vivado/accel_util_2022.1_synthetic.rpt", "vitis_accel_util", {
        "accelerators": [{"name": "vadd_1", "lut": 2531, "lutasmem": 202, "reg": 4172, "bram": 2,
                          "uram": 0, "dsp": 0}]}),
    ("quartus/fit_15.0_cycloneive_le.fit.summary", "quartus_fit", {
        "resources": {"bram": {"used": 205943, "unit": "bit", "available": 3981312,
                               "bits": 205943},
                      "dsp": {"used": 0, "unit": "9-bit multiplier", "available": 532},
                      "ff": {"used": 28507, "unit": "FF", "available": 114480},
                      "io": {"used": 480, "unit": "pin", "available": 529},
                      "lut": {"used": 62806, "unit": "LE", "available": 114480}},
        "tools": [{"name": "quartus", "version": "15.0.0", "edition": "Full"}],
        "device.part": "EP4CE115F29C7"}),
    ("quartus/fit_24.1pro_agilex.fit.summary", "quartus_fit", {
        "resources.lut": {"used": 5477, "unit": "ALM", "available": 487200},
        "resources.ff": {"used": 10271, "unit": "FF"},
        "resources.bram": {"used": 32, "unit": "M20K", "available": 7110, "bits": 524288},
        "tools": [{"name": "quartus", "version": "24.1.0", "edition": "Pro"}]}),
    ("quartus/fit_16.0_arria10.fit.summary", "quartus_fit", {
        "resources.lut.used": 8385, "resources.ff.used": 19767, "resources.io.used": 145,
        "resources.bram.bits": 2403328, "resources.dsp.available": 1687}),
    ("quartus/fit_18.1_cyclonev_near_empty.fit.summary", "quartus_fit", {
        "resources.lut": {"used": 1, "unit": "ALM", "available": 32070},
        "resources.bram": {"used": 0, "unit": "M10K", "available": 397, "bits": 0}}),
    ("quartus/fit_17.1_cyclonev.fit.rpt", "quartus_fit", {
        "resources.lut": {"used": 1028, "unit": "ALM", "available": 32070},
        "resources.ff.used": 433, "resources.bram.used": 338, "resources.bram.bits": 2764800,
        "tools": [{"name": "quartus", "version": "17.1.0", "edition": "Lite"}],
        "device.part": "5CSEMA5F31C6"}),
    ("quartus/sta_17.1_cyclonev_failing.sta.summary", "quartus_sta", {
        "timing.wns_ns": -15.191, "timing.met": False,
        "timing.clocks.0.name": "SLOW_CLK", "timing.clocks.0.wns_ns": -15.191,
        "timing.clocks.0.tns_ns": -826.59, "timing.clocks.0.met": False}),
    ("quartus/sta_15.0_cycloneive.sta.summary", "quartus_sta", {
        "timing.wns_ns": 2.044, "timing.tns_ns": 0.0, "timing.whs_ns": 0.096, "timing.met": True}),
    ("quartus/sta_16.0_arria10.sta.summary", "quartus_sta", {
        "timing.clocks.0.name": "MAIN_CLOCK", "timing.clocks.0.wns_ns": 2.576,
        "timing.clocks.0.tns_ns": 0.0, "timing.clocks.0.met": True}),
    ("quartus/sta_pro_corner_lines_synthetic.sta.summary", "quartus_sta", {
        "timing": {"wns_ns": -1.26, "tns_ns": -32.558, "whs_ns": 0.021, "ths_ns": 0.0,
                   "met": False,
                   "clocks": [{"name": "dsp_clk", "wns_ns": -1.26, "tns_ns": -32.558,
                               "whs_ns": 0.021, "ths_ns": 0.0, "met": False}]}}),
    ("quartus/sta_24.1pro_agilex.sta.rpt", "quartus_sta", {
        "timing.wns_ns": -3.884, "timing.met": False,
        "timing.clocks.1": {"name": "dsp_clk", "wns_ns": -1.26, "tns_ns": -32.558, "whs_ns": 0.0,
                            "ths_ns": 0.0, "met": False, "target_mhz": 333.33,
                            "fmax_mhz": 234.74},
        "tools.0.edition": "Pro"}),
    ("quartus/sta_19.1_max10_no_paths.sta.rpt", "quartus_sta", {
        "timing": {"clocks": [{"name": "clk", "target_mhz": 12.0}]}}),
    ("quartus/pow_19.1_max10.pow.summary", "quartus_power", {
        "power": {"total_w": 0.15887, "dynamic_w": 0.0, "static_w": 0.1211, "io_w": 0.03777,
                  "confidence": "Low: user provided insufficient toggle rate data",
                  "source": "quartus power analyzer"},
        "device.part": "10M08SAU169C8G"}),
    ("quartus/pow_17.1_max10.pow.rpt", "quartus_power", {
        "power.total_w": 0.18311, "power.dynamic_w": 0.02081, "tools.0.version": "17.1.0"}),
    ("quartus/pow_23.1std_max10.pow.summary", "quartus_power", {
        "power.total_w": 0.20991, "tools": [{"name": "quartus", "version": "23.1std.1",
                                             "edition": "Lite"}]}),
    ("quartus/pow_18.1_cyclonev_high_confidence.pow.rpt", "quartus_power", {
        "power.total_w": 0.41941,
        "power.confidence": "High: user provided sufficient toggle rate data"}),
    ("hls/csynth_2018.3_vivado_hls.rpt", "hls_csynth_rpt", {
        "hls": {"top": "hw_conv", "clock_target_ns": 10.0, "clock_estimated_ns": 7.524,
                "clock_uncertainty_ns": 1.25, "latency_cycles": [262661, 262661],
                "interval": 262661, "pipeline": "none",
                "resources": {"bram": {"used": 0, "unit": "BRAM_18K", "available": 280},
                              "dsp": {"used": 0, "unit": "DSP48E", "available": 220},
                              "ff": {"used": 8525, "unit": "FF", "available": 106400},
                              "lut": {"used": 6024, "unit": "LUT", "available": 53200}}},
        "tools": [{"name": "vivado_hls", "version": "2018.3"}]}),
    ("hls/csynth_2019.2_vivado_hls_dataflow.rpt", "hls_csynth_rpt", {
        "hls.latency_cycles": [96014, 96165], "hls.interval": [4625, 95949],
        "hls.clock_estimated_ns": 4.429, "hls.clock_target_ns": 5.0, "hls.pipeline": "dataflow",
        "hls.resources.dsp": {"used": 118, "unit": "DSP48E", "available": 220},
        "hls.resources.bram.used": 285, "tools.0.version": "2019.2.1"}),
    ("hls/csynth_2021.1_vitis.rpt", "hls_csynth_rpt", {
        "hls.latency_cycles": [43, 43], "hls.interval": 44, "hls.clock_target_ns": 13.33,
        "hls.resources.dsp": {"used": 2, "unit": "DSP", "available": 1700},
        "tools": [{"name": "vitis_hls", "version": "2021.1"}]}),
    ("hls/csynth_2023.2_vitis_unknown_latency.rpt", "hls_csynth_rpt", {
        "hls.clock_estimated_ns": 7.674, "hls.resources.lut.used": 9516,
        "hls.resources.uram": {"used": 0, "unit": "URAM", "available": 960}}),
    ("hls/synthesis_summary_2022.2_synthetic.rpt", "hls_csynth_rpt", {
        "hls": {"top": "mvau", "slack_ns": 0.52, "latency_max_cycles": 1034, "interval": 1035,
                "pipeline": "no",
                "resources": {"bram": {"used": 2, "unit": "BRAM_18K"},
                              "dsp": {"used": 3, "unit": "DSP"}, "ff": {"used": 264, "unit": "FF"},
                              "lut": {"used": 402, "unit": "LUT"},
                              "uram": {"used": 0, "unit": "URAM"}}},  # '-': none used
        "device.part": "xczu7ev-ffvc1156-2-e"}),
    ("hls/csynth_2020.2.xml", "hls_csynth_xml", {
        "hls": {"top": "gaussian", "clock_target_ns": 10.0, "clock_estimated_ns": 6.427,
                "clock_uncertainty_ns": 2.7, "latency_cycles": [262673, 262673],
                "interval": 262674, "pipeline": "none",
                "resources": {"bram": {"used": 3, "unit": "BRAM_18K", "available": 624},
                              "dsp": {"used": 0, "unit": "DSP", "available": 1728},
                              "ff": {"used": 973, "unit": "FF", "available": 460800},
                              "lut": {"used": 1870, "unit": "LUT", "available": 230400},
                              "uram": {"used": 0, "unit": "URAM", "available": 96}}},
        "tools": [{"name": "vitis_hls", "version": "2020.2"}]}),
]


@pytest.mark.parametrize("rel,kind,expected", CASES, ids=[c[0] for c in CASES])
def test_fixture(rel, kind, expected):
    assert detect(read(rel)) == kind
    out = parse_file(FIXTURES / rel)
    for path, value in expected.items():
        assert dig(out, path) == value, path


def test_absent_values_are_absent_not_zero():
    na = vivado.parse_timing_summary(read("vivado/timing_2019.1_na_unconstrained.rpt"))
    assert "wns_ns" not in na["timing"] and "whs_ns" not in na["timing"]
    unknown = hls.parse_csynth_rpt(read("hls/csynth_2023.2_vitis_unknown_latency.rpt"))
    assert "latency_cycles" not in unknown["hls"] and "interval" not in unknown["hls"]
    budget = vivado.parse_power(read("vivado/power_2024.1_budget_unspecified.rpt"))
    assert "budget_w" not in budget["power"] and "margin_w" not in budget["power"]
    le = quartus.parse_fit(read("quartus/fit_15.0_cycloneive_le.fit.summary"))
    assert "carry" not in le["resources"] and "uram" not in le["resources"]


def test_hls_estimates_stay_under_hls():
    out = hls.parse_csynth_xml(read("hls/csynth_2020.2.xml"))
    assert "resources" not in out and "resources" in out["hls"]


def test_accelerator_report_is_not_parsed_as_utilization():
    text = read("vivado/accel_util_2022.1_synthetic.rpt")
    with pytest.raises(ReportError, match="accelerator"):
        vivado.parse_utilization(text)


@pytest.mark.parametrize("parser,rel", [
    (vivado.parse_utilization, "vivado/timing_2020.2_one_clock.rpt"),
    (vivado.parse_timing_summary, "vivado/util_2016.2_artix7_placed.rpt"),
    (vivado.parse_power, "vivado/util_2016.2_artix7_placed.rpt"),
    (vivado.parse_utilization_hierarchical, "vivado/util_2016.2_artix7_placed.rpt"),
    (quartus.parse_fit, "quartus/pow_19.1_max10.pow.summary"),
    (quartus.parse_sta, "quartus/fit_16.0_arria10.fit.summary"),
    (quartus.parse_power, "quartus/fit_16.0_arria10.fit.summary"),
    (hls.parse_csynth_rpt, "vivado/util_2016.2_artix7_placed.rpt"),
    (hls.parse_csynth_xml, "hls/csynth_2018.3_vivado_hls.rpt"),
])
def test_report_of_another_kind_is_refused(parser, rel):
    with pytest.raises(ReportError):
        parser(read(rel))


@pytest.mark.parametrize("parser,rel,cut", [
    (vivado.parse_utilization, "vivado/util_2016.2_artix7_placed.rpt", "1. Slice Logic\n---"),
    (vivado.parse_timing_summary, "vivado/timing_2020.2_one_clock.rpt", "    WNS(ns)"),
    (vivado.parse_power, "vivado/power_2017.2_no_budget.rpt", "| Total On-Chip"),
    (vivado.parse_utilization_hierarchical, "vivado/util_hier_2018.2_virtex7.rpt", "| fpga "),
    (quartus.parse_fit, "quartus/fit_16.0_arria10.fit.summary", "Logic utilization"),
    (quartus.parse_power, "quartus/pow_19.1_max10.pow.summary", "Total Thermal"),
    (hls.parse_csynth_rpt, "hls/csynth_2018.3_vivado_hls.rpt", "== Performance Estimates"),
    (hls.parse_csynth_xml, "hls/csynth_2020.2.xml", "<AreaEstimates>"),
])
def test_truncated_reports_raise(parser, rel, cut):
    text = read(rel)
    with pytest.raises(ReportError):
        parser(text[: text.index(cut)])


def test_failed_fit_raises():
    text = read("quartus/fit_16.0_arria10.fit.summary").replace(
        "Fitter Status : Successful", "Fitter Status : Failed")
    with pytest.raises(ReportError, match="fitter failed"):
        quartus.parse_fit(text)
