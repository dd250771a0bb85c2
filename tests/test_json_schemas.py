"""Every JSON output carries `schema_version` and matches its JSON Schema in
docs/schemas/ (draft 2020-12), checked on real outputs of the shipped
example and the report fixtures (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from helpers import ROOT, run_planc

SCHEMAS = ROOT / "docs" / "schemas"
EXAMPLE = ROOT / "examples" / "fy2027" / "fy2027.plan"
FIXTURES = sorted((ROOT / "tests" / "golden" / "report").glob("*.plan"))
BAD = ('plan "p" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }\n'
       "target year = 120M\nsplit year by region { 华东 = 100M; 华北 = 30M }\n")
V1 = ('plan "p" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }\n'
      "target year = 120M\n"
      'split year by region { east = 40%; south = 30M [owner: "Chen", status: proposed]; west = rest }\n')
V2 = V1.replace("120M", "125M").replace("proposed", "agreed").replace("west = rest", "west = rest; north = 5M")


def validate(kind: str, doc: dict) -> None:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == [], kind
    assert doc["schema_version"] == "1"


def planc_json(*args: str, cwd: Path | None = None, rc: tuple[int, ...] = (0,)) -> dict:
    proc = run_planc(*args, "--format", "json", cwd=cwd)
    assert proc.returncode in rc, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("name", ["eval", "check", "build", "track", "diff"])
def test_the_schemas_are_valid_draft_2020_12(name):
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_schemas_describe_diagnostics_alike():
    defs = {n: json.loads((SCHEMAS / f"{n}.schema.json").read_text(encoding="utf-8"))["$defs"]["diagnostic"]
            for n in ("eval", "check")}
    assert defs["eval"] == defs["check"]


@pytest.mark.parametrize("plan", [EXAMPLE, *FIXTURES], ids=lambda p: p.stem)
def test_eval_json_matches_its_schema(plan):
    validate("eval", planc_json("eval", str(plan)))
    with_how = planc_json("eval", str(plan), "--how")
    assert with_how["derivations"] and list(with_how)[-2:] == ["derivations", "schema_version"]
    validate("eval", with_how)


def test_diagnostics_with_related_places_match_the_schemas(tmp_path):
    (tmp_path / "twice.plan").write_text("target year = 1\ntarget year = 2\n", encoding="utf-8")
    out = planc_json("eval", "twice.plan", cwd=tmp_path, rc=(1,))
    assert out["diagnostics"][0]["related"][0]["message"] == "first defined here"
    validate("eval", out)
    validate("check", planc_json("check", "twice.plan", cwd=tmp_path, rc=(1,)))


def test_eval_json_with_errors_refs_and_unreadable_plans_matches_its_schema(tmp_path):
    (tmp_path / "bad.plan").write_text(BAD, encoding="utf-8")
    out = planc_json("eval", "bad.plan", cwd=tmp_path, rc=(1,))
    assert [d["code"] for d in out["diagnostics"]] == ["E005"] and "end_column" in out["diagnostics"][0]
    validate("eval", out)
    validate("eval", planc_json("eval", str(EXAMPLE), "Q1", "nowhere", rc=(1,)))
    missing = planc_json("eval", "missing.plan", cwd=tmp_path, rc=(2,))
    assert missing["plan"] is None and missing["targets"] == {}
    validate("eval", missing)


def test_eval_json_keeps_its_four_keys_and_adds_only_the_version():
    out = planc_json("eval", str(FIXTURES[0]))  # a plan in money only
    assert list(out) == ["plan", "currency", "targets", "diagnostics", "schema_version"]
    example = planc_json("eval", str(EXAMPLE))  # with counts: their units too
    assert list(example) == ["plan", "currency", "targets", "diagnostics", "units", "schema_version"]
    assert example["units"]["new_logos"] == "accounts"
    assert example["units"]["year.华东.key_accounts.张伟.visits.W2027_10"] == "visits"


MEASURED = ('plan "p" { currency: CNY; round: 1000 }\nmeasure visits "拜访" { round: 5; rounding: up }\n'
            "target year = 120M\ntarget calls = 461 visits\ntarget penetration = 15%\n"
            "split calls by quarter { Q1 = 30%; Q2 = rest }\n")


def test_eval_json_names_the_unit_of_every_target_not_in_money(tmp_path):
    (tmp_path / "m.plan").write_text(MEASURED, encoding="utf-8")
    out = planc_json("eval", "m.plan", cwd=tmp_path)
    assert out["units"] == {"calls": "visits", "calls.Q1": "visits", "calls.Q2": "visits", "penetration": "ratio"}
    assert out["targets"]["calls"] == 465  # rounded up on its own grid of 5, while money keeps `round: 1000`
    assert out["targets"]["calls.Q1"] + out["targets"]["calls.Q2"] == 465
    assert list(out) == ["plan", "currency", "targets", "diagnostics", "units", "schema_version"]
    validate("eval", out)
    broken = {**out, "units": {"calls": 5}}
    with pytest.raises(AssertionError):
        validate("eval", broken)


def test_check_json_matches_its_schema(tmp_path):
    (tmp_path / "bad.plan").write_text(BAD + 'target extra = 1_500 [colour: "red"]\n', encoding="utf-8")
    out = planc_json("check", str(EXAMPLE), *map(str, FIXTURES), "bad.plan", "missing.plan", cwd=tmp_path, rc=(2,))
    assert out["errors"] == 2 and out["warnings"] >= 2  # E005 and E015; W001, W002 and the fixtures' own
    validate("check", out)


@pytest.mark.parametrize("plan", [EXAMPLE, *FIXTURES], ids=lambda p: p.stem)
def test_build_json_matches_its_schema(plan, tmp_path):
    proc = run_planc("build", str(plan), "-o", str(tmp_path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / f"{plan.stem}.json").read_text(encoding="utf-8"))
    validate("build", doc)
    assert list(doc)[:4] == ["plan", "currency", "targets", "diagnostics"]


def test_track_json_matches_its_schema(tmp_path):
    actuals = tmp_path / "actuals.csv"
    actuals.write_text("target,value\nyear.华东,12000000\nyear.Q1,30000000\nyear,40000000\n", encoding="utf-8")
    out = planc_json("track", str(EXAMPLE), "--actuals", str(actuals), "--as-of", "2027-04-15")
    assert set(out["targets"]) == {"year.华东", "year.Q1", "year"}
    validate("track", out)


def test_diff_json_matches_its_schema(tmp_path):
    (tmp_path / "v1.plan").write_text(V1, encoding="utf-8")
    (tmp_path / "v2.plan").write_text(V2, encoding="utf-8")
    out = planc_json("diff", "v1.plan", "v2.plan", cwd=tmp_path)
    assert {c["kind"] for c in out["changes"]} == {"changed", "added"}
    validate("diff", out)
    validate("diff", planc_json("diff", "v1.plan", "v1.plan", cwd=tmp_path))


def test_a_document_off_its_schema_is_caught():
    out = planc_json("eval", str(EXAMPLE))
    for broken in ({**out, "schema_version": "2"}, {k: v for k, v in out.items() if k != "schema_version"},
                   {**out, "targets": {"year": "150M"}}, {**out, "extra": 1}):
        with pytest.raises(AssertionError):
            validate("eval", broken)
