"""A rule's description: code, name, default severity, options, docs, check."""

from __future__ import annotations

from types import ModuleType
from typing import Callable, Iterable

import attrs

from planc.diagnostics import Diagnostic
from planc.lint.rules.context import Context


def cleandoc(doc: str) -> str:
    """`inspect.cleandoc` without importing `inspect` (it costs a pre-commit
    run several milliseconds): first line stripped, common indent removed."""
    lines = doc.expandtabs().split("\n")
    rest = lines[1:]
    indent = min((len(l) - len(l.lstrip()) for l in rest if l.strip()), default=0)
    lines = [lines[0].strip()] + [l[indent:].rstrip() for l in rest]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


@attrs.frozen
class Rule:
    code: str
    name: str
    severity: str
    doc: str
    options: dict = attrs.field(factory=dict)  # option -> (default, kind)
    check: Callable[[Context], Iterable[Diagnostic]] | None = None  # None: emitted by the compiler

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].rstrip(".")

    @property
    def builtin(self) -> bool:
        return self.check is None

    @classmethod
    def of(cls, module: ModuleType) -> "Rule":
        return cls(module.CODE, module.NAME, getattr(module, "SEVERITY", "warning"),
                   cleandoc(module.__doc__ or ""), dict(getattr(module, "OPTIONS", {})),
                   module.check)
