"""Diagnostics are values: a code, a severity, a message and a span.

A diagnostic may point at other places too (`related` labels: where a name
was first defined, the candidates of an ambiguous name, the steps of a
cycle) and carry notes. One mistake is one diagnostic. Every output format
(text as rustc draws it, concise, JSON, GitHub) is in `render.py`, so every
command prints problems the same way.
"""

from __future__ import annotations

import re
from typing import Iterable

import attrs

from planc.source import Span

ERROR = "error"
WARNING = "warning"


@attrs.frozen
class Label:
    """A secondary place a diagnostic points at, with a short message."""

    span: Span
    message: str = ""


def labels(pairs: Iterable[tuple[Span | None, str]]) -> tuple[Label, ...]:
    """Secondary labels from (span or None, message) pairs; places without a span are left out."""
    return tuple(Label(span, message) for span, message in pairs if span is not None)


@attrs.frozen
class Diagnostic:
    code: str
    severity: str
    message: str
    span: Span | None = None
    label: str | None = None  # shown after the carets
    help: str | None = None
    # A file-level problem with no span still names its file.
    path: str | None = None
    related: tuple[Label, ...] = ()  # drawn `---` under their spans
    notes: tuple[str, ...] = ()  # `= note:` lines, before the help

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def file(self) -> str:
        if self.span is not None:
            return self.span.source.path
        return self.path or "<input>"

    @property
    def line(self) -> int:
        return self.span.line if self.span is not None else 1

    @property
    def column(self) -> int:
        return self.span.column if self.span is not None else 1


def error(code: str, message: str, span: Span | None = None, **kw: object) -> Diagnostic:
    return Diagnostic(code, ERROR, message, span, **kw)  # type: ignore[arg-type]


def warning(code: str, message: str, span: Span | None = None, **kw: object) -> Diagnostic:
    return Diagnostic(code, WARNING, message, span, **kw)  # type: ignore[arg-type]


def sort_key(d: Diagnostic) -> tuple:
    return (d.file, d.line, d.column, d.code)


def display_width(text: str) -> int:
    """Columns a terminal or editor gives `text`: CJK wide characters take two,
    combining marks none. (The one measure for carets, tables, fmt and reports.)"""
    if text.isascii():  # every ASCII character takes one column
        return len(text)
    import unicodedata

    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)



# Characters that must not reach a terminal or a CI log raw: C0 controls but
# tab (a newline would forge a diagnostic line, ESC drives the terminal), DEL
# and C1, line/paragraph separators, and the bidi embeddings, overrides and
# isolates (U+202A–202E, U+2066–2069) that make text read other than it is.
# (patterns, not compiled: `re` compiles each on first use and caches it, so a
# run with nothing to print pays nothing)
_CONTROL = "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
_RAW_IN_JSON = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"  # json.dumps escapes C0
_NAMED = {"\n": "\\n", "\r": "\\r", "\x00": "\\x00"}


def _escape_one(match: re.Match) -> str:
    ch = match.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def escape_control(text: str, keep_lines: bool = False) -> str:
    """`text` with every control character written as an escape (`\\n`, `\\x1b`, `\\u202e`);
    `keep_lines`: but CR and LF (GitHub annotations encode those themselves)."""
    if keep_lines:
        return re.sub(_CONTROL, lambda m: m.group() if m.group() in "\r\n" else _escape_one(m), text)
    return re.sub(_CONTROL, _escape_one, text)


def json_safe(text: str) -> str:
    """JSON text with the characters json.dumps leaves raw (DEL, C1, bidi) as `\\uXXXX`;
    it decodes to the same values."""
    return re.sub(_RAW_IN_JSON, lambda m: f"\\u{ord(m.group()):04x}", text)
