"""Diagnostics are values: a code, a severity, a message and a span.

The text format is rustc's (`file:line:col: error[E005]: message`, the
source line, a caret under the span, `= help:`); `json` and `github` are for
tools. Renderers live here so every command prints problems the same way.
"""

from __future__ import annotations

import attrs

from planc.source import Source, Span

ERROR = "error"
WARNING = "warning"


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


def render_text(d: Diagnostic, colour: bool = False) -> str:
    head = f"{d.file}:{d.line}:{d.column}: {d.severity}[{d.code}]: {d.message}"
    if colour:
        tint = "\x1b[1;31m" if d.is_error else "\x1b[1;33m"
        head = f"\x1b[1m{d.file}:{d.line}:{d.column}:\x1b[0m {tint}{d.severity}[{d.code}]\x1b[0m\x1b[1m: {d.message}\x1b[0m"
    lines = [head]
    if d.span is not None:
        lines.extend(_snippet(d.span, d.label))
    if d.help:
        lines.append(f"   = help: {d.help}")
    return "\n".join(lines)


def _snippet(span: Span, label: str | None) -> list[str]:
    source: Source = span.source
    line, col = source.position(span.start)
    text = source.line_text(line)
    end_line, end_col = source.position(max(span.start, span.end))
    # A span over several lines is underlined to the end of its first line.
    stop = end_col - 1 if end_line == line else len(text)
    marked = text[col - 1 : stop] or " "
    gutter = " " * len(str(line))
    caret = " " * display_width(text[: col - 1]) + "^" * max(1, display_width(marked))
    if label:
        caret += " " + label
    return [f"{gutter} |", f"{line} | {text.expandtabs(1)}", f"{gutter} | {caret}"]


def render_concise(d: Diagnostic) -> str:
    return f"{d.file}:{d.line}:{d.column}: {d.severity}[{d.code}]: {d.message}"


def render_github(d: Diagnostic, title: str | None = None) -> str:
    """A GitHub Actions workflow command; `%`, CR and LF must be escaped.
    `title` defaults to the code; the end column only when the span is on one line."""
    level = "error" if d.is_error else "warning"

    def esc(s: str) -> str:
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(s: str) -> str:
        return esc(s).replace(":", "%3A").replace(",", "%2C")

    msg = d.message + (f"\n\nhelp: {d.help}" if d.help else "")
    where = f"line={d.line},col={d.column}"
    if d.span is not None:
        end_line, end_col = d.span.source.position(max(d.span.start, d.span.end))
        where = f"line={d.line},endLine={end_line},col={d.column}" + (
            f",endColumn={end_col}" if end_line == d.line else "")
    return f"::{level} file={prop(d.file)},{where},title={prop(title or d.code)}::{esc(msg)}"


def to_dict(d: Diagnostic) -> dict:
    out = {
        "file": d.file,
        "line": d.line,
        "column": d.column,
        "severity": d.severity,
        "code": d.code,
        "message": d.message,
    }
    if d.span is not None:
        end_line, end_col = d.span.source.position(d.span.end)
        out["end_line"] = end_line
        out["end_column"] = end_col
    if d.help:
        out["help"] = d.help
    return out
