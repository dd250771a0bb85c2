"""Lean cross cells (issue 15): a cell is a `CellNode` (its alias made when asked,
no lists of its own until it is split), a cross keeps its cells in a `CellGrid`,
names find cells through their cross instead of the name index, and a cell's
record is made when it is asked for. Each must give what the plain structures
gave: the same names found (language.md §4.3(b)), the same records."""

from __future__ import annotations

import attrs
import pytest

from planc.evaluate import engine
from planc.pipeline import compile_text
from planc.semantics.concepts import history_entries
from planc.semantics.model import CellGrid, CellNode, find_targets, suffix_matches

PLAN = """
plan "Cells" { round: 1 }
target year = 1200
split year by region { east = 50%; west = rest }
split year by quarter { Q1 = 25%; Q2 = 25%; Q3 = 25%; Q4 = rest }
split year by product { p1 = 60%; p2 = rest }
cross region by quarter seed mix
cross product by quarter
table mix by region, quarter { east: Q1 = 1; east: Q2 = 2; east: Q3 = 3; east: Q4 = 4;
                               west: Q1 = 4; west: Q2 = 3; west: Q3 = 2; west: Q4 = 1 }
target other = 10
split other by region { east = 50%; west = rest }
split other.east by quarter { Q1 = 50%; Q2 = rest }
split year.east.Q1 by channel { direct = 70%; partner = rest }
target t = year.east.Q1 + Q1.east + year.Q2.west + p1.Q3 + direct
table history by region, quarter { east: Q1 = 100; west: Q4 = 90; east: Q3 = 80 }
table last { Q3 = 7; p2 = 3 }
"""


@pytest.fixture(scope="module")
def result():
    compiled = compile_text(PLAN, "cells.plan")
    assert not compiled.has_errors, [d.message for d in compiled.diagnostics]
    return compiled


def _scan(model, parts):
    """§4.3(b) by brute force: every path and alias of every target."""
    pairs = [(path, n) for n in model.targets.values() for path in (n.path, *n.aliases)]
    return suffix_matches(pairs, parts)


def test_cells_are_lean_and_reachable_by_both_paths(result):
    model = result.model
    cell = model.targets["year.east.Q2"]
    assert isinstance(cell, CellNode) and cell.decl is None
    assert cell.aliases == ("year.Q2.east",) and cell.parent is model.targets["year.east"]
    assert cell.splits == () and cell.derived == ()
    split_cell = model.targets["year.east.Q1"]  # split further: it has its own list now
    assert [s.dimension for s in split_cell.splits] == ["channel"]
    assert model.targets["year.east.Q1.direct"].aliases == ("year.Q1.east.direct",)
    assert find_targets(model, "year.Q1.east.partner") == [model.targets["year.east.Q1.partner"]]


def test_names_find_what_a_scan_of_every_path_finds(result):
    model = result.model
    names = {tuple(path.split(".")[-k:]) for n in model.targets.values() for path in (n.path, *n.aliases)
             for k in range(1, len(path.split(".")) + 1)}
    names |= {("east", "nowhere"), ("Q9", "east"), ("p1", "east")}
    ambiguous = 0
    for parts in sorted(names):
        found = model.named(parts)
        assert {id(n) for n in found} == {id(n) for n in _scan(model, parts)}, parts
        ambiguous += len(found) > 1
    assert ambiguous  # ties between a cell and another target are kept, as a scan keeps them
    assert {n.path for n in model.named(("east", "Q1"))} == {"year.east.Q1", "other.east.Q1"}
    assert model.named(("east", "Q3")) == [model.targets["year.east.Q3"]]
    assert model.named(("Q2", "east")) == [model.targets["year.east.Q2"]]  # by the alias
    assert model.named(("p1", "Q3")) == [model.targets["year.p1.Q3"]]  # the second cross


def test_references_resolve_to_cells(result):
    values = result.evaluation.values
    expected = values["year.east.Q1"] * 2 + values["year.west.Q2"] + values["year.p1.Q3"] + \
        values["year.east.Q1.direct"]
    assert values["t"] == expected


def test_history_keys_name_cells_and_the_lint_skips_them(result):
    model = result.model
    found = {(node.path, amount) for _, node, amount in history_entries(model)}
    assert found == {("year.west.Q4", 90), ("year.east.Q3", 80)}  # `east: Q1` ties with other.east.Q1
    assert history_entries(model, declared=True) == []  # cells are not declared targets
    declared = history_entries(model, ("history", "last"), declared=True)
    assert {(node.path, amount) for _, node, amount in declared} == {("year.Q3", 7), ("year.p2", 3)}
    unindexed = attrs.evolve(model, by_name={}, by_pair={})
    assert history_entries(unindexed) == history_entries(model)


def test_the_grid_reads_as_the_dict_it_replaced(result):
    cross = result.model.crosses[0]
    grid = cross.cells
    as_dict = {(r.name, c.name): result.model.targets[f"year.{r.name}.{c.name}"]
               for r in cross.rows.children for c in cross.cols.children}
    assert list(grid.items()) == list(as_dict.items())  # row-major, as the cells were made
    assert list(grid) == list(grid.keys()) == list(as_dict)
    assert len(grid) == len(as_dict) == 8
    assert all(grid[k] is v and grid.get(k) is v and k in grid for k, v in as_dict.items())
    assert ("Q1", "east") not in grid and grid.get(("east", "Q9"), "none") == "none"
    with pytest.raises(KeyError):
        grid[("west", "Q9")]


def test_a_grid_built_by_hand_and_with_gaps():
    grid = CellGrid(["a", "b"], ["x", "y"])
    one, two = object(), object()
    grid.add_line([one, None])
    grid[("b", "y")] = two  # type: ignore[assignment]
    grid[("c", "x")] = one  # type: ignore[assignment]  # a new row
    assert list(grid.items()) == [(("a", "x"), one), (("b", "y"), two), (("c", "x"), one)]
    assert len(grid) == 3 and ("a", "y") not in grid and ("b", "x") not in grid


def test_cell_records_made_when_asked_equal_records_made_at_once(monkeypatch, result):
    lazy = result.evaluation.derivations
    monkeypatch.setattr(engine, "Records", lambda targets: {})  # a plain dict: every record at once
    eager = compile_text(PLAN, "cells.plan").evaluation.derivations
    assert type(eager) is dict
    cells = [c for cross in result.model.crosses for c in cross.cells.values()]
    assert len(cells) == 16 and not any(dict.__contains__(lazy, c.path) for c in cells)
    for cell in cells:
        made, stored = lazy[cell.path], eager[cell.path]
        assert cell.path in lazy and lazy.get(cell.path) is not None
        for field in attrs.fields(type(made)):
            assert getattr(made, field.name) == getattr(stored, field.name), (cell.path, field.name)
    assert [i.role for i in lazy["year.east.Q3"].inputs] == ["row", "column", "parent", "seed"]
    assert lazy["year.east.Q3"].input("seed").value == 3
    assert "year.nowhere" not in lazy and lazy.get("year.nowhere", 0) == 0
    with pytest.raises(KeyError):
        lazy["year.nowhere"]


def test_a_cell_is_worded_without_its_record_as_its_record_is(result):
    """`explain_each` words a lazily made cell through its cross (`CellMaker.wording`); it must
    say what `explain` says of the record, for every target and in every wording."""
    from planc.evaluate.explain import DETAIL, PLAIN, Table, explain, explain_each

    def explain_at(records, path, words=PLAIN):
        return next(explain_each(records, [path], words))

    every_field = Table({**PLAIN.words, "how_cell": "{row}|{col}|{parent}|{rows}|{cols}",
                         "how_cell_seed": "{seed}:{row}|{col}|{parent}|{rows}|{cols}"})
    records = result.evaluation.derivations
    cells = [p for p in result.evaluation.values if records.lazy_at(p) is not None]
    assert {"year.east.Q1", "year.west.Q4", "year.p1.Q2"} <= set(cells)
    paths = list(result.evaluation.values)
    for words in (PLAIN, DETAIL, every_field):  # in one pass, as `planc eval` asks
        assert list(explain_each(records, paths, words)) == [explain(records[p], words) for p in paths]
    assert explain_at(records, "year.west.Q4", every_field) == "mix:west|Q4|year|region|quarter"
    assert explain_at(records, "year.p1.Q2", every_field) == "p1|Q2|year|product|quarter"
    assert explain_at(records, "no.such.path") == ""


def test_an_ambiguity_names_cells_and_targets_in_the_order_they_were_made():
    """Cells are found through their cross, not the index; a tie between a cell and
    another target still lists them as the index did: in the order they were made."""
    from planc.semantics.model import made_order

    text = PLAN.replace("target t = year.east.Q1 + Q1.east + year.Q2.west + p1.Q3 + direct",
                        "target t = east.Q1")
    text = "\n".join([*text.splitlines()[:2], "target early = 7", "split early by region { east = 50%; west = rest }",
                      "split early.east by quarter { Q1 = 50%; Q2 = rest }", *text.splitlines()[2:]])
    compiled = compile_text(text, "tie.plan")
    ties = [d.message for d in compiled.diagnostics if d.code == "E004"]
    # year's cells are made when its cross is attached, before early.east's split (a split of a split)
    assert ties == ["`east.Q1` is ambiguous: it could be `year.east.Q1`, `early.east.Q1`, `other.east.Q1`"]
    model = compiled.model
    found = model.named(("east", "Q1"))
    order = list(model.targets)
    assert [n.path for n in found] == sorted((n.path for n in found), key=order.index)
    assert made_order(list(reversed(found)), model.targets) == found
