"""`did you mean …?` for a misspelt name."""

from __future__ import annotations

from typing import Iterable


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    import difflib  # only on the error path: keeps `planc check` start-up lean

    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None
