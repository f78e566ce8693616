"""Issue 16, the recipe / summary / gate / sweep items: each bad input is exit 2 with the
file, line and key (or a verdict that is right), never a traceback, a hang or a blow-up."""

from __future__ import annotations

import json
import os
import stat
import time

import pytest

GOOD = """\
name: demo
core: fpgaflow:demo:blinky
board: ulx3s
clocks: {clk: 25 MHz}
parameters: {WIDTH: 8}
"""


def recipe(tmp_path, text, name="r.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def dry(run_cli, tmp_path, text):
    p = recipe(tmp_path, text)
    r = run_cli("build", p, "--dry-run", "--out", tmp_path / "b")
    assert "Traceback" not in r.output
    return p, r


@pytest.mark.parametrize("edit, key, words", [
    # bool passes `isinstance(x, int)`: `timeout_s: true` was a 1-second timeout
    (GOOD + "options: {timeout_s: true}\n", "options.timeout_s", "expected a number, got True"),
    (GOOD + "options: {timeout_s: -1}\n", "options.timeout_s", "expected a number > 0"),
    (GOOD + "options: {timeout_s: .nan}\n", "options.timeout_s", "finite"),
    (GOOD + "options: {yosys: [-abc9, 3]}\n", "options.yosys[1]", "expected a string, got int 3"),
    (GOOD + "options: {nextpnr: [{a: 1}]}\n", "options.nextpnr[0]", "expected a string"),
    (GOOD + "options: {yosys: ['-top x; exec rm -rf /']}\n", "options.yosys[0]", "without ;"),
    (GOOD + "options: {quartus_edition: free}\n", "options.quartus_edition", "expected one of"),
    (GOOD.replace("name: demo", 'name: "demo\\n"'), "name", "expected letters, digits"),
    (GOOD.replace("name: demo", "name: " + "d" * 251), "name", "too long"),
    (GOOD.replace("{clk: 25 MHz}", '{"clk]\\nexec touch x\\n#": 25 MHz}'), "clocks",
     "an HDL identifier"),
    (GOOD.replace("{clk: 25 MHz}", '{"clk\\n": 25 MHz}'), "clocks", "an HDL identifier"),
    (GOOD.replace("{clk: 25 MHz}", "{clk: 1e400 MHz}"), "clocks.clk", "expected a frequency"),
    (GOOD.replace("{WIDTH: 8}", "{WIDTH: .inf}"), "parameters.WIDTH", "finite"),
    (GOOD.replace("{WIDTH: 8}", '{WIDTH: "8\\" ; x"}'), "parameters.WIDTH", "a string of letters"),
    (GOOD.replace("{WIDTH: 8}", '{WIDTH: "8"}'), "parameters.WIDTH", "declares WIDTH as int"),
    (GOOD + "stages: []\n", "stages", "at least 1"),
    (GOOD + "gates: {lut.pct: '<= fourty'}\n", "gates.lut.pct", "expected a number"),
    (GOOD + "gates: {lut.colour: '<= 4'}\n", "gates.lut.colour", "resource lut has"),
    (GOOD + "gates: ['lut.pct <']\n", "gates[0]", "expected a value"),
])
def test_bad_recipe_values_are_exit_2_at_their_key(run_cli, tmp_path, edit, key, words):
    p, r = dry(run_cli, tmp_path, edit)
    assert r.exit_code == 2, r.output
    assert f"{p}:" in r.stderr and f": {key}" in r.stderr, r.stderr
    assert len(r.stderr.splitlines()) <= 2, r.stderr     # the message, maybe a hint
    assert words in r.stderr, r.stderr


def test_yaml_alias_bomb_is_refused_at_once_with_a_short_message(run_cli, tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 9) + "]")
    start = time.monotonic()
    p, r = dry(run_cli, tmp_path, GOOD + "\n".join(lines) + "\n")
    assert r.exit_code == 2 and "aliases are expanded" in r.stderr
    assert time.monotonic() - start < 5 and len(r.stderr) < 400


def test_a_big_aliased_value_in_a_message_is_shortened(run_cli, tmp_path):
    text = GOOD.replace("name: demo", "x: &x [" + ", ".join(["abcdefgh"] * 300) + "]\n"
                        "name: [*x, *x, *x, *x, *x, *x, *x, *x]")
    p, r = dry(run_cli, tmp_path, text)
    assert r.exit_code == 2 and len(r.stderr) < 600, r.stderr


@pytest.mark.parametrize("kind", ["devzero", "fifo", "dir", "huge"])
def test_recipe_that_is_not_a_small_regular_file(run_cli, tmp_path, kind):
    if kind == "devzero":
        path = "/dev/zero"
    elif kind == "fifo":
        path = tmp_path / "fifo.yaml"
        os.mkfifo(path)
    elif kind == "dir":
        path = tmp_path
    else:
        path = tmp_path / "huge.yaml"
        path.write_text("# " + "x" * (5 << 20) + "\n" + GOOD)
    start = time.monotonic()
    r = run_cli("build", path, "--dry-run", "--out", tmp_path / "b")
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert any(w in r.stderr for w in ("not a regular file", "a directory", "MB a")), r.stderr
    assert time.monotonic() - start < 5


def test_gate_summary_from_dev_zero_or_fifo(run_cli, tmp_path):
    os.mkfifo(tmp_path / "s.json")
    for path in ("/dev/zero", tmp_path / "s.json"):
        r = run_cli("gate", path, "--rule", "lut.used <= 1")
        assert r.exit_code == 2 and "not a regular file" in r.stderr, r.output


def test_tightened_recipe_gate_is_a_new_digest(tmp_path, repo):
    """The summary carries the recipe's gates: a cached summary with the old rules must not
    be served after the gate is tightened."""
    from fpgaflow import build, recipe as recipe_mod
    digests = []
    for limit in ("<= 40", "<= 4"):
        r = recipe_mod.load(recipe(tmp_path, GOOD + f"gates: {{lut.pct: '{limit}'}}\n"))
        plan = build.make_plan(r, r.board, out_root=tmp_path / "b", announce=lambda m: None,
                               dry_run=True)
        digests.append(plan.digest)
    assert digests[0] != digests[1]


@pytest.mark.parametrize("status, stage_status, words", [
    ("failed", "failed", "the build is failed: stage pnr failed (nextpnr-ecp5 exited 1)"),
    ("incomplete", "incomplete", "the build is incomplete: stage pnr incomplete"),
])
def test_gate_fails_a_failed_or_incomplete_build(run_cli, variant, status, stage_status, words):
    def edit(s):
        s.pop("gates")
        s["status"] = status
        s["stages"][1].update(status=stage_status, message="nextpnr-ecp5 exited 1"
                              if stage_status == "failed" else "no result in its reports")
    r = run_cli("gate", variant("ecp5_open", edit), "--rule", "lut.used <= 100000")
    assert r.exit_code == 1, r.output
    assert words in r.stdout


def test_gate_passes_timing_failed_resource_rules(run_cli, variant):
    """timing-failed is a complete build: its resources are real, its timing rules decide."""
    r = run_cli("gate", variant("timing_failed"), "--rule", "lut.used <= 100000")
    assert "the build is" not in r.stdout


def test_build_that_runs_nothing_is_not_passed(run_cli, tmp_path):
    p = recipe(tmp_path, GOOD + "stages: [hls]\nflow: open\n")
    r = run_cli("build", p, "--out", tmp_path / "b", "--json")
    assert r.exit_code == 1, r.output
    summary = json.loads(r.stdout) if r.stdout.strip().startswith("{") else None
    files = list((tmp_path / "b").glob("demo-*/summary.json"))
    assert len(files) == 1
    data = json.loads(files[0].read_text())
    assert data["status"] == "incomplete" and data["stages"] == []
    assert summary is None or summary.get("status") == "incomplete"


BAD_SUMMARIES = {
    "used is a string": lambda s: s["resources"]["lut"].update(used="1820"),
    "negative count": lambda s: s["resources"]["lut"].update(used=-5),
    "clocks not a list": lambda s: s["timing"].update(clocks="clk"),
    "clock without name": lambda s: s["timing"]["clocks"][0].pop("name"),
    "fmax a word": lambda s: s["timing"]["clocks"][0].update(fmax_mhz="fast"),
    "stages a number": lambda s: s.update(stages=5),
    "stage a string": lambda s: s.update(stages=["synth"]),
    "tools of numbers": lambda s: s.update(tools=[1, 2]),
    "device a string": lambda s: s.update(device="LFE5U"),
    "unknown resource": lambda s: s["resources"].update(luts={"used": 3}),
    "available a list": lambda s: s["resources"]["lut"].update(available=[1]),
    "met a string": lambda s: s["timing"].update(met="yes"),
    "gates a number": lambda s: s.update(gates=3),
    "unknown top key": lambda s: s.update(colour="blue"),
}


@pytest.mark.parametrize("command", ["gate", "compare", "show"])
@pytest.mark.parametrize("what", sorted(BAD_SUMMARIES))
def test_summary_of_wrong_types_is_exit_2_everywhere(run_cli, variant, command, what):
    path = variant("ecp5_open", BAD_SUMMARIES[what])
    r = run_cli(command, path)
    assert r.exit_code == 2, r.output
    assert f"{path}: " in r.stderr and "Traceback" not in r.output


def test_summary_with_nan_or_infinity_is_rejected_when_read(run_cli, tmp_path, summaries_dir):
    text = (summaries_dir / "ecp5_open.json").read_text().replace('"fmax_mhz": 57.9',
                                                                    '"fmax_mhz": Infinity')
    (tmp_path / "s.json").write_text(text)
    r = run_cli("gate", tmp_path / "s.json", "--rule", "fmax_mhz >= 1")
    assert r.exit_code == 2 and "Infinity is not a JSON number" in r.stderr


def test_summary_written_is_valid_json_without_infinity_and_world_readable(tmp_path, summaries_dir):
    from fpgaflow import summary
    data = json.loads((summaries_dir / "ecp5_open.json").read_text())
    data["timing"]["clocks"][0]["fmax_mhz"] = float("inf")      # nextpnr's "infinite" Fmax
    data["power"] = {"total_w": float("nan")}
    old = os.umask(0o022)
    try:
        path = summary.write(tmp_path / "summary.json", data)
    finally:
        os.umask(old)
    text = path.read_text()
    back = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in summary.json"))
    assert "fmax_mhz" not in back["timing"]["clocks"][0] and back["power"] == {}
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_summary_write_refuses_wrong_types(tmp_path, summaries_dir):
    from fpgaflow import summary
    data = json.loads((summaries_dir / "ecp5_open.json").read_text())
    data["resources"]["lut"]["used"] = -1
    with pytest.raises(summary.SummaryError, match="resources.lut.used"):
        summary.write(tmp_path / "summary.json", data)
    assert not (tmp_path / "summary.json").exists()


def test_full_disk_is_exit_2_with_the_file(run_cli, summaries_dir, tmp_path, monkeypatch):
    import errno

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "replace", full)
    r = run_cli("gate", summaries_dir / "ecp5_open.json", "--baseline", tmp_path / "b.json",
                "--update-baseline")
    assert r.exit_code == 2 and "No space left on device" in r.stderr, r.output
    assert f"{tmp_path / 'b.json'}" in r.stderr and "Traceback" not in r.output


def test_bad_junit_path_and_out_under_a_file_are_exit_2(run_cli, summaries_dir, tmp_path):
    (tmp_path / "file").write_text("")
    junit = tmp_path / "file" / "junit.xml"
    r = run_cli("gate", summaries_dir / "ecp5_open.json", "--baseline", summaries_dir /
                "ecp5_open.json", "--junit", junit)
    assert r.exit_code == 2 and f"{junit}: cannot write" in r.stderr, r.output
    p = recipe(tmp_path, GOOD)
    r = run_cli("build", p, "--dry-run", "--out", tmp_path / "file" / "out")
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert "file" in r.stderr


@pytest.mark.parametrize("expr, words", [
    ("'x' * 10**12", "string result longer"),
    ("((2**64)**64)**64", "result too large"),
    ("9**9**9", "exponent too large"),
    ("1e308 * 10", "not a finite number"),
    ("(" * 300 + "1" + ")" * 300, "not a valid expression|nested too deeply"),
])
def test_sweep_derived_expressions_are_bounded(tmp_path, expr, words):
    from fpgaflow import sweep
    from fpgaflow.errors import FpgaflowError
    text = ("name: s\nbase: {core: fpgaflow:demo:blinky, board: ulx3s}\n"
            "matrix: {parameters.WIDTH: [4]}\n" + f"derived: {{LEDS: {json.dumps(expr)}}}\n")
    (tmp_path / "s.yaml").write_text(text)
    start = time.monotonic()
    with pytest.raises(FpgaflowError, match=words) as info:
        sweep.load(tmp_path / "s.yaml")
    assert time.monotonic() - start < 2
    assert info.value.key == "derived.LEDS" and info.value.line == 4
