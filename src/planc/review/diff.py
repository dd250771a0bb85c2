"""`planc diff OLD NEW`: what moved between two versions of a plan.

Targets are matched by canonical path. For each: added, removed, or an
amount that changed (with the difference and its percentage), and owner or
status changes — what a review of a renegotiated plan needs to see.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from planc.amounts import JSON_SCHEMA_VERSION, format_amount, format_percent, to_json_number
from planc.diagnostics import escape_control
from planc.diagnostics.table import text_table
from planc.pipeline import Compilation
from planc.semantics.concepts import target_status


@attrs.frozen
class Change:
    path: str
    kind: str  # added | removed | changed
    old: Fraction | None
    new: Fraction | None
    notes: tuple[str, ...] = ()  # owner/status/label changes, as text
    fields: tuple[tuple[str, str | None, str | None], ...] = ()  # (field, old, new) for each of them

    @property
    def delta(self) -> Fraction:
        return (self.new or Fraction(0)) - (self.old or Fraction(0))


def _attributes(result: Compilation, path: str) -> dict[str, str]:
    node = result.model.targets.get(path) if result.model else None
    if node is None:
        return {}
    out = {k: _shown(s) for k, s in node.attributes.items()}
    status = target_status(node)  # Chinese aliases read as the status they name
    if status is not None:
        out["status"] = status
    if node.label:
        out["label"] = node.label
    return out


FIELD_ORDER = ("owner", "status", "note", "due", "margin", "label")  # then any other attribute, by name


def _shown(setting) -> str:
    return str(setting.value) if setting.kind in ("string", "name") else setting.text


def _fields(a: dict[str, str], b: dict[str, str]) -> list[tuple[str, str | None, str | None]]:
    keys = [k for k in FIELD_ORDER if k in a or k in b]
    keys += sorted((set(a) | set(b)) - set(FIELD_ORDER))
    return [(k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)]


def compare(old: Compilation, new: Compilation) -> list[Change]:
    a = old.evaluation.values if old.evaluation else {}
    b = new.evaluation.values if new.evaluation else {}
    order = list(b) + [p for p in a if p not in b]
    changes = []
    for path in order:
        before, after = a.get(path), b.get(path)
        fields = _fields(_attributes(old, path), _attributes(new, path)) \
            if before is not None and after is not None else []
        notes = tuple(f"{key}: {a if a is not None else '—'} → {b if b is not None else '—'}" for key, a, b in fields)
        if before is None:
            changes.append(Change(path, "added", None, after))
        elif after is None:
            changes.append(Change(path, "removed", before, None))
        elif before != after or notes:
            changes.append(Change(path, "changed", before, after, notes, tuple(fields)))
    return changes


def render_text(changes: list[Change], old_name: str, new_name: str) -> str:
    if not changes:
        return f"no differences in targets between {old_name} and {new_name}"
    rows = []
    for c in changes:
        sign = {"added": "+", "removed": "-", "changed": "~"}[c.kind]
        old = format_amount(c.old) if c.old is not None else ""
        new = format_amount(c.new) if c.new is not None else ""
        delta = ""
        if c.kind == "changed" and c.delta:
            delta = ("+" if c.delta > 0 else "") + format_amount(c.delta)
            if c.old:
                change = c.delta / c.old
                delta += f" ({'+' if change > 0 else ''}{format_percent(change)})"
        rows.append((sign, c.path, old, new, delta, escape_control("; ".join(c.notes))))  # labels are plan text
    head = ("", "target", old_name, new_name, "change", "")
    lines = text_table(head, rows, "llrrll")
    counts = {k: sum(c.kind == k for c in changes) for k in ("added", "removed", "changed")}
    lines.append(f"{counts['changed']} changed, {counts['added']} added, {counts['removed']} removed")
    return "\n".join(lines)


def to_json(changes: list[Change]) -> dict:
    return {"changes": [
        {"path": c.path, "kind": c.kind,
         "old": to_json_number(c.old) if c.old is not None else None,
         "new": to_json_number(c.new) if c.new is not None else None,
         "delta": to_json_number(c.delta), "notes": list(c.notes),
         "fields": [{"field": k, "old": a, "new": b} for k, a, b in c.fields]} for c in changes],
        "schema_version": JSON_SCHEMA_VERSION}
