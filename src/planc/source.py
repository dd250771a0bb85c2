"""Source text, spans and line/column lookup.

Columns are 1-based and counted in characters (code points), which is what
editors and CI annotations expect; display width is the renderer's business.
"""

from __future__ import annotations

import bisect
import operator
from typing import Iterable, TypeVar

import attrs

T = TypeVar("T")


@attrs.frozen
class Source:
    """One file's text. `path` is the name shown in diagnostics. `quoted`
    False: diagnostics never show its lines (a file that is not a plan)."""

    path: str
    text: str
    quoted: bool = attrs.field(default=True, kw_only=True, eq=False, repr=False)
    _line_starts: tuple[int, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        object.__setattr__(self, "_line_starts", tuple(starts))

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end != -1 else len(self.text)].rstrip("\r")

    @property
    def line_count(self) -> int:
        return len(self._line_starts)


def pickled_by_fields(cls: type[T]) -> type[T]:
    """`cls` (frozen attrs, every field an argument of `__init__`) pickled as `cls(*fields)`:
    attrs pickles a slotted instance as a dict of its fields, set back one by one in Python.
    A parsed module of a million targets is cached as two million nodes and spans
    (syntax/parse.py): this halves its pickle and the time to write and read it."""
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    assert all(f.init and not f.kw_only for f in fields), cls
    read = operator.attrgetter(*[f.name for f in fields])
    if len(fields) == 1:
        def __reduce__(self):
            return cls, (read(self),)
    else:
        def __reduce__(self):
            return cls, read(self)
    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


@pickled_by_fields
@attrs.frozen
class Span:
    """A half-open range of character offsets in one source."""

    source: Source = attrs.field(eq=False, repr=False)
    start: int
    end: int

    @property
    def line(self) -> int:
        return self.source.position(self.start)[0]

    @property
    def column(self) -> int:
        return self.source.position(self.start)[1]

    @property
    def text(self) -> str:
        return self.source.text[self.start : self.end]


def spans(source: Source, starts: Iterable[int], ends: Iterable[int]) -> list[Span]:
    """`Span(source, start, end)` for each start and end, each slot set through its own
    descriptor rather than attrs' frozen `__init__` (which goes through
    `object.__setattr__` by name): a third less a span, for the million names of a
    big plan's splits (`syntax/quick.py`). tests/test_parse_drive.py checks they equal
    the constructor's."""
    new = object.__new__
    set_source, set_start, set_end = (Span.__dict__[name].__set__ for name in ("source", "start", "end"))
    made: list[Span] = []
    add = made.append
    for start, end in zip(starts, ends):
        span = new(Span)
        set_source(span, source)
        set_start(span, start)
        set_end(span, end)
        add(span)
    return made
