"""`did you mean …?` for a misspelt name.

difflib's ratio decides, as it always has; what changes with size is which
candidates it compares. A small set (up to SMALL names) is compared whole.
A large one is indexed once (`Suggester`): by every form of a name with one
character deleted, which finds the one-edit typos (a letter dropped, added,
changed or two swapped), and by first and last letter within a length band
for the rest (at most MAX_SCAN of them, scored by shared letter pairs). At
most MAX_COMPARISONS candidates go to difflib per name, so 20,000 misspelt
names against 40,000 candidates take linear time.
"""

from __future__ import annotations

from typing import Iterable

SMALL = 300  # candidate sets this small are compared whole, as difflib would
MAX_COMPARISONS = 5  # difflib comparisons per name, in a large set
MAX_SCAN = 64  # candidates scored by shared letter pairs, per name, in a large set
MAX_LENGTH = 64  # longer names are neither indexed nor suggested in a large set
BAND = 2  # length difference searched by first and last letter


class Suggester:
    """One candidate set, indexed once; ask it for many names."""

    def __init__(self, candidates: Iterable[str]) -> None:
        self.names = sorted(set(candidates))
        self.comparisons = 0  # difflib comparisons made so far (tests count them)
        self._answers: dict[str, str | None] = {}
        self._deletes: dict[str, list[str]] = {}
        self._ends: dict[tuple[str, int], list[str]] = {}
        self._pairs: dict[str, frozenset[str]] = {}
        if len(self.names) <= SMALL:
            return
        for n in self.names:
            if not n or len(n) > MAX_LENGTH:
                continue
            for form in {n} | {n[:i] + n[i + 1:] for i in range(len(n))}:
                self._deletes.setdefault(form, []).append(n)
            self._ends.setdefault((n[0], len(n)), []).append(n)
            self._pairs[n] = _pairs(n)
            if n[-1] != n[0]:
                self._ends.setdefault((n[-1], len(n)), []).append(n)

    def did_you_mean(self, name: str) -> str | None:
        if name not in self._answers:
            best = self._closest(name)
            self._answers[name] = f"did you mean `{best}`?" if best else None
        return self._answers[name]

    def _closest(self, name: str) -> str | None:
        import difflib  # only on the error path: keeps `planc check` start-up lean

        pool = self.names if len(self.names) <= SMALL else self._pool(name)
        self.comparisons += len(pool)
        close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
        return close[0] if close else None

    def _pool(self, name: str) -> list[str]:
        if not name or len(name) > MAX_LENGTH:
            return []
        pool: dict[str, None] = {}
        for form in [name] + [name[:i] + name[i + 1:] for i in range(len(name))]:
            for n in self._deletes.get(form, ()):
                pool.setdefault(n)
                if len(pool) >= MAX_COMPARISONS:
                    return sorted(pool)
        if pool:  # one-edit neighbours beat anything further away
            return sorted(pool)
        # Further away: scan a bounded band cheaply, compare the likeliest.
        scanned: list[str] = []
        for size in sorted(range(len(name) - BAND, len(name) + BAND + 1), key=lambda s: abs(s - len(name))):
            for end in dict.fromkeys((name[0], name[-1])):
                scanned.extend(self._ends.get((end, size), ())[:MAX_SCAN - len(scanned)])
        mine = _pairs(name)
        likeliest = sorted(dict.fromkeys(scanned), key=lambda n: -len(mine & self._pairs[n]))
        return sorted(likeliest[:MAX_COMPARISONS])


def _pairs(text: str) -> frozenset[str]:
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """For one question; ask a `Suggester` when there are many."""
    return Suggester(candidates).did_you_mean(name)
