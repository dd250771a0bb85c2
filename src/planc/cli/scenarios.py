"""`--scenario NAME` (eval) and `--scenario A,B` (diff): a compilation seen as one of its scenarios."""

from __future__ import annotations

import sys

import attrs

from planc.pipeline import Compilation


def names(result: Compilation) -> list[str]:
    from planc.evaluate.scenario import names as scenario_names

    return scenario_names(result.model)


def as_scenario(result: Compilation, name: str) -> Compilation | None:
    """The compilation with the amounts of scenario `name` (`base`: itself);
    None, with a message on stderr, when the plan has no such scenario."""
    from planc.semantics.scenario import BASE

    if name == BASE:
        return result
    found = result.scenarios.get(name)
    if found is None:
        known = ", ".join(names(result))
        print(f"planc: error: {result.path} has no scenario `{name}` (it has: {known})", file=sys.stderr)
        return None
    return attrs.evolve(result, model=found.model, evaluation=found.evaluation)
