"""Units through evaluation: which measure each target counts in, and the
grid and rounding mode its amount and its children's amounts take.

The engine asks here before it computes a root, a split or a cross: a
target's unit follows from its expression (`semantics/measures.py`) and
passes to its children and cells; the engine's `unit` and `mode` are set to
that unit's grid (a measure's `round` and `rounding`, else the plan's
`round`), so `splits` and `crosses` apportion on it unchanged.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

import planc.semantics.measures as m
from planc.diagnostics import Diagnostic, Label, error
from planc.evaluate.record import Evaluation
from planc.semantics.model import Model, SplitNode, Table, TargetNode
from planc.syntax import ast


class Evaluator(Protocol):
    """What this module needs of the engine (which imports it)."""

    model: Model
    result: Evaluation
    diags: list[Diagnostic]
    unit: Fraction
    mode: str


def unit_of(ev: Evaluator, node: TargetNode) -> str:
    """A computed target's unit (money unless recorded otherwise)."""
    return ev.result.units.get(node.path, m.MONEY)


def ref_unit(ev: Evaluator, ref: ast.Ref) -> m.Unit:
    target = ev.model.refs.get(id(ref))
    if isinstance(target, TargetNode):
        return unit_of(ev, target) if target.path in ev.result.values else m.BROKEN
    if isinstance(target, Fraction):  # a table value
        table = ev.model.tables.get(ref.parts[0])
        if isinstance(table, Table):
            key = ref.parts[1] if len(ref.parts) == 2 and not table.is_2d else tuple(ref.parts[1:])
            return table.units.get(key)
        return None
    return m.BROKEN


def typer(ev: Evaluator) -> m.Typer:
    return m.Typer(lambda ref: ref_unit(ev, ref), ev.diags)


def grid_of(model, unit: str | None):
    """The rounding grid and mode of amounts in `unit` (money when None)."""
    measure = model.measures.get(unit) if unit is not None else None
    if measure is not None:
        return measure.grid, measure.mode
    if unit == m.RATIO:
        return m.RATIO_GRID, "nearest"
    return model.header.round, "nearest"


def use_grid(ev: Evaluator, unit: str) -> None:
    """Set the engine's grid and mode to those of `unit`."""
    ev.unit, ev.mode = grid_of(ev.model, unit)


def record(ev: Evaluator, node: TargetNode, unit: str) -> None:
    if unit != m.MONEY:
        ev.result.units[node.path] = unit


def root_unit(ev: Evaluator, node: TargetNode, expr) -> str | None:
    """A root's unit, from its expression; None after E051."""
    unit = m.final(typer(ev).unit(expr))
    if unit is not None:
        record(ev, node, unit)
        use_grid(ev, unit)
    return unit


def enter_split(ev: Evaluator, split: SplitNode) -> bool:
    """Before a split: its children take the parent's unit, and each child's
    own amount and caps must be in it (E051). A ratio is not split (E031).
    False when the split must not be computed."""
    parent = split.parent
    unit = unit_of(ev, parent) if not split.bottom_up else None
    if unit == m.RATIO:
        ev.diags.append(error("E031", f"`{parent.name}` is a ratio and cannot be split", split.decl.parent.span,
                              label="a ratio, not an amount",
                              help="split the amount the ratio is of, or make the target an amount"))
        return False
    t = typer(ev)
    ok = True
    child_units: set[str] = set()
    for child in split.written_children():  # (most children of a large plan: nothing of their own)
        decl = child.decl
        assert isinstance(decl, ast.Child)
        if decl.alloc is None and decl.min is None and decl.max is None:
            continue
        for part in (decl.alloc, decl.min, decl.max):
            if part is None or isinstance(part, (ast.Rest, ast.Even, ast.Weight, ast.Percent)):
                continue
            got = t.unit(part)
            if got in (None, m.BROKEN, m.RATIO):
                continue
            if unit is None:
                child_units.add(got)
                if len(child_units) > 1:
                    ok = False
                    t.mixed("add", sorted(child_units - {got})[0], got, part, part, part)
                continue
            if got != unit:
                ok = False
                ev.diags.append(error(
                    "E051", f"`{decl.name}` is {m.words(got)} but `{parent.name}` is {m.words(unit)}", part.span,
                    related=(Label(parent.span, f"this is {m.words(unit)}"),) if parent.span else (),
                    help=f"a split's children are in their parent's unit; write `{decl.name}` in {m.words(unit)}"))
    if unit is None:  # `sum`: the children give the unit
        unit = next(iter(child_units), m.MONEY)
        record(ev, parent, unit)
    if unit != m.MONEY:  # (what `record` keeps: the units of targets not in money)
        for child in split.children:
            record(ev, child, unit)
    use_grid(ev, unit)
    return ok


def enter_cross(ev: Evaluator, parent: TargetNode, cells) -> None:
    unit = unit_of(ev, parent)
    if unit != m.MONEY:  # (`record` keeps only units not in money: a money cross skips its cells)
        for cell in cells:
            record(ev, cell, unit)
    use_grid(ev, unit)


def assertion(ev: Evaluator, decl: ast.Assert) -> None:
    """Both sides of an assertion in one unit (E051)."""
    t = typer(ev)
    t.same(t.unit(decl.left), t.unit(decl.right), decl, decl.left, decl.right, "compare")
