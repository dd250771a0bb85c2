"""A Pygments lexer for `.plan` files, for highlighting outside the editor.

Registered under the `pygments.lexers` entry point (aliases `plan` and
`planc`, file names `*.plan`), so ```` ```plan ```` blocks in Markdown
(the docs site, anything that uses Pygments) and `pygmentize x.plan` are
highlighted. It follows the terminals of `grammar/planc.lark`; the keywords
are the parser's own (`planc.syntax.ast.KEYWORDS`), so the two cannot drift.

This module imports Pygments at its top; nothing that `planc check` loads
imports it (Pygments is not a run-time dependency of planc).
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (Comment, Keyword, Literal, Name, Number, Operator, Punctuation, String, Text,
                            Whitespace, _TokenType)

from planc.syntax.ast import KEYWORDS

__all__ = ["PlanLexer"]

# A keyword's token type: declarations and `import` stand out, the rest are plain keywords.
_KIND = {
    "plan": Keyword.Declaration, "target": Keyword.Declaration, "split": Keyword.Declaration,
    "table": Keyword.Declaration, "data": Keyword.Declaration, "cross": Keyword.Declaration,
    "assert": Keyword.Declaration, "import": Keyword.Namespace,
    "rest": Keyword.Pseudo, "even": Keyword.Pseudo, "sum": Keyword.Pseudo,
}
# The keywords after which the next name is the thing declared.
_DECLARES = ("target", "table", "data", "cross")
assert set(_KIND) | set(_DECLARES) <= KEYWORDS, "highlight.py names a word that is not a keyword"

_NAME = r"[^\W\d]\w*"
_DIGITS = r"\d[\d_]*"


def _keyword_rules() -> list[tuple[str, _TokenType]]:
    """One rule per kind of keyword, the words taken from the parser's list (longest first)."""
    by_kind: dict[_TokenType, list[str]] = {}
    for word in sorted(KEYWORDS, key=lambda w: (-len(w), w)):
        by_kind.setdefault(_KIND.get(word, Keyword), []).append(word)
    return [(words(tuple(ws), suffix=r"\b"), kind) for kind, ws in by_kind.items()]


class PlanLexer(RegexLexer):
    """planc's `.plan` files: sales target plans."""

    name = "planc plan"
    aliases = ["plan", "planc"]
    filenames = ["*.plan"]
    mimetypes = ["text/x-plan"]

    tokens = {
        "root": [
            (r"[ \t\f\r]+", Whitespace),
            (r"\n", Whitespace),
            (r"#\s*planc:[^\n]*", Comment.Special),  # suppression comments: `# planc: disable=W102`
            (r"#[^\n]*", Comment.Single),
            (r'"', String.Double, "string"),
            # Literals, in the grammar's priority: dates and percentages before amounts.
            (r"\d{4}-\d{2}-\d{2}", Literal.Date),
            (_DIGITS + r"(\.\d[\d_]*)?%", Number.Percent),
            (_DIGITS + r"\.\d[\d_]*(k|M|B|万|亿)?", Number.Float),
            (_DIGITS + r"(k|M|B|万|亿)?", Number.Integer),
            (r"[A-Z]{3}(?![^\W\d_]|[\d_])", Name.Constant),  # a currency code: CNY, USD
            # A declaration: `target year`, `table history`, `data accounts`, `cross mix`.
            (r"(" + "|".join(_DECLARES) + r")\b([ \t]+)(" + _NAME + ")",
             bygroups(Keyword.Declaration, Whitespace, Name.Entity)),
            *_keyword_rules(),
            # A key before `:` — a header entry, an attribute, a named weight, a table row.
            (r"(" + _NAME + r")([ \t]*)(:)(?!:)", bygroups(Name.Attribute, Whitespace, Punctuation)),
            (_NAME, Name),
            (r"\.\.|<=|>=|==|!=|[<>=+\-*/]", Operator),
            (r"[{}()\[\],;:.]", Punctuation),
            # Anything else is not planc: the compiler says so with a diagnostic; a highlighter
            # shows it as plain text (no Error token at every keystroke, nor in the docs' bad examples).
            (r".", Text),
        ],
        "string": [
            (r'\\.', String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r'"', String.Double, "#pop"),
            (r"\n", Whitespace, "#pop"),  # an unterminated string ends with its line
        ],
    }
