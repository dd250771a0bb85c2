"""Every name of a compiled plan, made once per compilation: what hover,
definition, references, rename, highlights and completion look up.

An occurrence is a span of a file and the key of what it names:

| key | what |
| --- | --- |
| `("target", path)` | a target, by canonical path |
| `("table", name)` | a `table` or a `data` table |
| `("value", table, key)` | one value of a table (`history.east`, a table entry's key) |
| `("assert", n)` | the n-th assertion (the `assert` keyword) |
| `("cross", n)` | the n-th cross (the `cross` keyword) |
| `("import", path)` | an `import "…"` path |
| `("data", path)` | a `csv("…")` path |

The walk is generic over the syntax tree (every attrs node, every field), so
a statement added to the language is indexed as soon as its references are
`ast.Ref`s; only declarations need a line here. Occurrences do not nest (an
assertion is its keyword), so the one under the cursor is a bisection away.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from planc.semantics.model import TargetNode, find_targets
from planc.source import Source, Span
from planc.syntax import ast

if TYPE_CHECKING:
    from planc.pipeline import Compilation

Key = tuple


@attrs.frozen
class Occurrence:
    span: Span
    key: Key
    declaration: bool = False
    ref: ast.Ref | None = None


class Index:
    def __init__(self, result: Compilation, main_path: str) -> None:
        self.result, self.main_path = result, main_path
        self.by_file: dict[str, list[Occurrence]] = defaultdict(list)
        self.uses: dict[Key, list[Occurrence]] = defaultdict(list)
        self.declared: dict[Key, Occurrence] = {}
        self.cache: dict[str, Any] = {}  # what features make once per compilation
        self.asserts: dict[int, int] = {}  # id(ast.Assert) -> n
        self.crosses: dict[int, int] = {}
        model = result.model
        assert model is not None
        for node in model.targets.values():
            if node.span is not None:
                self._add(Occurrence(node.span, ("target", node.path), True))
        for module in result.program.modules:
            self._walk(module)
        for occurrences in self.by_file.values():
            occurrences.sort(key=lambda o: o.span.start)
        self.starts = {path: [o.span.start for o in occ] for path, occ in self.by_file.items()}

    def _add(self, occurrence: Occurrence) -> None:
        self.by_file[occurrence.span.source.path].append(occurrence)
        self.uses[occurrence.key].append(occurrence)
        if occurrence.declaration:
            self.declared.setdefault(occurrence.key, occurrence)

    def _walk(self, module: ast.Module) -> None:
        stack: list = list(reversed(module.statements))
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Ref):
                key = self.key_of(node)
                if key is not None:
                    self._add(Occurrence(node.span, key, ref=node))
                continue
            if isinstance(node, (tuple, list)):
                stack.extend(reversed(node))
                continue
            if not attrs.has(type(node)) or isinstance(node, (Span, Source)):
                continue
            self._declaration(node)
            stack.extend(reversed([getattr(node, f.name) for f in attrs.fields(type(node))]))

    def _declaration(self, node) -> None:
        if isinstance(node, (ast.Table, ast.Data)):
            self._add(Occurrence(node.name_span, ("table", node.name), True))
            if isinstance(node, ast.Data):
                self._add(Occurrence(node.path_span, ("data", node.path)))
        elif isinstance(node, ast.TableEntry):
            table = self._table_of_entry(node)
            if table is not None:
                key = node.key if node.column is None else f"{node.key}.{node.column}"
                self._add(Occurrence(node.key_span, ("value", table, key), True))
        elif isinstance(node, ast.WeightArg) and node.table:
            start = node.span.start  # the argument starts with the table's name
            self._add(Occurrence(Span(node.span.source, start, start + len(node.table)), ("table", node.table)))
        elif isinstance(node, ast.Assert):
            n = self.asserts.setdefault(id(node), len(self.asserts))
            self._add(Occurrence(Span(node.span.source, node.span.start, node.span.start + 6), ("assert", n)))
        elif isinstance(node, ast.Cross):
            n = self.crosses.setdefault(id(node), len(self.crosses))
            self._add(Occurrence(Span(node.span.source, node.span.start, node.span.start + 5), ("cross", n)))
        elif isinstance(node, ast.Import):
            self._add(Occurrence(node.span, ("import", node.path)))

    _entry_tables: dict[int, str] | None = None

    def _table_of_entry(self, entry: ast.TableEntry) -> str | None:
        if self._entry_tables is None:
            self._entry_tables = {id(e): s.name for m in self.result.program.modules for s in m.statements
                                  if isinstance(s, ast.Table) for e in s.entries}
        return self._entry_tables.get(id(entry))

    def key_of(self, ref: ast.Ref) -> Key | None:
        model = self.result.model
        assert model is not None
        hit = model.refs.get(id(ref))
        if isinstance(hit, TargetNode):
            return ("target", hit.path)
        if isinstance(hit, Fraction) or (hit is None and ref.parts[0] in model.tables and len(ref.parts) > 1):
            return ("value", ref.parts[0], ".".join(ref.parts[1:]))
        if ref.parts[0] in model.tables and len(ref.parts) == 1:
            return ("table", ref.parts[0])
        found = find_targets(model, ref.dotted)
        return ("target", found[0].path) if len(found) == 1 else None

    # ---- look-ups
    def at(self, path: str, offset: int) -> Occurrence | None:
        """The occurrence whose span holds `offset` (its end included) in the file `path`."""
        starts = self.starts.get(path)
        if not starts:
            return None
        i = bisect.bisect_right(starts, offset) - 1
        for occurrence in self.by_file[path][max(0, i - 1) : i + 1][::-1]:
            if occurrence.span.start <= offset <= occurrence.span.end:
                return occurrence
        return None

    def definition(self, key: Key) -> Span | None:
        hit = self.declared.get(key)
        if hit is not None:
            return hit.span
        model = self.result.model
        if model is not None and key[0] == "table" and key[1] in model.tables:
            return model.tables[key[1]].span
        return None

    def references(self, key: Key) -> list[Occurrence]:
        return list(self.uses.get(key, ()))

    def node(self, key: Key) -> TargetNode | None:
        model = self.result.model
        return model.targets.get(key[1]) if model is not None and key[0] == "target" else None
