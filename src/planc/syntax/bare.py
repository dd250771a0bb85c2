"""Children written as bare names, held compactly (issue 15).

Most targets of a big plan are children written as just their name (`p7;`),
in splits of nothing else: 24,000 splits of the same forty products. Such a
child is a `BareChild` (a `Child` whose amount, caps, label and settings are
class constants and whose span is made when first read), such a split's
children a `BareChildren` tuple, which the resolver need not look into, and
the parse cache writes such a split as its names and starts. Every way of
parsing makes the same: `syntax/quick.py`, the grammar's callbacks
(`builder.bare_child`, `as_children`) and the cache's reader.
"""

from __future__ import annotations

from collections import deque
from itertools import repeat
from operator import attrgetter
from typing import Iterable, Sequence

import attrs

from planc.source import Source, Span
from planc.syntax.ast import Call, Child, FunnelStep, Method, Percent, Ref, Split, Target

_BARE_FIELDS = attrgetter("alloc", "min", "max", "label", "attributes")
_ONLY_BARE = {(None, None, None, None, ())}
_names = attrgetter("name")
_set_name, _set_span = Child.__dict__["name"].__set__, Child.__dict__["span"].__set__
_new = object.__new__


class BareChild(Child):
    """A child written as its bare name (`p7;`): a `Child` whose amount, caps, label and
    settings are none and whose name span is its span. Those are class constants here,
    and the span is made from where the name starts when it is first read (`check` reads
    few of a million): one is made with three slots set instead of eight and a `Span`
    (`bare_children`). Fields read as a `Child`'s; `attrs.evolve` (and a call with a
    `Child`'s arguments) makes a `Child`."""

    __slots__ = ("_source", "_start")  # where the name is
    _source: Source
    _start: int
    alloc = min = max = label = None
    attributes: tuple = ()

    def __new__(cls, *args, **kwargs):
        return Child(*args, **kwargs)  # (`bare_child` makes one without a call)

    @property
    def span(self) -> Span:
        try:
            return _get_span(self)  # (the `span` slot, once made)
        except AttributeError:
            start = self._start
            span = Span(self._source, start, start + len(self.name))
            _set_span(self, span)
            return span

    name_span = span

    def __reduce__(self):
        return bare_child, (self.name, self.span)


_get_span = Child.__dict__["span"].__get__
_set_source, _set_start = BareChild.__dict__["_source"].__set__, BareChild.__dict__["_start"].__set__
_sources_of, _starts_of = attrgetter("_source"), attrgetter("_start")


def bare_child(name: str, span: Span) -> BareChild:
    """`Child(name, None, None, None, None, (), span, span)`, as a `BareChild`."""
    child = _new(BareChild)
    _set_name(child, name)
    _set_source(child, span.source)
    _set_start(child, span.start)
    _set_span(child, span)
    return child


def source_of(node: "Target | Child | FunnelStep") -> Source:
    """The source `node` was written in (a `BareChild`'s without making its span)."""
    return node._source if type(node) is BareChild else node.span.source


class BareChildren(tuple):
    """A split's children, every one a bare name (`bare_children`): what is written
    for most splits of a big plan, which the resolver need not look into for
    amounts, caps, labels or settings. An immutable tuple: it stays true."""

    __slots__ = ()


def only_names(children: Iterable[Child]) -> bool:
    """Every child is written as a bare name: no amount, cap, label or settings
    (one pass in C: most splits of a large plan)."""
    return set(map(_BARE_FIELDS, children)) <= _ONLY_BARE


def as_children(children: Iterable[Child]) -> tuple[Child, ...]:
    """A split's children as it holds them: `BareChildren` when there are some and
    every one is written as a bare name (a `BareChild`, as `bare_children` makes
    them), whichever way the text was parsed; else a tuple."""
    children = tuple(children)
    if children and set(map(type, children)) == {BareChild}:
        return BareChildren(children)
    return children


def bare_children(names: Sequence[str], source: Source, starts: Iterable[int]) -> BareChildren:
    """A `BareChild` for each name, starting at each of `starts` in `source` (a child
    written as its bare name: its span is its name's), slot by slot for all at once:
    the million of a big plan's splits (`syntax/quick.py`)."""
    children = list(map(_new, repeat(BareChild, len(names))))
    deque(map(_set_name, children, names), 0)
    deque(map(_set_source, children, repeat(source, len(children))), 0)
    deque(map(_set_start, children, starts), 0)
    return BareChildren(children)


_split_fields = attrgetter(*[f.name for f in attrs.fields(Split)])


def _split_reduce(split: Split):
    """A split of bare names (`BareChildren`, each in the split's source) pickles as
    their names and starts, and is read back through `bare_children`
    (`_bare_split`): most of a big plan's parse-cache entry, written in a third of the
    time. Any other split pickles by its fields (`pickled_by_fields`)."""
    children = split.children
    if type(children) is BareChildren and set(map(id, map(_sources_of, children))) == {id(split.span.source)}:
        return _bare_split, (split.parent, split.dimension, split.method, split.overassign,
                             list(map(_names, children)), list(map(_starts_of, children)),
                             split.has_block, split.span, split.dimension_span)
    return Split, _split_fields(split)


def _bare_split(parent: Ref, dimension: str, method: "Method | Call | None", overassign: Percent | None,
                names: list[str], starts: list[int], has_block: bool, span: Span, dimension_span: Span) -> Split:
    """The split `_split_reduce` wrote: its children made as `syntax/quick.py` makes them."""
    children = bare_children(names, span.source, starts)
    return Split(parent, dimension, method, overassign, children, has_block, span, dimension_span)


Split.__reduce__ = _split_reduce  # type: ignore[method-assign,assignment]
