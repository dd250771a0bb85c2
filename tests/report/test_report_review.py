"""The review section of `planc build --actuals … --as-of …` (report/review.py) on the shipped
example and its shipped actuals (docs/review.md): JSON and CSV carry every target and every
cross cell; each owner's card has their own attainment and what each remaining month needs,
with the figures of the JSON; Chinese tables state one unit and write bare figures."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from contextlib import redirect_stderr, redirect_stdout
from fractions import Fraction
from pathlib import Path

import jsonschema
import pytest

from htmltree import parse, table_rows
from report_helpers import ENV, EXAMPLE, ROOT, md_tables_with_units

ACTUALS = EXAMPLE.parent / "data" / "actuals_2027.csv"
AS_OF = "2027-03-31"


def build(out: Path, lang: str, fmt: str = "all", as_of: str = AS_OF) -> Path:
    """`planc build EXAMPLE --actuals ACTUALS --as-of AS_OF` in-process."""
    from planc.cli.build import run

    args = argparse.Namespace(plans=[str(EXAMPLE)], output=str(out), format=fmt, lang=lang,
                              actuals=[str(ACTUALS)], as_of=as_of, encoding="utf-8", compare=None)
    so, se = io.StringIO(), io.StringIO()
    with redirect_stdout(so), redirect_stderr(se):
        code = run(args, environ=ENV)
    assert code == 0, se.getvalue()
    return out


@pytest.fixture(scope="module")
def en(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("review-en"), "en")


@pytest.fixture(scope="module")
def zh(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("review-zh"), "zh", "html,md,json")


@pytest.fixture(scope="module")
def model():
    from planc.pipeline import compile_plan

    return compile_plan(EXAMPLE).model


def review_json(out: Path) -> dict:
    return json.loads((out / "fy2027.json").read_text(encoding="utf-8"))["review"]


def whole(x) -> Fraction:
    """An amount of the JSON in whole currency units, rounded half up as the report does."""
    from planc.maths.allocate import round_half_up

    return round_half_up(Fraction(str(x)), Fraction(1))


# ---- JSON and CSV: every target, every cross cell ------------------------------------------------


def test_json_has_every_target_and_every_cross_cell(en, model):
    review = review_json(en)
    paths = [t["path"] for t in review["targets"]]
    assert paths == list(model.targets)  # plan order, each once
    cells = {cell.path for cross in model.crosses for cell in cross.cells.values()}
    assert len(cells) == 16 and cells <= set(paths)


def test_json_matches_the_build_schema(en):
    schema = json.loads((ROOT / "docs" / "schemas" / "build.schema.json").read_text(encoding="utf-8"))
    doc = json.loads((en / "fy2027.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(doc)] == []


def test_cells_not_started_are_zero_and_margins_add_up(en, model):
    """As of March 31, the cross cells of Q2–Q4 have sold nothing yet: 0, nothing expected, all
    of their plan still needed; and each region is the sum of its quarter cells."""
    t = {r["path"]: r for r in review_json(en)["targets"]}
    q2 = t["year.华东.Q2"]
    assert (q2["actual"], q2["expected"], q2["status"]) == (0, 0, "on track")
    assert sum(n["amount"] for n in q2["needs"]) == q2["plan"]
    assert [n["month"] for n in q2["needs"]] == ["2027-04", "2027-05", "2027-06"]
    for cross in model.crosses:
        for row in cross.rows.children:
            cells = [t[cross.cells[(row.name, c.name)].path]["actual"] for c in cross.cols.children]
            assert Fraction(str(t[row.path]["actual"])) == sum(Fraction(str(c)) for c in cells), row.path
    year = t["year"]
    assert Fraction(str(year["actual"])) == sum(Fraction(str(t[f"year.Q{q}"]["actual"])) for q in range(1, 5))


def test_targets_without_actuals_have_plan_and_season_only(en):
    """No row reports products: `year.core` has its plan and what the season expected, the rest unknown."""
    core = {r["path"]: r for r in review_json(en)["targets"]}["year.core"]
    assert core["plan"] == 84_000_000 and core["actual"] is None and core["status"] is None
    assert core["expected"] == pytest.approx(84_000_000 * core["season"]) and 0.2 < core["season"] < 0.22
    assert core["needs"] == [] and core["pace"] is None


def test_json_figures_are_those_of_track(en):
    from helpers import run_planc

    proc = run_planc("track", str(EXAMPLE), "--actuals", str(ACTUALS), "--as-of", AS_OF, "--format", "json")
    tracked = json.loads(proc.stdout)["targets"]
    built = {r["path"]: r for r in review_json(en)["targets"]}
    keys = ("plan", "actual", "expected", "gap", "pace", "forecast", "status", "needs")
    assert {p: {k: built[p][k] for k in keys} for p in tracked} == {p: {k: f[k] for k in keys}
                                                                    for p, f in tracked.items()}


def test_csv_has_the_rows_of_the_json_and_the_needs_by_month(en):
    rows = list(csv.DictReader(io.StringIO((en / "fy2027.review.csv").read_text(encoding="utf-8-sig"))))
    targets = review_json(en)["targets"]
    assert [r["path"] for r in rows] == [t["path"] for t in targets]
    assert list(rows[0])[-9:] == [f"needs 2027-{m:02d}" for m in range(4, 13)]
    for row, t in zip(rows, targets):
        assert row["actual"] == ("" if t["actual"] is None else str(t["actual"]))
        assert {k.removeprefix("needs "): v for k, v in row.items() if k.startswith("needs ") and v} == {
            n["month"]: str(n["amount"]) for n in t["needs"]}


# ---- owner cards --------------------------------------------------------------------------------


def owner_card(out: Path, owner: str):
    root, _ = parse((out / "fy2027.html").read_text(encoding="utf-8"))
    cards = [c for c in root.find_all("div", "owner-sheet") if owner in c.find("h3").text()]
    assert len(cards) == 1
    return cards[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_owner_card_has_own_attainment_and_needs(lang, en, zh):
    out = {"en": en, "zh": zh}[lang]
    card = owner_card(out, "Li Na")
    block = card.find("div", "review-owner-block")
    assert block is not None
    heads = [h.text() for h in block.find_all("h4")]
    assert heads == (["Your attainment as of 2027-03-31", "What each remaining month needs"] if lang == "en"
                     else ["截至 2027-03-31 您的达成情况", "余下每月需完成"])
    figures = {t["path"]: t for t in review_json(out)["targets"]}
    mine = table_rows(block.find("table", "owner-review"))
    assert [r[0] for r in mine] == ["year.华东", "year.华东.key_accounts"]
    for row in mine:
        f = figures[row[0]]
        assert row[3] == f"{f['attainment'] * 100:.1f}%" and row[5] == f"{f['pace'] * 100:.1f}%"
    needs = block.find("table", "needs-by-month")
    assert table_rows(needs, "thead") == [["月份" if lang == "zh" else "Month", "华东", "key_accounts"]]
    scale = 10_000 if lang == "zh" else 1
    for row in table_rows(needs):
        month, cells = row[0], row[1:]
        for path, text in zip(("year.华东", "year.华东.key_accounts"), cells):
            want = {n["month"]: n["amount"] for n in figures[path]["needs"]}[month]
            assert Fraction(text.replace(",", "")) * scale == whole(want), (month, path, text)
    if lang == "zh":
        assert [p.text() for p in block.find_all("p", "unit")] == ["单位：万元", "单位：万元"]


def test_owner_figures_are_the_same_in_html_and_markdown(en):
    """The Markdown owner sheet shows the same rows, attainment and needs as the HTML card."""
    md = (en / "fy2027.owners" / "li-na.md").read_text(encoding="utf-8")
    html_rows = table_rows(owner_card(en, "Li Na").find("table", "needs-by-month"))
    section = md.split("### What each remaining month needs", 1)[1]
    md_rows = [[c.strip() for c in line.strip("|").split("|")] for line in section.splitlines()
               if line.startswith("| 2027-")]
    assert md_rows == html_rows and len(md_rows) == 9


def test_every_owner_card_says_how_their_targets_stand(en):
    """Every owner gets the block on their card: a table of their targets with an actual, and a
    sentence naming those without one (Gao Yan owns products; the actuals name none)."""
    review = review_json(en)
    owners = {t["owner"] for t in review["targets"] if t["owner"]}
    root, _ = parse((en / "fy2027.html").read_text(encoding="utf-8"))
    blocks = {c.find("h3").text().split(": ", 1)[1]: c.find("div", "review-owner-block")
              for c in root.find_all("div", "owner-sheet")}
    assert set(blocks) == owners and all(blocks.values())
    for owner, block in blocks.items():
        reported = [t["path"] for t in review["targets"] if t["owner"] == owner and t["actual"] is not None]
        silent = [t["path"] for t in review["targets"] if t["owner"] == owner and t["actual"] is None]
        table = block.find("table", "owner-review")
        assert ([r[0] for r in table_rows(table)] if table else []) == reported
        note = block.find("p", "unreported")
        assert (note.text() if note else None) == (
            f"No actuals reported as of 2027-03-31 for: {', '.join(silent)}." if silent else None)
    assert blocks["Gao Yan"].find("table") is None


# ---- one unit per table in Chinese -------------------------------------------------------------


def zh_review_tables(markdown: str) -> list[tuple[str | None, list[str]]]:
    """Each table of the review section of a Markdown report with the unit line above it (or None)."""
    section = markdown.split("## 截至 2027-03-31 的执行回顾", 1)[1].split("\n## ", 1)[0]
    return md_tables_with_units(section)

def test_zh_markdown_review_tables_state_one_unit(zh):
    tables = zh_review_tables((zh / "fy2027.md").read_text(encoding="utf-8"))
    with_amounts = [(u, b) for u, b in tables if "差额" in b[0] or "计划" in b[0]]
    assert len(with_amounts) >= 6  # behind pace and every split
    for unit, block in tables:
        cells = [c.strip() for line in block[2:] for c in line.split("|")]
        assert not [c for c in cells if re.search(r"\d[万亿]", c)], block  # no figure carries its own unit
    for unit, block in with_amounts:
        assert unit == "单位：万元", block
    heat = [b for u, b in tables if re.match(r"\| 区域 \\+ 季度", b[0])]
    assert heat and all(u is None for u, b in tables if b in heat)  # percentages only: no unit line


def test_zh_figures_are_the_json_amounts_in_the_unit(zh):
    """`1,069.2724` in a table of 万元 is the actual of 华东 to the yuan: never rounded again."""
    t = {r["path"]: r for r in review_json(zh)["targets"]}
    md = (zh / "fy2027.md").read_text(encoding="utf-8")
    row = next(line for line in md.splitlines() if line.startswith("| 华东 ") and "正常" in line)
    plan, actual, expected = [Fraction(c.strip().replace(",", "")) for c in row.split("|")[2:5]]
    f = t["year.华东"]
    assert (plan * 10_000, actual * 10_000, expected * 10_000) == (whole(f["plan"]), whole(f["actual"]),
                                                                 whole(f["expected"]))


def test_zh_html_review_tables_have_their_unit_line(zh):
    root, _ = parse((zh / "fy2027.html").read_text(encoding="utf-8"))
    section = root.find("section")
    section = next(s for s in root.find_all("section") if s.attrs.get("id") == "review")
    for card in section.find_all("div", "card"):
        table = card.find("table")
        heads = " ".join(table_rows(table, "thead")[0])
        unit = card.find("p", "unit")
        if "计划" in heads or "差额" in heads or "实际" in heads:
            assert unit is not None and unit.text() == "单位：万元", heads
        else:
            assert unit is None, heads
        cells = [c for r in table_rows(table) for c in r]
        assert not [c for c in cells if re.search(r"\d[万亿]", c)], heads
    titles = [h.text() for h in section.find_all("h3")]
    assert "year 按区域的达成率" in titles and "各单元进度：区域 × 季度" in titles


def test_english_review_amounts_are_full(en):
    md = (en / "fy2027.md").read_text(encoding="utf-8")
    section = md.split("## Review as of 2027-03-31", 1)[1]
    assert "| 华东   | 51,767,000 | 10,692,724 | 10,888,000 |" in section
    assert "单位" not in section
    assert "### Attainment of year by region" in section and "### Pace by cell: region × quarter" in section
    # the cells of quarters that start after March 31 say so (their actual is 0 in the JSON)
    assert "| 华东              |   98.2% · 98.2% · on track | not started | not started | not started |" in section


# ---- counts (a measure) are not money ----------------------------------------------------------


def test_counts_carry_their_measure_not_the_currency(tmp_path):
    """`new_logos` counts new accounts: its split's review table states the measure in Chinese
    (`单位：new accounts`, bare figures), in English each figure carries it; in a table that
    also has money (behind pace) a count keeps its label and the money its unit."""
    from planc.cli.build import run

    logos = tmp_path / "logos.csv"
    logos.write_text("target,period,amount\nnew_logos.H1,2027-02,3\nnew_logos.H1,2027-03,2\n", encoding="utf-8")
    texts = {}
    for lang in ("en", "zh"):
        args = argparse.Namespace(plans=[str(EXAMPLE)], output=str(tmp_path / lang), format="md", lang=lang,
                                  actuals=[str(ACTUALS), str(logos)], as_of=AS_OF, encoding="utf-8", compare=None)
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            assert run(args, environ=ENV) == 0
        texts[lang] = (tmp_path / lang / "fy2027.md").read_text(encoding="utf-8")
    en = texts["en"].split("### Attainment of new_logos by half", 1)[1].split("###", 1)[0]
    assert "| H1     | 18 new accounts | 5 new accounts | 9 new accounts |" in en
    zh = texts["zh"].split("### new_logos 按半年的达成率", 1)[1].split("###", 1)[0]
    assert zh.lstrip().startswith("单位：new accounts\n") and "| H1   |   18 |    5 |      9 |" in zh
    behind = texts["zh"].split("### 进度落后", 1)[1].split("###", 1)[0]
    assert "单位：万元" in behind and "-4 new accounts" in behind and "-143.6740" in behind


def test_a_count_needs_whole_counts_spread_over_its_remaining_months(en):
    """A counted target's needs are on its measure's grid (1 account), not the plan's
    money rounding (1,000 yuan), so the rest spreads over every remaining month."""
    rows = {r["path"]: r for r in review_json(en)["targets"]}
    second_half = rows["new_logos.H2"]
    needs = [n["amount"] for n in second_half["needs"]]
    assert [n["month"] for n in second_half["needs"]] == [f"2027-{m:02d}" for m in range(7, 13)]
    assert sum(needs) == second_half["plan"] - second_half["actual"]
    assert all(isinstance(n, int) and n > 0 for n in needs)
    assert max(needs) - min(needs) <= 1
