"""Hostile input at the file, cache and process boundaries (issue 14).

Files a plan reads stay inside its project root; only regular files are
read, within the size limit; paths with control characters, symbolic link
loops and broken configurations are diagnostics; control characters never
reach the terminal raw; keywords glued to names are not keywords; a planc
bug exits 3 with one line, not a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from helpers import run_planc
from planc.diagnostics import Diagnostic, Label, error
from planc.diagnostics.render import render_concise, render_github, render_text, to_dict
from planc.pipeline import compile_plan, compile_text
from planc.source import Source, Span

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and permissions")


def project(tmp_path: Path, files: dict[str, str], marker: str = "planc.toml") -> Path:
    """A project folder `proj` (with a root marker) inside tmp_path; returns it."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / marker).write_text("", encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics]


def rendered(result) -> str:
    return "\n".join(render_text(d) for d in result.diagnostics)


SECRET = "SECRET_TOKEN=hunter2\n"


# ---- files confined to the project root ------------------------------------------------------


def test_import_outside_the_project_root_is_refused_unread(tmp_path):
    (tmp_path / "secret.plan").write_text(SECRET, encoding="utf-8")
    root = project(tmp_path, {"main.plan": 'import "../secret.plan"\ntarget y = 1\n'})
    result = compile_plan(root / "main.plan", display="main.plan")
    assert codes(result) == ["E037"]
    d = result.diagnostics[0]
    assert (d.line, d.column) == (1, 1) and "outside the project root" in d.message
    assert "--allow-outside" in d.help
    assert "hunter2" not in rendered(result)


def test_absolute_paths_and_proc_files_are_refused(tmp_path):
    root = project(tmp_path, {"main.plan": 'import "/proc/self/environ.plan"\n'
                                           'data d = csv("/proc/self/environ")\ntarget y = 1\n'})
    result = compile_plan(root / "main.plan")
    assert codes(result) == ["E037", "E037"]
    assert result.diagnostics[1].message.startswith("cannot read data file `/proc/self/environ`")


def test_the_project_root_is_the_nearest_marker_above_the_plan(tmp_path):
    """A plan in a sub-folder may import from its project's other folders."""
    root = project(tmp_path, {"shared/common.plan": "target base = 100\n",
                              "plans/fy.plan": 'import "../shared/common.plan"\ntarget y = base\n'},
                   marker=".git")
    result = compile_plan(root / "plans" / "fy.plan")
    assert codes(result) == [] and result.evaluation.values["y"] == 100


def test_without_a_marker_the_root_is_the_plans_folder(tmp_path):
    (tmp_path / "common.plan").write_text("target base = 100\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    main = tmp_path / "sub" / "main.plan"
    main.write_text('import "../common.plan"\ntarget y = 1\n', encoding="utf-8")
    assert codes(compile_plan(main)) == ["E037"]


def test_allow_outside_admits_a_folder(tmp_path):
    shared = tmp_path / "shared-data"
    shared.mkdir()
    (shared / "h.csv").write_text("name,value\na,5\n", encoding="utf-8")
    root = project(tmp_path, {"main.plan": 'data h = csv("../shared-data/h.csv")\ntarget y = h.a\n'})
    assert codes(compile_plan(root / "main.plan")) == ["E037"]
    result = compile_plan(root / "main.plan", allow_outside=[str(shared)])
    assert codes(result) == [] and result.evaluation.values["y"] == 5


def test_allow_outside_in_planc_toml_is_relative_to_the_file(tmp_path):
    shared = tmp_path / "shared-data"
    shared.mkdir()
    (shared / "h.csv").write_text("name,value\na,5\n", encoding="utf-8")
    root = project(tmp_path, {"main.plan": 'data h = csv("../shared-data/h.csv")\ntarget y = h.a\n'})
    (root / "planc.toml").write_text('allow-outside = ["../shared-data"]\n', encoding="utf-8")
    result = compile_plan(root / "main.plan")
    assert codes(result) == [] and result.evaluation.values["y"] == 5


def test_allow_outside_on_the_command_line(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "c.plan").write_text("target base = 7\n", encoding="utf-8")
    root = project(tmp_path, {"main.plan": 'import "../shared/c.plan"\ntarget y = base\n'})
    refused = run_planc("eval", str(root / "main.plan"))
    assert refused.returncode == 1 and "error[E037]" in refused.stderr
    for command in (["eval"], ["check"], ["diff", str(root / "main.plan")]):
        proc = run_planc(*command, str(root / "main.plan"), "--allow-outside", str(shared))
        assert proc.returncode == 0, (command, proc.stderr)


@posix_only
def test_a_symlink_is_resolved_then_confined(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("name,value\nSECRET,1\n", encoding="utf-8")
    root = project(tmp_path, {"main.plan": 'data d = csv("link.csv")\ntarget y = 1\n'})
    (root / "link.csv").symlink_to(outside)
    assert codes(compile_plan(root / "main.plan")) == ["E037"]
    # and a link inside the root to a file inside the root is fine
    (root / "real.csv").write_text("name,value\na,1\n", encoding="utf-8")
    (root / "link.csv").unlink()
    (root / "link.csv").symlink_to(root / "real.csv")
    assert [d.code for d in compile_plan(root / "main.plan").diagnostics if d.is_error] == []


@posix_only
def test_a_symlink_loop_is_a_diagnostic(tmp_path):
    root = project(tmp_path, {"main.plan": 'import "./loop.plan"\ndata d = csv("loop.csv")\ntarget y = 1\n'})
    (root / "loop.plan").symlink_to(root / "loop.plan")
    (root / "loop.csv").symlink_to(root / "loop2.csv")
    (root / "loop2.csv").symlink_to(root / "loop.csv")
    result = compile_plan(root / "main.plan")
    assert codes(result) == ["E015", "E015"]
    assert all("symbolic link loop" in d.message for d in result.diagnostics)


@pytest.mark.parametrize("path", ["./a\x00b.plan", "./x\\n99:1: error[E000]: fake.plan", "./\x1b[2Jx.plan"])
def test_control_characters_in_an_import_path(tmp_path, path):
    root = project(tmp_path, {"main.plan": f'import "{path}"\ntarget y = 1\n'})
    result = compile_plan(root / "main.plan", display="main.plan")
    assert codes(result) == ["E015"] and "control character" in result.diagnostics[0].message
    text = rendered(result)
    assert "\n99:1: error" not in text and "\x00" not in text and "\x1b" not in text
    assert all(line.startswith(("main.plan:1:1: error[E015]", " ", "1 |")) for line in text.splitlines())


def test_nul_in_a_data_path(tmp_path):
    root = project(tmp_path, {"main.plan": 'data d = csv("a\x00.csv")\ntarget y = 1\n'})
    result = compile_plan(root / "main.plan")
    assert codes(result) == ["E015"] and "control character (\\x00)" in result.diagnostics[0].message


def test_a_newline_in_an_import_path_forges_no_line_in_any_format(tmp_path):
    root = project(tmp_path, {"main.plan": 'import "./a\\nfile.plan:99:1: error[E000]: fake"\ntarget y = 1\n'})
    for fmt in ("text", "concise", "github", "json"):
        proc = run_planc("check", "--format", fmt, str(root / "main.plan"))
        out = proc.stdout + proc.stderr
        assert proc.returncode == 1, proc.stderr
        assert not any(line.startswith("file.plan:99") for line in out.splitlines()), (fmt, out)


# ---- only regular files, within the size limit ------------------------------------------------


@pytest.fixture
def fifo():
    """fifo(path): make a FIFO. Should planc wrongly open one to read and wait,
    a helper opens its write end after a few seconds, so the test fails
    instead of hanging."""
    stop = threading.Event()

    def release(path: Path) -> None:
        stop.wait(5)
        while not stop.is_set():
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # EOF for a waiting reader
            except OSError:
                pass  # no reader: nobody is waiting
            stop.wait(0.2)

    def make(path: Path) -> None:
        os.mkfifo(path)
        threading.Thread(target=release, args=(path,), daemon=True).start()

    yield make
    stop.set()


@posix_only
def test_fifos_are_refused_not_waited_for(tmp_path, fifo):
    root = project(tmp_path, {"main.plan": 'import "./pipe.plan"\ndata d = csv("pipe.csv")\ntarget y = 1\n'})
    fifo(root / "pipe.plan")
    fifo(root / "pipe.csv")
    result = compile_plan(root / "main.plan")
    assert codes(result) == ["E015", "E015"]
    assert all("not a regular file" in d.message for d in result.diagnostics)
    fifo(root / "plan.plan")
    proc = run_planc("check", str(root / "plan.plan"))
    assert proc.returncode == 2 and "not a regular file" in proc.stderr


@posix_only
def test_fifo_actuals_are_refused(tmp_path, fifo):
    root = project(tmp_path, {"main.plan": "target y = 10\n"})
    fifo(root / "actuals.csv")
    proc = run_planc("track", str(root / "main.plan"), "--actuals", str(root / "actuals.csv"))
    assert proc.returncode == 2 and "not a regular file" in proc.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_not_read(tmp_path):
    root = project(tmp_path, {"main.plan": 'data d = csv("zero.csv")\ntarget y = 1\n'})
    (root / "zero.csv").symlink_to("/dev/zero")
    result = compile_plan(root / "main.plan", allow_outside=["/dev"])
    assert codes(result) == ["E015"] and "not a regular file" in result.diagnostics[0].message
    proc = run_planc("check", "/dev/zero")
    assert proc.returncode == 2 and "not a regular file" in proc.stderr


def test_a_directory_is_refused(tmp_path):
    root = project(tmp_path, {"main.plan": 'import "./dir.plan"\ntarget y = 1\n'})
    (root / "dir.plan").mkdir()
    result = compile_plan(root / "main.plan")
    assert codes(result) == ["E015"] and "directory" in result.diagnostics[0].message


def test_the_size_limit_is_checked_while_reading(tmp_path, monkeypatch):
    from planc.semantics import loader

    path = tmp_path / "big.plan"
    path.write_text("target y = 1\n" * 10, encoding="utf-8")
    reads = []
    real_read = os.read
    monkeypatch.setattr(loader.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    text, why = loader.read_text(path, limit=50)
    assert text is None and "larger than" in why
    assert sum(reads) <= 51  # at most limit + 1 bytes asked for
    assert loader.read_text(path, limit=130) == ("target y = 1\n" * 10, None)


def test_an_imported_file_that_is_not_a_plan_is_never_quoted(tmp_path):
    root = project(tmp_path, {"main.plan": 'import "./notes.txt"\ntarget y = 1\n',
                              "notes.txt": "password = hunter2 !\n"})
    result = compile_plan(root / "main.plan", display="main.plan")
    assert codes(result) == ["E001"]
    d = result.diagnostics[0]
    assert d.file == "notes.txt" and (d.line, d.column) == (1, 1)
    text = render_text(d)
    assert "hunter2" not in text and "password" not in text
    # an imported .plan with a syntax error is still quoted
    (root / "bad.plan").write_text("target = 5\n", encoding="utf-8")
    (root / "main.plan").write_text('import "./bad.plan"\n', encoding="utf-8")
    assert "1 | target = 5" in rendered(compile_plan(root / "main.plan"))


# ---- planc.toml with hostile values -----------------------------------------------------------


@pytest.mark.parametrize("toml", [
    '[rules.high-growth]\nmax-growth = inf\n',
    '[rules.high-growth]\nmax-growth = nan\n',
    '[rules.high-growth]\nmax-growth = 1e400\n',
    '[rules.high-growth]\nmax-growth = -inf\n',
    'disable = ' + "[" * 5000 + "]" * 5000 + "\n",
    'history-tables = ' + "[" * 200 + "]" * 200 + "\n",
    'allow-outside = [1, 2]\n',
    '# ' + "x" * (2 * 1024 * 1024) + "\n",
], ids=["inf", "nan", "1e400", "-inf", "nested-5000", "nested-200", "not-folders", "2-MiB"])
def test_hostile_config_values_are_e090(tmp_path, toml):
    (tmp_path / "planc.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "main.plan").write_text("target y = 1\n", encoding="utf-8")
    result = compile_plan(tmp_path / "main.plan")
    assert codes(result) == ["E090"], [(d.code, d.message) for d in result.diagnostics]


def test_pyproject_with_a_non_table_tool_is_e090_free(tmp_path):
    (tmp_path / "pyproject.toml").write_text('tool = 5\n# tool.planc\n', encoding="utf-8")
    (tmp_path / "main.plan").write_text("target y = 1\n", encoding="utf-8")
    assert codes(compile_plan(tmp_path / "main.plan")) == []


def test_hostile_config_on_the_command_line_exits_2(tmp_path):
    (tmp_path / "c.toml").write_text('[rules.high-growth]\nmax-growth = nan\n', encoding="utf-8")
    (tmp_path / "main.plan").write_text("target y = 1\n", encoding="utf-8")
    proc = run_planc("check", "--config", str(tmp_path / "c.toml"), str(tmp_path / "main.plan"))
    assert proc.returncode == 2 and "E090" in proc.stderr and "Traceback" not in proc.stderr


# ---- control characters are escaped in every text format ---------------------------------------

HOSTILE = "a\x1b[31mred\u202eevil\nfile.plan:99:1: error[E000]: fake\x85\u2066"


def _hostile_diagnostic() -> Diagnostic:
    src = Source("pl\x1ban\u202e.plan", f"target {HOSTILE} = 1\n")
    return error("E003", f"undefined name `{HOSTILE}`", Span(src, 7, 7 + len(HOSTILE.split(chr(10))[0])),
                 label=f"here {HOSTILE}", help=f"did you mean {HOSTILE}?")


@pytest.mark.parametrize("render", [lambda d: render_text(d), lambda d: render_text(d, colour=True),
                                    render_concise, render_github], ids=["text", "colour", "concise", "github"])
def test_control_characters_never_reach_the_terminal(render):
    out = render(_hostile_diagnostic())
    allowed = {"\n"} | ({"\x1b"} if "\x1b[1m" in out else set())
    for ch in ("\x1b", "\u202e", "\u2066", "\x85", "\n"):
        if ch not in allowed:
            assert ch not in out, (ch, out)
    if "\x1b" in out:  # the colour codes are planc's own, the plan's ESC is escaped
        assert "\\x1b[31mred" in out and "\x1b[31m" not in out
    assert not any(line.startswith("file.plan:99") for line in out.splitlines())
    assert "\\u202e" in out


def test_the_caret_stays_under_an_escaped_line():
    src = Source("p.plan", "target \x1bx = y\n")
    d = error("E003", "undefined name `y`", Span(src, 12, 13))
    line, caret = render_text(d).splitlines()[2:4]
    assert line.index("y") == caret.index("^")


def test_json_escapes_every_control_character(tmp_path):
    from planc.diagnostics import json_safe

    d = _hostile_diagnostic()
    text = json_safe(json.dumps(to_dict(d), ensure_ascii=False))
    assert all(ch not in text for ch in ("\x1b", "\u202e", "\u2066", "\x85", "\n"))
    assert json.loads(text)["message"] == d.message
    path = tmp_path / "m.plan"
    path.write_text('target y = z\ntarget a = 1 "\u202eevil\x85"\n', encoding="utf-8")
    for args in (["check", "--format", "json"], ["eval", "--format", "json"]):
        proc = run_planc(*args, str(path))
        assert "\u202e" not in proc.stdout and "\x85" not in proc.stdout
        json.loads(proc.stdout)


# ---- keywords glued to names -------------------------------------------------------------------


@pytest.mark.parametrize("text,line,column,name", [
    ("targetyear = 120M\n", 1, 1, "targetyear"),
    ("target year = 120M\nsplityear byregion usingeven { a; b }\n", 2, 1, "splityear"),
    ("target year = 120M\nsplit year byregion using even { a; b }\n", 2, 12, "byregion"),
    ("target year = 120M\nsplit year by region usingeven { a; b }\n", 2, 22, "usingeven"),
    ("target y = 120M\ntarget x = 20%ofy\n", 2, 15, "ofy"),
])
def test_keywords_glued_to_names_are_syntax_errors(text, line, column, name):
    result = compile_text(text)
    assert codes(result) == ["E001"]
    d = result.diagnostics[0]
    assert (d.line, d.column) == (line, column) and f"`{name}`" in d.message
    assert "put a space after it" in d.help


def test_names_that_start_with_keywords_and_chinese_names_still_parse():
    text = ("target 华东 = 1.2亿\ntarget 一季度 = 850k\ntarget years = 120M\ntarget by_region = 5\n"
            "target maxi = min(华东, 一季度) + 50% of years + by_region\n"
            "split maxi by q using even { rested max 100k; evens min 1k }\n")
    result = compile_text(text)
    assert [d.code for d in result.diagnostics if d.is_error] == []
    assert result.evaluation.values["华东"] == 120_000_000
    assert result.evaluation.values["maxi"] == 850_000 + 60_000_000 + 5


# ---- a crash is not a plan error ---------------------------------------------------------------


def _crashing_main(argv, monkeypatch, capsys):
    from planc import cli, pipeline

    def boom(*args, **kwargs):
        raise ZeroDivisionError("a planc bug\x1b[2J")

    monkeypatch.setattr(pipeline, "resolve", boom)
    code = cli.main(argv)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("command", [["check"], ["eval"], ["build", "-o", "OUT"], ["track", "--actuals", "A"],
                                     ["diff", "PLAN"]])
def test_an_internal_error_exits_3_with_one_line(tmp_path, monkeypatch, capsys, command):
    plan = tmp_path / "p.plan"
    plan.write_text("target y = 1\n", encoding="utf-8")
    (tmp_path / "A").write_text("target,value\ny,1\n", encoding="utf-8")
    argv = [str(tmp_path / a) if a in ("OUT", "A") else str(plan) if a == "PLAN" else a for a in command]
    code, err = _crashing_main([argv[0], str(plan), *argv[1:]], monkeypatch, capsys)
    assert code == 3
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("planc: internal error: ZeroDivisionError: a planc bug\\x1b[2J — this is a bug in planc")
    assert "--debug" in err


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_prints_the_traceback(tmp_path, monkeypatch, capsys, where):
    plan = tmp_path / "p.plan"
    plan.write_text("target y = 1\n", encoding="utf-8")
    argv = ["--debug", "check", str(plan)] if where == "before" else ["check", str(plan), "--debug"]
    code, err = _crashing_main(argv, monkeypatch, capsys)
    assert code == 3 and "Traceback (most recent call last)" in err and "ZeroDivisionError" in err


def test_exit_code_3_is_in_the_help():
    proc = run_planc("--help")
    assert "3 internal error" in proc.stdout


# ---- caches hold no pickles from strangers -----------------------------------------------------


class _Planted:
    """Unpickling this creates the marker file: proof that planted code ran."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _cache(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.delenv("PLANC_NO_CACHE", raising=False)
    monkeypatch.setenv("PLANC_CACHE_DIR", str(folder))
    return folder


@posix_only
def test_a_planted_parse_cache_entry_is_not_unpickled(tmp_path, monkeypatch):
    import pickle

    from planc.syntax import parse as parsing

    folder = _cache(tmp_path, monkeypatch)
    marker = tmp_path / "PWNED"
    source = Source("c.plan", "target y = 1\n")
    module, _ = parsing.parse(source)  # makes the key and the folder
    entry = folder / "ast" / (parsing._key(source) + ".pickle")
    assert entry.exists()
    payload = pickle.dumps(_Planted(str(marker)))
    for planted in (payload, b"\0" * 32 + payload, entry.read_bytes()[:32] + payload):
        entry.write_bytes(planted)
        again, diags = parsing.parse(source)
        assert not marker.exists(), "a planted pickle was loaded"
        assert not diags and again.statements[0].name == "y"
    assert parsing.parse(source)[0] is not None  # and the entry is good again


@posix_only
def test_a_planted_grammar_table_is_not_unpickled(tmp_path, monkeypatch):
    import pickle

    from planc.syntax import builder

    folder = _cache(tmp_path, monkeypatch)
    marker = tmp_path / "PWNED"
    grammar = "start: NAME\nNAME: /[a-z]+/\n"
    first = builder._build(grammar)
    (entry,) = folder.glob("grammar-*.lark-cache")
    entry.write_bytes(b"\0" * 32 + pickle.dumps(_Planted(str(marker))))
    again = builder._build(grammar)
    assert not marker.exists(), "a planted pickle was loaded"
    assert again is not first and again.parse("abc") is not None
    # the good entry written back is loaded (from the cache, authenticated)
    loaded = builder._build(grammar)
    assert loaded.parse("xyz") is not None


@posix_only
def test_no_cache_switches_off_the_grammar_tables_too(tmp_path, monkeypatch):
    from planc.syntax import builder

    folder = _cache(tmp_path, monkeypatch)
    monkeypatch.setenv("PLANC_NO_CACHE", "1")
    builder._build("start: NAME\nNAME: /[a-z]+/\n")
    assert list(folder.iterdir()) == []


@posix_only
@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_cache_folder_others_may_write_is_skipped(tmp_path, monkeypatch, mode):
    from planc.resources import cache_dir
    from planc.syntax import parse as parsing

    folder = _cache(tmp_path, monkeypatch)
    folder.chmod(mode)
    assert cache_dir() is None
    parsing.parse(Source("c.plan", "target y = 1\n"))
    assert list(folder.iterdir()) == []


@posix_only
def test_a_symlinked_cache_folder_is_skipped(tmp_path, monkeypatch):
    from planc.resources import cache_dir

    real = _cache(tmp_path, monkeypatch)
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.setenv("PLANC_CACHE_DIR", str(link))
    assert cache_dir() is None
    monkeypatch.delenv("PLANC_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "xdg").mkdir()
    (tmp_path / "xdg" / "planc").symlink_to(real)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    (tmp_path / "tmp" / f"planc-cache-{os.getuid()}").symlink_to(real)  # the temporary fallback too
    assert cache_dir() is None


@posix_only
def test_the_cache_key_is_private_and_a_loose_key_disables_the_cache(tmp_path, monkeypatch):
    from planc import resources
    from planc.syntax import parse as parsing

    folder = _cache(tmp_path, monkeypatch)
    parsing.parse(Source("c.plan", "target y = 1\n"))
    key = folder / "key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32
    monkeypatch.setattr(resources, "_KEYS", {})
    key.chmod(0o644)
    assert resources.read_entry(str(folder), str(next((folder / "ast").iterdir()))) is None
    assert not resources.write_entry(str(folder), str(folder / "x"), b"data")


def test_diff_escapes_labels_from_the_plan(tmp_path):
    old, new = tmp_path / "old.plan", tmp_path / "new.plan"
    old.write_text('target y = 1 "plain"\n', encoding="utf-8")
    new.write_text('target y = 1 "\x1b[2J\u202eevil"\n', encoding="utf-8")
    proc = run_planc("diff", str(old), str(new))
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\u202e" not in proc.stdout
    assert "label: plain → \\x1b[2J\\u202eevil" in proc.stdout


@posix_only
def test_check_verbose_says_why_a_cache_folder_was_skipped(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    folder.chmod(0o777)
    plan = tmp_path / "p.plan"
    plan.write_text("target y = 1\n", encoding="utf-8")
    env = dict(os.environ, PLANC_CACHE_DIR=str(folder), PYTHONIOENCODING="utf-8")
    env.pop("PLANC_NO_CACHE", None)
    for verbose in ([], ["--verbose"]):
        proc = subprocess.run([sys.executable, "-m", "planc", "check", str(plan), *verbose], env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0
        noted = f"planc: note: cache folder `{folder}` not used: others may write to it (mode 777)" in proc.stderr
        assert noted == bool(verbose), proc.stderr
    assert list(folder.iterdir()) == []


def test_related_labels_and_notes_are_escaped_and_unquoted_sources_hidden():
    plan = Source("p\x1b.plan", "target a = 1\ntarget \u202eb = 2\n")
    secret = Source("notes.txt", "password = hunter2\n", quoted=False)
    d = error("E007", "defined twice", Span(plan, 7, 8), label="again\x1b[2J",
              related=(Label(Span(plan, 20, 22), "first \u2066here"), Label(Span(secret, 0, 8), "there\x1b")),
              notes=("note \x1b[31m",))
    for out in (render_text(d), render_text(d, colour=True), render_github(d)):
        assert "\u202e" not in out and "\u2066" not in out and "\x1b[2J" not in out and "\x1b[31m" not in out
        assert "hunter2" not in out
    text = render_text(d)
    assert "2 | target \\u202eb = 2" in text and "first \\u2066here" in text and "= note: note \\x1b[31m" in text
    assert "notes.txt" not in text  # its snippet (and header) is left out


def test_a_broken_import_names_no_file_outside_the_root(tmp_path, monkeypatch):
    """A file that fails to parse is salvaged for names; the CSV files it names are confined too."""
    from planc.semantics import loader

    outside = tmp_path / "secret.csv"
    outside.write_text("name,value\nhunter2,1\n", encoding="utf-8")
    root = project(tmp_path, {"main.plan": 'import "./broken.plan"\ntarget y = 1\n',
                              "broken.plan": f'data d = csv("{outside}")\ntarget = oops\n'})
    opened = []
    real = loader.read_text
    monkeypatch.setattr(loader, "read_text", lambda path, *a: opened.append(Path(path)) or real(path, *a))
    result = compile_plan(root / "main.plan")
    assert "E001" in codes(result)
    assert outside not in opened and "hunter2" not in rendered(result)
