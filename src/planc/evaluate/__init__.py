"""The evaluation stage: model -> exact, rounded amounts and how each was made.

`engine` orders the work (dependency order, cycles) and evaluates roots and
assertions; `splits` and `crosses` apportion children and cells; `record`
holds what comes out."""

from planc.evaluate.engine import Evaluator, evaluate
from planc.evaluate.record import AssertionResult, Derivation, Evaluation, Scope

__all__ = ["AssertionResult", "Derivation", "Evaluation", "Evaluator", "Scope", "evaluate"]
