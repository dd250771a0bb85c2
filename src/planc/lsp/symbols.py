"""Document symbols (targets, tables, data, assertions, crosses), workspace
symbols, and formatting of the whole document or a range of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from planc.semantics.measures import shown
from planc.amounts import format_amount
from planc.lsp.positions import Lines
from planc.semantics.model import TargetNode
from planc.syntax import ast

if TYPE_CHECKING:
    from planc.lsp.documents import Document

K = lsp.SymbolKind
# pygls writes replies with recursive code (cattrs, json): symbols deeper than this are
# listed flat under their ancestor at this depth, in tree order.
MAX_DEPTH = 64


def flatten_below(symbols: list[lsp.DocumentSymbol], depth: int) -> None:
    """Symbols nested deeper than `depth` become the flat children of their ancestor at `depth`."""
    level = [(s, 1) for s in symbols]
    while level:
        symbol, at = level.pop()
        kids = symbol.children or []
        if at < depth:
            level += [(k, at + 1) for k in kids]
            continue
        flat, stack = [], list(reversed(kids))
        while stack:
            kid = stack.pop()
            flat.append(kid)
            stack.extend(reversed(kid.children or []))
            kid.children = None
        symbol.children = flat or None


def document_symbols(doc: Document) -> list[lsp.DocumentSymbol]:
    """The target tree (roots, then the children of every split), then the
    plan's tables, data, assertions and crosses, in the order they are written."""
    result = doc.good
    if result is None or result.model is None:
        return []
    out = [s for root in result.model.roots for s in tree(doc, root)]
    flatten_below(out, MAX_DEPTH)
    module = doc.module
    for stmt in module.statements if module is not None else ():
        symbol = statement_symbol(doc, stmt)
        if symbol is not None:
            out.append(symbol)
    return out


def statement_symbol(doc: Document, stmt) -> lsp.DocumentSymbol | None:
    """A symbol for a statement that is not a target (those are in the tree)."""
    if isinstance(stmt, (ast.Table, ast.Data)):
        kind, name, detail, pick = K.Struct, stmt.name, "table", stmt.name_span
        if isinstance(stmt, ast.Data):
            detail = f"data from {stmt.path}"
    elif isinstance(stmt, ast.Assert):
        kind, name, detail, pick = K.Boolean, stmt.message or "assert", "assert", stmt.span
    elif isinstance(stmt, ast.Cross):
        kind, name, detail, pick = K.Array, "cross " + " × ".join(stmt.dims), "cross", stmt.span
    else:
        return None
    whole, chosen = doc.good_range(stmt.span.start, stmt.span.end), doc.good_range(pick.start, pick.end)
    if whole is None or chosen is None:
        return None
    return lsp.DocumentSymbol(name=name or "?", kind=kind, range=whole, selection_range=chosen, detail=detail)


def tree(doc: Document, root: TargetNode) -> list[lsp.DocumentSymbol]:
    """The node as a DocumentSymbol with its children; a node declared
    elsewhere (an import, a cross cell) hands its children up. Iterative,
    children before parents: a split chain can be thousands deep."""
    order, stack = [], [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend([c for split in node.splits for c in split.children] + list(node.cells))
    made: dict[int, list[lsp.DocumentSymbol]] = {}
    for node in reversed(order):
        kids = [s for split in node.splits for c in split.children for s in made.pop(id(c))]
        kids += [s for cell in node.cells for s in made.pop(id(cell))]
        made[id(node)] = _symbol(doc, node, kids)
    return made[id(root)]


def _symbol(doc: Document, node: TargetNode, kids: list) -> list[lsp.DocumentSymbol]:
    span, decl, result = node.span, node.decl, doc.good
    if span is None or decl is None or result is None or result.model is None or span.source.path != doc.path:
        return kids
    whole, chosen = doc.good_range(decl.span.start, decl.span.end), doc.good_range(span.start, span.end)
    if whole is None or chosen is None:
        return kids
    ev = result.evaluation
    value = ev.values.get(node.path) if ev else None
    currency = (shown(result.model.measures, ev.units, node.path) if ev else None) or result.model.header.currency or ""
    return [lsp.DocumentSymbol(
        name=node.name, detail=f"{format_amount(value)} {currency}".rstrip() if value is not None else "",
        kind=K.Number if value is not None else K.Variable, range=whole, selection_range=chosen,
        children=kids)]


def workspace_symbols(docs, query: str) -> list[lsp.WorkspaceSymbol]:
    """Targets and tables of every open plan whose name contains `query` (any case)."""
    wanted, out = query.casefold(), []
    for doc in docs:
        index = doc.index
        if index is None:
            continue
        for key, occurrence in index.declared.items():
            if key[0] not in ("target", "table") or wanted not in key[1].casefold():
                continue
            location = doc.location(occurrence.span)
            if location is not None:
                kind = K.Number if key[0] == "target" else K.Struct
                out.append(lsp.WorkspaceSymbol(name=key[1], kind=kind, location=location))
    return out[:500]


def formatting(doc: Document) -> list[lsp.TextEdit]:
    from planc.fmt import format_text

    formatted = format_text(doc.text, doc.path)[0]
    if formatted is None or formatted == doc.text:
        return []
    return [lsp.TextEdit(doc.lines.range(0, len(doc.text)), formatted)]


def range_formatting(doc: Document, wanted: lsp.Range) -> list[lsp.TextEdit]:
    """`planc fmt` on the whole text, kept to the lines of `wanted`: the
    formatted text's lines between the unchanged head and tail of the file
    replace the original ones only when that stretch lies within `wanted`."""
    from planc.fmt import format_text

    formatted = format_text(doc.text, doc.path)[0]
    if formatted is None or formatted == doc.text:
        return []
    old, new = doc.text.split("\n"), formatted.split("\n")
    edits = []
    for a0, a1, b0, b1 in _changed_blocks(old, new):
        if a0 >= wanted.start.line and a1 - 1 <= wanted.end.line:
            lines = Lines(doc.text, doc.encoding)
            start = lines.starts[a0] if a0 < len(lines.starts) else len(doc.text)
            end = lines.starts[a1] if a1 < len(lines.starts) else len(doc.text)
            text = "".join(line + "\n" for line in new[b0:b1])
            if a1 >= len(old):  # the last line has no newline of its own
                text = text[:-1] if text.endswith("\n") else text
            edits.append(lsp.TextEdit(lines.range(start, end), text))
    return edits


def _changed_blocks(old: list[str], new: list[str]):
    """(old start, old end, new start, new end) of each run of changed lines."""
    import difflib

    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "replace" and a1 - a0 == b1 - b0:  # line for line: each its own edit
            yield from ((a0 + i, a0 + i + 1, b0 + i, b0 + i + 1) for i in range(a1 - a0))
        elif tag != "equal":
            yield a0, a1, b0, b1
