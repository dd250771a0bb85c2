"""Every diagnostic code, triggered at an exact line and column.

docs/errors.md lists the same codes; test_every_documented_code_is_tested
keeps the two in step.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HEAD = 'plan "T" {\n  currency: CNY\n  round: 1000\n}\n'  # 4 lines

CASES = [
    # (code, plan text, {extra files}, line, column, words in the message)
    ("E001", "target year = 120M +\n", {}, 1, 21, "unexpected end of line"),
    ("E001", "target year = 120M\nsplit year by q {\n  a = 5 5\n}\n", {}, 3, 9, "unexpected number"),
    ("E002", "target year = 10000000000000000000000\n", {}, 1, 15, "too large"),
    ("E002", 'plan "x" { period: 2027-02-30 .. 2027-12-31 }\n', {}, 1, 20, "not a valid date"),
    ("E003", "target year = 120M\nsplit yeer by q { a = rest }\n", {}, 2, 7, "undefined name `yeer`"),
    ("E003", 'plan "x" { main: yeer }\ntarget year = 120M\n', {}, 1, 18, "undefined name `yeer`"),
    ("E004", "target a = 1M\ntarget b = 1M\nsplit a by q { x = rest }\nsplit b by q { x = rest }\n"
             "target c = x\n", {}, 5, 12, "ambiguous"),
    ("E005", HEAD + "target year = 120M\nsplit year by region {\n  east = 50M\n  north = 40M\n  south = 36M\n}\n",
     {}, 9, 11, "allocates 126,000,000 of 120,000,000 (105.0%)"),
    ("E006", "target year = 100\nsplit year by q { a = 20%; b = 30% }\n", {}, 2, 32, "50 short"),
    ("E007", "target year = 1\ntarget year = 2\n", {}, 2, 8, "defined twice"),
    ("E008", "target a = b + 1\ntarget b = a + 1\n", {}, 1, 8, "circular definition"),
    ("E009", "target y = 100\nsplit y by q { a = 150; b = rest }\n", {}, 2, 29, "negative"),
    ("E010", "target y = 100\nsplit y by q { a = rest; b = even }\n", {}, 2, 20, "cannot share"),
    ("E011", "target y = 100\nsplit y by q { a = rest; b = rest }\n", {}, 2, 30, "more than one `rest`"),
    ("E012", "table h { a = 1 }\ntarget y = 100\nsplit y by q using weight(h) {\n  a\n  b\n}\n", {}, 5, 3,
     "no value in table `h`"),
    ("E013", "target y = 100\nsplit y by q using even { a min 60; b min 60 }\n", {}, 2, 27, "cannot be met"),
    ("E014", "target y = 100\nassert y < 50 \"too big\"\n", {}, 2, 1, "assertion failed"),
    ("E015", 'data d = csv("missing.csv")\n', {}, 1, 14, "cannot read data file"),
    ("E015", 'import "std/nonesuch"\n', {}, 1, 1, "cannot import"),
    ("E016", 'data d = csv("d.csv")\n', {"d.csv": "name,value\na,1\nb,\xe9\n".encode("latin-1")}, 1, 14,
     "not UTF-8"),
    ("E017", 'data d = csv("d.csv")\n', {"d.csv": "name,value,x,y\na,1,2,3\n"}, 1, 14, "columns"),
    ("E018", 'data d = csv("d.csv")\n', {"d.csv": "name,value\na,1\nb,lots\n"}, 1, 14, "line 3"),
    ("E019", 'data d = csv("d.csv")\n', {"d.csv": "name,value\na,1\na,2\n"}, 1, 14, "duplicate key `a`"),
    ("E019", "table t {\n  a = 1\n  a = 2\n}\n", {}, 3, 3, "key `a` twice"),
    ("E020", HEAD + "target year = 120M USD\n", {}, 5, 15, "USD"),
    ("E021", "target y = 10 / (5 - 5)\n", {}, 1, 12, "division by zero"),
    ("E022", "target y = 100\nsplit y by q { a = 50; b }\n", {}, 2, 24, "no amount"),
    ("E023", 'import "./main.plan"\n', {}, 1, 1, "import cycle"),
    ("E024", "table h { a = 1; b = 1 }\ntarget y = 100\nsplit y by q { a = weight(h); b = weight(2) }\n",
     {}, 3, 35, "mixes raw scores"),
    ("E025", 'plan "x" { round: 0 }\n', {}, 1, 12, "positive"),
    ("E025", 'plan "x" { main: east }\ntarget year = 1M\nsplit year by r { east = rest }\n', {}, 1, 18,
     "must name a root target"),
    ("E025", "target y = 1 [status: done]\n", {}, 1, 15, "status must be"),
    ("E026", "table h { a = 1 }\ntarget y = h.b\n", {}, 2, 12, "has no key `b`"),
    ("E027", "target y = sum\nsplit y by q { a = 10; b = 20% }\n", {}, 2, 28, "needs fixed amounts"),
    ("E028", "target y = 100\nsplit y by q using even\n", {}, 2, 1, "no children"),
    ("E029", "target y = 100\nsplit y by q { a = 30 min 40; b = rest }\n", {}, 2, 27, "below its min"),
    ("E030", "target y = " + "(" * 300 + "1" + ")" * 300 + "\n", {}, 1, 55, "nested"),
    ("E031", "target y = 20%\nsplit y by q { a = rest }\n", {}, 2, 7, "is a ratio and cannot be split"),
    ("E032", "target y = 100\nsplit y by q { a = rest }\ncross q by region\n", {}, 3, 1, "no target is split by both"),
    ("E033", "target y = 100\nsplit y by q { Q1 = rest }\nsplit y by r { e = rest }\nsplit e by m { Q1 = rest }\n"
             "cross r by q\n", {}, 4, 16, "cell of the cross"),
    ("E034", "target y = 100\nsplit y by a { x = rest }\nsplit y by b { z = rest }\nsplit y by c { w = rest }\n"
             "cross a by b by c\n", {}, 5, 1, "three-way"),
    ("E035", "target y = 10\nsplit y by r { a = 5; b = 5 }\nsplit y by c { x = 5; z = 5 }\n"
             "table s by r, c {\n  a: x = 1, z = 0\n  b: x = 1, z = 0\n}\ncross r by c seed s\n", {}, 8, 19,
     "cannot fit"),
    ("E036", "target y = 10\nsplit y by r { a = 5; b = 5 }\nsplit y by c { x = 5; z = 5 }\n"
             "table s { a = 1 }\ncross r by c seed s\n", {}, 5, 19, "1-D table"),
    ("E037", 'target y = 1\ndata d = csv("../outside.csv")\n', {}, 2, 14, "outside the project root"),
    ("E039", "target price = 10M\ntarget cubed = price * price * price\n", {}, 2, 16, "beyond the bounds"),
    ("E038", "target y = -2M\nsplit y by r using even { east; west }\n", {}, 2, 20, "below zero"),
    ("E060", "target y = round(123_456_789)\n", {}, 1, 12, "takes 2 arguments"),
    ("E060", "target y = cube(3)\n", {}, 1, 12, "unknown function `cube`"),
    ("E060", "target y = ceil(10M, 0)\n", {}, 1, 22, "positive step"),
    ("E061", "table h { a = 1M }\ntarget y = last(h) * 2\n", {}, 2, 12, "only meaningful for a split's child"),
    ("E062", "target y = 100\nscenario s { z = 5 }\n", {}, 2, 14, "not a target of the plan"),
    ("E062", "target y = 100\nscenario base { y = 5 }\n", {}, 2, 10, "cannot be called `base`"),
    ("E063", "target y = 100\nsplit y by rep using even { a; b [start: 2027-07-01, ramp: fast] }\n", {}, 2, 54,
     "does not name a table"),
    ("E050", "measure visits\ntarget v = 5 visit\n", {}, 2, 14, "unknown measure `visit`"),
    ("E051", "measure visits\nmeasure deals\ntarget a = 5 visits\ntarget b = 3 deals\ntarget c = a + b\n", {},
     5, 12, "cannot add `visits` and `deals`"),
    ("E051", "measure visits\ntarget year = 10M\nsplit year by q { a = 5 visits; b = rest }\n", {}, 3, 23,
     "`a` is `visits` but `year` is money"),
    ("E052", "measure visits { rounding: sideways }\n", {}, 1, 18, "nearest, up, down"),
    ("E053", "measure deals\ntarget y = 10M\nsplit y by rep { a = rest }\nfunnel f for reps {\n"
             "  deals = self / 150k in deals\n}\n", {}, 4, 14, "no target is split by it"),
    ("E054", "measure deals\ntarget y = 10M\nsplit y by rep { a = rest }\nfunnel f for rep {\n"
             "  deals = self / 0 in deals\n}\n", {}, 5, 18, "must be above zero"),
    ("E055", "measure deals\ntable w { a = 120% }\ntarget y = 10M\nsplit y by rep { a = rest }\nfunnel f for rep {\n"
             "  deals = self / 150k * w(rep) in deals\n}\n", {}, 6, 25, "above 100%"),
    ("E056", "measure deals\ntable w { a = 1 }\ntarget y = w(rep)\n", {}, 3, 12, "only meaningful in a funnel"),
    ("E057", "target y = 120M\nsplit y by week\n", {}, 2, 12, "needs the plan's period"),
    ("E090", "target y = 1\n", {"planc.toml": "[rules\n"}, 1, 7, "not valid TOML"),
    ("W001", HEAD + "target year = 120_000_500\n", {}, 5, 15, "not a multiple"),
    ("W002", "target y = 1 [colour: \"red\"]\n", {}, 1, 15, "unknown attribute"),
    ("W003", 'plan "x" { colour: red }\n', {}, 1, 12, "unknown header key"),
    ("W030", "target y = 100\nexpect y < 50 \"too big\"\n", {}, 2, 1, "expectation failed"),
    ("E047", "target y = 5\ntarget z = actual(y)\n", {}, 2, 12, "only for assertions"),
        ("E047", 'target y = 5\nactuals = csv("a.csv", enc: "gbk")\n', {}, 2, 24, "no option `enc`"),
]


@pytest.mark.parametrize("code,text,files,line,column,words", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_code_at_exact_position(plan, code, text, files, line, column, words):
    result = plan(text, files)
    hits = [d for d in result.diagnostics if d.code == code]
    assert hits, f"expected {code}, got {[(d.code, d.message) for d in result.diagnostics]}"
    d = hits[0]
    expected_file = "planc.toml" if code == "E090" else "main.plan"  # a configuration problem is in its file
    assert d.file.endswith(expected_file) and (d.line, d.column) == (line, column), (d.file, d.line, d.column)
    assert words in d.message
    assert d.severity == ("warning" if code.startswith("W") else "error")


ACTUALS_PLAN = ('plan "T" { period: 2027-01-01 .. 2027-12-31 }\ntarget year = 120M\n'
                'split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }\n'
                'split year by region { east = 70M; west = rest }\n')
ACTUALS_CASES = [
    # (code, actuals file bytes (None: no file), line, column, words): `planc track` reading actuals
    ("E040", None, 1, 1, "cannot read actuals file"),
    ("E041", "target,amount\nwest,1\n华东,5\n".encode("gb18030"), 3, 1, "not UTF-8"),
    ("E042", b"rep;month;sales\nwest;2027-01;1\n", 1, 1, "header"),
    ("E042", b"target,period,amount\nwest,2027-01\n", 2, 13, "2 fields"),
    ("E043", b"target,period,amount\nwest,2027-01,1\nwest,2027-02,n/a\n", 3, 14, "not an amount"),
    ("E044", b"target,period,amount\nwest,2027-01,1\nwest,2027-01,2\n", 3, 1, "first on line 2"),
    ("E045", b"target,period,amount\nwest,2027-01,1\nwest,2026-12,2\n", 3, 6, "outside the plan period"),
    ("E045", b"target,period,amount\nQ1,2027-05,1\n", 2, 4, "outside the dates of `year.Q1`"),
    ("E046", b"target,period,amount\nwest,2027-01,1\nwets,2027-01,2\n", 3, 1, "not a target"),
    ("W010", b"target,period,amount\nwest,2027-01,1\nyear,2027-01,5\neast,2027-01,3\n", 3, 1, "add up to 4"),
    # the plan's fifth line: an assert on actuals, checked as of 2027-06-30
    ("E048", b"target,period,amount\nwest,2027-01,1\n", 5, 1, "review assertion failed as of 2027-06-30"),
    # planc replan: Q1 and Q2 are closed and already above the year
    ("E049", b"target,period,amount\nQ1,2027-03,70M\nQ2,2027-05,60M\n", 3, 1, "cannot keep `year`"),
]


@pytest.mark.parametrize("code,content,line,column,words", ACTUALS_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(ACTUALS_CASES)])
def test_actuals_code_at_exact_position(tmp_path, code, content, line, column, words):
    import datetime

    from planc.pipeline import compile_plan
    from planc.review import track
    from planc.review.actuals import ActualsFile

    review = "assert actual(west) >= 50% of expected(west)  \"west keeps pace\"\n" if code == "E048" else ""
    (tmp_path / "main.plan").write_text(ACTUALS_PLAN + review, encoding="utf-8")
    if content is not None:
        (tmp_path / "a.csv").write_bytes(content)
    result = compile_plan(tmp_path / "main.plan")
    as_of = datetime.date(2027, 6, 30)
    rows, diags = track.read_actuals([ActualsFile(tmp_path / "a.csv", "a.csv")], result, as_of)
    actuals, more = track.rollup(result, rows, as_of)
    diags += more + track.review_assertions(result, actuals, as_of)
    if code == "E049":
        from planc.review.replan import replan

        diags += replan(result, actuals, as_of).diagnostics
    hits = [d for d in diags if d.code == code]
    assert hits, f"expected {code}, got {[(d.code, d.message) for d in diags]}"
    d = hits[0]
    assert d.file.endswith("main.plan" if code in ("E048", "E049") else "a.csv") and (d.line, d.column) == (line, column), (d.line, d.column, d.message)
    assert words in d.message
    assert d.severity == ("warning" if code.startswith("W") else "error")


def test_every_documented_code_is_tested():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "errors.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^## ([EW]\d{3})\b", doc, flags=re.M))
    # E099: test_fmt_refuses_to_write_what_it_cannot_verify; W031 (check --as-of): test_overdue_action
    tested = {c[0] for c in CASES} | {c[0] for c in ACTUALS_CASES} | {"E099", "W031"}
    assert documented, "docs/errors.md lists no codes"
    assert documented - tested == set(), "documented but never triggered"
    assert tested - documented == set(), "triggered but not documented"


def test_fmt_refuses_to_write_what_it_cannot_verify(tmp_path, monkeypatch, capsys):
    """E099: the formatter re-parses its own output; a mismatch leaves the file alone."""
    from planc import fmt
    from planc.cli.fmt import format_files

    path = tmp_path / "p.plan"
    original = "target y = 100\nsplit y by q { a = 40%; b = rest }\n"
    path.write_text(original, encoding="utf-8")
    monkeypatch.setattr(fmt, "layout", lambda source, module: "target y = 100\n")  # drops a statement
    assert format_files([str(path)]) == 1
    assert "error[E099]" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == original


def test_overdue_action(plan):
    """W031: only `check --as-of`; at the action, naming its target, owner and the days late."""
    import datetime

    from planc.semantics.actions import overdue

    result = plan("target y = 100\nsplit y by r { a = 60; b = rest }\n"
                  'action "call" for a [owner: "Li", due: 2027-03-31]\n'
                  'action "done" for b [due: 2027-03-01, status: done]\n')
    (d,) = overdue(result.model, datetime.date(2027, 4, 15))
    assert (d.code, d.severity, d.line, d.column) == ("W031", "warning", 3, 1)
    assert "`y.a` (Li) was due 2027-03-31, 15 days before 2027-04-15" in d.message
    assert overdue(result.model, datetime.date(2027, 3, 31)) == []


# (code, plan text, {extra files}, line, column, words in the `help:` line): the fix a newcomer needs.
HELP_CASES = [
    ("E001", "target year = 48,000,000\n", {}, 1, 17, "no thousands commas: write `48_000_000` or `48M`"),
    ("E001", "target year = 4,800万\n", {}, 1, 16, "write `4_800万`"),
    ("E001", "target year = 48 000 000\n", {}, 1, 18, "without spaces: write `48_000_000` or `48M`"),
    ("E050", "target year = 48m\n", {}, 1, 17, "write `48M`"),
    ("E050", "target year = 850K\n", {}, 1, 18, "write `850k`"),
    ("E001", "target year = 48M\nsplit year by r { east = 40 %; west = rest }\n", {}, 2, 29,
     "right after the number: `40%`, not `40 %`"),
    ("E001", "target year = 48M\nsplit year by r { east = 40％; west = rest }\n", {}, 2, 28,
     "use the ASCII `%` instead of `％`: `split year by r { east = 40%; west = rest }`"),
    ("E001", "target year = 48M\nsplit year by r { east = 40%， west = rest }\n", {}, 2, 29,
     "use the ASCII `;` instead of `，`: `split year by r { east = 40%; west = rest }`"),
    ("E001", "table h { a = 1; b = 1 }\ntarget y = 4M\nsplit y by r using weight(h: 60%， h: 40%) { a; b }\n",
     {}, 3, 33, "use the ASCII `,` instead of `，`"),
    ("E001", "target year = 48M “Company revenue”\n", {}, 1, 19,
     'ASCII double quotes: `target year = 48M "Company revenue"`'),
    ("E001", "target year = 48M\nsplit year by month { 1月 = 10%; 2月 = rest }\n", {}, 2, 23, "write `一月`"),
    ("E001", "target 2east = 48M\n", {}, 1, 8, "not a digit: write `east2`"),
    ("E026", "target year = 48M\nsplit year by quarter using weight(retail_cn_quarterly)\n", {}, 2, 36,
     'add `import "std/seasonality"` at the top of the plan'),
    ("E028", "target year = 48M\nsplit year by quarter using weight(retail_cn_quarterly)\n", {}, 2, 1,
     'add `import "std/seasonality"` at the top of the plan'),
    ("E003", "target q = retail_cn_quarterly.Q1 * 1M\n", {}, 1, 12, 'add `import "std/seasonality"`'),
    ("E012", 'import "std/seasonality"\ntarget year = 48M\n'
             "split year by quarter using weight(retail_cn_quarterly) { Q1; Q2; Q3; Q5 }\n", {}, 3, 71,
     "comes with planc and has the keys Q1, Q2, Q3, Q4: name the children after them"),
    ("E017", 'data d = csv("d.csv")\ntarget y = 1\n', {"d.csv": "name;value\neast;1,5\n"}, 1, 14,
     "replace each `;` with `,` (and decimal commas `1,5` with points `1.5`): the header then reads `name,value`"),
]


@pytest.mark.parametrize("code,text,files,line,column,words", HELP_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(HELP_CASES)])
def test_help_shows_the_fix(plan, code, text, files, line, column, words):
    result = plan(text, files)
    hits = [d for d in result.diagnostics if d.code == code]
    assert hits, f"expected {code}, got {[(d.code, d.message) for d in result.diagnostics]}"
    d = hits[0]
    assert (d.line, d.column) == (line, column), (d.line, d.column, d.message)
    assert d.help is not None and words in d.help, d.help


def test_e012_on_a_table_of_the_plan_still_says_add_the_key(plan):
    result = plan("table h { a = 1 }\ntarget y = 100\nsplit y by q using weight(h) { a; b }\n")
    [d] = [d for d in result.diagnostics if d.code == "E012"]
    assert d.help == "add `b = …` to `h`, or give `b` a fixed amount"


def test_e017_a_semicolon_file_is_named_as_such(plan):
    result = plan('data d = csv("d.csv")\ntarget y = 1\n', {"d.csv": "name;value\neast;1\n"})
    [d] = [d for d in result.diagnostics if d.code == "E017"]
    assert d.message == ("`d.csv` has 1 column in its header: its fields are separated by semicolons (`;`), "
                         "and planc reads commas")


def test_full_width_percent_after_a_space_is_written_against_the_digits(plan):
    result = plan("target year = 48M\nsplit year by r { east = 40 ％; west = rest }\n")
    [d] = [d for d in result.diagnostics if d.code == "E001"]
    assert d.help == "use the ASCII `%` instead of `％`: `split year by r { east = 40%; west = rest }`"
