"""Configuration ([tool.planc] / planc.toml) and suppression comments."""

from __future__ import annotations

from fractions import Fraction

import pytest

from lintkit import codes, found, lint, run_planc  # noqa: F401 - `lint` is a fixture
from planc.lint import config as config_mod
from planc.lint.config import Config, ConfigError, parse
from planc.pipeline import compile_text
from planc.lint.suppress import scan

FLAT = "target year = 120M\nsplit year by quarter using even { Q1; Q2; Q3; Q4 }\n"
GROWTH = ("table history { east = 28M; north = 30M; west = 12M }\ntarget year = 88M\n"
          "split year by region {\n  east = 40M\n  north = 30M\n  west = rest\n}\n")  # east +42.9%, west +50%


@pytest.fixture(autouse=True)
def fresh_cache():
    config_mod._CACHE.clear()
    yield
    config_mod._CACHE.clear()


def test_planc_toml_disables_a_rule(lint, tmp_path):
    (tmp_path / "planc.toml").write_text('disable = ["flat-time-split"]\n')
    assert codes(lint(FLAT)) == []


def test_pyproject_tool_planc_found_walking_up(lint, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.planc]\ndisable = ["W101"]\n')
    assert codes(lint(FLAT, name="plans/deep/main.plan")) == []


def test_pyproject_without_tool_planc_is_skipped(lint, tmp_path):
    (tmp_path / "planc.toml").write_text('disable = ["W101"]\n')
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert codes(lint(FLAT, name="plans/main.plan")) == []


def test_nearest_configuration_wins_without_merging(lint, tmp_path):
    (tmp_path / "planc.toml").write_text('disable = ["W101"]\n')
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "planc.toml").write_text('disable = ["W106"]\n')
    assert codes(lint(FLAT, name="plans/main.plan")) == ["W101"]


def test_threshold_option(lint, tmp_path):
    assert codes(lint(GROWTH)) == []
    (tmp_path / "planc.toml").write_text('[rules.high-growth]\nmax-growth = "40%"\n')
    config_mod._CACHE.clear()
    assert found(lint(GROWTH), "W102") == [(4, 3), (6, 3)]


def test_threshold_as_a_ratio_and_by_code(lint, tmp_path):
    (tmp_path / "planc.toml").write_text("[rules.W102]\nmax-growth = 0.45\n")
    assert found(lint(GROWTH), "W102") == [(6, 3)]


def test_history_tables_option(lint, tmp_path):
    plan = GROWTH.replace("table history", "table last_year")
    assert codes(lint(plan)) == ["W107"]
    (tmp_path / "planc.toml").write_text('history-tables = ["last_year"]\n[rules.high-growth]\nmax-growth = "10%"\n')
    config_mod._CACHE.clear()
    assert codes(lint(plan)) == ["W102", "W102"]


def test_severity_override(lint, tmp_path):
    (tmp_path / "planc.toml").write_text('[severity]\nflat-time-split = "error"\n')
    result = lint(FLAT)
    assert [(d.code, d.severity) for d in result.diagnostics] == [("W101", "error")]
    assert result.has_errors


def test_severity_off(lint, tmp_path):
    (tmp_path / "planc.toml").write_text('[severity]\nW101 = "off"\n')
    assert codes(lint(FLAT)) == []


def test_disable_all_enable_one(lint, tmp_path):
    (tmp_path / "planc.toml").write_text('disable = ["all"]\nenable = ["W106"]\n')
    plan = FLAT + "split year by region { east = 90%; west = rest }\n"
    assert codes(lint(plan)) == ["W106"]


def test_builtin_warnings_are_configurable(lint, tmp_path):
    plan = "target year = 1M [colour: red]\n"
    assert codes(lint(plan)) == ["W002"]
    (tmp_path / "planc.toml").write_text('disable = ["unknown-attribute"]\n')
    config_mod._CACHE.clear()
    assert codes(lint(plan)) == []


def test_errors_are_not_configurable():
    with pytest.raises(ConfigError, match="unknown rule `E005`"):
        parse({"disable": ["E005"]})


@pytest.mark.parametrize("data,message", [
    ({"disabled": ["W101"]}, "unknown key `disabled`"),
    ({"disable": "W101"}, "must be a list"),
    ({"disable": ["W999"]}, "unknown rule `W999`"),
    ({"severity": {"W101": "fatal"}}, "must be one of error, warning, off"),
    ({"rules": {"high-growth": {"max": "5%"}}}, "has no option `max`"),
    ({"rules": {"high-growth": {"max-growth": "five"}}}, "must be a percentage"),
    ({"rules": {"dominant-child": {"min-children": -1}}}, "whole number"),
    ({"rules": {"missing-owner": {"inherit": "yes"}}}, "true or false"),
    ({"history-tables": 3}, "list of table names"),
])
def test_config_errors(data, message):
    with pytest.raises(ConfigError, match=message):
        parse(data)


def test_parse_values():
    config = parse({"disable": ["W101", "dominant-child"], "severity": {"high-growth": "error"},
                    "rules": {"W102": {"max-growth": "-12.5%"}}, "history-tables": "hist"})
    assert config.disabled == {"W101", "W106"}
    assert config.severities == {"W102": "error"}
    assert config.options == {"W102": {"max-growth": Fraction(-1, 8)}}
    assert config.global_options == {"history-tables": ("hist",)}


def test_broken_config_is_e090_and_defaults_apply(lint, tmp_path):
    (tmp_path / "planc.toml").write_text("disable = [W101\n")
    result = lint(FLAT)
    assert codes(result) == ["E090", "W101"]
    e090 = result.diagnostics[0]
    assert e090.file.endswith("planc.toml") and e090.line == 1


def test_check_exits_2_on_a_broken_config(tmp_path):
    (tmp_path / "planc.toml").write_text('disable = ["nope"]\n')
    (tmp_path / "p.plan").write_text(FLAT)
    proc = run_planc("check", "p.plan", cwd=tmp_path)
    assert proc.returncode == 2
    assert "E090" in proc.stderr and "unknown rule `nope`" in proc.stderr


def test_explicit_config_flag(tmp_path):
    (tmp_path / "p.plan").write_text(FLAT)
    (tmp_path / "other.toml").write_text('[tool.planc]\ndisable = ["W101"]\n')
    (tmp_path / "pyproject.toml").write_text('[tool.planc]\ndisable = ["W101"]\n')
    assert run_planc("check", "--strict", "p.plan", cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text('[tool.planc]\ndisable = []\n')
    assert run_planc("check", "--strict", "p.plan", cwd=tmp_path).returncode == 1
    (tmp_path / "strict.toml").write_text('disable = ["W101"]\n')
    assert run_planc("check", "--strict", "--config", "strict.toml", "p.plan", cwd=tmp_path).returncode == 0
    proc = run_planc("check", "--config", "missing.toml", "p.plan", cwd=tmp_path)
    assert proc.returncode == 2 and "no such file" in proc.stderr


def test_compile_text_without_a_directory_uses_defaults(tmp_path, monkeypatch):
    (tmp_path / "planc.toml").write_text('disable = ["W101"]\n')
    monkeypatch.chdir(tmp_path)
    assert [d.code for d in compile_text(FLAT).diagnostics] == ["W101"]
    assert [d.code for d in compile_text(FLAT, directory=tmp_path).diagnostics] == []
    assert [d.code for d in compile_text(FLAT, directory=tmp_path, config=Config()).diagnostics] == ["W101"]


# ---- suppression comments ---------------------------------------------------------------------


def test_disable_on_the_line(lint):
    plan = "target year = 120M\nsplit year by quarter using even { Q1; Q2; Q3; Q4 }  # planc: disable=W101\n"
    assert codes(lint(plan)) == []


def test_disable_by_name_on_its_own_line_covers_the_next_line(lint):
    plan = "target year = 120M\n# planc: disable=flat-time-split\n\nsplit year by quarter using even { Q1; Q2; Q3; Q4 }\n"
    assert codes(lint(plan)) == []


def test_disable_on_another_line_does_not_apply(lint):
    plan = "target year = 120M  # planc: disable=W101\nsplit year by quarter using even { Q1; Q2; Q3; Q4 }\n"
    assert codes(lint(plan)) == ["W101"]


def test_disable_other_code_does_not_apply(lint):
    plan = "target year = 120M\nsplit year by quarter using even { Q1; Q2; Q3; Q4 }  # planc: disable=W102\n"
    assert codes(lint(plan)) == ["W101"]


def test_disable_file(lint):
    plan = ("# planc: disable-file=W104, W101\n" + 'plan "P" {\n  period: 2027-01-01 .. 2027-12-31\n'
            "  owners: required\n}\n" + FLAT)
    assert codes(lint(plan)) == []


def test_disable_next_line_and_all(lint):
    plan = ("target year = 100M\nsplit year by region {\n  # planc: disable-next-line=all\n  east = 90%\n"
            "  west = rest\n}\n")
    assert codes(lint(plan)) == []


def test_errors_cannot_be_suppressed(lint):
    plan = "target year = 100M\nsplit year by region { east = 90%; west = 20% }  # planc: disable=all\n"
    assert codes(lint(plan)) == ["E005"]


def test_suppression_applies_to_builtin_warnings(lint):
    assert codes(lint("target year = 1M [colour: red]  # planc: disable=W002\n")) == []


def test_directive_inside_a_string_is_not_a_comment():
    assert scan('target a = 1 "# planc: disable=W101"\n').lines == {}


def test_scan_parses_lists():
    found_ = scan("a\nb  # planc: disable=W101,high-growth  because\n# planc: disable-file=w104\n")
    assert found_.lines == {2: {"W101", "W102"}}
    assert found_.whole_file == {"W104"}
