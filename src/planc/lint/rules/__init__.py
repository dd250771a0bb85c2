"""Lint rules: one module per rule, an explicit registry, one entry point.

A rule module holds:

- `CODE` (`W1…`), `NAME` (kebab-case), `SEVERITY` (`warning` by default),
- `OPTIONS`: its thresholds, `{option: (default, kind)}` where kind is
  `percent`, `int`, `bool` or `names` (see `planc.lint.config`),
- a module docstring that *is* its documentation: a summary line, why it
  matters, a bad and a good example (`docs/rules.md` is generated from it),
- `check(ctx)`: yields diagnostics, reading the resolved model and the
  evaluated amounts through a `Context`.

The compiler's own warnings (W001–W003) are registered here too, as
built-in rules with no `check`: they are documented the same way and the
configuration and suppression comments apply to them like to any rule.

Rules are quiet about code that is not in the plan being checked: targets,
splits and tables of imported files (the stdlib, `./shared.plan`) are
checked when those files are checked themselves.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

from planc.diagnostics import Diagnostic
from planc.semantics.concepts import HISTORY_TABLES
from planc.lint.rules import (
    amount_vs_ratio,
    builtin,
    disputed_without_proposal,
    dominant_child,
    existing_customers_only,
    flat_time_split,
    growth,
    missing_owner,
    missing_period,
    negative_growth,
    not_agreed,
    percent_of_sum,
    ratio_as_amount,
    redundant_rest,
    shadowed_name,
    unused_table,
    weeks_without_calendar,
    zero_rest,
)
from planc.lint.rules.context import Context
from planc.lint.rules.rule import Rule

class Settings(Protocol):
    """Which rules run and with which options (`planc.lint.config.Config`)."""

    def enabled(self, rule: Rule) -> bool: ...

    def options_for(self, rule: Rule) -> dict: ...


RULES: dict[str, Rule] = {
    # built-in: emitted by the compiler stages, registered for docs, config and suppression
    "W001": builtin.NOT_MULTIPLE_OF_ROUND,
    "W002": builtin.UNKNOWN_ATTRIBUTE,
    "W003": builtin.UNKNOWN_HEADER_KEY,
    "W030": builtin.EXPECTATION_FAILED,
    "W031": builtin.OVERDUE_ACTION,
    # lint rules: run after evaluation
    "W101": Rule.of(flat_time_split),
    "W102": Rule.of(growth),
    "W103": Rule.of(negative_growth),
    "W104": Rule.of(missing_owner),
    "W105": Rule.of(not_agreed),
    "W106": Rule.of(dominant_child),
    "W107": Rule.of(unused_table),
    "W108": Rule.of(zero_rest),
    "W109": Rule.of(redundant_rest),
    "W110": Rule.of(existing_customers_only),
    "W111": Rule.of(missing_period),
    "W112": Rule.of(shadowed_name),
    "W113": Rule.of(ratio_as_amount),
    "W114": Rule.of(amount_vs_ratio),
    "W115": Rule.of(percent_of_sum),
    "W125": Rule.of(weeks_without_calendar),
    "W130": Rule.of(disputed_without_proposal),
}

BY_NAME: dict[str, Rule] = {r.name: r for r in RULES.values()}

# Options every rule sees (set at the top level of the configuration).
GLOBAL_OPTIONS: dict = {
    # Tables of last year's actuals, keyed by target name: read by W102, W103, W110 (and W107),
    # and by the reports' last-year and growth columns (planc.semantics.concepts).
    "history-tables": (HISTORY_TABLES, "names"),
}


def lookup(code_or_name: str) -> Rule | None:
    """A rule by code (`W102`, any case) or name (`high-growth`)."""
    return RULES.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())


def run(target, config: Settings | None = None) -> list[Diagnostic]:
    """Run every enabled lint rule on a `Compilation` or a `(model, evaluation)`
    pair. Config severities and suppression are applied by `planc.lint`."""
    if isinstance(target, tuple):
        model, evaluation = target
    else:
        model, evaluation = target.model, target.evaluation
    if model is None:
        return []
    out: list[Diagnostic] = []
    shared: dict = {}
    for rule in RULES.values():
        if rule.check is None or (config is not None and not config.enabled(rule)):
            continue
        options = config.options_for(rule) if config is not None else defaults(rule)
        ctx = Context(model, evaluation, rule.code, rule.severity, options, shared)
        out.extend(rule.check(ctx))
    return out


def defaults(rule: Rule) -> dict:
    """A rule's options with their default values, and the global options."""
    out = {name: default for name, (default, _kind) in GLOBAL_OPTIONS.items()}
    out.update({name: default for name, (default, _kind) in rule.options.items()})
    return out


def show_option(value) -> str:
    """An option value as it is written in a config file."""
    if isinstance(value, Fraction):
        pct = value * 100
        return f'"{pct.numerator}%"' if pct.denominator == 1 else f'"{float(pct):g}%"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return str(value)
