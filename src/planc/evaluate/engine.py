"""Model -> exact amounts, top-down, in dependency order.

Each target's amount is final when it is computed: a parent is rounded
first and its children are apportioned from the rounded parent (largest
remainder), so every split adds up exactly. Expressions that refer to other
targets see those final amounts. Split and cross maths live in `splits`
and `crosses`; this module orders the work and evaluates expressions.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Union

from planc.amounts import format_amount
from planc.diagnostics import Diagnostic, Label, error, warning
from planc.maths.allocate import round_to
from planc.evaluate.record import AssertionResult, Derivation, Evaluation, Records, Trace
from planc.semantics.measures import RATIO
from planc.semantics.expressions import COMPARE, Lookup, arithmetic, one_line
from planc.semantics.model import CrossNode, FunnelNode, Model, SplitNode, Table, TargetNode
from planc.syntax import ast

Node = Union[TargetNode, SplitNode, CrossNode, FunnelNode]


class Evaluator:
    def __init__(self, model: Model) -> None:
        self.model = model
        self.unit = model.header.round  # the grid of the target being computed (evaluate/units.py)
        self.mode = "nearest"
        self.result = Evaluation(derivations=Records(model.targets))  # cells' records made when asked
        self.diags: list[Diagnostic] = []
        self.memo: dict = {}  # see Scope.memo

    # ---- values ------------------------------------------------------------------
    def value(self, node: TargetNode) -> Fraction | None:
        return self.result.values.get(node.path)

    def set_value(self, node: TargetNode, amount: Fraction, derivation: Derivation) -> None:
        self.result.values[node.path] = amount
        self.result.derivations[node.path] = derivation

    def lookup(self, ref: ast.Ref) -> Fraction | None:
        target = self.model.refs.get(id(ref))
        if target is None or isinstance(target, Table):
            return None  # unresolved: already reported
        if isinstance(target, Fraction):
            return target
        return self.value(target)

    def expr(self, expr, lookup: Lookup | None = None) -> Fraction | None:
        return arithmetic(expr, lookup or self.lookup, self.diags)

    # ---- ordering ------------------------------------------------------------------
    def producer(self, target: TargetNode) -> Node:
        return target.producer if target.producer is not None else target

    def dependencies(self, node: Node) -> list[Node]:
        refs: list = []
        if isinstance(node, TargetNode):
            if node.is_sum:
                return [node.splits[0]] if node.splits else []
            refs = [node.decl.value]  # type: ignore[union-attr]
        elif isinstance(node, SplitNode):
            deps: list[Node] = [] if node.bottom_up else [self.producer(node.parent)]
            deps += self._profile_sources(node)
            for child in node.written_children():
                decl = child.decl
                if decl.alloc is not None or decl.min is not None or decl.max is not None:  # type: ignore[union-attr]
                    refs.extend((decl.alloc, decl.min, decl.max))  # type: ignore[union-attr]
            return deps + [d for d in self._ref_producers(refs) if d is not node]
        elif isinstance(node, CrossNode):
            return [node.rows, node.cols]
        elif isinstance(node, FunnelNode):
            mine = {id(t) for t in node.steps}
            refs = [step.value for step in node.decl.steps]
            return [self.producer(node.member)] + [d for d in self._ref_producers(refs) if id(d) not in mine
                                                   and d is not node]
        return self._ref_producers(refs)

    def _profile_sources(self, split: SplitNode) -> list[Node]:
        """A split over the calendar follows the time splits above it (evaluate/weeks.py)."""
        from planc.semantics.calendar import is_calendar_split
        from planc.semantics.time import is_time_split

        if not is_calendar_split(split.decl):
            return []
        out: list[Node] = []
        node: TargetNode | None = split.parent
        while node is not None:
            out += [s for s in node.splits if s is not split and is_time_split(s)]
            out += [c.producer for c in node.cells[:1] if c.producer is not None]
            node = node.parent
        return out

    def _ref_producers(self, exprs: list) -> list[Node]:
        out = []
        for e in exprs:
            if e is None:
                continue
            for sub in ast.walk_expr(e):
                if isinstance(sub, ast.Ref):
                    target = self.model.refs.get(id(sub))
                    if isinstance(target, TargetNode):
                        out.append(self.producer(target))
        return out

    def order(self) -> list[Node]:
        """Topological order (iterative DFS); cycles become E008 diagnostics."""
        nodes: list[Node] = [t for t in self.model.roots]
        nodes += self.model.splits
        nodes += self.model.crosses
        nodes += self.model.funnels
        done: set[int] = set()
        on_path: dict[int, int] = {}
        order: list[Node] = []
        broken: set[int] = set()
        for start in nodes:
            if id(start) in done:
                continue
            stack = [(start, iter(self.dependencies(start)))]
            path = [start]
            on_path[id(start)] = 0
            while stack:
                node, deps = stack[-1]
                dep = next(deps, None)
                if dep is None:
                    stack.pop()
                    path.pop()
                    del on_path[id(node)]
                    done.add(id(node))
                    order.append(node)
                elif id(dep) in on_path:
                    cycle = path[on_path[id(dep)]:]
                    if not any(id(c) in broken for c in cycle):
                        self.report_cycle(cycle)
                    broken.update(id(c) for c in cycle)
                elif id(dep) not in done:
                    on_path[id(dep)] = len(path)
                    path.append(dep)
                    stack.append((dep, iter(self.dependencies(dep))))
        self.broken = broken
        return order

    def report_cycle(self, cycle: list[Node]) -> None:
        """One E008 for the whole loop, with each step drawn where it refers to the next."""
        names = [_node_name(n) for n in cycle]
        first = cycle[0]
        span = first.decl.span if isinstance(first, (SplitNode, CrossNode, FunnelNode)) \
            else first.decl.name_span  # type: ignore[union-attr]
        steps = []
        for node, after in zip(cycle, cycle[1:] + cycle[:1]):
            where = self.step_span(node, after)
            if where is not None:
                steps.append(Label(where, f"{_quoted(node)} needs {_quoted(after)}"))
        self.diags.append(error("E008", "circular definition: " + " -> ".join(names + names[:1]), span,
                                related=tuple(steps),
                                help="one of these amounts must be given without referring back"))

    def step_span(self, node: Node, after: Node):
        """Where `node` refers to `after`: a reference to it, a split's parent, a cross's splits."""
        if isinstance(node, (CrossNode, FunnelNode)):
            return node.decl.span
        if isinstance(node, SplitNode) and after is self.producer(node.parent) and not node.bottom_up:
            return node.decl.parent.span
        if isinstance(node, TargetNode) and node.is_sum:
            return node.splits[0].decl.span if node.splits else None
        exprs = [node.decl.value] if isinstance(node, TargetNode) else [  # type: ignore[union-attr]
            e for c in node.children for e in (c.decl.alloc, c.decl.min, c.decl.max)]  # type: ignore[union-attr]
        for e in exprs:
            for sub in ast.walk_expr(e) if e is not None else ():
                target = self.model.refs.get(id(sub)) if isinstance(sub, ast.Ref) else None
                if isinstance(target, TargetNode) and self.producer(target) is after:
                    return sub.span
        return None

    # ---- running -------------------------------------------------------------------------
    def run(self) -> tuple[Evaluation, list[Diagnostic]]:
        import planc.evaluate.units as units
        from planc.evaluate.splits import evaluate_split
        from planc.semantics.calendar import is_calendar_split

        if self.model.crosses:  # the IPF and rounding maths load only when needed
            from planc.evaluate.crosses import evaluate_cross

        for node in self.order():
            if id(node) in self.broken:
                continue
            if isinstance(node, SplitNode):
                if units.enter_split(self, node):
                    if is_calendar_split(node.decl):
                        from planc.evaluate.weeks import evaluate_calendar_split

                        evaluate_calendar_split(self, node, self.value)
                    else:
                        evaluate_split(self, node)
            elif isinstance(node, CrossNode):
                units.enter_cross(self, node.parent, node.cells.values())
                evaluate_cross(self, node)
            elif isinstance(node, FunnelNode):
                from planc.evaluate.funnels import evaluate_funnel

                evaluate_funnel(self, node, self.lookup)
            else:
                self.root(node)
        self.assertions()
        return self.result, self.diags

    def root(self, node: TargetNode) -> None:
        decl = node.decl
        assert isinstance(decl, ast.Target)
        if isinstance(decl.value, ast.SumMarker):
            if not node.splits and node.name not in self.model.unparsed_names:
                self.diags.append(error("E027", f"`{node.name} = sum` but `{node.name}` is never split",
                                        decl.value.span, help=f"add `split {node.name} by DIMENSION {{ … }}`"))
            return  # set by its first split
        import planc.evaluate.units as units

        trace = Trace(self.lookup, self.model)
        amount = self.expr(decl.value, trace)
        if amount is None:
            return
        unit = units.root_unit(self, node, decl.value)
        if unit is None:
            return  # mixed units: reported
        rounded = amount
        if unit in self.model.measures:  # a count is put on its measure's grid, in its mode
            rounded = round_to(amount, self.unit, self.mode)
        elif unit != RATIO:
            self.check_multiple(amount, decl.value)
        self.set_value(node, rounded, Derivation("root", amount, rounded, inputs=trace.inputs(decl.value),
                                                 expression=one_line(decl.value.span.text)))

    def check_multiple(self, amount: Fraction, expr) -> None:
        if (amount / self.unit).denominator != 1:
            self.diags.append(warning(
                "W001", f"{format_amount(amount)} is not a multiple of the rounding unit {format_amount(self.unit)}",
                expr.span, help="fixed amounts stay as written; children are still apportioned exactly"))

    def assertions(self) -> None:
        import planc.evaluate.units as units

        for decl in self.model.asserts:
            if is_review_assert(decl):
                continue  # checked against the actuals (planc track)
            units.assertion(self, decl)
            left, right = self.expr(decl.left), self.expr(decl.right)
            passed = None if left is None or right is None else COMPARE[decl.op](left, right)
            self.result.assertions.append(AssertionResult(decl, left, right, passed))
            if passed is False:
                text = f"{decl.left.span.text} {decl.op} {decl.right.span.text}"
                msg = f"{'expectation' if decl.soft else 'assertion'} failed: {text}"
                if decl.message:
                    msg += f" ({decl.message})"
                # The values belong in the message: JSON and GitHub annotations show no label.
                msg += f" (left is {_show(left)}, right is {_show(right)})"  # type: ignore[arg-type]
                self.diags.append((warning if decl.soft else error)(
                    "W030" if decl.soft else "E014", msg, decl.span,
                    label=f"left is {_show(left)}, right is {_show(right)}",  # type: ignore[arg-type]
                    help=f"left side {_show(left)} {decl.op} right side {_show(right)} does not hold"  # type: ignore[arg-type]
                         + ("; an `expect` is a warning: the reports are still written, with the gap" if decl.soft
                            else "")))


def is_review_assert(decl: ast.Assert) -> bool:
    """An assert on actuals: `assert actual(east) >= expected(east)`."""
    return any(isinstance(sub, ast.Call) and sub.func in ast.REVIEW_CALLS
               for side in (decl.left, decl.right) for sub in ast.walk_expr(side))


def _show(value: Fraction) -> str:
    if abs(value) < 10 and value.denominator != 1:
        return f"{float(value):.4g}"
    return format_amount(value)


def _node_name(node: Node) -> str:
    if isinstance(node, TargetNode):
        return node.path
    return node.describe()


def _quoted(node: Node) -> str:
    return f"`{node.path}`" if isinstance(node, TargetNode) else node.describe()


def evaluate(model: Model) -> tuple[Evaluation, list[Diagnostic]]:
    return Evaluator(model).run()
