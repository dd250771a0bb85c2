"""`planc completion bash|zsh|fish` (generated from the parser) and `--color`
with FORCE_COLOR / NO_COLOR (issue 13)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from helpers import run_planc

BAD = 'plan "p" { round: 1000 }\ntarget year = 120M\nsplit year by team { a = 100M; b = 30M }\n'


def script(shell: str) -> str:
    proc = run_planc("completion", shell)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def all_options() -> dict[str, list[str]]:
    """Every command and its long options, from the parser itself."""
    import argparse

    from planc.cli import build_parser

    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return {name: [f for a in p._actions for f in a.option_strings if f.startswith("--") and a.help != argparse.SUPPRESS]
            for name, p in sub.choices.items()}


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_command_and_option_is_in_the_script(shell):
    text = script(shell)
    for command, options in all_options().items():
        assert command in text
        for option in options:
            assert (option if shell != "fish" else f"-l {option[2:]}") in text, (shell, command, option)


def bash_complete(tmp_path, *words: str) -> list[str]:
    (tmp_path / "planc.bash").write_text(script("bash"), encoding="utf-8")
    words_list = " ".join(f"'{w}'" for w in words)
    code = textwrap.dedent(f"""\
        source ./planc.bash
        COMP_WORDS=({words_list}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMPREPLY=()
        _planc
        printf '%s\\n' "${{COMPREPLY[@]}}"
        """)
    proc = subprocess.run(["bash", "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return sorted(filter(None, proc.stdout.split("\n")))


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_completes_commands_options_values_and_files(tmp_path):
    for name in ("a.plan", "b.plan", "notes.txt", "actuals.csv"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "out").mkdir()
    assert bash_complete(tmp_path, "planc", "ch") == ["check"]
    assert "completion" in bash_complete(tmp_path, "planc", "")
    assert bash_complete(tmp_path, "planc", "check", "--fo") == ["--format"]
    assert bash_complete(tmp_path, "planc", "check", "--format", "") == sorted(
        ["text", "concise", "json", "github", "sarif", "auto", "md"])
    assert bash_complete(tmp_path, "planc", "check", "") == ["a.plan", "b.plan", "out"]  # plans and folders
    assert bash_complete(tmp_path, "planc", "build", "x.plan", "--lang", "") == ["en", "zh"]
    assert bash_complete(tmp_path, "planc", "build", "x.plan", "-o", "") == ["out"]
    assert bash_complete(tmp_path, "planc", "track", "a.plan", "--actuals", "") == ["actuals.csv", "out"]
    assert bash_complete(tmp_path, "planc", "--color", "") == ["always", "auto", "never"]
    assert bash_complete(tmp_path, "planc", "completion", "") == ["bash", "fish", "zsh"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_scripts_parse(shell, tmp_path):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    path = tmp_path / f"planc.{shell}"
    path.write_text(script(shell), encoding="utf-8")
    proc = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_format_values(tmp_path):
    (tmp_path / "planc.fish").write_text(script("fish"), encoding="utf-8")
    proc = subprocess.run(["fish", "-c", "source planc.fish; complete -C 'planc build x.plan --lang '"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert [line.split("\t")[0] for line in proc.stdout.splitlines()] == ["en", "zh"]


def test_an_unknown_shell_is_a_usage_error():
    proc = run_planc("completion", "powershell")
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def check_stderr(tmp_path, *args: str, **env: str) -> str:
    (tmp_path / "bad.plan").write_text(BAD, encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update(env, PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "planc", *args], cwd=tmp_path, capture_output=True, text=True,
                          env=environ)
    assert proc.returncode == 1, proc.stderr
    return proc.stderr


def test_color_always_and_never_win_over_the_environment(tmp_path):
    assert "\x1b[" in check_stderr(tmp_path, "--color", "always", "check", "bad.plan", NO_COLOR="1")
    assert "\x1b[" in check_stderr(tmp_path, "check", "bad.plan", "--color", "always")  # after the command too
    assert "\x1b[" not in check_stderr(tmp_path, "check", "bad.plan", "--color", "never", FORCE_COLOR="1")
    assert "\x1b[" in check_stderr(tmp_path, "--color", "always", "eval", "bad.plan")


def test_color_auto_follows_force_color_and_no_color(tmp_path):
    assert "\x1b[" not in check_stderr(tmp_path, "check", "bad.plan")  # not a terminal
    assert "\x1b[1;31merror[E005]" in check_stderr(tmp_path, "check", "bad.plan", FORCE_COLOR="1")
    assert "\x1b[" not in check_stderr(tmp_path, "check", "bad.plan", FORCE_COLOR="")  # empty: not set
    assert "\x1b[" not in check_stderr(tmp_path, "check", "bad.plan", FORCE_COLOR="1", NO_COLOR="")
    assert "\x1b[" not in check_stderr(tmp_path, "check", "bad.plan", "--format", "concise", FORCE_COLOR="1")


def test_eval_refs_may_follow_the_options(tmp_path):
    """`planc eval PLAN REF… --format json` in any order (issue 13, CLI habits)."""
    import json

    plan = tmp_path / "p.plan"
    plan.write_text("target year = 100\nsplit year by q { a = 40; b = rest }\n", encoding="utf-8")
    for args in (["p.plan", "a", "b", "--format", "json"], ["p.plan", "--format", "json", "a", "b"],
                 ["p.plan", "a", "--format", "json", "b"], ["--format", "json", "p.plan", "a", "b"]):
        proc = run_planc("eval", *args, cwd=tmp_path)
        assert proc.returncode == 0, (args, proc.stderr)
        assert json.loads(proc.stdout)["targets"] == {"year.a": 40, "year.b": 60}, args
    proc = run_planc("eval", "p.plan", "--format", "json", "a", "--bogus", cwd=tmp_path)
    assert proc.returncode == 2 and "unrecognized arguments: a --bogus" in proc.stderr
    proc = run_planc("check", "p.plan", "--bogus", cwd=tmp_path)
    assert proc.returncode == 2 and "unrecognized arguments: --bogus" in proc.stderr


def test_hidden_options_are_not_completed():
    """`--debug` is shown (and completed) before the command; after it, it is hidden, so not completed."""
    bash = script("bash")
    assert "--debug" in bash.split("check)")[0] and "--debug" not in bash.split("check)")[1]
    fish = script("fish")
    assert "-n '__fish_use_subcommand' -l debug" in fish and "from check' -l debug" not in fish
    assert "from check' -l allow-outside" in fish and "--allow-outside" in script("zsh")
