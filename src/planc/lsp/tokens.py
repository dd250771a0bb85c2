"""Semantic tokens, full and delta.

The text is scanned with the grammar's own token shapes (comments, strings,
dates, percentages, numbers with `k`/`M`/`B`/`万`/`亿`, keywords, names), so
highlighting works while the text has syntax errors. Names are classified
by the last good compilation: targets are variables, tables are types,
attribute and header keys properties, status values enum members; a
declaration carries the `declaration` modifier.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from planc.lsp.positions import common_ends, units
from planc.semantics.concepts import STATUSES
from planc.semantics.settings import ATTRIBUTE_KEYS, HEADER_KEYS
from planc.syntax.ast import KEYWORDS

if TYPE_CHECKING:
    from planc.lsp.documents import Document

TYPES = ["keyword", "number", "string", "comment", "variable", "type", "property", "enumMember", "operator"]
MODIFIERS = ["declaration", "defaultLibrary"]
LEGEND_OPTIONS = lsp.SemanticTokensRegistrationOptions(
    legend=lsp.SemanticTokensLegend(token_types=TYPES, token_modifiers=MODIFIERS),
    full=lsp.SemanticTokensFullDelta(delta=True), range=False, document_selector=None)
TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>"(?:\\.|[^"\\\n])*"?)
  | (?P<number>\d{4}-\d{2}-\d{2}|\d[\d_]*(?:\.\d[\d_]*)?(?:%|k|M|B|万|亿)?(?![^\W\d_]))
  | (?P<name>[^\W\d]\w*)
  | (?P<operator>[-+*/=<>!]=?|\.\.)
""", re.VERBOSE)
_DECL_BEFORE = re.compile(r"(?:target|table|data)\s+\Z")
_KEY_AFTER = re.compile(r"\s*:")

_cache: dict[str, tuple[str, str, list[int]]] = {}  # uri -> (result id, text, data)
_serial = [0]


def classify(doc: Document) -> tuple[set[str], set[str]]:
    """The names of targets and of tables in the last good compilation."""
    model = doc.good.model if doc.good else None
    if model is None:
        return set(), set()
    return {n.name for n in model.targets.values()}, set(model.tables)


def scan(doc: Document) -> list[int]:
    """The tokens of the open text, encoded as LSP wants: five integers each, relative."""
    targets, tables = classify(doc)
    text, data = doc.text, []
    previous_line = previous_start = 0
    for number, line in enumerate(text.split("\n")):
        seen = counted = 0  # characters of the line measured so far, and their code units
        for m in TOKEN.finditer(line):
            kind: str | None = m.lastgroup
            word = m.group()
            modifiers = 0
            if kind == "name":
                kind, modifiers = _name_kind(word, line, m.start(), m.end(), targets, tables)
                if kind is None:
                    continue
            counted += units(line[seen : m.start()], doc.encoding)
            seen = m.start()
            start = counted
            length = units(word, doc.encoding)
            delta_line = number - previous_line
            delta_start = start - previous_start if delta_line == 0 else start
            data += [delta_line, delta_start, length, TYPES.index(kind or "variable"), modifiers]
            previous_line, previous_start = number, start
    return data


def _name_kind(word: str, line: str, start: int, end: int, targets: set[str], tables: set[str]):
    if word in KEYWORDS:
        return "keyword", 0
    declared = 1 if _DECL_BEFORE.search(line[max(0, start - 40) : start]) else 0
    if _KEY_AFTER.match(line, end) and (word in ATTRIBUTE_KEYS or word in HEADER_KEYS):
        return "property", 0
    if word in STATUSES:
        return "enumMember", 0
    if word in tables:
        return "type", declared
    if word in targets or declared:
        return "variable", declared
    return "variable", 0


def full(doc: Document) -> lsp.SemanticTokens:
    data = scan(doc)
    _serial[0] += 1
    result_id = str(_serial[0])
    _cache[doc.uri] = (result_id, doc.text, data)
    return lsp.SemanticTokens(data=data, result_id=result_id)


def delta(doc: Document, previous: str) -> lsp.SemanticTokens | lsp.SemanticTokensDelta:
    """One edit from the tokens sent as `previous` to the current ones (or all of them)."""
    before = _cache.get(doc.uri)
    if before is None or before[0] != previous:
        return full(doc)
    old = before[2]
    new = full(doc)
    data = new.data
    head, tail = common_ends(old, data)
    edits = [] if old == data else [lsp.SemanticTokensEdit(start=head, delete_count=len(old) - head - tail,
                                                           data=data[head : len(data) - tail])]
    return lsp.SemanticTokensDelta(edits=edits, result_id=new.result_id)


def forget(uri: str) -> None:
    _cache.pop(uri, None)
