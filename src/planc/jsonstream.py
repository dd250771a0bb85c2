"""JSON written piece by piece: the same text as `json.dumps(doc, ensure_ascii=False,
indent=2)`, byte for byte, without holding the whole document in memory.

A document is made of plain JSON values and lazy ones, `Items` (an object),
`Array` (a list) and `Numbers` (an object of numbers, given as its keys and
their values), whose entries are made only when they are written: a
report of a million targets writes its `targets` and `details` one entry at
a time. `chunks(doc)` yields the text; `batched` joins it into pieces of about
a megabyte for a file or a pipe.
"""

from __future__ import annotations

import itertools

import json
import json.encoder
from typing import Callable, Iterable, Iterator, Sequence

_ENCODER = json.JSONEncoder(ensure_ascii=False, indent=2)
_STRING = json.encoder.encode_basestring  # as json.dumps(ensure_ascii=False) writes a string


def _float(value: float) -> str:
    """A float as json.dumps writes it (NaN and the infinities as JavaScript names them)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


# json's own encoder of nested values, made once (json.dumps makes one a call: too slow for a
# million small values); it takes the indentation level to start at.
_NESTED = json.encoder._make_iterencode(  # type: ignore[attr-defined]
    {}, _ENCODER.default, _STRING, "  ", _float, ": ", ",", False, False, False)


class Items:
    """A JSON object whose (key, value) pairs `make()` yields when it is written."""

    def __init__(self, make: Callable[[], Iterable[tuple[str, object]]]) -> None:
        self.make = make


class Array:
    """A JSON list whose values `make()` yields when it is written."""

    def __init__(self, make: Callable[[], Iterable[object]]) -> None:
        self.make = make


class Numbers:
    """A JSON object of numbers whose keys and values `make()` gives, as two lists of
    one length, when it is written: a million targets' amounts, joined a batch at a
    time by C code rather than a member at a time (`_number_members`)."""

    def __init__(self, make: Callable[[], tuple[Sequence[str], Sequence[object]]]) -> None:
        self.make = make


_LAZY = (Items, Array, Numbers)


def dumps(value: object, level: int = 0) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)`, its lines indented for `level`
    (a JSON string never holds a raw line break, so every line break is the layout's)."""
    try:
        return _plain(value, level)
    except (_NotPlain, RecursionError):
        return "".join(_NESTED(value, level))


class _NotPlain(Exception):
    """A value `_plain` leaves to json's own encoder."""


def _plain(value: object, level: int) -> str:
    """`dumps` of dicts with string keys, lists, tuples, strings, ints, floats, booleans and
    None, joined directly: json's encoder with an indent is pure Python, a generator per
    value (an entry of a report's `details`: 10.7 us against 14.2).
    Anything else (a subclass included) raises `_NotPlain`, and json's encoder writes it."""
    kind = type(value)
    if kind is str:
        return _STRING(value)  # type: ignore[arg-type]
    if kind is int:
        return int.__repr__(value)
    if value is None or value is True or value is False:
        return "null" if value is None else ("true" if value else "false")
    if kind is float:
        return _float(value)  # type: ignore[arg-type]
    if kind is dict:
        if not value:
            return "{}"
        inner = "\n" + "  " * (level + 1)
        members = []
        for key, member in value.items():  # type: ignore[attr-defined]
            if type(key) is not str:
                raise _NotPlain
            members.append(_STRING(key) + ": " + _leaf(member, level + 1))
        return "{" + inner + ("," + inner).join(members) + "\n" + "  " * level + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = "\n" + "  " * (level + 1)
        return ("[" + inner + ("," + inner).join([_leaf(v, level + 1) for v in value])  # type: ignore[attr-defined]
                + "\n" + "  " * level + "]")
    raise _NotPlain


def _leaf(value: object, level: int) -> str:
    """`_plain`, the common leaves first (most members of a report's entries)."""
    kind = type(value)
    if kind is str:
        return _STRING(value)  # type: ignore[arg-type]
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return _plain(value, level)


def chunks(value: object, level: int = 0) -> Iterator[str]:
    """The JSON text of `value` (which may hold `Items` and `Array`), piece by piece."""
    if isinstance(value, dict) and any(isinstance(v, _LAZY) for v in value.values()):
        yield from _entries(((k, v) for k, v in value.items()), level, "{", "}", keyed=True)
    elif isinstance(value, Numbers):
        yield from _number_members(*value.make(), level)
    elif isinstance(value, Items):
        yield from _entries(value.make(), level, "{", "}", keyed=True)
    elif isinstance(value, Array):
        yield from _entries(value.make(), level, "[", "]", keyed=False)
    else:
        yield dumps(value, level)


BATCH = 4096  # members joined into one piece


def _entries(entries: Iterable, level: int, opening: str, closing: str, keyed: bool) -> Iterator[str]:
    """The members of an object or list; a member that is `Items` or `Array` is streamed in
    turn (a plain dict or list member is written whole). Members are joined `BATCH` at a
    time, an int written in place: a million targets' amounts are mostly whole numbers."""
    pad = "\n" + "  " * (level + 1)
    between = "," + pad
    lead = opening + pad  # before the next piece: `between` once one is written
    done: list[str] = []
    for entry in entries:
        head = ""
        if keyed:
            key, entry = entry
            head = _STRING(key) + ": "
        if type(entry) is int:
            done.append(head + int.__repr__(entry))
        elif isinstance(entry, _LAZY):
            done.append(head)
            yield lead + between.join(done)
            lead, done = between, []
            yield from chunks(entry, level + 1)
        else:
            done.append(head + dumps(entry, level + 1))
        if len(done) >= BATCH:
            yield lead + between.join(done)
            lead, done = between, []
    if done:
        yield lead + between.join(done)
        lead = between
    yield "\n" + "  " * level + closing if lead is between else opening + closing


_MEMBER = "{}: {}".format  # (of a str, the str; of an int, int.__repr__'s text)


def _number_members(keys: Sequence[str], numbers: Sequence[object], level: int) -> Iterator[str]:
    """`_entries` of the pairs of `keys` and `numbers`, the same text: ints (most amounts)
    written by `str.format`, anything else by `dumps`."""
    if not keys:
        yield "{}"
        return
    if set(map(type, numbers)) != {int}:
        numbers = [int.__repr__(n) if type(n) is int else dumps(n, level + 1) for n in numbers]
    pad = "\n" + "  " * (level + 1)
    between = "," + pad
    for start in range(0, len(keys), BATCH):
        members = map(_MEMBER, map(_STRING, keys[start:start + BATCH]), numbers[start:start + BATCH])
        yield ("{" + pad if start == 0 else between) + between.join(members)
    yield "\n" + "  " * level + "}"


def batched(pieces: Iterable[str], size: int = 1 << 20) -> Iterator[str]:
    """The pieces joined into strings of about `size` characters."""
    buffer: list[str] = []
    length = 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


def joined_lines(lines: Iterable[str], count: int = 1 << 14) -> Iterator[str]:
    """The lines, each ended by a line break, joined `count` at a time (a 400,000-line
    table is written in pieces, with no length to add up per line)."""
    it = iter(lines)
    while chunk := list(itertools.islice(it, count)):
        chunk.append("")
        yield "\n".join(chunk)
