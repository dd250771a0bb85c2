"""The fast drive of Lark's tables (`planc.syntax.drive`) against Lark's own path.

For every plan in the repository, seeded mutants of them, and generated plans:
the same `ast.Module` (compared field by field, spans and types included: AST
nodes compare by identity), the same diagnostics, and the same callback calls
with the same tokens (every position attribute) as Lark's parser makes.
"""

from __future__ import annotations

import random
from functools import partial
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Token
from lark.exceptions import UnexpectedInput

from fuzzkit import mutant, seeds
from planc.source import Source
from planc.syntax import ast, bare, builder, drive, quick

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted(p for folder in ("examples", "tests", "stdlib") for p in (ROOT / folder).rglob("*.plan"))


def differ(a, b) -> str | None:
    """Where two parse results differ, field by field (types included), or None."""
    todo = [(a, b, "module")]
    while todo:
        x, y, path = todo.pop()
        if type(x) is not type(y):
            return f"{path}: {type(x).__name__} != {type(y).__name__}"
        if attrs.has(type(x)):
            todo += [(getattr(x, f.name), getattr(y, f.name), f"{path}.{f.name}")
                     for f in attrs.fields(type(x)) if not f.name.startswith("_")]
        elif isinstance(x, (tuple, list)):
            if len(x) != len(y):
                return f"{path}: {len(x)} items != {len(y)}"
            todo += [(p, q, f"{path}[{i}]") for i, (p, q) in enumerate(zip(x, y))]
        elif x != y:
            return f"{path}: {x!r} != {y!r}"
    return None


def both(text: str, monkeypatch) -> tuple:
    """parse_text's (module, diagnostics) by the drive and by Lark alone."""
    source = Source("t.plan", text)
    monkeypatch.setattr(drive, "ENABLED", True)
    fast = builder.parse_text(source)
    monkeypatch.setattr(drive, "ENABLED", False)
    slow = builder.parse_text(source)
    return fast, slow


def assert_same(text: str, monkeypatch) -> None:
    (fast_module, fast_diags), (slow_module, slow_diags) = both(text, monkeypatch)
    assert differ(fast_module, slow_module) is None, differ(fast_module, slow_module)
    assert fast_diags == slow_diags
    assert [d.span.line if d.span else None for d in fast_diags] == [
        d.span.line if d.span else None for d in slow_diags]


class Recorder:
    """Callbacks that record each call: the rule and its children, tokens with every attribute."""

    def __init__(self) -> None:
        self.calls: list = []

    def __getattr__(self, name: str):
        if name.startswith("_"):  # Lark looks up `__default__`; inlined `_rules` have no callback
            raise AttributeError(name)

        def call(children):
            self.calls.append((name, [(c.type, str(c), c.start_pos, c.line, c.column, c.end_line, c.end_column,
                                       c.end_pos, type(c)) if isinstance(c, Token) else c for c in children]))
            return ("node", len(self.calls))
        return call


def calls(text: str, monkeypatch) -> tuple[list, list] | None:
    """The calls the drive makes and the calls Lark makes; None if Lark finds a syntax error."""
    monkeypatch.setattr(drive, "ENABLED", True)
    lark = builder.parser()
    slow = Recorder()
    run = lark.parse_interactive(text)
    run.parser_state.parse_conf.callbacks = lark._parse_tree_builder.create_callback(slow)
    try:
        slow_value = run.resume_parse()
    except UnexpectedInput:
        assert drive.run(lark, text, Recorder()) is drive.FAILED  # never a result where Lark has an error
        return None
    fast = Recorder()
    assert drive.run(lark, text, fast) == slow_value
    return fast.calls, slow.calls


def test_lark_internals_the_drive_reads_are_there():
    reason = drive.unsupported(builder.parser())
    assert reason is None, (
        f"planc.syntax.drive cannot drive this Lark's tables ({reason}): every parse now takes Lark's "
        "slower path. Check the Lark internals named in drive.py's docstring against the installed Lark.")


def test_the_tables_name_symbols_by_plain_strings():
    """Lark names a rule's symbol with a `Token`: looking it up in a table keyed by plain
    strings calls `Token.__eq__`, in Python, on every reduction (a tenth of a big plan's parse)."""
    lark = builder.parser()
    tables = drive.tables(lark)
    assert not isinstance(tables, str)
    assert all(type(kind) is str for row in tables.actions for kind in row)
    assert all(type(origin) is str for _, origin, *_ in tables.rules)
    assert any(isinstance(rule.origin.name, Token) for rule, _ in lark._parse_tree_builder.rule_builders)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_plan_in_the_repository(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    assert_same(text, monkeypatch)
    recorded = calls(text, monkeypatch)
    if recorded is not None:
        fast, slow = recorded
        assert fast == slow and len(slow) > 0


def test_clean_plans_take_the_fast_path():
    lark = builder.parser()
    for path in (ROOT / "examples/fy2027/fy2027.plan", ROOT / "stdlib/seasonality.plan"):
        source = Source(str(path), path.read_text(encoding="utf-8"))
        trial = builder._Builder(source)
        statements = drive.run(lark, source.text, builder._Callbacks(trial))
        assert statements is not drive.FAILED and not trial.problems and len(statements) > 3


def test_builder_problems_come_from_the_fast_pass_alone(monkeypatch):
    text = 'target rest = 1\ntarget y = 30 M "a \\q"\nsplit y by q { a max 1 max 2 }\n'
    (_, fast), (_, slow) = both(text, monkeypatch)
    assert [d.code for d in fast] == ["E001", "E001", "E002", "E002"] and fast == slow
    monkeypatch.setattr(drive, "ENABLED", True)
    lark = builder.parser()
    monkeypatch.setattr(lark, "parse_interactive", None)  # Lark's own pass is not run
    assert builder.parse_text(Source("t.plan", text))[1] == fast


def test_mutants_of_the_shipped_plans(monkeypatch):
    rng = random.Random(15)
    corpus = seeds()
    for _ in range(60):
        _, how, text = mutant(rng, corpus)
        if len(text) < 20_000:
            assert_same(text, monkeypatch)


def test_an_unsupported_parser_takes_larks_path(monkeypatch):
    lark = builder.parser()
    text = (ROOT / "examples/fy2027/fy2027.plan").read_text(encoding="utf-8")
    fast, _ = both(text, monkeypatch)
    monkeypatch.setattr(drive, "ENABLED", True)
    monkeypatch.setitem(drive._TABLES, id(lark), "a Lark upgrade changed ChildFilter")
    assert drive.run(lark, text, Recorder()) is drive.FAILED
    assert drive.unsupported(lark) == "a Lark upgrade changed ChildFilter"
    module, diags = builder.parse_text(Source("t.plan", text))
    assert not diags and differ(module, fast[0]) is None


def test_an_unknown_wrapper_makes_a_rule_unsupported():
    from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders, ExpandSingleChild

    rule, _ = builder.parser()._parse_tree_builder.rule_builders[0]
    with pytest.raises(drive._Unsupported, match="wrapper"):
        drive._rule_shape(rule, [print], ExpandSingleChild, ChildFilterLALR_NoPlaceholders)


# ---- generated plans --------------------------------------------------------------------------------

NAMES = st.one_of(
    st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True),
    st.sampled_from(["华东", "région_2", "Ünï", "k", "M", "万", "targetyear", "by_region", "CNY", "ACME",
                     "rest", "sum", "target", "by", "of", "in", "min", "actuals", "csv", "even", "weight"]))
AMOUNTS = st.sampled_from(["120M", "1.2亿", "4500万", "850k", "1_000", "12.5", "3", "100 CNY", "30 M",
                           "45 accounts", "10%", "12.5%", "2B", "99999999999999999999999"])
LABELS = st.sampled_from(["", ' "a label"', ' "标签 \\"q\\""', ' "bad \\q escape"'])
ATTRS = st.sampled_from(["", ' [owner: "Li"]', " [owner: li, status: agreed]", " [\n  owner: \"x\",\n  due: 2027-03-01\n]"])
SEPS = st.sampled_from(["\n", "\r\n", "; ", "\n\n", "\n# a comment\n", "  # trailing\n", "\n\t", ";\n"])
BROKEN = st.sampled_from(["target = ", "split {", "@@", '"unterminated', "}", "target x = (1", "1 +", "target y = 1 +* 2",
                          "table t { a = }", "split a by { b = 5 }", "[", "target t = min(1)", "\x00", "é = 1"])


@st.composite
def exprs(draw, depth: int = 0):
    atoms = [AMOUNTS, NAMES, st.builds(lambda a, b: f"{a}.{b}", NAMES, NAMES),
             st.builds(lambda n: f"mix({n})", NAMES), st.builds(lambda n: f"10% of {n}", NAMES)]
    if depth < 3:
        sub = exprs(depth + 1)
        atoms += [st.builds(lambda a, o, b: f"{a} {o} {b}", sub, st.sampled_from("+-*/"), sub),
                  st.builds(lambda a: f"({a})", sub), st.builds(lambda a: f"-{a}", sub),
                  st.builds(lambda a, b: f"max({a},\n {b})", sub, sub), st.builds(lambda a: f"round({a})", sub)]
    return draw(st.one_of(atoms))


@st.composite
def statements(draw):
    kind = draw(st.sampled_from(["target", "split", "table", "table2", "header", "assert", "broken", "comment",
                                 "scenario", "cross"]))
    name = draw(NAMES)
    if kind == "target":
        value = draw(st.one_of(exprs(), st.just("sum")))
        return f"target {name} = {value}{draw(LABELS)}{draw(ATTRS)}"
    if kind == "split":
        using = draw(st.sampled_from(["", " using even", " using weight(history)", " using weight(a: 1, b: 2)"]))
        over = draw(st.sampled_from(["", " overassign 105%"]))
        children = draw(st.lists(st.builds(
            lambda n, a, cap, lab, at: f"{n}{a}{cap}{lab}{at}", NAMES,
            st.sampled_from(["", " = 40%", " = rest", " = even", " = 1M"]),
            st.sampled_from(["", " max 4000000", " min 1 max 2", " max 1 max 2"]), LABELS, ATTRS), max_size=4))
        sep = draw(SEPS)
        return f"split {name} by {draw(NAMES)}{using}{over} {{{sep}{sep.join(children)}{sep}}}"
    if kind == "table":
        rows = draw(st.lists(st.builds(lambda k, v: f"{k} = {v}", NAMES, AMOUNTS), max_size=4))
        return f"table {name} {{{'; '.join(rows)}}}"
    if kind == "table2":
        return f'table {name} by a, b {{\n  {draw(NAMES)}: c1 = {draw(AMOUNTS)}, "c 2" = 2\n}}'
    if kind == "header":
        return 'plan "FY" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1; start: 2027-02-30 }'
    if kind == "assert":
        return f"{draw(st.sampled_from(['assert', 'expect']))} {draw(exprs())} <= {draw(exprs())}{draw(LABELS)}"
    if kind == "scenario":
        return f"scenario {name} {{\n  {draw(NAMES)} = {draw(AMOUNTS)}\n  {draw(NAMES)} by month using even\n}}"
    if kind == "cross":
        return f"cross {name} by {draw(NAMES)} seed {draw(NAMES)}"
    if kind == "comment":
        return "# " + draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"),
                                   max_size=12))
    return draw(BROKEN)


@st.composite
def plans(draw) -> str:
    parts = draw(st.lists(statements(), max_size=8))
    text = "".join(p + draw(SEPS) for p in parts)
    return draw(st.sampled_from(["", "\t", "  "])) + text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=plans())
def test_generated_plans(text, monkeypatch):
    assert_same(text, monkeypatch)
    recorded = calls(text, monkeypatch)
    if recorded is not None:
        assert recorded[0] == recorded[1]


# ---- splits of bare names, read by `syntax/quick.py` ------------------------------------------------

PLAIN_NAMES = st.one_of(st.from_regex(r"[a-z][a-z0-9_]{0,4}", fullmatch=True), st.sampled_from(["华东", "Ünï", "_x", "p0"]))
EDGE_NAMES = st.one_of(PLAIN_NAMES, st.sampled_from(["CNY", "ACME", "USDx", "xUSD", "by", "even", "rest", "split",
                                                     "using", "weight", "actuals", "targetyear"]))
PLAIN_GAPS = st.sampled_from(["; ", ";", "\n", "\n  ", " ;\n  ", "\r\n", ";;", "  \n\n  ", "\t;", "; ; "])
EDGE_GAPS = st.sampled_from(["; ", "\n", "", " ", "\n# note; p9\n", " # c\n", "\f", "\r", " # c }\n"])


@st.composite
def quick_splits(draw) -> str:
    """Splits of the shape `quick.split_at` reads, and (one in three) around it: the
    names, separators, methods and endings it must decline or read with care."""
    edgy = draw(st.integers(0, 2)) == 0
    names, gaps = (EDGE_NAMES, EDGE_GAPS) if edgy else (PLAIN_NAMES, PLAIN_GAPS)
    ref = ".".join(draw(st.lists(names, min_size=1, max_size=3)))
    usings = ["", " using even", " using weight(mix)"]
    if edgy:
        ref = draw(st.sampled_from([ref, ref.replace(".", " . ", 1)]))
        usings += ["  using  even", " using weight( mix\t)", " using weight(mix, b)", " using weight(3)",
                   " overassign 105%", " using evens"]
    kids = draw(st.lists(names, min_size=0 if edgy else 1, max_size=6))
    body = "".join((draw(gaps) if i else "") + k for i, k in enumerate(kids))
    end = draw(st.sampled_from(["", " # end", ";", " x", "\n}", " = 1"] if edgy else ["", " # end", ";"]))
    around = st.sampled_from(["", " ", "\n", " # c\n"] + (["\f", "\r", " # c }\n"] if edgy else []))
    return (f"split {ref} by {draw(names)}{draw(st.sampled_from(usings))}{draw(st.sampled_from([' ', '', '  ']))}"
            f"{{{draw(around)}{body}{draw(around)}}}{end}")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.one_of(quick_splits(), quick_splits(), quick_splits(), statements()), min_size=1, max_size=6),
       seps=st.lists(SEPS, min_size=6, max_size=6))
def test_generated_splits_of_bare_names(parts, seps, monkeypatch):
    assert_same("".join(p + s for p, s in zip(parts, seps)), monkeypatch)


def _quick_reads(text: str, monkeypatch) -> list:
    """The statements `quick.split_at` read while parsing `text` (by the drive)."""
    read: list = []

    def counted(source, text, pos):
        made = original(source, text, pos)
        if made is not None:
            read.append(text[pos:made[1]])
        return made

    original = quick.split_at
    monkeypatch.setattr(drive, "ENABLED", True)
    monkeypatch.setattr(quick, "split_at", counted)
    builder.parse_text(Source("t.plan", text))
    monkeypatch.setattr(quick, "split_at", original)
    return read


def test_splits_of_bare_names_are_read_quickly_and_the_same(monkeypatch):
    text = ('plan "Q" { round: 1 }\ntable mix { p0 = 1; p1 = 2 }\ntarget year = 100\n'
            "split year by region using even {  # the coast\n  east\n  west  # last\n}\n"
            "split east by product using weight(mix) { p0; p1 }\n"
            "split west by q { a;;b\r\n  c }; split year.west.a by m { x }\n"
            "split year.west.b by m { x; ; y; z }\n")  # "; " alone between names, and twice
    assert _quick_reads(text, monkeypatch) == [
        "split year by region using even {  # the coast\n  east\n  west  # last\n}",
        "split east by product using weight(mix) { p0; p1 }",
        "split west by q { a;;b\r\n  c }", "split year.west.a by m { x }", "split year.west.b by m { x; ; y; z }"]
    assert_same(text, monkeypatch)
    # lines and columns after statements read across lines are the lexer's: a builder
    # problem of the fast pass (a keyword as a name) points at the right place
    (_, fast), (_, slow) = both(text + "target rest = 1\n", monkeypatch)
    assert fast == slow and [(d.code, d.span.line, d.span.column) for d in fast] == [("E001", 12, 8)]
    # and every token lexed after them has the line and column of its offset
    source = Source("t.plan", text + "target t = 1\n")
    recorder = Recorder()
    monkeypatch.setattr(drive, "ENABLED", True)
    assert drive.run(builder.parser(), source.text, recorder, partial(quick.split_at, source)) is not drive.FAILED
    tokens = [c for _, children in recorder.calls for c in children if isinstance(c, tuple) and len(c) == 9]
    assert len(tokens) > 10 and any(t[3] == 11 for t in tokens)
    for kind, value, start, line, column, end_line, end_column, end, _ in tokens:
        assert (line, column, end_line, end_column) == (*source.position(start), *source.position(end)), value


def test_a_list_of_children_read_again_is_placed_where_it_stands(monkeypatch):
    """`quick` reads a list of children once (by its text) and places each copy at its own
    offset; the same list declined (a keyword in it) is declined each time."""
    monkeypatch.setattr(quick, "_read", {})
    kids = "p0; 华东; p2"
    commented = "split a.p2 by q { u; v  # {}\n}"  # (its text to the first `}` is no block)
    text = ('plan "Q" { round: 1 }\ntarget year = 100\nsplit year by region { a; b }\n'
            f"split a by product {{ {kids} }}\nsplit b by product {{ {kids} }}\n"
            f"{commented}\n{commented.replace('a.p2', 'b.p2')}\n"
            "split a.p0 by m { x; by }\nsplit a.p2 by m { x; by }\n")
    assert _quick_reads(text, monkeypatch) == [
        "split year by region { a; b }", f"split a by product {{ {kids} }}", f"split b by product {{ {kids} }}",
        commented, commented.replace("a.p2", "b.p2")]
    assert set(quick._read) == {" a; b ", f" {kids} ", " x; by ", " u; v  # {}\n"}  # (the text between the braces)
    assert_same(text, monkeypatch)
    monkeypatch.setattr(drive, "ENABLED", True)
    module, _ = builder.parse_text(Source("t.plan", text.split("split a.p0")[0]))
    a, b = (s for s in module.statements if isinstance(s, ast.Split) and s.dimension == "product")
    assert [c.span.text for c in b.children] == ["p0", "华东", "p2"]
    assert [c.span.start - b.span.start for c in b.children] == [c.span.start - a.span.start for c in a.children]
    assert all(x.name is y.name for x, y in zip(a.children, b.children))  # (one string for both)


@pytest.mark.parametrize("text", [
    "split a by b {\n  split c by d { e }\n}\n",  # inside a block: never at a statement's start
    "split a by b {\n  c  # a comment between children\n  d\n}\n",
    "split a by b { by; c }\n", "split a by b { CNY }\n", "split rest by b { c }\n", "split a by b { c # d\n e }\n",
    "split a by b { c\f}\n", "split a . b by c { d }\n", "split a by b { c = 1 }\n", "split a by b { c d }\n",
    "scenario s {\n  split a by b { c }\n}\n", "split a by b using weight(3) { c }\n",
])
def test_what_quick_declines_is_parsed_as_before(text, monkeypatch):
    reads = _quick_reads(text, monkeypatch)
    assert reads == []
    assert_same(text, monkeypatch)


def test_spans_and_bare_children_made_slot_by_slot_equal_the_constructors():
    """`bare.bare_children`, and the parse cache reading spans and children back, set
    each slot themselves (for speed): every field of the class reads as what the attrs
    constructor sets. A bare child's span is made when first read, once."""
    import pickle

    from planc.source import Span

    source = Source("x.plan", "split a by b { p0; 华东 }")
    built = [Span(source, 15, 17), Span(source, 19, 21)]
    children = bare.bare_children(["p0", "华东"], source, [15, 19])
    assert all(bare.source_of(c) is source for c in children)
    for child in children:  # (no span made yet, not even by `source_of`)
        with pytest.raises(AttributeError):
            bare._get_span(child)
    expected = [ast.Child(name, None, None, None, None, (), span, span) for name, span in zip(["p0", "华东"], built)]
    written = ast.Child("x", ast.Rest(built[0]), None, ast.Ref(("y",), built[1]), "X", (), built[0], built[1])
    again = pickle.loads(pickle.dumps([built, written, children[1]]))
    for cls, got, want in ((bare.BareChild, list(children), expected), (Span, again[0], built),
                           (ast.Child, [again[1]], [written]), (bare.BareChild, [again[2]], expected[1:])):
        assert [type(x) for x in got] == [cls] * len(want)
        for x, y in zip(got, want):
            for field in attrs.fields(type(y)):  # (an unset slot raises AttributeError)
                mine, theirs = getattr(x, field.name), getattr(y, field.name)
                assert type(mine) is type(theirs) and repr(mine) == repr(theirs), (cls, field.name)
    assert all(bare._get_span(c) is c.span for c in children)  # (made once, then kept)
    assert bare.source_of(written) is source and bare.source_of(again[2]) is again[2].span.source
    assert all(c.span is c.name_span and isinstance(c, ast.Child) for c in children)
    assert [c.span.text for c in children] == ["p0", "华东"]
    assert isinstance(children, tuple)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        children[0].name = "other"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        children[0].alloc = ast.Rest(built[0])  # type: ignore[misc]  # (a class constant: still frozen)
    # A child with more than its name is a `Child`: `attrs.evolve` and a call make one
    grown = attrs.evolve(children[0], alloc=ast.Rest(built[0]))
    assert type(grown) is ast.Child and grown.name == "p0" and isinstance(grown.alloc, ast.Rest)
    assert grown.span is children[0].span and grown.name_span is children[0].span
    called = bare.BareChild("q", None, None, None, None, (), built[0], built[1])  # type: ignore[call-arg]
    assert type(called) is ast.Child and called.name_span is built[1]


def test_a_split_of_bare_names_pickles_as_names_and_places():
    """The parse cache writes a split whose children are all bare names as their names
    and starts (`bare._split_reduce`), and reads it back as the parser made it: every
    field of the split and of each child, spans included. A split with any other child
    pickles by its fields."""
    import pickle

    text = ("table mix { p0 = 1; p1 = 2 }\ntarget year = 100\n"
            "split year by product using weight(mix) { p0; 华东\n  p1 }\n"
            "split year by region { east = 40%; west }\n")
    module, problems = builder.parse_text(Source("t.plan", text))
    assert module is not None and not problems
    names_only, written = [s for s in module.statements if isinstance(s, ast.Split)]
    assert bare._split_reduce(names_only)[0] is bare._bare_split
    assert bare._split_reduce(written)[0] is ast.Split
    again = pickle.loads(pickle.dumps(module))
    for old, new in zip([names_only, written], [s for s in again.statements if isinstance(s, ast.Split)]):
        assert repr(old) == repr(new)
        for child, read in zip(old.children, new.children):
            assert (read.span.start, read.span.end, read.name_span.start, read.name_span.end) == \
                (child.span.start, child.span.end, child.name_span.start, child.name_span.end)
            assert read.span.source is again.source and (read.span is read.name_span) == (child.span is child.name_span)
    assert [c.span.text for c in again.statements[2].children] == ["p0", "华东", "p1"]


@pytest.mark.parametrize("fast", [True, False])
def test_a_split_of_bare_names_holds_them_as_bare_children(fast, monkeypatch):
    """Whichever way a split is parsed (`syntax/quick.py`, Lark's callbacks or the parse
    cache), its children are `BareChildren` exactly when every one is a bare name: the
    resolver then looks into none of them for amounts, caps, labels or settings."""
    import pickle

    monkeypatch.setattr(drive, "ENABLED", fast)
    text = ("target year = 100\nsplit year by a { x; y }\nsplit year by b {\n  x\n  y  # c\n}\n"
            "split year by c { x = 40%; y }\nsplit year by d { x \"X\"; y }\nsplit year by e { x [owner: o]; y }\n"
            "split year by f { x max 5; y }\nsplit year by g\n")
    module, problems = builder.parse_text(Source("t.plan", text))
    assert module is not None and not problems
    for again in (module, pickle.loads(pickle.dumps(module))):
        splits = [s for s in again.statements if isinstance(s, ast.Split)]
        assert [type(s.children).__name__ for s in splits] == ["BareChildren"] * 2 + ["tuple"] * 5
