"""The flow registry: flows declare themselves, and doctor/recipe/boards/build ask it."""

from __future__ import annotations

import ast
import json
import textwrap
from pathlib import Path

import pytest

from fpgaflow import flows, toolchain
from fpgaflow.boards import all_boards, devices
from fpgaflow.flows import registry

PACKAGE = Path(flows.__file__).resolve().parents[1]


def test_every_flow_module_declares_itself():
    reg = registry()
    keys = {f.key for f in reg.flows}
    assert {"vivado", "quartus", "open", "estimate", "gowin", "nexus", "machxo2",
            "gatemate"} <= keys
    for f in reg.flows:
        assert f.kind in flows.KIND_ORDER and f.summary and f.tools
        assert set(f.default_stages) <= set(f.stages)
        for stage, needs in f.stages.items():       # the graph only names its own stages
            assert set(needs) <= set(f.stages), (f.key, stage)
        assert f.options.model_config.get("extra") == "forbid"
        for name, field in f.options.model_fields.items():
            assert field.description, (f.key, name)          # help text for every option
        for kind in f.report_kinds:
            from fpgaflow import reports
            assert kind in reports.KINDS, (f.key, kind)


def test_each_device_is_served_by_its_family_module():
    reg = registry()
    want = {"ecp5": "open", "ice40": "open", "gowin": "gowin", "nexus": "nexus",
            "machxo2": "machxo2", "gatemate": "gatemate"}
    for dev in devices().values():
        served = reg.for_device(dev)
        assert served, dev.key
        opens = [f.key for f in served if f.kind == "open"]
        assert opens == ([want[dev.family]] if dev.family in want else []), dev.key
        assert dev.flows() == list(dict.fromkeys(f.name for f in served))


def test_tools_are_declared_once_with_a_way_to_install_them():
    tools = registry().tools()
    for name in ("yosys", "nextpnr-ecp5", "nextpnr-himbaechel-gowin", "gowin_pack",
                 "nextpnr-nexus", "prjoxide", "nextpnr-machxo2", "xo2pack",
                 "nextpnr-himbaechel-gatemate", "gmpack", "iverilog", "vivado", "quartus_sh"):
        assert name in tools, name
        assert tools[name].install_hint
    assert toolchain.spec("yosys").accepts_native("0.40") and \
        not toolchain.spec("yosys").accepts_native("0.23")       # Debian's is too old


def test_doctor_lists_every_declared_tool_with_its_flows(run_cli):
    result = run_cli("doctor", "--json")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)["tools"]}
    assert set(rows) == set(registry().tools())
    assert rows["gmpack"]["flows"] == ["gatemate"] and rows["gmpack"]["found"]
    assert "estimate" in rows["yosys"]["flows"] and "gowin" in rows["yosys"]["flows"]
    assert rows["vivado"]["found"] is False and rows["vivado"]["hint"]


def test_doctor_options_lists_each_flows_schema(run_cli):
    result = run_cli("doctor", "--options")
    assert result.exit_code == 0
    assert "quartus_edition" in result.stdout and "nextpnr" in result.stdout


RECIPE = """\
name: demo
core: fpgaflow:demo:blinky
board: {board}
flow: {flow}
clocks: {{clk: 100 MHz}}
parameters: {{WIDTH: 8}}
options:
  seed: 3
  {option}
"""


def _recipe(tmp_path, board, flow, option):
    p = tmp_path / "r.yaml"
    p.write_text(RECIPE.format(board=board, flow=flow, option=option))
    return p


@pytest.mark.parametrize("board, flow, option, words", [
    ("ulx3s", "open", "quartus_edition: lite", "unknown key\n  hint: the open flow's options: "),
    ("tangnano9k", "auto", "hls_cosim: true", "no flow for gowin"),
    ("ulx3s", "auto", "timeout_s: true", "expected a number"),
    ("zcu104", "vivado", "yosys: [-nodsp]", "unknown key\n  hint: the vivado flow's options: "),
    ("de10-nano", "quartus", "quartus_edition: ultra", "expected one of 'lite', 'standard', 'pro'"),
])
def test_options_are_checked_against_the_flows_schema(tmp_path, run_cli, board, flow, option,
                                                      words):
    path = _recipe(tmp_path, board, flow, option)
    result = run_cli("build", path, "--dry-run", "--out", tmp_path / "b")
    assert result.exit_code == 2, result.output
    key = option.split(":")[0]
    assert f"{path}:9: options.{key}: " in result.stderr, result.stderr
    assert words in result.stderr
    if "options: " in words:        # the hint lists the options the flow does have
        assert "seed" in result.stderr and "timeout_s" in result.stderr


def test_an_option_of_a_flow_auto_did_not_choose_is_noted_not_used(tmp_path, run_cli):
    path = _recipe(tmp_path, "de10-nano", "auto", "quartus_edition: lite")
    result = run_cli("build", path, "--dry-run", "--json", "--out", tmp_path / "b")
    assert result.exit_code == 0, result.output
    plan = json.loads(next((tmp_path / "b").glob("demo-*/plan.json")).read_text())
    assert plan["flow"] == "estimate" and plan["options"] == {"seed": 3}
    assert any("quartus_edition: not for the estimate flow" in n for n in plan["notes"])


def test_valid_options_plan_and_reach_the_tools(tmp_path, run_cli):
    path = _recipe(tmp_path, "tangnano9k", "open", "nextpnr: [--placer, heap]")
    result = run_cli("build", path, "--dry-run", "--out", tmp_path / "b")
    assert result.exit_code == 0, result.output
    plan = json.loads(next((tmp_path / "b").glob("demo-*/plan.json")).read_text())
    pnr = next(s for s in plan["stages"] if s["name"] == "pnr")
    assert pnr["commands"][0][-2:] == ["--placer", "heap"] and "--seed" in pnr["commands"][0]
    # blinky has no CST of its own: no bitstream unless asked for, as on ECP5/iCE40
    assert [(s["name"], s["needs"]) for s in plan["stages"]] == \
        [("synth", []), ("constraints", ["synth"]), ("pnr", ["synth", "constraints"])]


def _environ_mutations(tree: ast.AST) -> list[int]:
    """Lines that change the process environment (os.environ[...] = / del / .pop / .update
    / .setdefault / .clear, os.putenv, os.unsetenv)."""
    lines = []
    for node in ast.walk(tree):
        def is_environ(n):
            return isinstance(n, ast.Attribute) and n.attr == "environ"
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if hasattr(node, "targets") else [node.target]
            if any(isinstance(t, ast.Subscript) and is_environ(t.value) for t in targets):
                lines.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            f = node.func
            if is_environ(f.value) and f.attr in ("pop", "update", "setdefault", "clear",
                                                  "popitem"):
                lines.append(node.lineno)
            if f.attr in ("putenv", "unsetenv"):
                lines.append(node.lineno)
    return lines


def test_the_checker_finds_environment_mutation():
    code = textwrap.dedent("""
        import os
        os.environ["PATH"] = "x"
        os.environ.pop("A", None)
        env = dict(os.environ); env["B"] = "1"
    """)
    assert _environ_mutations(ast.parse(code)) == [3, 4]


def test_no_module_mutates_the_process_environment():
    """No module of the package, none excepted: core roots, PATH and the like are passed as
    data (arguments, a subprocess's env), never set in ``os.environ``."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = str(path.relative_to(PACKAGE))
        lines = _environ_mutations(ast.parse(path.read_text()))
        if lines:
            found[rel] = lines
    assert found == {}


def test_report_kinds_are_one_registry_of_parser_and_rule():
    from fpgaflow import reports
    assert set(reports.KINDS) == set(reports.REGISTRY)
    rules = [n for n, _ in reports._RULES]
    assert rules == [k.name for k in reports.REGISTRY.values() if k.rule is not None]
    # a registered kind is detected and parsed without touching two lists
    import re
    kind = reports.Kind("test_nextpnr_copy", "nextpnr", "parse_log",
                        re.compile(r"^# fpgaflow test report", re.M))
    try:
        reports.register(kind)
        assert reports.detect("# fpgaflow test report\n") == "test_nextpnr_copy"
        text = "Info: Max frequency for clock 'clk': 12.50 MHz\n"
        assert reports.detect(text) == "nextpnr_log"     # earlier rules still come first
        parsed = reports.parse_text(text, "test_nextpnr_copy")
        assert parsed["timing"]["clocks"][0]["fmax_mhz"] == 12.5
    finally:
        reports.REGISTRY.pop(kind.name)
        reports.KINDS.pop(kind.name)
        reports._RULES[:] = [(n, r) for n, r in reports._RULES if n != kind.name]
