"""The report's view of negotiation: counter-proposals, actions and scenarios.

`proposed: AMOUNT` on a target is its owner's counter-proposal: the report
lists each with the gap between assigned and proposed, and the totals.
Actions (`action "…" for TARGET`) are listed by target and on the sheets of
their owners (the action's owner, else the target's). With scenarios, each
one's amount of every target is a column (`build --scenario all`). Every
number is one the plan computed; the gap is the difference of two of them.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from planc.pipeline import Compilation


@attrs.frozen
class Proposal:
    path: str
    owner: str | None
    status: str | None
    assigned: Fraction
    proposed: Fraction

    @property
    def gap(self) -> Fraction:
        """Assigned minus proposed: how far apart the plan and the owner are."""
        return self.assigned - self.proposed


@attrs.frozen
class ActionView:
    text: str
    path: str  # the target's canonical path
    owner: str | None  # the action's owner, else the target's
    due: datetime.date | None
    status: str  # open | done | dropped


@attrs.frozen
class ScenarioColumn:
    name: str  # `base` first
    values: dict  # canonical path -> amount, as that scenario computed it


@attrs.frozen
class Ramping:
    """A new hire: their start date and the capacity their share was weighed by (evaluate/ramp.py)."""

    path: str
    owner: str | None
    start: datetime.date
    capacity: Fraction | None  # None: a fixed amount, not shared by capacity
    amount: Fraction


@attrs.frozen
class Negotiation:
    proposals: tuple[Proposal, ...] = ()
    actions: tuple[ActionView, ...] = ()
    scenarios: tuple[ScenarioColumn, ...] = ()  # empty unless `build --scenario all`
    ramping: tuple[Ramping, ...] = ()

    @property
    def shown(self) -> bool:
        """Whether the reports have a section of it (they include its templates only then)."""
        return bool(self.proposals or self.actions or self.scenarios or self.ramping)

    @property
    def assigned_total(self) -> Fraction:
        return sum((p.assigned for p in self.proposals), Fraction(0))

    @property
    def proposed_total(self) -> Fraction:
        return sum((p.proposed for p in self.proposals), Fraction(0))

    @property
    def gap_total(self) -> Fraction:
        return self.assigned_total - self.proposed_total

    def actions_for(self, path: str) -> tuple[ActionView, ...]:
        return tuple(a for a in self.actions if a.path == path)

    def actions_of(self, owner: str, paths: tuple[str, ...] = ()) -> tuple[ActionView, ...]:
        """An owner's actions: theirs by name, or on one of their targets `paths`."""
        return tuple(a for a in self.actions if a.owner == owner or (a.owner is None and a.path in paths))

    def scenario_values(self, path: str) -> list:
        return [s.values.get(path) for s in self.scenarios]

    def scenario_cells(self, paths: list[str]) -> list:
        """Every scenario's amount of each of `paths` (the scenarios table)."""
        return [v for p in paths for v in self.scenario_values(p) if v is not None]

    def scenario_table(self, paths: list[str]) -> list:
        """Every figure the scenario columns of one split table show (its
        children's amounts and their totals), so the table's unit covers them."""
        cells = [v for p in paths for v in self.scenario_values(p)[1:] if v is not None]
        return cells + self.scenario_totals(paths)[1:]

    def scenario_totals(self, paths: list[str]) -> list[Fraction]:
        """Each scenario's sum of the amounts of `paths` (one split's children)."""
        return [sum((s.values[p] for p in paths if p in s.values), Fraction(0)) for s in self.scenarios]


def gather_negotiation(comp: "Compilation", values: dict, scenarios: bool = False) -> Negotiation:
    """From a compilation without errors: its proposals, its actions, and with
    `scenarios` one column per scenario (`base` first)."""
    from planc.semantics.concepts import target_status

    model = comp.model
    assert model is not None
    attributed = [node for node in model.walk() if getattr(node.decl, "attributes", ())]  # most have none
    proposals = []
    for node in attributed:
        setting = node.attributes.get("proposed")
        if setting is None or node.path not in values or not isinstance(setting.value, Fraction):
            continue
        owner = node.attributes.get("owner")
        proposals.append(Proposal(node.path, str(owner.value) if owner is not None else None,
                                  target_status(node), values[node.path], setting.value))
    actions = []
    for item in model.actions:
        owner = item.owner
        if owner is None and "owner" in item.target.attributes:
            owner = str(item.target.attributes["owner"].value)
        actions.append(ActionView(item.text, item.target.path, owner, item.due, item.status))
    columns: tuple[ScenarioColumn, ...] = ()
    if scenarios and comp.scenarios:
        columns = (ScenarioColumn("base", dict(values)),) + tuple(
            ScenarioColumn(name, dict(s.evaluation.values) if s.evaluation is not None else {})
            for name, s in comp.scenarios.items())
    return Negotiation(tuple(proposals), tuple(actions), columns, tuple(_ramping(comp, values, attributed)))


def _ramping(comp: "Compilation", values: dict, attributed: list) -> list[Ramping]:
    """The new hires among the targets that have attributes (`attributed`, in the plan's order)."""
    evaluation = comp.evaluation
    assert evaluation is not None
    out = []
    for node in attributed:
        start = node.attributes.get("start")
        if start is None or not isinstance(start.value, datetime.date) or node.path not in values:
            continue
        record = evaluation.derivations.get(node.path)
        factor = record.input("ramp") if record is not None else None
        owner = node.attributes.get("owner")
        out.append(Ramping(node.path, str(owner.value) if owner is not None else None, start.value,
                           factor.value if factor is not None else None, values[node.path]))
    return out
