"""The scores a split's flexible children share by: `even`, a raw `weight(3)`, or
`weight(T1: 60%, T2: 40%)` — each child's value in each table over the table's sum
for the split's children, blended by the normalised factors (language.md §4.6).
`Scoring` is part of a split's run (`splits._SplitRun` is one)."""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol, Sequence

from planc.diagnostics import Diagnostic, error
from planc.evaluate.record import Factor, Input, Scope, Trace
from planc.semantics.model import SplitNode, Table
from planc.semantics.time import matching_key
from planc.syntax import ast


class Scored(Protocol):
    """What scoring reads and writes of a split's child (`splits._Child`)."""

    decl: ast.Child
    alloc: ast.Alloc
    score: Fraction | None
    inputs: tuple[Input, ...]
    weights: tuple[Factor, ...]

    @property
    def weight(self) -> ast.Weight: ...


class Scoring:
    """The scores of a split's flexible children, E012, E013, E021, E024 and E026 on the way."""

    ev: Scope
    split: SplitNode
    diags: list[Diagnostic]
    ok: bool
    scores_key: tuple

    def fail(self, code: str, message: str, span, **kw) -> None:
        self.diags.append(error(code, message, span, **kw))
        self.ok = False

    def scores(self, flex: Sequence[Scored]) -> list[Fraction] | None:
        raw: list[Scored] = []
        tabled: list[Scored] = []
        tables: dict[int, bool] = {}
        for c in flex:
            uses = tables.get(id(c.alloc))
            if uses is None:
                uses = tables[id(c.alloc)] = self.uses_tables(c.alloc)
            (tabled if uses else raw).append(c)
        if raw and tabled:
            self.fail("E024", f"{self.split.describe()} mixes raw scores and table weights",
                      raw[0].alloc.span, help="score every flexible child by the same tables, or all by numbers")
            return None
        if raw:
            out = []
            for c in flex:
                if isinstance(c.alloc, ast.Even):
                    out.append(Fraction(1))
                    c.score = Fraction(1)
                    continue
                trace = Trace(self.ev.lookup, self.ev.model)
                args = c.weight.args
                value = self.ev.expr(args[0].value, trace) if len(args) == 1 else None
                if len(args) != 1:
                    self.fail("E024", "a raw weight takes one number, e.g. `weight(3)`", c.alloc.span,
                              help="to blend tables name each with its factor: `weight(history: 60%, potential: 40%)`")
                    return None
                if value is None:
                    return None
                if value < 0:
                    self.fail("E013", f"weight of `{c.decl.name}` is negative", c.alloc.span,
                              help="weights are zero or more; give a fixed (negative) amount instead")
                    return None
                out.append(value)
                c.score, c.inputs = value, trace.inputs()
            return out
        return self.table_scores(flex)

    def uses_tables(self, alloc) -> bool:
        if not isinstance(alloc, ast.Weight):
            return False
        return any(a.table is not None or isinstance(self.ev.model.refs.get(id(a.value)), Table)
                   for a in alloc.args)

    def table_scores(self, flex: Sequence[Scored]) -> list[Fraction] | None:
        """score(c) = Σ wᵢ·Tᵢ[c] / Σ_{c' weighted by Tᵢ} Tᵢ[c'], with the wᵢ normalised.

        A `weight(…)` is read once per split (its children usually share the
        split's `using`), and the scores of the same children by the same
        tables and weights are computed once per evaluation (`Scope.memo`: a
        plan splits thousands of reps by month with one profile). Scores and
        factors are immutable values: sharing them changes nothing."""
        specs = []
        read: dict[int, tuple[list, int]] = {}  # id of a child's weight -> its normalised spec, its key
        # A spec ((table, weight), …) -> a small number, so that the key of the
        # scores below hashes strings and ints, not Fractions, for each split.
        spec_keys: dict[tuple, int] = self.ev.memo.setdefault("weight specs", {})
        memo: dict[tuple, tuple] = self.ev.memo.setdefault("table scores", {})
        for c in flex:
            known = read.get(id(c.alloc))
            if known is None:
                spec = self.weight_spec(c)
                if spec is None:
                    return None
                spec_id = spec_keys.setdefault(tuple((t.name, w) for t, w, _ in spec), len(spec_keys))
                known = read[id(c.alloc)] = (spec, spec_id)
            else:
                for t, _, _ in known[0]:
                    if matching_key(c.decl.name, t.values) is None:  # `一季度` reads `Q1`
                        self.missing(c, t.name)
                        return None
            specs.append(known)
        key = (tuple(c.decl.name for c in flex), tuple(k for _, k in specs))
        self.scores_key = key  # what evaluate/plain.py memoises the scores' integer form by
        hit = memo.get(key)
        if hit is not None:
            for c, score, weights in zip(flex, hit[0], hit[1]):
                c.score, c.weights = score, weights
            return list(hit[0])
        sums: dict[str, Fraction] = {}
        for c, (spec, _) in zip(flex, specs):
            for t, _, _ in spec:
                sums[t.name] = sums.get(t.name, Fraction(0)) + t.values[matching_key(c.decl.name, t.values)]
        out = []
        for c, (spec, _) in zip(flex, specs):
            score = Fraction(0)
            for t, w, arg in spec:
                k = matching_key(c.decl.name, t.values)
                if sums[t.name] == 0:
                    self.fail("E021", f"the values of `{t.name}` for this split sum to zero", arg.span,
                              help=f"give one of these children a value above zero in `{t.name}`, "
                                   f"or weigh this split by another table")
                    return None
                score += w * t.values[k] / sums[t.name]
            out.append(score)
            c.score = score
            c.weights = tuple(Factor(t.name, w, t.values[matching_key(c.decl.name, t.values)], sums[t.name])
                              for t, w, _ in spec)
        memo[key] = (tuple(out), tuple(c.weights for c in flex))
        return out

    def weight_spec(self, c: Scored) -> list | None:
        """The tables of one child's `weight(…)` with their weights normalised to sum to 1."""
        spec = []
        for arg in c.weight.args:
            if arg.table is None and not isinstance(self.ev.model.refs.get(id(arg.value)), Table):
                self.fail("E024", "a weight mixes tables and raw scores", arg.span,
                          help="weigh by tables (`weight(T1: 60%, T2: 40%)`) or by one number (`weight(3)`)")
                return None
            name = arg.table if arg.table is not None else _table_named(arg.value)
            table = self.ev.model.tables.get(name)
            if table is None:
                return None  # reported by the resolver
            w = Fraction(1) if arg.table is None else self.ev.expr(arg.value)
            if w is None:
                return None
            if w < 0:
                self.fail("E013", f"the weight of `{name}` is negative", arg.span,
                          help="factors are zero or more, e.g. `weight(history: 60%, potential: 40%)`")
                return None
            if table.is_2d:
                self.fail("E026", f"`{name}` is a 2-D table; weights need a 1-D table", arg.span,
                          help=f"weigh by a 1-D table (`table T {{ key = value }}`), or use `{name}` "
                               f"as the seed of a `cross`")
                return None
            if matching_key(c.decl.name, table.values) is None:  # `一季度` reads `Q1`
                self.missing(c, name)
                return None
            spec.append((table, w, arg))
        total_w = sum((w for _, w, _ in spec), Fraction(0))
        if total_w == 0:
            self.fail("E021", "the weights sum to zero", c.alloc.span,
                      help="give at least one factor a value above zero")
            return None
        return [(t, w / total_w, a) for t, w, a in spec]

    def missing(self, c: Scored, name: str) -> None:
        self.fail("E012", f"`{c.decl.name}` has no value in table `{name}`", c.decl.name_span,
                  help=_missing_key_help(self.ev.model.tables[name], c.decl.name))


def _table_named(value: ast.Expr) -> str:
    """`weight(history)`: the table a bare weight names (the resolver checked it is one)."""
    assert isinstance(value, ast.Ref)
    return value.parts[0]


def _missing_key_help(table: Table, name: str) -> str:
    """E012's fix: add the key to a table of the plan; a table that comes with planc is not edited."""
    if table.span.source.path.startswith("std/"):
        from planc.semantics.stdlib import missing_key_help  # the error path only

        return missing_key_help(table.name, name, [str(k) for k in table.values])
    return f"add `{name} = …` to `{table.name}`, or give `{name}` a fixed amount"
