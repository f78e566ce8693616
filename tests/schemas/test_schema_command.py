"""`fpgaflow schema KIND` prints a JSON Schema that a JSON-Schema validator (what
yaml-language-server runs in the editor) accepts, that every shipped file satisfies, and
that flags the mistakes the loader refuses."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml


def schema(run_cli, kind):
    r = run_cli("schema", kind)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(data)
    return jsonschema.Draft202012Validator(data)


@pytest.mark.parametrize("kind, pattern", [("recipe", "recipes/*.yaml"),
                                           ("sweep", "recipes/sweeps/*.yaml"),
                                           ("board", "boards/*.yaml")])
def test_every_shipped_file_satisfies_its_schema(run_cli, repo, kind, pattern):
    v = schema(run_cli, kind)
    files = sorted(repo.glob(pattern))
    assert files
    for f in files:
        errors = [e.message for e in v.iter_errors(yaml.safe_load(f.read_text()))]
        assert not errors, (f, errors)


def test_devices_and_summaries_satisfy_their_schemas(run_cli, repo, summaries_dir):
    v = schema(run_cli, "device")
    for key, entry in yaml.safe_load((repo / "fpgaflow" / "devices.yaml").read_text()).items():
        assert not list(v.iter_errors(entry)), key
    v = schema(run_cli, "summary")
    for f in summaries_dir.glob("*.json"):
        assert not [e.message for e in v.iter_errors(json.loads(f.read_text()))], f


@pytest.mark.parametrize("edit, where", [
    ({"colour": "blue"}, "colour"),                                  # unknown key
    ({"options": {"timeout_s": "long"}}, "timeout_s"),               # option type
    ({"options": {"quartus_editon": "pro"}}, "quartus_editon"),      # misspelt option
    ({"name": "x\n"}, "name"),                                       # pattern, trailing newline
    ({"clocks": {"clk]": "100 MHz"}}, "clk]"),                       # clock port pattern
    ({"stages": ["route"]}, "route"),                                # stage enum
    ({"core": None}, "core"),
])
def test_the_recipe_schema_flags_what_the_loader_refuses(run_cli, edit, where):
    v = schema(run_cli, "recipe")
    recipe = {"core": "fpgaflow:demo:blinky", "board": "ulx3s", **edit}
    errors = list(v.iter_errors(recipe))
    assert errors and any(where in (e.message + str(list(e.path))) for e in errors), errors


def test_schema_output_file_and_editor_line(run_cli, tmp_path, repo):
    out = tmp_path / "recipe.schema.json"
    r = run_cli("schema", "recipe", "-o", out)
    assert r.exit_code == 0 and json.loads(out.read_text())["title"] == "RecipeFile"
    readme = (repo / "README.md").read_text()
    assert "# yaml-language-server: $schema=" in readme and "fpgaflow schema recipe" in readme
    r = run_cli("schema", "plan")
    assert r.exit_code == 2


def test_options_are_checked_against_the_chosen_flows_model(run_cli, tmp_path):
    """Through the hook (schemas.recipe.flow_options_model -> flows.options_model): a recipe
    for the open flow may only use its options (Vitis HLS' hls_cosim is not one)."""
    from fpgaflow.schemas import recipe as schema
    assert "hls_cosim" not in schema.flow_options_model("open").model_fields
    assert "seed" in schema.flow_options_model("open").model_fields
    p = tmp_path / "r.yaml"
    p.write_text("core: fpgaflow:demo:blinky\nboard: ulx3s\nflow: open\n"
                 "options: {seed: 2, hls_cosim: true}\n")
    r = run_cli("build", p, "--dry-run", "--out", tmp_path / "b")
    assert r.exit_code == 2 and f"{p}:4: options.hls_cosim: unknown key" in r.stderr, r.output
    p.write_text("core: fpgaflow:demo:blinky\nboard: ulx3s\nflow: open\noptions: {seed: 2}\n")
    r = run_cli("build", p, "--dry-run", "--out", tmp_path / "b")
    assert r.exit_code == 0, r.output
