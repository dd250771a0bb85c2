"""Funnels: activity targets derived from every target along a dimension.

One home for the concept (docs/language.md, Funnels). A funnel is declared
once and applied to each *member* of its dimension — every child of every
split by that dimension:

    funnel 销售漏斗 for rep {
      deals     = self / deal_size(region) in deals
      proposals = deals / win_rate(rep)    in proposals
      visits    = proposals / 40%          in visits
    }

gives `张伟.deals`, `张伟.proposals`, `张伟.visits` for a rep `张伟`: targets
like any other (references, assertions, further splits), each produced by
the member's `FunnelNode`. In a step, `self` is the member, a bare step name
an earlier step of the same member, and `T(DIM)` the value of table `T` at
the member's own name along `DIM` (the member, or the ancestor that is a
child of a split by `DIM`). Everything else is an ordinary reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Protocol

from planc.diagnostics import Diagnostic, Label, error
from planc.semantics.model import FunnelNode, SplitNode, Table, TargetNode
from planc.syntax import ast

if TYPE_CHECKING:
    from planc.semantics.measures import Measure

SELF = "self"


class Resolver(Protocol):
    """What attaching funnels needs of the resolver."""

    diags: list[Diagnostic]
    tables: dict[str, Table]
    used_tables: set[str]
    refs: dict

    def add_target(self, node: TargetNode) -> bool: ...

    def resolve_ref(self, ref: ast.Ref, scope: TargetNode | None) -> None: ...

    def maybe_unparsed(self, *names: str | None) -> bool: ...

    def calendar_split(self, decl: ast.Funnel, step: TargetNode) -> SplitNode | None: ...

    def lookup(self, parts: tuple[str, ...], scope: TargetNode | None) -> list[TargetNode]: ...

    def ambiguous(self, ref: ast.Ref, found: list[TargetNode]) -> None: ...

    def undefined(self, ref: ast.Ref, what: str) -> None: ...


def attach(r: Resolver, decls: list[ast.Funnel], splits: list[SplitNode],
           measures: dict[str, Measure]) -> list[FunnelNode]:
    """A FunnelNode per funnel and member, its steps added as targets; the
    steps' references resolved. With `by week` / `by day`, each step is split
    over the calendar too (the new splits join `splits`). Problems: E053 (no
    such dimension), E056 (a step misused), E050 (`in` an unknown measure),
    E057 (`by` something that is not a week or a day)."""
    dims = {s.dimension for s in splits}
    out: list[FunnelNode] = []
    for decl in decls:
        steps_ok = _check_steps(r, decl, measures)
        if decl.dimension not in dims:
            if not r.maybe_unparsed(decl.dimension):
                from planc.diagnostics.suggest import did_you_mean  # the error path only

                r.diags.append(error(
                    "E053", f"funnel `{decl.name}` is for `{decl.dimension}`, but no target is split by it",
                    decl.dimension_span, label="no split has this dimension",
                    help=did_you_mean(decl.dimension, sorted(dims)) or
                    ("dimensions split by: " + ", ".join(f"`{d}`" for d in sorted(dims)) if dims else
                     "split a target by it first, e.g. `split east by rep { … }`")))
            continue
        if not steps_ok:
            continue
        within = _within(r, decl)
        if within is False:
            continue
        members = [member for split in splits if split.dimension == decl.dimension and _under(split.parent, within)
                   for member in split.children]
        if not members and decl.of is not None:
            r.diags.append(error("E053", f"funnel `{decl.name}` is for `{decl.dimension}` of `{decl.of.dotted}`, "
                                 f"but nothing under `{decl.of.dotted}` is split by it", decl.of.span,
                                 label=f"not split by `{decl.dimension}`",
                                 help=f"name a target that is split by `{decl.dimension}`, or one above it"))
            continue
        calendar_ok = _check_by(r, decl)
        for member in members:
            node = _apply(r, decl, member)
            out.append(node)
            if decl.by is not None and calendar_ok:
                for step in node.steps:
                    split = r.calendar_split(decl, step)
                    if split is not None:
                        splits.append(split)
        _resolve(r, decl)
    return out


def _within(r: Resolver, decl: ast.Funnel):
    """The target of `for DIM of TARGET` (None: the whole plan; False: not found, reported)."""
    if decl.of is None:
        return None
    found = r.lookup(decl.of.parts, None)
    if len(found) == 1:
        r.refs[id(decl.of)] = found[0]
        return found[0]
    if found:
        r.ambiguous(decl.of, found)
    else:
        r.undefined(decl.of, "funnel target")
    return False


def _under(node: TargetNode | None, top: TargetNode | None) -> bool:
    """`node` is `top` or below it (always, when there is no `top`)."""
    if top is None:
        return True
    while node is not None:
        if node is top:
            return True
        node = node.parent
    return False


def _check_by(r: Resolver, decl: ast.Funnel) -> bool:
    import planc.semantics.calendar as calendar

    if decl.by is None or decl.by.lower() in calendar.WEEK_DIMENSIONS | calendar.DAY_DIMENSIONS:
        return True
    assert decl.by_span is not None  # set with `by`
    r.diags.append(error("E057", f"a funnel is split over the calendar by week or by day, not by `{decl.by}`",
                         decl.by_span, help="write `by week` (ISO weeks) or `by day`, or leave `by` out"))
    return False


def _apply(r: Resolver, decl: ast.Funnel, member: TargetNode) -> FunnelNode:
    node = FunnelNode(decl, member)
    for step in decl.steps:
        target = TargetNode(step.name, f"{member.path}.{step.name}", step, member, node,
                            aliases=tuple([f"{a}.{step.name}" for a in member.aliases]) if member.aliases else ())
        if r.add_target(target):
            node.steps.append(target)
            member.add_derived(target)
    return node


def _check_steps(r: Resolver, decl: ast.Funnel, measures: dict[str, Measure]) -> bool:
    """Steps named once, referring only to earlier steps; `in` a declared measure."""
    ok = True
    seen: dict[str, ast.FunnelStep] = {}
    later = {s.name for s in decl.steps}
    if not decl.steps:
        r.diags.append(error("E056", f"funnel `{decl.name}` has no steps", decl.span,
                             help="write one step a line: `deals = self / 150k in deals`"))
        return False
    for step in decl.steps:
        if step.name in seen or step.name == SELF:
            r.diags.append(error("E056", f"funnel step `{step.name}` is " +
                                 ("declared twice" if step.name in seen else "a reserved name"),
                                 step.name_span, related=(Label(seen[step.name].name_span, "first declared here"),)
                                 if step.name in seen else (),
                                 help="give each step its own name" if step.name in seen
                                 else "`self` means the member the funnel is applied to"))
            ok = False
        later.discard(step.name)
        for sub in ast.walk_expr(step.value):
            if isinstance(sub, ast.Ref) and len(sub.parts) == 1 and sub.parts[0] in later:
                r.diags.append(error(
                    "E056", f"step `{step.name}` refers to the later step `{sub.parts[0]}`", sub.span,
                    label="not computed yet",
                    help="a funnel runs top to bottom: a step may use `self` and the steps above it"))
                ok = False
        if step.measure is not None and step.measure not in measures and not r.maybe_unparsed(step.measure):
            assert step.measure_span is not None  # set with the measure
            r.diags.append(error("E050", f"unknown measure `{step.measure}`", step.measure_span,
                                 label="no measure of this name",
                                 help=f"declare it: `measure {step.measure} {{ round: 1; rounding: up }}`"))
            ok = False
        seen[step.name] = step
    return ok


def _resolve(r: Resolver, decl: ast.Funnel) -> None:
    """References other than `self` and the steps are ordinary ones; each
    `T(DIM)` names a 1-D table (E056)."""
    steps = {s.name for s in decl.steps}
    for step in decl.steps:
        for sub in ast.walk_expr(step.value):
            if isinstance(sub, ast.Ref) and id(sub) not in r.refs:
                if len(sub.parts) == 1 and (sub.parts[0] == SELF or sub.parts[0] in steps):
                    continue
                r.resolve_ref(sub, None)
            elif isinstance(sub, ast.Lookup):
                table = r.tables.get(sub.table)
                if table is None:
                    if not r.maybe_unparsed(sub.table):
                        r.diags.append(error("E056", f"`{sub.table}` is not a table", sub.table_span,
                                             help=f"`{sub.table}({sub.dimension})` looks a value up in a table"))
                elif table.is_2d:
                    r.diags.append(error("E056", f"`{sub.table}` is a 2-D table; `{sub.table}({sub.dimension})` "
                                         "needs a 1-D table", sub.table_span))
                else:
                    r.used_tables.add(sub.table)


def misplaced_lookups(lookups: Iterable[ast.Lookup], diags: list[Diagnostic]) -> None:
    """`T(DIM)` outside a funnel has no member to look up (E056): `lookups` are those."""
    for sub in lookups:
        diags.append(error("E056", f"`{sub.table}({sub.dimension})` is only meaningful in a funnel step",
                           sub.span, help=f"pick one value, e.g. `{sub.table}.KEY`"))


def member_key(member: TargetNode, dimension: str) -> str | None:
    """The member's own name along `dimension`: the member or the ancestor
    that is a child of a split by it (`region` of a rep: its region)."""
    node: TargetNode | None = member
    while node is not None:
        producer = node.producer
        if isinstance(producer, SplitNode) and producer.dimension == dimension:
            return node.name
        node = node.parent
    return None
