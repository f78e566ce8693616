"""CLI tables on narrow terminals (names never cut) and Click 9 compatibility (issue 16)."""

import json

import click
import pytest

from fpgaflow import boards as boards_mod


@pytest.mark.parametrize("width", [80, 60])
def test_boards_table_never_cuts_board_or_part(run_cli, width):
    res = run_cli("boards", env={"COLUMNS": str(width)})
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert "…" not in res.stdout
    for b in boards_mod.all_boards().values():
        assert any(b.name in line and b.part in line for line in lines), b.name
    if width == 60:
        assert "not shown, to fit 60 columns" in res.stdout


def _fitted(run_cli, *args: str, width: int = 80) -> tuple[list[str], str]:
    """The lines of a command's table at ``width`` columns: none wider, no ellipsis."""
    res = run_cli(*args, env={"COLUMNS": str(width)})
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert "…" not in res.stdout
    return lines, res.stdout


def test_cores_table_never_cuts_a_vlnv(run_cli):
    data = json.loads(run_cli("cores", "--json").stdout)
    lines, _ = _fitted(run_cli, "cores")
    for core in data:
        assert any(core["name"] in line for line in lines), core["name"]
        for target in core["targets"]:    # what a recipe's target: takes: never dropped
            assert any(f" {target} " in line for line in lines), (core["name"], target)


def test_fitted_table_folds_a_name_wider_than_the_screen():
    from rich.console import Console

    from fpgaflow.render import NAME, TEXT, fitted_table
    console = Console(width=40, record=True)
    path = "/very/long/" + "x" * 60 + "/summary.json"
    table, dropped = fitted_table(console, [("path", NAME, None), ("note", TEXT, 1)],
                                  [[path, "a b c"]])
    console.print(table)
    text = console.export_text()
    assert dropped == ["note"] and "…" not in text
    assert "".join(line.strip("│ ┃") for line in text.splitlines()[3:-1]) == path


def test_commands_run_without_click_get_text_stream(run_cli, monkeypatch, summaries_dir):
    """Click 9 removes click.get_text_stream."""
    def removed(*a, **k):
        raise AttributeError("module 'click' has no attribute 'get_text_stream'")
    monkeypatch.setattr(click, "get_text_stream", removed)
    files = sorted(summaries_dir.glob("*.json"))[:2]
    res = run_cli("compare", *files)
    assert res.exit_code == 0, res.output
    res = run_cli("gate", summaries_dir / "timing_failed.json")
    assert res.exit_code == 1 and "Traceback" not in res.output


def test_doctor_table_never_cuts_a_tool_name_or_version(run_cli):
    # at 80 columns the old table showed `quartus_…`, `nextpnr-…`, `0.11.1.0…`
    data = json.loads(run_cli("doctor", "--json").stdout)
    lines, stdout = _fitted(run_cli, "doctor")
    for tool in data["tools"]:
        assert any(tool["name"] in line and tool.get("version", "") in line
                   for line in lines), tool["name"]
    assert "--json has everything" in stdout


def test_cores_table_keeps_long_target_names_of_public_cores(run_cli, tmp_path):
    # fusesoc/blinky-style: one target per board, long names; at 80 columns the target
    # column was the first to be dropped
    targets = ["spartan_edge_accelerator_board", "ice40-hx1k_icestick", "orangecrab_r0.2"]
    body = "\n".join(f"  {t}:\n    filesets: [rtl]\n    toplevel: blinky_{i}\n"
                     f"    parameters: [clk_freq_hz=50000000]"
                     for i, t in enumerate(targets))
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "b.v").write_text("module blinky_0; endmodule\n")
    (tmp_path / "lib" / "wide.core").write_text(
        "CAPI=2:\nname: some-vendor:utilities:a_rather_long_blinky_name:1.1.1\n"
        "filesets:\n  rtl:\n    files: [b.v]\n    file_type: verilogSource\n"
        "parameters:\n  clk_freq_hz:\n    datatype: int\n    default: 12000000\n"
        "    paramtype: vlogparam\n"
        f"targets:\n{body}\n")
    lines, _ = _fitted(run_cli, "cores", "--cores-root", str(tmp_path / "lib"))
    for t in targets:
        assert any(f" {t} " in line for line in lines), t
