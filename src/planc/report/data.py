"""JSON and CSV reports: the numbers for tools (Excel, BI, scripts).

JSON is the `planc eval --format json` object (docs/cli.md, "JSON") (`plan`,
`currency`, `targets`, `diagnostics`) plus per-target details and the rest
of the report; its keys and values never depend on `--lang`. CSV has one row
per target; with `--lang zh` its column heads, statuses, methods, dimensions,
`detail` and `is_leaf` are in Chinese (the numbers never change).
"""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from typing import Iterator

from planc.amounts import JSON_SCHEMA_VERSION, to_exact_json, to_json_number
from planc.jsonstream import Array, Items, chunks
from planc.evaluate.explain import DETAIL, explain
from planc.report.i18n import WORDS, Words
from planc.report.view import Report, Row

CSV_COLUMNS = ("path", "parent", "dimension", "amount", "share", "method", "owner", "status",
               "name", "label", "detail", "history", "growth", "margin", "due", "note",
               # for pivots: the depth in the tree, and whether anything hangs below the target
               "level", "is_leaf",
               # what `amount` counts: the currency, a measure's label (`visits`), or `%`: pivot one unit at a time
               "unit")


def _num(value: Fraction | None) -> int | float | None:
    return None if value is None else to_json_number(value)


def _ratio(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 6)


def _details(row: Row) -> dict:
    h = row.how
    out: dict = {
        "name": row.name, "label": row.label, "parent": row.parent, "dimension": row.dimension,
        "amount": _num(row.amount), "exact": to_exact_json(row.exact), "share": _ratio(row.share),
        "method": h.method, "detail": explain(h, DETAIL),
    }
    if h.weights:
        out["factors"] = {f.table: _ratio(f.weight) for f in h.weights}
    held = next((c for c in h.caps if c.binding), None)
    if held is not None:
        out["capped"] = {"bound": held.bound, "at": held.expression}
    for key in ("owner", "status", "note"):
        if getattr(row, key) is not None:
            out[key] = getattr(row, key)
    if row.due is not None:
        out["due"] = row.due.isoformat()
    if row.margin is not None:
        out["margin"] = _ratio(row.margin)
    if row.history is not None:
        out["history"] = _num(row.history)
        out["growth"] = _ratio(row.growth)
    return out


def to_json(report: Report, review=None, changes=None) -> str:
    return "".join(json_chunks(report, review, changes))


def json_chunks(report: Report, review=None, changes=None) -> Iterator[str]:
    """The JSON report piece by piece (`planc.jsonstream`): the per-target parts are made one
    entry at a time as they are written, so a plan of a million targets never has its
    whole document in memory."""
    m = report.meta
    rows = report.rows
    doc = {
        "plan": m.title,
        "currency": m.currency,
        "targets": Items(lambda: ((r.path, _num(r.amount)) for r in rows)),
        # As `planc eval` prints them, but with the file named relative to the
        # plan's folder, so a build does not depend on where the plan lives.
        "diagnostics": [
            {"file": d.file, "line": d.line, "column": d.column, "severity": d.severity, "code": d.code,
             "message": d.message, **({"help": d.help} if d.help else {}),
             **({"related": list(d.related)} if d.related else {})} for d in report.diagnostics
        ],
        "report": {
            "period": [m.period[0].isoformat(), m.period[1].isoformat()] if m.period else None,
            "owner": m.owner, "round": _num(m.round),
            "headline": report.headline.path if report.headline is not None else None,
            "version": m.version, "description": m.description,
            "source": {"file": m.source_name, "sha256": m.source_hash},
            "generated": m.generated.strftime("%Y-%m-%dT%H:%M:%SZ"), "planc": m.planc_version,
        },
        "details": Items(lambda: ((r.path, _details(r)) for r in rows)),
        "splits": Array(lambda: (
            {"parent": s.parent.path, "dimension": s.dimension, "using": s.method or None,
             "overassign": _ratio(s.overassign),
             "overassigned_exact": None if s.shared_exact is None else to_exact_json(s.shared_exact),
             "children": [r.path for r in s.rows]}
            for s in report.splits
        )),
        "crosses": [
            {"parent": c.parent.path, "rows": c.row_dimension, "columns": c.col_dimension,
             "row_names": list(c.row_names), "column_names": list(c.col_names),
             "cells": [[_num(v) for v in line] for line in c.cells]}
            for c in report.crosses
        ],
        "assertions": [
            {"expression": a.text, "message": a.message, "line": a.line, "left": _num(a.left),
             "right": _num(a.right), "passed": a.passed}
            for a in report.assertions
        ],
        "open_items": Array(lambda: (r.path for r in report.open_items)),
        "owners": Items(lambda: ((s.owner, [r.path for r in s.rows]) for s in report.owners)),
        "schema_version": JSON_SCHEMA_VERSION,
    }
    if report.units:  # as `planc eval` has them: only in plans with counts or ratios
        doc["units"] = Items(lambda: report.units.items())
    negotiation = _negotiation(report)
    if negotiation:
        doc["negotiation"] = negotiation
    if review is not None:  # planc build --actuals: the review section (report/review.py)
        from planc.report.review import to_json as review_json

        doc["review"] = review_json(review)
    if changes is not None:  # planc build --compare OLD.plan: what changed since (review/diff.py)
        from planc.review.diff import to_json as diff_json

        doc["changes"] = {"since": changes.old_name, "changes": diff_json(list(changes.rows))["changes"]}
    yield from chunks(doc)
    yield "\n"


def _negotiation(report: Report) -> dict:
    """Proposals, actions, ramping reps and scenario columns (report/negotiation.py), each only
    when the plan has them."""
    n = report.negotiation
    out: dict = {}
    if n.proposals:
        out["proposals"] = [{"target": p.path, "owner": p.owner, "status": p.status, "assigned": _num(p.assigned),
                             "proposed": _num(p.proposed), "gap": _num(p.gap)} for p in n.proposals]
    if n.actions:
        out["actions"] = [{"text": a.text, "target": a.path, "owner": a.owner,
                           "due": a.due.isoformat() if a.due else None, "status": a.status} for a in n.actions]
    if n.ramping:
        out["ramping"] = [{"target": r.path, "owner": r.owner, "start": r.start.isoformat(),
                           "capacity": _ratio(r.capacity), "amount": _num(r.amount)} for r in n.ramping]
    if n.scenarios:
        out["scenarios"] = {s.name: {p: _num(v) for p, v in s.values.items()} for s in n.scenarios}
    return out


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    # A cell that starts like a formula is data, not code, when Excel opens the file.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        if not _is_number(text):
            text = "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _inner_paths(report: Report) -> set[str]:
    """Targets with something below them: a split's children or a cross's cells
    (`year.east.Q1` is below `year.east` and `year`, whichever its parent)."""
    inner: set[str] = set()
    for r in report.rows:
        path = r.path
        while "." in path:
            path = path.rpartition(".")[0]
            if path in inner:
                break
            inner.add(path)
    return inner


def to_csv(report: Report, lang: str = "en") -> str:
    """UTF-8 with a byte-order mark, so Excel reads Chinese names right; CRLF as RFC 4180 says.
    `lang="zh"`: the words in Chinese (heads `路径, 上级, …`, `已确认`, `加权`, `季度`, `是`/`否`),
    for people who open the file in Excel; English (the default) keeps the names scripts rely on."""
    return "".join(csv_chunks(report, lang))


def csv_chunks(report: Report, lang: str = "en", rows_per_chunk: int = 2000) -> Iterator[str]:
    """`to_csv` piece by piece, `rows_per_chunk` rows at a time."""
    t = Words(lang, report.meta.currency)
    zh = lang == "zh"
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    buf.write("\ufeff")
    out.writerow([t("csv_" + c) for c in CSV_COLUMNS])
    inner = _inner_paths(report)
    leaf = {True: t("csv_true"), False: t("csv_false")}
    for n, r in enumerate(report.rows, 1):
        amount = _num(r.amount)
        status = t.status(r.status) if zh and r.status else r.status
        dimension = t.dimension(r.dimension) if r.dimension else r.dimension
        method = t("method_" + r.how.method) if "method_" + r.how.method in WORDS else r.how.method
        out.writerow([_cell(v) for v in (
            r.path, r.parent, dimension, amount, _ratio(r.share), method, r.owner, status,
            r.name, r.label, explain(r.how, t if zh else DETAIL), _num(r.history), _ratio(r.growth),
            _ratio(r.margin), r.due.isoformat() if r.due else None, r.note, r.depth, leaf[r.path not in inner],
            r.unit or report.meta.currency,
        )])
        if n % rows_per_chunk == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()
