"""What a rule sees: the model, the amounts, its options, and helpers that
keep every rule to the plan being checked (not its imports)."""

from __future__ import annotations

from fractions import Fraction
from operator import attrgetter
from typing import TYPE_CHECKING, Iterable, Iterator

import attrs

from planc.syntax import ast, bare
from planc.diagnostics import Diagnostic
from planc.semantics.concepts import HISTORY_TABLES, history_entries
from planc.semantics.model import Model, SplitNode, Table, TargetNode
from planc.source import Source, Span

if TYPE_CHECKING:
    from planc.evaluate import Evaluation


_path = attrgetter("path")


@attrs.define
class Context:
    model: Model
    evaluation: "Evaluation | None"
    code: str
    severity: str
    options: dict
    shared: dict = attrs.Factory(dict)  # one per run: work the rules share (history lookups)

    # ---- reporting ----------------------------------------------------------------
    def report(self, message: str, span: Span | None, help: str | None = None,
               label: str | None = None) -> Diagnostic:
        return Diagnostic(self.code, self.severity, message, span, label=label, help=help,
                          path=None if span is not None else self.main_path)

    # ---- the plan being checked -----------------------------------------------------
    @property
    def main(self) -> Source | None:
        return self.model.modules[0].source if self.model.modules else None

    @property
    def main_path(self) -> str | None:
        return self.main.path if self.main is not None else None

    def local(self, span: Span | None) -> bool:
        main = self.main
        return span is not None and (main is None or span.source is main)

    def targets(self) -> Iterator[TargetNode]:
        """Targets declared in the checked file (not cross cells, not imports)."""
        found = self.shared.get("targets")
        if found is None:  # once per run: most rules look at them all
            main = self.main  # (`local`, with the main file looked up once, not per target)
            found = self.shared["targets"] = [  # (`source_of`: a bare child's span is made when read)
                node for node in self.model.targets.values()
                if node.decl is not None and (main is None or bare.source_of(node.decl) is main)]
        return iter(found)

    def written(self) -> Iterator[TargetNode]:
        """`targets` whose declaration writes more than a name (`model.writes`):
        the others, most of a large plan's targets, have no expression or setting."""
        found = self.shared.get("written")
        if found is None:
            main = self.main
            found = self.shared["written"] = [
                node for node in self.model.written if main is None or node.decl.span.source is main]  # type: ignore[union-attr]
        return iter(found)

    def splits(self) -> Iterator[SplitNode]:
        found = self.shared.get("splits")
        if found is None:
            main = self.main
            found = self.shared["splits"] = [split for split in self.model.splits
                                             if main is None or split.decl.span.source is main]
        return iter(found)

    def statements(self) -> tuple:
        return self.model.modules[0].statements if self.model.modules else ()

    # ---- amounts --------------------------------------------------------------------
    def value(self, node: TargetNode) -> Fraction | None:
        if self.evaluation is None:
            return None
        return self.evaluation.values.get(node.path)

    def values(self, nodes: Iterable[TargetNode]) -> list[Fraction | None]:
        """`value` of each node (a split's children: a million in a large plan)."""
        if self.evaluation is None:
            return [None for _ in nodes]
        return list(map(self.evaluation.values.get, map(_path, nodes)))

    def children_values(self, split: SplitNode) -> list[Fraction | None]:
        """`values` of `split`'s children, in order (`Evaluation.children_values`: a
        plain split's own list); not to be changed."""
        if self.evaluation is None:
            return [None] * len(split.children)
        return self.evaluation.children_values(split)

    def exact(self, node: TargetNode) -> Fraction | None:
        """Before rounding, when known (equal shares stay equal)."""
        if self.evaluation is None:
            return None
        d = self.evaluation.derivations.get(node.path)
        return d.exact if d is not None else self.evaluation.values.get(node.path)

    # ---- history --------------------------------------------------------------------
    def history(self) -> list[tuple[Table, TargetNode, Fraction]]:
        """(table, target, last year's amount) for every key of the history tables
        (option `history-tables`) that names exactly one target of this plan."""
        names = tuple(self.options.get("history-tables", HISTORY_TABLES))
        cached = self.shared.get(("history", names))
        if cached is None:
            cached = self.shared[("history", names)] = [
                (table, node, amount) for table, node, amount in history_entries(self.model, names, declared=True)
                if node.decl is not None and self.local(node.decl.span)]
        return cached

    def growth(self):
        """(table, target, last year, this year, change) where both are known and last year > 0."""
        for table, node, before in self.history():
            after = self.value(node)
            if after is not None and before > 0:
                yield table, node, before, after, after / before - 1


def synthesized(node: TargetNode) -> bool:
    """A child taken from a table's keys (`split P by D using weight(T)` with
    no block): it has no line of its own to carry attributes."""
    decl = node.decl
    split = node.producer
    return isinstance(decl, ast.Child) and isinstance(split, SplitNode) and not split.decl.has_block
