"""Every output format of diagnostics: text, concise, json, github (and `auto`).

The text format is rustc's: the first line `FILE:LINE:COL: severity[CODE]:
message` (what editors and CI parse), then snippets of the source with the
primary span underlined `^^^` and secondary spans `---`, each with its
label, then `= note:` and `= help:` lines aligned with the gutter. Labels in
the primary's file and near it share its snippet; a label in another file,
or far away, gets a snippet of its own under a `--> FILE:LINE:COL` header.
`cli/output.py` only chooses a format and prints what this returns.

Plan text, paths and messages may hold anything: every format escapes
control and bidi characters (`escape_control`), so nothing can forge a
diagnostic line or drive the terminal, and a source that is not `quoted`
(an imported file that is not a plan) is never shown.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from planc.amounts import JSON_SCHEMA_VERSION
from planc.diagnostics import Diagnostic, Label, display_width, escape_control, json_safe
from planc.source import Source

FORMATS = ("text", "concise", "json", "github", "auto")
# Label lines at most this far apart share a snippet (the lines between are shown or elided).
NEAR_LINES = 4
PRIMARY, SECONDARY = "^", "-"


def resolve_format(fmt: str, environ: Mapping[str, str]) -> str:
    """`auto` is `github` under GitHub Actions, `text` elsewhere."""
    if fmt == "auto":
        return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"
    return fmt


# ---- text ---------------------------------------------------------------------------


def render_text(d: Diagnostic, colour: bool = False) -> str:
    file, message = escape_control(d.file), escape_control(d.message)
    head = f"{file}:{d.line}:{d.column}: {d.severity}[{d.code}]: {message}"
    if colour:
        tint = "\x1b[1;31m" if d.is_error else "\x1b[1;33m"
        head = f"\x1b[1m{file}:{d.line}:{d.column}:\x1b[0m {tint}{d.severity}[{d.code}]\x1b[0m\x1b[1m: {message}\x1b[0m"
    marks = _marks(d)
    blocks = _blocks(marks)
    shown = [line for block in blocks for line in _shown_lines(block)]
    width = max((len(str(n)) for n in shown if n is not None), default=2)
    lines = [head]
    for i, block in enumerate(blocks):
        if i > 0:
            first = block[0]
            line, col = first.source.position(first.start)
            lines.append(f"{' ' * width} |")
            lines.append(f"{' ' * width}--> {escape_control(first.source.path)}:{line}:{col}")
        lines.extend(_snippet(block, width))
    pad = " " * (width + 1)
    lines.extend(f"{pad}= note: {escape_control(note)}" for note in d.notes)
    if d.help:
        lines.append(f"{pad}= help: {escape_control(d.help)}")
    return "\n".join(lines)


class _Mark:
    """One underline to draw: where, `^` or `-`, and its label."""

    __slots__ = ("source", "start", "end", "char", "text")

    def __init__(self, source: Source, start: int, end: int, char: str, text: str | None) -> None:
        self.source, self.start, self.end, self.char, self.text = source, start, end, char, text

    @property
    def line(self) -> int:
        return self.source.position(self.start)[0]


def _marks(d: Diagnostic) -> list[_Mark]:
    """What to underline; never in a source that may not be quoted."""
    out = []
    if d.span is not None and d.span.source.quoted:
        out.append(_Mark(d.span.source, d.span.start, d.span.end, PRIMARY, d.label))
    for label in d.related:
        if label.span.source.quoted:
            out.append(_Mark(label.span.source, label.span.start, label.span.end, SECONDARY, label.message))
    return out


def _blocks(marks: list[_Mark]) -> list[list[_Mark]]:
    """Snippets: marks grouped by file and nearness, the primary's snippet first."""
    by_file: dict[str, list[_Mark]] = {}
    for m in marks:
        by_file.setdefault(m.source.path, []).append(m)
    blocks: list[list[_Mark]] = []
    for group in by_file.values():
        group.sort(key=lambda m: (m.line, m.start))
        current: list[_Mark] = []
        for m in group:
            if current and m.line - current[-1].line > NEAR_LINES:
                blocks.append(current)
                current = []
            current.append(m)
        blocks.append(current)
    blocks.sort(key=lambda b: not any(m.char == PRIMARY for m in b))  # stable: otherwise in order
    return blocks


def _shown_lines(block: list[_Mark]) -> list[int | None]:
    """The line numbers a snippet shows; None stands for elided lines (`...`)."""
    wanted = sorted({m.line for m in block})
    out: list[int | None] = []
    for n in wanted:
        if out and n - out[-1] == 2:  # type: ignore[operator]
            out.append(n - 1)  # one line between: show it rather than `...`
        elif out and n - out[-1] > 2:  # type: ignore[operator]
            out.append(None)
        out.append(n)
    return out


def _snippet(block: list[_Mark], width: int) -> list[str]:
    source = block[0].source
    gutter = " " * width
    out = [f"{gutter} |"]
    for n in _shown_lines(block):
        if n is None:
            out.append("...")
            continue
        text = source.line_text(n)
        out.append(f"{str(n).ljust(width)} | {escape_control(text).expandtabs(1)}")
        on_line = [m for m in block if m.line == n]
        out.extend(f"{gutter} | {row}".rstrip() for row in _underlines(source, n, text, on_line))
    return out


def _underlines(source: Source, line: int, text: str, marks: list[_Mark]) -> list[str]:
    """The marker row (with the rightmost label after it) and, below it, one
    row per other label, hung from its marker by `|`, as rustc draws them."""
    if not marks:
        return []
    cells: dict[int, str] = {}
    placed = []  # (first column, last column, label) of each labelled mark
    for m in marks:
        _, col = source.position(m.start)
        end_line, end_col = source.position(max(m.start, m.end))
        # A span over several lines is underlined to the end of its first line.
        stop = end_col - 1 if end_line == line else len(text)
        # columns as printed: a control character is shown as its escape (`\x1b`)
        start = display_width(escape_control(text[: col - 1]))
        marked = max(1, display_width(escape_control(text[col - 1 : stop])))
        for x in range(start, start + marked):
            if cells.get(x) != PRIMARY:  # the primary span wins where marks overlap
                cells[x] = m.char
        if m.text:
            placed.append((start, start + marked - 1, escape_control(m.text)))
    placed.sort()
    rows = [_row(cells)]
    hanging = placed
    if placed and placed[-1][1] == max(cells):  # the rightmost label goes after the marks
        rows[0] += " " + placed[-1][2]
        hanging = placed[:-1]
    for i in range(len(hanging) - 1, -1, -1):
        rows.append(_row({start: "|" for start, _, _ in hanging[: i + 1]}))
        start, _, words = hanging[i]
        rows.append(_row({s: "|" for s, _, _ in hanging[:i]})[:start].ljust(start) + words)
    return rows


def _row(cells: dict[int, str]) -> str:
    if not cells:
        return ""
    return "".join(cells.get(x, " ") for x in range(max(cells) + 1))


# ---- one line each ----------------------------------------------------------------------


def render_concise(d: Diagnostic) -> str:
    return f"{escape_control(d.file)}:{d.line}:{d.column}: {d.severity}[{d.code}]: {escape_control(d.message)}"


def render_github(d: Diagnostic, title: str | None = None) -> str:
    """A GitHub Actions workflow command; `%`, CR and LF must be escaped.
    Related locations, notes and help follow the message in its body. `title`
    defaults to the code; the end column only when the span is on one line."""
    level = "error" if d.is_error else "warning"

    def esc(s: str) -> str:
        s = escape_control(s, keep_lines=True)  # CR and LF are encoded below
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(s: str) -> str:
        return esc(s).replace(":", "%3A").replace(",", "%2C")

    body = [d.message]
    body += [f"{_where(label)}: {label.message}" for label in d.related]
    body += [f"note: {note}" for note in d.notes]
    if d.help:
        body.append(f"help: {d.help}")
    msg = body[0] + ("\n\n" + "\n".join(body[1:]) if len(body) > 1 else "")
    where = f"line={d.line},col={d.column}"
    if d.span is not None:
        end_line, end_col = d.span.source.position(max(d.span.start, d.span.end))
        where = f"line={d.line},endLine={end_line},col={d.column}" + (
            f",endColumn={end_col}" if end_line == d.line else "")
    return f"::{level} file={prop(d.file)},{where},title={prop(title or d.code)}::{esc(msg)}"


def _where(label: Label) -> str:
    line, col = label.span.source.position(label.span.start)
    return f"{label.span.source.path}:{line}:{col}"


# ---- JSON ------------------------------------------------------------------------------------


def to_dict(d: Diagnostic) -> dict:
    """The JSON shape; `help`, `related` and `notes` appear only when there are some."""
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
    if d.related:
        out["related"] = [related_dict(label) for label in d.related]
    if d.notes:
        out["notes"] = list(d.notes)
    return out


def related_dict(label: Label) -> dict:
    source = label.span.source
    line, col = source.position(label.span.start)
    end_line, end_col = source.position(label.span.end)
    return {"file": source.path, "line": line, "column": col, "end_line": end_line, "end_column": end_col,
            "message": label.message}


def render(diags: Iterable[Diagnostic], fmt: str, colour: bool = False, titles: Mapping[str, str] | None = None) -> str:
    """Diagnostics in one of FORMATS (after `resolve_format`), as the text to print.
    `json` is the object `planc check --format json` prints."""
    diags = list(diags)
    if fmt == "json":
        import json  # only this format pays for it

        errors = sum(d.is_error for d in diags)
        doc = {"diagnostics": [to_dict(d) for d in diags], "errors": errors, "warnings": len(diags) - errors,
               "schema_version": JSON_SCHEMA_VERSION}
        return json_safe(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
    if fmt == "github":
        return "".join(render_github(d, (titles or {}).get(d.code)) + "\n" for d in diags)
    if fmt == "concise":
        return "".join(render_concise(d) + "\n" for d in diags)
    return "".join(render_text(d, colour) + "\n\n" for d in diags)
