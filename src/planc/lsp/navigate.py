"""Go to definition, references, rename and document links.

All of them look the name under the cursor up in the compilation's `Index`.
Definition goes from a reference to its declaration, in this plan, an
import or the standard library, and from a value of a `data` table to its
row in the CSV file. References and rename cover the plan and its imports;
a rename that would clash with or shadow another name, or touch the
standard library, is refused with a message.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from planc.lsp.hover import occurrence_at
from planc.lsp.positions import Lines, path_to_uri
from planc.syntax import ast

if TYPE_CHECKING:
    from planc.lsp.documents import Document
    from planc.lsp.index import Key

NAME = re.compile(r"[^\W\d]\w*\Z")  # a plan name: a letter or _, then letters, digits, _ (any script)


class RenameRefused(Exception):
    """A rename that cannot be done; its message is shown to the user."""


def definition(doc: Document, position: lsp.Position) -> lsp.Location | None:
    found, index = occurrence_at(doc, position), doc.index
    if found is None or index is None:
        return None
    key = found.key
    if key[0] == "value":
        row = csv_row(doc, key[1], key[2])
        if row is not None:
            return row
        key = ("value", key[1], key[2]) if index.definition(key) else ("table", key[1])
    if key[0] in ("import", "data"):
        return _file_location(doc, key)
    span = index.definition(key)
    return doc.location(span) if span is not None else None


def _file_location(doc: Document, key: Key) -> lsp.Location | None:
    target = key[1] if key[1].startswith("std/") else str((doc.directory or Path.cwd()) / key[1])
    if key[0] == "import" and key[1].startswith("std/") and not key[1].endswith(".plan"):
        target += ".plan"
    uri = path_to_uri(target)
    return lsp.Location(uri, lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))) if uri else None


def csv_row(doc: Document, table: str, key: str) -> lsp.Location | None:
    """The line of a `data` table's CSV file that holds `key` (`row.col` for a 2-D table)."""
    result = doc.good
    data = next((d for d in result.program.data if d.decl.name == table), None) if result else None
    if data is None or data.decl.span.source.path != doc.path or doc.directory is None:
        return None
    path = doc.directory / data.decl.path
    try:
        from planc.semantics.loader import read_text

        text = read_text(path)[0]
    except Exception:  # the loader already reported an unreadable file
        return None
    if text is None:
        return None
    parts = key.split(".")
    for number, row in enumerate(csv.reader(io.StringIO(text, newline=""))):
        cells = [c.strip() for c in row]
        if number > 0 and cells[: len(parts)] == parts:
            line = text.split("\n")[number] if number < text.count("\n") + 1 else ""
            end = Lines(line).position(len(line.rstrip("\r")))
            return lsp.Location(path.resolve().as_uri(),
                                lsp.Range(lsp.Position(number, 0), lsp.Position(number, end.character)))
    return None


def references(doc: Document, position: lsp.Position, include_declaration: bool) -> list[lsp.Location]:
    found, index = occurrence_at(doc, position), doc.index
    if found is None or index is None or found.key[0] not in ("target", "table", "value"):
        return []
    out = []
    for occurrence in index.references(found.key):
        if occurrence.declaration and not include_declaration:
            continue
        location = doc.location(_name_part(occurrence))
        if location is not None:
            out.append(location)
    return out


def _name_part(occurrence):
    """The part of a reference that names the thing: `east` of `year.east`, `history` of `history.east`."""
    span, ref, key = occurrence.span, occurrence.ref, occurrence.key
    if ref is None or len(ref.parts) == 1:
        return span
    from planc.source import Span

    if key[0] == "table":
        return Span(span.source, span.start, span.start + len(ref.parts[0]))
    if key[0] == "target":
        return Span(span.source, span.end - len(ref.parts[-1]), span.end)
    return span


def prepare_rename(doc: Document, position: lsp.Position) -> lsp.PrepareRenamePlaceholder | None:
    found = occurrence_at(doc, position)
    if found is None or found.key[0] not in ("target", "table") or doc.stale:
        return None
    span = _name_part(found)
    where = doc.good_range(span.start, span.end)
    name = found.key[1].rsplit(".", 1)[-1] if found.key[0] == "target" else found.key[1]
    return lsp.PrepareRenamePlaceholder(range=where, placeholder=name) if where else None


def rename(doc: Document, position: lsp.Position, new_name: str) -> lsp.WorkspaceEdit | None:
    """Rename a target or a table everywhere it is written (the plan and its imports)."""
    found, index = occurrence_at(doc, position), doc.index
    if found is None or index is None or found.key[0] not in ("target", "table"):
        raise RenameRefused("only a target or a table can be renamed")
    if doc.stale:
        raise RenameRefused("the plan has syntax errors: fix them before renaming")
    if not NAME.match(new_name):
        raise RenameRefused(f"`{new_name}` is not a name (a letter, then letters, digits or _)")
    _refuse_clash(doc, found.key, new_name)
    changes: dict[str, list[lsp.TextEdit]] = {}
    for occurrence in index.references(found.key):
        span = _name_part(occurrence)
        if span.source.path.startswith("std/"):
            raise RenameRefused("the standard library cannot be renamed in")
        location = doc.location(span)
        if location is None:
            raise RenameRefused(f"cannot edit `{span.source.path}`")
        changes.setdefault(location.uri, []).append(lsp.TextEdit(location.range, new_name))
    return lsp.WorkspaceEdit(changes=changes)


def _refuse_clash(doc: Document, key: Key, new_name: str) -> None:
    model = doc.good.model if doc.good else None
    assert model is not None
    if new_name in ast.KEYWORDS:
        raise RenameRefused(f"`{new_name}` is a keyword")
    if new_name in model.tables:
        raise RenameRefused(f"a table `{new_name}` already exists")
    if key[0] == "target":
        node = model.targets[key[1]]
        siblings = node.parent.path + "." if node.parent is not None else ""
        clash = model.targets.get(siblings + new_name)
        if clash is not None:
            raise RenameRefused(f"`{clash.path}` already exists")
        same = [t.path for t in model.targets.values() if t.name == new_name]
        if same:
            raise RenameRefused(f"`{new_name}` would shadow or be shadowed by `{same[0]}`")
    elif any(t.name == new_name for t in model.targets.values()):
        raise RenameRefused(f"a target `{new_name}` already exists")


def document_links(doc: Document) -> list[lsp.DocumentLink]:
    """`import "…"` and `csv("…")` paths, to the files they name."""
    index = doc.index
    if index is None:
        return []
    out = []
    for occurrence in index.by_file.get(doc.path, ()):
        if occurrence.key[0] in ("import", "data"):
            location = _file_location(doc, occurrence.key)
            where = doc.good_range(occurrence.span.start, occurrence.span.end)
            if location is not None and where is not None:
                out.append(lsp.DocumentLink(range=where, target=location.uri))
    return out
