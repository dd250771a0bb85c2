"""Source text, spans and line/column lookup.

Columns are 1-based and counted in characters (code points), which is what
editors and CI annotations expect; display width is the renderer's business.
"""

from __future__ import annotations

import bisect
import operator
from itertools import accumulate, repeat
from typing import Any, Callable, TypeVar

import attrs

T = TypeVar("T")
_new = object.__new__


@attrs.frozen
class Source:
    """One file's text. `path` is the name shown in diagnostics. `quoted`
    False: diagnostics never show its lines (a file that is not a plan)."""

    path: str
    text: str
    quoted: bool = attrs.field(default=True, kw_only=True, eq=False, repr=False)
    _line_starts: tuple[int, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        # Where each line starts: 0, then one past each "\n" (the lines' lengths plus
        # one, summed in C: a million lines in 0.1 s, not a Python loop's 0.5 s)
        starts = list(accumulate(map(operator.add, map(len, self.text.split("\n")), repeat(1)), initial=0))
        starts.pop()  # (one past the end of the last line)
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


def pickled_by_fields(cls: type[T], make: Callable[..., T] | None = None) -> type[T]:
    """`cls` (frozen attrs, every field an argument of `__init__`) pickled as `cls(*fields)`,
    or `make(*fields)` when given: attrs pickles a slotted instance as a dict of its fields,
    set back one by one in Python. A parsed module of a million targets is cached as two
    million nodes and spans (syntax/parse.py): this halves its pickle and the time to
    write and read it."""
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    assert all(f.init and not f.kw_only for f in fields), cls
    read = operator.attrgetter(*[f.name for f in fields])
    maker = cls if make is None else make
    if len(fields) == 1:
        def __reduce__(self):
            return maker, (read(self),)
    else:
        def __reduce__(self):
            return maker, read(self)
    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


def slot_setters(cls: type, names: tuple[str, ...]) -> tuple[Callable[[Any, Any], None], ...]:
    """The `__set__` of each named slot of `cls`, to make instances slot by slot: a
    frozen attrs `__init__` sets each field through `object.__setattr__` by name, which
    costs a third more. Only for the nodes a big plan has a million of (`Span`,
    `ast.Child`), made by `bare.bare_children` and the parse cache's reader;
    tests/test_parse_drive.py checks every field against the constructor's."""
    assert names == tuple(f.name for f in attrs.fields(cls)), cls  # every field, in order
    assert not any(f.converter or f.validator for f in attrs.fields(cls)), cls
    assert not hasattr(cls, "__attrs_post_init__"), cls
    return tuple(cls.__dict__[name].__set__ for name in names)


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


_set_source, _set_start, _set_end = slot_setters(Span, ("source", "start", "end"))


def _span(source: Source, start: int, end: int) -> Span:
    """`Span(source, start, end)`, slot by slot (`slot_setters`): how the parse cache
    reads a span back."""
    span = _new(Span)
    _set_source(span, source)
    _set_start(span, start)
    _set_end(span, end)
    return span


pickled_by_fields(Span, _span)
