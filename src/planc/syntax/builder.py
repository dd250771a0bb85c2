"""Text -> AST with Lark: a cached LALR parser, an inline builder, syntax diagnostics.

The Lark parser is built once per process and its tables are cached on disk
(per user), so `planc check` in pre-commit does not rebuild the grammar on
every commit. The builder runs inline while parsing: no parse tree is made
and no position propagation runs (they cost more than the parse itself).
Lark keeps every token (`keep_all_tokens`), so each rule's span is taken
from its first and last token, and the builder sees only the named ones.

The parser is shared; everything a parse changes is not. Each parse makes
its own `_Builder` (the source, nesting depths, the problems found) and
hands Lark callbacks bound to it, so parses never see each other's state
(threads, the language server). The builder's problems (a number too large,
a bad date or escape, a keyword used as a name, …) are values: it records
them and builds on, so every one in a file is reported in one run.
"""

from __future__ import annotations

import datetime
import os
from fractions import Fraction
from functools import partial
from typing import Callable

from lark import Lark, Token
from lark.exceptions import UnexpectedEOF, UnexpectedInput

try:  # the builtin module: `hashlib` loads OpenSSL, which costs start-up time
    from _blake2 import blake2b as _digest
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b as _digest

from planc.syntax import ast, bare, drive, quick
from planc.syntax.ast import KEYWORDS, NAMED_FUNCTIONS
from planc.amounts import MAX_AMOUNT, parse_number
from planc.diagnostics import Diagnostic, error
from planc.resources import cache_dir, read_entry, resource_dir, write_entry
from planc.syntax.errors import blank_region, syntax_diagnostic
from planc.source import Source, Span

MAX_NESTING = 256  # deeper expressions are surely generated or broken
MAX_SYNTAX_ERRORS = 20

# Tokens the builder sees; keywords, punctuation and separators only give positions.
_NAMED_TOKENS = frozenset({"NAME", "NUMBER", "PERCENT", "STRING", "DATE", "CURRENCY", "COMPARE"})


class _Meta:
    """Where a rule's text starts and ends, from the first and last positioned child."""

    __slots__ = ("start_pos", "end_pos")

    def __init__(self, children: list) -> None:
        # most rules start and end with a lexed token: no search
        first = children[0].start_pos if children and type(children[0]) is Token else None
        self.start_pos = first if first is not None else next(
            (p for p in map(_start, children) if p is not None), 0)
        last = children[-1].end_pos if children and type(children[-1]) is Token else None
        self.end_pos = last if last is not None else next(
            (p for p in map(_end, reversed(children)) if p is not None), self.start_pos)


def _start(x) -> int | None:
    if isinstance(x, Token):
        return x.start_pos
    if isinstance(x, Span):
        return x.start
    span = getattr(x, "span", None)
    if span is not None:
        return span.start
    if isinstance(x, (tuple, list)):
        return next((p for p in map(_start, x) if p is not None), None)
    return None


def _end(x) -> int | None:
    if isinstance(x, Token):
        return x.end_pos
    if isinstance(x, Span):
        return x.end
    span = getattr(x, "span", None)
    if span is not None:
        return span.end
    if isinstance(x, (tuple, list)):
        return next((p for p in map(_end, reversed(x)) if p is not None), None)
    return None


def token_span(source: Source, token: Token) -> Span:
    """Where a token is (Lark sets the positions of every token it lexes)."""
    assert token.start_pos is not None and token.end_pos is not None
    return Span(source, token.start_pos, token.end_pos)


def bare_child(source: Source, token: Token) -> ast.Child:
    """A split's child written as a bare name: its span is its name's (`bare.BareChild`)."""
    return bare.bare_child(str(token), Span(source, token.start_pos, token.end_pos))  # type: ignore[arg-type]  # (a lexed token has both)


def _binop(op: str) -> Callable[[_Builder, object, list], ast.BinOp]:
    """The builder method for one binary operator."""
    def build(self: _Builder, meta, children: list) -> ast.BinOp:
        left, right = children
        node = ast.BinOp(op, left, right, self._span(meta))
        self._nest(meta, node, left, right)
        return node
    return build


def _call(func: str) -> Callable[[_Builder, object, list], ast.Call]:
    """The builder method for `min(…)` or `max(…)`."""
    def build(self: _Builder, meta, children: list) -> ast.Call:
        node = ast.Call(func, tuple(children), self._span(meta))
        self._nest(meta, node, *children)
        return node
    return build


class _Builder:
    """One method per grammar rule: (meta, named children) -> AST value.
    One builder per parse: it holds that parse's source and problems."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.problems: list[Diagnostic] = []
        self.depths: dict[int, int] = {}  # id(expression node) -> nesting depth
        self.keep: list = []  # the nodes of `depths`, so their ids stay valid

    def _problem(self, diagnostic: Diagnostic) -> None:
        """Record a problem and build on: the file will not be used, but its other problems are reported."""
        self.problems.append(diagnostic)

    def _span(self, meta) -> Span:
        return Span(self.source, meta.start_pos, meta.end_pos)

    def _tok(self, token: Token) -> Span:
        return token_span(self.source, token)

    # ---- literals -----------------------------------------------------
    def _number(self, token: Token) -> Fraction:
        try:
            value = parse_number(token)
        except ValueError:
            value = MAX_AMOUNT * 10
        if abs(value) > MAX_AMOUNT:
            self._problem(error(
                "E002", f"number `{token}` is too large", self._tok(token),
                help="amounts are limited to 10^18; check for an extra suffix or zeros"))
        return value

    def amount(self, meta, children):
        number, *currency = children
        return ast.Number(self._number(number), str(number), str(currency[0]) if currency else None,
                          self._span(meta))

    def measured(self, meta, children):
        number, measure = children
        if measure in ("k", "M", "B", "万", "亿"):  # `30 M`: a scale suffix set apart, not a measure
            self._problem(error("E001", f"unexpected name `{measure}`", self._tok(measure),
                                label="a scale suffix apart from its number",
                                help=f"write the scale suffix directly after the digits, e.g. `{number}{measure}`"))
        return ast.Number(self._number(number), str(number), None, self._span(meta), str(measure),
                          self._tok(measure))

    def percent(self, meta, children):
        (token,) = children
        return ast.Percent(self._number(token) / 100, str(token), self._span(meta))

    def _string(self, token: Token) -> str:
        body = token[1:-1]
        if "\\" not in body:
            return body
        out, i = [], 0
        escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
        while i < len(body):
            ch = body[i]
            if ch == "\\" and i + 1 < len(body):
                nxt = body[i + 1]
                if nxt not in escapes:
                    start = token_span(self.source, token).start + 1 + i
                    self._problem(error("E002", f"unknown escape `\\{nxt}` in a string",
                                        Span(self.source, start, start + 2),
                                        help='use \\" \\\\ \\n or \\t'))
                out.append(escapes.get(nxt, nxt))
                i += 2
            else:
                out.append(ch)
                i += 1
        return "".join(out)

    def _date(self, token: Token) -> datetime.date:
        try:
            return datetime.date.fromisoformat(str(token))
        except ValueError:
            self._problem(error("E002", f"`{token}` is not a valid date", self._tok(token),
                                help="dates are written YYYY-MM-DD"))
            return datetime.date.min

    # ---- expressions ----------------------------------------------------
    add, sub, mul, div = _binop("+"), _binop("-"), _binop("*"), _binop("/")

    def _nest(self, meta, node, *parts) -> None:
        depth = 1 + max((self.depths.get(id(p), 0) for p in parts), default=0)
        if depth > MAX_NESTING:
            self._problem(error("E030", f"expression nested more than {MAX_NESTING} levels deep",
                                self._span(meta), help="break it up into named targets"))
            depth = -len(self.source.text)  # reported: the expressions around it do not report it again
        self.depths[id(node)] = depth
        self.keep.append(node)  # ids stay valid while the node is alive

    def neg(self, meta, children):
        node = ast.Neg(children[0], self._span(meta))
        self._nest(meta, node, children[0])
        return node

    def paren(self, meta, children):
        node = ast.Paren(children[0], self._span(meta))
        self._nest(meta, node, children[0])
        return node

    def percent_of(self, meta, children):
        node = ast.PercentOf(children[0], children[1], self._span(meta))
        self._nest(meta, node, children[1])
        return node

    min_call, max_call = _call("min"), _call("max")

    def ref(self, meta, children):
        return ast.Ref(tuple(str(c) for c in children), self._span(meta))

    # ---- allocations ------------------------------------------------------
    def rest(self, meta, children):
        return ast.Rest(self._span(meta))

    def even(self, meta, children):
        return ast.Even(self._span(meta))

    def weight(self, meta, children):
        args = tuple(c if isinstance(c, ast.WeightArg) else ast.WeightArg(None, c, c.span)
                     for c in children)
        return ast.Weight(args, self._span(meta))

    def named_weight(self, meta, children):
        name, value = children
        return ast.WeightArg(str(name), value, self._span(meta))

    def sum_marker(self, meta, children):
        return ast.SumMarker(self._span(meta))

    # ---- settings ---------------------------------------------------------
    def string_value(self, meta, children):
        return ("string", self._string(children[0]), str(children[0]))

    def name_value(self, meta, children):
        return ("name", str(children[0]), str(children[0]))

    def date_value(self, meta, children):
        return ("date", self._date(children[0]), str(children[0]))

    def period_value(self, meta, children):
        start, end = children
        return ("period", (self._date(start), self._date(end)), f"{start} .. {end}")

    def _setting(self, meta, children) -> ast.Setting:
        key, value = children
        if isinstance(value, ast.Number):
            unit = value.currency or value.measure
            value = ("amount", value.value, value.text + (f" {unit}" if unit else ""))
        elif isinstance(value, ast.Percent):
            value = ("percent", value.ratio, value.text)
        kind, parsed, text = value
        return ast.Setting(str(key), kind, parsed, text, self._span(meta), self._tok(key))

    header_entry = attribute = _setting

    # Labels, attribute lists and blocks carry their span so the statement
    # around them ends at their closing quote, `]` or `}`.
    def attributes(self, meta, children):
        return ("attrs", tuple(children), self._span(meta))

    def label(self, meta, children):
        return ("label", self._string(children[0]), self._span(meta))

    # ---- statements ---------------------------------------------------------
    def start(self, meta, children):
        return tuple(children)

    def plan_header(self, meta, children):
        title, *settings = children
        return ast.PlanHeader(self._string(title), tuple(settings), self._span(meta))

    def import_stmt(self, meta, children):
        return ast.Import(self._string(children[0]), self._span(meta))

    def table_dims(self, meta, children):
        return ("dims", tuple(str(c) for c in children))

    def _key(self, token: Token) -> str:
        return self._string(token) if token.type == "STRING" else str(token)

    def table_entry(self, meta, children):
        key, value = children
        return (ast.TableEntry(self._key(key), None, value, self._span(meta), self._tok(key)),)

    def cell_entry(self, meta, children):
        col, value = children
        return (col, value, self._span(meta))

    def table_row2(self, meta, children):
        row, *cells = children
        return tuple(ast.TableEntry(self._key(row), self._key(col), value, span, self._tok(col))
                     for col, value, span in cells)

    def table_stmt(self, meta, children):
        name, *rest = children
        dims = rest.pop(0)[1] if rest and rest[0][0] == "dims" else ()
        entries = tuple(e for row in rest for e in row)
        return ast.Table(str(name), dims, entries, self._span(meta), self._tok(name))

    def data_stmt(self, meta, children):
        name, *rest = children
        path = rest[-1]
        dims = rest[0][1] if len(rest) == 2 else ()
        return ast.Data(str(name), dims, self._string(path), self._span(meta), self._tok(name),
                        self._tok(path))

    def actuals_stmt(self, meta, children):
        start = self._span(meta)
        return ast.ActualsDecl(tuple(children), start, Span(self.source, start.start, start.start + len("actuals")))

    def csv_source(self, meta, children):
        path, *option = children
        encoding = None
        if option:
            key, value = option
            if str(key) != "encoding":
                self._problem(error("E047", f"`csv(…)` has no option `{key}`", self._tok(key),
                                    label="expected `encoding`", help='e.g. csv("a.csv", encoding: "gb18030")'))
            else:
                encoding = self._string(value)
        return ast.CsvSource(self._string(path), encoding, self._span(meta), self._tok(path))

    def target_stmt(self, meta, children):
        name, value, *rest = children
        parts = {r[0]: r[1] for r in rest}
        return ast.Target(str(name), value, parts.get("label"), parts.get("attrs", ()), self._span(meta),
                          self._tok(name))

    def min_cap(self, meta, children):
        return ("min", children[0], self._span(meta))

    def max_cap(self, meta, children):
        return ("max", children[0], self._span(meta))

    def _child_parts(self, name: str, rest: list) -> tuple:
        """A child's (or a scenario override's) parts in any order: (alloc, min, max, label,
        attributes); a cap given twice is E002."""
        alloc = label = None
        caps: dict[str, ast.Expr] = {}
        attributes: tuple = ()
        for part in rest:
            kind = part[0] if isinstance(part, tuple) else None
            if kind == "label":
                label = part[1]
            elif kind in ("min", "max"):
                if kind in caps:
                    self._problem(error("E002", f"`{kind}` given twice for `{name}`", part[2],
                                        help=f"keep one `{kind} …` on `{name}`"))
                    continue
                caps[kind] = part[1]
            elif kind == "attrs":
                attributes = part[1]
            else:
                alloc = part
        return alloc, caps.get("min"), caps.get("max"), label, attributes

    def child(self, meta, children):
        name, *rest = children
        if not rest:
            return bare_child(self.source, name)
        text = str(name)
        alloc, low, high, label, attributes = self._child_parts(text, rest)
        return ast.Child(text, alloc, low, high, label, attributes, self._span(meta), self._tok(name))

    def using(self, meta, children):
        return ("using", children[0])

    def overassign(self, meta, children):
        token = children[0]
        return ("overassign", ast.Percent(self._number(token) / 100, str(token), self._tok(token)))

    def split_block(self, meta, children):
        return ("block", bare.as_children(children), self._span(meta))

    def split_stmt(self, meta, children):
        parent, dimension, *rest = children
        parts = {r[0]: r[1] for r in rest}
        return ast.Split(parent, str(dimension), parts.get("using"), parts.get("overassign"),
                         parts.get("block", ()), "block" in parts, self._span(meta),
                         self._tok(dimension))

    def lookup(self, meta, children):
        table, dim = children
        if str(table) in NAMED_FUNCTIONS:  # `last(history)`: a function of one name, not a funnel lookup
            return self.func_call(meta, [table, ast.Ref((str(dim),), self._tok(dim))])
        return ast.Lookup(str(table), str(dim), self._span(meta), self._tok(table), self._tok(dim))

    def funnel_unit(self, meta, children):
        return ("unit", str(children[0]), self._tok(children[0]))

    def funnel_step(self, meta, children):
        name, value, *rest = children
        parts = {r[0]: r for r in rest}
        unit = parts.get("unit")
        label = parts.get("label")
        return ast.FunnelStep(str(name), value, unit[1] if unit else None, label[1] if label else None,
                              self._span(meta), self._tok(name), unit[2] if unit else None)

    def funnel_block(self, meta, children):
        return ("block", bare.as_children(children), self._span(meta))

    def funnel_by(self, meta, children):
        return ("by", str(children[0]), self._tok(children[0]))

    def funnel_of(self, meta, children):
        return ("of", children[0])

    def funnel_stmt(self, meta, children):
        name, dim, *rest = children
        parts = {r[0]: r[1] for r in rest}
        by = next((r for r in rest if r[0] == "by"), None)
        return ast.Funnel(str(name), str(dim), parts.get("label"), parts.get("block", ()), self._span(meta),
                          self._tok(name), self._tok(dim), by[1] if by else None, by[2] if by else None,
                          parts.get("of"))

    def measure_block(self, meta, children):
        return ("block", bare.as_children(children), self._span(meta))

    def measure_stmt(self, meta, children):
        name, *rest = children
        parts = {r[0]: r[1] for r in rest}
        return ast.Measure(str(name), parts.get("label"), parts.get("block", ()), self._span(meta),
                           self._tok(name))

    def seed(self, meta, children):
        return ast.Ref((str(children[0]),), self._tok(children[0]))

    def cross_stmt(self, meta, children):
        seed = children.pop() if isinstance(children[-1], ast.Ref) else None
        return ast.Cross(tuple(str(n) for n in children), tuple(self._tok(n) for n in children),
                         seed, self._span(meta))

    def assert_stmt(self, meta, children):
        left, op, right, *rest = children
        return ast.Assert(left, str(op), right, rest[0][1] if rest else None, self._span(meta))

    def expect_stmt(self, meta, children):
        left, op, right, *rest = children
        return ast.Assert(left, str(op), right, rest[0][1] if rest else None, self._span(meta), soft=True)

    def action_stmt(self, meta, children):
        text, target, *rest = children
        attributes = rest[0][1] if rest else ()
        return ast.Action(self._string(text), target, attributes, self._span(meta))

    def override(self, meta, children):
        target, *rest = children
        alloc, low, high, _, attributes = self._child_parts(target.dotted, rest)
        return ast.Override(target, alloc, low, high, attributes, self._span(meta))

    def split_override(self, meta, children):
        parent, dimension, *rest = children
        parts = {r[0]: r[1] for r in rest}
        return ast.SplitOverride(parent, str(dimension), parts.get("using"), parts.get("overassign"),
                                 self._span(meta), self._tok(dimension))

    def scenario_stmt(self, meta, children):
        name, *entries = children
        return ast.Scenario(str(name), tuple(entries), self._span(meta), self._tok(name))

    def func_call(self, meta, children):
        name, *args = children
        node = ast.Call(str(name), tuple(args), self._span(meta))
        self._nest(meta, node, *args)
        return node


# Options given to Lark; the cached tables depend on them, the grammar, and Lark's version.
_OPTIONS = dict(parser="lalr", lexer="contextual", keep_all_tokens=True, maybe_placeholders=False)


def _build(grammar: str) -> Lark:
    """The LALR parser, its tables from the cache when an authenticated entry
    is there (Lark's own `cache=` would unpickle whatever file it finds)."""
    import io
    import sys

    import lark

    folder = cache_dir()
    entry: str | None = None
    if folder:
        tag = f"{lark.__version__}\0{sys.version_info[:2]}\0{sorted(_OPTIONS.items())}\0{grammar}"
        entry = os.path.join(folder, f"grammar-{_digest(tag.encode()).hexdigest()[:32]}.lark-cache")
        payload = read_entry(folder, entry)
        if payload is not None:
            try:
                return Lark.load(io.BytesIO(payload))
            except Exception:  # tables from another Lark: build afresh and overwrite them
                pass
    parser = Lark(grammar, **_OPTIONS)
    if folder and entry:
        buffer = io.BytesIO()
        parser.save(buffer)
        write_entry(folder, entry, buffer.getvalue())
    return parser


_PARSER: Lark | None = None  # built once; holds no state of any parse
_RULES = tuple(name for name in dir(_Builder) if not name.startswith("_"))  # the builder's rule methods


class _Callbacks:
    """What Lark calls on each reduction: a rule's builder method, given the
    rule's span and its named children. Made for each parse, bound to its builder."""

    def __init__(self, builder: _Builder) -> None:
        self.builder = builder
        for name in _RULES:
            setattr(self, name, self._wrap(getattr(builder, name)))
        setattr(self, "child", self._child(getattr(self, "child")))  # (set by the loop above)

    def _child(self, call, keywords=KEYWORDS):
        """`child`, with the bare name (most children of a big plan: a million in a plan of
        2,000 reps × 12 months × 40 products) built straight from its token (`bare_child`)."""
        source = self.builder.source

        def child(children: list):
            if len(children) == 1:
                token = children[0]
                if type(token) is Token and token.type == "NAME" and token not in keywords:
                    return bare_child(source, token)
            return call(children)
        return child

    def _wrap(self, method, named_tokens=_NAMED_TOKENS, keywords=KEYWORDS):
        def call(children: list):
            named = []
            for c in children:  # one pass: drop punctuation, catch keywords used as names
                if type(c) is Token:
                    kind = c.type
                    if kind not in named_tokens:
                        continue
                    if kind == "NAME" and c in keywords:
                        self._reserved(c)
                named.append(c)
            return method(_Meta(children), named)
        return call

    def _reserved(self, token: Token) -> None:
        # The contextual lexer reads a keyword as a name where no keyword fits;
        # keywords stay reserved so `x = rest` can never mean two things.
        span = token_span(self.builder.source, token)
        self.builder._problem(error("E001", f"`{token}` is a keyword and cannot be used as a name", span,
                                    help=f"rename it, e.g. `{token}_`"))


def parser() -> Lark:
    """The LALR parser, without callbacks: each parse brings its own (`_parse`)."""
    global _PARSER
    if _PARSER is None:
        grammar = (resource_dir("grammar") / "planc.lark").read_text(encoding="utf-8")
        _PARSER = _build(grammar)
    return _PARSER


def _parse(lark: Lark, text: str, builder: _Builder, fast: bool = True):
    """Run the shared LALR tables with callbacks bound to this parse's builder.
    Text without a syntax error goes through `drive` (the same tables, driven
    faster, the same callback calls: so the builder's problems are the same too);
    on a syntax error it is parsed again by Lark, which makes today's syntax
    diagnostics (the fast pass's builder problems are dropped: Lark's pass finds
    them again). Lark fixes a transformer when the parser is made, so the
    callbacks are put into this parse's own configuration (made afresh by
    `parse_interactive`)."""
    if fast:
        trial = _Builder(builder.source)
        value = drive.run(lark, text, _Callbacks(trial), partial(quick.split_at, builder.source))
        if value is not drive.FAILED:
            builder.problems += trial.problems
            return value
    callbacks = lark._parse_tree_builder.create_callback(_Callbacks(builder))
    run = lark.parse_interactive(text)
    run.parser_state.parse_conf.callbacks = callbacks
    return run.resume_parse()


def parse_text(source: Source) -> tuple[ast.Module | None, list[Diagnostic]]:
    """Parse one file. On syntax errors, report each failing line (up to a
    limit) by blanking it and parsing on. The builder's problems are collected
    on every pass. With any problem the module is None: the file is not used."""
    lark = parser()
    syntax: list[Diagnostic] = []
    problems: dict[tuple, Diagnostic] = {}  # each pass may find the same one again
    text = source.text
    blanked: set[int] = set()
    statements = None
    while True:
        builder = _Builder(source)
        try:
            statements = _parse(lark, text, builder, fast=not syntax)  # a second pass is of broken text
            done = True
        except UnexpectedInput as exc:
            diag = syntax_diagnostic(source, lark, exc)
            syntax.append(diag)
            done = (diag.line in blanked or len(syntax) >= MAX_SYNTAX_ERRORS or isinstance(exc, UnexpectedEOF)
                    or getattr(getattr(exc, "token", None), "type", None) == "$END")
            blanked.add(diag.line)
            text = blank_region(text, diag.line)
        for d in builder.problems:
            problems.setdefault((d.span.start if d.span else 0, d.code, d.message), d)
        if done:
            break
    diagnostics = sorted(syntax + list(problems.values()), key=lambda d: (d.span.start if d.span else 0))
    if diagnostics:
        return None, diagnostics
    assert statements is not None
    return ast.Module(source, tuple(statements)), []
