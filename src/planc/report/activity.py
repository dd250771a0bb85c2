"""The report's activity targets: each funnel written out, and per member
(a rep) the annual counts and the weekly table (docs/reports.md, Activity
targets). A view-model like `view.py`: exact numbers, no formatting; the
templates `activity.html.j2`, `activity.md.j2` and `owner_activity.md.j2`
render it, in English or Chinese (`WORDS`).
"""

from __future__ import annotations

import datetime
from fractions import Fraction

import attrs

from planc.semantics.calendar import is_calendar_split
from planc.semantics.measures import shown
from planc.semantics.model import FunnelNode, Model, TargetNode
from planc.semantics.time import dates_of


@attrs.frozen
class StepView:
    name: str
    label: str | None
    unit: str  # the measure's label (or name); the currency for money; `%` for a ratio
    expression: str  # as written, with `in MEASURE`


@attrs.frozen
class Week:
    name: str  # W2027_05
    first: datetime.date | None
    last: datetime.date | None
    counts: tuple[Fraction | None, ...]  # one per step


@attrs.frozen
class MemberActivity:
    name: str
    path: str
    owner: str | None
    amount: Fraction  # the member's own target (revenue)
    counts: tuple[Fraction | None, ...]  # one per step: the annual count
    weeks: tuple[Week, ...]  # with `by week` / `by day`; else ()

    @property
    def busiest(self) -> Fraction | None:
        """The largest weekly count of the last step (the one a rep works to)."""
        values = [w.counts[-1] for w in self.weeks if w.counts and w.counts[-1] is not None]
        return max(values) if values else None


@attrs.frozen
class FunnelView:
    name: str
    label: str | None
    dimension: str
    by: str | None
    steps: tuple[StepView, ...]
    members: tuple[MemberActivity, ...]


WORDS: dict[str, tuple[str, str]] = {
    "activity": ("Activity targets", "活动目标"),
    "activity_intro": ("Derived from each {dim}'s revenue target by the funnel below; counts are rounded "
                       "in their measure's mode and the weeks add up exactly to the year.",
                       "由每个{dim}的收入目标按下列漏斗推算；数量按各自度量的取整方式取整，各周之和精确等于全年。"),
    "funnel": ("Funnel {name} for {dim}", "{dim}漏斗：{name}"),
    "col_member": ("{dim}", "{dim}"),
    "col_revenue": ("Revenue", "收入目标"),
    "col_step": ("Step", "环节"),
    "col_rule": ("How", "推算"),
    "col_unit": ("Unit", "单位"),
    "col_week": ("Week", "周"),
    "weekly": ("Weekly activity: {name}", "每周活动：{name}"),
    "per_week": ("{unit} per week, up to {n}", "每周{unit}，最多 {n}"),
    "total": ("Total", "合计"),
    "owner_activity": ("Weekly activity", "每周活动目标"),
}


class ActivityWords:
    """`at("key", …)` in templates."""

    def __init__(self, lang: str) -> None:
        self.index = 1 if lang == "zh" else 0

    def __call__(self, key: str, **fields: object) -> str:
        text = WORDS[key][self.index]
        return text.format(**fields) if fields else text


def unit_label(model: Model, units: dict[str, str], path: str) -> str | None:
    """What a report prints next to a target's amount (semantics/measures.py, `shown`)."""
    return shown(model.measures, units, path)


def build_activity(model: Model, values: dict, units: dict[str, str], derivations: dict) -> tuple[FunnelView, ...]:
    """One view per funnel, its members in the plan's order. A step's rule is
    the evaluator's record of it (its expression), never the plan's text."""
    by_funnel: dict[int, list[FunnelNode]] = {}
    for node in model.funnels:
        by_funnel.setdefault(id(node.decl), []).append(node)
    out = []
    for nodes in by_funnel.values():
        decl = nodes[0].decl
        steps = tuple(_step(model, units, derivations, nodes, step) for step in decl.steps)
        members = tuple(_member(model, values, node) for node in nodes if node.member.path in values)
        out.append(FunnelView(decl.name, decl.label, decl.dimension, decl.by, steps, members))
    return tuple(out)


def _step(model: Model, units: dict[str, str], derivations: dict, nodes: list[FunnelNode], step) -> StepView:
    path = next((t.path for n in nodes for t in n.steps if t.name == step.name and t.path in derivations), None)
    unit = (unit_label(model, units, path) if path else None) or model.header.currency or ""
    text = (derivations[path].expression if path else "") + (f" in {step.measure}" if step.measure else "")
    return StepView(step.name, step.label, unit, text)


def _member(model: Model, values: dict, node: FunnelNode) -> MemberActivity:
    member = node.member
    owner = member.attributes.get("owner")
    counts = tuple(values.get(t.path) for t in node.steps)
    return MemberActivity(member.name, member.path, str(owner.value) if owner is not None else None,
                          values[member.path], counts, _weeks(model, values, node.steps))


def _weeks(model: Model, values: dict, steps: list[TargetNode]) -> tuple[Week, ...]:
    period = model.header.period
    calendars = [next((s for s in t.splits if is_calendar_split(s.decl)), None) for t in steps]
    if not calendars or calendars[0] is None or period is None:
        return ()
    out = []
    for i, child in enumerate(calendars[0].children):
        dates = dates_of(child, period)
        counts = tuple(values.get(c.children[i].path) if c is not None and i < len(c.children) else None
                       for c in calendars)
        out.append(Week(child.name, dates[0] if dates else None, dates[1] if dates else None, counts))
    return tuple(out)


def of_owner(funnels: tuple[FunnelView, ...], owner: str) -> list[tuple[FunnelView, MemberActivity]]:
    """The members an owner owns, with their funnel: what their owner sheet shows."""
    return [(f, m) for f in funnels for m in f.members if m.owner == owner]


def of_target(funnels: tuple[FunnelView, ...], path: str) -> list[tuple[FunnelView, MemberActivity]]:
    """The funnels applied to one target (a rep), with its counts."""
    return [(f, m) for f in funnels for m in f.members if m.path == path]


def is_activity_split(split) -> bool:
    """A funnel step's split over the calendar: shown here, not among the plan's splits."""
    return is_calendar_split(split.decl) and isinstance(split.parent.producer, FunnelNode)
