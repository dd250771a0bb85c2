"""The resolver's name index on the model (`Model.named`) finds what a scan of
every target finds (language.md §4.3(b)): `find_targets` and the history
lookups of the lint use it instead of indexing or scanning the plan again."""

from __future__ import annotations

from pathlib import Path

import attrs

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
