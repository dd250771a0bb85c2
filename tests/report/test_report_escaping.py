"""Hostile text in a plan (titles, labels, owners, notes, table keys) comes out escaped in every format."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from report_helpers import ALLOWED_TAGS, run_build
from htmltree import parse


SCRIPT = "<script>alert('x')</script>"
HOSTILE_PLAN = r'''
plan "</title><script>alert('t')</script> & \"Co\"" {
  currency: CNY
  owner: "<img src=x onerror=alert(1)>"
  description: "a & b <b>bold</b> ]]> <!-- -->"
  version: "'; DROP TABLE --"
}
table weights { "<script>alert('x')</script>" = 2; k1 = 2; k2 = 1; k3 = 1; k4 = 1 }
table history { "<script>alert('x')</script>" = 1M }
target year = 10M "<script>alert('label')</script>" [owner: "\"><svg onload=alert(2)>", status: disputed, note: "x <i>y</i> & z | w `code` *em* $math$ @team"]
split year by kind using weight(weights) {
  k1 "<script>alert('x')</script>"
  k2 "a&b"
  k3 "|pipe|"
  k4 "=cmd|' /C calc'!A0"  [owner: "=cmd|' /C calc'!A0"]
}
split year by quarter { Q1 = 25% "Q1 \" onmouseover=\"alert(3)"; Q2 = 25% [owner: "<script>alert('x')</script>"]; Q3 = 25%; Q4 = rest [note: "</td></tr></table><h1>x</h1>"] }
'''
HOSTILE_TEXTS = [
    "</title><script>alert('t')</script> & \"Co\"", "<img src=x onerror=alert(1)>",
    "a & b <b>bold</b> ]]> <!-- -->", SCRIPT, "<script>alert('label')</script>", "\"><svg onload=alert(2)>",
    "x <i>y</i> & z | w `code` *em* $math$ @team", "Q1 \" onmouseover=\"alert(3)", "</td></tr></table><h1>x</h1>",
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    plan = tmp / "evil.plan"
    plan.write_text(HOSTILE_PLAN, encoding="utf-8")
    out = {}
    for lang in ("en", "zh"):
        code, _, err = run_build([plan], tmp / lang, "html,md,json,csv", lang)
        assert code == 0, err
        out[lang] = {str(p.relative_to(tmp / lang)): p.read_text(encoding="utf-8")
                     for p in (tmp / lang).rglob("*") if p.is_file()}
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_has_no_markup_from_the_plan(outputs, lang):
    html = outputs[lang]["evil.html"]
    root, tags = parse(html)
    assert {t for t, _ in tags} <= ALLOWED_TAGS  # no script, img, i, b, h1 … from the plan
    for tag, attrs in tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<svg onload" not in html.lower()
    # …and the text itself survives, shown as text
    text = root.text()
    for hostile in HOSTILE_TEXTS:
        assert hostile in text, hostile
    assert root.find("title").text().startswith("</title><script>")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markdown_escapes_everything_from_the_plan(outputs, lang):
    files = {k: v for k, v in outputs[lang].items() if k.endswith(".md")}
    assert "evil.md" in files and len(files) >= 3  # the report and owner sheets
    for name, text in files.items():
        prose = re.sub(r"```mermaid\n.*?```\n", "", text, flags=re.S)  # checked below
        prose = prose.replace("<!-- planc: owner sheet -->\n", "", 1)
        # every < and & from the plan is backslash-escaped; table pipes are checked below
        assert not re.search(r"(?<!\\)<", prose), name
        assert not re.search(r"(?<!\\)&", prose), name
        for bad in ("onerror=alert(1)>", "$math$", "*em*", "@team", "`code`"):
            assert not re.search(r"(?<!\\)" + re.escape(bad), prose), (name, bad)
    mermaid = "".join(re.findall(r"```mermaid\n.*?```", files["evil.md"], flags=re.S))
    assert '"' not in re.sub(r'"[^"\n<>&]*"', "", mermaid)  # labels stay inside their quotes
    # `0 --> 50` is the y-axis range planc writes; no label can make a `>` (the filter drops it)
    assert "<" not in mermaid and ">" not in mermaid.replace(" --> ", " ")


@pytest.mark.parametrize("name", ["evil.md", "evil.owners/svg-onload-alert-2.md"])
def test_markdown_tables_keep_their_columns(outputs, name):
    text = outputs["en"][name]
    assert "\\|pipe\\|" in outputs["en"]["evil.md"]
    for block in re.findall(r"(?:^\|.*\n)+", text, flags=re.M):
        lines = block.splitlines()
        widths = {len(re.split(r"(?<!\\)\|", line)) for line in lines}
        assert len(widths) == 1, block


def test_json_and_csv_keep_the_text_exactly(outputs):
    doc = json.loads(outputs["en"]["evil.json"])
    assert doc["plan"] == "</title><script>alert('t')</script> & \"Co\""
    assert doc["details"]["year"]["owner"] == "\"><svg onload=alert(2)>"
    assert doc["details"]["year.k1"]["label"] == SCRIPT
    rows = list(csv.DictReader(io.StringIO(outputs["en"]["evil.csv"].lstrip("\ufeff"))))
    by_path = {r["path"]: r for r in rows}
    assert by_path["year"]["note"] == "x <i>y</i> & z | w `code` *em* $math$ @team"
    # text that looks like a spreadsheet formula is kept from running in Excel
    formula = by_path["year.k4"]
    assert formula["label"].startswith("'=") and formula["owner"].startswith("'=")
