"""Every scenario of a plan, resolved and evaluated by the same engine as the base.

A scenario's program is the base's with its overrides applied
(`semantics/scenario.apply`); it is resolved and evaluated afresh, so every
amount of a scenario is one the engine computed, checked as fully as the
base. Its diagnostics that the base does not have are reported with the
scenario's name in front (`scenario `stretch`: …`).
"""

from __future__ import annotations

import attrs

from planc.diagnostics import Diagnostic
from planc.evaluate.engine import evaluate
from planc.evaluate.record import Evaluation
from planc.semantics.loader import Program
from planc.semantics.model import Model
from planc.semantics.resolve import resolve
from planc.semantics.scenario import BASE, apply


@attrs.frozen
class ScenarioResult:
    name: str
    model: Model | None  # None when its overrides could not be applied
    evaluation: Evaluation | None
    diagnostics: tuple[Diagnostic, ...]  # the scenario's own, named


def run_scenarios(program: Program, model: Model, base: list[Diagnostic]
                  ) -> tuple[dict[str, ScenarioResult], list[Diagnostic]]:
    """Each scenario of `model`, by name, and the diagnostics only they have."""
    known = {_identity(d) for d in base}
    results: dict[str, ScenarioResult] = {}
    out: list[Diagnostic] = []
    for decl in model.scenarios:
        changed, diags = apply(program, model, decl)
        scenario_model = evaluation = None
        if changed is not None:
            scenario_model, more = resolve(changed)
            diags += more
            evaluation, more = evaluate(scenario_model)
            diags += more
        own = tuple(_named(d, decl.name) for d in diags if _identity(d) not in known)
        results[decl.name] = ScenarioResult(decl.name, scenario_model, evaluation, own)
        out.extend(own)
    return results, out


def _identity(d: Diagnostic) -> tuple:
    return (d.file, d.line, d.column, d.code, d.message)


def _named(d: Diagnostic, name: str) -> Diagnostic:
    prefix = f"scenario `{name}`: "
    return d if d.message.startswith(prefix) else attrs.evolve(d, message=prefix + d.message)


def names(model: Model | None) -> list[str]:
    """`base`, then the plan's scenarios in source order."""
    return [BASE] + [s.name for s in (model.scenarios if model is not None else ())]
