"""`planc fmt`: the canonical layout, comments and spellings kept, the command."""

from __future__ import annotations

import os
import stat

import pytest

from lintkit import run_planc
from planc import cli
from planc.fmt import format_text

MESSY = """\
# FY2027 — header comment

plan "FY2027" {
  currency:   CNY
    period: 2027-01-01..2027-12-31
  round: 1000                 # thousands
}
import "std/seasonality"      # profiles
table history {               # last year
  east = 28M; north = 2_000万; "south west" = 0.25亿
}
target year=120_000_000 CNY  "Company \\"revenue\\" target"   [owner:"Wang Fang",status:agreed]


split year by quarter using weight(retail_cn_quarterly)
split year by region using weight(history: 60%, potential: 40%) {
  east
  north         min 8M
  # the negotiated one
  "south west" = 30M   [note: "+2 reps"]
}
split east by team { key_accounts = 45%; channel = 35%; retail = rest }  # one line
assert   Q4 <= 35% of year   "no hockey-stick year"
# the end
"""

CANONICAL = """\
# FY2027 — header comment

plan "FY2027" {
  currency: CNY
  period: 2027-01-01 .. 2027-12-31
  round: 1000  # thousands
}

import "std/seasonality"  # profiles

table history {  # last year
  east         = 28M
  north        = 2_000万
  "south west" = 0.25亿
}

target year = 120_000_000 CNY  "Company \\"revenue\\" target"  [owner: "Wang Fang", status: agreed]

split year by quarter using weight(retail_cn_quarterly)

split year by region using weight(history: 60%, potential: 40%) {
  east
  north min 8M
  # the negotiated one
  "south west" = 30M  [note: "+2 reps"]
}

split east by team { key_accounts = 45%; channel = 35%; retail = rest }  # one line
assert Q4 <= 35% of year  "no hockey-stick year"
# the end
"""


def fmt(text: str) -> str:
    out, diags = format_text(text)
    assert out is not None, [d.message for d in diags]
    return out


def test_canonical_layout():
    # (a child named with a string is not valid syntax: use a name)
    messy = MESSY.replace('"south west" = 30M', "south = 30M")
    expected = CANONICAL.replace('"south west" = 30M', "south = 30M")
    assert fmt(messy) == expected
    assert fmt(expected) == expected


def test_expressions_keep_their_spelling_and_parentheses():
    text = "target a = -(1.5M+2k)*3/(4) - -5 + min(1, max(2,3), 20% of b) + 10% of (c + 1)\ntarget b=1\ntarget c=1\n"
    assert fmt(text) == ("target a = -(1.5M + 2k) * 3 / (4) - -5 + min(1, max(2, 3), 20% of b) + 10% of (c + 1)\n"
                         "target b = 1\ntarget c = 1\n")


def test_cjk_names_align_by_display_width():
    text = "target 年 = 1亿\nsplit 年 by 地区 {华东 = 40%; 华北 = 30%\n west = rest }\n"
    assert fmt(text) == ("target 年 = 1亿\n\nsplit 年 by 地区 {\n  华东 = 40%\n  华北 = 30%\n  west = rest\n}\n")


def test_two_dimensional_tables_and_data():
    text = ('data pot by region, quarter = csv( "p.csv" )\ntable s by region, quarter { east: Q1 = 1, Q2 = 2\n'
            "west: Q1=3 , Q2=4 }\ncross region by quarter seed s\n")
    assert fmt(text) == ('data pot by region, quarter = csv("p.csv")\n\ntable s by region, quarter {\n'
                         "  east: Q1 = 1, Q2 = 2\n  west: Q1 = 3, Q2 = 4\n}\n\ncross region by quarter seed s\n")


def test_blank_lines():
    text = "\n\n\ntarget a = 1\n\n\n\ntarget b = 2\ntarget c = 3\nsplit a by x {\n\n  p = 50%\n\n\n  q = rest\n\n}\ntarget d = 4\n\n\n"
    assert fmt(text) == ("target a = 1\n\ntarget b = 2\ntarget c = 3\n\nsplit a by x {\n  p = 50%\n\n"
                         "  q = rest\n}\n\ntarget d = 4\n")


def test_comments_everywhere():
    text = ("#top\n\n\n# about a\ntarget a = 1 #trailing\nsplit a by x { # opener\n  # before p\n  p = 50% # on p\n"
            "  q = rest\n  # before close\n} # closer\n\n# last words\n")
    out = fmt(text)
    assert out == ("#top\n\n# about a\ntarget a = 1  #trailing\n\nsplit a by x {  # opener\n  # before p\n"
                   "  p = 50%  # on p\n  q = rest\n  # before close\n}  # closer\n\n# last words\n")
    assert fmt(out) == out


def test_empty_blocks_and_files():
    assert fmt("table t {\n}\nplan \"x\" {}\n") == 'table t {}\nplan "x" {}\n'
    assert fmt("table t {  # why\n}\n") == "table t {}  # why\n"
    assert fmt("table t {\n  # nothing yet\n}\n") == "table t {\n  # nothing yet\n}\n"
    assert fmt("") == ""
    assert fmt("\n\n# only a comment\n\n") == "# only a comment\n"


def test_crlf_is_kept():
    assert fmt("target a=1\r\ntarget b=2 # x\r\n") == "target a = 1\r\ntarget b = 2  # x\r\n"


def test_string_escapes_and_keys():
    text = 'table t { "a\\"b" = 1; "rest" = 2\n "{x}" = 3 }\ntarget x = t.y "tab\\there \\\\ \\n { }"\n'
    assert fmt(text) == ('table t {\n  "a\\"b" = 1\n  "rest" = 2\n  "{x}"  = 3\n}\n\n'
                         'target x = t.y  "tab\\there \\\\ \\n { }"\n')
    assert fmt('plan "a { b" { currency: CNY }\n') == 'plan "a { b" { currency: CNY }\n'


def test_one_line_blocks_stay_on_one_line_when_they_fit():
    short = "split year by quarter using even { Q1; Q2; Q3; Q4 }  # flat\ntable t {a=1;b=2}\n"
    assert fmt(short) == "split year by quarter using even { Q1; Q2; Q3; Q4 }  # flat\ntable t { a = 1; b = 2 }\n"
    long = "split year by region { " + "; ".join(f"region_{n} = {n}%" for n in range(1, 10)) + "; rest_of_it = rest }\n"
    out = fmt(long)
    assert out.splitlines()[:3] == ["split year by region {", "  region_1   = 1%", "  region_2   = 2%"]
    assert fmt(out) == out


def test_syntax_error_gives_diagnostics():
    out, diags = format_text("target = 5\n")
    assert out is None and diags[0].code == "E001"


# ---- the command ---------------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ugly.plan").write_text("target a=1\n", encoding="utf-8")
    (tmp_path / "pretty.plan").write_text("target a = 1\n", encoding="utf-8")
    (tmp_path / "broken.plan").write_text("target = 1\n", encoding="utf-8")
    return tmp_path


def test_fmt_writes_in_place_and_keeps_the_mode(files, capsys):
    os.chmod(files / "ugly.plan", 0o640)
    assert cli.main(["fmt", "ugly.plan", "pretty.plan"]) == 0
    assert (files / "ugly.plan").read_text() == "target a = 1\n"
    assert stat.S_IMODE(os.stat(files / "ugly.plan").st_mode) == 0o640
    assert "1 file reformatted, 1 file left unchanged" in capsys.readouterr().err
    assert [p.name for p in files.iterdir() if p.name.startswith(".")] == []  # no temporary files left


def test_fmt_check_names_files_and_exits_1(files, capsys):
    assert cli.main(["fmt", "--check", "ugly.plan", "pretty.plan"]) == 1
    err = capsys.readouterr().err
    assert "would reformat ugly.plan" in err and "pretty.plan" not in err.replace("left unchanged", "")
    assert (files / "ugly.plan").read_text() == "target a=1\n"
    assert cli.main(["fmt", "--check", "pretty.plan"]) == 0


def test_fmt_diff(files, capsys):
    assert cli.main(["fmt", "--diff", "ugly.plan"]) == 1
    out = capsys.readouterr().out
    assert "--- ugly.plan\t(original)\n+++ ugly.plan\t(formatted)\n" in out
    assert "-target a=1\n+target a = 1\n" in out
    assert (files / "ugly.plan").read_text() == "target a=1\n"


def test_fmt_syntax_error_leaves_the_file(files, capsys):
    assert cli.main(["fmt", "broken.plan", "ugly.plan"]) == 1
    err = capsys.readouterr().err
    assert "broken.plan:1:8: error[E001]" in err
    assert (files / "broken.plan").read_text() == "target = 1\n"
    assert (files / "ugly.plan").read_text() == "target a = 1\n"


def test_fmt_unreadable_file_exits_2(files, capsys):
    assert cli.main(["fmt", "nope.plan"]) == 2
    assert "cannot read `nope.plan`" in capsys.readouterr().err


def test_fmt_keeps_a_bom(files):
    (files / "bom.plan").write_bytes(b"\xef\xbb\xbftarget a=1\n")
    assert cli.main(["fmt", "bom.plan"]) == 0
    assert (files / "bom.plan").read_bytes() == b"\xef\xbb\xbftarget a = 1\n"


def test_fmt_removes_the_temporary_files_of_a_killed_fmt(files):
    dead = files / ".ugly.plan.planc-4194305-x1y2z3.tmp"  # no process has that id
    alive = files / f".ugly.plan.planc-{os.getppid()}-x1y2z4.tmp"  # a live writer's: left alone
    other = files / ".notes.abcd1234.tmp"  # not named by planc's writer now: left alone
    for path in (dead, alive, other):
        path.write_text("half a plan", encoding="utf-8")
    assert cli.main(["fmt", "ugly.plan"]) == 0
    assert not dead.exists() and alive.exists() and other.exists()


def test_fmt_follows_symlinks(files):
    os.symlink(files / "ugly.plan", files / "link.plan")
    assert cli.main(["fmt", "link.plan"]) == 0
    assert os.path.islink(files / "link.plan")
    assert (files / "ugly.plan").read_text() == "target a = 1\n"


def test_fmt_stdin_real_entry_point(tmp_path):
    proc = run_planc("fmt", "-", input="target a=1 # c\n", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == "target a = 1  # c\n"
    proc = run_planc("fmt", "--check", "-", input="target a=1\n", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == ""
    proc = run_planc("fmt", "--check", "-", input="target a = 1\n", cwd=tmp_path)
    assert proc.returncode == 0
    proc = run_planc("fmt", "-", input="target = 1\n", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == "target = 1\n" and "E001" in proc.stderr


def test_wrapped_lists_are_joined_and_their_comments_kept():
    text = ('target year = 100M  [owner: "Wang",\n                     status: agreed]  # root\n'
            'split year by region {\n  east = 60%  [owner: "Li",   # who\n               status: agreed]\n'
            "  west = max(10M,\n             20M)\n  south = rest\n}\n")
    out = fmt(text)
    assert out == ('target year = 100M  [owner: "Wang", status: agreed]  # root\n\nsplit year by region {\n'
                   '  # who\n  east  = 60%  [owner: "Li", status: agreed]\n  west  = max(10M, 20M)\n'
                   "  south = rest\n}\n")
    assert fmt(out) == out


def test_comments_inside_a_joined_statement_move_above_it():
    out, diags = format_text("target x = max(\n  1,  # one\n  2  # two\n)  # end\n")
    assert not diags
    assert out == "# one\n# two\ntarget x = max(1, 2)  # end\n"
    assert format_text(out)[0] == out
