"""The common split, in whole numbers: every child shares by the split's
`using even` or `using weight(TABLES)`, and none has an amount or a start
date of its own (a plan splits each rep by month and each month by product
this way: most targets of a large plan come from such splits). A child may
have a `min` or `max` written as a number or a percent. Caps are mostly safety
limits that hold no child (`_none_holds`): then they change neither the shares
nor their rounding. Where one holds, the level the children fill to is found in
integers (`allocate.water_level`), the held children are put inside their caps
and the others share the rest by their weights (`_held`).

The children's scores are put once per evaluation on a common denominator
(whole weights wᵢ, their sum W), so each exact share is `left · wᵢ / W`, one
reduction, and its place on the grid is found by integer `divmod`
(`maths/apportion.py`). The values and the records are the very ones the
general path (`evaluate/splits.py`) makes — tests/test_exactness.py and
tests/test_plain_split.py compare them — but a child's record is made only
when it is asked for (`PlainRecords`); anything unusual (a negative
total, scores that do not add up to a positive number, an amount off the
grid, caps that cannot be met) is left to that path before anything is recorded.
"""

from __future__ import annotations

import math
from operator import attrgetter
from fractions import Fraction
from typing import Any, Callable, Protocol

from planc.amounts import out_of_range
from planc.evaluate.explain import explain
from planc.evaluate.record import Cap, Derivation, Input, Scope, keep_lazily, parent_input
from planc.maths.allocate import (Infeasible, WaterLevel, binding_cap, hold_at_caps, largest_remainder, round_to,
                                  water_level)
from planc.maths.apportion import proportional, proportional_units
from planc.semantics.expressions import one_line
from planc.semantics.model import SplitNode, Table, TargetNode
from planc.syntax import ast



class _SplitRun(Protocol):
    """What this module needs of `evaluate/splits.py`'s run of one split (which imports this module)."""

    ev: Scope
    split: SplitNode
    ok: bool
    children: list
    shared: tuple[Fraction, Fraction] | None
    scores_key: tuple

    def uses_tables(self, alloc: Any) -> bool: ...

    def scores(self, flex: list) -> list[Fraction] | None: ...

    def flexible_children(self, method: ast.Even | ast.Weight, text: str) -> list: ...

    def cap(self, expr: Any, parent: Fraction | None) -> Fraction | None: ...

ONE = Fraction(1)
_path, _name = attrgetter("path"), attrgetter("name")
ENABLED = True  # False: every split takes the general path (tests/test_plain_split.py compares the two)


def _starts(node: TargetNode) -> bool:
    """A new hire (`[start: …]`): the ramp steers its share (evaluate/ramp.py)."""
    settings = getattr(node.decl, "attributes", ())
    return bool(settings) and any(a.key == "start" for a in settings)


def is_plain(run: _SplitRun) -> bool:
    split = run.split
    method = split.decl.method
    if not isinstance(method, (ast.Even, ast.Weight)) or split.bottom_up:
        return False
    for node in split.written_children():  # (none, in most splits of a large plan)
        decl = node.decl
        if decl.alloc is not None or not (_literal(decl.min) and _literal(decl.max)):  # type: ignore[union-attr]
            return False
        if decl.attributes and _starts(node):  # type: ignore[union-attr]
            return False
    if _starts(split.parent):
        return False
    return isinstance(method, ast.Even) or run.uses_tables(method)


def _literal(cap: object) -> bool:
    """No cap, or one written as a number or a percent of the parent (`max 2M`,
    `max 40%`): a cap that names another target waits for it (the general path)."""
    return cap is None or isinstance(cap, (ast.Number, ast.Percent))


def _decline(run: _SplitRun) -> bool:
    """Leave the split to the general path, as this one found it (it keeps the children it classifies)."""
    run.children, run.shared = [], None
    return False


def _caps(run: _SplitRun, parent: Fraction) -> dict[int, tuple]:
    """(min, max, declaration) of each capped child, by its place."""
    split = run.split
    found: dict[int, tuple] = {}
    at: dict[int, int] | None = None
    for node in split.written_children():
        decl = node.decl
        if decl.min is None and decl.max is None:  # type: ignore[union-attr]
            continue
        at = at or {id(child): i for i, child in enumerate(split.children)}
        found[at[id(node)]] = (_cap(run, decl.min, parent), _cap(run, decl.max, parent), decl)  # type: ignore[union-attr,arg-type]
    return found


def _none_holds(caps: dict[int, tuple], total: Fraction, weights: list[int], weight_sum: int,
                unit: Fraction) -> bool:
    """No cap holds its child: each exact share is strictly inside its bounds, and its
    floor on the grid neither below its min nor a unit from its max (so the rounding
    bumps no child because of a cap). Water-filling and rounding with those caps then
    give the plain shares and amounts, and the records only list them. Compared in
    integers: a share is `p·wᵢ / q`, its floor `kᵢ` units."""
    p, q = total.numerator, total.denominator * weight_sum
    un, ud = unit.numerator, unit.denominator
    for i, (low, high, _) in caps.items():
        share = p * weights[i]  # over q
        units = share * ud // (q * un)  # the floor, in units
        if low is not None and not (low.numerator * q < share * low.denominator
                                    and low.numerator * ud <= units * un * low.denominator):
            return False
        # (a share below its floor plus a unit that is at most the max is strictly below the max)
        if high is not None and (units + 1) * un * high.denominator > high.numerator * ud:
            return False
    return True


def _held(caps: dict[int, tuple], total: Fraction, weights: list[int], unit: Fraction,
          made: dict) -> tuple[list[Fraction], WaterLevel, dict[int, str | None]] | None:
    """The amounts of a split where a cap holds a child, as the general path finds
    them (`water_fill`, then `finish`): the children's level (`water_level`), the
    held ones on the grid inside their caps (`hold_at_caps`), and the others share
    what is left by their weights — the exact shares of children no cap holds are
    their weights' parts at the level, so largest remainder of them is
    `proportional_units` of what is left. Also the level and the cap holding each
    capped child. None for the general path: infeasible caps (it reports E013), or
    a child at a cap that is rounded with the others (its share is not its weight's)."""
    n = len(weights)
    lows: list[Fraction | None] = [None] * n
    highs: list[Fraction | None] = [None] * n
    for i, (low, high, _) in caps.items():
        lows[i], highs[i] = low, high
    level = water_level(total, weights, lows, highs)
    if isinstance(level, Infeasible):
        return None
    shares = {i: level.share(i) for i in caps}
    bounds = {i: binding_cap(shares[i], lows[i], highs[i], total) for i in caps}
    held = hold_at_caps([(i, bound, shares[i], lows[i], highs[i]) for i, bound in bounds.items() if bound], n, unit)
    if any(i not in held and not level.free(i) for i in caps):
        return None
    moving = [i for i in range(n) if i not in held]
    part = [weights[i] for i in moving]
    part_sum = sum(part)
    if part_sum <= 0:
        return None
    pool = total - sum(held.values(), Fraction(0))
    if any(i in caps for i in moving):  # a cap that holds nothing still steers the rounding
        amounts = largest_remainder(pool, proportional(pool, part, part_sum), unit,
                                    [lows[i] for i in moving], [highs[i] for i in moving])
    else:
        got = proportional_units(pool, part, part_sum, unit, made)
        if got is None:
            return None
        amounts = got
    rounded: list[Fraction] = [Fraction(0)] * n
    for i, amount in zip(moving, amounts):
        rounded[i] = amount
    for i, amount in held.items():
        rounded[i] = amount
    return rounded, level, bounds


def _cap(run: _SplitRun, expr: ast.Number | ast.Percent | None, parent: Fraction) -> Fraction | None:
    """A literal cap's value (`_literal`): a number's is its literal's, as `arithmetic`
    reads it, without a walk for each of a hundred thousand reps; a percent is of the parent."""
    return expr.value if isinstance(expr, ast.Number) else run.cap(expr, parent)


def plain_split(run: _SplitRun, parent: Fraction) -> bool:
    """Compute `run`'s split if it is a plain one; False (and nothing done) otherwise."""
    if not ENABLED or not is_plain(run):
        return False
    split = run.split
    over = split.decl.overassign
    if over is None:
        exact_total = parent
        if out_of_range(parent):
            return False
    else:
        exact_total = parent * over.ratio
        if out_of_range(exact_total):
            return False
    if exact_total < 0 or not split.children:
        return False  # E038: the general path says why
    method = split.decl.method
    assert isinstance(method, (ast.Even, ast.Weight))  # is_plain
    text = one_line(method.span.text)
    scored = _scored(run, method, text)
    if scored is None:  # reported (a missing key, a sum of zero), or a case for the general path
        return _decline(run) if run.ok else True
    parts, (weights, weight_sum, shares, scores_sum), shared_parts = scored
    ev = run.ev
    total = exact_total
    if over is not None:  # what the children share is on the grid (language.md, Rounding, step 2)
        total = round_to(exact_total, ev.unit, ev.mode)
        run.shared = (exact_total, total)
    n = len(weights)
    rounded = proportional_units(total, weights, weight_sum, ev.unit, ev.memo.setdefault("whole amounts", {}))
    capped = any(node.decl.min is not None or node.decl.max is not None  # type: ignore[union-attr]
                 for node in split.written_children())
    if rounded is None:
        if capped:  # a total off the grid: where its tail goes depends on the caps
            return _decline(run)
        rounded = largest_remainder(total, proportional(total, weights, weight_sum), ev.unit, [None] * n, [None] * n)
    caps = _caps(run, parent) if capped else {}
    level: WaterLevel | None = None
    bounds: dict[int, str | None] = {}
    if caps and not _none_holds(caps, total, weights, weight_sum, ev.unit):
        held = _held(caps, total, weights, ev.unit, ev.memo.setdefault("whole amounts", {}))
        if held is None:
            return _decline(run)
        rounded, level, bounds = held
    method_name = "even" if isinstance(method, ast.Even) else "weight"
    ev.result.values.update(zip(map(_path, split.children), rounded))  # (as `ev.set_value` does)
    maker = PlainRecords(split, method_name, total, weights, weight_sum, rounded, shares if total else None,
                         parts, text, (parent, scores_sum, run.shared),
                         ev.memo.setdefault("worded", {}) if shared_parts else None, caps, level, bounds)
    keep_lazily(ev.result.derivations, split, maker, split.children)  # `check` asks for none of a million
    return True


class PlainRecords:
    """The records of one plain split's children, made when asked (`Records`):
    the same `Derivation`s the loop over its children would make, from what
    the split computed once (the children's whole weights, their amounts)."""

    __slots__ = ("split", "method", "total", "weights", "weight_sum", "rounded", "shares",
                 "parts", "text", "given", "at", "pooled", "tail", "worded", "caps", "level", "bounds")

    def __init__(self, split: SplitNode, method: str, total: Fraction, weights: list[int], weight_sum: int,
                 rounded: list[Fraction], shares: list[Fraction] | None, parts: list, text: str,
                 given: tuple[Fraction, Fraction, tuple[Fraction, Fraction] | None], worded: dict | None,
                 caps: dict[int, tuple] | None = None, level: WaterLevel | None = None,
                 bounds: dict[int, str | None] | None = None) -> None:
        self.split, self.method, self.total = split, method, total
        self.weights, self.weight_sum, self.rounded, self.shares = weights, weight_sum, rounded, shares
        self.parts, self.text = parts, text
        self.given = given  # the parent's amount, the scores' sum, what an overassign shared (run.shared)
        self.at: dict[int, int] | None = None  # id(child) -> its place: made at the first record, as are
        self.pooled: tuple[Input, ...] = ()  # the inputs every child shares
        self.tail: tuple = ()  # and the record's last fields
        # The evaluation's (id(words), id(part)) -> (part, words, its wording), when the
        # parts are shared by every split of the same children by the same tables
        self.worded = worded
        self.caps = caps or {}  # a capped child's (min, max, declaration), by place
        # Where a cap holds a child (`_held`): the exact shares' level, and the cap holding each capped child
        self.level, self.bounds = level, bounds or {}

    def _first(self) -> dict[int, int]:
        split, over = self.split, self.split.decl.overassign
        parent, scores_sum, shared = self.given
        # `run.left_inputs` of flexible children without fixed siblings
        self.pooled = (parent_input(split, parent),) + (
            (Input("overassign", over.text, over.ratio),) if over else ()) + (
            Input("pool", "left", self.total), Input("scores", "scores", scores_sum))
        # dimension, overassign, using, shared_exact, shared_rounded (evaluate/record.py)
        self.tail = ((split.dimension,), over.ratio if over is not None else None, self.text,
                     shared[0] if shared else None, shared[1] if shared else None)
        self.at = {id(child): i for i, child in enumerate(split.children)}
        return self.at

    @property
    def amounts(self) -> list[Fraction]:
        """The children's amounts, in order: what the split wrote to `values` (`Evaluation.children_values`)."""
        return self.rounded

    def record(self, node: TargetNode) -> Derivation | None:
        i = (self.at or self._first()).get(id(node))
        if i is None:
            return None
        total = self.total
        if self.level is None:  # `proportional`'s share, for this child alone
            exact = Fraction(total.numerator * self.weights[i], total.denominator * self.weight_sum)
            share = self.shares[i] if self.shares is not None else None
        else:
            exact = self.level.share(i)
            share = exact / total if total else None
        score, factors = self.parts[i]
        capped = self.caps.get(i)
        holding = self.bounds.get(i)
        caps = () if capped is None else tuple(  # as the general path's `caps_of`
            Cap(bound, value, one_line(expr.span.text), holding == bound)
            for bound, value, expr in (("min", capped[0], capped[2].min), ("max", capped[1], capped[2].max))
            if value is not None and expr is not None)
        return Derivation(self.method, exact, self.rounded[i], share, self.pooled, factors, score, caps,
                          self.text, *self.tail)

    def wording(self, words) -> Callable[[TargetNode], str | None]:
        """`explain` of each child's record. A `weight(TABLES)` child's words come from
        its score and factors alone (`parts`: no caps, no ramp in a plain split), and
        those are shared by the same children of every split by the same tables: each
        is worded once per evaluation (a million lines of `planc eval`)."""
        worded, parts = self.worded, self.parts

        def word(node: TargetNode) -> str | None:
            if worded is not None and self.method == "weight":
                i = (self.at or self._first()).get(id(node))
                if i is None:
                    return None
                part = parts[i]
                if part[1] and i not in self.caps:  # factors: `weight(T) → score s`, from the part alone
                    key = (id(words), id(part))
                    known = worded.get(key)
                    if known is None or known[0] is not part or known[1] is not words:
                        d = self.record(node)
                        assert d is not None
                        known = worded[key] = (part, words, explain(d, words))
                    return known[2]
            d = self.record(node)
            return None if d is None else explain(d, words)
        return word


def _scored(run: _SplitRun, method: ast.Even | ast.Weight, text: str) -> tuple[list, tuple, bool] | None:
    """Each child's score and factors (`Factor`s of its tables), and the scores
    as whole weights on a common denominator with their sum, each child's part
    of it (wᵢ / W) and the scores' sum: once per evaluation for the same
    children and tables; and whether those scores and factors are shared with
    every split of the same children by the same tables. None when the scores
    failed (`run.ok` is then False) or do not share anything out (negative, or
    summing to zero: the general path reports it)."""
    memo: dict = run.ev.memo.setdefault("whole scores", {})
    nodes = run.split.children
    bare = None
    if isinstance(method, ast.Even):
        parts: list = [(ONE, ())] * len(nodes)
        key: tuple = ("even", len(nodes))
    else:
        # `weight(T1, T2)` (tables without factors): the same children by the same
        # tables score the same, whatever split they are in — read once.
        bare = _bare_tables(run, method)
        read: dict = run.ev.memo.setdefault("bare weights", {})
        names = tuple(map(_name, nodes))
        known = read.get((names, bare)) if bare else None
        if known is not None:
            key, parts = known
        else:
            kids = run.children = run.flexible_children(method, text)
            if run.scores(kids) is None:
                return None
            key = run.scores_key
            parts = [(c.score, c.weights) for c in kids]
            if bare:
                read[(names, bare)] = (key, parts)
    hit = memo.get(key)
    if hit is None:
        scores = [score for score, _ in parts]
        common = math.lcm(*[s.denominator for s in scores])
        weights = [s.numerator * (common // s.denominator) for s in scores]
        weight_sum = sum(weights)
        if weight_sum <= 0 or any(w < 0 for w in weights):
            hit = ()
        else:
            hit = (weights, weight_sum, [Fraction(w, weight_sum) for w in weights], Fraction(weight_sum, common))
        memo[key] = hit
    return (parts, hit, bare is not None) if hit else None


def _bare_tables(run: _SplitRun, method: ast.Weight) -> tuple[str, ...] | None:
    """The tables of `weight(T1, T2)` when each is named bare (no factor, so no
    expression to evaluate); None otherwise."""
    refs = run.ev.model.refs
    names = []
    for arg in method.args:
        if arg.table is not None or not isinstance(arg.value, ast.Ref) \
                or not isinstance(refs.get(id(arg.value)), Table):
            return None
        names.append(arg.value.parts[0])
    return tuple(names)
