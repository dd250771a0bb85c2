"""`planc check --format sarif` (SARIF 2.1.0, for code scanning) and the
GitHub annotations' end positions and titles (issue 13).

tests/data/sarif-schema-2.1.0.json is the official OASIS schema (errata01,
JSON Schema draft-04), vendored unchanged; see tests/data/README.md.
"""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from helpers import ROOT, run_planc
from planc.diagnostics.codes import CODE_NAMES
from planc.lint.rules import RULES

SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

# 华东 before the error: code points, UTF-8 bytes and UTF-16 units all count it differently.
PLAN = ('plan "p" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }\n'
        "target year = 120M\n"
        "split year by region { 华东 = 100M; 华北 = 30M }\n"
        'target extra = 1_500 [owner: "Li", status: agreed]\n')


def sarif(tmp_path, *plans) -> dict:
    proc = run_planc("check", *plans, "--format", "sarif", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # the plan has an error; the exit code does not change
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def github_anchors(doc: str) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings."""
    out = set()
    for heading in re.findall(r"^#+ (.+)$", doc, flags=re.M):
        out.add("".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -_").replace(" ", "-"))
    return out


def test_sarif_log_is_valid_against_the_official_schema(tmp_path):
    (tmp_path / "p.plan").write_text(PLAN, encoding="utf-8")
    log = sarif(tmp_path, "p.plan")
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    errors = sorted(jsonschema.Draft4Validator(SCHEMA).iter_errors(log), key=str)
    assert errors == []
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    # the validator sees a broken log, so a pass above means something
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(jsonschema.Draft4Validator(SCHEMA).iter_errors(broken))


def test_sarif_results_regions_count_code_points(tmp_path):
    (tmp_path / "p.plan").write_text(PLAN, encoding="utf-8")
    run = sarif(tmp_path, "p.plan")["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    (e005,) = [r for r in run["results"] if r["ruleId"] == "E005"]
    assert e005["level"] == "error" and e005["message"]["text"].startswith("split of year by region allocates")
    assert "\n\nhelp: " in e005["message"]["text"]
    loc = e005["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "p.plan", "uriBaseId": "%SRCROOT%"}
    line = PLAN.splitlines()[2]
    start = line.index("30M") + 1  # code points, 1-based; 华东/华北 count one each
    assert loc["region"] == {"startLine": 3, "startColumn": start, "endLine": 3, "endColumn": start + 3}
    (w001,) = [r for r in run["results"] if r["ruleId"] == "W001"]
    assert w001["level"] == "warning"
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_rules_describe_every_code_with_a_docs_link(tmp_path):
    (tmp_path / "p.plan").write_text(PLAN, encoding="utf-8")
    driver = sarif(tmp_path, "p.plan")["runs"][0]["tool"]["driver"]
    assert driver["name"] == "planc"
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == set(CODE_NAMES) | set(RULES)
    assert len(rules) == len(driver["rules"])  # each once
    w102 = rules["W102"]
    assert w102["name"] == "high-growth" and w102["helpUri"] == "docs/rules.md#w102-high-growth"
    assert w102["defaultConfiguration"] == {"level": "warning"} and w102["help"]["markdown"] == RULES["W102"].doc
    e005 = rules["E005"]
    assert (e005["name"], e005["shortDescription"]["text"]) == ("over-allocation", "over-allocation")
    assert e005["helpUri"] == "docs/errors.md#e005--over-allocation"
    assert e005["defaultConfiguration"] == {"level": "error"}
    anchors = {name: github_anchors((ROOT / "docs" / name).read_text(encoding="utf-8"))
               for name in ("errors.md", "rules.md")}
    for rule in driver["rules"]:
        page, _, anchor = rule["helpUri"].removeprefix("docs/").partition("#")
        assert anchor in anchors[page], rule["helpUri"]


def test_sarif_uris_outside_the_folder_are_absolute(tmp_path):
    inner = tmp_path / "work"
    inner.mkdir()
    (tmp_path / "p.plan").write_text(PLAN, encoding="utf-8")
    (inner / "sub").mkdir()
    (inner / "sub" / "q 1.plan").write_text(PLAN, encoding="utf-8")
    log = sarif(inner, str(tmp_path / "p.plan"), "sub/q 1.plan")
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    assert {"uri": (tmp_path / "p.plan").as_uri()} in uris
    assert {"uri": "sub/q%201.plan", "uriBaseId": "%SRCROOT%"} in uris
    errors = list(jsonschema.Draft4Validator(SCHEMA).iter_errors(log))
    assert errors == []


def test_sarif_of_a_plan_with_only_warnings_exits_0(tmp_path):
    (tmp_path / "ok.plan").write_text(PLAN.replace("100M", "60M").replace("30M", "60M"), encoding="utf-8")
    proc = run_planc("check", "ok.plan", "--format", "sarif", cwd=tmp_path)
    log = json.loads(proc.stdout)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["W001"] and proc.returncode == 0


def test_code_names_match_docs_errors_md():
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert dict(re.findall(r"^## ([EW]\d{3}) — (.+)$", doc, flags=re.M)) == CODE_NAMES


@pytest.mark.parametrize("fmt", ["github"])
def test_github_annotations_have_end_positions_and_rule_titles(tmp_path, fmt):
    (tmp_path / "p.plan").write_text(PLAN, encoding="utf-8")
    lines = run_planc("check", "p.plan", "--format", fmt, cwd=tmp_path).stdout.splitlines()
    start = PLAN.splitlines()[2].index("30M") + 1
    (e005,) = [l for l in lines if "E005" in l]
    assert e005.startswith(f"::error file=p.plan,line=3,endLine=3,col={start},endColumn={start + 3},"
                           "title=E005 over-allocation::split of year by region")
    (w001,) = [l for l in lines if "W001" in l]
    assert w001.startswith("::warning file=p.plan,line=4,endLine=4,") and ",title=W001 not-multiple-of-round::" in w001


def test_github_annotation_of_a_span_over_lines_has_no_end_column():
    from planc.diagnostics import error
    from planc.diagnostics.render import render_github
    from planc.source import Source, Span

    src = Source("x.plan", "split y by q {\n  a\n}\n")
    line = render_github(error("E028", "split without children", Span(src, 0, len(src.text) - 1)), "E028 t")
    assert line.startswith("::error file=x.plan,line=1,endLine=3,col=1,title=E028 t::")
    whole_file = render_github(error("E015", "cannot read", path="x.plan"))
    assert whole_file == "::error file=x.plan,line=1,col=1,title=E015::cannot read"


def test_sarif_escapes_bidi_characters_as_the_other_json_outputs(tmp_path):
    name = "x\u202eevil.plan"  # a missing file whose name reverses the text after it
    proc = run_planc("check", name, "--format", "sarif", cwd=tmp_path)
    assert proc.returncode == 2 and "\u202e" not in proc.stdout and "\\u202e" in proc.stdout
    (result,) = json.loads(proc.stdout)["runs"][0]["results"]
    assert result["ruleId"] == "E015" and "\u202e" in result["message"]["text"]  # the same text once decoded
