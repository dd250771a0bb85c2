"""The evaluation stage: model -> exact, rounded amounts and how each was made.

`engine` orders the work (dependency order, cycles) and evaluates roots and
assertions; `splits` and `crosses` apportion children and cells; `record`
holds what comes out."""

from planc.evaluate.engine import Evaluator, evaluate
from planc.evaluate.record import AssertionResult, Cap, Derivation, Evaluation, Factor, Input, Scope

__all__ = ["AssertionResult", "Cap", "Derivation", "Factor", "Input", "Evaluation", "Evaluator", "Scope", "evaluate"]
