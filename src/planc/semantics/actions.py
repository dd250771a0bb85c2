"""Actions agreed with a target's owner: `action "text" for TARGET [owner: …, due: DATE, status: open]`.

The resolver collects them (`resolve_actions`) once the target tree is
known; the reports list them under their target and on the owner's sheet,
and `planc check --as-of DATE` warns about open actions past their date
(`overdue`, W031).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Callable

import attrs

from planc.diagnostics import Diagnostic, error, warning
from planc.semantics.concepts import ACTION_STATUS_ALIASES, ACTION_STATUSES, canonical_status
from planc.semantics.model import TargetNode
from planc.syntax import ast

if TYPE_CHECKING:
    from planc.semantics.model import Model

ACTION_KEYS = {"owner": "string", "due": "date", "status": "name", "note": "string"}


@attrs.frozen
class ActionItem:
    text: str
    target: TargetNode
    owner: str | None
    due: datetime.date | None
    status: str  # open | done | dropped (English, whichever way it was written)
    decl: ast.Action

    @property
    def is_open(self) -> bool:
        return self.status == "open"


def resolve_actions(decls: list[ast.Action], refs: dict, resolve_ref: Callable[[ast.Ref], None],
                    diags: list[Diagnostic]) -> list[ActionItem]:
    """Each action's target (through the resolver's `resolve_ref`, so an unknown
    name is E003 with its suggestion) and its attributes, checked."""
    out = []
    for decl in decls:
        resolve_ref(decl.target)
        target = refs.get(id(decl.target))
        if not isinstance(target, TargetNode):
            continue  # unknown or a table value: reported by resolve_ref
        values = _attributes(decl, diags)
        status = values.get("status") or "open"
        out.append(ActionItem(decl.text, target, values.get("owner"), values.get("due"), status, decl))
    return out


def _attributes(decl: ast.Action, diags: list[Diagnostic]) -> dict:
    values: dict = {}
    for attr in decl.attributes:
        kind = ACTION_KEYS.get(attr.key)
        if kind is None:
            diags.append(warning("W002", f"unknown attribute `{attr.key}` of an action", attr.key_span,
                                 help="an action knows " + ", ".join(sorted(ACTION_KEYS))))
            continue
        if attr.key == "status":
            status = canonical_status(attr.value, ACTION_STATUS_ALIASES) if attr.kind == "name" else None
            if status not in ACTION_STATUSES:
                diags.append(error("E025", "an action's status must be one of " + ", ".join(ACTION_STATUSES),
                                   attr.span, help="e.g. `status: open`, or in Chinese `status: 进行中`"))
                continue
            values["status"] = status
        elif attr.kind != kind and not (kind == "string" and attr.kind == "name"):
            what = "a date, e.g. `due: 2027-03-31`" if kind == "date" else 'a string, e.g. `owner: "李娜"`'
            diags.append(error("E025", f"an action's {attr.key} must be {what}", attr.span))
        else:
            values[attr.key] = attr.value
    return values


def overdue(model: "Model", as_of: datetime.date) -> list[Diagnostic]:
    """W031 for every open action of the plan whose due date is before `as_of`."""
    out = []
    for item in model.actions:
        if item.is_open and item.due is not None and item.due < as_of:
            days = (as_of - item.due).days
            who = f" ({item.owner})" if item.owner else ""
            out.append(warning(
                "W031", f"action \"{item.text}\" for `{item.target.path}`{who} was due {item.due.isoformat()}, "
                f"{days} day{'s' if days != 1 else ''} before {as_of.isoformat()}, and is still open",
                item.decl.span, help="mark it `status: done` or `status: dropped`, or agree a new `due:` date"))
    return out
