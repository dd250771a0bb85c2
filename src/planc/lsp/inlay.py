"""Inlay hints: the amounts the plan computed, where you write them.

After every child whose amount is computed (`rest`, `even`, `weight`, a
percentage, a cap that binds) and for every cross cell, the rounded amount
and its exact share of what its split or cross shared out, both from the
evaluator's record: `← 28,400,000 · 23.7%`. A child given as a fixed amount
gets none (its amount is what is written). Cross cells are shown after the
`cross` statement, `east×Q1 ← 7,000,000 · 25.0%`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from planc.evaluate.explain import PLAIN
from planc.syntax import ast

if TYPE_CHECKING:
    from planc.evaluate.record import Derivation
    from planc.lsp.documents import Document

COMPUTED = frozenset({"rest", "even", "weight", "share", "cell"})


def label(d: Derivation) -> str:
    share = f" · {PLAIN.percent(d.share)}" if d.share is not None else ""
    return f"← {PLAIN.amount(d.rounded)}{share}"


def shown(d: Derivation) -> bool:
    return d.method in COMPUTED or d.capped is not None


def inlay_hints(doc: Document, wanted: lsp.Range) -> list[lsp.InlayHint]:
    result = doc.good
    if result is None or result.model is None or result.evaluation is None:
        return []
    derivations = result.evaluation.derivations
    first, last = wanted.start.line, wanted.end.line
    hints: list[lsp.InlayHint] = []
    for node in result.model.targets.values():
        decl = node.decl
        if not isinstance(decl, ast.Child) or decl.span.source.path != doc.path:
            continue
        d = derivations.get(node.path)
        if d is not None and shown(d):
            hints += _hint(doc, decl.span.end, label(d), first, last, node.path, d)
    for cross in result.model.crosses:
        span = cross.decl.span
        if span.source.path != doc.path:
            continue
        for (row, col), cell in cross.cells.items():
            d = derivations.get(cell.path)
            if d is not None:
                hints += _hint(doc, span.end, f"{row}×{col} {label(d)}", first, last, cell.path, d)
    return hints


def _hint(doc: Document, offset: int, text: str, first: int, last: int, path: str,
          d: Derivation) -> list[lsp.InlayHint]:
    where = doc.good_range(offset, offset)
    if where is None or not first <= where.start.line <= last:
        return []
    return [lsp.InlayHint(position=where.start, label=text, kind=lsp.InlayHintKind.Parameter,
                          padding_left=True, tooltip=f"{path}: {d.method}")]
