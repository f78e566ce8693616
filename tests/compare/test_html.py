"""The compare page: self-contained HTML, checked statically and in headless Chromium."""

from __future__ import annotations

import shutil
import struct
from html.parser import HTMLParser

import pytest

from fpgaflow import compare, html_report

CHROMIUM = "/usr/bin/chromium"   # Debian's chromium package
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]


class _Refs(HTMLParser):
    """Every URL-ish attribute and every tag name in a page."""

    def __init__(self):
        super().__init__()
        self.refs, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.refs += [v for k, v in attrs if k in ("src", "href", "xlink:href", "srcset", "action") and v]


def _external(ref: str) -> bool:
    return not ref.startswith(("#", "data:"))


@pytest.fixture
def page_html(summaries):
    return html_report.render(summaries)


def test_page_is_self_contained(page_html):
    refs = _Refs()
    refs.feed(page_html)
    assert [r for r in refs.refs if _external(r)] == []
    assert "script" not in refs.tags and "link" not in refs.tags and "img" not in refs.tags
    assert "@import" not in page_html and "url(http" not in page_html
    assert refs.tags.count("svg") == 2
    assert "<!DOCTYPE html>" in page_html and "<?xml" not in page_html


def test_page_escapes_names():
    s = {"schema": "fpgaflow.summary/1", "status": "passed", "name": "<script>alert(1)</script>",
         "device": {"part": "a&b"}}
    text = html_report.render([s])
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "a&amp;b" in text


def test_charts_are_left_out_with_a_note_when_there_is_no_data(summaries):
    estimate_only = [summaries[4]]
    text = html_report.render(estimate_only)
    assert 'data-chart="utilization"' in text
    assert 'data-chart="fmax"' not in text
    assert "No clock in these summaries has an Fmax" in text


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM), "install Debian's chromium: apt-get install -y chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_page_in_headless_chromium(browser, summaries, run_cli, paths, tmp_path):
    out = tmp_path / "compare.html"
    r = run_cli("compare", *paths, "--html", out)
    assert r.exit_code == 0, r.output

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def no_network(route):
        if not route.request.url.startswith(("file:", "data:")):
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", no_network)
    page.goto(out.as_uri(), wait_until="load")

    assert errors == []
    assert outside == []
    assert page.title() == "fpgaflow compare"

    # the table: one column per run, one row per metric, the legend
    rows = compare.table(summaries)
    assert page.locator("#compare thead th").count() == len(summaries) + 1
    assert page.locator("#compare tbody tr[data-metric]").count() == len(rows)
    lut = page.locator('#compare tr[data-metric="lut.used"] td')
    assert lut.all_inner_texts() == ["Logic (LUT/ALM) used"] + compare.table(summaries)[
        [r.metric for r in rows].index("lut.used")].cells
    assert page.locator('#compare tr[data-metric="clk.fmax_mhz"] td.bad').all_inner_texts() == ["75.9 MHz ✗"]
    assert page.locator("#compare thead .badge").all_inner_texts() == ["estimate"]
    assert "% of device and memory bits are what compare fairly" in page.locator("#legend").inner_text()

    # the charts: two inline SVGs, visible, with bars and their labels
    charts = page.locator("svg.chart")
    assert charts.count() == 2
    assert [charts.nth(i).get_attribute("data-chart") for i in range(2)] == ["utilization", "fmax"]
    for i in range(2):
        box = charts.nth(i).bounding_box()
        assert box["width"] > 300 and box["height"] > 150
        assert charts.nth(i).is_visible()
    util = charts.nth(0)
    pct_values = sum(1 for r in rows if r.metric.endswith(".pct") for v in r.values if v is not None)
    assert util.locator("g[id^=patch]").count() >= pct_values
    assert "% of device" in util.inner_html()
    fmax = charts.nth(1)
    fmax_values = sum(1 for r in rows if r.metric.endswith(".fmax_mhz") for v in r.values if v is not None)
    assert fmax.locator("g[id^=patch]").count() >= fmax_values
    assert "target" in fmax.inner_html() and "clk_pix" in fmax.inner_html()

    shot = tmp_path / "compare.png"
    page.screenshot(path=str(shot), full_page=True)
    width, height = _png_size(shot)
    assert width == 1400 and height > 1500         # table and both charts on one long page
    assert shot.stat().st_size > 50_000
    page.close()


def test_missing_matplotlib_is_a_clean_error(summaries, monkeypatch, run_cli, paths, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)    # makes `import matplotlib` fail
    r = run_cli("compare", *paths[:2], "--html", tmp_path / "x.html")
    assert r.exit_code == 2
    assert "the HTML report needs matplotlib" in r.stderr and "pip install matplotlib" in r.stderr


def test_extra_sections_render_inside_the_body_and_plain_text_is_escaped(summaries):
    from markupsafe import Markup

    text = html_report.render(summaries[:1], extra_sections=[
        html_report.Section("Mine", Markup("<p class='x'>kept</p>"), id="mine"),
        ("Plain <i>", "<script>no</script>")])
    body = text[text.index("<body>"):text.index("</body>")]
    assert '<section class="extra" id="mine">' in body and "<p class='x'>kept</p>" in body
    assert "Plain &lt;i&gt;" in body and "&lt;script&gt;no&lt;/script&gt;" in body
    assert "<script>" not in text
