"""`planc build`: files, exit codes, atomic and reproducible output, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from report_helpers import ENV, EXAMPLE, GOLDEN, ROOT, run_build

BAD_PLAN = """
target year = 100M
split year by region { east = 60M; west = 50M }
"""


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_default_formats_are_html_and_markdown(tmp_path):
    code, out, err = run_build([EXAMPLE], tmp_path / "build")
    assert code == 0, err
    files = tree(tmp_path / "build")
    assert {"fy2027.html", "fy2027.md"} <= set(files)
    assert "fy2027.owners/li-na.md" in files and "fy2027.owners/张伟.md" in files
    assert not any(name.endswith((".json", ".csv")) for name in files)
    assert not any(Path(name).name.startswith(".") for name in files)  # no temporary files left
    assert "fy2027.html" in out


def test_reproducible_byte_for_byte(tmp_path):
    """Same input and SOURCE_DATE_EPOCH -> identical files, wherever the plan and the output live."""
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_build([EXAMPLE], first, "html,md,json,csv")[0] == 0
    moved = tmp_path / "elsewhere" / "fy2027"
    shutil.copytree(EXAMPLE.parent, moved)
    assert run_build([moved / "fy2027.plan"], second, "html,md,json,csv")[0] == 0
    assert tree(first) == tree(second)
    assert b"2027-01-01 00:00 UTC" in tree(first)["fy2027.html"]


def test_generation_time_defaults_to_now(tmp_path):
    code, _, _ = run_build([GOLDEN / "basic.plan"], tmp_path, "md", environ={})
    assert code == 0
    assert "2027-01-01 00:00 UTC" not in (tmp_path / "basic.md").read_text(encoding="utf-8")


def test_a_plan_with_errors_writes_nothing(tmp_path, write_plan):
    bad = write_plan(BAD_PLAN, "bad.plan")
    out = tmp_path / "build"
    code, stdout, err = run_build([EXAMPLE, bad], out, "html,md,json,csv")
    assert code == 1
    assert "error[E005]" in err and "nothing written" in err
    assert not out.exists() and stdout == ""


def test_errors_leave_an_earlier_report_alone(tmp_path, write_plan):
    plan = write_plan((GOLDEN / "basic.plan").read_text(encoding="utf-8"), "basic.plan")
    out = tmp_path / "build"
    assert run_build([plan], out)[0] == 0
    before = tree(out)
    plan.write_text(BAD_PLAN, encoding="utf-8")
    assert run_build([plan], out)[0] == 1
    assert tree(out) == before


@pytest.mark.parametrize("fmt", ["pdf", "html,docx", ""])
def test_unknown_format_is_a_usage_error(tmp_path, fmt):
    code, _, err = run_build([EXAMPLE], tmp_path / "o", fmt)
    assert code == 2 and "unknown format" in err
    assert not (tmp_path / "o").exists()


def test_unreadable_plan_exits_2(tmp_path):
    code, _, err = run_build([tmp_path / "missing.plan"], tmp_path / "o")
    assert code == 2 and "cannot read" in err
    assert not (tmp_path / "o").exists()


def test_two_plans_with_one_name_are_refused(tmp_path, write_plan):
    other = tmp_path / "x"
    other.mkdir()
    shutil.copy(GOLDEN / "basic.plan", other / "fy2027.plan")
    code, _, err = run_build([EXAMPLE, other / "fy2027.plan"], tmp_path / "o")
    assert code == 2 and "same report files" in err


def test_output_that_is_a_file_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_build([GOLDEN / "basic.plan"], blocker)
    assert code == 2 and "cannot write" in err


def test_owner_sheets_of_departed_owners_are_removed(tmp_path, write_plan):
    text = (GOLDEN / "basic.plan").read_text(encoding="utf-8")
    plan = write_plan(text, "basic.plan")
    out = tmp_path / "build"
    assert run_build([plan], out, "md")[0] == 0
    mine = out / "basic.owners" / "notes.md"
    mine.write_text("my own notes\n", encoding="utf-8")  # not ours: never touched
    assert (out / "basic.owners" / "ali-khan.md").exists()
    plan.write_text(text.replace('owner: "Ali Khan", ', ""), encoding="utf-8")
    assert run_build([plan], out, "md")[0] == 0
    assert not (out / "basic.owners" / "ali-khan.md").exists()
    assert mine.read_text(encoding="utf-8") == "my own notes\n"


def test_files_respect_the_umask(tmp_path):
    assert run_build([GOLDEN / "basic.plan"], tmp_path, "json")[0] == 0
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "basic.json").stat().st_mode & 0o777 == 0o666 & ~mask


def test_json_has_the_eval_shape_and_details(tmp_path):
    assert run_build([EXAMPLE], tmp_path, "json")[0] == 0
    doc = json.loads((tmp_path / "fy2027.json").read_text(encoding="utf-8"))
    evaluated = subprocess.run([sys.executable, "-m", "planc", "eval", str(EXAMPLE), "--format", "json"],
                               capture_output=True, text=True, env=_env(), check=True)
    eval_doc = json.loads(evaluated.stdout)
    for key in ("plan", "currency", "targets", "diagnostics"):
        assert doc[key] == eval_doc[key], key
    west = doc["details"]["year.西部"]
    assert west["method"] == "weight" and west["capped"] == {"bound": "max", "at": "24M"}
    assert west["factors"] == {"history": 0.6, "potential": 0.4}
    assert west["status"] == "disputed" and west["due"] == "2027-01-15"
    assert doc["details"]["year.strategic"]["margin"] == 0.38
    assert doc["open_items"][:2] == ["year.华北.吴婷", "year.西部"]
    assert doc["report"]["generated"] == "2027-01-01T00:00:00Z"


def test_csv_has_one_row_per_target(tmp_path):
    assert run_build([EXAMPLE], tmp_path, "csv")[0] == 0
    raw = (tmp_path / "fy2027.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw  # Excel-friendly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0])[:8] == ["path", "parent", "dimension", "amount", "share", "method", "owner", "status"]
    by_path = {r["path"]: r for r in rows}
    # 43 targets and 16 cells of the region × quarter cross; new_logos and its halves; 4 key-account
    # reps × 3 funnel steps, each split into the 53 weeks of FY2027
    assert len(by_path) == len(rows) == 59 + 3 + 4 * 3 * (1 + 53)
    assert by_path["year.华东.key_accounts.张伟.visits"]["method"] == "funnel"
    east = by_path["year.华东"]
    assert (east["parent"], east["dimension"], east["amount"], east["method"], east["owner"], east["status"]) == \
        ("year", "region", "51767000", "weight", "Li Na", "agreed")
    assert float(east["share"]) == pytest.approx(51767000 / 150000000, abs=1e-6)


def _env() -> dict:
    env = dict(os.environ, **ENV)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_the_real_command_line(tmp_path):
    """The real entry point in a subprocess, as a user runs it."""
    out = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "planc", "build", str(EXAMPLE), "-o", str(out),
                           "--format", "html,md,json,csv", "--lang", "zh"],
                          capture_output=True, text=True, env=_env(), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (out / "fy2027.html").read_text(encoding="utf-8").count("<svg") > 10
    assert "1.5亿" in (out / "fy2027.md").read_text(encoding="utf-8")
    assert str(out / "fy2027.html") in proc.stdout
    bad = tmp_path / "bad.plan"
    bad.write_text(BAD_PLAN, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "planc", "build", str(bad), "-o", str(tmp_path / "never")],
                          capture_output=True, text=True, env=_env())
    assert proc.returncode == 1 and "E005" in proc.stderr and not (tmp_path / "never").exists()


def test_check_does_not_load_jinja():
    code = "import sys, planc.cli; planc.cli.main(['check', %r]); print('jinja2' in sys.modules)" % str(EXAMPLE)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env())
    assert proc.stdout.strip() == "False", proc.stderr


def test_warnings_are_printed_and_reported(tmp_path, write_plan):
    plan = write_plan("target year = 1000\nsplit year by q { Q1 = 1/3 * year; Q2 = rest }\n", "warn.plan")
    code, _, err = run_build([plan], tmp_path / "o", "html,md")
    assert code == 0 and "warning[W001]" in err
    md = (tmp_path / "o" / "warn.md").read_text(encoding="utf-8")
    assert "- `warn.plan:2:24` W001: 333.333333 is not a multiple of the rounding unit 1" in md
    assert "W001</span> 333.333333 is not a multiple" in (tmp_path / "o" / "warn.html").read_text(encoding="utf-8")


def test_a_bad_source_date_epoch_is_a_usage_error(tmp_path):
    code, _, err = run_build([EXAMPLE], tmp_path, "md", environ={"SOURCE_DATE_EPOCH": "abc"})
    assert code == 2 and "SOURCE_DATE_EPOCH" in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())
