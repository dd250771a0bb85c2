"""Negotiation as data: `expect`, `proposed:`, `action … for …`, Chinese statuses, W130, check --as-of."""

from __future__ import annotations

import datetime

from helpers import codes, errors, run_planc, values
from planc.lint.rules import RULES
from planc.pipeline import compile_text
from planc.semantics.concepts import target_status

PLAN = """\
plan "N" { round: 1000 }
target year = sum
split year by region {
  east = 60M  [owner: "李娜", status: 有异议, proposed: 52M]
  west = 50M  [owner: "Chen", status: 已确认]
}
expect year >= 120M  "the board's figure"
action "深挖 TOP50 客户" for east  [owner: "李娜", due: 2027-03-31, status: open]
action "Renew the distributor" for west  [owner: "Chen", due: 2027-02-28, status: 已完成]
"""


def test_a_failing_expect_is_a_warning_with_both_sides():
    result = compile_text(PLAN)
    assert errors(result) == []
    (d,) = [d for d in result.diagnostics if d.code == "W030"]
    assert (d.severity, d.line, d.column) == ("warning", 7, 1)
    assert "left is 110,000,000, right is 120,000,000" in d.message
    (check,) = result.evaluation.assertions
    assert check.decl.soft and check.passed is False and check.left == 110_000_000


def test_an_assert_stays_an_error():
    result = compile_text(PLAN.replace("expect", "assert"))
    assert [d.code for d in errors(result)] == ["E014"]


def test_chinese_statuses_mean_the_english_ones():
    result = compile_text(PLAN)
    nodes = result.model.targets
    assert target_status(nodes["year.east"]) == "disputed" and target_status(nodes["year.west"]) == "agreed"
    assert "E025" not in codes(result)
    assert "E025" in codes(compile_text(PLAN.replace("有异议", "争议")))


def test_proposed_must_be_an_amount():
    assert "E025" in codes(compile_text(PLAN.replace("proposed: 52M", 'proposed: "52M"')))


def test_w130_disputed_without_a_proposal(tmp_path):
    (tmp_path / "p.plan").write_text(PLAN.replace(", proposed: 52M", ""), encoding="utf-8")
    proc = run_planc("check", "p.plan", cwd=tmp_path)
    assert "p.plan:4:29: warning[W130]: `year.east` is `有异议` but records no counter-proposal" in proc.stderr
    (tmp_path / "q.plan").write_text(PLAN, encoding="utf-8")
    assert "W130" not in run_planc("check", "q.plan", cwd=tmp_path).stderr


def test_actions_are_resolved_with_their_attributes():
    result = compile_text(PLAN)
    first, second = result.model.actions
    assert (first.text, first.target.path, first.owner, first.due, first.status) == (
        "深挖 TOP50 客户", "year.east", "李娜", datetime.date(2027, 3, 31), "open")
    assert second.status == "done"  # 已完成
    assert values(result)["year"] == 110_000_000


def test_bad_actions():
    result = compile_text(PLAN + 'action "x" for south\naction "y" for east [status: later, due: "soon", colour: 1]\n')
    found = sorted((d.code, d.line, d.column) for d in result.diagnostics if d.code in ("E003", "E025", "W002"))
    assert found == [("E003", 10, 16), ("E025", 11, 22), ("E025", 11, 37), ("W002", 11, 50)]


def test_check_as_of_warns_about_overdue_open_actions(tmp_path):
    (tmp_path / "p.plan").write_text(PLAN, encoding="utf-8")
    proc = run_planc("check", "p.plan", "--as-of", "2027-04-15", cwd=tmp_path)
    lines = [line for line in proc.stderr.splitlines() if "W031" in line]
    assert lines == ['p.plan:8:1: warning[W031]: action "深挖 TOP50 客户" for `year.east` (李娜) was due 2027-03-31, '
                     '15 days before 2027-04-15, and is still open']  # the done one is not overdue
    assert "W031" not in run_planc("check", "p.plan", cwd=tmp_path).stderr
    bad = run_planc("check", "p.plan", "--as-of", "2027-13-01", cwd=tmp_path)
    assert bad.returncode == 2 and "is not a date" in bad.stderr


def test_the_overdue_rule_documents_a_bad_example_that_fires(tmp_path):
    doc = RULES["W031"].doc
    bad = doc[doc.index("```\n", doc.index("Bad")) + 4:doc.index("```", doc.index("```\n", doc.index("Bad")) + 4)]
    (tmp_path / "p.plan").write_text(bad, encoding="utf-8")
    proc = run_planc("check", "p.plan", "--as-of", "2027-04-15", cwd=tmp_path)
    assert "warning[W031]" in proc.stderr and "error[" not in proc.stderr


def _section(html: str, name: str) -> str:
    import re

    found = re.search(f'<section id="{name}">(.*?)</section>', html, re.S)
    assert found, name
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_a_missed_expect_still_builds_and_the_report_shows_negotiation_and_actions(tmp_path):
    (tmp_path / "p.plan").write_text(PLAN + "scenario stretch { east = 70M }\n", encoding="utf-8")
    proc = run_planc("build", "p.plan", "-o", "out", "--scenario", "all", cwd=tmp_path)
    assert proc.returncode == 0 and "warning[W030]" in proc.stderr, proc.stderr
    html = (tmp_path / "out" / "p.html").read_text(encoding="utf-8")
    assert "year.east 李娜 disputed 60,000,000 52,000,000 8,000,000" in _section(html, "negotiation")
    assert "Total of the targets with a proposal 60,000,000 52,000,000 8,000,000" in _section(html, "negotiation")
    actions = _section(html, "actions")
    assert "year.east 深挖 TOP50 客户 李娜 2027-03-31 open" in actions
    assert "year.west Renew the distributor Chen 2027-02-28 done" in actions
    assert "year 110,000,000 120,000,000" in _section(html, "scenarios")
    assert "△ missed" in _section(html, "checks")
    owner = (tmp_path / "out" / "p.owners" / "李娜.md").read_text(encoding="utf-8")
    assert "- **year.east**: 深挖 TOP50 客户 · Due: 2027-03-31 · open" in owner


def test_the_chinese_report_prints_statuses_and_actions_in_chinese(tmp_path):
    (tmp_path / "p.plan").write_text(PLAN, encoding="utf-8")
    assert run_planc("build", "p.plan", "-o", "out", "--lang", "zh", cwd=tmp_path).returncode == 0
    html = (tmp_path / "out" / "p.html").read_text(encoding="utf-8")
    assert "单位：万元 目标 负责人 状态 下达目标 负责人提议 差距 year.east 李娜 有异议 6,000 5,200 800" in _section(html, "negotiation")
    assert "深挖 TOP50 客户 李娜 2027-03-31 进行中" in _section(html, "actions")
    assert "Renew the distributor Chen 2027-02-28 已完成" in _section(html, "actions")


def test_the_json_report_carries_proposals_actions_and_scenarios(tmp_path):
    import json

    (tmp_path / "p.plan").write_text(PLAN + "scenario stretch { east = 70M }\n", encoding="utf-8")
    proc = run_planc("build", "p.plan", "-o", "out", "--scenario", "all", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "out" / "p.json").read_text(encoding="utf-8"))
    n = doc["negotiation"]
    assert n["proposals"] == [{"target": "year.east", "owner": "李娜", "status": "disputed",
                               "assigned": 60_000_000, "proposed": 52_000_000, "gap": 8_000_000}]
    assert {(a["target"], a["text"], a["due"], a["status"]) for a in n["actions"]} >= {
        ("year.east", "深挖 TOP50 客户", "2027-03-31", "open"), ("year.west", "Renew the distributor", "2027-02-28", "done")}
    assert list(n["scenarios"]) == ["base", "stretch"]
    assert n["scenarios"]["base"]["year.east"] == doc["targets"]["year.east"] == 60_000_000
    assert n["scenarios"]["stretch"]["year.east"] == 70_000_000


def test_markdown_split_tables_have_a_column_per_scenario(tmp_path):
    (tmp_path / "p.plan").write_text("target year = 120M\nsplit year by region { east = 60M; west = rest }\n"
                                     "scenario stretch { year = 150M; east = 70M }\n", encoding="utf-8")
    proc = run_planc("build", "p.plan", "-o", "out", "--format", "md", "--scenario", "all", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    md = (tmp_path / "out" / "p.md").read_text(encoding="utf-8")
    lines = [x for x in md.splitlines() if x.startswith("| ")]
    assert any(x.split("|")[1:-1][-1].strip() == "stretch" and "Amount" in x for x in lines)
    rows = {x.split("|")[1].strip(): [c.strip() for c in x.split("|")[1:-1]] for x in lines}
    assert rows["east"][-2:] == ["60,000,000", "70,000,000"]
    assert rows["west"][-2:] == ["60,000,000", "80,000,000"]  # the scenario's rest, computed by its own run
    assert rows["**Total**"][-2:] == ["**120,000,000**", "**150,000,000**"]
