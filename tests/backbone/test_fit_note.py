"""A synthesis-only build that uses more of a resource than the device has passes (Yosys does
not fail on it) and says so: a summary note naming each resource over 100 %, shown by
`fpgaflow build` and `fpgaflow show`."""

from __future__ import annotations

import json

from fpgaflow import summary

# the MVAU with 8-bit weights and activations: PE * SIMD products that Yosys maps to
# MULT18X18D, synthesis only, on the OrangeCrab's LFE5U-25F (28 of them)
RECIPE = """\
name: {name}
core: fpgaflow:nn:mvau
board: orangecrab-25f
flow: open
stages: [synth]
clocks: {{clk: 50 MHz}}
parameters: {{MW: 32, MH: 8, PE: {pe}, SIMD: 8, WBITS: 8, ABITS: 8, ATYPE: 1, XNOR: 0, ACT: 1}}
options: {{out_of_context: true}}
"""


def flat(text: str) -> str:
    """Console text with the panel's borders and line wrapping taken out."""
    return " ".join(text.replace("│", " ").split())


def build(tmp_path, run_cli, name: str, pe: int) -> tuple[dict, str]:
    recipe = tmp_path / f"{name}.yaml"
    recipe.write_text(RECIPE.format(name=name, pe=pe))
    r = run_cli("build", recipe, "--out", tmp_path / "b")
    assert r.exit_code == 0, r.stdout + r.stderr
    (path,) = (tmp_path / "b").glob(f"{name}-*/summary.json")
    return json.loads(path.read_text()), r.stdout


def test_an_over_full_synthesis_passes_and_says_it_does_not_fit(tmp_path, run_cli):
    s, out = build(tmp_path, run_cli, "overfull", pe=8)              # 64 products
    dsp = s["resources"]["dsp"]
    assert dsp["available"] == 28 and dsp["used"] > 28 and dsp["stage"] == "synth"
    assert s["status"] == "passed"                                   # the status is unchanged
    note = (f"does not fit: dsp {dsp['used']} of 28 ({100 * dsp['used'] / 28:.0f}%); "
            "place-and-route would fail")
    assert [n for n in s["notes"] if "fit" in n] == [note]
    assert note in flat(out)                             # the build's panel
    shown = run_cli("show", next((tmp_path / "b").glob("overfull-*")))
    assert shown.exit_code == 0 and note in flat(shown.stdout)


def test_a_fitting_synthesis_has_no_such_note(tmp_path, run_cli):
    s, out = build(tmp_path, run_cli, "fits", pe=1)                  # 8 products
    assert 0 < s["resources"]["dsp"]["used"] <= 28 and s["status"] == "passed"
    assert not any("fit" in n for n in s.get("notes", [])) and "does not fit" not in out


def test_fit_note_names_each_resource_over_100_percent():
    s = {"resources": {"lut": {"used": 24288, "available": 24288},          # full, not over
                       "dsp": {"used": 456, "available": 156},
                       "bram": {"used": 56.5, "available": 56},
                       "io": {"used": 5}},                                   # no capacity known
         "stages": [{"name": "synth", "status": "passed"}]}
    assert summary.fit_note(s) == ("does not fit: dsp 456 of 156 (292%), bram 56.5 of 56 (100.9%);"
                                   " place-and-route would fail")
    s["stages"].append({"name": "pnr", "status": "failed"})          # it ran: nothing to predict
    assert summary.fit_note(s) == "does not fit: dsp 456 of 156 (292%), bram 56.5 of 56 (100.9%)"
    s["resources"] = {"lut": {"used": 24288, "available": 24288}}
    assert summary.fit_note(s) is None and summary.fit_note({}) is None
