"""The grammar and the AST builder: every construct, spans, the parse cache."""

from __future__ import annotations

import types
from fractions import Fraction as F

import pytest

from planc.syntax import ast
from planc.syntax.parse import parse
from planc.source import Source


def parsed(text: str) -> tuple:
    module, diags = parse(Source("t.plan", text))
    assert not diags, [d.message for d in diags]
    return module.statements


def test_numbers_suffixes_currency_and_percentages():
    (target,) = parsed("target y = 1.2亿 CNY\n")
    assert target.value.value == 120_000_000 and target.value.currency == "CNY"
    for text, value in [("120_000_000", 120_000_000), ("850k", 850_000), ("4500万", 45_000_000),
                        ("1.5", F(3, 2)), ("2B", 2 * 10**9), ("1.25M", 1_250_000)]:
        (t,) = parsed(f"target y = {text}\n")
        assert t.value.value == value and t.value.text == text
    (t,) = parsed("target y = 12.5% of z\n")
    assert isinstance(t.value, ast.PercentOf) and t.value.percent.ratio == F(1, 8)


def test_separators_comments_and_blank_lines():
    statements = parsed("# top\n\ntarget a = 1; target b = 2 # trailing\n\n\n; target c = 3\n")
    assert [s.name for s in statements] == ["a", "b", "c"]


def test_unicode_identifiers_and_string_escapes():
    (t,) = parsed('target 华东_2027 = 1 "line\\none \\"q\\" \\\\"\n')
    assert t.name == "华东_2027" and t.label == 'line\none "q" \\'


def test_split_with_every_child_form():
    (split,) = parsed(
        "split year by region using weight(history: 60%, potential: 40%) overassign 110% {\n"
        "  east\n"
        '  south = 30M "South" [owner: "Chen Jie", status: agreed, due: 2027-03-31, margin: 35%]\n'
        "  west max 20M min 8M\n"
        "  north = rest; centre = even; far = weight(3)\n"
        "}\n")
    assert split.parent.parts == ("year",) and split.dimension == "region"
    assert [a.table for a in split.method.args] == ["history", "potential"]
    assert split.overassign.ratio == F(11, 10)
    east, south, west, north, centre, far = split.children
    assert east.alloc is None
    assert south.label == "South" and [a.key for a in south.attributes] == ["owner", "status", "due", "margin"]
    assert west.min.value == 8_000_000 and west.max.value == 20_000_000
    assert isinstance(north.alloc, ast.Rest) and isinstance(centre.alloc, ast.Even)
    assert far.alloc.args[0].value.value == 3


def test_tables_data_cross_assert_import_header():
    statements = parsed(
        'plan "P" {\n  currency: CNY\n  period: 2027-01-01 .. 2027-12-31\n  round: 1000\n}\n'
        'import "std/seasonality"\n'
        "table t by region, quarter {\n  east: Q1 = 1, Q2 = 2\n}\n"
        'data d by a, b = csv("x.csv")\n'
        "cross region by quarter seed t\n"
        'assert Q4 <= 35% of year "no hockey stick"\n')
    header, imp, table, data, cross, check = statements
    assert header.title == "P" and [s.key for s in header.settings] == ["currency", "period", "round"]
    assert imp.path == "std/seasonality"
    assert table.dims == ("region", "quarter") and [(e.key, e.column) for e in table.entries] == [
        ("east", "Q1"), ("east", "Q2")]
    assert data.dims == ("a", "b") and data.path == "x.csv"
    assert cross.dims == ("region", "quarter") and cross.seed.parts == ("t",)
    assert check.op == "<=" and check.message == "no hockey stick"


def test_expression_precedence_and_spans():
    text = "target y = 1 + 2 * (3 - 4) / max(5, 6)\n"
    (t,) = parsed(text)
    top = t.value
    assert top.op == "+" and top.right.op == "/" and top.right.left.op == "*"
    assert top.span.text == "1 + 2 * (3 - 4) / max(5, 6)"
    assert top.right.left.right.span.text == "(3 - 4)"
    assert t.span.text == text.rstrip("\n") and t.name_span.text == "y"


def test_keywords_are_reserved():
    module, diags = parse(Source("t.plan", "target rest = 5\n"))
    assert module is None and diags[0].code == "E001"


def test_several_syntax_errors_in_one_run():
    module, diags = parse(Source("t.plan", "target a = = 1\ntarget b = 2\ntarget c 3\nsplit x by y {\n a = ?\n}\n"))
    assert module is None
    assert [(d.code, d.line) for d in diags] == [("E001", 1), ("E001", 3), ("E001", 5)]


def test_parse_cache_round_trip(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANC_NO_CACHE", raising=False)
    monkeypatch.setenv("PLANC_CACHE_DIR", str(tmp_path))
    text = "target y = 120M\nsplit y by q { a = 20%; b = rest }\n"
    first, _ = parse(Source("c.plan", text))
    entries = list((tmp_path / "ast").iterdir())
    assert len(entries) == 1
    again, _ = parse(Source("c.plan", text))
    assert again is not first  # from the cache…
    assert again.statements[1].children[0].alloc.ratio == F(1, 5)  # …and the same tree
    assert again.statements[1].children[0].span.text == "a = 20%"
    entries[0].write_bytes(b"not a pickle")  # a damaged entry is parsed afresh
    fixed, diags = parse(Source("c.plan", text))
    assert not diags and fixed.statements[0].name == "y"


def test_a_parse_too_large_for_the_cache_is_not_written(tmp_path, monkeypatch):
    """An entry beyond the read limit would never be read: it is not written
    (pickling a million-target plan costs seconds), and it is read up to the limit."""
    import planc.syntax.parse as parse_module

    monkeypatch.delenv("PLANC_NO_CACHE", raising=False)
    monkeypatch.setenv("PLANC_CACHE_DIR", str(tmp_path))
    small = "target y = 1\n"
    large = "target y = 1\nsplit y by q using even { " + "; ".join(f"k{i}" for i in range(200)) + " }\n"
    parse(Source("a.plan", small))
    monkeypatch.setattr(parse_module, "MAX_ENTRY", max(p.stat().st_size for p in (tmp_path / "ast").iterdir()))
    parse(Source("b.plan", large))
    parse(Source("b.plan", large))  # (a big text is written at its second parse)
    assert [p.suffix for p in (tmp_path / "ast").iterdir()] == [".pickle"]  # the small one only
    module, diags = parse(Source("b.plan", large))
    assert not diags and len(module.statements[1].children) == 200


def test_a_big_text_is_cached_the_second_time_it_is_parsed(tmp_path, monkeypatch):
    """Writing an entry costs about half a parse: a big text gets one only when it is parsed
    again, so a plan checked once does not pay for it. Small texts are cached at once."""
    import planc.syntax.parse as parse_module

    monkeypatch.delenv("PLANC_NO_CACHE", raising=False)
    monkeypatch.setenv("PLANC_CACHE_DIR", str(tmp_path))
    big = "target y = 1\nsplit y by q using even { " + "; ".join(f"k{i}" for i in range(50)) + " }\n"
    monkeypatch.setattr(parse_module, "EAGER_ENTRY", len(big))
    parse(Source("small.plan", "target y = 1\n"))
    names = lambda: sorted(p.suffix for p in (tmp_path / "ast").iterdir())  # noqa: E731
    assert names() == [".pickle"]  # below the size: cached at its first parse
    first, _ = parse(Source("big.plan", big))
    assert names() == [".pickle", ".seen"]  # seen once: a marker, no entry
    second, _ = parse(Source("big.plan", big))
    assert names() == [".pickle", ".pickle"]  # seen again: its entry, the marker gone
    monkeypatch.setattr("planc.syntax.builder.parse_text", lambda source: pytest.fail("parsed again"))
    third, diags = parse(Source("big.plan", big))  # read from its entry
    assert not diags and third is not second and len(third.statements[1].children) == 50
    assert names() == [".pickle", ".pickle"]


def test_the_cache_key_covers_every_module_that_builds_the_tree():
    """A module the builder uses that is not in the key would let a changed
    checkout load trees built by the old code (under the same version)."""
    import planc.syntax.builder as builder
    from planc.syntax import parse as parse_module

    used = {m.__name__ for m in vars(builder).values() if isinstance(m, types.ModuleType)}
    used |= {getattr(v, "__module__", "") for v in vars(builder).values() if callable(v)}
    tree_modules = {u for u in used if u.startswith("planc.syntax.") or u == "planc.source"}
    assert {"planc.syntax.quick", "planc.syntax.drive", "planc.syntax.ast", "planc.source"} <= tree_modules
    hashed = {"planc." + m.removesuffix(".py").replace("/", ".") for m in parse_module.TREE_CODE}
    assert tree_modules - {"planc.syntax.errors"} <= hashed, tree_modules - hashed


def test_parse_cache_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANC_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("PLANC_NO_CACHE", "1")
    parse(Source("c.plan", "target y = 1\n"))
    assert not (tmp_path / "ast").exists()


@pytest.mark.parametrize("text", ["target y = 5 +\n", "split {\n"])
def test_syntax_errors_are_not_cached(tmp_path, monkeypatch, text):
    monkeypatch.delenv("PLANC_NO_CACHE", raising=False)
    monkeypatch.setenv("PLANC_CACHE_DIR", str(tmp_path))
    module, diags = parse(Source("e.plan", text))
    assert module is None and diags
    assert not (tmp_path / "ast").exists() or not list((tmp_path / "ast").iterdir())


def test_lists_in_brackets_and_parentheses_may_wrap():
    statements = parsed('target y = 300 [owner: "A",\n   status: agreed]\n'
                        "split y by q using weight(\n  h: 50%,\n  p: 50%\n) { a; b }\n"
                        "target z = min(\n  1,\n  2\n)\n")
    target, split, z = statements
    assert [a.key for a in target.attributes] == ["owner", "status"]
    assert [a.table for a in split.method.args] == ["h", "p"]
    assert len(z.value.args) == 2


def test_cache_falls_back_to_a_private_temporary_folder(tmp_path, monkeypatch):
    from planc.resources import cache_dir

    blocked = tmp_path / "blocked"
    blocked.write_text("a file, so no folder can be made below it")
    monkeypatch.delenv("PLANC_NO_CACHE", raising=False)  # it switches off every cache
    monkeypatch.delenv("PLANC_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    folder = cache_dir()
    assert folder is not None and folder.startswith(str(tmp_path)) and "planc-cache-" in folder


def _same_tree(a, b, seen: dict) -> None:
    """`b` is `a` rebuilt: the same node types and values, spans at the same places in an
    equal source, and an object shared in `a` shared alike in `b`."""
    import attrs

    from planc.source import Span

    if id(a) in seen:
        assert seen[id(a)] is b  # sharing kept (a bare child's span is its name's)
        return
    if attrs.has(type(a)):
        seen[id(a)] = b
        assert type(b) is type(a)
        if isinstance(a, Source):
            assert (b.path, b.text, b.quoted, b.line_count) == (a.path, a.text, a.quoted, a.line_count)
            return
        if isinstance(a, Span):
            assert (b.start, b.end) == (a.start, a.end)
            _same_tree(a.source, b.source, seen)
            return
        for field in attrs.fields(type(a)):
            _same_tree(getattr(a, field.name), getattr(b, field.name), seen)
    elif isinstance(a, (tuple, list)):
        assert type(b) is type(a) and len(b) == len(a)
        for x, y in zip(a, b):
            _same_tree(x, y, seen)
    else:
        assert type(b) is type(a) and b == a


def test_every_node_pickles_by_its_fields_and_comes_back_the_same():
    """The parse cache pickles a module: each node and span as `cls(*fields)`
    (`source.pickled_by_fields`), half the bytes of attrs' own state dicts."""
    import pickle
    from pathlib import Path

    import attrs

    from planc.source import Span

    root = Path(__file__).resolve().parent.parent
    plans = sorted([*root.glob("examples/**/*.plan"), *root.glob("stdlib/*.plan"), *root.glob("docs/**/*.plan")])
    assert len(plans) > 3
    kinds = set()
    for path in plans:
        module, diags = parse(Source(str(path), path.read_text(encoding="utf-8")), cached=False)
        if module is None:
            continue
        payload = pickle.dumps(module, protocol=pickle.HIGHEST_PROTOCOL)
        _same_tree(module, pickle.loads(payload), {})
        kinds |= {type(node).__name__ for node in _nodes(module)}
    assert {"Child", "Split", "Target", "Span", "BinOp"} <= kinds
    node_classes = [c for c in vars(ast).values() if isinstance(c, type) and attrs.has(c) and c.__module__ == ast.__name__]
    for cls in [Span, *node_classes]:  # every class, used in a plan here or not
        assert cls.__reduce__ is not object.__reduce__, cls


def _nodes(node):
    import attrs

    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if attrs.has(type(item)):
            yield item
            stack.extend(getattr(item, f.name) for f in attrs.fields(type(item)) if f.name != "source")
        elif isinstance(item, (tuple, list)):
            stack.extend(item)
