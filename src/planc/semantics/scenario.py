"""Scenarios: a base plan and named variants of it, in one file.

```plan
scenario stretch {
  year = 1.65亿                 # a root's amount
  west max 26M                  # a child's cap (or `= amount`, `min`, `[attributes]`)
  year by region overassign 105%   # a split's `using` or `overassign`
}
```

A scenario is the base plan with some statements changed, never numbers
derived from the base's: `apply` makes the changed program (the base's
statements with the overridden parts replaced), and the evaluator resolves
and evaluates it as it does any plan (`evaluate/scenario.py`). Names in a
scenario resolve as in the base (language.md §4.3(b), against the base's
targets). The name `base` means the plan without any scenario.
"""

from __future__ import annotations

import attrs

from planc.diagnostics import Diagnostic, Label, error
from planc.semantics.loader import Program
from planc.semantics.model import Model, TargetNode, find_targets
from planc.syntax import ast

BASE = "base"


def check_scenarios(decls: list[ast.Scenario], diags: list[Diagnostic]) -> list[ast.Scenario]:
    """The plan's scenarios, each name once (E062); `base` is the plan itself."""
    seen: dict[str, ast.Scenario] = {}
    for decl in decls:
        if decl.name == BASE:
            diags.append(error("E062", "a scenario cannot be called `base`", decl.name_span,
                               help="`base` is the plan without scenarios; give this one another name"))
        elif decl.name in seen:
            diags.append(error("E062", f"scenario `{decl.name}` is defined twice", decl.name_span,
                               related=(Label(seen[decl.name].name_span, "first defined here"),),
                               help="merge the two blocks into one"))
        else:
            seen[decl.name] = decl
    return list(seen.values())


def apply(program: Program, model: Model, scenario: ast.Scenario) -> tuple[Program | None, list[Diagnostic]]:
    """The program of one scenario: the base's statements with its overrides
    applied. None when an override cannot be applied (the errors say why)."""
    changes = _Changes(model, scenario.name)
    for entry in scenario.entries:
        if isinstance(entry, ast.SplitOverride):
            changes.split(entry)
        else:
            changes.override(entry)
    if any(d.is_error for d in changes.diags):
        return None, changes.diags
    modules = tuple(attrs.evolve(m, statements=tuple(changes.replaced.get(_key(s), s) for s in m.statements))
                    for m in program.modules)
    return attrs.evolve(program, modules=modules), changes.diags


def _key(stmt) -> tuple:
    span = stmt.span
    return (span.source.path, span.start, span.end, type(stmt).__name__)


class _Changes:
    def __init__(self, model: Model, name: str) -> None:
        self.model = model
        self.name = name
        self.diags: list[Diagnostic] = []
        self.replaced: dict[tuple, ast.Statement] = {}  # statement key -> the statement as changed

    def current(self, stmt):
        return self.replaced.get(_key(stmt), stmt)

    def target(self, ref: ast.Ref) -> TargetNode | None:
        found = find_targets(self.model, ref.dotted)
        if len(found) == 1:
            return found[0]
        if found:
            names = ", ".join(f"`{n.path}`" for n in found)
            self._error(f"`{ref.dotted}` is ambiguous: it could be {names}", ref.span,
                        f"write more of the path, e.g. `{found[0].path}`")
        else:
            self._error(f"`{ref.dotted}` is not a target of the plan", ref.span,
                        "a scenario changes targets the plan defines; add new ones to the plan itself")
        return None

    def _error(self, message: str, span, help: str | None = None) -> None:
        self.diags.append(error("E062", f"scenario `{self.name}`: {message}", span, help=help))

    def override(self, entry: ast.Override) -> None:
        node = self.target(entry.target)
        if node is None:
            return
        if entry.alloc is None and entry.min is None and entry.max is None and not entry.attributes:
            self._error(f"`{entry.target.dotted}` is named but nothing about it is changed", entry.span,
                        f"e.g. `{entry.target.dotted} = AMOUNT`, `{entry.target.dotted} max AMOUNT`")
            return
        decl = node.decl
        if isinstance(decl, ast.Target):
            self.root(node, decl, entry)
        elif isinstance(decl, ast.Child) and node.producer is not None:
            self.child(node, decl, entry)
        else:
            self._error(f"`{node.path}` is a cell of a cross and cannot be changed", entry.target.span,
                        "change the rows or columns of the cross instead")

    def root(self, node: TargetNode, decl: ast.Target, entry: ast.Override) -> None:
        if entry.min is not None or entry.max is not None:
            self._error(f"`{node.path}` is a root target: it has no `min` or `max`", entry.span,
                        f"give it an amount: `{node.name} = AMOUNT`")
            return
        if entry.alloc is not None and isinstance(entry.alloc, (ast.Rest, ast.Even, ast.Weight)):
            self._error(f"`{node.path}` is a root target and needs an amount", entry.alloc.span,
                        f"e.g. `{node.name} = 1.65亿`")
            return
        decl = self.current(decl)
        value = entry.alloc if entry.alloc is not None else decl.value
        self.replaced[_key(decl)] = attrs.evolve(decl, value=value, attributes=_merge(decl.attributes, entry))

    def child(self, node: TargetNode, decl: ast.Child, entry: ast.Override) -> None:
        split = node.producer.decl  # type: ignore[union-attr]  # the split as the resolver read it
        split = self.current(split)
        children = []
        for child in split.children:
            if child.name == decl.name:
                child = attrs.evolve(
                    child, alloc=entry.alloc if entry.alloc is not None else child.alloc,
                    min=entry.min if entry.min is not None else child.min,
                    max=entry.max if entry.max is not None else child.max,
                    attributes=_merge(child.attributes, entry))
            children.append(child)
        self.replaced[_key(split)] = attrs.evolve(split, children=tuple(children), has_block=True)

    def split(self, entry: ast.SplitOverride) -> None:
        node = self.target(entry.parent)
        if node is None:
            return
        found = next((s for s in node.splits if s.dimension == entry.dimension), None)
        if found is None:
            dims = ", ".join(f"`{s.dimension}`" for s in node.splits) or "no dimension"
            self._error(f"`{node.path}` is not split by `{entry.dimension}`", entry.dimension_span,
                        f"it is split by {dims}")
            return
        if entry.method is None and entry.overassign is None:
            self._error(f"the split of `{node.path}` by `{entry.dimension}` is named but nothing is changed",
                        entry.span, "add `using METHOD` or `overassign P%`")
            return
        split = self.current(found.decl)
        method = entry.method if entry.method is not None else split.method
        overassign = entry.overassign if entry.overassign is not None else split.overassign
        self.replaced[_key(split)] = attrs.evolve(split, method=method, overassign=overassign, has_block=True)


def _merge(attributes: tuple[ast.Setting, ...], entry: ast.Override) -> tuple[ast.Setting, ...]:
    keys = {a.key for a in entry.attributes}
    return tuple(a for a in attributes if a.key not in keys) + entry.attributes
