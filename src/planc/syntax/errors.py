"""Syntax errors in words: what was found, what was expected, a hint.

Lark reports terminals by name; these turn them into what a plan's author
reads (`a name`, `` `}` ``, `a new line or ;`), and blank out a failing line
so the parser can go on and report the next one.
"""

from __future__ import annotations

import copy

import attrs
from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from planc.diagnostics import Diagnostic, error
from planc.syntax.ast import KEYWORDS
from planc.source import Source, Span

_WORDS = {
    "NAME": "a name", "NUMBER": "a number", "PERCENT": "a percentage", "STRING": "a string",
    "DATE": "a date", "CURRENCY": "a currency code", "COMPARE": "a comparison (<, <=, ==, …)",
    "_SEP": "a new line or `;`", "$END": "end of file",
}


def _expected_words(lark: Lark, expected: set[str]) -> str:
    words = set()
    for name in expected:
        if name in _WORDS:
            words.add(_WORDS[name])
            continue
        if name.lower() in KEYWORDS:  # keyword terminals are patterns (they end at a word boundary)
            words.add(f"`{name.lower()}`")
            continue
        try:
            pattern = lark.get_terminal(name).pattern
        except KeyError:
            words.add(name.lower())
            continue
        words.add(f"`{pattern.value}`" if pattern.type == "str" else name.lower())
    ordered = sorted(words, key=lambda w: (not w.startswith("`"), w))
    if len(ordered) > 8:
        ordered = ordered[:8] + ["…"]
    return ", ".join(ordered[:-1]) + (" or " if len(ordered) > 1 else "") + ordered[-1]


def _describe(token: Token) -> str:
    if token.type == "$END":
        return "end of file"
    if token.type == "_SEP":
        return "end of line" if ";" not in token else "`;`"
    if token.type in ("NAME", "NUMBER", "PERCENT", "STRING", "DATE"):
        return f"{_WORDS[token.type].split(' ', 1)[1]} `{token}`"
    return f"`{token}`"


def syntax_diagnostic(source: Source, lark: Lark, exc: UnexpectedInput) -> Diagnostic:
    diag = _syntax_diagnostic(source, lark, exc)
    if not source.quoted:  # a file that is not a plan: say where, not what it holds
        diag = attrs.evolve(diag, message=f"{source.path} is not a plan: syntax error", help=None)
    return diag


def _syntax_diagnostic(source: Source, lark: Lark, exc: UnexpectedInput) -> Diagnostic:
    if isinstance(exc, UnexpectedCharacters):
        at = exc.pos_in_stream or 0  # always set for characters; typed optional by Lark
        char = source.text[at] if at < len(source.text) else "?"
        span = Span(source, at, at + 1)
        hint = None
        if char == "'":
            hint = 'strings use double quotes: "like this"'
        else:
            from planc.syntax import typos  # the error path only

            hint = typos.character_hint(source, at, lambda terminal: _would_accept(exc, terminal))
        return error("E001", f"unexpected character `{char}`", span, label="not valid here", help=hint)
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            end = len(source.text)
            span = Span(source, max(0, end - 1), end)
        else:
            start = token.start_pos if token.start_pos is not None else 0
            # A separator token swallows blank lines; point at its first character.
            stop = start + 1 if token.type == "_SEP" else (token.end_pos or start + 1)
            span = Span(source, start, stop)
        accepts = set(exc.accepts or exc.expected)
        expected = _expected_words(lark, accepts)
        return error("E001", f"unexpected {_describe(token)}", span,
                     label=f"expected {expected}", help=_typo_hint(source, token, accepts) or _hint_for(source, token))
    assert isinstance(exc, UnexpectedEOF)
    end = len(source.text)
    unclosed = source.text.count("{") > source.text.count("}")
    return error("E001", "unexpected end of file", Span(source, max(0, end - 1), end),
                 label=f"expected {_expected_words(lark, set(exc.expected))}",
                 help="a `{` block is missing its closing `}`" if unclosed else None)


def _would_accept(exc: UnexpectedCharacters, terminal: str) -> bool:
    """Would the parser, where the lexer stopped, take `terminal` next? Tried on a
    copy of its state whose reductions build nothing (the real builder is not run)."""
    state = getattr(exc, "state", None)
    if state is None or not hasattr(state, "parse_conf"):
        return False
    conf = copy.copy(state.parse_conf)
    conf.callbacks = _NoCallbacks()
    trial = type(state)(conf, state.lexer, list(state.state_stack), list(state.value_stack))
    try:
        trial.feed_token(Token(terminal, ""), is_end=False)
    except UnexpectedInput:
        return False
    return True


class _NoCallbacks(dict):
    def __missing__(self, rule):
        return lambda children: None


def _typo_hint(source: Source, token: Token, accepts: set[str]) -> str | None:
    """The usual slips, with the corrected text (`syntax/typos.py`)."""
    if token.type not in ("COMMA", "NUMBER", "NAME") or token.start_pos is None:
        return None
    from planc.syntax import typos  # the error path only

    if token.type == "COMMA":
        return typos.comma_hint(source, token.start_pos)
    if token.type == "NUMBER":
        return typos.number_hint(source, token.start_pos, token.end_pos or token.start_pos + 1, "NAME" in accepts)
    return typos.name_hint(source, token.start_pos, str(token))


def _hint_for(source: Source, token: Token) -> str | None:
    if token.type == "NAME" and token in ("and", "or", "if", "else", "for"):
        return "plans have no logic operators or loops; write separate statements"
    if token.type == "$END" and source.text.count("{") > source.text.count("}"):
        return "a `{` block is missing its closing `}`"
    if token.type == "_SEP" and token.start_pos is not None:
        before = source.text[:token.start_pos].rstrip(" \t")[-1:]
        if before in ("+", "-", "*", "/", "="):
            return f"the line ends after `{before}`: write what follows on the same line, or remove the `{before}`"
    if token.type == "NAME" and token in ("k", "M", "B", "万", "亿"):
        return f"write the scale suffix directly after the digits, e.g. `30{token}`"
    if token.type == "NAME":
        glued = next((k for k in sorted(KEYWORDS, key=len, reverse=True) if token.startswith(k) and token != k), None)
        if glued is not None:
            return f"`{token}` is one name; if you meant the keyword `{glued}`, put a space after it"
    return None


def blank_region(text: str, line: int) -> str:
    """Blank out the failing line (and the block it opens) to parse on."""
    lines = text.split("\n")
    index = line - 1
    depth = 0
    stop = index
    for stop in range(index, len(lines)):
        depth += lines[stop].count("{") - lines[stop].count("}")
        if depth <= 0:
            break
    for i in range(index, min(stop, len(lines) - 1) + 1):
        lines[i] = " " * len(lines[i])
    return "\n".join(lines)
