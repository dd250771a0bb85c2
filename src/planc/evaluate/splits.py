"""One split: its children's exact shares, the consistency checks of
language.md §4.6–9, then apportionment from the rounded parent (§4.5). The
scores flexible children share by are evaluate/scores.py's; the common split
of bare names in whole numbers is evaluate/plain.py's."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable
import attrs

from planc.syntax import ast
from planc.maths.allocate import (Infeasible, binding_cap, hold_at_caps, is_multiple, largest_remainder,
                                  round_half_up, round_to, water_fill)
from planc.maths.apportion import exact_sum
from planc.amounts import format_amount, out_of_range
from planc.diagnostics import Label
from planc.evaluate.plain import plain_split
from planc.evaluate.explain import explain
from planc.evaluate.record import Cap, Derivation, Factor, Input, Scope, Trace, keep_lazily, parent_input
from planc.evaluate.scores import Scoring
from planc.semantics.expressions import one_line, out_of_range_error
from planc.semantics.model import SplitNode, TargetNode

FIXED, SHARE, REST, FLEX = "fixed", "share", "rest", "flex"


@attrs.define
class _Child:
    node: TargetNode
    decl: ast.Child
    kind: str
    alloc: ast.Alloc
    exact: Fraction | None = None
    # what the record of its amount says (evaluate/record.py)
    expression: str = ""
    inputs: tuple[Input, ...] = ()
    weights: tuple[Factor, ...] = ()
    score: Fraction | None = None
    caps: tuple[Cap, ...] = ()
    low: Fraction | None = None  # caps of a flexible child, to steer rounding
    high: Fraction | None = None

    @property
    def amount(self) -> Fraction:
        """The exact amount, once computed (every use after `fixed_values` and the sharing)."""
        assert self.exact is not None
        return self.exact

    @property
    def weight(self) -> ast.Weight:
        assert isinstance(self.alloc, ast.Weight)
        return self.alloc

    @property
    def capped(self) -> str | None:
        """"min" or "max" when a cap held the child's exact share."""
        return next((c.bound for c in self.caps if c.binding), None)


def evaluate_split(ev: Scope, split: SplitNode) -> None:
    _SplitRun(ev, split).run()


class _SplitRun(Scoring):
    def __init__(self, ev: Scope, split: SplitNode) -> None:
        self.ev = ev
        self.split = split
        self.diags = ev.diags
        self.children: list[_Child] = []
        self.ok = True
        self.sibling_lookup = ev.lookup
        self.shared: tuple[Fraction, Fraction] | None = None  # an over-assigned total: exact, rounded
        self.scores_key: tuple = ()

    # ---- classification --------------------------------------------------------
    def classify(self) -> None:
        method = self.split.decl.method
        texts: dict[int, str] = {}  # children that take the split's `using` share its text
        for node in self.split.children:
            decl = node.decl
            assert isinstance(decl, ast.Child)
            alloc = decl.alloc if decl.alloc is not None else method
            if alloc is None:
                self.fail("E022", f"`{decl.name}` has no amount and the split has no `using` method",
                          decl.name_span, help=f"write `{decl.name} = 30M`, `{decl.name} = rest`, "
                          "or add `using even` / `using weight(TABLE)` to the split")
                continue
            if isinstance(alloc, ast.Rest):
                kind = REST
            elif isinstance(alloc, (ast.Even, ast.Weight)):
                kind = FLEX
            elif isinstance(alloc, ast.Percent):
                kind = SHARE
            else:
                kind = FIXED
            text = texts.get(id(alloc))
            if text is None:
                text = texts[id(alloc)] = one_line(alloc.span.text)
            self.children.append(_Child(node, decl, kind, alloc, expression=text))
        rests = [c for c in self.children if c.kind == REST]
        for extra in rests[1:]:
            self.fail("E011", f"{self.split.describe()} has more than one `rest` child", extra.alloc.span,
                      help=f"only one child can take the rest; first was `{rests[0].decl.name}`")
        flex = [c for c in self.children if c.kind == FLEX]
        if rests and flex:
            self.fail("E010", "`rest` cannot share a split with `even` or `weight` children",
                      rests[0].alloc.span, help="use `even`/`weight` for all flexible children, or one `rest`")
        if self.split.bottom_up:
            for c in self.children:
                if c.kind != FIXED:
                    self.fail("E027", f"`{self.split.parent.name} = sum` needs fixed amounts in its first split",
                              c.alloc.span if hasattr(c.alloc, "span") else c.decl.name_span,
                              help="a bottom-up target adds up its children; give each child an amount")

    def flexible_children(self, method: ast.Even | ast.Weight, text: str) -> list[_Child]:
        """The children of a plain split (evaluate/plain.py): each takes the split's `using`."""
        return [_Child(node, node.decl, FLEX, method, expression=text) for node in self.split.children]  # type: ignore[arg-type]

    # ---- exact values ----------------------------------------------------------------
    def fixed_values(self, parent: Fraction | None) -> None:
        """Fixed and percentage children, in dependency order among siblings."""
        by_node = {id(c.node): c for c in self.children}
        computing: set[int] = set()  # a guard: `dependency_order` has reported every cycle already

        def sibling_lookup(ref: ast.Ref) -> Fraction | None:
            target = self.ev.model.refs.get(id(ref))
            if isinstance(target, TargetNode) and id(target) in by_node:
                return compute(by_node[id(target)], ref)
            return self.ev.lookup(ref)

        def compute(c: _Child, via: ast.Ref | None = None) -> Fraction | None:
            if id(c.node) in cyclic:
                return None  # reported by `dependency_order`
            if c.exact is not None or c.kind in (REST, FLEX):
                if c.kind in (REST, FLEX) and via is not None:
                    self.fail("E008", f"`{c.decl.name}` depends on what its siblings leave, so a sibling "
                              "cannot refer to it", via.span,
                              help=f"refer to the parent instead (e.g. `10% of {self.split.parent.name}`), "
                                   f"or give `{c.decl.name}` a fixed amount")
                return c.exact
            if id(c.node) in computing:
                return None
            computing.add(id(c.node))
            if isinstance(c.alloc, ast.Percent):  # a SHARE child
                c.exact = None if parent is None else self.bounded(c.alloc.ratio * parent, f"`{c.decl.name}`", c.alloc)
                if c.exact is not None and parent is not None:
                    c.inputs = (Input("percent", c.alloc.text, c.alloc.ratio), self.parent_input(parent))
            else:
                trace = Trace(sibling_lookup, self.ev.model)
                c.exact = self.ev.expr(c.alloc, trace)
                c.inputs = trace.inputs(c.alloc)
            computing.discard(id(c.node))
            return c.exact

        self.sibling_lookup = sibling_lookup  # caps may refer to fixed siblings too
        order, cyclic = self.dependency_order(by_node)
        for c in order:  # each sibling's references are computed before it: no deep recursion
            compute(c)

    def sibling_cycle(self, loop: list[tuple[_Child, ast.Ref | None]], closing: ast.Ref | None) -> None:
        """One E008 for siblings that refer to each other in a loop: each step
        is labelled at its reference; the first of them in the text is the primary."""
        kids = [c for c, _ in loop]
        refs = [via for _, via in loop[1:]] + [closing]
        steps = [(ref.span, f"`{c.decl.name}` needs `{after.decl.name}`")
                 for c, after, ref in zip(kids, kids[1:] + kids[:1], refs) if ref is not None]
        steps.sort(key=lambda step: step[0].start)
        names = " -> ".join(c.decl.name for c in kids + kids[:1])
        (span, label), rest = steps[0], steps[1:]
        self.fail("E008", f"circular definition between siblings of {self.split.describe()}: {names}", span,
                  label=label, related=tuple(Label(s, m) for s, m in rest),
                  help="one of these amounts must be given without referring back")

    def dependency_order(self, by_node: dict) -> tuple[list[_Child], set[int]]:
        """The children, each fixed one after the fixed siblings it refers to
        (an iterative DFS: a chain of siblings can be thousands long); the
        nodes on a cycle are reported (one E008 per cycle)."""
        def fixed_refs(c: _Child) -> list:
            if c.kind != FIXED:
                return []
            out = []
            for sub in ast.walk_expr(c.alloc):
                target = self.ev.model.refs.get(id(sub)) if isinstance(sub, ast.Ref) else None
                dep = by_node.get(id(target)) if isinstance(target, TargetNode) else None
                if dep is not None and dep.kind == FIXED:
                    out.append((sub, dep))
            return out

        if not any(c.kind == FIXED for c in self.children):
            return list(self.children), set()  # no references among siblings: declaration order
        order: list[_Child] = []
        cyclic: set[int] = set()
        state: dict[int, int] = {}  # 1 on the path, 2 done
        for start in self.children:
            if id(start) in state:
                continue
            state[id(start)] = 1
            path: list[tuple[_Child, ast.Ref | None]] = [(start, None)]
            stack = [iter(fixed_refs(start))]
            while stack:
                step = next(stack[-1], None)
                if step is None:
                    stack.pop()
                    done, _ = path.pop()
                    state[id(done)] = 2
                    order.append(done)
                    continue
                ref, dep = step
                if state.get(id(dep)) == 1:  # a cycle: one diagnostic, a label at each reference round it
                    at = next(i for i, (c, _) in enumerate(path) if c is dep)
                    if not any(id(c.node) in cyclic for c, _ in path[at:]):
                        self.sibling_cycle(path[at:], ref)
                    cyclic.update(id(c.node) for c, _ in path[at:])
                elif id(dep) not in state:
                    state[id(dep)] = 1
                    path.append((dep, ref))
                    stack.append(iter(fixed_refs(dep)))
        return order, cyclic

    def signs_fit(self, total: Fraction) -> bool:
        """A total below zero is shared exactly by `%`, fixed amounts and `rest`;
        `even`, `weight` and percentage caps have no meaning for a shortfall
        (language.md, Negative amounts), so they are refused (E038)."""
        if total >= 0:
            return True
        for c in self.children:
            if c.kind == FLEX:
                what = "even" if isinstance(c.alloc, ast.Even) else "weight"
                self.fail("E038", f"`{c.decl.name}` cannot share by `{what}` a total below zero "
                          f"({format_amount(total)})", c.alloc.span,
                          help="give each child a fixed amount, a percentage or `rest`")
                return False
            for cap in (c.decl.min, c.decl.max):
                if isinstance(cap, ast.Percent):
                    self.fail("E038", f"a percentage cap on `{c.decl.name}` has no meaning for a total below "
                              f"zero ({format_amount(total)})", cap.span,
                              help="write the cap as an amount, e.g. `min -5M`")
                    return False
        return True

    def bounded(self, value: Fraction, what: str, where) -> Fraction | None:
        """`value`, or None after E039 when it is beyond an amount's bounds."""
        if not out_of_range(value):
            return value
        self.diags.append(out_of_range_error(what, value, where.span, help="check the percentages and amounts"))
        self.ok = False
        return None

    def cap(self, expr, parent: Fraction | None) -> Fraction | None:
        if expr is None:
            return None
        if isinstance(expr, ast.Percent):  # `max 40%`: of the parent
            return None if parent is None else expr.ratio * parent
        return self.ev.expr(expr, self.sibling_lookup)

    # ---- the whole split ------------------------------------------------------------------
    def run(self) -> None:
        split = self.split
        parent = None if split.bottom_up else self.ev.value(split.parent)
        if parent is None and not split.bottom_up:
            return  # the parent is unknown (reported where it failed)
        if parent is not None and plain_split(self, parent):
            return  # the common case, in whole numbers: the same values and records
        self.classify()
        if not self.ok or not self.children:
            return
        self.fixed_values(parent)
        if any(c.exact is None for c in self.children if c.kind in (FIXED, SHARE)):
            return
        if split.bottom_up:
            if split.decl.overassign is not None:
                self.fail("E027", f"`overassign` has no meaning on the split that defines "
                          f"`{split.parent.name} = sum`", split.decl.overassign.span,
                          help="over-assign in another split of the target")
                return
            total = self.bounded(sum((c.amount for c in self.children), Fraction(0)),
                                 f"`{split.parent.name} = sum`", split.decl)
            if total is None or not self.check_caps(total):
                return
            children = tuple(Input("child", c.decl.name, c.amount, c.node.path) for c in self.children)
            self.ev.set_value(split.parent, total, Derivation("sum", total, total, inputs=children, expression="sum",
                                                              dimension=(split.dimension,)))
            self.finish(total, total)
            return
        assert parent is not None  # a top-down split returned above without it
        overassign = split.decl.overassign.ratio if split.decl.overassign else Fraction(1)
        exact_total = self.bounded(parent * overassign, "the overassigned total", split.decl.overassign)
        if exact_total is None or not self.signs_fit(exact_total):
            return
        total = exact_total
        if split.decl.overassign is not None and any(c.kind != FIXED for c in self.children):
            # What the children share is on the grid (language.md, Rounding, step 2).
            total = round_to(exact_total, self.ev.unit, self.ev.mode)
            self.shared = (exact_total, total)
        given = sum((c.amount for c in self.children if c.kind in (FIXED, SHARE)), Fraction(0))
        rest = [c for c in self.children if c.kind == REST]
        flex = [c for c in self.children if c.kind == FLEX]
        if rest:
            left = total - given
            if left < 0 <= total or total < 0 < left:
                sign = "negative" if left < 0 else "positive on a negative total"
                self.fail("E009", f"`rest` of {split.describe()} comes out {sign} ({format_amount(left)})",
                          rest[0].alloc.span, label=f"the other children take {format_amount(given)}",
                          help=f"the other children exceed {format_amount(total)} by {format_amount(-left)}"
                          if left < 0 else f"the other children go {format_amount(left)} below {format_amount(total)}")
                return
            rest[0].exact = left
            rest[0].inputs = self.left_inputs(parent, given)
        elif flex:
            left = total - given
            if left < 0:
                self.over(given, total)
                return
            if not self.share_flexible(flex, left, parent):
                return
        elif given != exact_total:
            self.over(given, exact_total) if given > exact_total else self.under(given, exact_total)
            return
        if not self.check_caps(parent):
            return
        self.finish(parent, total)

    def share_flexible(self, flex: list[_Child], left: Fraction, parent: Fraction) -> bool:
        scores = self.scores(flex)
        if scores is None:
            return False
        scores = self.ramped(flex, scores)
        lows = [None if c.decl.min is None else self.cap(c.decl.min, parent) for c in flex]
        highs = [None if c.decl.max is None else self.cap(c.decl.max, parent) for c in flex]
        shares = water_fill(left, scores, lows, highs)
        if isinstance(shares, Infeasible):
            first = flex[0].decl
            self.fail("E013", f"the caps in the {self.split.describe()} cannot be met: {shares.reason}",
                      self.split.decl.span if first.min is None and first.max is None else first.span,
                      help=f"{format_amount(left)} is left for the flexible children; loosen a `min` or `max`")
            return False
        given = exact_sum([c.exact for c in self.children if c.kind in (FIXED, SHARE) and c.exact is not None])
        pooled = self.left_inputs(parent, given) + (Input("pool", "left", left),
                                                    Input("scores", "scores", exact_sum(scores)))
        for c, share, low, high in zip(flex, shares, lows, highs):
            c.exact, c.low, c.high = share, low, high
            if low is None and high is None:  # no caps: nothing to record about them
                c.inputs = c.inputs + pooled
                continue
            c.inputs = c.inputs + pooled
            c.caps = self.caps_of(c, low, high, binding_cap(share, low, high, left))
        return True

    def ramped(self, flex: list[_Child], scores: list[Fraction]) -> list[Fraction]:
        """New hires share by their ramped capacity (evaluate/ramp.py)."""
        if "start" not in self.split.parent.attributes and not any("start" in c.node.attributes for c in flex):
            return scores  # no new hire here, nor a new hire's time split: the module is not even imported
        from planc.evaluate.ramp import ramp_scores

        scores, factors = ramp_scores(self.ev.model, self.split, [c.node for c in flex], scores, self.ev.diags)
        for c, score, factor in zip(flex, scores, factors):
            if factor is not None:
                c.score, c.inputs = score, c.inputs + (factor,)
        return scores

    # ---- what the record says ----------------------------------------------------------
    def parent_input(self, parent: Fraction) -> Input:
        return parent_input(self.split, parent)

    def left_inputs(self, parent: Fraction, given: Fraction) -> tuple[Input, ...]:
        """What a `rest` or flexible child is left: the parent (× overassign) less the
        fixed siblings (named even when there are none, for `rest`)."""
        over = self.split.decl.overassign
        fixed = any(c.kind in (FIXED, SHARE) for c in self.children)
        return (self.parent_input(parent),) + ((Input("overassign", over.text, over.ratio),) if over else ()) + (
            (Input("taken", "fixed siblings", given),) if fixed or not self.flexible() else ())

    def flexible(self) -> bool:
        return any(c.kind == FLEX for c in self.children)

    def caps_of(self, c: _Child, low: Fraction | None, high: Fraction | None, capped: str | None) -> tuple[Cap, ...]:
        return tuple(Cap(bound, value, one_line(expr.span.text), capped == bound)
                     for bound, value, expr in (("min", low, c.decl.min), ("max", high, c.decl.max))
                     if value is not None and expr is not None)

    def check_caps(self, parent: Fraction) -> bool:
        for c in self.children:
            if c.kind == FLEX:
                continue
            low, high = self.cap(c.decl.min, parent), self.cap(c.decl.max, parent)
            c.caps = self.caps_of(c, low, high, None)  # checked, never steering a fixed amount
            c.low, c.high = low, high  # rounding keeps a share or `rest` within them too
            if c.decl.min is not None and low is not None and c.amount < low:
                self.fail("E029", f"`{c.decl.name}` is {format_amount(c.amount)}, below its min {format_amount(low)}",
                          c.decl.min.span, help=f"give `{c.decl.name}` at least {format_amount(low)}, "
                                                f"or lower its `min`")
            if c.decl.max is not None and high is not None and c.amount > high:
                self.fail("E029", f"`{c.decl.name}` is {format_amount(c.amount)}, above its max {format_amount(high)}",
                          c.decl.max.span, help=f"give `{c.decl.name}` at most {format_amount(high)}, "
                                                f"or raise its `max`")
        return self.ok

    def over(self, given: Fraction, total: Fraction) -> None:
        last = [c for c in self.children if c.kind in (FIXED, SHARE)][-1]
        pct = f"{float(given / total * 100):.1f}%" if total else "∞"
        ratio = given / total * (self.split.decl.overassign.ratio if self.split.decl.overassign else 1) if total else 0
        need = f"{math.ceil(ratio * 100)}%"
        self.fail("E005", f"{self.split.describe()} allocates {format_amount(given)} of {format_amount(total)} ({pct})",
                  last.alloc.span, label=f"fixed children already take {format_amount(given)}",
                  help=f"lower a fixed child, or add `overassign {need}` if this is intended" if total > 0
                  else "lower a fixed child")

    def under(self, given: Fraction, total: Fraction) -> None:
        last = [c for c in self.children if c.kind in (FIXED, SHARE)][-1]
        pct = f"{float(given / total * 100):.1f}%" if total else "-"
        self.fail("E006", f"{self.split.describe()} allocates {format_amount(given)} of {format_amount(total)} "
                  f"({pct}), {format_amount(total - given)} short", last.alloc.span,
                  label=f"children add up to {format_amount(given)}",
                  help="add a `rest` child, or raise a fixed child")

    # ---- rounding ----------------------------------------------------------------------------
    def finish(self, parent: Fraction, total: Fraction) -> None:
        """Fixed children stay as written; a child held at a cap is rounded to
        the inside of it; the others share what is left of the total, in whole
        units by largest remainder, steered by their caps. The total itself is
        never changed here, so the children always add up to it."""
        unit = self.ev.unit
        fixed = [c for c in self.children if c.kind == FIXED]
        for c in fixed:
            if not is_multiple(c.amount, unit):
                self.ev.check_multiple(c.amount, c.alloc)
        final = {id(c): c.amount for c in fixed}
        moving = [c for c in self.children if c.kind != FIXED]
        held = hold_at_caps([(k, c.capped, c.amount, c.low, c.high) for k, c in enumerate(moving)
                             if c.caps and c.capped], len(moving), unit)
        final.update((id(moving[k]), v) for k, v in held.items())
        moving = [c for k, c in enumerate(moving) if k not in held]
        pool = total - sum(final.values(), Fraction(0))
        amounts = largest_remainder(pool, [c.amount for c in moving], unit,
                                    [c.low for c in moving], [c.high for c in moving])
        final.update(zip(map(id, moving), amounts))
        over, using = self.split.decl.overassign, self.split.decl.method
        common = dict(dimension=(self.split.dimension,), overassign=over.ratio if over is not None else None,
                      using=one_line(using.span.text) if using is not None else "",
                      shared_exact=self.shared[0] if self.shared else None,
                      shared_rounded=self.shared[1] if self.shared else None)  # the same for every child
        values = self.ev.result.values  # (as `ev.set_value` does; the records are made when asked)
        for c in self.children:
            values[c.node.path] = final[id(c)]
        keep_lazily(self.ev.result.derivations, self.split, _Records(self, final, total, common),
                    [c.node for c in self.children])

    def record(self, c: _Child, rounded: Fraction, total: Fraction, common: dict) -> Derivation:
        assert c.exact is not None  # every child has its exact amount by now
        method = c.kind
        if c.kind == FLEX:
            method = "even" if isinstance(c.alloc, ast.Even) else "weight"
        return Derivation(method, c.exact, rounded, share=c.exact / total if total else None,
                          inputs=c.inputs, weights=c.weights, score=c.score, caps=c.caps,
                          expression=c.expression, **common)


class _Records:
    """The records of a split's children, made when asked (`Records`), from what its
    run computed (`_SplitRun.finish`): `check` asks for none of them."""

    __slots__ = ("run", "final", "total", "common", "at")

    def __init__(self, run: _SplitRun, final: dict[int, Fraction], total: Fraction, common: dict) -> None:
        self.run, self.final, self.total, self.common = run, final, total, common
        self.at: dict[int, _Child] | None = None  # id(target) -> its child: made at the first record

    def record(self, node: TargetNode) -> Derivation | None:
        if self.at is None:
            self.at = {id(c.node): c for c in self.run.children}
        c = self.at.get(id(node))
        return None if c is None else self.run.record(c, self.final[id(c)], self.total, self.common)

    def wording(self, words) -> Callable[[TargetNode], str | None]:
        def word(node: TargetNode) -> str | None:
            d = self.record(node)
            return None if d is None else explain(d, words)
        return word
