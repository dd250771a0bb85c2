"""A split of bare names, built straight from its text (issue 15).

Most of a big plan is splits like `split r12.Jan by product using weight(mix)
{ p0; p1; … p39 }`: 24,000 of them, with 960,000 children, in a plan of
2,000 reps × 12 months × 40 products. Through the LALR tables each child
costs a lexed name, a separator, a shift and two reductions. `split_at`
reads such a statement with two regular expressions (to its `{`, then its
block: one read before is found by its text instead) and builds the very
`ast.Split` the grammar's callbacks would build (the same nodes, fields and
spans), or returns None for anything else; `drive` calls it only where the
parser is about to shift `split` at the start of a statement, and parses
everything it declines as before.

What it accepts is a strict subset of the grammar's `split_stmt`, read as
the contextual lexer reads it:

    split REF by NAME [using even | using weight(NAME)] { NAME (SEP NAME)* }

REF is `NAME(.NAME)*` without spaces; names are the grammar's NAME, and a
keyword (the builder would report E001) or a name of three capitals (which
reads as a currency where one may stand) makes it decline. Between two
children, blanks and at least one `;` or line break; before the first and
after the last, comments too. `tests/test_parse_drive.py` checks the modules and the
diagnostics against Lark's own path, on every plan in the repository and on
generated ones.
"""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from operator import add

from planc.syntax import ast, bare
from planc.syntax.ast import KEYWORDS
from planc.source import Source, Span

_NAME = r"[^\W\d]\w*"  # the grammar's NAME
_BLANK = r"[ \t\r]"  # WS without \f (declined)
# Blanks, separators and whole comments (to the line's end, as lexed: never part of one)
_GAP = rf"(?:{_BLANK}|[;\n]|#[^\n]*(?=\n))*"
_BETWEEN = rf"{_BLANK}*[;\n](?:{_BLANK}|[;\n])*"  # between two children: at least one separator, no comment
_SPLIT_HEAD = (  # to the block's `{`
    rf"split{_BLANK}+(?P<ref>{_NAME}(?:\.{_NAME})*){_BLANK}+by{_BLANK}+(?P<dim>{_NAME})"
    rf"(?:{_BLANK}+using{_BLANK}+(?:(?P<even>even)|(?P<weight>weight\({_BLANK}*(?P<table>{_NAME}){_BLANK}*\))))?"
    rf"{_BLANK}*\{{")
_BLOCK = rf"{_GAP}(?P<kids>{_NAME}(?:{_BETWEEN}{_NAME})*){_GAP}\}}"  # after the `{`, to the `}`
_patterns: tuple[re.Pattern, ...] = ()  # compiled at the first split (about 1 ms: not at import, for start-up)


# The block's text read (`_block`), by that text (between the braces; at most 256 of
# them, each at most 4 kB): a big plan's splits repeat a few lists of names (every
# month's forty products), read once, whose copies then share their name strings.
_read: dict[str, tuple[list[str], list[int]] | tuple[()]] = {}


def _block(text: str, at: int, block: re.Pattern, between: re.Pattern,
           currency_word: re.Pattern) -> tuple[tuple[list[str], list[int]] | tuple[()], int] | None:
    """The names in the block after the `{` at `at - 1`, where each starts (from `at`),
    and the offset after its `}`; `()` where the split is declined (a keyword
    or a currency among them); None where the block is not a list of names."""
    m = block.match(text, at)
    if m is None:
        return None
    start, kids = m.start("kids") - at, m.group("kids")
    names = kids.split("; ")
    if kids.count(";") == kids.count(" ") == len(names) - 1 and "" not in names and "\n" not in kids \
            and "\t" not in kids and "\r" not in kids:  # each child but the last followed by just "; " (one line)
        starts = list(accumulate(map(add, map(len, names), repeat(2)), initial=start))
        starts.pop()  # (where a child after the last would start)
    else:  # name, what is between, name, …: the names, and where each starts from the lengths
        pieces = between.split(kids)
        names = pieces[::2]
        starts = list(accumulate(map(len, pieces), initial=start))[::2]
    if not KEYWORDS.isdisjoint(names) or not kids.islower() and currency_word.search(kids):
        return (), m.end()  # (a three-capital name needs a capital: most children have none)
    return (names, starts), m.end()


def split_at(source: Source, text: str, pos: int) -> tuple[ast.Split, int] | None:
    """The split statement starting at `pos` (the `split` keyword) and where it
    ends, if it is one this module reads; otherwise None."""
    global _patterns
    if not _patterns:  # the statement to its `{`, its block, what is between two children,
        # a currency (three capitals) alone and as a word
        _patterns = tuple(map(re.compile, (_SPLIT_HEAD, _BLOCK, f"({_BETWEEN})", r"[A-Z]{3}",
                                           r"(?<!\w)[A-Z]{3}(?!\w)")))
    head, block, between, currency, currency_word = _patterns
    m = head.match(text, pos)
    if m is None:
        return None
    parts = m.group("ref").split(".")
    dimension = m.group("dim")
    table = m.group("table")
    if any(p in KEYWORDS or currency.fullmatch(p) for p in (*parts, dimension, table or "")):
        return None
    # A block read before is its text to the first `}` (a `}` in a comment of one read
    # before ends no text it was read as: such a block is read again, by `_block`)
    at = m.end()
    close = text.find("}", at)
    read = _read.get(text[at:close]) if close >= 0 else None
    if read is not None:
        end = close + 1
    else:
        found = _block(text, at, block, between, currency_word)
        if found is None:
            return None
        read, end = found
        if end - at <= 4096:  # (kept small: a long list is seldom repeated)
            if len(_read) >= 256:
                _read.clear()
            _read[text[at:end - 1]] = read
    if not read:
        return None
    names, starts = read
    children = bare.bare_children(names, source, map(add, starts, repeat(at)))  # (as `builder.bare_child`)
    method: ast.Even | ast.Weight | None = None
    if m.group("even"):
        method = ast.Even(Span(source, *m.span("even")))
    elif table:
        ref = ast.Ref((table,), Span(source, *m.span("table")))
        method = ast.Weight((ast.WeightArg(None, ref, ref.span),), Span(source, *m.span("weight")))
    node = ast.Split(ast.Ref(tuple(parts), Span(source, *m.span("ref"))), dimension, method, None,
                     children, True, Span(source, pos, end), Span(source, *m.span("dim")))
    return node, end
