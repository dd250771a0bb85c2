"""The real `planc` entry point, in subprocesses: formats and exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest

from helpers import run_planc
from planc.diagnostics import display_width

GOOD = textwrap.dedent("""\
    plan "FY2027 Sales Targets" {
      currency: CNY; period: 2027-01-01 .. 2027-12-31
      round: 1000
    }
    target year = 120M
    split year by quarter { Q1 = 20%; Q2 = 24%; Q3 = 26%; Q4 = rest }
    split year by region { 华东 = 4500万; north = rest }
    """)
BAD = GOOD + "split year by team { a = 100M; b = 30M }\n"


def write(tmp_path, text, name="fy.plan"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_eval_json_has_the_contract_shape(tmp_path):
    proc = run_planc("eval", str(write(tmp_path, GOOD)), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"plan", "currency", "targets", "diagnostics", "schema_version"}
    assert out["schema_version"] == "1"
    assert out["plan"] == "FY2027 Sales Targets" and out["currency"] == "CNY"
    assert out["targets"]["year"] == 120_000_000 and isinstance(out["targets"]["year.Q1"], int)
    assert out["targets"]["year.华东"] == 45_000_000
    assert list(out["targets"])[0] == "year"  # parents before children
    assert out["diagnostics"] == []


def test_eval_json_with_errors_keeps_what_could_be_evaluated(tmp_path):
    proc = run_planc("eval", str(write(tmp_path, BAD)), "--format", "json")
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert out["targets"]["year.Q4"] == 36_000_000
    assert "year.team" not in out["targets"] and "year.a" not in out["targets"]
    (d,) = out["diagnostics"]
    assert (d["code"], d["severity"], d["line"], d["column"]) == ("E005", "error", 8, 36)
    assert d["file"].endswith("fy.plan")


def test_eval_table_is_aligned_with_thousands_separators(tmp_path):
    proc = run_planc("eval", str(write(tmp_path, GOOD)))
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["target", "amount", "(CNY)", "how"]
    row = next(l for l in lines if l.startswith("year.Q2 "))
    assert "28,800,000" in row and "24% of year" in row
    # The amount column is right-aligned: every amount (the first number with thousands
    # separators; the "how" column after it may hold more) ends at the same terminal column
    # (华东 takes two columns per character).
    amounts = [re.search(r"\d{1,3}(,\d{3})+", l) for l in lines[2:]]
    ends = {display_width(l[: m.end()]) for l, m in zip(lines[2:], amounts) if m}
    assert len(ends) == 1 and len(amounts) == len(lines) - 2


def test_eval_selected_refs_and_unknown_ref(tmp_path):
    path = str(write(tmp_path, GOOD))
    out = json.loads(run_planc("eval", path, "Q1", "华东", "--format", "json").stdout)
    assert out["targets"] == {"year.Q1": 24_000_000, "year.华东": 45_000_000}
    proc = run_planc("eval", path, "nowhere")
    assert proc.returncode == 1 and "no target named `nowhere`" in proc.stderr


def test_check_text_diagnostic_format_and_exit_code(tmp_path):
    proc = run_planc("check", str(write(tmp_path, BAD)))
    assert proc.returncode == 1
    first = proc.stderr.splitlines()[0]
    assert first.endswith("fy.plan:8:36: error[E005]: split of year by team allocates 130,000,000 of "
                          "120,000,000 (108.3%)")
    assert " 8 | split year by team { a = 100M; b = 30M }" in proc.stderr.replace("\n8 |", "\n 8 |")
    assert "^^^" in proc.stderr and "= help:" in proc.stderr
    assert proc.stderr.rstrip().endswith("1 error, 0 warnings in 1 file")


def test_check_clean_plan_exits_zero_and_strict_fails_on_warnings(tmp_path):
    assert run_planc("check", str(write(tmp_path, GOOD))).returncode == 0
    warned = write(tmp_path, GOOD + 'target extra = 1_500 [colour: "red"]\n', "w.plan")
    proc = run_planc("check", str(warned))
    assert proc.returncode == 0 and "warning[W" in proc.stderr
    assert run_planc("check", "--strict", str(warned)).returncode == 1


def test_check_json_and_github_formats(tmp_path):
    path = str(write(tmp_path, BAD))
    out = json.loads(run_planc("check", path, "--format", "json").stdout)
    assert out["errors"] == 1 and out["diagnostics"][0]["code"] == "E005"
    gh = run_planc("check", path, "--format", "github").stdout.splitlines()
    assert gh[0].startswith("::error file=") and ",line=8,endLine=8,col=36,endColumn=39,title=E005 over-allocation::" in gh[0]


def test_many_plans_in_one_check(tmp_path):
    a, b = write(tmp_path, GOOD, "a.plan"), write(tmp_path, BAD, "b.plan")
    proc = run_planc("check", str(a), str(b), "--format", "concise")
    assert proc.returncode == 1
    assert [l.split(":")[0].endswith("b.plan") for l in proc.stderr.splitlines() if "error[" in l] == [True]


def test_unreadable_files_and_usage_errors_exit_2(tmp_path):
    proc = run_planc("check", str(tmp_path / "missing.plan"))
    assert proc.returncode == 2 and "missing.plan:1:1: error[E015]: cannot read" in proc.stderr
    latin = tmp_path / "latin.plan"
    latin.write_bytes("target caf\xe9 = 1\n".encode("latin-1"))
    proc = run_planc("check", str(latin))
    assert proc.returncode == 2 and "error[E016]" in proc.stderr and "not UTF-8" in proc.stderr
    assert run_planc("check", str(tmp_path)).returncode == 2  # a directory
    assert run_planc("eval").returncode == 2
    assert run_planc("frobnicate").returncode == 2
    assert run_planc().returncode == 2


def test_version_and_help():
    proc = run_planc("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("planc ")
    helptext = run_planc("--help").stdout
    for command in ("check", "eval", "build"):
        assert command in helptext


def test_no_traceback_on_hostile_input(tmp_path):
    for text in ["\x00\x01\x02", "(" * 5000, "target x = " + "9" * 5000, "split " * 2000,
                 "target a = 1\n" * 3000 + "target a = 2\n", '"unterminated', "\ufeff" + GOOD]:
        proc = run_planc("check", str(write(tmp_path, text, "h.plan")))
        assert "Traceback" not in proc.stderr and proc.returncode in (0, 1), (text[:20], proc.stderr[-500:])


def test_check_does_not_import_jinja2_or_the_cross_maths(tmp_path):
    """Nor the SARIF and workbook code, nor the rule metadata for tools (issue 13), nor Pygments and the lexer."""
    path = write(tmp_path, GOOD)
    code = ("import sys\nfrom planc.cli import main\nrc = main(['check', %r])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe') "
            "or m.split('.')[0] in ('xlsxwriter', 'openpyxl', 'jsonschema', 'pygments', 'pygls', 'lsprotocol', 'cattrs') "
            "or m in ('planc.evaluate.crosses', 'planc.maths.matrix', 'difflib', 'planc.report', "
            "'planc.diagnostics.sarif', 'planc.diagnostics.codes', 'planc.cli.annotations', 'planc.syntax.highlight')))" % str(path))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("argv", [
    ["check", "a.plan", "--strict", "--format", "json"],
    ["--debug", "eval", "a.plan", "Q1", "--format", "json", "--how"],
    ["build", "a.plan", "-o", "out", "--lang", "zh"],
    ["fmt", "--check", "a.plan"],
    ["track", "a.plan", "--actuals", "x.csv", "--as-of", "2027-03-31"],
    ["diff", "a.plan", "b.plan"],
    ["completion", "bash"],
    ["lsp"],
    ["lsp", "--stdio"],
])
def test_a_parser_with_only_the_command_run_reads_arguments_as_the_full_one(argv):
    from planc.cli import build_parser, command_named

    assert command_named(argv) == next(a for a in argv if not a.startswith("-"))
    assert build_parser(only=command_named(argv)).parse_known_args(argv) == build_parser().parse_known_args(argv)


def test_an_unknown_command_still_lists_every_command(capsys):
    from planc import cli

    with pytest.raises(SystemExit) as exit_:
        cli.main(["bogus", "a.plan"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'bogus'" in err and all(c in err for c in ("check", "eval", "build", "track"))
