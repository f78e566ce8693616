"""compare.table and its JSON/CSV forms over summaries of four vendors' flows and an estimate."""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest

from fpgaflow import compare


def _rows(summaries):
    return {row.metric: row for row in compare.table(summaries)}


def test_one_column_per_run(summaries):
    rows = compare.table(summaries)
    assert all(len(r.values) == len(summaries) == len(r.cells) for r in rows)
    runs = compare.runs(summaries)
    assert [r.label for r in runs] == [
        "LFE5U-85F-6BG381C · open · blinky_ulx3s", "iCE40UP5K-SG48 · open", "xc7z020clg400-1 · vivado",
        "5CSEBA6U23I7 · quartus", "xczu7ev-ffvc1156-2-e · estimate", "LFE5U-85F-6BG381C · open · mvau_ulx3s"]
    assert runs[0].tools == "yosys 0.50, nextpnr-ecp5 0.8"
    assert [r.estimate for r in runs] == [False, False, False, False, True, False]


def test_resources_keep_native_units_and_percent(summaries):
    rows = _rows(summaries)
    assert rows["lut.used"].values == [1820, 1934, 1105, 812, 38210, 41210]
    assert rows["lut.used"].cells[:4] == ["1,820 LUT4", "1,934 LUT4", "1,105 LUT6", "812 ALM"]
    assert rows["lut.pct"].values[1] == pytest.approx(100 * 1934 / 5280)
    assert rows["lut.pct"].cells[1] == "36.6 %"
    assert rows["dsp.used"].cells[:4] == ["4 MULT18X18D", "4 SB_MAC16", "4 DSP48E1", "2 DSP"]
    assert rows["bram.bits"].values[:4] == [110592] * 4
    assert rows["memory.bits"].values[2] == 110592 + 1536     # BRAM + LUT RAM bits on the Zynq
    assert rows["bram.available"].cells[3] == "557 M10K"


def test_absent_stays_absent(summaries):
    rows = _rows(summaries)
    assert rows["power.total_w"].values == [None, None, 1.417, 0.41941, None, None]
    assert rows["power.total_w"].cells == ["—", "—", "1.417 W", "0.419 W", "—", "—"]
    assert rows["power.dynamic_w"].cells[3] == "0 W"          # a reported zero is a zero
    assert rows["lutram.used"].cells == ["—", "—", "24 LUTRAM", "—", "—", "—"]
    assert rows["timing.met"].cells[4] == "—"                # the estimate has no timing


def test_estimates_are_marked(summaries):
    rows = _rows(summaries)
    assert rows["lut.used"].cells[4] == "≈ 38,210 LUT6"
    assert rows["lut.pct"].cells[4] == "≈ 16.6 %"
    assert rows["flow"].cells[4] == "estimate"
    assert "≈" not in "".join(rows["lut.used"].cells[:4])
    assert "estimate" in compare.LEGEND


def test_timing_per_clock_against_target(summaries):
    rows = _rows(summaries)
    assert rows["clk.fmax_mhz"].values == [57.9, 24.3, 169.8, 147.6, None, 75.9]
    assert rows["clk.target_mhz"].values == [25.0, 12.0, 125.0, 50.0, None, 100.0]
    assert rows["clk.fmax_mhz"].cells[0] == "57.9 MHz ✓"
    assert rows["clk.fmax_mhz"].cells[5] == "75.9 MHz ✗"
    assert rows["clk_pix.fmax_mhz"].values == [None, 31.7, None, None, None, None]
    assert rows["timing.met"].cells[5] == "NO"
    assert rows["timing.wns_ns"].values[5] == -3.18


def test_hls_sim_and_stage_rows(summaries):
    rows = _rows(summaries)
    assert rows["hls.latency_cycles"].cells[4] == "512–530 cycles"
    assert rows["sim.cycles_per_item"].values[4] == 512
    assert rows["stages.pnr.seconds"].cells == ["11.8 s", "6.1 s", "142.5 s", "97.3 s", "—", "120.2 s"]
    assert rows["stages.csim.seconds"].values == [None, None, None, None, 3.1, None]


def test_rows_only_for_metrics_someone_has(summaries):
    metrics = [r.metric for r in compare.table(summaries[:2])]
    assert "power.total_w" not in metrics and "hls.interval" not in metrics and "uram.used" not in metrics
    sections = []
    for r in compare.table(summaries):
        if not sections or sections[-1] != r.section:
            sections.append(r.section)
    assert sections == ["run", "resources", "memory", "timing", "power", "hls", "sim", "stages"]


def test_a_minimal_summary_is_accepted():
    minimal = {"schema": "fpgaflow.summary/1", "status": "failed"}
    rows = _rows([minimal])
    assert rows["status"].values == ["failed"]
    assert rows["device.part"].values == ["unknown part"]
    assert "lut.used" not in rows


def test_labels_stay_unique(summaries):
    twice = [summaries[0], copy.deepcopy(summaries[0])]
    assert [r.label for r in compare.runs(twice)] == [
        "LFE5U-85F-6BG381C · open · blinky_ulx3s #1", "LFE5U-85F-6BG381C · open · blinky_ulx3s #2"]


def test_json_form(summaries):
    data = json.loads(json.dumps(compare.to_json(summaries)))
    assert data["schema"] == "fpgaflow.compare/1"
    assert "% of device and memory bits" in data["legend"]
    assert "LUT4" in data["legend"] and "LUT6" in data["legend"] and "ALM" in data["legend"]
    assert [r["part"] for r in data["runs"]][:4] == ["LFE5U-85F-6BG381C", "iCE40UP5K-SG48",
                                                      "xc7z020clg400-1", "5CSEBA6U23I7"]
    lut = next(r for r in data["rows"] if r["metric"] == "lut.used")
    assert lut["values"] == [1820, 1934, 1105, 812, 38210, 41210]
    power = next(r for r in data["rows"] if r["metric"] == "power.total_w")
    assert power["values"][0] is None


def test_csv_form(summaries):
    rows = list(csv.reader(io.StringIO(compare.to_csv(summaries))))
    assert rows[0][:3] == ["section", "metric", "label"]
    assert rows[0][3:] == [r.label for r in compare.runs(summaries)]
    by_metric = {r[1]: r for r in rows[1:]}
    assert by_metric["lut.used"][3:] == ["1820", "1934", "1105", "812", "38210", "41210"]
    assert by_metric["power.total_w"][3:] == ["", "", "1.417", "0.4194", "", ""]
    assert by_metric["timing.met"][3:] == ["true", "true", "true", "true", "", "false"]
    assert float(by_metric["lut.pct"][4]) == pytest.approx(36.6288, abs=1e-4)
    assert all(len(r) == 3 + len(summaries) for r in rows)
