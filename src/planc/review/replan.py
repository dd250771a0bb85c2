"""`planc replan`: the next version of a plan, its closed periods fixed at their actuals.

For every time split of the main plan (docs/review.md, "Re-planning"):

- each child period that is closed by the as-of date (its last day on or
  before it) and has actuals is fixed at its actual, rounded half up to the
  plan's `round` (so crosses stay on the grid; the closed periods of one
  split by largest remainder, so they add up to their rounded sum):
  `Q1 = 30258000`;
- the open periods share the rest of the parent by the same method: under
  `using METHOD` they keep their own allocation (the method now shares what
  the closed periods left); otherwise each gets `weight(ITS PLANNED AMOUNT)`,
  so the rest is spread in the proportions the plan had for them.

The parent keeps its amount (the year still adds up); a parent that is
itself a closed period is fixed at its actual first, and its children then
share that. A split whose closed periods already took more than the parent
(`rest` below zero), or whose periods are all closed and do not add up to
it, cannot keep the total: E049, and no plan is written. The header gets a
new `version` and the file a comment saying what was re-planned; the text
is laid out by `planc fmt` and compiled again before it is returned.
"""

from __future__ import annotations

import datetime
import decimal
import re
from fractions import Fraction
from pathlib import Path

import attrs

from planc.amounts import format_amount
from planc.diagnostics import Diagnostic, error
from planc.maths.allocate import largest_remainder, round_half_up
from planc.pipeline import Compilation
from planc.semantics import time
from planc.semantics.model import SplitNode, TargetNode
from planc.source import Source
from planc.syntax import ast


@attrs.frozen
class Replan:
    text: str | None  # the new plan, formatted; None when it cannot be made
    diagnostics: list[Diagnostic]
    fixed: tuple[str, ...] = ()  # paths fixed at their actuals


def replan(result: Compilation, actuals: dict[str, Fraction], as_of: datetime.date,
           version: str | None = None) -> Replan:
    """The new plan's text, not yet laid out: `planc fmt` lays it out (a
    later stage; see cli/replan.py) and `verify` compiles it again."""
    model, evaluation = result.model, result.evaluation
    if model is None or evaluation is None or not model.modules:
        return Replan(None, [])
    main = model.modules[0]
    period = model.header.period or time.calendar_year(as_of)
    edits: list[tuple[int, int, str]] = []
    fixed: dict[str, Fraction] = {}
    diags: list[Diagnostic] = []
    unit = model.header.round or Fraction(1)
    for split in _time_splits_top_down(model, main.source):
        diags += _replan_split(split, actuals, as_of, period, evaluation.values, fixed, edits, unit)
    if diags:
        return Replan(None, diags)
    if not fixed:
        return Replan(None, [error("E049", f"nothing to re-plan as of {as_of}: no period of a time split is "
                                           "closed and has actuals", path=main.source.path,
                                   help="re-plan after a month (or quarter) has closed and its actuals are in")])
    names = [model.targets[p].name for p in fixed]
    edits += _header(main, version, as_of)
    text = _apply(main.source.text, edits)
    comment = (f"# Re-planned by planc replan as of {as_of}: {', '.join(names)} fixed at their actuals; "
               "the rest of each total re-spread over its open periods by the same method.\n")
    return Replan(comment + text, [], tuple(fixed))


def verify(old: Compilation, text: str, path: str, directory: Path | None) -> list[Diagnostic]:
    """The new plan's errors, if any — and E049 for a root whose total moved."""
    from planc.pipeline import compile_text

    check = compile_text(text, path, directory)
    errors = [d for d in check.diagnostics if d.is_error]
    if errors or check.evaluation is None or old.evaluation is None or old.model is None:
        return errors
    before, after = old.evaluation.values, check.evaluation.values
    return [error("E049", f"re-plan changed the total of `{root.path}`: {format_amount(before[root.path])} "
                          f"became {format_amount(after.get(root.path, Fraction(0)))}", path=path)
            for root in old.model.roots if root.path in before and after.get(root.path) != before[root.path]]


def _time_splits_top_down(model, source: Source) -> list[SplitNode]:
    """Time splits of the main file, parents before children."""
    order = {id(node): i for i, node in enumerate(model.walk())}
    splits = [s for s in model.splits if s.decl.span.source is source and time.is_time_split(s)]
    return sorted(splits, key=lambda s: order.get(id(s.parent), 0))


def _replan_split(split: SplitNode, actuals: dict[str, Fraction], as_of: datetime.date, period,
                  values: dict[str, Fraction], fixed: dict[str, Fraction], edits: list, unit: Fraction
                  ) -> list[Diagnostic]:
    children = [c for c in split.children if isinstance(c.decl, ast.Child)]
    closed = [c for c in children if time.coverage(c, period)[1] <= as_of and c.path in actuals]
    if not closed:
        return []
    parent = split.parent
    total = fixed.get(parent.path, values.get(parent.path))
    if total is None:
        return []
    opened = [c for c in children if c not in closed]
    # the closed periods' actuals on the plan's grid, adding up to their rounded sum
    exact = [actuals[c.path] for c in closed]
    amounts = largest_remainder(round_half_up(sum(exact, Fraction(0)), unit), exact, unit) \
        if any(exact) else exact
    rest = total - sum(amounts, Fraction(0))
    if rest < 0 or (not opened and rest != 0):
        why = (f"its closed periods ({', '.join(c.name for c in closed)}) already have actuals of "
               f"{format_amount(total - rest)}, above {format_amount(total)}" if rest < 0 else
               f"all its periods are closed and their actuals add up to {format_amount(total - rest)}, "
               f"not {format_amount(total)}")
        return [error("E049", f"re-plan as of {as_of} cannot keep `{parent.path}`: {why}", split.decl.span,
                      label="the rest would be " + format_amount(rest),
                      help=f"change `{parent.name}` itself (a new plan), or re-plan it by hand")]
    for child, amount in zip(closed, amounts):
        fixed[child.path] = amount
        edits.append(_set_alloc(child, _literal(amount)))
    if split.decl.method is None:
        for child in opened:
            edits.append(_set_alloc(child, f"weight({_literal(values.get(child.path, Fraction(0)))})"))
    return []


def _set_alloc(child: TargetNode, text: str) -> tuple[int, int, str]:
    decl = child.decl
    assert isinstance(decl, ast.Child)
    if decl.alloc is not None:
        return decl.alloc.span.start, decl.alloc.span.end, text
    return decl.name_span.end, decl.name_span.end, f" = {text}"


def _literal(value: Fraction) -> str:
    """An exact plan literal: a whole number, or a decimal with as many places as it needs."""
    if value.denominator == 1:
        return str(value.numerator)
    with decimal.localcontext(decimal.Context(prec=80)):
        exact = decimal.Decimal(value.numerator) / decimal.Decimal(value.denominator)
    text = format(exact, "f")
    if Fraction(text) != value:  # not a finite decimal (a share of a third): keep the nearest cent
        text = format(round(exact, 2), "f")
    return text


def _header(module: ast.Module, version: str | None, as_of: datetime.date) -> list[tuple[int, int, str]]:
    header = next((s for s in module.statements if isinstance(s, ast.PlanHeader)), None)
    if header is None:
        return []
    old = next((s for s in header.settings if s.key == "version"), None)
    new = version or _next_version(str(old.value) if old is not None else None, as_of)
    setting = f"version: {_quote(new)}"
    if old is not None:
        text = module.source.text
        end = text.find(old.text, old.key_span.end)  # the value as written, after `version:`
        end = end + len(old.text) if end >= 0 else old.span.end
        return [(old.key_span.start, end, setting)]
    end = header.span.end - 1  # the closing brace
    last = max((s.span.end for s in header.settings), default=None)
    return [(end, end, f"; {setting} ")] if last is not None else [(end, end, f" {setting} ")]


def _next_version(old: str | None, as_of: datetime.date) -> str:
    found = re.match(r"v(\d+)\b", old or "")
    head = f"v{int(found.group(1)) + 1} — " if found else ""
    return f"{head}re-planned as of {as_of}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text
