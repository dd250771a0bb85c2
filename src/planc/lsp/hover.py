"""Hover: what the name under the cursor is and how its amount was made.

Every amount and share shown is the evaluator's record (`Derivation`,
rendered by `evaluate/explain.py`); nothing here computes an amount again.
Targets, tables (`table` and `data`), table values, assertions (both sides'
values), crosses (their cells) and imports each have a description.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from planc.semantics.measures import shown
from planc.amounts import format_amount, format_percent
from planc.evaluate.explain import PLAIN, explain, explain_lines
from planc.semantics import time
from planc.semantics.concepts import last_year
from planc.semantics.model import TargetNode
from planc.syntax import ast

if TYPE_CHECKING:
    from planc.lsp.documents import Document
    from planc.lsp.index import Key, Occurrence
    from planc.pipeline import Compilation

MAX_ROWS = 12


def md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|~])", r"\\\1", text)


def code(text: str) -> str:
    return f"`{text}`" if "`" not in text else f"`` {text} ``"


def hover(doc: Document, position: lsp.Position) -> lsp.Hover | None:
    found = occurrence_at(doc, position)
    if found is None or doc.good is None:
        return None
    text = describe(doc.good, found.key, found, doc.index.cache if doc.index else None)
    where = doc.good_range(found.span.start, found.span.end)
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text), where) if text else None


def occurrence_at(doc: Document, position: lsp.Position) -> Occurrence | None:
    index = doc.index
    offset = doc.good_offset(position)
    if index is None or offset is None:
        return None
    return index.at(doc.path, offset)


def describe(result: Compilation, key: Key, found: Occurrence | None = None, cache: dict | None = None) -> str | None:
    model = result.model
    if model is None:
        return None
    kind = key[0]
    if kind == "target":
        node = model.targets.get(key[1])
        return describe_target(result, node, cache) if node is not None else None
    if kind == "table":
        return describe_table(result, key[1])
    if kind == "value":
        return describe_value(result, key[1], key[2])
    if kind == "assert":
        return describe_assert(result, key[1])
    if kind == "cross":
        return describe_cross(result, key[1])
    if kind in ("import", "data"):
        return f"{'imports' if kind == 'import' else 'data from'} `{key[1]}`"
    return None


def amount_of(result: Compilation, path: str) -> str:
    ev = result.evaluation
    value = ev.values.get(path) if ev else None
    if value is None or result.model is None or ev is None:
        return "not evaluated"
    unit = shown(result.model.measures, ev.units, path)  # a count's measure or `%`, not the currency
    return f"{format_amount(value)} {unit or result.model.header.currency or ''}".rstrip()


def describe_target(result: Compilation, node: TargetNode, cache: dict | None = None) -> str:
    assert result.model is not None
    ev = result.evaluation
    head = f"**{md(node.path)}**" + (f" — {md(node.label)}" if node.label else "")
    value = ev.values.get(node.path) if ev else None
    if value is None:
        return f"{head}\n\nnot evaluated (see the plan's errors)"
    facts: list[str] = []
    how = ev.derivations.get(node.path) if ev else None
    if how is not None:  # the evaluator's record of how the amount was made, in full
        facts += explain_lines(how, code=code)
    facts += concept_facts(result, node, value, cache)
    settings = sorted(node.attributes.values(), key=lambda s: (s.key != "owner", s.key != "status"))
    facts += [f"{s.key}: {md(str(s.value) if s.kind in ('string', 'name') else s.text)}" for s in settings]
    if node.aliases:
        facts.append("also: " + ", ".join(md(a) for a in node.aliases))
    body = "\n".join(f"- {f}" for f in facts)
    return "\n\n".join([head, f"**{amount_of(result, node.path)}**"] + ([body] if facts else []))


def concept_facts(result: Compilation, node: TargetNode, value: Fraction, cache: dict | None = None) -> list[str]:
    """What the plan concepts say of a target: the dates it covers, last year's figure
    (last year's figures are found once per compilation when a `cache` is given)."""
    assert result.model is not None
    facts = []
    period = result.model.header.period
    if period is not None and time.time_coordinates(node, period):
        first, last = time.coverage(node, period)
        facts.append(f"covers {first.isoformat()} – {last.isoformat()}")
    history = cache.get("last_year") if cache is not None else None
    if history is None:
        history = last_year(result.model, result.history_tables)
        if cache is not None:
            cache["last_year"] = history
    before = history.get(node.path)
    if before is not None:
        growth = f" ({'+' if value > before else ''}{format_percent(value / before - 1)})" if before > 0 else ""
        facts.append(f"last year: {format_amount(before)}{growth}")
    return facts


def table_rows(values: dict) -> list[tuple[str, Fraction]]:
    return [(k if isinstance(k, str) else ".".join(k), v) for k, v in values.items()]


def describe_table(result: Compilation, name: str) -> str | None:
    assert result.model is not None
    table = result.model.tables.get(name)
    if table is None:
        return None
    data = next((d.decl for d in result.program.data if d.decl.name == name), None)
    rows = table_rows(table.values)
    where = f" from `{data.path}`" if data is not None else ""
    kind = "data" if data is not None else "table"
    dims = f" by {' × '.join(table.dims)}" if table.dims else ""
    lines = "\n".join(f"- {md(k)}: {format_amount(v)}" for k, v in rows[:MAX_ROWS])
    more = f"\n- … {len(rows) - MAX_ROWS} more" if len(rows) > MAX_ROWS else ""
    used = "" if name in result.model.used_tables else "\n\nnot used by any split or expression"
    return f"{kind} **{md(name)}**{dims}{where} ({len(rows)} values)\n\n{lines}{more}{used}"


def describe_value(result: Compilation, table: str, key: str) -> str | None:
    assert result.model is not None
    found = result.model.tables.get(table)
    if found is None:
        return None
    values = dict(table_rows(found.values))
    if key not in values:
        return None
    return f"**{md(table)}.{md(key)}** = **{format_amount(values[key])}** (a value of table `{table}`)"


def assertion(result: Compilation, n: int):
    """The n-th assertion's result, matched by its statement."""
    decls = [s for m in result.program.modules for s in m.statements if isinstance(s, ast.Assert)]
    if n >= len(decls) or result.evaluation is None:
        return None, None
    decl = decls[n]
    return decl, next((a for a in result.evaluation.assertions if a.decl is decl), None)


def describe_assert(result: Compilation, n: int) -> str | None:
    decl, outcome = assertion(result, n)
    if decl is None:
        return None
    left, right = decl.left.span.text, decl.right.span.text
    head = f"assert `{left} {decl.op} {right}`" + (f" — {md(decl.message)}" if decl.message else "")
    if outcome is None or outcome.passed is None:
        return f"{head}\n\nnot evaluated (see the plan's errors)"
    verdict = "holds" if outcome.passed else "**fails**"
    lhs = format_amount(outcome.left) if outcome.left is not None else "—"
    rhs = format_amount(outcome.right) if outcome.right is not None else "—"
    return f"{head}\n\n{verdict}: {lhs} {decl.op} {rhs}\n\n- left `{left}` = {lhs}\n- right `{right}` = {rhs}"


def cross_node(result: Compilation, n: int):
    decls = [s for m in result.program.modules for s in m.statements if isinstance(s, ast.Cross)]
    if result.model is None or n >= len(decls):
        return None
    return next((c for c in result.model.crosses if c.decl is decls[n]), None)


def describe_cross(result: Compilation, n: int) -> str | None:
    cross = cross_node(result, n)
    if cross is None or result.evaluation is None:
        return None
    ev = result.evaluation
    lines = []
    for (row, col), cell in list(cross.cells.items())[:MAX_ROWS * 2]:
        how = ev.derivations.get(cell.path)
        line = f"- {md(row)} × {md(col)}: {amount_of(result, cell.path)}"
        lines.append(line + (f" — {md(explain(how, PLAIN))}" if how is not None else ""))
    more = [f"- … {len(cross.cells) - MAX_ROWS * 2} more"] if len(cross.cells) > MAX_ROWS * 2 else []
    head = f"**{md(cross.describe())}** of {md(cross.parent.path)} ({len(cross.cells)} cells)"
    return "\n\n".join([head, "\n".join(lines + more)])
