"""The resolver's name index on the model (`Model.named`) finds what a scan of
every target finds (language.md §4.3(b)): `find_targets` and the history
lookups of the lint use it instead of indexing or scanning the plan again."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from planc.pipeline import compile_plan
from planc.semantics.concepts import history_entries
from planc.semantics.model import find_targets

ROOT = Path(__file__).resolve().parent.parent


def _unindexed(model):
    return attrs.evolve(model, by_name={}, by_pair={})


def test_the_index_finds_what_a_scan_finds():
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
    assert history_entries(model)  # the example has last year's figures


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
