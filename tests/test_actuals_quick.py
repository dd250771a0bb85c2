"""The quick ways through a clean actuals file (review/vectors.py, and for a
large one review/columns.py) give the figures and diagnostics of the long way
(review/rollup.py), on generated files of every shape, encoding and line end;
and the name index finds what the plan's tail rule says."""

from __future__ import annotations

import datetime
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planc.pipeline import compile_plan
from planc.review import actuals as actuals_module
from planc.review import columns, grid, track, vectors
from planc.review.actuals import ActualsFile, TargetIndex

PLAN = """plan "P" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }
target year = 120M
split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }
split year by region {
  华东 = 70M [owner: "Chen Jie"]
  west = rest
}
split 华东 by rep { ann = 50%; bob = rest }
split ann by product { pa = 50%; pb = rest }
split bob by product { pa = 50%; pb = rest }
split west by channel { web = 50%; shop = rest }
cross region by quarter
"""

CROSS = """plan "P" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }
target year = 120M
split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }
split year by region { 华东 = 70M; west = rest }
split year by product { pa = 50%; pb = rest }
cross region by product
cross region by quarter
"""

RAMP = """plan "R" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1 }
import "std/ramp"
target team = 1_300_000
split team by rep using even {
  zhang
  li     [start: 2027-07-01, ramp: ramp_standard]
  wang   [start: 2027-10-15]
}
split li by quarter using even { Q1; Q2; Q3; Q4 }
split zhang by month using even { Jan; Feb; Mar; Apr; May; Jun; Jul; Aug; Sep; Oct; Nov; Dec }
"""

NAMES = {
    PLAN: ["ann.pa", "ann.pb", "bob.pa", "bob.pb", "华东.ann.pa", "year.华东.bob.pb", "web", "shop", "west.web",
           "ann", "west", "华东", "华东.Q1", "Q2", "pa", "nobody"],
    CROSS: ["华东.pa", "华东.pb", "west.pa", "west.pb", "year.华东.pa", "华东", "pa", "west.Q3", "Q1", "nobody"],
    RAMP: ["zhang", "li", "wang", "team.li", "li.Q2", "zhang.Mar", "Q3", "team", "nobody"],
}
CLEAN = ("ann.pa", "ann.pb", "bob.pa", "bob.pb", "web", "shop", "华东.pa", "华东.pb", "west.pa", "west.pb",
         "zhang", "li", "wang")
PLANS = [PLAN, CROSS, RAMP]
PLAN_IDS = ["splits", "cross", "ramp"]
MONTHS = [f"2027-{m:02d}" for m in range(1, 13)]
PERIODS = MONTHS + ["Mar", "三月", "Q1", "2027-03-15", "2026-12", "someday"]
AMOUNTS = st.one_of(
    st.integers(-10**6, 10**9).map(str),
    st.decimals(-10**6, 10**9, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["1,234.50", "1.2M", "30万", "abc", "", "NaN", "1e3", " 12 ", "9" * 20]))


@st.composite
def files(draw, plan: str, clean: bool):
    """An actuals file of any shape; `clean`: long, no problem in it."""
    names = NAMES[plan]
    if clean:
        names = [n for n in names if n in CLEAN]
        pairs = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(MONTHS)), unique=True, max_size=40))
        amounts = st.integers(-10**6, 10**9).map(str) | st.decimals(
            0, 10**6, places=2, allow_nan=False, allow_infinity=False).map(str) | st.decimals(
            -10**3, 10**3, places=5, allow_nan=False, allow_infinity=False).map(str) | st.sampled_from(
            ["-.5", "5.", "0007", "-0", "999999999999999999", "-99999999999999999.9"])
        return "target,period,amount\n" + "".join(f"{t},{p},{draw(amounts)}\n" for t, p in pairs)
    shape = draw(st.sampled_from(["long", "transactions", "wide", "totals"]))
    rows = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(PERIODS), AMOUNTS), max_size=30))
    if shape == "long":
        return "target,period,amount\n" + "".join(f"{t},{p},{a}\n" for t, p, a in rows)
    if shape == "transactions":
        days = [f"2027-{m:02d}-{d:02d}" for m in (1, 2, 3, 5) for d in (1, 15)]
        return "date,target,amount\n" + "".join(f"{draw(st.sampled_from(days))},{t},{a}\n" for t, _p, a in rows)
    if shape == "totals":
        return "target,amount\n" + "".join(f"{t},{a}\n" for t, _p, a in rows)
    return "target,Jan,Feb,Mar\n" + "".join(f"{t},{a},{a},\n" for t, _p, a in rows)


@st.composite
def dressed(draw, text: str):
    """The same file as an export might write it: CRLF line ends, a quoted field, a
    byte-order mark, GB18030 (the bytes, and the encoding to read them with)."""
    lines = text.splitlines(keepends=True)
    if len(lines) > 1 and draw(st.booleans()):
        at = draw(st.integers(1, len(lines) - 1))
        first, comma, rest = lines[at].partition(",")
        lines[at] = f'"{first}"{comma}{rest}'
    text = "".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    written, read = draw(st.sampled_from([("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("gb18030", "gb18030"),
                                          ("gb18030", "utf-8")]))  # the last: not UTF-8, E041 (if not ASCII)
    return text.encode(written), read


def both_ways(tmp_path: Path, plan: str, text: str | bytes, as_of: datetime.date, way: str = "vectors",
              encoding: str = "utf-8"):
    """(figures, diagnostics, whether the quick way was taken) the quick `way` (`vectors`,
    or `columns` for a file of any size, read in blocks of a few lines), then the long way."""
    (tmp_path / "p.plan").write_text(plan, encoding="utf-8")
    (tmp_path / "a.csv").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    result = compile_plan(tmp_path / "p.plan")
    assert not result.has_errors, result.diagnostics
    out = []
    kept = columns.MIN_BYTES, columns.BLOCK
    for quick in (True, False):
        actuals_module.QUICK = quick
        if way == "columns":
            columns.MIN_BYTES, columns.BLOCK = 0, 64
        try:
            rows, diags = track.read_actuals([ActualsFile(tmp_path / "a.csv", "a.csv", encoding)], result, as_of)
            took = rows.vectors is not None and vectors.roll(result.model, rows, as_of) is not None
            took = took and isinstance(rows.vectors, grid.Matrix) == (way == "columns")
            figures, more = track.rollup(result, rows, as_of)
        finally:
            actuals_module.QUICK = True
            columns.MIN_BYTES, columns.BLOCK = kept
        shown = [(d.code, d.message, d.line, d.column, d.help) for d in diags + more]
        out.append((figures, shown, took))
    return out


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("way", ["vectors", "columns"])
@pytest.mark.parametrize("plan", PLANS, ids=PLAN_IDS)
@SETTINGS
@given(data=st.data())
def test_the_quick_way_gives_the_figures_and_diagnostics_of_the_long_way(tmp_path, plan, way, data):
    text = data.draw(files(plan, clean=data.draw(st.booleans())))
    raw, encoding = data.draw(dressed(text))
    as_of = data.draw(st.dates(datetime.date(2026, 12, 1), datetime.date(2028, 1, 31)))
    (quick, quick_diags, _), (slow, slow_diags, took) = both_ways(tmp_path, plan, raw, as_of, way, encoding)
    assert not took  # with the quick way turned off, it is not taken
    assert quick == slow
    assert quick_diags == slow_diags


@pytest.mark.parametrize("way", ["vectors", "columns"])
@pytest.mark.parametrize("plan", PLANS, ids=PLAN_IDS)
@SETTINGS
@given(data=st.data())
def test_a_clean_long_file_takes_the_quick_way(tmp_path, plan, way, data):
    text = data.draw(files(plan, clean=True))
    if way == "columns" and data.draw(st.booleans()):
        text = text.replace("\n", "\r\n")  # an export from Windows
    as_of = data.draw(st.dates(datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)))
    (quick, diags, took), (slow, _, _) = both_ways(tmp_path, plan, text, as_of, way)
    assert diags == []
    assert took == (text.count("\n") > 1)  # every clean file with a row: no problem found, nothing ambiguous
    assert quick == slow
    assert list(quick) == list(slow)  # in the order of the plan's targets
    if quick and plan != RAMP:  # every parent is the sum of its children
        assert quick["year"] == quick.get("year.华东", 0) + quick.get("year.west", 0)


def test_the_quick_way_sums_the_cents_exactly(tmp_path):
    text = "target,period,amount\nann.pa,2027-01,0.10\nann.pa,2027-02,0.20\nbob.pa,2027-01,1e2\nweb,2027-03,-0.30\n"
    (quick, diags, took), (slow, _, _) = both_ways(tmp_path, PLAN, text, datetime.date(2027, 12, 31))
    assert took and diags == [] and quick == slow
    assert quick["year"] == Fraction(100) and quick["year.华东.ann"] == Fraction(3, 10)
    assert quick["year.Q1"] == quick["year"] and quick["year.west"] == Fraction(-3, 10)


@pytest.mark.parametrize("way", ["vectors", "columns"])
def test_rows_of_a_parent_and_of_its_children_take_the_long_way_and_warn(tmp_path, way):
    text = "target,period,amount\nann,2027-01,100\nann.pa,2027-01,30\nann.pb,2027-01,60\n"
    (quick, diags, took), (slow, slow_diags, _) = both_ways(tmp_path, PLAN, text, datetime.date(2027, 12, 31), way)
    assert not took and quick == slow and diags == slow_diags
    assert [d[0] for d in diags] == ["W010"] and "100" in diags[0][1] and "90" in diags[0][1]


def tails_by_rule(model, name: str) -> list:
    """The targets a name resolves to by language.md §4.3, the slow way: every path or
    alias that is the name or ends with `.name`, the shallowest of them."""
    if name in model.targets:
        return [model.targets[name]]
    found = [(path.count("."), node) for node in model.targets.values() for path in (node.path, *node.aliases)
             if path == name or path.endswith("." + name)]
    if not found:
        return []
    best = min(d for d, _ in found)
    out: list = []
    for depth, node in found:
        if depth == best and not any(node is o for o in out):
            out.append(node)
    return out


@pytest.mark.parametrize("plan", [PLAN, CROSS], ids=["splits", "cross"])
def test_the_name_index_finds_what_the_tail_rule_says(tmp_path, plan):
    (tmp_path / "p.plan").write_text(plan, encoding="utf-8")
    model = compile_plan(tmp_path / "p.plan").model
    index = TargetIndex(model)
    names = {path[i:] for path in model.targets for i in range(len(path))} | {"", ".", "x.y.z", "华东..ann"}
    for name in sorted(names):
        assert index.find(name) == tails_by_rule(model, name), name
    ambiguous = [n for n in names if len(tails_by_rule(model, n)) > 1]
    assert ("pa" in ambiguous) == (plan == PLAN)  # ann.pa or bob.pa; in the cross, the column


@pytest.mark.parametrize("way", ["vectors", "columns"])
def test_two_splits_with_rows_in_different_months_take_the_long_way(tmp_path, way):
    # By the year's first split (regions) only February has rows, by its second (products) only January:
    # as of January, the year's actual is January's, along the products.
    text = "target,period,amount\nwest,2027-02,10\npa,2027-01,5\n"
    (quick, diags, took), (slow, _, _) = both_ways(tmp_path, CROSS, text, datetime.date(2027, 1, 20), way)
    assert not took and diags == [] and quick == slow
    assert quick["year"] == 5 and "year.west" not in quick


def test_two_files_add_up_as_the_long_way_adds_them(tmp_path):
    (tmp_path / "p.plan").write_text(PLAN, encoding="utf-8")
    (tmp_path / "a.csv").write_text("target,period,amount\nann.pa,2027-01,10\nweb,2027-02,5\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("target,period,amount\nann.pa,2027-01,1\nshop,2027-03,2\n", encoding="utf-8")
    result = compile_plan(tmp_path / "p.plan")
    files = [ActualsFile(tmp_path / "a.csv", "a.csv"), ActualsFile(tmp_path / "b.csv", "b.csv")]
    as_of = datetime.date(2027, 12, 31)
    out = []
    for quick in (True, False):
        actuals_module.QUICK = quick
        try:
            rows, diags = track.read_actuals(files, result, as_of)
            out.append((track.rollup(result, rows, as_of), diags))
        finally:
            actuals_module.QUICK = True
    assert out[0] == out[1]
    (figures, more), diags = out[0]
    assert diags == [] and more == []
    assert figures["year.华东.ann.pa"] == 11 and figures["year"] == 18 and figures["year.west"] == 7


def test_amounts_beyond_int64_on_a_common_power_of_ten_sum_exactly_as_columns(tmp_path):
    # 18 digits, then cents in a later block: on the common power of ten (10^-5) the amounts
    # need more than int64, and so do their sums: Python integers, the same figures.
    rows = [f"{t},2027-{m:02d},999999999999999999" for t in ("ann.pa", "ann.pb", "bob.pa") for m in range(1, 13)]
    rows += ["bob.pb,2027-01,0.00001", "web,2027-02,-12.5", "shop,2027-03,.5"]
    text = "target,period,amount\n" + "\n".join(rows) + "\n"
    (quick, diags, took), (slow, slow_diags, _) = both_ways(tmp_path, PLAN, text, datetime.date(2027, 12, 31),
                                                            "columns")
    assert took and diags == slow_diags == [] and quick == slow
    assert quick["year.华东"] == 36 * (10**18 - 1) + Fraction(1, 100000)
    assert quick["year.west"] == Fraction(-12)


@SETTINGS
@given(data=st.data())
def test_a_clean_transactions_file_takes_the_columns_way(tmp_path, data):
    """Rows of one target and day add up; days are periods of more than 8 bytes."""
    days = [f"2027-{m:02d}-{d:02d}" for m in (1, 2, 3, 11) for d in (1, 15, 28)]
    rows = data.draw(st.lists(st.tuples(st.sampled_from(days), st.sampled_from(CLEAN[:6]),
                                        st.integers(-10**6, 10**12)), min_size=1, max_size=40))
    text = "date,target,amount\n" + "".join(f"{d},{t},{a}\n" for d, t, a in rows)
    as_of = data.draw(st.dates(datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)))
    (quick, diags, took), (slow, slow_diags, _) = both_ways(tmp_path, PLAN, text, as_of, "columns")
    assert took and diags == slow_diags == [] and quick == slow
    assert quick.get("year", 0) == sum(a for d, _t, a in rows if datetime.date.fromisoformat(d) <= as_of)


def test_only_a_large_actuals_file_loads_numpy(tmp_path):
    """numpy costs about 0.1 s to import: `planc check`, and `planc track` of a small file, go without."""
    import subprocess
    import sys

    (tmp_path / "p.plan").write_text(PLAN + 'actuals = csv("a.csv")\n', encoding="utf-8")
    (tmp_path / "a.csv").write_text("target,period,amount\nann.pa,2027-01,10\nweb,2027-02,5\n", encoding="utf-8")
    loaded = {}
    for name, least in (("check", 0), ("small", 1 << 20), ("large", 0)):
        command = ["check", str(tmp_path / "p.plan")] if name == "check" else \
            ["track", str(tmp_path / "p.plan"), "--as-of", "2027-12-31"]
        code = ("import sys\nimport planc.review.columns as c\nc.MIN_BYTES = %d\n"
                "from planc.cli import main\nrc = main(%r)\n"
                "print('numpy' in sys.modules, rc)" % (least, command))
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
        loaded[name] = proc.stdout.split()[-2:]
    assert loaded == {"check": ["False", "0"], "small": ["False", "0"], "large": ["True", "0"]}


NARROW = """plan "N" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1 }
target year = 1200
split year by quarter { Q1 = 25%; Q2 = 25%; Q3 = 25%; Q4 = rest }
split Q1 by region { east = 50%; west = rest }
split east by rep { a = 50%; b = rest }
split year by channel { web = 50%; shop = rest }
"""


@pytest.mark.parametrize("way", ["vectors", "columns"])
def test_children_over_fewer_dates_than_the_file_roll_up_within_them(tmp_path, way):
    # Q1.east's reps cover Q1 only, the file January to June: their rows are kept inside Q1.
    text = "target,period,amount\na,2027-01,5\nb,2027-03,7\nweb,2027-06,3\nshop,2027-02,1\n"
    (quick, diags, took), (slow, _, _) = both_ways(tmp_path, NARROW, text, datetime.date(2027, 12, 31), way)
    assert took and diags == [] and quick == slow
    assert quick["year.Q1.east"] == 12 and quick["year"] == 4 and quick["year.Q1"] == 1


@pytest.mark.parametrize("way", ["vectors", "columns"])
def test_two_names_of_one_target_add_up(tmp_path, way):
    text = ("target,period,amount\nann.pa,2027-01,1\n华东.ann.pa,2027-02,2\nyear.华东.ann.pa,2027-01,4\n"
            "web,2027-03,8\n")
    (quick, diags, took), (slow, _, _) = both_ways(tmp_path, PLAN, text, datetime.date(2027, 12, 31), way)
    assert took and diags == [] and quick == slow
    assert quick["year.华东.ann.pa"] == 7 and quick["year.Q1"] == 15
