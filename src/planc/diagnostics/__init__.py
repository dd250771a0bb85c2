"""Diagnostics are values: a code, a severity, a message and a span.

A diagnostic may point at other places too (`related` labels: where a name
was first defined, the candidates of an ambiguous name, the steps of a
cycle) and carry notes. One mistake is one diagnostic. Every output format
(text as rustc draws it, concise, JSON, GitHub) is in `render.py`, so every
command prints problems the same way.
"""

from __future__ import annotations

import attrs

from planc.source import Span

ERROR = "error"
WARNING = "warning"


@attrs.frozen
class Label:
    """A secondary place a diagnostic points at, with a short message."""

    span: Span
    message: str = ""


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
    """Terminal columns: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

