"""Big plans (report/limits.py): the HTML and Markdown show the top levels and say where
every row is; the JSON and CSV hold every target, streamed byte for byte as a whole
document would be; a big report loads in Chromium and its notes lead to the rows left out."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from report_helpers import run_build

from planc.report import limits

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
HEADER = 'plan "Big" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1 }'
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def deep_plan(regions: int = 10, reps: int = 10, products: int = 5) -> str:
    """year -> regions -> reps (owners) -> months -> products: 1 + 10 + 100 + 1,200 + 6,000 targets."""
    out = [HEADER, f"target year = {regions * reps * 1_200_000}",
           "split year by region using even { " + "; ".join(f"g{g}" for g in range(regions)) + " }"]
    for g in range(regions):
        kids = "; ".join(f'g{g}r{i} [owner: "Rep {g}.{i}", status: proposed]' for i in range(reps))
        out.append(f"split g{g} by rep using even {{ {kids} }}")
        for i in range(reps):
            out.append(f"split g{g}r{i} by month using even {{ " + "; ".join(MONTHS) + " }")
            for m in MONTHS:
                out.append(f"split g{g}r{i}.{m} by product using even {{ "
                           + "; ".join(f"p{k}" for k in range(products)) + " }")
    return "\n".join(out) + "\n"


def wide_plan(children: int = 1200) -> str:
    return "\n".join([HEADER, f"target year = {children * 1000}",
                      "split year by rep using even { " + "; ".join(f"r{i}" for i in range(children)) + " }"]) + "\n"


@pytest.fixture(scope="module")
def deep(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    plan = folder / "big.plan"
    plan.write_text(deep_plan(), encoding="utf-8")
    code, _, err = run_build([plan], folder / "out", "html,md,json,csv")
    assert code == 0, err
    return folder / "out"


# ---- which rows are shown -------------------------------------------------------------------


def test_by_level_keeps_whole_levels_that_fit():
    items = [0, 1, 1, 2, 2, 2, 1, 2]  # depths, in tree order
    kept, levels = limits.by_level(items, lambda d: d, 4)
    assert kept == (0, 1, 1, 1) and levels == 2
    assert limits.by_level(items, lambda d: d, 8) == (tuple(items), None)  # everything fits: no levels cut


def test_by_level_keeps_at_most_so_many_levels():
    chain = [d for d in range(60) for _ in (0, 1)]  # a split chain: two targets a level
    kept, levels = limits.by_level(chain, lambda d: d, 5000, 50)
    assert levels == 50 and kept == tuple(chain[:100])


def test_by_level_when_not_even_the_first_level_fits():
    kept, levels = limits.by_level([0] * 10, lambda d: d, 3)
    assert kept == (0, 0, 0) and levels == 0


def test_html_shows_the_top_levels_and_says_how_many(deep):
    html = (deep / "big.html").read_text(encoding="utf-8")
    tree = html[html.index('<section id="tree"'):html.index("</section>", html.index('<section id="tree"'))]
    assert tree.count("<tr class=") == 1 + 10 + 100 + 1200  # levels 0-3 of 7,311 targets
    assert "Showing the top 4 levels of the tree: 1,311 of 7,311 targets." in tree
    assert '<a href="big.csv">big.csv</a> · <a href="big.json">big.json</a>' in tree
    # cards for the splits of levels 0-1 (1 + 10), not the 100 rep and 1,200 month splits
    assert html.count('<div class="card" id="split-') + html.count('<div class="card long" id="split-') == 11
    assert "Showing the splits of the top 2 levels: 11 of 1,311 splits." in html
    assert len(html) < 2_000_000


def test_markdown_says_the_same(deep):
    md = (deep / "big.md").read_text(encoding="utf-8")
    assert "> Showing the top 4 levels of the tree: 1,311 of 7,311 targets. Every target is in the CSV and " \
           "JSON reports: [big.csv](big.csv) · [big.json](big.json)" in md
    assert "**p0**" not in md  # the fifth level (products) is only in the CSV and JSON
    assert "> Showing the splits of the top 2 levels: 11 of 1,311 splits." in md
    assert md.count("](big.owners/") == 100  # under the limit: every owner listed
    assert len(list((deep / "big.owners").glob("*.md"))) == 100


def test_markdown_lists_at_most_so_many_owners(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "OWNER_SHEETS", 30)
    plan = tmp_path / "big.plan"
    plan.write_text(deep_plan(), encoding="utf-8")
    code, _, err = run_build([plan], tmp_path / "out", "md")
    assert code == 0, err
    md = (tmp_path / "out" / "big.md").read_text(encoding="utf-8")
    assert md.count("](big.owners/") == 30
    assert "> Listing 30 of 100 owners; every owner's sheet is a file in the folder above." in md
    assert len(list((tmp_path / "out" / "big.owners").glob("*.md"))) == 100


def test_json_and_csv_hold_every_target(deep):
    doc = json.loads((deep / "big.json").read_text(encoding="utf-8"))
    assert len(doc["targets"]) == len(doc["details"]) == 7311
    assert doc["targets"]["year.g9.g9r9.Dec.p4"] == 1_200_000 // 60
    rows = list(csv.DictReader(io.StringIO((deep / "big.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 7311 and rows[-1]["path"] == "year.g9.g9r9.Dec.p4"


def test_a_wide_split_lists_its_first_children_and_the_whole_total(tmp_path):
    plan = tmp_path / "wide.plan"
    plan.write_text(wide_plan(), encoding="utf-8")
    code, _, err = run_build([plan], tmp_path / "out", "html")
    assert code == 0, err
    html = (tmp_path / "out" / "wide.html").read_text(encoding="utf-8")
    card = html[html.index('id="split-1"'):html.index('<section id="tree"')]
    assert card.count('<span class="name">r') == 1000
    assert "Showing the first 1,000 of 1,200 children; the total is the whole split&#39;s." in card
    assert "<code>planc build --format csv,json</code>" in card  # not built this time: how to get them
    assert '<td class="num">100.0%</td><td class="num">1,200,000</td>\n</tr></tfoot>' in card


# ---- streamed JSON and CSV ---------------------------------------------------------------------


def test_streamed_json_is_json_dumps_byte_for_byte():
    from planc.jsonstream import Array, Items, chunks

    plain = {"a": {"x": [1, {"q": "line\nbreak 中"}], "y": {}}, "b": [], "c": {}, "d": [[]], "e": 1.5, "f": None}
    lazy = {"a": Items(lambda: plain["a"].items()), "b": Array(lambda: []), "c": Items(lambda: []),
            "d": Array(lambda: [[]]), "e": 1.5, "f": None}
    assert "".join(chunks(lazy)) == json.dumps(plain, ensure_ascii=False, indent=2)


def test_streamed_csv_is_the_whole_text_in_pieces(deep):
    from planc.pipeline import compile_plan
    from planc.report.data import csv_chunks
    from planc.report.gather import build_report
    from planc.report.view import generation_time

    result = compile_plan(deep.parent / "big.plan")
    report = build_report(result, b"", generation_time({"SOURCE_DATE_EPOCH": "0"}))
    pieces = list(csv_chunks(report, rows_per_chunk=1000))
    assert len(pieces) == 8  # 7,311 rows, 1,000 a piece
    assert "".join(pieces) == "".join(csv_chunks(report, rows_per_chunk=10**9))


# ---- in a browser ------------------------------------------------------------------------------

PROBE = """
<script>
const tree = document.querySelector('#tree');
const note = tree.querySelector('.limit-note');
const links = note ? [...note.querySelectorAll('a')].map(a => a.href) : [];
const box = note ? note.getBoundingClientRect() : null;
const result = { rows: tree.querySelectorAll('tbody tr').length, note: note ? note.textContent : null,
  visible: !!box && box.width > 0 && box.height > 0, links };
document.body.insertAdjacentHTML('beforeend', '<pre id="meas' + 'ured">' + JSON.stringify(result) + '</pre>');
</script>
"""


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="needs headless Chromium: apt-get install chromium")
def test_a_big_report_loads_and_its_notes_lead_to_every_row(deep):
    html = (deep / "big.html").read_text(encoding="utf-8")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    probe = deep / "probe.html"
    probe.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
             "--window-size=1200,1600", "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=60)
    found = re.search(r'<pre id="measured">(.*?)</pre>', proc.stdout, re.S)
    assert found, proc.stderr[-2000:]
    seen = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert seen["rows"] == 1311 and seen["visible"]
    assert "1,311 of 7,311 targets" in seen["note"]
    # the links resolve to the CSV and JSON beside the page, which hold the rows left out
    files = [Path(link.removeprefix("file://")) for link in seen["links"]]
    assert [f.name for f in files] == ["big.csv", "big.json"]
    assert "year.g0.g0r0.Jan.p0," in files[0].read_text(encoding="utf-8-sig")
    assert "year.g0.g0r0.Jan.p0" in json.loads(files[1].read_text(encoding="utf-8"))["targets"]


# ---- a big cross ---------------------------------------------------------------------------


def test_window_fits_a_cross_in_so_many_cells():
    assert limits.Shown.window(4, 4) == (4, 4)  # most crosses: whole
    assert limits.Shown.window(1000, 100) == (100, 100)  # 10,000 cells
    assert limits.Shown.window(30, 1000) == (30, 100)  # at most 100 columns
    assert limits.Shown.window(5, 20_000) == (5, 100)
    assert limits.Shown.window(0, 0) == (0, 0)


def _build_with_review(out: Path) -> Path:
    import argparse

    from planc.cli.build import run
    from report_helpers import ENV, EXAMPLE

    args = argparse.Namespace(plans=[str(EXAMPLE)], output=str(out), format="html,md", lang="en",
                              actuals=[str(EXAMPLE.parent / "data" / "actuals_2027.csv")], as_of="2027-03-31",
                              encoding="utf-8", compare=None)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        assert run(args, environ=ENV) == 0, err.getvalue()
    return out


def test_a_big_cross_shows_its_first_rows_and_columns_and_the_whole_totals(tmp_path, monkeypatch):
    """The example's 4 × 4 cross of regions by quarters, in a window of 2 rows and 3 columns:
    the cells shown are the whole table's, the totals the whole cross's, and a note says so;
    the review's heat map of the cross shows the same window."""
    from htmltree import parse, table_rows

    whole = _build_with_review(tmp_path / "whole")
    monkeypatch.setattr(limits, "CROSS_CELLS", 6)
    monkeypatch.setattr(limits, "CROSS_COLUMNS", 3)
    cut = _build_with_review(tmp_path / "cut")

    def tables(out: Path):
        root, _ = parse((out / "fy2027.html").read_text(encoding="utf-8"))
        return root.find("table", "cross"), root.find("table", "heat")

    (cross, heat), (cut_cross, cut_heat) = tables(whole), tables(cut)
    rows, foot = table_rows(cross), table_rows(cross, "tfoot")
    assert len(rows) == 4 and len(rows[0]) == 6  # name, 4 quarters, total
    assert table_rows(cut_cross) == [row[:4] + row[-1:] for row in rows[:2]]
    assert table_rows(cut_cross, "tfoot") == [foot[0][:4] + foot[0][-1:]]  # the whole columns' totals
    assert table_rows(cut_cross, "thead") == [table_rows(cross, "thead")[0][:4] + ["Total"]]
    heat_rows = table_rows(heat)
    assert table_rows(cut_heat) == [row[:4] for row in heat_rows[:2]]
    html = (cut / "fy2027.html").read_text(encoding="utf-8")
    assert html.count("Showing the first 2 of 4 rows and the first 3 of 4 columns.") == 2  # the cross, its heat map
    assert html.count("Every total is the whole cross&#39;s.") == 1
    assert "Showing the first" not in (whole / "fy2027.html").read_text(encoding="utf-8")
    md = (cut / "fy2027.md").read_text(encoding="utf-8")
    assert md.count("> Showing the first 2 of 4 rows and the first 3 of 4 columns.") == 2

    def cross_table(out: Path) -> list[list[str]]:
        text = (out / "fy2027.md").read_text(encoding="utf-8")
        section = text[text.index("\n## Cross tables\n"):]
        table = [line for line in section[section.index("\n| "):].splitlines()[1:] if line.startswith("| ")]
        table = table[:next(i for i, line in enumerate(table) if line.startswith("| **Total**")) + 1]
        rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table]
        return [row for row in rows if not all(set(cell) <= set("-:") for cell in row)]  # not the rule

    whole_rows, cut_rows = cross_table(whole), cross_table(cut)
    assert len(whole_rows) == 6 and whole_rows[-1][0] == "**Total**"  # heading, 4 regions, totals
    assert cut_rows == [row[:4] + row[-1:] for row in [*whole_rows[:3], whole_rows[-1]]]  # the whole cross's totals


_SCALARS = st.one_of(st.integers(-10**30, 10**30), st.floats(allow_nan=False), st.text(max_size=5), st.none(),
                     st.booleans())
_PLAIN = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=4)), max_leaves=12)


def _lazy(value, depth: int = 0):
    """`value` with its dicts and lists made `Items` and `Array` (the top-level dict stays a dict)."""
    from planc.jsonstream import Array, Items

    if isinstance(value, dict):
        members = {k: _lazy(v, depth + 1) for k, v in value.items()}
        return members if depth == 0 else Items(lambda: members.items())
    if isinstance(value, list):
        items = [_lazy(v, depth + 1) for v in value]
        return Array(lambda: items)
    return value


@settings(max_examples=200, deadline=None)
@given(doc=st.dictionaries(st.text(max_size=4), _PLAIN, max_size=6), batch=st.integers(1, 5))
def test_streamed_json_in_any_batch_is_json_dumps(doc, batch):
    """Members are joined `BATCH` at a time, ints written in place: the text is
    json.dumps's whatever the batch and wherever a lazy member falls in one."""
    import planc.jsonstream as jsonstream

    saved = jsonstream.BATCH
    jsonstream.BATCH = batch
    try:
        lazy = "".join(jsonstream.chunks(_lazy(doc)))
    finally:
        jsonstream.BATCH = saved
    assert lazy == json.dumps(doc, ensure_ascii=False, indent=2)
