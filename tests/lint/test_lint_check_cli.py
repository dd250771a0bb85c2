"""`planc check`: output formats, exit codes, --list-rules, --explain, docs/rules.md."""

from __future__ import annotations

import io
import json

import pytest

from lintkit import ROOT, run_planc
from planc import cli
from planc.cli import output
from planc.lint.rules import RULES
from planc.lint.rules.docs import explain, render_markdown

CLEAN = 'plan "P" {\n  period: 2027-01-01 .. 2027-12-31\n}\ntarget year = 120M\n'
WARN = "target year = 120M\nsplit year by quarter using even { Q1; Q2; Q3; Q4 }\n"
ERROR = "target year = 100M\nsplit year by region { east = 90%; west = 20% }\n"


@pytest.fixture
def plans(tmp_path):
    for name, text in {"clean.plan": CLEAN, "warn.plan": WARN, "error.plan": ERROR}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def check(plans, capsys, *args):
    code = cli.main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_docs_rules_md_is_up_to_date():
    """Regenerate with: planc check --list-rules --format md > docs/rules.md"""
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == render_markdown()


def test_docs_name_every_rule_and_option():
    text = render_markdown()
    for rule in RULES.values():
        assert f"## {rule.code} {rule.name}" in text
        for option in rule.options:
            assert f"`{option} = " in text


def test_explain(capsys):
    assert cli.main(["check", "--explain", "W102"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("W102 high-growth")
    assert "Bad:" in out and "max-growth = \"100%\"" in out
    assert cli.main(["check", "--explain", "dominant-child"]) == 0
    assert "W106" in capsys.readouterr().out
    assert explain("W001").startswith("W001 not-multiple-of-round (built-in")


def test_explain_unknown_rule_is_a_usage_error(capsys):
    assert cli.main(["check", "--explain", "W999"]) == 2
    assert "no rule `W999`" in capsys.readouterr().err


def test_list_rules(capsys):
    assert cli.main(["check", "--list-rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    assert cli.main(["check", "--list-rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in data] == list(RULES)
    assert cli.main(["check", "--list-rules", "--format", "md"]) == 0
    assert capsys.readouterr().out == render_markdown()


def test_check_without_plans_is_a_usage_error(capsys):
    assert cli.main(["check"]) == 2


def test_exit_codes(plans, capsys, monkeypatch):
    monkeypatch.chdir(plans)
    assert check(plans, capsys, "clean.plan")[0] == 0
    assert check(plans, capsys, "warn.plan")[0] == 0
    assert check(plans, capsys, "--strict", "warn.plan")[0] == 1
    assert check(plans, capsys, "--strict", "clean.plan")[0] == 0
    assert check(plans, capsys, "clean.plan", "error.plan")[0] == 1
    assert check(plans, capsys, "clean.plan", "missing.plan")[0] == 2


def test_text_format(plans, capsys, monkeypatch):
    monkeypatch.chdir(plans)
    code, out, err = check(plans, capsys, "warn.plan", "error.plan")
    assert code == 1 and out == ""
    assert "error.plan:2:43: error[E005]: split of year by region allocates" in err
    assert "warn.plan:2:15: warning[W101]: split of year by quarter gives all 4 periods the same amount" in err
    assert "\n  = help: reflect seasonality" in err  # `=` under the one-digit gutter's `|`
    assert "\x1b[" not in err  # not a terminal: no colour
    assert err.rstrip().endswith("1 error, 1 warning in 2 files")


def test_text_colour_only_on_a_terminal(monkeypatch):
    from planc.pipeline import compile_text

    diags = compile_text(WARN).diagnostics

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    stream = Tty()
    output.print_diagnostics(diags, "text", stream)
    assert "\x1b[1;33mwarning[W101]" in stream.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    stream = Tty()
    output.print_diagnostics(diags, "text", stream)
    assert "\x1b[" not in stream.getvalue()


def test_concise_format(plans, capsys, monkeypatch):
    monkeypatch.chdir(plans)
    code, out, err = check(plans, capsys, "--format", "concise", "warn.plan", "error.plan")
    assert err.splitlines() == [
        "warn.plan:2:15: warning[W101]: split of year by quarter gives all 4 periods the same amount",
        "error.plan:2:43: error[E005]: split of year by region allocates 110,000,000 of 100,000,000 (110.0%)",
    ]


def test_json_format(plans, capsys, monkeypatch):
    monkeypatch.chdir(plans)
    code, out, err = check(plans, capsys, "--format", "json", "warn.plan")
    data = json.loads(out)
    assert code == 0 and data["errors"] == 0 and data["warnings"] == 1
    (d,) = data["diagnostics"]
    assert d == {"file": "warn.plan", "line": 2, "column": 15, "severity": "warning", "code": "W101",
                 "message": "split of year by quarter gives all 4 periods the same amount",
                 "end_line": 2, "end_column": 22, "help": d["help"]}


def test_github_format(plans, capsys, monkeypatch):
    monkeypatch.chdir(plans)
    code, out, err = check(plans, capsys, "--format", "github", "--strict", "warn.plan")
    assert code == 1
    assert out.startswith("::warning file=warn.plan,line=2,endLine=2,col=15,endColumn=22,"
                          "title=W101 flat-time-split::split of year by quarter")
    assert "%0A%0Ahelp: reflect seasonality" in out


def test_md_format_needs_list_rules(capsys):
    assert cli.main(["check", "--format", "md", "x.plan"]) == 2


def test_real_entry_point(plans):
    proc = run_planc("check", "--format", "concise", "--strict", "clean.plan", "warn.plan", cwd=plans)
    assert proc.returncode == 1
    assert proc.stderr.strip() == ("warn.plan:2:15: warning[W101]: split of year by quarter gives all 4 "
                                   "periods the same amount")


def test_check_reuses_one_parser(tmp_path, monkeypatch):
    """Checking many files in one process builds the Lark parser once."""
    from planc.syntax import builder
    from planc.pipeline import compile_plan

    built = []
    real = builder.Lark

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setenv("PLANC_NO_CACHE", "1")  # parse every file (no cached syntax trees)
    monkeypatch.setattr(builder, "_PARSER", None)
    monkeypatch.setattr(builder, "Lark", counting)
    for n in range(5):
        (tmp_path / f"p{n}.plan").write_text(WARN + f"target other{n} = {n + 1}M\n")
        assert [d.code for d in compile_plan(tmp_path / f"p{n}.plan").diagnostics] == ["W101"]
    assert len(built) == 1


def test_check_does_not_import_heavy_modules(tmp_path):
    (tmp_path / "p.plan").write_text(CLEAN)
    code = ("import sys; from planc.cli import main; main(['check', 'p.plan']); "
            "print(','.join(m for m in ('jinja2', 'difflib', 'tomllib', 'planc.fmt') if m in sys.modules))")
    import subprocess
    import sys
    import os

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
