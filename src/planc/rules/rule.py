"""A rule's description: code, name, default severity, options, docs, check."""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Callable, Iterable

import attrs

from planc.diagnostics import Diagnostic
from planc.rules.context import Context


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
                   inspect.cleandoc(module.__doc__ or ""), dict(getattr(module, "OPTIONS", {})),
                   module.check)
