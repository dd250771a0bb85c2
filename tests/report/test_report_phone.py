"""The HTML report on a phone (390 CSS px wide, an iPhone 12–15) in headless Chromium:
DOM checks of the laid-out page, not pixel screenshots.

Skipped, with the reason, when no Chromium is installed (see test_report_browser.py).
"""

from __future__ import annotations


import pytest

from report_helpers import EXAMPLE, GOLDEN, run_build
from test_report_browser import CHROMIUM, measure_layout

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="needs headless Chromium: apt-get install chromium"),
]

PHONE = 390

PROBE = """
<script>
const R = e => e.getBoundingClientRect();
const lines = e => { const r = e.getClientRects(); return new Set([...r].map(x => Math.round(x.top))).size; };
const text = e => e.textContent.trim();
const splitFirst = [...document.querySelectorAll('table.split tbody td:first-child')].filter(td => td.querySelector('.name')).map(td => {
  const n = td.querySelector('.name');
  return { name: text(n), width: R(td).width, nameWidth: R(n).width, lines: lines(n) };
});
const shown = e => e.getClientRects().length > 0;
const badges = [...document.querySelectorAll('td .badge')].filter(shown).map(b => {
  const td = b.closest('td'), box = R(b), cell = R(td), sc = b.closest('.scroll'), view = sc ? R(sc) : cell;
  return { text: text(b), table: b.closest('table').className, lines: lines(b),
           inside: box.left >= cell.left - 0.5 && box.right <= cell.right + 0.5,
           onScreen: box.left >= view.left - 0.5 && box.right <= view.right + 0.5,
           overflow: b.scrollWidth - b.clientWidth };
});
const openAmounts = [...document.querySelectorAll('table.open tbody td.num')].map(td => {
  const sc = td.closest('.scroll'), box = R(td), view = R(sc);
  return { text: text(td), right: box.right, viewRight: view.right, overflow: td.scrollWidth - td.clientWidth,
           tableWidth: R(td.closest('table')).width, viewWidth: view.width };
});
const probe = document.createElement('span');
probe.style.cssText = 'font-size: 20px; position: absolute; white-space: nowrap';
probe.textContent = '国国国国';
document.body.appendChild(probe);
const cjkFont = R(probe).width > 60;  // four full-width characters of a real CJK font: 80 px
probe.remove();
const result = { cjkFont, splitFirst, badges, openAmounts, pageWidth: document.documentElement.scrollWidth,
  viewport: window.innerWidth };
parent.document.body.insertAdjacentHTML('beforeend', '<pre id="meas' + 'ured">' + JSON.stringify(result) + '</pre>');
</script>
"""


def measure(html_path, width: int = PHONE) -> dict:
    """The phone probe's measurements of the report laid out `width` px wide."""
    return measure_layout(html_path, PROBE, width, f"phone-{html_path.stem}")

# long names without a break, a long note and an owner name: what pushes columns off a phone
LONG = """plan "长名称" {
  currency: CNY
  owner: "王芳"
  round: 1000
}
target 全年 = 123456789000 [owner: "王芳", status: agreed]
split 全年 by region {
  enterprise_key_accounts_northern_region = 40% [owner: "Alexandra Konstantinopoulou", status: disputed,
      note: "https://example.com/planning/fy2027/reviews/enterprise-key-accounts-northern-region-v3"]
  华东华南华北西部东北西北西南华中地区合并 = 35% [owner: "欧阳娜娜", status: proposed]
  rest_of_world = rest [owner: "Li Na", status: draft]
}
"""


@pytest.fixture(scope="module", params=["fy2027-zh", "chinese-zh", "fy2027-en", "long-zh", "long-en"])
def phone(request, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("phone")
    name, lang = request.param.split("-")
    plan = {"fy2027": EXAMPLE, "chinese": GOLDEN / "chinese.plan"}.get(name)
    if plan is None:
        plan = out / "long.plan"
        plan.write_text(LONG, encoding="utf-8")
    code, _, err = run_build([plan], out, "html", lang)
    assert code == 0, err
    measured = measure(out / f"{plan.stem}.html")
    if lang == "zh" and not measured["cjkFont"]:
        pytest.skip("no Chinese font, so the Chinese layout is not realistic: apt-get install fonts-wqy-microhei")
    return measured


def test_page_does_not_scroll_sideways(phone):
    assert phone["viewport"] == PHONE
    assert phone["pageWidth"] <= phone["viewport"], phone["pageWidth"]


def test_first_column_of_split_tables_is_not_crushed(phone):
    """A name stays on one line (not `华`/`东` or two characters a line) with room for it."""
    cells = phone["splitFirst"]
    assert len(cells) >= 3
    crushed = [c for c in cells if c["lines"] > 1 or c["width"] < c["nameWidth"]]
    assert not crushed, crushed[:5]


def test_status_badges_are_whole(phone):
    """Every status badge (splits, tree, open items, owner sheets) on one line, inside its cell,
    and on screen: not cut by the edge of a table that scrolls sideways."""
    badges = phone["badges"]
    assert len(badges) >= 3
    assert {b["table"] for b in badges} >= {"split", "tree", "open", "owner"}
    bad = [b for b in badges if b["lines"] != 1 or not b["inside"] or b["overflow"] > 0 or not b["onScreen"]]
    assert not bad, [(b["text"], b["table"]) for b in bad]


def test_open_item_amounts_are_visible(phone):
    """The amount column of the open items is on screen without scrolling the table, and whole."""
    amounts = phone["openAmounts"]
    assert amounts
    cut = [a for a in amounts if a["right"] > a["viewRight"] + 0.5 or a["overflow"] > 0]
    assert not cut, cut[:3]
