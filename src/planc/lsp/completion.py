"""Completion: what may be written where the cursor is.

The context is read from the open text before the cursor (so it works
mid-edit); the candidates come from the last good compilation:

- in `import "…`: the `std/…` modules;
- after `NAME.`: a table's keys, or a target's children;
- inside `[ … ]`: attribute keys, and after `status:` the status values;
- inside the `plan "…" { … }` header: its keys;
- after `by`: the dimensions the plan splits by and the time dimensions;
- elsewhere: targets (the siblings of the split the cursor is in first),
  tables and keywords.

A target's detail is its amount; a table's, its size.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from planc.amounts import format_amount
from planc.semantics.concepts import STATUSES
from planc.semantics.settings import ATTRIBUTE_KEYS, HEADER_KEYS
from planc.semantics.time import TIME_DIMENSIONS
from planc.syntax import ast

if TYPE_CHECKING:
    from planc.lsp.documents import Document

CK = lsp.CompletionItemKind
IMPORT = re.compile(r'\bimport\s+"([^"]*)\Z')
DOTTED = re.compile(r"([^\W\d][\w.]*)\.(\w*)\Z")
STATUS = re.compile(r"\bstatus\s*:\s*\w*\Z")
BY = re.compile(r"\bby\s+\w*\Z")
HEADER = re.compile(r'\bplan\s+"[^"\n]*"\s*\{')


def complete(doc: Document, position: lsp.Position) -> lsp.CompletionList:
    offset = doc.lines.offset(position)
    line_start = doc.lines.starts[doc.lines.line_of(offset)]
    before = doc.text[line_start:offset]
    items = _items(doc, before, offset)
    return items if isinstance(items, lsp.CompletionList) else lsp.CompletionList(is_incomplete=False, items=items)


def _items(doc: Document, line: str, offset: int) -> lsp.CompletionList | list[lsp.CompletionItem]:
    before = line[-200:]  # the patterns look at the end of the line: bounded work on any line
    if (m := IMPORT.search(before)) is not None:
        return std_modules()
    if line.count('"') % 2 == 1:  # inside a string: nothing to offer
        return []
    if (m := DOTTED.search(before)) is not None:
        return members(doc, m.group(1))
    if before.rfind("[") > before.rfind("]"):
        if STATUS.search(before):
            return [lsp.CompletionItem(s, kind=CK.EnumMember) for s in STATUSES]
        if before.rfind(":") < max(before.rfind("["), before.rfind(",")):
            return [lsp.CompletionItem(k, kind=CK.Property, insert_text=f"{k}: ") for k in sorted(ATTRIBUTE_KEYS)]
        return []
    if _in_header(doc.text, offset):
        if before.rfind(":") > max(before.rfind("{"), before.rfind(";")):
            return [lsp.CompletionItem(s, kind=CK.EnumMember) for s in STATUSES] if "status" in before else []
        return [lsp.CompletionItem(k, kind=CK.Property, insert_text=f"{k}: ") for k in sorted(HEADER_KEYS)]
    if BY.search(before):
        return dimensions(doc)
    return names(doc, offset)


def _in_header(text: str, offset: int) -> bool:
    head = None
    for head in HEADER.finditer(text, 0, offset):
        pass
    return head is not None and "}" not in text[head.end() : offset]


def std_modules() -> list[lsp.CompletionItem]:
    from planc.resources import resource_dir

    folder = resource_dir("stdlib")
    found = sorted(p.stem for p in folder.glob("*.plan"))
    return [lsp.CompletionItem(f"std/{name}", kind=CK.Module) for name in found]


def members(doc: Document, head: str) -> list[lsp.CompletionItem]:
    """`T.` a table's keys (`row.col` for a 2-D table); `t.` a target's children."""
    model = doc.good.model if doc.good else None
    if model is None:
        return []
    table = model.tables.get(head)
    if table is not None:
        keys = [k if isinstance(k, str) else ".".join(k) for k in table.values]
        return [lsp.CompletionItem(k, kind=CK.Field, detail=format_amount(v))
                for k, v in zip(keys, table.values.values())]
    from planc.semantics.model import find_targets

    found = find_targets(model, head)
    if len(found) != 1:
        return []
    kids = [*(c for split in found[0].splits for c in split.children), *found[0].cells]
    return [_target_item(doc, c, "0") for c in kids]


def dimensions(doc: Document) -> list[lsp.CompletionItem]:
    model = doc.good.model if doc.good else None
    used = sorted({s.dimension for s in model.splits}) if model else []
    extra = sorted(set(TIME_DIMENSIONS) - set(used))
    return [lsp.CompletionItem(d, kind=CK.Enum, sort_text=f"{i}") for i, d in enumerate(used + extra)]


def _target_item(doc: Document, node, rank: str) -> lsp.CompletionItem:
    ev = doc.good.evaluation if doc.good else None
    value = ev.values.get(node.path) if ev else None
    detail = format_amount(value) if value is not None else None
    return lsp.CompletionItem(node.name, kind=CK.Variable, detail=detail, sort_text=f"{rank}{node.name}",
                              documentation=node.path)


MAX_ITEMS = 100  # more, and the list is marked incomplete: the client asks again as you type


def names(doc: Document, offset: int) -> lsp.CompletionList | list[lsp.CompletionItem]:
    """Targets (siblings first), tables, then keywords, one item a name, those
    starting with the word before the cursor (any case)."""
    start = offset
    while start > 0 and (doc.text[start - 1].isalnum() or doc.text[start - 1] == "_"):
        start -= 1
    prefix = doc.text[start:offset].casefold()
    items: dict[str, lsp.CompletionItem] = {}
    for node in _siblings(doc, offset):
        if node.name.casefold().startswith(prefix):
            items.setdefault(node.name, _target_item(doc, node, "0"))
    for name, item in _all_names(doc).items():
        if name not in items and name.casefold().startswith(prefix):
            items[name] = item
            if len(items) > MAX_ITEMS:
                return lsp.CompletionList(is_incomplete=True, items=list(items.values()))
    return list(items.values())


def _all_names(doc: Document) -> dict[str, lsp.CompletionItem]:
    """Every name of the last good compilation as an item, made once per compilation."""
    index = doc.index
    cached = index.cache.get("completion") if index is not None else None
    if cached is not None:
        return cached
    model = doc.good.model if doc.good else None
    items: dict[str, lsp.CompletionItem] = {}
    if model is not None:
        for node in model.targets.values():
            if node.decl is not None and node.name not in items:
                items[node.name] = _target_item(doc, node, "1")
        for name, table in model.tables.items():
            if name not in items:
                items[name] = lsp.CompletionItem(name, kind=CK.Struct, detail=f"table, {len(table.values)} values",
                                                 sort_text=f"2{name}")
    for word in sorted(ast.KEYWORDS):
        items.setdefault(word, lsp.CompletionItem(word, kind=CK.Keyword, sort_text=f"3{word}"))
    if index is not None:
        index.cache["completion"] = items
    return items


def _siblings(doc: Document, offset: int) -> list:
    """The children of the split whose block holds the cursor."""
    model = doc.good.model if doc.good else None
    shift = doc.shift()
    if shift is not None:
        line = shift.to_old(doc.lines.line_of(offset))
        if line is None:
            return []
        offset = doc.good_lines.starts[min(line, len(doc.good_lines.starts) - 1)]
    if model is None:
        return []
    for split in model.splits:
        span = split.decl.span
        if span.source.path == doc.path and span.start <= offset <= span.end:
            return split.children
    return []
