"""The plain-split path (evaluate/plain.py, maths/apportion.py `proportional*`)
against the general Fraction path it stands in for.

`proportional` must give the shares `water_fill` gives without caps, and
`proportional_units` the amounts `largest_remainder` (Fraction code only)
gives for them; a whole plan must evaluate to the same values, records
and diagnostics with the plain path on and off.
"""

from __future__ import annotations

import sys
from fractions import Fraction as F
from pathlib import Path

from hypothesis import given, settings, strategies as st

import planc.evaluate.plain as plain
from planc.evaluate.record import Records, keep_lazily
import planc.maths.allocate as allocate
import planc.maths.apportion as apportion
from planc.maths.apportion import proportional, proportional_units
from planc.pipeline import compile_plan

ROOT = Path(__file__).resolve().parent.parent
units = st.sampled_from([F(1), F(1000), F(1, 100), F(5, 2), F(3, 7), F(250), F(0), F(-5)])
amounts = st.one_of(st.fractions(min_value=0, max_value=10**9, max_denominator=10**5),
                    st.integers(0, 10**7).map(lambda k: F(k * 1000)))


def _fraction_largest_remainder(total, quotas, unit):
    saved = apportion.whole_units
    apportion.whole_units = lambda *args: None  # the general (Fraction) code only
    try:
        return allocate.largest_remainder(total, quotas, unit, [None] * len(quotas), [None] * len(quotas))
    finally:
        apportion.whole_units = saved


@settings(max_examples=400, deadline=None)
@given(amounts, st.lists(st.fractions(min_value=0, max_value=50, max_denominator=1000), min_size=1, max_size=14))
def test_proportional_shares_are_water_fill_without_caps(amount, scores):
    if sum(scores) == 0:
        scores[0] = F(1, 3)
    common = 1
    for s in scores:
        common = common * s.denominator // __import__("math").gcd(common, s.denominator)
    weights = [s.numerator * (common // s.denominator) for s in scores]
    got = proportional(amount, weights, sum(weights))
    assert got == allocate.water_fill(amount, scores, [None] * len(scores), [None] * len(scores))
    assert sum(got) == amount


@settings(max_examples=500, deadline=None)
@given(amounts, st.lists(st.integers(0, 10**6), min_size=1, max_size=14), units)
def test_proportional_units_are_the_fraction_largest_remainder(amount, weights, unit):
    if sum(weights) == 0:
        weights[0] = 1
    exact = proportional(amount, weights, sum(weights))
    got = proportional_units(amount, weights, sum(weights), unit)
    if unit <= 0 or (amount / unit).denominator != 1:
        assert got is None  # off the grid, or no grid: the general code places the tail
        return
    assert got == _fraction_largest_remainder(amount, exact, unit)
    assert sum(got) == amount
    assert all(type(x) is F for x in got)
    # with the amounts already made: the same values, each distinct one a single object, kept
    made: dict = {F(7).numerator: F(7)}
    again = proportional_units(amount, weights, sum(weights), unit, made)
    assert again == got and all(type(x) is F for x in again)
    if unit.denominator == 1:
        assert all(made[x.numerator] is x for x in again)
        assert proportional_units(amount, weights, sum(weights), unit, made) == again
        assert all(a is b for a, b in zip(proportional_units(amount, weights, sum(weights), unit, made), again))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=14), st.lists(st.integers(0, 10**5), min_size=2, max_size=40),
       st.sampled_from([F(1), F(5), F(1, 4), F(3, 7), F(250)]), st.integers(1, 3))
def test_recurring_remainders_give_the_same_units(weights, amounts, unit, denominator):
    """Weights with a small sum make a split's remainders recur across amounts
    (`apportion._units_of`, read once per remainder): the units are those of the
    direct walk and of the Fraction largest remainder, for each amount in turn."""
    if sum(weights) == 0:
        weights[0] = 1
    total = sum(weights)
    for k in amounts:
        amount = F(k, denominator)
        got = proportional_units(amount, weights, total, unit)
        saved, apportion._RECURRING = apportion._RECURRING, -1  # the direct walk only
        try:
            direct = proportional_units(amount, weights, total, unit)
        finally:
            apportion._RECURRING = saved
        assert got == direct
        if got is not None:
            assert got == _fraction_largest_remainder(amount, proportional(amount, weights, total), unit)


def test_a_remainder_is_read_once_for_the_same_weights():
    apportion._units_of.cache_clear()
    weights = [12, 8, 4, 11, 15, 3]  # (their sum, 53: 53 remainders at most)
    got = [proportional_units(F(k * 1000 + k % 7), weights, 53, F(1)) for k in range(2000)]
    assert apportion._units_of.cache_info().misses <= 53 and apportion._units_of.cache_info().hits >= 1947
    assert got == [apportion._units(k * 1000 + k % 7, 53, k * 1000 + k % 7, weights) for k in range(2000)]


def _everything(path: Path) -> str:
    result = compile_plan(path, display=path.name)
    ev = result.evaluation
    assert ev is not None
    return repr(([(k, v, ev.derivations[k]) for k, v in ev.values.items()],
                 [(d.line, d.column, d.code, d.message) for d in result.diagnostics]))


def _general(path: Path) -> str:
    """`_everything` of the plan with every split on the general path."""
    plain.ENABLED = False
    try:
        return _everything(path)
    finally:
        plain.ENABLED = True


def _one_split(folder: Path, unit: str, table: str, parent: int, using: str, kids: list[str]) -> Path:
    """A plan of one split of `year`, written to `folder`."""
    path = folder / "split.plan"
    path.write_text(f'plan "P" {{ currency: CNY; period: 2027-01-01 .. 2027-12-31; round: {unit} }}\n'
                    f"table t {{ {table} }}\ntarget year = {parent}\n"
                    f"split year by team using {using} {{ {'; '.join(kids)} }}\n", encoding="utf-8")
    return path


PLANS = {
    "weights": """plan "P" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1 }
table season { Jan = 8; Feb = 9; Mar = 13 }
table mix { a = 1; b = 2; c = 0 }
table other { a = 3; b = 0; c = 1 }
target year = 1000003
split year by region using even { east; west; north }
split east by month using weight(season) { Jan; Feb; Mar }
split west by month using weight(season) { Jan; Feb; Mar }
split north by month using weight(season) overassign 107% { Jan; Feb; Mar }
split east.Jan by product using weight(mix) { a; b; c }
split east.Feb by product using weight(mix, other) { a; b; c }
split east.Mar by product using weight(mix: 30%, other: 70%) { a; b; c }
split west.Jan by product using weight(mix) { a; b; c }
split west.Feb by product using weight(other) { c; b; a }
""",
    "grid": """plan "P" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }
table w { a = 1; b = 1; c = 1 }
target year = 1000500
split year by region using weight(w) { a; b; c }
split a by team using even { x; y; z; v; u; t; s }
""",
    "hires": """plan "P" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1 }
target year = 1200000
split year by team using even { north; south [start: 2027-04-01] }
split north by rep using even { a [owner: "A"]; b [start: 2027-07-01, owner: "B"]; c }
split south by rep using even { d; e }
split b by month using even { Jan; Feb; Mar; Apr; May; Jun; Jul; Aug; Sep; Oct; Nov; Dec }
""",
    # Caps that hold no child take the plain path; a cap that holds one (or could
    # steer the rounding, or names a target, or meets a total off the grid) the general one.
    "caps": """plan "P" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1 }
table mix { a = 1; b = 2; c = 3 }
target year = 1200000
target grid = 1000.5
target must = 100
target floor = 300
split year by region using even overassign 110% { east max 500000; west min 100000 max 60%; north [owner: "N"]; south }
split east by team using weight(mix) { a max 55001; b min 109999; c max 165001 [owner: "C"] }
split west by team using weight(mix) { a max 55000; b; c }
split north by team using weight(mix) { a max 55000.5; b; c }
split south by team using weight(mix) { a min 54999.5; b; c min 1 max 99% }
split east.a by rep using even { x max 18334; y; z }
split east.b by rep using even { x max 36666.67; y; z }
split east.c by rep using even { x max east.a; y; z }
split grid by team using even { x max 500; y; z }
split must by rep using even { x min 33.2; y; z }
split floor by rep using even { x min 100; y; z }
""",
    "failures": """plan "P" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1 }
table zero { a = 0; b = 0 }
table part { a = 5 }
table minus { a = 5; b = -1 }
target year = 100
target debt = -100
target z = 100
target m = 100
split year by region using weight(zero) { a; b }
split debt by region using even { a; b }
split z by team using weight(part) { a; b }
split m by team using weight(minus) { a; b }
""",
}


def test_plans_evaluate_the_same_with_and_without_the_plain_path(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_scale

    plans = {name: text for name, text in PLANS.items()}
    plans["realistic"] = bench_scale.realistic_plan(reps=12, products=4, months=12, regions=3, teams=2)
    plans["lines"] = bench_scale.lines_plan(300)
    for name, text in plans.items():
        path = tmp_path / f"{name}.plan"
        path.write_text(text, encoding="utf-8")
        assert _everything(path) == _general(path), name
    failures = _everything(tmp_path / "failures.plan")  # they reach the general path's errors
    assert all(code in failures for code in ("E021", "E038", "E012", "E013")), failures


def test_a_splits_children_values_are_its_childrens_values(tmp_path):
    """`Evaluation.children_values` (what `dominant-child` and `flat-time-split` read) is
    `values` of each child in order, for every split; a plain split gives the list it
    computed (no lookup per child), the general path a list of lookups."""
    path = tmp_path / "caps.plan"
    path.write_text(PLANS["caps"], encoding="utf-8")
    result = compile_plan(path, display=path.name)
    ev, splits = result.evaluation, result.model.splits
    kinds = set()
    for split in splits:
        got = ev.children_values(split)
        assert got == [ev.values.get(c.path) for c in split.children], split.parent.path
        maker = ev.derivations.lazy.get(id(split))
        kinds.add(type(maker).__name__)
        assert (got is getattr(maker, "rounded", None)) == isinstance(maker, plain.PlainRecords), split.parent.path
    assert "PlainRecords" in kinds and len(kinds) > 1


def test_caps_written_as_numbers_keep_a_split_plain(tmp_path):
    """A split whose caps are numbers or percents is computed by the plain path (its
    children's records are made when asked and list the caps): when no cap holds a child
    from its plain share alone, when one holds (`_held`: the level of `water_level`, the
    held child inside its cap, the others by their weights). A cap that names a target,
    or a total off the grid, is the general path's. Either way the values and records
    are the general path's (the test above and the property test below)."""
    path = tmp_path / "caps.plan"
    path.write_text(PLANS["caps"], encoding="utf-8")
    result = compile_plan(path, display=path.name)
    records = result.evaluation.derivations
    assert not [d for d in result.diagnostics if d.severity == "error"]
    untouched = {"year.east", "year.south.a", "year.south.c", "year.east.a", "year.east.a.x"}
    held = {"year.west.a", "year.north.a", "year.east.b.x", "year.east.b.y", "must.x", "floor.x"}
    general = {"year.east.c.x", "grid.x"}
    for where in untouched | held | general:  # (every record is made when asked, by its split's maker)
        maker = records.lazy_at(where)[0]
        assert isinstance(maker, plain.PlainRecords) == (where not in general), where
        assert where in general or (maker.level is not None) == (where in held), where
    assert [(c.bound, c.value, c.binding) for c in records["year.east"].caps] == [("max", 500000, False)]
    assert [(c.bound, c.value) for c in records["year.east.c"].caps] == [("max", 165001)]
    assert records["year.west.a"].caps[0].binding and records["year.west.a"].rounded == 55000  # held at its max
    assert [c.binding for c in records["floor.x"].caps] == [True]  # at its min
    assert not records["year.north.a"].caps[0].binding  # its floor is a unit from its max: it steers the rounding
    assert [(c.bound, c.value) for c in records["year.south.c"].caps] == [("min", 1), ("max", 326700)]


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 10**6), st.lists(st.integers(0, 5), min_size=2, max_size=5),
       st.sampled_from(["1", "1000", "0.01"]), st.sampled_from(["", " overassign 104%"]),
       st.lists(st.tuples(st.sampled_from(["", "max", "min", "both", "pct"]),
                          st.sampled_from([F(-2), F(-1), F(-1, 2), F(0), F(1, 3), F(1, 2), F(1), F(2), F(10**5)])),
                min_size=5, max_size=5))
def test_capped_splits_evaluate_as_the_general_path(tmp_path_factory, parent, weights, unit, over, caps):
    """Random caps at, just inside and just outside each child's exact share, on and off
    the grid: the plain path gives the general path's values, records and diagnostics."""
    if sum(weights) == 0:
        weights[0] = 1
    names = [f"k{i}" for i in range(len(weights))]
    pool = F(parent) * (F(104, 100) if over else 1)
    kids = []
    for name, w, (kind, delta) in zip(names, weights, caps):
        share = pool * w / sum(weights)
        low, high = share - delta - 1, share + delta  # (decimal text: thirds are written rounded)
        cap = {"": "", "max": f" max {float(high):.2f}", "min": f" min {float(low):.2f}",
               "both": f" min {float(low):.2f} max {float(high):.2f}", "pct": f" max {w * 20 + 10}%"}[kind]
        kids.append(name + cap)
    table = "; ".join(f"{n} = {w}" for n, w in zip(names, weights))
    path = _one_split(tmp_path_factory.mktemp("caps"), unit, table, parent, f"weight(t){over}", kids)
    assert _everything(path) == _general(path), path.read_text()


def test_a_plain_splits_records_are_made_when_asked_and_equal_the_general_paths(tmp_path):
    """`check` of a million-target plan asks for none of its plain children's
    records, so none is stored; each one asked for is the general path's (whose
    records are made when asked too, by its own maker)."""
    path = tmp_path / "weights.plan"
    path.write_text(PLANS["weights"], encoding="utf-8")
    records = compile_plan(path, display=path.name).evaluation.derivations
    assert isinstance(records, Records)
    lazy = "year.east.Jan.b"  # a plain split's child
    assert not dict.__contains__(records, lazy) and records.lazy
    plain.ENABLED = False
    try:
        eager = compile_plan(path, display=path.name).evaluation.derivations
    finally:
        plain.ENABLED = True
    assert not isinstance(eager.lazy_at(lazy)[0], plain.PlainRecords)  # the general path's maker
    assert repr(records[lazy]) == repr(eager[lazy]) and lazy in records
    assert records.get("year.east.Jan.nowhere") is None and "year.east.Jan.nowhere" not in records
    # an evaluation without lazy records gets every record at once
    made: dict = {}
    keep_lazily(made, object(), records.lazy_at(lazy)[0], [records.targets[lazy]])
    assert list(made) == [lazy] and repr(made[lazy]) == repr(eager[lazy])


def test_a_plain_childs_words_are_its_records_explained(tmp_path):
    """`planc eval` words a `weight(…)` child once per score and factors (shared by the
    same children of every split by the same tables): the words are `explain` of the
    child's record, for every child, in every wording."""
    from planc.evaluate.explain import DETAIL, PLAIN, explain, explain_each

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_scale

    for name, text in (("weights", PLANS["weights"]),
                       ("realistic", bench_scale.realistic_plan(reps=6, products=4, months=12, regions=2, teams=2))):
        path = tmp_path / f"{name}.plan"
        path.write_text(text, encoding="utf-8")
        evaluation = compile_plan(path, display=path.name).evaluation
        records, paths = evaluation.derivations, list(evaluation.values)
        for words in (PLAIN, DETAIL, PLAIN):  # (the second PLAIN: words already made)
            assert list(explain_each(records, paths, words)) == [explain(records[p], words) for p in paths], name
        worded = [how for how in explain_each(records, paths) if "→ score" in how]
        assert len(worded) > len(set(worded)) > 1, name  # children worded alike across splits


_HOLDING = st.sampled_from(["", "", "max below", "max below", "min above", "both", "max pct", "max at", "min at",
                            "max near", "max near"])


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.integers(0, 10**6), st.integers(0, 10**4).map(lambda k: k * 1000)),
       st.lists(st.tuples(st.integers(0, 6), _HOLDING, st.fractions(min_value=F(1, 10), max_value=F(99, 100))),
                min_size=2, max_size=8),
       st.sampled_from(["1", "1000", "0.01"]), st.sampled_from(["", " overassign 104%"]), st.booleans())
def test_caps_that_hold_evaluate_as_the_general_path(tmp_path_factory, parent, children, unit, over, even):
    """Caps that hold their children (a max below a child's plain share, a min above it,
    several at once, a percent of the parent, a cap exactly at the share, children of
    weight 0, a max within a unit of a share that no cap holds): the plain path's `_held` gives the general path's values, records and
    diagnostics, or leaves the split to it."""
    weights = [w for w, _, _ in children]
    if sum(weights) == 0:
        weights[0] = 1
    pool = F(parent) * (F(104, 100) if over else 1)
    kids = []
    for i, ((_, kind, factor), w) in enumerate(zip(children, weights)):
        share = pool / len(weights) if even else pool * w / sum(weights)
        low, high = share * (2 - factor), share * factor
        cap = {"": "", "max below": f" max {float(high):.2f}", "min above": f" min {float(low):.2f}",
               "both": f" min {float(high * factor):.2f} max {float(high):.2f}",
               "max pct": f" max {int(factor * 100) // len(weights)}%",
               "max at": f" max {float(share):.2f}", "min at": f" min {float(share):.2f}",
               "max near": f" max {float(share + F(unit) / 2):.2f}"}[kind]  # (it bars a bump up)
        kids.append(f"k{i}{cap}")
    table = "; ".join(f"k{i} = {w}" for i, w in enumerate(weights))
    path = _one_split(tmp_path_factory.mktemp("held"), unit, table, parent, ("even" if even else "weight(t)") + over, kids)
    assert _everything(path) == _general(path), path.read_text()


def test_a_cap_that_holds_nothing_still_steers_the_rounding_of_a_held_split(tmp_path):
    """k0 is held at 10, and the 91 left go 30⅓ each to k1..k3: the leftover unit would
    go to k1, the earliest, but it would lift k1 above its max, so k2 takes it."""
    path = _one_split(tmp_path, "1", "k0 = 1", 101, "even", ["k0 max 10", "k1 max 30.5", "k2", "k3"])
    result = compile_plan(path, display=path.name)
    values = result.evaluation.values
    assert [values[f"year.k{i}"] for i in range(4)] == [10, 30, 31, 30]
    assert result.evaluation.derivations.lazy_at("year.k1")[0].level is not None  # the plain path's `_held`
    assert _everything(path) == _general(path)
