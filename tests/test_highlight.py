"""The Pygments lexer (`planc.syntax.highlight`): what the docs site and `pygmentize` use.

Checked three ways: on every ```plan block of the docs and README and every
example plan it makes no Error token and gives back the text; where the
parser's own lexer reads the text, both agree on every token's kind; and
token types are asserted for each kind of thing a plan holds.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pygments = pytest.importorskip("pygments", reason="Pygments is in the `test` extra: pip install -e '.[test]'")

from lark import Lark  # noqa: E402
from lark.exceptions import LarkError  # noqa: E402
from pygments.token import Comment, Error, Keyword, Literal, Name, Number, String, Token  # noqa: E402

from lexer_entry import lexer_env  # noqa: E402
from planc.resources import resource_dir  # noqa: E402
from planc.syntax.ast import KEYWORDS  # noqa: E402
from planc.syntax.highlight import PlanLexer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```plan\n(.*?)^```", re.S | re.M)


def samples() -> list[tuple[str, str]]:
    """(where, text) for every ```plan block in docs/ and README.md and every example plan."""
    out = []
    pages = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
    for page in pages:
        for i, block in enumerate(FENCE.findall(page.read_text(encoding="utf-8"))):
            out.append((f"{page.relative_to(ROOT)}#{i}", block))
    for path in sorted((ROOT / "examples").rglob("*.plan")):
        out.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    return out


SAMPLES = samples()


def lex(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in PlanLexer().get_tokens(text) if v.strip()]


def kind_of(text: str, word: str):
    found = [t for t, v in lex(text) if v == word]
    assert found, f"{word!r} is not a token of {text!r}"
    return found[0]


def test_there_are_samples_from_docs_readme_and_examples():
    where = {w.split("#")[0] for w, _ in SAMPLES}
    assert {"README.md", "docs/language.md", "docs/errors.md", "examples/fy2027/fy2027.plan"} <= where
    assert len(SAMPLES) > 60


@pytest.mark.parametrize("where, text", SAMPLES, ids=[w for w, _ in SAMPLES])
def test_no_error_tokens_and_the_text_comes_back(where, text):
    tokens = list(PlanLexer().get_tokens(text))
    assert [v for t, v in tokens if t in Error] == []
    assert "".join(v for _, v in tokens) == (text if text.endswith("\n") else text + "\n")


# ---- agreement with the parser's lexer --------------------------------------------------------

def _kind_for(terminal: str):
    """The Pygments type a Lark terminal must get."""
    if terminal.lower() in KEYWORDS:
        return Keyword
    return {"NUMBER": Number, "PERCENT": Number.Percent, "DATE": Literal.Date, "CURRENCY": Name.Constant,
            "NAME": Name, "STRING": String, "COMPARE": Token.Operator}.get(terminal)


@pytest.fixture(scope="module")
def lark_lexer():
    grammar = (resource_dir("grammar") / "planc.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="basic")


def significant(text: str) -> list[tuple[object, str]]:
    """The lexer's tokens without blanks and comments, each string joined back into one token."""
    out: list[tuple[object, str]] = []
    in_string = False
    for t, v in PlanLexer().get_tokens(text):
        if t in String:
            if in_string:
                out[-1] = (String, out[-1][1] + v)
                in_string = v != '"'
            else:
                out.append((String, v))
                in_string = True
            continue
        in_string = False
        if v.strip() and t not in Comment and v != ";":  # `;` is a separator, like a newline
            out.append((t, v))
    return out


def test_the_lexer_agrees_with_the_grammars_terminals(lark_lexer):
    compared = 0
    for where, text in SAMPLES:
        try:
            theirs = [(tok.type, str(tok)) for tok in lark_lexer.lex(text) if tok.type != "_SEP"]
        except LarkError:
            continue  # a block that shows a syntax error: the test above covers it
        for (terminal, value), (kind, mine) in zip(theirs, significant(text), strict=True):
            assert mine == value, f"{where}: {value!r} lexed as {mine!r}"
            expected = _kind_for(terminal)
            if expected is not None:
                assert kind in expected, f"{where}: {value!r} is {terminal} but lexed as {kind}"
            compared += 1
    assert compared > 3000, compared


# ---- token types --------------------------------------------------------------------------------

def test_every_keyword_of_the_parser_is_a_keyword():
    for word in sorted(KEYWORDS):
        assert kind_of(f"{word} x", word) in Keyword, word


def test_a_keyword_glued_to_more_letters_is_a_name():
    assert kind_of("targetyear = 1M", "targetyear") in Name
    assert kind_of("split 华东by x", "华东by") in Name


@pytest.mark.parametrize("amount, kind", [("120M", Number.Integer), ("850k", Number.Integer), ("1.2亿", Number.Float),
                                          ("4500万", Number.Integer), ("2B", Number.Integer), ("1_000_000", Number.Integer),
                                          ("0.5", Number.Float)])
def test_amounts_with_their_scale_are_one_number(amount, kind):
    assert kind_of(f"target t = {amount}", amount) in kind


def test_percentages_dates_and_currencies():
    text = 'plan "p" { currency: CNY; period: 2027-01-01 .. 2027-12-31 }\nsplit y by r { a = 12.5% of y }\n'
    assert kind_of(text, "12.5%") in Number.Percent
    assert kind_of(text, "2027-01-01") in Literal.Date
    assert kind_of(text, "CNY") in Name.Constant
    assert kind_of(text, "currency") in Name.Attribute


def test_strings_with_escapes_and_an_unterminated_string():
    tokens = lex('target a = 1M "say \\"hi\\"" [owner: "陈杰"]\ntarget b = 2M "open\ntarget c = 3M\n')
    assert (String.Escape, '\\"') in tokens
    assert (String.Double, "陈杰") in tokens
    assert (String.Double, "open") in tokens
    # The line after an unterminated string is code again.
    assert tokens[-4:] == [(Keyword.Declaration, "target"), (Name.Entity, "c"), (Token.Operator, "="), (Number.Integer, "3M")]


def test_comments_and_suppressions():
    tokens = lex("target a = 1M  # the year\n# planc: disable-next-line=W102\n")
    assert (Comment.Single, "# the year") in tokens
    assert (Comment.Special, "# planc: disable-next-line=W102") in tokens


def test_chinese_identifiers():
    text = "target 华东 = 3000万\nsplit 华东 by 团队 { 赵磊 = 40%; 王芳 = rest }\n"
    assert kind_of(text, "华东") in Name.Entity  # declared
    assert kind_of(text, "团队") in Name
    assert kind_of(text, "赵磊") in Name
    assert kind_of(text, "3000万") in Number.Integer


def test_registered_as_the_pygments_entry_point():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"]["pygments.lexers"] == {"plan": "planc.syntax.highlight:PlanLexer"}
    assert {"plan", "planc"} <= set(PlanLexer.aliases) and PlanLexer.filenames == ["*.plan"]


def test_found_by_pygments_through_the_entry_point(tmp_path):
    plan = tmp_path / "fy.plan"
    plan.write_text("target year = 1.2亿  # the year\n", encoding="utf-8")
    code = ("import sys\nfrom pygments.lexers import get_lexer_by_name, get_lexer_for_filename\n"
            "print(type(get_lexer_by_name('plan')).__module__, type(get_lexer_by_name('planc')).__name__, "
            "type(get_lexer_for_filename('fy2027.plan')).__name__)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=lexer_env(tmp_path))
    assert found.stdout.split() == ["planc.syntax.highlight", "PlanLexer", "PlanLexer"], found.stderr
    # `pygmentize -l plan` (the same as `python -m pygments`)
    html = subprocess.run([sys.executable, "-m", "pygments", "-l", "plan", "-f", "html", str(plan)],
                          capture_output=True, text=True, env=lexer_env(tmp_path))
    assert '<span class="kd">target</span>' in html.stdout and '<span class="mf">1.2亿</span>' in html.stdout, html.stderr
