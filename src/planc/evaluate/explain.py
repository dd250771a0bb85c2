"""The one renderer of how an amount was made (`record.Derivation`).

`explain` gives one line; the words come from a `Words` table, so the same
structure reads as `planc eval` says it (`PLAIN`, with the values used), as
the report says it (`report/i18n.py`, English or Chinese) or as the report's
JSON and CSV `detail` field has always said it (`DETAIL`). `explain_lines`
gives the whole record, for the editor's hover. Nothing here reads the
plan's syntax tree: every name, value and piece of text is in the record.
"""

from __future__ import annotations

import string
from fractions import Fraction
from typing import Callable, Iterable, Iterator, Mapping, Protocol

from planc.amounts import format_amount, format_percent
from planc.amounts import to_exact_json as exact
from planc.evaluate.record import Derivation, Input, Records


class Words(Protocol):
    """A language for `explain`: `t("how_share", pct=…, parent=…)`, amounts, percentages."""

    def __call__(self, key: str, **fields: object) -> str: ...

    def amount(self, value: Fraction | None) -> str: ...

    def percent(self, ratio: Fraction | None, digits: int = 1) -> str: ...

    def dimension(self, dim: str) -> str: ...


class Table:
    """Words from a dictionary, with plain amounts (`12,345,000`) and percentages."""

    def __init__(self, words: dict[str, str]) -> None:
        self.words = words

    def __call__(self, key: str, **fields: object) -> str:
        return self.words[key].format(**fields)

    def fields(self, key: str) -> set[str]:
        """The names of the fields the words of `key` read."""
        return {name for _, name, _, _ in string.Formatter().parse(self.words[key]) if name}

    def amount(self, value: Fraction | None) -> str:
        return "—" if value is None else format_amount(value)

    def percent(self, ratio: Fraction | None, digits: int = 1) -> str:
        return "—" if ratio is None else f"{float(ratio * 100):.{digits}f}%"

    def dimension(self, dim: str) -> str:
        return dim


# `planc eval` and the hover: the method with the values it used.
PLAIN = Table({
    "how_root": "{expr}{values}", "how_fixed": "{expr}{values}", "how_sum": "sum of {dim}",
    "how_share": "{pct} of {parent} ({base})", "how_rest": "rest: {total} − {taken}", "how_even": "even",
    "how_weight": "weight({factors}) → score {score}", "how_weight_one": "weight({table}) → score {score}",
    "how_raw_weight": "weight {score}", "how_sep": ", ",
    "how_cell": "{row} × {col} / {parent}", "how_cell_seed": "fitted to seed {seed}",
    "how_capped": " (held at its {bound} {amount})", "bound_min": "min", "bound_max": "max",
    "how_ramp": ", at {pct} capacity (ramp-up)",
})

# The report's JSON and CSV `detail` field, worded as it always was.
DETAIL = Table({
    "how_root": "{expr}", "how_fixed": "{expr}", "how_sum": "sum of {dim}", "how_share": "{pct} of {parent}",
    "how_rest": "rest", "how_even": "even", "how_weight": "weight({factors})", "how_weight_one": "weight({table})",
    "how_raw_weight": "weight {score}", "how_sep": ", ",
    "how_cell": "{rows} × {cols} / {parent}", "how_cell_seed": "fitted to seed {seed}",
    "how_capped": "", "bound_min": "min", "bound_max": "max", "how_ramp": "",
})


def explain(d: Derivation, t: Words = PLAIN) -> str:
    """One line: `45% of year (120,000,000)`, `rest: 120,000,000 − 86,000,000`,
    `weight(history 60%, potential 40%) → score 0.3512 (held at its max 8,000,000)`,
    `even, at 54.2% capacity (ramp-up)`."""
    text = _method(d, t)
    ramp = d.input("ramp")  # a new hire's capacity over the period (`start:`, `ramp:`)
    if ramp is not None and ramp.value is not None:
        text += t("how_ramp", pct=t.percent(ramp.value))
    for cap in d.caps:
        if cap.binding:
            text += t("how_capped", bound=t("bound_" + cap.bound), value=cap.expression, amount=t.amount(cap.value))
    return text


def _method(d: Derivation, t: Words) -> str:
    m = d.method
    if m == "cell":
        return _cell(d, t)
    parent = d.input("parent")
    parent_name = parent.name if parent is not None else ""
    if m in ("root", "fixed", "funnel"):  # a funnel step reads like a root: its expression and values
        return t("how_" + ("root" if m == "funnel" else m), expr=d.expression, values=_values(d, t))
    if m == "sum":
        return t("how_sum", dim=t.dimension(d.dimension[0]) if d.dimension else "", n=len(d.inputs))
    if m == "share":
        pct = d.input("percent")
        return t("how_share", pct=pct.name if pct else "", parent=parent_name,
                 base=t.amount(parent.value) if parent else "")
    if m == "rest":
        return t("how_rest", parent=parent_name, total=t.amount(_shared_total(d)), taken=t.amount(_value(d, "taken")))
    if m == "even":
        return t("how_even", pool=t.amount(_value(d, "pool")))
    if m == "weight" and d.weights:
        score = _score(d.score)
        if len(d.weights) == 1:
            return t("how_weight_one", table=d.weights[0].table, score=score)
        parts = [f"{f.table} {format_percent(f.weight)}" for f in d.weights]
        return t("how_weight", factors=t("how_sep").join(parts), score=score)
    if m == "weight":
        return t("how_raw_weight", score=format_amount(d.score) if d.score is not None else "")
    return d.expression or m


def _cell(d: Derivation, t: Words) -> str:
    """A cross cell: `east × Q1 / year`, or `fitted to seed last_year`. Its inputs are
    read in one pass (the first of each role, as `Derivation.input`)."""
    found: dict[str, Input] = {}
    for i in d.inputs:
        if i.role not in found:
            found[i.role] = i
    row, col, parent, seed = found.get("row"), found.get("column"), found.get("parent"), found.get("seed")
    wording = cell_wording(t, parent.name if parent else "", d.dimension, seed.name if seed is not None else None)
    return wording(row.name if row else "", col.name if col else "")


def cell_wording(t: Words, parent: str, dimension: tuple[str, ...], seed: str | None) -> Callable[[str, str], str]:
    """How the cells of one cross were made, from a cell's row and column names: what
    `explain` says of a cell's record, and what its cross's `CellMaker.wording` says without
    making the record (`explain_each`)."""
    dims = dimension + ("", "")
    rows = t.dimension(dims[0]) if dims[0] else ""  # as the row's dimension column shows them
    cols = t.dimension(dims[1]) if dims[1] else ""
    key = "how_cell" if seed is None else "how_cell_seed"
    if isinstance(t, Table) and not {"row", "col"} & t.fields(key):  # one text for every cell
        same = t(key, seed=seed, row="", col="", parent=parent, rows=rows, cols=cols)
        return lambda row, col: same
    return lambda row, col: t(key, seed=seed, row=row, col=col, parent=parent, rows=rows, cols=cols)


def explain_each(records: Mapping[str, Derivation], paths: Iterable[str], t: Words = PLAIN) -> Iterator[str]:
    """`explain(records[path], t)` of each path in turn, "" where a path has no record; a
    cross cell whose record would be made when asked (`Records`) is worded by its cross
    without it (`planc eval` words 400,000 cross cells)."""
    lazy_at = records.lazy_at if isinstance(records, Records) else None
    worded: dict[int, Callable] = {}  # id(maker) -> its cells' wording (the makers live as long as `records`)
    for path in paths:
        made = lazy_at(path) if lazy_at is not None else None
        how = None
        if made is not None:
            maker, cell = made
            word = worded.get(id(maker))
            if word is None:
                word = worded[id(maker)] = maker.wording(t)
            how = word(cell)
        if how is None:
            d = records.get(path)
            how = "" if d is None else explain(d, t)
        yield how


def _values(d: Derivation, t: Words) -> str:
    """` (year = 120,000,000)` after an expression; just the value for `P% of X`; nothing
    when the expression is a lone reference (the amount says it)."""
    refs = [i for i in d.inputs if i.role in ("target", "table")]
    if not refs or (len(refs) == 1 and d.expression == refs[0].name):
        return ""
    if len(refs) == 1 and d.input("percent") is not None:
        return f" ({t.amount(refs[0].value)})"
    return " (" + ", ".join(f"{i.name} = {t.amount(i.value)}" for i in refs) + ")"


def _value(d: Derivation, role: str) -> Fraction | None:
    found = d.input(role)
    return found.value if found is not None else None


def _shared_total(d: Derivation) -> Fraction | None:
    """What the split shares out: its parent × `overassign`."""
    parent = _value(d, "parent")
    if parent is None:
        return None
    return parent * (d.overassign if d.overassign is not None else 1)


def _score(score: Fraction | None) -> str:
    return "—" if score is None else f"{float(score):.4f}"


# ---- the whole record ----------------------------------------------------------------------


_ROLES = {
    "percent": "{name}", "target": "{name} = {value}", "table": "{name} = {value}",
    "parent": "parent {name} = {value}", "overassign": "overassign {name}", "taken": "fixed siblings take {value}",
    "pool": "left to share {value}", "scores": "scores add up to {value}", "child": "{name} = {value}",
    "row": "row {name} = {value}", "column": "column {name} = {value}", "total": "shared total {value}",
    "seed": "seed {name} has {value} for this cell",
}


def explain_lines(d: Derivation, code: Callable[[str], str] = str) -> list[str]:
    """Every part of the record, one fact a line (English): what was done, the
    inputs with their values, the weights and score, the caps, the exact and
    rounded amounts and the rounding adjustment, and the exact share. `code`
    marks plan text (names, expressions), e.g. as Markdown code."""
    short = explain(d, DETAIL)
    plain = d.method in ("root", "share") or short.startswith(d.method)
    lines = [f"computed: {code(short)}" if plain else f"computed: {d.method}: {code(short)}"]
    if d.inputs:  # a sum of many children names the first dozen
        shown = [_input(i, code) for i in d.inputs[:12]]
        more = [f"… {len(d.inputs) - 12} more"] if len(d.inputs) > 12 else []
        lines.append("inputs: " + "; ".join(shown + more))
    for f in d.weights:
        lines.append(f"weight {code(f.table)} {format_percent(f.weight)}: {format_amount(f.value)} of "
                     f"{format_amount(f.total)} → {_score(f.part)}")
    if d.score is not None and d.method in ("weight", "even"):
        lines.append(f"score: {_score(d.score) if d.weights else format_amount(d.score)}")
    for cap in d.caps:
        held = "held it" if cap.binding else "not binding"
        lines.append(f"{cap.bound} {code(cap.expression)} = {format_amount(cap.value)}: {held}")
    if d.adjustment:
        sign = "+" if d.adjustment > 0 else "−"
        lines.append(f"exact before rounding: {format_amount(d.exact)}; rounded: {format_amount(d.rounded)} "
                     f"(adjustment {sign}{format_amount(abs(d.adjustment))})")
    else:
        lines.append(f"exact: {format_amount(d.exact)}, no rounding adjustment")
    if d.share is not None:
        lines.append(f"exact share of the total shared: {_exact_percent(d.share)}")
    return lines


def _input(i: Input, code: Callable[[str], str]) -> str:
    name = i.name if i.role in ("taken", "pool", "scores", "total", "overassign") else code(i.name)
    return _ROLES.get(i.role, "{name} = {value}").format(name=name, value=format_amount(i.value))


def _exact_percent(ratio: Fraction) -> str:
    pct = ratio * 100
    return f"{pct.numerator}%" if pct.denominator == 1 else f"{float(pct):.4f}%".rstrip("0")


# ---- for tools ----------------------------------------------------------------------------


def as_json(d: Derivation) -> dict:
    """The record as JSON (`planc eval --format json --how`). Numbers are exact:
    an integer when whole, else a string `"p/q"`."""
    out: dict = {
        "method": d.method, "text": explain(d), "expression": d.expression,
        "exact": exact(d.exact), "rounded": exact(d.rounded), "adjustment": exact(d.adjustment),
        "share": exact(d.share) if d.share is not None else None,
        "inputs": [{"role": i.role, "name": i.name, "value": exact(i.value), "path": i.path} for i in d.inputs],
    }
    if d.weights:
        out["weights"] = [{"table": f.table, "weight": exact(f.weight), "value": exact(f.value),
                           "total": exact(f.total), "part": exact(f.part)} for f in d.weights]
    if d.score is not None:
        out["score"] = exact(d.score)
    if d.caps:
        out["caps"] = [{"bound": c.bound, "value": exact(c.value), "expression": c.expression,
                        "binding": c.binding} for c in d.caps]
    if d.dimension:
        out["dimension"] = list(d.dimension)
    if d.overassign is not None:
        out["overassign"] = exact(d.overassign)
    if d.using:
        out["using"] = d.using
    return out
