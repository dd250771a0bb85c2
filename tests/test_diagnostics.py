"""Diagnostics with secondary labels (issue 8, item 5): how they are drawn
in every format, and the compiler's uses of them (one mistake, one diagnostic)."""

from __future__ import annotations

import json
import textwrap

import pytest

from helpers import run_planc
from planc.diagnostics import Label, error
from planc.diagnostics.render import render, render_concise, render_github, render_text, resolve_format, to_dict
from planc.source import Source, Span


def span(source: Source, text: str, nth: int = 0) -> Span:
    """The span of the nth occurrence of `text` in the source."""
    at = -1
    for _ in range(nth + 1):
        at = source.text.index(text, at + 1)
    return Span(source, at, at + len(text))


# ---- drawing ----------------------------------------------------------------------------------

MAIN = Source("main.plan", "target year = 120M\ntarget year = 125M\n" + "\n" * 20 + "target 华东 = year\n")
LIB = Source("lib.plan", "table history { east = 1 }\n")


def test_a_secondary_in_the_same_snippet_is_drawn_with_dashes():
    d = error("E007", "`year` is defined twice", span(MAIN, "year", 1), label="second definition",
              related=(Label(span(MAIN, "year"), "first defined here"),), help="rename one")
    assert render_text(d).splitlines() == [
        "main.plan:2:8: error[E007]: `year` is defined twice",
        "  |",
        "1 | target year = 120M",
        "  |        ---- first defined here",
        "2 | target year = 125M",
        "  |        ^^^^ second definition",
        "  = help: rename one",
    ]


def test_another_file_and_a_far_line_get_their_own_snippets_with_a_header():
    d = error("E004", "ambiguous", span(MAIN, "year", 1),
              related=(Label(span(LIB, "east"), "in the import"), Label(span(MAIN, "华东"), "far below")))
    assert render_text(d).splitlines() == [
        "main.plan:2:8: error[E004]: ambiguous",
        "   |",
        "2  | target year = 125M",
        "   |        ^^^^",
        "   |",
        "  --> main.plan:23:8",
        "   |",
        "23 | target 华东 = year",
        "   |        ---- far below",
        "   |",
        "  --> lib.plan:1:17",
        "   |",
        "1  | table history { east = 1 }",
        "   |                 ---- in the import",
    ]


def test_lines_between_near_labels_are_elided():
    src = Source("p.plan", "a\nb\nc\nd\ne\nf\n")
    d = error("E001", "x", span(src, "f"), related=(Label(span(src, "a"), "start"), Label(span(src, "c"), "mid")))
    assert render_text(d).splitlines()[1:] == [  # one line between is shown, more are `...`
        "  |", "1 | a", "  | - start", "2 | b", "3 | c", "  | - mid", "...", "6 | f", "  | ^"]


def test_wide_characters_take_two_columns_for_carets_and_dashes():
    src = Source("p.plan", "target 华东 = 华北 + x\n")
    d = error("E008", "loop", span(src, "华东"), label="here", related=(Label(span(src, "华北"), "needs this"),))
    assert render_text(d).splitlines()[2:] == [
        "1 | target 华东 = 华北 + x",
        "  |        ^^^^   ---- needs this",
        "  |        |",
        "  |        here",
    ]


def test_several_labels_on_one_line_hang_from_their_marks():
    src = Source("p.plan", "split y by q { a = b + 1; b = c; c = a }\n")
    d = error("E008", "loop", span(src, "b", 1), label="`a` needs `b`",
              related=(Label(span(src, "c", 0), "`b` needs `c`"), Label(span(src, "a", 1), "`c` needs `a`")))
    assert render_text(d).splitlines()[2:] == [
        "1 | split y by q { a = b + 1; b = c; c = a }",
        "  |                    ^          -      - `c` needs `a`",
        "  |                    |          |",
        "  |                    |          `b` needs `c`",
        "  |                    |",
        "  |                    `a` needs `b`",
    ]


@pytest.mark.parametrize("line", [1, 10, 100])
def test_notes_and_help_line_up_with_the_gutter(line):
    src = Source("p.plan", "\n" * (line - 1) + "target y = z\n")
    d = error("E003", "undefined name `z`", span(src, "z"), notes=("names are case-sensitive",), help="define it")
    lines = render_text(d).splitlines()
    bar = lines[1].index("|")
    assert lines[-2].index("=") == bar and lines[-2].endswith("= note: names are case-sensitive")
    assert lines[-1].index("=") == bar and lines[-1].endswith("= help: define it")


def test_a_problem_without_a_place_keeps_its_layout():
    d = error("E099", "planc fmt could not format this file safely", path="p.plan", help="report it")
    assert render_text(d) == "p.plan:1:1: error[E099]: planc fmt could not format this file safely\n   = help: report it"


# ---- formats for tools --------------------------------------------------------------------------

DUPLICATE = error("E007", "`year` is defined twice", span(MAIN, "year", 1), label="second definition",
                  related=(Label(span(MAIN, "year"), "first defined here"),), notes=("a note",))


def test_json_has_related_places_and_notes_besides_the_old_keys():
    out = to_dict(DUPLICATE)
    assert out["related"] == [{"file": "main.plan", "line": 1, "column": 8, "end_line": 1, "end_column": 12,
                               "message": "first defined here"}]
    assert out["notes"] == ["a note"]
    assert {k: out[k] for k in ("file", "line", "column", "code", "message")} == {
        "file": "main.plan", "line": 2, "column": 8, "code": "E007", "message": "`year` is defined twice"}


def test_github_and_concise_keep_their_first_line_and_github_lists_the_related_places():
    first = "main.plan:2:8: error[E007]: `year` is defined twice"
    assert render_concise(DUPLICATE) == first and render_text(DUPLICATE).splitlines()[0] == first
    line = render_github(DUPLICATE)
    assert line.startswith("::error file=main.plan,line=2,endLine=2,col=8,endColumn=12,"
                           "title=E007::`year` is defined twice%0A%0A")
    assert "main.plan:1:8: first defined here%0Anote: a note" in line


def test_auto_is_github_only_under_github_actions():
    assert resolve_format("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve_format("auto", {}) == "text" and resolve_format("concise", {"GITHUB_ACTIONS": "true"}) == "concise"
    assert json.loads(render([DUPLICATE], "json"))["errors"] == 1


def test_check_format_auto(tmp_path):
    (tmp_path / "p.plan").write_text("target year = 1\ntarget year = 2\n", encoding="utf-8")
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONIOENCODING="utf-8", NO_COLOR="1")
    for actions, where in (("true", "stdout"), ("", "stderr")):
        env["GITHUB_ACTIONS"] = actions
        proc = subprocess.run([sys.executable, "-m", "planc", "check", "--format", "auto", "p.plan"], cwd=tmp_path,
                              capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 1
        if where == "stdout":
            assert proc.stdout.startswith("::error file=p.plan,line=2,endLine=2,col=8,endColumn=12,"
                                          "title=E007 defined-twice::")
        else:
            assert proc.stderr.startswith("p.plan:2:8: error[E007]: `year` is defined twice\n  |\n1 | target year = 1")


# ---- the compiler's uses: one mistake, one diagnostic -------------------------------------------------------


def only(result, code):
    hits = [d for d in result.diagnostics if d.code == code]
    assert len(hits) == 1, [(d.code, d.line, d.column, d.message) for d in result.diagnostics]
    return hits[0]


def related(d) -> list[tuple[int, int, str]]:
    return [(r.span.line, r.span.column, r.message) for r in d.related]


def test_defined_twice_points_at_the_first_definition(plan):
    d = only(plan("target year = 1\ntarget year = 2\n"), "E007")
    assert (d.line, d.column, d.label) == (2, 8, "second definition")
    assert related(d) == [(1, 8, "first defined here")]


def test_a_duplicate_in_an_import_is_drawn_in_its_own_snippet(plan):
    result = plan('import "./lib.plan"\ntable t { a = 1 }\ntarget y = t.a\n', {"lib.plan": "table t { a = 2 }\n"})
    assert not [d for d in result.diagnostics if d.code == "E007"]  # the plan's own table wins
    result = plan('import "./lib.plan"\ntarget y = 1\n', {"lib.plan": "target y = 2\n"})
    d = only(result, "E007")
    assert d.file == "lib.plan" and [(r.span.source.path, r.message) for r in d.related] == [
        ("main.plan", "first defined here")]
    assert "\n --> main.plan:2:8\n" in render_text(d)


def test_split_twice_and_cross_twice_point_at_the_first(plan):
    result = plan("target year = 12\nsplit year by r { e = 50%; w = rest }\nsplit year by q { a = 50%; b = rest }\n"
                  "split year by r { n = 1; s = rest }\ncross r by q\ncross q by r\n")
    twice = sorted((d for d in result.diagnostics if d.code == "E007"), key=lambda d: d.line)
    assert [related(d) for d in twice] == [[(2, 15, "first split here")], [(5, 1, "first declared here")]]


def test_ambiguous_names_show_each_candidate(plan):
    d = only(plan("target a = 1M\ntarget b = 1M\nsplit a by q { x = rest }\nsplit b by q { x = rest }\n"
                  "target c = x\n"), "E004")
    assert related(d) == [(3, 16, "`a.x` is defined here"), (4, 16, "`b.x` is defined here")]


def test_a_cycle_is_one_diagnostic_with_each_step(plan):
    d = only(plan("target year = stretch - 10M\ntarget stretch = year + 10M\n"), "E008")
    assert (d.line, d.column) == (1, 8)
    assert related(d) == [(1, 15, "`year` needs `stretch`"), (2, 18, "`stretch` needs `year`")]


def test_siblings_in_a_loop_are_one_diagnostic(plan):
    """Regression: each sibling of a loop used to give its own E008."""
    d = only(plan("target y = 100\nsplit y by q { a = b + 1; b = a; c = rest }\n"), "E008")
    assert d.message == "circular definition between siblings of split of y by q: a -> b -> a"
    assert (d.line, d.column, d.label) == (2, 20, "`a` needs `b`")
    assert related(d) == [(2, 31, "`b` needs `a`")]


CLASH = ("target year = 120M\nsplit year by region { east = 60%; west = rest }\n"
         "split year by quarter { Q1 = 40%; Q2 = rest }\n")


@pytest.mark.parametrize("order", ["split first", "cross first"])
def test_a_cross_clash_is_one_diagnostic(plan, order):
    """Regression: one split that defines cells of a cross gave an E033 per cell."""
    split, cross = "split east by quarter { Q1 = 50%; Q2 = rest }\n", "cross region by quarter\n"
    result = plan(CLASH + (split + cross if order == "split first" else cross + split))
    d = only(result, "E033")
    line = 4 if order == "split first" else 5
    assert (d.line, d.column) == (line, 25)
    assert d.message == ("`year.east.Q1` and `year.east.Q2` are cells of the cross of region by quarter "
                         "and cannot also be defined here")
    cross_line = 5 if order == "split first" else 4
    assert sorted(related(d)) == sorted([(line, 35, "also a cell of the cross"),
                                         (cross_line, 1, "the cross makes these cells")])


def test_a_failed_assertion_carries_both_values_in_its_message(plan):
    """Regression: the values were only in the caret label, lost in JSON and GitHub output."""
    result = plan("target year = 120M\nsplit year by quarter { Q1 = 15%; Q2 = 20%; Q3 = 25%; Q4 = rest }\n"
                  'assert Q4 <= 35% of year  "no hockey-stick year"\nassert Q1 > year\n')
    messages = [d.message for d in result.diagnostics if d.code == "E014"]
    assert messages == [
        "assertion failed: Q4 <= 35% of year (no hockey-stick year) (left is 48,000,000, right is 42,000,000)",
        "assertion failed: Q1 > year (left is 18,000,000, right is 120,000,000)"]


def test_check_json_has_related_entries(tmp_path):
    (tmp_path / "p.plan").write_text("target year = 1\ntarget year = 2\n", encoding="utf-8")
    out = json.loads(run_planc("check", "--format", "json", "p.plan", cwd=tmp_path).stdout)
    (d,) = out["diagnostics"]
    assert d["related"] == [{"file": "p.plan", "line": 1, "column": 8, "end_line": 1, "end_column": 12,
                             "message": "first defined here"}]


def test_the_language_server_sends_related_information(tmp_path):
    from lsprotocol import types as lsp

    from planc.lsp.documents import Document

    (tmp_path / "lib.plan").write_text("target y = 2\n", encoding="utf-8")
    doc = Document((tmp_path / "main.plan").as_uri())
    doc.update(textwrap.dedent("""\
        import "./lib.plan"
        target a = 1
        target a = 2
        target y = 3
        """))
    sent = {d.message: doc.diagnostic(d) for d in doc.result.diagnostics if d.code == "E007"}
    uri = (tmp_path / "main.plan").as_uri()

    def where(line, start, end):
        return lsp.Range(lsp.Position(line, start), lsp.Position(line, end))

    (first,) = sent["`a` is defined twice"].related_information
    assert (first.location.uri, first.location.range, first.message) == (uri, where(1, 7, 8), "first defined here")
    # the import's `y` is the second: shown on the import line, related to its own place and this document's `y`
    other = sent["`y` is defined twice"]
    assert other.message.startswith("lib.plan:1:8: `y` is defined twice")
    assert other.range == where(0, 0, 19)
    here, mine = other.related_information
    assert (here.location.uri, here.location.range) == ((tmp_path / "lib.plan").as_uri(), where(0, 7, 8))
    assert (mine.location.uri, mine.location.range) == (uri, where(3, 7, 8))
