"""An open document: its text, its latest compilation and the last good one.

A `file:` document compiles as that file (imports, CSV data and `planc.toml`
relative to its folder), and its text skips the on-disk parse cache (it
changes with every keystroke). While the text has syntax errors the plan has
no model; hover, completion, symbols and hints are then answered from the
last compilation that had one (`good`), its positions carried over the edit
by `Shift` (the lines before and after the changed ones keep their text).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from lsprotocol import types as lsp

from planc.lsp.positions import UTF16, Lines, common_ends, path_to_uri, readable, uri_to_path
from planc.syntax import ast

if TYPE_CHECKING:
    from planc.diagnostics import Diagnostic, Label
    from planc.lsp.index import Index
    from planc.pipeline import Compilation

ZERO = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
# Warnings about something that does nothing: the editor greys it out (DiagnosticTag.Unnecessary).
UNNECESSARY = frozenset({"W107"})
DOCS_BASE: list[str | None] = [None]  # where docs/errors.md and docs/rules.md are (a URL ending in `/`)


def docs_base() -> str | None:
    """The `planc.docsUrl` setting, else the docs of a source checkout, else None."""
    if DOCS_BASE[0]:
        return DOCS_BASE[0]
    here = Path(__file__).resolve().parents[3] / "docs"
    return here.as_uri() + "/" if (here / "errors.md").is_file() else None


def code_link(code: str) -> str | None:
    """The code's entry in docs/errors.md or docs/rules.md, as an absolute URI."""
    base = docs_base()
    if base is None:
        return None
    from planc.diagnostics.codes import CODE_NAMES, docs_anchor
    from planc.lint.rules import RULES

    if code in RULES and code not in CODE_NAMES:
        return f"{base}rules.md#{code.lower()}-{RULES[code].name}"
    return f"{base}errors.md#{docs_anchor(code)}" if code in CODE_NAMES else None


class Shift:
    """Lines of the old text <-> lines of the new: the unchanged head and tail."""

    def __init__(self, old: str, new: str) -> None:
        a, b = old.split("\n"), new.split("\n")
        head, tail = common_ends(a, b)
        self.head, self.old_count, self.new_count, self.tail = head, len(a), len(b), tail

    def to_old(self, line: int) -> int | None:
        if line < self.head:
            return line
        if line >= self.new_count - self.tail:
            return line - self.new_count + self.old_count
        return None

    def to_new(self, line: int) -> int | None:
        if line < self.head:
            return line
        if line >= self.old_count - self.tail:
            return line - self.old_count + self.new_count
        return None


class Document:
    """An open document and its compilations."""

    def __init__(self, uri: str, encoding: str = UTF16) -> None:
        self.uri, self.encoding, local = uri, encoding, uri_to_path(uri)
        self.path = str(local) if local else readable(urlparse(uri).path.rsplit("/", 1)[-1] or "<input>")
        self.directory = local.parent if local else None
        self.text, self.lines = "", Lines("", encoding)
        self.version: int | None = None
        self.result: Compilation | None = None
        self.good: Compilation | None = None  # the last compilation with a model
        self.good_text = ""
        self._index: Index | None = None
        self._shift: Shift | None = None

    def update(self, text: str, version: int | None = None) -> None:
        self.text, self.version, self.lines = text, version, Lines(text, self.encoding)
        self.recheck()

    def recheck(self) -> None:
        """Compile the text again (a file it reads may have changed)."""
        from planc.pipeline import compile_text

        self.result = compile_text(readable(self.text), self.path, self.directory, cache=False)
        self._shift = None
        if self.result.model is not None:
            self.good, self.good_text, self._index = self.result, self.text, None

    # ---- the last good compilation, and positions in it
    @property
    def stale(self) -> bool:
        """The answers come from an older text than the one open."""
        return self.good is not None and self.good_text != self.text

    @property
    def good_lines(self) -> Lines:
        return self.lines if not self.stale else Lines(self.good_text, self.encoding)

    @property
    def index(self) -> Index | None:
        """Every name of the last good compilation, made on first use."""
        if self.good is None or self.good.model is None:
            return None
        if self._index is None:
            from planc.lsp.index import Index

            self._index = Index(self.good, self.path)
        return self._index

    def shift(self) -> Shift | None:
        if not self.stale:
            return None
        if self._shift is None:
            self._shift = Shift(self.good_text, self.text)
        return self._shift

    def good_offset(self, position: lsp.Position) -> int | None:
        """A position in the open text as an offset in the good compilation's text."""
        shift = self.shift()
        if shift is None:
            return self.lines.offset(position)
        line = shift.to_old(position.line)
        return None if line is None else self.good_lines.offset(lsp.Position(line, position.character))

    def good_range(self, start: int, end: int) -> lsp.Range | None:
        """Offsets in the good compilation's text as a range in the open text (None if edited away)."""
        lines = self.good_lines
        first, last = lines.position(start), lines.position(end)
        shift = self.shift()
        if shift is None:
            return lsp.Range(first, last)
        a, b = shift.to_new(first.line), shift.to_new(last.line)
        if a is None or b is None:
            return None
        return lsp.Range(lsp.Position(a, first.character), lsp.Position(b, last.character))

    @property
    def module(self) -> ast.Module | None:
        """This document's module in the last good compilation."""
        modules = self.good.program.modules if self.good else ()
        return modules[0] if modules and modules[0].source.path == self.path else None

    # ---- diagnostics
    def shown(self, path: str) -> str:
        """Another file's name, relative to this document's folder when it is inside it."""
        inside = self.directory and os.path.isabs(path) and Path(path).is_relative_to(self.directory)
        return os.path.relpath(path, self.directory) if inside else path

    def diagnostics(self) -> list[lsp.Diagnostic]:
        return [self.diagnostic(d) for d in self.result.diagnostics] if self.result else []

    def diagnostic(self, d: Diagnostic) -> lsp.Diagnostic:
        """A planc Diagnostic as an LSP one. Another file's problem is shown on the
        `import` line that leads to it, with its own place as related information."""
        message, where, related = d.message, ZERO, []
        if d.span is not None and d.span.source.path == self.path:
            where = self.lines.range(d.span.start, d.span.end)
        elif d.file not in (self.path, "<input>"):  # an import, planc.toml
            place = self.shown(d.file) + (f":{d.line}:{d.column}" if d.span is not None else "")
            message = f"{place}: {message}"
            where = self.import_range(d.file) or ZERO
            if d.span is not None:
                related += [r for r in [self.related_at(d.span, "the problem is here")] if r]
        for note in d.notes:
            message += f"\nnote: {note}"
        if d.help:
            message += f"\nhelp: {d.help}"
        related += [r for r in (self.related(label) for label in d.related) if r is not None]
        link = code_link(d.code)
        return lsp.Diagnostic(
            range=where, message=message, source="planc", code=d.code,
            severity=lsp.DiagnosticSeverity.Error if d.is_error else lsp.DiagnosticSeverity.Warning,
            code_description=lsp.CodeDescription(href=link) if link else None,
            tags=[lsp.DiagnosticTag.Unnecessary] if d.code in UNNECESSARY else None,
            related_information=related or None,
            data={"help": d.help} if d.help else None)

    def import_range(self, path: str) -> lsp.Range | None:
        """The `import` statement of this document that names `path` (else the first one)."""
        module = self.result.program.modules[0] if self.result and self.result.program.modules else None
        if module is None or module.source.path != self.path:
            return None
        imports = [s for s in module.statements if isinstance(s, ast.Import)]
        for stmt in imports:
            if self.directory is not None and not stmt.path.startswith("std/"):
                try:
                    if (self.directory / stmt.path).resolve() == Path(path).resolve():
                        return self.lines.range(stmt.span.start, stmt.span.end)
                except (OSError, ValueError):
                    continue
            elif stmt.path.rstrip("/") in path:
                return self.lines.range(stmt.span.start, stmt.span.end)
        return self.lines.range(imports[0].span.start, imports[0].span.end) if imports else None

    def related(self, label: Label) -> lsp.DiagnosticRelatedInformation | None:
        return self.related_at(label.span, label.message)

    def related_at(self, span, message: str) -> lsp.DiagnosticRelatedInformation | None:
        """A place as LSP relatedInformation (None if its file has no URI)."""
        here = span.source.path == self.path
        uri = self.uri if here else path_to_uri(span.source.path)
        if uri is None:
            return None
        lines = self.lines if here else Lines(span.source.text, self.encoding)
        return lsp.DiagnosticRelatedInformation(lsp.Location(uri, lines.range(span.start, span.end)), message)

    def location(self, span) -> lsp.Location | None:
        """A span of the good compilation (this document or another file) as a Location."""
        if span.source.path == self.path:
            where = self.good_range(span.start, span.end)
            return lsp.Location(self.uri, where) if where is not None else None
        uri = path_to_uri(span.source.path)
        return lsp.Location(uri, Lines(span.source.text, self.encoding).range(span.start, span.end)) if uri else None
