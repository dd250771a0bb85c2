"""Code actions (quick fixes) from the diagnostics the client sends back.

- E003 undefined name, E026 not a table: "did you mean" replaces the name;
  a table the standard library defines adds its `import "std/…"` line.
- E005 over-allocation: add the `overassign N%` the help line proposes.
- E005/E006 over- or under-allocation: turn the child it points at into `rest`
  (when the split has none yet).
- any warning: insert a `# planc: disable-next-line=CODE` comment above it.

The fixes read the diagnostic's `help:` (kept in its `data`) and the open text,
never an amount: the compiler's numbers stay the compiler's.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Sequence

from lsprotocol import types as lsp

from planc.syntax import ast

if TYPE_CHECKING:
    from planc.lsp.documents import Document

DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`")
OVERASSIGN = re.compile(r"add `(overassign \d+%)`")
UNDEFINED = re.compile(r"(?:undefined name `([^`]+)`|`([^`]+)` is not a table)")
TABLE_DECL = re.compile(r"^\s*(?:table|data)\s+([^\W\d]\w*)", re.M)


def help_of(d: lsp.Diagnostic) -> str:
    if isinstance(d.data, dict) and isinstance(d.data.get("help"), str):
        return d.data["help"]
    return d.message.split("\nhelp: ", 1)[1] if "\nhelp: " in d.message else ""


def code_actions(doc: Document, wanted: lsp.Range, diagnostics: Sequence[lsp.Diagnostic]) -> list[lsp.CodeAction]:
    out: list[lsp.CodeAction] = []
    for d in diagnostics:
        if d.source not in (None, "planc"):
            continue
        code, help_text = str(d.code or ""), help_of(d)
        if (m := DID_YOU_MEAN.search(help_text)) is not None:
            out.append(_fix(doc, f"Change to `{m.group(1)}`", d, [lsp.TextEdit(d.range, m.group(1))], True))
        if code in ("E003", "E026") and (m := UNDEFINED.search(d.message)) is not None:
            out += _import_for(doc, (m.group(1) or m.group(2)).split(".")[0], d)
        if code == "E005" and (m := OVERASSIGN.search(help_text)) is not None:
            edit = _overassign_edit(doc, d.range, m.group(1))
            if edit is not None:
                out.append(_fix(doc, f"Add `{m.group(1)}` to the split", d, [edit]))
        if code in ("E005", "E006") and not _split_has_rest(doc, d.range):
            out.append(_fix(doc, "Make this child `rest`", d, [lsp.TextEdit(d.range, "rest")]))
        if d.severity == lsp.DiagnosticSeverity.Warning and code:
            out.append(_fix(doc, f"Disable {code} for this line", d, [_disable_edit(doc, d.range.start.line, code)]))
    return out


def _fix(doc: Document, title: str, d: lsp.Diagnostic, edits: list[lsp.TextEdit],
         preferred: bool = False) -> lsp.CodeAction:
    return lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[d],
                          edit=lsp.WorkspaceEdit(changes={doc.uri: edits}), is_preferred=preferred or None)


@functools.lru_cache(maxsize=1)
def std_tables() -> dict[str, str]:
    """Table name -> the `std/…` module that defines it."""
    from planc.resources import resource_dir

    out: dict[str, str] = {}
    for path in sorted(resource_dir("stdlib").glob("*.plan")):
        for name in TABLE_DECL.findall(path.read_text(encoding="utf-8")):
            out.setdefault(name, f"std/{path.stem}")
    return out


def _import_for(doc: Document, name: str, d: lsp.Diagnostic) -> list[lsp.CodeAction]:
    module = std_tables().get(name)
    if module is None or f'"{module}"' in doc.text:
        return []
    line = _import_line(doc)
    where = lsp.Position(line, 0)
    edit = lsp.TextEdit(lsp.Range(where, where), f'import "{module}"\n')
    return [_fix(doc, f'Add `import "{module}"`', d, [edit], True)]


def _import_line(doc: Document) -> int:
    """The line after the header and the last import (0 in a plan with neither)."""
    module = doc.module
    heads = [s for s in module.statements if isinstance(s, (ast.PlanHeader, ast.Import))] if module else []
    if not heads or doc.stale:
        return 0
    return doc.lines.line_of(heads[-1].span.end) + 1


def _split_at(doc: Document, where: lsp.Range) -> ast.Split | None:
    module = doc.module
    offset = doc.good_offset(where.start)
    if module is None or offset is None:
        return None
    for stmt in module.statements:
        if isinstance(stmt, ast.Split) and stmt.span.start <= offset <= stmt.span.end:
            return stmt
    return None


def _split_has_rest(doc: Document, where: lsp.Range) -> bool:
    split = _split_at(doc, where)
    return split is None or any(isinstance(c.alloc, ast.Rest) for c in split.children)


def _overassign_edit(doc: Document, where: lsp.Range, words: str) -> lsp.TextEdit | None:
    """` overassign N%` after the split's dimension and method, before its block."""
    split = _split_at(doc, where)
    if split is None or split.overassign is not None or doc.stale:
        return None
    text = doc.text
    end = text.find("{", split.dimension_span.end, split.span.end) if split.has_block else split.span.end
    if end < 0:
        return None
    at = end
    while at > split.dimension_span.end and text[at - 1] in " \t":
        at -= 1
    place = doc.lines.position(at)
    return lsp.TextEdit(lsp.Range(place, place), f" {words}")


def _disable_edit(doc: Document, line: int, code: str) -> lsp.TextEdit:
    text = doc.text.split("\n")[line] if line < doc.text.count("\n") + 1 else ""
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    where = lsp.Position(line, 0)
    return lsp.TextEdit(lsp.Range(where, where), f"{indent}# planc: disable-next-line={code}\n")
