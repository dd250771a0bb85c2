"""The report's activity targets (report/activity.py): each funnel written
out, each rep's counts with their measure's label (never the currency), the
weekly tables adding up to the year, owner sheets, English and Chinese."""

from __future__ import annotations

import re
from pathlib import Path

from report_helpers import render

PLAN = """import "std/calendar_cn"

plan "Activity" {
  currency: CNY
  period: 2027-01-01 .. 2027-12-31
  round: 1000
  calendar: cn_workdays
}

measure deals "deals" { rounding: up }
measure visits "拜访" { rounding: up }
measure accounts "new accounts" { rounding: up }

table deal_size { east = 150k }
target year = 10M
target new_logos = 12 accounts
split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }
split year by region { east = 60%; west = rest }
split year.east by rep { zhang = 50% [owner: "张伟"]; li = rest [owner: "李娜"] }

funnel pipeline for rep by week "revenue into activity" {
  deals  = self / deal_size(region) in deals
  visits = deals / 10% in visits
}
"""


def write(tmp_path: Path) -> Path:
    path = tmp_path / "activity.plan"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_the_markdown_report_writes_the_funnel_and_each_reps_counts(tmp_path):
    files = render(write(tmp_path), "md")
    report = files["activity.md"]
    section = report[report.index("## Activity targets"):report.index("## Target tree")]
    assert "| deals  | `self / deal_size(region) in deals` | deals" in section
    assert re.search(r"\| zhang +\| +3,000,000 \| +20 \| +200 \|", section)
    weeks = re.findall(r"^\| W20\d\d_\d\d +\| [^|]+\| +(\d+) \| +(\d+) \|$", section, flags=re.M)
    assert len(weeks) == 2 * 53
    zhang = weeks[:53]
    assert sum(int(v) for _, v in zhang) == 200 and sum(int(d) for d, _ in zhang) == 20


def test_an_owner_sheet_shows_the_reps_weekly_activity_under_its_quarters(tmp_path):
    files = render(write(tmp_path), "md")
    sheet = files["activity.owners/张伟.md"]
    assert sheet.index(" Q1 |") < sheet.index("**Weekly activity**")
    assert "deals 20 deals · visits 200 拜访" in sheet
    assert "activity.owners/李娜.md" in files and "zhang" not in files["activity.owners/李娜.md"]


def test_the_html_report_in_chinese_labels_counts_with_their_measure(tmp_path):
    html = render(write(tmp_path), "html", lang="zh")["activity.html"]
    section = html[html.index('<section id="activity"'):html.index('<section id="tree"')]
    assert "活动目标" in section and "每周活动：zhang" in section
    assert "拜访" in section and "CNY" not in section


def test_a_count_as_the_headline_shows_its_label_not_the_currency(tmp_path):
    path = tmp_path / "logos.plan"
    path.write_text('plan "Logos" { currency: CNY; round: 1000 }\nmeasure accounts "new accounts" { rounding: up }\n'
                    "target new_logos = 45 accounts\nsplit new_logos by region { east = 60%; west = rest }\n",
                    encoding="utf-8")
    files = render(path, "html,md")
    assert "- **Total target:** 45 new accounts\n" in files["logos.md"]
    assert re.search(r'<div class="v">45</div><div class="s">new accounts', files["logos.html"])
