"""Hypothesis properties for language.md §4 over generated plans."""

from __future__ import annotations

import random
from fractions import Fraction as F

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers import top_level_statements
from planc.pipeline import compile_text

UNITS = [1, 10, 1000]


@st.composite
def split_plans(draw):
    """One root and one split mixing fixed, %, rest, even, weight and caps."""
    unit = draw(st.sampled_from(UNITS))
    total = draw(st.integers(min_value=1, max_value=10_000)) * unit * 100
    overassign = draw(st.sampled_from([None, 105, 110, 120]))
    n = draw(st.integers(min_value=1, max_value=8))
    flexible = draw(st.sampled_from(["rest", "even", "weight", "raw", "none"]))
    table, lines, caps = {}, [], {}
    fixed_budget = total // 2
    for i in range(n):
        name = f"c{i}"
        kind = draw(st.sampled_from(["fixed", "pct", "flex", "flex"]))
        if kind == "fixed":
            amount = draw(st.integers(min_value=0, max_value=max(0, fixed_budget // n)))
            lines.append(f"{name} = {amount}")
        elif kind == "pct":
            lines.append(f"{name} = {draw(st.integers(min_value=0, max_value=40 // n))}%")
        elif flexible == "rest":
            lines.append(f"{name} = rest")
            flexible = "rest-used"
        elif flexible == "even":
            cap = draw(st.sampled_from(["", "max", "min"]))
            bound = draw(st.integers(min_value=0, max_value=total // n // unit)) * unit
            lines.append(f"{name} = even" + (f" {cap} {bound}" if cap else ""))
            caps[name] = (cap, bound)
        elif flexible in ("weight", "raw"):
            score = draw(st.integers(min_value=1, max_value=100))
            if flexible == "raw":
                lines.append(f"{name} = weight({score})")
            else:
                table[name] = score
                lines.append(f"{name} = weight(hist)")
        else:
            lines.append(f"{name} = {draw(st.integers(min_value=0, max_value=fixed_budget // n))}")
    if flexible == "none" or not any("rest" in l or "even" in l or "weight" in l for l in lines):
        lines.append("last = rest")
    text = f'plan "P" {{ round: {unit} }}\n'
    if table:
        text += "table hist { " + "; ".join(f"{k} = {v}" for k, v in table.items()) + " }\n"
    text += f"target top = {total}\n"
    text += f"split top by part{f' overassign {overassign}%' if overassign else ''} {{\n"
    text += "\n".join(f"  {l}" for l in lines) + "\n}\n"
    return text, unit, total, overassign, caps


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(split_plans())
def test_children_sum_exactly_to_parent_times_overassign(case):
    text, unit, total, overassign, caps = case
    result = compile_text(text)
    if result.has_errors:
        # Generated fixed amounts may overshoot or caps may clash; those must be errors, not crashes.
        assert {d.code for d in result.diagnostics if d.is_error} <= {"E005", "E009", "E013"}, text
        return
    values = result.evaluation.values
    children = {p: v for p, v in values.items() if p.startswith("top.")}
    assert sum(children.values()) == total * F(overassign or 100, 100)
    derivations = result.evaluation.derivations
    # A fixed amount off the unit stays as written (W001); then one child must absorb the odd part.
    fixed_on_grid = all((v / unit).denominator == 1 for p, v in children.items() if derivations[p].method == "fixed")
    for path, value in children.items():
        d = derivations[path]
        if d.method == "fixed":
            assert value == d.exact
        else:
            assert abs(value - d.exact) < unit, (path, value, d.exact)
            assert (value / unit).denominator == 1 or not fixed_on_grid
        cap, bound = caps.get(path[4:], ("", 0))
        if cap == "max":
            assert value <= bound
        elif cap == "min":
            assert value >= bound


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(split_plans(), st.randoms())
def test_statement_order_does_not_matter(case, rnd):
    text = case[0]
    first = compile_text(text)
    assume(not first.has_errors)
    statements = top_level_statements(text)
    rnd.shuffle(statements)
    again = compile_text("\n".join(statements) + "\n")
    assert again.evaluation.values == first.evaluation.values


TREE = """plan "T" { round: 100 }
target year = 1_000_000
split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }
split year by region using even { east; west min 300_000; south }
split east by team { a = 40%; b = rest }
split a by rep using weight(3) { r1; r2 = weight(4); r3 }
split Q4 by month { Oct = 30%; Nov = 30%; Dec = rest }
assert Q4 >= Q1
"""


@settings(max_examples=60)
@given(st.randoms())
def test_a_deeper_plan_is_order_free_and_exact(rnd):
    base = compile_text(TREE)
    assert not base.has_errors, base.diagnostics
    statements = top_level_statements(TREE)
    rnd.shuffle(statements)
    shuffled = compile_text("\n".join(statements) + "\n")
    assert shuffled.evaluation.values == base.evaluation.values
    values = base.evaluation.values
    for split in base.model.splits:
        kids = [values[c.path] for c in split.children]
        assert sum(kids) == values[split.parent.path]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_diagnostics_never_exceptions(data):
    text = data.decode("utf-8", errors="replace")
    result = compile_text(text)
    for d in result.diagnostics:
        assert d.code[0] in "EW" and d.message


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_valid_plans_give_diagnostics_never_exceptions(data):
    text = TREE
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        pos = data.draw(st.integers(min_value=0, max_value=len(text)))
        action = data.draw(st.sampled_from(["delete", "insert", "duplicate"]))
        if action == "delete":
            text = text[:pos] + text[pos + data.draw(st.integers(1, 8)):]
        elif action == "insert":
            text = text[:pos] + data.draw(st.sampled_from(list("{}()=%;.\n#\"-") + ["rest", "even", "min 5",
                                                            "Q1", "year", "0", "/0", "split", "cross quarter by region"])) + text[pos:]
        else:
            line = random.Random(pos).choice(text.splitlines() or [""])
            text = text[:pos] + "\n" + line + "\n" + text[pos:]
    result = compile_text(text)
    for d in result.diagnostics:
        assert d.code[0] in "EW" and d.message
        assert 1 <= d.line
