"""`planc fmt`: one canonical layout for `.plan` files.

The layout (docs/fmt.md):

- one statement per line; a `{ }` block written on one line stays on one
  line (items separated by `; `) if it fits in 100 columns, otherwise it has
  one child, table entry or header entry per line, `{` at the end of the
  statement's line and `}` alone;
- two spaces of indentation inside a block;
- single spaces around `=`, operators, `of`, `by`, `using`; `key: value`;
  `, ` between list items; two spaces before a label string and before
  `[attributes]`; the `=` of a split's children and of a table's entries
  aligned in a column (display width, so CJK names align too);
- exactly one blank line around a multi-line block; elsewhere the author's
  blank lines are kept, at most one in a row; none just inside `{ }`;
- the spelling of numbers (`120_000_000`, `1.2亿`, `850k`) and of
  percentages is kept, and so is every comment: a comment at the end of a
  line stays at the end of that element's line (two spaces before `#`),
  a comment on its own line stays above the element that follows it;
- the file ends with one newline; CRLF files stay CRLF; a BOM is kept.

The AST has no comments, so they are recovered from the text
(`planc.syntax.comments`) and attached to the element whose line they end (or
precede). As a safety net the result is parsed again and must give the same
syntax tree (spans aside) and the same comments; otherwise the file is left
alone and the formatter reports an internal error.
"""

from __future__ import annotations

import re

import attrs

from planc.syntax import ast
from planc.syntax.comments import Comment, scan
from planc.diagnostics import Diagnostic, display_width
from planc.syntax.parse import parse
from planc.source import Source, Span

INDENT = "  "
MAX_WIDTH = 100  # a block written on one line stays on one line up to this width
_NAME = re.compile(r"[^\W\d]\w*")
try:
    from planc.syntax.builder import KEYWORDS
except ImportError:  # pragma: no cover - an older parser module
    KEYWORDS = frozenset("plan target split by using rest even weight of table data assert cross seed import "
                         "min max overassign sum csv".split())


class FormatterBug(Exception):
    """The formatted text would not mean the same as the input: a planc bug."""


# ---- printing nodes ------------------------------------------------------------------


def quote(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{body}"'


def key(text: str) -> str:
    return text if _NAME.fullmatch(text) and text not in KEYWORDS else quote(text)


def expr(e) -> str:
    if isinstance(e, ast.Number):
        unit = e.currency or e.measure
        return e.text + (f" {unit}" if unit else "")
    if isinstance(e, ast.Percent):
        return e.text
    if isinstance(e, ast.PercentOf):
        return f"{expr(e.percent)} of {expr(e.base)}"
    if isinstance(e, ast.Ref):
        return e.dotted
    if isinstance(e, ast.Lookup):
        return f"{e.table}({e.dimension})"
    if isinstance(e, ast.BinOp):
        return f"{expr(e.left)} {e.op} {expr(e.right)}"
    if isinstance(e, ast.Neg):
        return "-" + expr(e.operand)
    if isinstance(e, ast.Paren):
        return f"({expr(e.inner)})"
    if isinstance(e, ast.Call):
        return f"{e.func}({', '.join(expr(a) for a in e.args)})"
    if isinstance(e, ast.Rest):
        return "rest"
    if isinstance(e, ast.Even):
        return "even"
    if isinstance(e, ast.Weight):
        return "weight(" + ", ".join(
            f"{a.table}: {expr(a.value)}" if a.table is not None else expr(a.value) for a in e.args) + ")"
    if isinstance(e, ast.SumMarker):
        return "sum"
    raise AssertionError(f"cannot print {e!r}")


def attributes(settings: tuple[ast.Setting, ...]) -> str:
    return "[" + ", ".join(f"{s.key}: {s.text}" for s in settings) + "]"


def _tail(label: str | None, attrs_: tuple[ast.Setting, ...]) -> str:
    out = ""
    if label is not None:
        out += "  " + quote(label)
    if attrs_:
        out += "  " + attributes(attrs_)
    return out


def _override(e) -> tuple:
    """One line of a scenario block, as `children` lays out a child."""
    if isinstance(e, ast.SplitOverride):
        text = f"{e.parent.dotted} by {e.dimension}"
        if e.method is not None:
            text += f" using {expr(e.method)}"
        if e.overassign is not None:
            text += f" overassign {e.overassign.text}"
        return (None, text, e.span)
    head, text = (e.target.dotted, " = " + expr(e.alloc)) if e.alloc is not None else (None, e.target.dotted)
    if e.min is not None:
        text += f" min {expr(e.min)}"
    if e.max is not None:
        text += f" max {expr(e.max)}"
    return (head, text + _tail(None, e.attributes), e.span)


def _pad(text: str, to: int) -> str:
    return text + " " * (to - display_width(text))


# ---- layout elements -------------------------------------------------------------------


@attrs.define
class _El:
    depth: int
    text: str
    first: int  # source lines
    last: int
    kind: str  # line | open | item | close
    stmt: int  # index of the top-level statement
    leading: list = attrs.Factory(list)  # [(blank_before, comment text)]
    trailing: str | None = None
    blank_before: bool = False


class _Layout:
    def __init__(self, source: Source, module: ast.Module) -> None:
        self.source = source
        self.module = module
        self.els: list[_El] = []

    def line(self, offset: int) -> int:
        return self.source.position(offset)[0]

    def add(self, depth: int, text: str, span_or_lines, kind: str, stmt: int) -> None:
        if isinstance(span_or_lines, Span):
            first, last = self.line(span_or_lines.start), self.line(max(span_or_lines.start, span_or_lines.end - 1))
        else:
            first, last = span_or_lines
        self.els.append(_El(depth, text, first, last, kind, stmt))

    def block(self, opener: str, stmt_node, items: list, i: int, last_item: int | None = None) -> None:
        """A `{ … }` statement. Items are (head, tail, where): `head` is padded so
        the `=` that starts `tail` lines up (None: not aligned). A block written on
        one line stays on one line if it fits in MAX_WIDTH; otherwise one item per
        line. The braces are found in the text (a span need not cover the `}`)."""
        text = self.source.text
        brace = _find(text, stmt_node.span.start, "{")
        close_at = _find(text, max(brace + 1, last_item or 0), "}")
        start, close = self.line(brace), self.line(close_at)
        if start == close and self.line(stmt_node.span.start) == start:
            body = "; ".join((head or "") + tail for head, tail, _ in items)
            one = f"{opener} {{ {body} }}" if items else f"{opener} {{}}"
            if display_width(one) <= MAX_WIDTH:
                self.add(0, one, (start, close), "line", i)
                return
        column = max((display_width(head) for head, _, _ in items if head is not None), default=0)
        self.add(0, opener + " {", (start, start), "open", i)
        for head, tail, where in items:
            self.add(1, (tail if head is None else _pad(head, column) + tail), where, "item", i)
        self.add(0, "}", (close, close), "close", i)

    def statement(self, s, i: int) -> None:
        if isinstance(s, ast.PlanHeader):
            self.block(f"plan {quote(s.title)}", s, [(None, f"{e.key}: {e.text}", e.span) for e in s.settings], i,
                       max((e.span.end for e in s.settings), default=None))
        elif isinstance(s, ast.Import):
            self.add(0, f"import {quote(s.path)}", s.span, "line", i)
        elif isinstance(s, ast.Data):
            dims = f" by {', '.join(s.dims)}" if s.dims else ""
            self.add(0, f"data {s.name}{dims} = csv({quote(s.path)})", s.span, "line", i)
        elif isinstance(s, ast.ActualsDecl):
            sources = ", ".join(f"csv({quote(c.path)}" + (f", encoding: {quote(c.encoding)}" if c.encoding else "")
                                + ")" for c in s.sources)
            self.add(0, f"actuals = {sources}", s.span, "line", i)
        elif isinstance(s, ast.Table):
            dims = f" by {', '.join(s.dims)}" if s.dims else ""
            self.block(f"table {s.name}{dims}", s, self.table_rows(s), i,
                       max((e.span.end for e in s.entries), default=None))
        elif isinstance(s, ast.Target):
            self.add(0, f"target {s.name} = {expr(s.value)}{_tail(s.label, s.attributes)}", s.span, "line", i)
        elif isinstance(s, ast.Split):
            head = f"split {s.parent.dotted} by {s.dimension}"
            if s.method is not None:
                head += f" using {expr(s.method)}"
            if s.overassign is not None:
                head += f" overassign {s.overassign.text}"
            if s.has_block:
                self.block(head, s, self.children(s), i, max((c.span.end for c in s.children), default=None))
            else:
                self.add(0, head, s.span, "line", i)
        elif isinstance(s, ast.Cross):
            text = "cross " + " by ".join(s.dims) + (f" seed {s.seed.dotted}" if s.seed is not None else "")
            self.add(0, text, s.span, "line", i)
        elif isinstance(s, ast.Assert):
            text = f"{'expect' if s.soft else 'assert'} {expr(s.left)} {s.op} {expr(s.right)}"
            if s.message is not None:
                text += "  " + quote(s.message)
            self.add(0, text, s.span, "line", i)
        elif isinstance(s, ast.Action):
            text = f"action {quote(s.text)} for {s.target.dotted}" + _tail(None, s.attributes)
            self.add(0, text, s.span, "line", i)
        elif isinstance(s, ast.Scenario):
            self.block(f"scenario {s.name}", s, [_override(e) for e in s.entries], i,
                       max((e.span.end for e in s.entries), default=None))
        elif isinstance(s, ast.Funnel):
            head = f"funnel {s.name} for {s.dimension}" + (f" of {s.of.dotted}" if s.of else "") + \
                (f" by {s.by}" if s.by else "") + \
                (f" {quote(s.label)}" if s.label is not None else "")
            steps = [(key(st.name), f" = {expr(st.value)}" + (f" in {st.measure}" if st.measure else "")
                      + (f"  {quote(st.label)}" if st.label is not None else ""), st.span) for st in s.steps]
            self.block(head, s, steps, i, max((st.span.end for st in s.steps), default=None))
        elif isinstance(s, ast.Measure):
            head = f"measure {s.name}" + (f" {quote(s.label)}" if s.label is not None else "")
            if s.settings or "{" in s.span.text:
                self.block(head, s, [(None, f"{e.key}: {e.text}", e.span) for e in s.settings], i,
                           max((e.span.end for e in s.settings), default=None))
            else:
                self.add(0, head, s.span, "line", i)
        else:  # pragma: no cover - a new statement kind the formatter does not know
            raise FormatterBug(f"no layout for {type(s).__name__}")

    def children(self, s: ast.Split) -> list:
        names = [key(c.name) for c in s.children]
        out = []
        for name, c in zip(names, s.children):
            head, text = (name, " = " + expr(c.alloc)) if c.alloc is not None else (None, name)
            if c.min is not None:
                text += f" min {expr(c.min)}"
            if c.max is not None:
                text += f" max {expr(c.max)}"
            out.append((head, text + _tail(c.label, c.attributes), c.span))
        return out

    def table_rows(self, s: ast.Table) -> list:
        # Each entry is laid out as written, `key = v` or `row: col = v`: a table
        # that mixes the two is an error (E026) but must still format as it is.
        rows: list[list[ast.TableEntry]] = []
        for e in s.entries:
            same_row = rows and e.column is not None and rows[-1][-1].column is not None \
                and rows[-1][-1].key == e.key and "," in self.source.text[rows[-1][-1].span.end:e.span.start]
            if same_row:
                rows[-1].append(e)
            else:
                rows.append([e])
        out: list[tuple] = []
        for row in rows:
            if row[0].column is None:
                out.append((row[0].key_span.text, f" = {expr(row[0].value)}", row[0].span))
                continue
            cells = ", ".join(f"{e.key_span.text} = {expr(e.value)}" for e in row)
            first, last = self.line(row[0].span.start), self.line(row[-1].span.end - 1)
            out.append((None, f"{key(row[0].key)}: {cells}", (first, last)))
        return out


def _find(text: str, start: int, char: str) -> int:
    """The offset of the first `char` at or after `start`, outside strings and comments."""
    i, n = start, len(text)
    while i < n:
        ch = text[i]
        if ch == char:
            return i
        if ch == '"':
            i += 1
            while i < n and text[i] not in '"\n':
                i += 2 if text[i] == "\\" else 1
        elif ch == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        i += 1
    raise FormatterBug(f"no `{char}` after offset {start}")


def _attach(els: list[_El], comments: list[Comment], blank: list[bool]) -> list[tuple[bool, str]]:
    """Give each comment to an element; return the comments left after the last one."""
    trailer: list[tuple[bool, str]] = []
    ends: dict[int, _El] = {}
    opens: dict[int, int] = {}  # statement -> line of its `{`
    for el in els:
        ends[el.last] = el  # the last element ending on each line
        if el.kind == "open":
            opens[el.stmt] = el.first
    starts = sorted(range(len(els)), key=lambda k: (els[k].first, k))
    order = [(els[k].first, 1, k) for k in starts] + [(c.line, 0, c) for c in comments]
    order.sort(key=lambda t: (t[0], t[1]))
    previous_line = 0
    pending: list[tuple[bool, str]] = []

    def gap(line: int) -> bool:
        return any(blank[previous_line + 1:line]) if previous_line else False

    for line, what, item in order:
        if what == 0:
            c: Comment = item  # type: ignore[assignment]
            owner = ends.get(c.line)
            if owner is not None and owner.kind == "close" and opens.get(owner.stmt) == c.line:
                owner = next(e for e in els if e.stmt == owner.stmt and e.kind == "open")  # a one-line block
            if not c.own_line and owner is not None and owner.trailing is None:
                owner.trailing = c.text
                continue
            inside = [e for e in els if e.first < c.line <= e.last]
            if owner is None and inside:
                # Within a statement that `fmt` joins onto one line: keep it just above.
                inside[-1].leading.append((False, c.text))
                continue
            pending.append((gap(c.line), c.text))
            previous_line = c.line
        else:
            el = els[item]  # type: ignore[index]
            el.leading = pending
            pending = []
            el.blank_before = gap(el.first) if el.first > previous_line else False
            previous_line = max(previous_line, el.last)
    trailer.extend(pending)
    return trailer


def _render(els: list[_El], trailer: list[tuple[bool, str]], multiline: set[int]) -> list[str]:
    out: list[str] = []

    def emit(blank: bool, depth: int, text: str) -> None:
        if blank and out and out[-1] != "":
            out.append("")
        out.append(INDENT * depth + text)

    previous: _El | None = None
    for el in els:
        # comments before a `}` belong inside the block
        comment_depth = el.depth + 1 if el.kind == "close" else el.depth
        things = [(b, comment_depth, t) for b, t in el.leading]
        text = el.text + (f"  {el.trailing}" if el.trailing else "")
        things.append((el.blank_before, el.depth, text))
        for n, (blank, depth, line) in enumerate(things):
            if n == 0 and previous is not None:
                if previous.kind == "open":
                    blank = False  # nothing blank just inside `{`
                elif el.depth == 0 and el.kind != "close" and previous.stmt != el.stmt and (
                        el.stmt in multiline or previous.stmt in multiline):
                    blank = True  # a blank line around every block
            if n == len(things) - 1 and el.kind == "close":
                blank = False  # nor just before `}`
            emit(blank, depth, line)
        previous = el
    for blank, text in trailer:
        emit(blank, 0, text)
    return out


def _collapse(els: list[_El]) -> list[_El]:
    """`table t {}`: an empty block with no comments stays on one line."""
    out: list[_El] = []
    for el in els:
        if (el.kind == "close" and out and out[-1].kind == "open" and not el.leading
                and not (el.trailing and out[-1].trailing)):
            opener = out[-1]
            out[-1] = attrs.evolve(opener, text=opener.text + "}", kind="line", last=el.last,
                                   trailing=opener.trailing or el.trailing)
            continue
        out.append(el)
    return out


def layout(source: Source, module: ast.Module) -> str:
    builder = _Layout(source, module)
    for i, s in enumerate(module.statements):
        builder.statement(s, i)
    els = builder.els
    lines = source.text.split("\n")
    blank = [False] + [not line.strip() for line in lines] + [False]
    trailer = _attach(els, scan(source.text), blank)
    els = _collapse(els)
    counts: dict[int, int] = {}
    for el in els:
        counts[el.stmt] = counts.get(el.stmt, 0) + 1
    multiline = {s for s, n in counts.items() if n > 1}
    out = _render(els, trailer, multiline)
    return "\n".join(out) + "\n" if out else ""


# ---- checking the result ------------------------------------------------------------------


def shape(node):
    """A node without its spans: equal shapes mean the same plan, as written."""
    if isinstance(node, (Span, Source)):
        return None
    if attrs.has(type(node)):
        return (type(node).__name__,) + tuple(shape(getattr(node, f.name)) for f in attrs.fields(type(node)))
    if isinstance(node, (tuple, list)):
        return tuple(shape(x) for x in node)
    return node


def format_source(source: Source) -> tuple[str | None, list[Diagnostic]]:
    """(formatted text, []) or (None, syntax diagnostics). Raises FormatterBug."""
    text = source.text
    crlf = "\r\n" in text
    if "\r" in text:
        source = Source(source.path, text.replace("\r\n", "\n"))
    module, diags = parse(source)
    if module is None:
        return None, diags
    out = layout(source, module)
    again, problems = parse(Source(source.path, out))
    if again is None or shape(again.statements) != shape(module.statements):
        raise FormatterBug("the formatted plan does not parse to the same statements")
    if [c.text for c in scan(out)] != [c.text for c in scan(source.text)]:
        raise FormatterBug("the formatted plan lost or moved a comment")
    return (out.replace("\n", "\r\n") if crlf else out), []


def format_text(text: str, path: str = "<input>") -> tuple[str | None, list[Diagnostic]]:
    return format_source(Source(path, text))
