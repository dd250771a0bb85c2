"""The review section (`planc build --actuals … --as-of …`) laid out by headless Chromium, at
desktop width and on a phone (390 CSS px), in English and Chinese, on the shipped example and
its shipped actuals: it renders, the page never scrolls sideways, the heat map's text has a
contrast of at least 4.5:1 in the colours as rendered, the markers where the season says a
target should be are on screen, and the targets behind pace are listed with their owners.

Skipped, with the reason, when no Chromium is installed (test_report_browser.py finds it; the
frame for a phone width as in test_report_phone.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_report_browser import CHROMIUM, measure_layout
from test_report_review import build, review_json

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="needs headless Chromium: apt-get install chromium"),
]

DESKTOP, PHONE = 1200, 390

PROBE = """
<script>
const R = e => e.getBoundingClientRect();
const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
const text = e => e.textContent.trim();
const ground = e => {  // the colour behind an element: the first ancestor with an opaque background
  for (let n = e; n; n = n.parentElement) {
    const bg = getComputedStyle(n).backgroundColor;
    if (bg && !/rgba\\(.*, 0\\)$/.test(bg) && bg !== 'transparent') return bg;
  }
  return 'rgb(255, 255, 255)';
};
const view = e => { const sc = e.closest('.scroll'); return sc ? R(sc) : R(document.documentElement); };
const inside = (box, v) => box.left >= v.left - 0.5 && box.right <= v.right + 0.5 && box.width > 0;
const section = document.querySelector('#review');
const heatText = [...document.querySelectorAll('table.heat td, table.heat th, #review .review-status, .review-owner-block .review-status')]
  .filter(shown).flatMap(cell => [cell, ...cell.querySelectorAll('*')])
  .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .map(e => ({ text: text(e), color: getComputedStyle(e).color, ground: ground(e),
               size: parseFloat(getComputedStyle(e).fontSize), bold: parseInt(getComputedStyle(e).fontWeight) >= 700 }));
const markers = [...document.querySelectorAll('#review .attain')].map(bar => {
  const mark = bar.querySelector('.attain-mark'), box = R(mark), b = R(bar);
  return { shown: shown(mark), width: box.width, height: box.height, barHeight: b.height,
           onScreen: inside(box, view(bar)), centre: (box.left + box.width / 2 - b.left) / b.width,
           season: parseFloat(mark.style.left) / 100, label: bar.getAttribute('aria-label') };
});
const behind = [...document.querySelectorAll('#review table.behind tbody tr')].map(tr => {
  const cells = [...tr.children];
  return { target: text(cells[0]), owner: text(cells[1]), ownerShown: shown(cells[1]) && inside(R(cells[1]), view(cells[1])),
           targetShown: inside(R(cells[0]), view(cells[0])) };
});
const blocks = [...document.querySelectorAll('.review-owner-block')].map(b => ({
  shown: shown(b), tables: b.querySelectorAll('table').length, width: R(b).width }));
const heat = [...document.querySelectorAll('#review table.heat')].map(t => ({
  width: R(t).width, room: R(t.closest('.scroll')).width }));
const result = { heat, title: section ? text(section.querySelector('h2')) : null,
  height: section ? R(section).height : 0, tables: section ? section.querySelectorAll('table').length : 0,
  heatText, markers, behind, blocks, pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth };
const out = window.parent !== window ? parent.document : document;
out.body.insertAdjacentHTML('beforeend', '<pre id="meas' + 'ured">' + JSON.stringify(result) + '</pre>');
</script>
"""


def measure(html_path: Path, width: int) -> dict:
    """The review probe's measurements of the report laid out `width` px wide."""
    return measure_layout(html_path, PROBE, width, "review-probe")

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    return {lang: build(tmp_path_factory.mktemp(f"review-browser-{lang}"), lang, "html,json") for lang in ("en", "zh")}


@pytest.fixture(scope="module", params=[f"{lang}-{width}" for lang in ("en", "zh") for width in (DESKTOP, PHONE)])
def page(request, built) -> dict:
    lang, width = request.param.split("-")
    measured = measure(built[lang] / "fy2027.html", int(width))
    measured.update(lang=lang, width=int(width), review=review_json(built[lang]))
    return measured


def _rgb(text: str) -> tuple[float, ...]:
    parts = [float(x) for x in re.findall(r"[\d.]+", text)]
    return tuple(parts[:3])


def contrast(fg: str, bg: str) -> float:
    def lum(rgb: tuple[float, ...]) -> float:
        lin = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((lum(_rgb(fg)), lum(_rgb(bg))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_contrast_of_the_colours_themselves():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(4.54, abs=0.01)


def test_review_section_renders(page):
    title = {"en": "Review as of 2027-03-31", "zh": "截至 2027-03-31 的执行回顾"}[page["lang"]]
    assert page["title"] == title
    assert page["height"] > 1500 and page["tables"] >= 8


def test_page_does_not_scroll_sideways(page):
    assert page["viewport"] == page["width"]
    assert page["pageWidth"] <= page["viewport"], page["pageWidth"]


def test_heat_map_and_status_text_contrast_as_rendered(page):
    texts = page["heatText"]
    heat_cells = [t for t in texts if "%" in t["text"]]
    assert len(heat_cells) >= 8  # four regions' Q1 cells: pace and attained · status
    low = [(t["text"], t["color"], t["ground"], round(contrast(t["color"], t["ground"]), 2)) for t in texts
           if contrast(t["color"], t["ground"]) < 4.5]
    assert not low, low


def test_season_markers_are_visible_where_the_season_says(page):
    markers = page["markers"]
    splits = page["review"]["targets"]
    assert len(markers) >= 15  # one per child of every split with actuals
    for m in markers:
        assert m["shown"] and m["onScreen"], m["label"]
        assert m["width"] >= 2 and m["height"] > m["barHeight"], m  # taller than the bar: seen across it
        assert m["centre"] == pytest.approx(min(m["season"], 1.0), abs=0.04), m
    seasons = {round(t["season"], 3) for t in splits if t["season"] is not None}
    assert {round(m["season"], 3) for m in markers} <= seasons | {1.0}


def test_behind_pace_lists_targets_with_their_owners(page):
    review = page["review"]
    owners = {t["path"]: t["owner"] for t in review["targets"]}
    rows = page["behind"]
    assert [r["target"] for r in rows] == review["behind"] and len(rows) >= 4
    for r in rows:
        assert r["owner"] == (owners[r["target"]] or "—")
        assert r["ownerShown"] and r["targetShown"], r


def test_owner_cards_show_their_review(page):
    blocks = page["blocks"]
    assert len(blocks) >= 10
    assert all(b["shown"] and b["tables"] == 2 for b in blocks if b["tables"] >= 1)
    assert all(b["width"] <= page["width"] for b in blocks)


def test_heat_map_fits_without_scrolling(page):
    """Four quarters of a region × quarter heat map fit a phone: pace, attainment and status of a
    cell wrap under each other, a cell not started says so in two short lines."""
    assert page["heat"] and all(h["width"] <= h["room"] + 0.5 for h in page["heat"]), page["heat"]
