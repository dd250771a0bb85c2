"""Diagnostics are values: a code, a severity, a message and a span.

The text format is rustc's (`file:line:col: error[E005]: message`, the
source line, a caret under the span, `= help:`); `json` and `github` are for
tools. Renderers live here so every command prints problems the same way.
"""

from __future__ import annotations

import re

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


# Characters that must not reach a terminal or a CI log raw: C0 controls but
# tab (a newline would forge a diagnostic line, ESC drives the terminal), DEL
# and C1, line/paragraph separators, and the bidi embeddings, overrides and
# isolates (U+202A–202E, U+2066–2069) that make text read other than it is.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")  # json.dumps escapes C0
_NAMED = {"\n": "\\n", "\r": "\\r", "\x00": "\\x00"}


def _escape_one(match: re.Match) -> str:
    ch = match.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def escape_control(text: str, keep_lines: bool = False) -> str:
    """`text` with every control character written as an escape (`\\n`, `\\x1b`, `\\u202e`);
    `keep_lines`: but CR and LF (GitHub annotations encode those themselves)."""
    if keep_lines:
        return _CONTROL.sub(lambda m: m.group() if m.group() in "\r\n" else _escape_one(m), text)
    return _CONTROL.sub(_escape_one, text)


def json_safe(text: str) -> str:
    """JSON text with the characters json.dumps leaves raw (DEL, C1, bidi) as `\\uXXXX`;
    it decodes to the same values."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render_text(d: Diagnostic, colour: bool = False) -> str:
    file, message = escape_control(d.file), escape_control(d.message)
    head = f"{file}:{d.line}:{d.column}: {d.severity}[{d.code}]: {message}"
    if colour:
        tint = "\x1b[1;31m" if d.is_error else "\x1b[1;33m"
        head = f"\x1b[1m{file}:{d.line}:{d.column}:\x1b[0m {tint}{d.severity}[{d.code}]\x1b[0m\x1b[1m: {message}\x1b[0m"
    lines = [head]
    if d.span is not None and d.span.source.quoted:
        lines.extend(_snippet(d.span, d.label))
    if d.help:
        lines.append(f"   = help: {escape_control(d.help)}")
    return "\n".join(lines)


def _snippet(span: Span, label: str | None) -> list[str]:
    source: Source = span.source
    line, col = source.position(span.start)
    text = source.line_text(line)
    end_line, end_col = source.position(max(span.start, span.end))
    # A span over several lines is underlined to the end of its first line.
    stop = end_col - 1 if end_line == line else len(text)
    marked = escape_control(text[col - 1 : stop]) or " "
    gutter = " " * len(str(line))
    caret = " " * display_width(escape_control(text[: col - 1])) + "^" * max(1, display_width(marked))
    if label:
        caret += " " + escape_control(label)
    return [f"{gutter} |", f"{line} | {escape_control(text).expandtabs(1)}", f"{gutter} | {caret}"]


def render_concise(d: Diagnostic) -> str:
    return f"{escape_control(d.file)}:{d.line}:{d.column}: {d.severity}[{d.code}]: {escape_control(d.message)}"


def render_github(d: Diagnostic) -> str:
    """A GitHub Actions workflow command; `%`, CR and LF must be escaped."""
    level = "error" if d.is_error else "warning"

    def esc(s: str) -> str:
        s = escape_control(s, keep_lines=True)
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(s: str) -> str:
        return esc(s).replace(":", "%3A").replace(",", "%2C")

    msg = d.message + (f"\n\nhelp: {d.help}" if d.help else "")
    return (
        f"::{level} file={prop(d.file)},line={d.line},col={d.column},"
        f"title={prop(d.code)}::{esc(msg)}"
    )


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
