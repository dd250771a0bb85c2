"""Settings: the plan header's (`plan "P" { currency: CNY; … }`) and targets'
attributes (`[owner: "…", status: agreed]`), their keys and the kind of value
each takes, checked as the resolver reads them (semantics/resolve.py)."""

from __future__ import annotations

from fractions import Fraction

import attrs

from planc.diagnostics import Diagnostic, Label, error, warning
from planc.semantics.concepts import STATUS_ALIASES, STATUSES, canonical_status
from planc.semantics.model import Header, TargetNode
from planc.source import Span
from planc.syntax import ast

HEADER_KEYS = {
    "currency": "name", "period": "period", "owner": "string", "round": "amount",
    "status": "name", "owners": "name", "description": "string", "version": "string", "main": "name",
    "calendar": "name",
}
ATTRIBUTE_KEYS = {"owner", "status", "note", "due", "margin", "proposed", "start", "ramp"}

_HEADER_EXAMPLES = {"currency": "CNY", "period": "2027-01-01 .. 2027-12-31", "owner": '"Wang Fang"',
                    "round": "1000", "status": "draft", "owners": "required", "description": '"…"',
                    "version": '"2"', "main": "year"}


def _kind_words(kind: str) -> str:
    return {"name": "a name", "period": "a period `DATE .. DATE`", "string": "a string",
            "amount": "an amount", "percent": "a percentage", "date": "a date"}[kind]


def read_header(headers: list[ast.PlanHeader], diags: list[Diagnostic]) -> Header:
    """The plan header (only the main file's counts): its settings checked against
    `HEADER_KEYS`, each key once."""
    if not headers:
        return Header()
    first = headers[0]
    for extra in headers[1:]:
        diags.append(error("E007", "the plan header is given twice", extra.span,
                           related=(Label(first.span, "first given here"),),
                           help="merge the two headers into one"))
    fields: dict = {"title": first.title, "span": first.span}
    settings: dict[str, ast.Setting] = {}
    for s in first.settings:
        if s.key in settings:
            diags.append(error("E007", f"header key `{s.key}` is given twice", s.key_span,
                               related=(Label(settings[s.key].key_span, "first given here"),),
                               help=f"keep one `{s.key}:` and delete the other"))
            continue
        settings[s.key] = s
        expected = HEADER_KEYS.get(s.key)
        if expected is None:
            diags.append(warning("W003", f"unknown header key `{s.key}`", s.key_span,
                                 help="known keys: " + ", ".join(sorted(HEADER_KEYS))))
            continue
        if s.kind != expected and not (expected == "string" and s.kind == "name"):
            diags.append(error("E025", f"header `{s.key}` expects {_kind_words(expected)}", s.span,
                               help=f"e.g. `{s.key}: {_HEADER_EXAMPLES.get(s.key, '…')}`"))
            continue
        value = s.value  # of the kind the key expects (checked above)
        if s.key == "round":
            assert isinstance(value, Fraction)
            if value <= 0:
                diags.append(error("E025", "`round` must be a positive amount", s.span,
                                   help="e.g. `round: 1000` for whole thousands"))
                continue
            fields["round"] = value
        elif s.key == "period":
            assert isinstance(value, tuple)
            start, end = value
            if end < start:
                diags.append(error("E025", f"the period ends ({end}) before it starts ({start})", s.span,
                                   help=f"write the first day first: `period: {end} .. {start}`"))
                continue
            fields["period"] = value
        elif s.key == "currency":
            assert isinstance(value, str)
            if not (len(value) == 3 and value.isascii() and value.isupper()):
                diags.append(error("E025", f"currency `{value}` is not a 3-letter ISO code", s.span,
                                   help="e.g. `currency: CNY`"))
                continue
            fields["currency"] = value
        elif s.key == "owner":
            fields["owner"] = value
    return Header(settings=settings, **fields)


def check_main(header: Header, roots: list[TargetNode], by_name, diags: list[Diagnostic]) -> Header:
    """`main: NAME` names the headline target, which must be a root (`by_name`: the
    targets by last name, `model.Model.by_name`)."""
    setting = header.settings.get("main")
    if setting is None or setting.kind != "name" or not isinstance(setting.value, str):
        return header
    name = setting.value
    span = setting.span
    at = span.source.text.find(name, setting.key_span.end)
    if at >= 0:  # the value itself, not the whole entry
        span = Span(span.source, at, at + len(name))
    if any(r.name == name for r in roots):
        return attrs.evolve(header, main=name)
    inner = [node for _path, node in by_name.get(name, ()) if node.parent is not None]
    if inner:
        diags.append(error("E025", f"`main` must name a root target; `{name}` is part of "
                           f"`{inner[0].parent.path}`", span,
                           label="not a root target",
                           help="roots: " + ", ".join(f"`{r.name}`" for r in roots)))
    else:
        from planc.diagnostics.suggest import did_you_mean  # the error path only

        diags.append(error("E003", f"undefined name `{name}`", span, label="no root target of this name",
                           help=did_you_mean(name, [r.name for r in roots])))
    return header


def check_currency(looked_for, header: Header, diags: list[Diagnostic]) -> None:
    """Amounts written in a currency are in the header's (E020). `looked_for`: (statement,
    node) pairs of the numbers, calls and lookups in the plan's expressions."""
    for _, sub in looked_for:
        if isinstance(sub, ast.Number) and sub.currency:
            if header.currency is None:
                diags.append(error(
                    "E020", f"amount in {sub.currency} but the plan declares no currency", sub.span,
                    help=f"add `currency: {sub.currency}` to the plan header"))
            elif sub.currency != header.currency:
                diags.append(error(
                    "E020", f"amount in {sub.currency} in a plan in {header.currency}", sub.span,
                    help=f"write the amount in {header.currency}; planc does not convert currencies"))


def check_attributes(written: list[TargetNode], diags: list[Diagnostic]) -> None:
    """The settings of targets and children (`[owner: …, status: …]`): known keys,
    values of the kind each takes. `written`: the targets that write more than a name."""
    for node in written:  # (settings are written)
        for attr in getattr(node.decl, "attributes", ()):
            if attr.key not in ATTRIBUTE_KEYS:
                diags.append(warning("W002", f"unknown attribute `{attr.key}`", attr.key_span,
                                     help="known attributes: " + ", ".join(sorted(ATTRIBUTE_KEYS))))
            elif attr.key == "status" and (attr.kind != "name" or canonical_status(attr.value) not in STATUSES):
                diags.append(error("E025", f"status must be one of {', '.join(STATUSES)}", attr.span,
                                   help="e.g. `status: agreed`, or in Chinese: " + ", ".join(STATUS_ALIASES)))
            elif attr.key == "start" and attr.kind != "date":
                diags.append(error("E025", "start must be a date, e.g. `start: 2027-07-01`", attr.span))
            elif attr.key == "ramp" and attr.kind != "name":
                diags.append(error("E025", "ramp must name a table, e.g. `ramp: ramp_standard`", attr.span))
            elif attr.key == "proposed" and attr.kind != "amount":
                diags.append(error("E025", "proposed must be an amount, e.g. `proposed: 26M`", attr.span))
            elif attr.key == "margin" and attr.kind != "percent":
                diags.append(error("E025", "margin must be a percentage, e.g. `margin: 35%`", attr.span))
            elif attr.key == "due" and attr.kind != "date":
                diags.append(error("E025", "due must be a date, e.g. `due: 2027-03-31`", attr.span))
