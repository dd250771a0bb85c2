"""The name index by a path's last component, filed when asked (issue 15).

`NameIndex` maps a name to the (path, node) entries whose path ends in it, in
the order they were indexed: what a reference is matched against (§4.3(b),
`model.named_in`). A large plan splits each of 24,000 months into the same
forty products, and names none of those products: filing a million entries
under forty names is most of what indexing them costs. So the children of a
split whose list of names was indexed before are kept, split by split, in
one group per list of names, and filed only when one of those names is read
(or indexed another way, or the index is listed). Filing a group appends its
entries where the eager index would have put them: nothing else was filed
under its names since it began, so the order is the same.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

_SEEN_AT_MOST = 4096  # lists of names remembered (a plan has a few that repeat)


class NameIndex(dict[str, list[tuple[str, Any]]]):
    """Name -> [(path, node), …], in the order indexed; reads as a dict (`get`, `[]`,
    `in`, iteration, `len`), filing the groups that the read needs first. A group
    begins only for a list of names filed once before, so every name waiting is a
    key already: `in` and truth need no filing."""

    __slots__ = ("groups", "waiting", "seen")

    def __init__(self) -> None:
        super().__init__()
        # a list of names -> the (paths, nodes) of each split indexed with it, not filed yet
        self.groups: dict[tuple[str, ...], list[tuple[Sequence[str], Sequence[Any]]]] = {}
        self.waiting: dict[str, tuple[str, ...]] = {}  # a name -> the group it waits in
        self.seen: set[tuple[str, ...]] = set()  # lists of names filed at once before

    def add(self, paths: Sequence[str], nodes: Sequence[Any], lasts: Sequence[str]) -> None:
        """Index each node by its path and its path's last component (`lasts`): one
        split's children, or one target. A list of several names seen before waits
        in its group (`file` files it)."""
        if len(lasts) > 1:
            key = tuple(lasts)
            group = self.groups.get(key)
            if group is not None:
                group.append((paths, nodes))
                return
            if key in self.seen and len(set(key)) == len(key):  # (a name twice: E007, filed now)
                self._begin(key, paths, nodes)
                return
            if len(self.seen) < _SEEN_AT_MOST:
                self.seen.add(key)
        waiting = self.waiting
        if waiting and not waiting.keys().isdisjoint(lasts):
            self.file(lasts)  # (before these, as the eager index would have it)
        self._file(paths, nodes, lasts)

    def _begin(self, key: tuple[str, ...], paths: Sequence[str], nodes: Sequence[Any]) -> None:
        if self.waiting and not self.waiting.keys().isdisjoint(key):
            self.file(key)  # another group shares a name: it comes first
        self.groups[key] = [(paths, nodes)]
        self.waiting.update(dict.fromkeys(key, key))

    def _file(self, paths: Sequence[str], nodes: Sequence[Any], lasts: Sequence[str]) -> None:
        get = super().get
        for entry, last in zip(zip(paths, nodes), lasts):
            # A new key gets a list of exactly one (most names name one target)
            bucket = get(last)
            if bucket is None:
                dict.__setitem__(self, last, [entry])
            else:
                bucket.append(entry)

    def file(self, names: Sequence[str] | None = None) -> None:
        """File the groups waiting for any of `names` (all groups for None)."""
        keys = list(self.groups) if names is None else list(dict.fromkeys(
            self.waiting[name] for name in names if name in self.waiting))
        for key in keys:
            for paths, nodes in self.groups.pop(key):
                self._file(paths, nodes, key)
            for name in key:
                del self.waiting[name]

    # ---- read as a dict ---------------------------------------------------------------------
    def get(self, name, default=None):
        if name in self.waiting:
            self.file((name,))
        return super().get(name, default)

    def __getitem__(self, name):
        if name in self.waiting:
            self.file((name,))
        return super().__getitem__(name)

    def __setitem__(self, name, entries) -> None:
        if name in self.waiting:
            self.file((name,))
        super().__setitem__(name, entries)

    def copy(self) -> dict:
        self.file()
        return dict(super().items())

    def __iter__(self) -> Iterator[str]:
        self.file()
        return super().__iter__()

    def __len__(self) -> int:
        self.file()
        return super().__len__()

    def __bool__(self) -> bool:  # (not `__len__`: that files every group)
        return super().__len__() > 0

    def keys(self):
        self.file()
        return super().keys()

    def values(self):
        self.file()
        return super().values()

    def items(self):
        self.file()
        return super().items()

    def __reduce__(self):  # a plain dict of everything filed
        self.file()
        return dict, (dict(super().items()),)
