"""Crossed dimensions (language.md §4.10). Placeholder until issue #3."""

from __future__ import annotations

from planc.diagnostics import error


def attach_cross(resolver, decl):
    resolver.diags.append(error("E032", "`cross` is not supported yet", decl.span))
    return None


def evaluate_cross(ev, cross) -> None:
    return None
