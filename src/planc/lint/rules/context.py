"""What a rule sees: the model, the amounts, its options, and helpers that
keep every rule to the plan being checked (not its imports)."""

from __future__ import annotations

import functools
import re
from fractions import Fraction
from typing import TYPE_CHECKING, Iterator

import attrs

from planc.syntax import ast
from planc.diagnostics import Diagnostic
from planc.semantics.model import Model, SplitNode, Table, TargetNode, suffix_matches
from planc.source import Source, Span

if TYPE_CHECKING:
    from planc.evaluate import Evaluation


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
        for node in self.model.targets.values():
            if node.decl is not None and self.local(node.decl.span):
                yield node

    def splits(self) -> Iterator[SplitNode]:
        for split in self.model.splits:
            if self.local(split.decl.span):
                yield split

    def statements(self) -> tuple:
        return self.model.modules[0].statements if self.model.modules else ()

    # ---- amounts --------------------------------------------------------------------
    def value(self, node: TargetNode) -> Fraction | None:
        if self.evaluation is None:
            return None
        return self.evaluation.values.get(node.path)

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
        names = tuple(self.options.get("history-tables", ("history",)))
        cached = self.shared.get(("history", names))
        if cached is not None:
            return cached
        out = []
        pairs = None
        for name in names:
            table = self.model.tables.get(name)
            if table is None:
                continue
            if pairs is None:
                pairs = _pairs(self.model)
            for key, amount in table.values.items():
                node = find_target(self.model, key if isinstance(key, tuple) else tuple(key.split(".")), pairs)
                if node is not None and node.decl is not None and self.local(node.decl.span):
                    out.append((table, node, amount))
        self.shared[("history", names)] = out
        return out

    def growth(self):
        """(table, target, last year, this year, change) where both are known and last year > 0."""
        for table, node, before in self.history():
            after = self.value(node)
            if after is not None and before > 0:
                yield table, node, before, after, after / before - 1


def _pairs(model: Model) -> dict[tuple[str, ...], list]:
    """(path, node) for every path and alias, by its last component and by
    its last two (a 2-D key such as `east, Q1` then looks at a few cells,
    not at every cell of a large cross)."""
    out: dict[tuple[str, ...], list] = {}
    for n in model.targets.values():
        for path in (n.path, *n.aliases):
            parts = path.split(".")
            out.setdefault((parts[-1],), []).append((path, n))
            if len(parts) > 1:
                out.setdefault((parts[-2], parts[-1]), []).append((path, n))
    return out


def find_target(model: Model, parts: tuple[str, ...], pairs: dict | None = None) -> TargetNode | None:
    """A table key to a target by the reference rule of language.md §4.3(b):
    the shallowest target whose path ends with the key; None if none or a tie."""
    pairs = _pairs(model) if pairs is None else pairs
    found = suffix_matches(pairs.get(tuple(parts[-2:]), ()), parts)
    return found[0] if len(found) == 1 else None


def synthesized(node: TargetNode) -> bool:
    """A child taken from a table's keys (`split P by D using weight(T)` with
    no block): it has no line of its own to carry attributes."""
    decl = node.decl
    split = node.producer
    return isinstance(decl, ast.Child) and isinstance(split, SplitNode) and not split.decl.has_block


# ---- time ------------------------------------------------------------------------------

TIME_DIMENSIONS = {"quarter", "quarters", "month", "months", "季度", "季", "月", "月份", "月度"}

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LONG = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december")
_TIME_NAME = re.compile(
    r"(?i)(q[1-4]|m(0?[1-9]|1[0-2])|(0?[1-9]|1[0-2])月|第?[一二三四]季度?|[一二三四]季|"
    r"[一二三四五六七八九十]月|十[一二]月|" + "|".join(_MONTHS + _LONG) + r"|sept)"
)


@functools.lru_cache(maxsize=4096)
def is_time_name(name: str) -> bool:
    return _TIME_NAME.fullmatch(name) is not None


def is_time_split(split: SplitNode) -> bool:
    """Split along quarters or months: by its dimension, or by its children's names."""
    if split.dimension.lower() in TIME_DIMENSIONS:
        return True
    return bool(split.children) and all(is_time_name(c.name) for c in split.children)


# ---- customers --------------------------------------------------------------------------

_NEW_WORDS = {"new", "acquisition", "acquired", "newly"}
_EXISTING_WORDS = {"existing", "current", "retained", "retention", "renewal", "renewals", "repeat",
                   "installed", "install", "returning", "old"}
_NEW_CN = ("新客", "新增客户", "新用户", "新开", "新签", "增量", "新户")
_EXISTING_CN = ("老客", "存量", "现有客户", "老用户", "复购", "续约", "老户", "既有客户")
CUSTOMER_DIMENSIONS = {"customer", "customers", "customer_type", "customer_types", "customer_group",
                       "customer_groups", "accounts", "account_type", "clients", "客户", "客户类型",
                       "客户类别", "客群"}


@functools.lru_cache(maxsize=4096)
def customer_kind(name: str) -> str | None:
    """'new', 'existing' or None, from a child's name (`new_customers`, `老客户`, …)."""
    if any(w in name for w in _NEW_CN):
        return "new"
    if any(w in name for w in _EXISTING_CN):
        return "existing"
    words = [w for w in re.split(r"[_\W\d]+", name.lower()) if w]
    if not words:
        return None
    if words[0] in _NEW_WORDS:
        return "new"
    if words[0] in _EXISTING_WORDS:
        return "existing"
    return None


def customer_split(split: SplitNode) -> bool:
    kinds = {customer_kind(c.name) for c in split.children}
    return "existing" in kinds and (
        "new" in kinds or split.dimension.lower() in CUSTOMER_DIMENSIONS)


