"""The resolver's name index on the model (`Model.named`) finds what a scan of
every target finds (language.md §4.3(b)): `find_targets` and the history
lookups of the lint use it instead of indexing or scanning the plan again."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from planc.pipeline import compile_plan
from planc.semantics.concepts import history_entries
from planc.semantics.model import find_targets, written_among

ROOT = Path(__file__).resolve().parent.parent


def _unindexed(model):
    return attrs.evolve(model, by_name={}, by_pair={})


# Two-part names looked up (`a.Jan`, `b.Jan.p0`) while more targets ending the same way are
# still being made: the index by the last two components must take them in as they come.
LATE = """
plan "Late" { round: 1 }
target a = 1200
target b = 600
split a by month using even { Jan; Feb }
split a.Jan by product using even { p0; p1 }
split b by month using even { Jan; Feb }
split b.Jan by product using even { p0; p1 }
split b.Jan.p0 by channel { direct = 50%; partner = rest }
split a.Feb by product using even { p0; p1 }
split a.Feb.p0 by channel { direct = 50%; partner = rest }
"""


@pytest.mark.parametrize("plan", ["fy2027", "late"])
def test_the_index_finds_what_a_scan_finds(plan):
    from planc.pipeline import compile_text

    if plan == "late":
        result = compile_text(LATE, "late.plan")
        assert not [d for d in result.diagnostics if d.severity == "error"]
        model = result.model
        assert model is not None and len(model.targets) == 2 + 4 + 6 + 4
    else:
        model = compile_plan(ROOT / "examples" / "fy2027" / "fy2027.plan").model
    assert model is not None and model.by_name
    scan = _unindexed(model)
    names = {p for n in model.targets.values() for path in (n.path, *n.aliases)
             for p in (path.rpartition(".")[2], ".".join(path.split(".")[-2:]), path)}
    names |= {"nowhere", "east.nowhere"}
    for name in sorted(names):
        assert find_targets(model, name) == find_targets(scan, name), name
    assert any(len(find_targets(model, n)) > 1 for n in names)  # ties are kept, as a scan keeps them
    assert history_entries(model) == history_entries(scan)
    assert history_entries(model) or plan == "late"  # the example has last year's figures


CELLS = """
plan "Cells" { round: 1 }
target year = 1200
split year by region { east = 50%; west = rest }
split year by quarter { Q1 = 25%; Q2 = 25%; Q3 = 25%; Q4 = rest }
split year by product { p1 = 60%; p2 = rest }
cross region by quarter
cross product by quarter
target other = 10
split other by region { east = 50%; west = rest }
split other.east by quarter { Q1 = 50%; Q2 = rest }
split year.east.Q1 by channel { direct = 70%; partner = rest }
table history by region, quarter { east: Q1 = 100; west: Q4 = 90; east: Q3 = 80; Q2: west = 5; p1: Q3 = 4 }
table last { Q3 = 7; p2 = 3; direct = 14; other = 15; west = 16 }
"""


@pytest.mark.parametrize("asked", [5000, 3])
@pytest.mark.parametrize("names", [("history", "last"), ("last", "history"), ("last",), ("nowhere", "history")])
def test_last_year_asked_per_target_is_the_whole_lookup(names, asked, monkeypatch):
    """`last_year` on an indexed model works a target out when asked (`LastYear`), and after
    `ASKED` targets looks every key up once: for every target, what the whole lookup over
    `history_entries` gives, first table and first key winning."""
    from planc.pipeline import compile_text
    from planc.semantics.concepts import LastYear, last_year

    monkeypatch.setattr(LastYear, "ASKED", asked)

    cells = compile_text(CELLS, "cells.plan").model
    assert cells is not None
    # keys a CSV can give: dotted paths, a cell's either path, a key after another naming the same target
    last = cells.tables["last"]
    cells.tables["last"] = attrs.evolve(last, values={"year.p2": 23,
        **last.values, "year.east.Q2": 11, "Q1.east": 12, "east.Q1.direct": 13, ("east", "Q4"): 17,
        "p1": 18, "year.p1": 19, "Q4.west": 20, "year.west": 21})
    found = 0
    for model in (cells, compile_plan(ROOT / "examples" / "fy2027" / "fy2027.plan").model):
        assert model is not None and model.by_name
        lazy = last_year(model, names)
        assert isinstance(lazy, LastYear)
        whole = last_year(_unindexed(model), names)
        assert isinstance(whole, dict)
        for path in model.targets:
            assert lazy.get(path) == whole.get(path), path
            assert (path in lazy) == (path in whole), path
        assert lazy.get("nowhere") is None and "nowhere" not in lazy
        found += len(whole)
    assert found >= 8  # figures were found: cells, aliases, dotted keys


def test_children_added_in_one_pass_or_one_by_one_are_found_alike():
    """`Resolver.add_children` adds a split's children in one pass unless a path is
    taken (then one by one, reporting E007): both index every child the same way."""
    from planc.pipeline import compile_text

    text = ('plan "D" { round: 1 }\ntarget x = 100\nsplit x by q { a; b; a }\n'
            "split x by r { b = 50%; c = rest }\nsplit x.q_ by s { d }\n")
    result = compile_text(text)
    twice = [(d.code, d.span.line, d.span.column, d.message) for d in result.diagnostics if d.code == "E007"]
    assert twice == [("E007", 3, 22, "`x.a` is defined twice"), ("E007", 4, 16, "`x.b` is defined twice")]
    clean = compile_text('plan "D" { round: 1 }\ntarget x = 100\nsplit x by q using even { a; b }\n'
                         "split x by r using even { c; d }\nsplit b by s using even { e }\n")
    model = clean.model
    assert model is not None and clean.evaluation is not None
    assert list(model.targets) == ["x", "x.a", "x.b", "x.c", "x.d", "x.b.e"]
    scan = _unindexed(model)
    for name in ("a", "b", "e", "x.b", "b.e", "x.b.e", "q", "x.e"):
        assert find_targets(model, name) == find_targets(scan, name), name
    assert [n.path for n in find_targets(model, "b.e")] == ["x.b.e"]
    assert clean.evaluation.values["x.b.e"] == 50


WRITTEN = """
plan "Written" { round: 1 }
table h { a = 100; b = 300 }
target year = 1200
split year by region { east = 50%; west = rest }
split east by team using even { north; south [owner: "Li"]; centre "Centre"; far min 10 }
split north by rep using even { x; y }
target more = 440
split more by team using growth(h, 110%)
"""


def test_the_written_targets_are_those_with_more_than_a_name(tmp_path):
    """`model.written`, what resolve and lint read expressions and settings of, is
    every target but a bare child, in definition order; a child given an amount
    by `growth` counts as written, and so does one with only a label or settings."""
    path = tmp_path / "written.plan"
    path.write_text(WRITTEN, encoding="utf-8")
    result = compile_plan(path)
    assert result.model is not None and not [d for d in result.diagnostics if d.severity == "error"]
    assert [n.path for n in result.model.written] == [
        "year", "more", "year.east", "year.west", "more.a", "more.b",
        "year.east.south", "year.east.centre", "year.east.far"]
    order = list(result.model.targets)  # (the model's order: level by level)
    assert [order.index(n.path) for n in result.model.written] == sorted(order.index(n.path) for n in result.model.written)
    assert {"year.east.north", "year.east.north.x"} <= set(order)
    for split in result.model.splits:  # a split's own, as the resolver found them and found again
        mine = [n.path for n in result.model.written if n.producer is split]
        assert [n.path for n in split.written_children()] == mine
        assert [n.path for n in written_among(split.children)] == mine
    assert [len(s.written_children()) for s in result.model.splits] == [2, 2, 3, 0]  # (level by level)


@pytest.mark.parametrize("text, expected", [
    ("target year = 100\nsplit year by region { east = 50%; west = rest }\n"
     "split year by team { east = 30%; north = rest }\nsplit year by q { a = 1%; a = rest }\n",
     [("E007", 3, 22, "`year.east` is defined twice"),
      ("E006", 4, 23, "split of year by q allocates 1 of 100 (1.0%), 99 short"),  # (the second `a` is not added)
      ("E007", 4, 27, "`year.a` is defined twice")]),
    ("target year = 1200\nsplit year by region { east = 50%; west = rest }\n"
     "split year by quarter { Q1 = 25%; Q2 = 25%; Q3 = 25%; Q4 = rest }\ncross region by quarter\n"
     "split east by channel { Q1 = 50%; other = rest }\n",
     [("E033", 5, 25, "`year.east.Q1` is a cell of the cross of region by quarter and cannot also be defined here")]),
])
def test_a_childs_path_taken_before_is_reported(text, expected):
    """A child's path can only have been taken by another child of the same parent: of
    an earlier split of it (E007), of the same split (E007) or a cross cell in its row
    (E033). The resolver adds a split's children in one pass and looks for such a clash
    only where one can be."""
    from planc.pipeline import compile_text

    result = compile_text(text, "clash.plan")
    found = [(d.code, d.line, d.column, d.message) for d in result.diagnostics if d.severity == "error"]
    assert found == expected


# ---- the index by last component, filed when asked (semantics/name_index.py) -------------------

_LISTS = [("a", "b", "c"), ("c", "d"), ("a",), ("e", "f", "e"), ("b", "a"), ("g", "h"), ("h", "c", "h")]
_op = st.one_of(
    st.tuples(st.just("add"), st.integers(0, len(_LISTS) - 1)),
    st.tuples(st.sampled_from(["get", "item", "in", "set"]), st.sampled_from("abcdefghz")),
    st.tuples(st.sampled_from(["iter", "len", "bool", "items", "copy"]), st.just(None)))


@settings(max_examples=300, deadline=None)
@given(st.lists(_op, max_size=40))
def test_a_name_index_reads_as_the_index_filed_at_once(ops):
    """Lists of names indexed again wait in a group until one of their names is read
    (or indexed alone, or the index listed): every read, and the whole index at the
    end, equals a dict filed entry by entry as they came (order included)."""
    from planc.semantics.name_index import NameIndex

    index, eager = NameIndex(), {}
    for i, (op, arg) in enumerate(ops):
        if op == "add":
            names = _LISTS[arg]
            paths = [f"{i}.{name}" for name in names]
            nodes = [object() for _ in names]
            index.add(paths, nodes, names)
            for entry, name in zip(zip(paths, nodes), names):
                eager.setdefault(name, []).append(entry)
        elif op == "get":
            assert index.get(arg, ()) == eager.get(arg, ())
        elif op == "item":
            assert (index[arg] if arg in eager else None) == eager.get(arg)
        elif op == "in":
            assert (arg in index) == (arg in eager)
        elif op == "set":  # (a new list under a name: as the eager one)
            index[arg] = eager[arg] = [(f"{i}.{arg}", None)]
        elif op == "iter":
            assert list(index) == list(eager)
        elif op == "len":
            assert len(index) == len(eager)
        elif op == "bool":
            assert bool(index) == bool(eager)
        elif op == "items":
            assert list(index.items()) == list(eager.items())
        else:
            assert index.copy() == eager
        assert set(index.waiting) <= set(dict.keys(index))  # (so `in` and truth file nothing)
    assert bool(index) == bool(eager)
    assert list(index.items()) == list(eager.items())
    assert not index.groups and not index.waiting


def test_a_list_of_names_indexed_again_waits_until_read():
    from planc.semantics.name_index import NameIndex

    index = NameIndex()
    index.add(["x.p0", "x.p1"], [1, 2], ["p0", "p1"])
    for i in range(3):
        index.add([f"y{i}.p0", f"y{i}.p1"], [10 + i, 20 + i], ["p0", "p1"])
    assert dict.get(index, "p0") == [("x.p0", 1)]  # (not filed yet)
    assert index.waiting == {"p0": ("p0", "p1"), "p1": ("p0", "p1")} and "p1" in index
    assert index.get("p1") == [("x.p1", 2), ("y0.p1", 20), ("y1.p1", 21), ("y2.p1", 22)]
    assert dict.get(index, "p0") == [("x.p0", 1), ("y0.p0", 10), ("y1.p0", 11), ("y2.p0", 12)]
    assert not index.waiting


def test_a_big_plans_products_are_never_filed(tmp_path):
    """The realistic plan's products, named by no reference, stay in their group; a
    reference to one files it, and finds what a scan finds."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_scale

    path = tmp_path / "real.plan"
    path.write_text(bench_scale.realistic_plan(reps=12, products=4, months=12, regions=3, teams=2), encoding="utf-8")
    model = compile_plan(path).model
    assert {"p0", "p1", "p2", "p3"} <= set(model.by_name.waiting)
    found = find_targets(model, "p2")
    assert found == find_targets(_unindexed(model), "p2") and len(found) > 100
    assert "p2" not in model.by_name.waiting
