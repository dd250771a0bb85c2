"""Fuzzing in the suite: seeded mutants of the shipped plans (examples,
stdlib, test fixtures, the docs' examples) through compile, fmt, build's
rendering and the LSP handlers; no exception may escape any of them
(tests/fuzzkit.py has the mutations and the checks).

Sized to take about 35 s of CPU time (3,410 inputs). The long run is
`benchmarks/fuzz_long.py` (docs/architecture.md, "Fuzzing").

Bugs already known (issue 14) that other work fixes are listed in KNOWN: an
input that fails only with one of them is set aside and the test is marked
xfail naming them, so the suite stays green and what is left stays visible.
Any other failure fails the test with the input and the traceback.
"""

from __future__ import annotations

import random
import re
import signal
from contextlib import contextmanager

import pytest

import fuzzkit

# Inputs per mutation class: the plain mutations find most, the hostile classes are narrower.
COUNTS = {"bytes": 700, "tokens": 700, "lines": 450, "huge numbers": 300, "deep parens": 120,
          "unicode controls": 300, "keywords glued": 240, "mixed tables": 150, "negative parents": 150,
          "odd amounts": 300}
HANG = 10  # seconds for one input before it counts as a hang

def mixes_tables(text: str) -> bool:
    """A table whose entries do not all match its header: `row: col = v` in a
    table without `by D1, D2`, or `k = v` in one with it (glued keywords too)."""
    for header, body in re.findall(r"table([^{}]*)\{([^{}]*)\}", text):
        two_d = "," in header  # `by D1, D2`
        for entry in re.split(r"[;\n]", body):
            if "=" in entry and (":" in entry.split("=")[0]) != two_d:
                return True
    return False


# (what it matches, the issue that tracks it): the failure's class and place, and the input.
KNOWN = [
    (lambda f, text: f.error == "FormatterBug" and mixes_tables(text),
     "fmt reports E099 on a table mixing `k = v` and `row: col = v` forms (issue 14, class 3)"),
    (lambda f, text: f.error == "TypeError" and mixes_tables(text),
     "TypeError on a table mixing `k = v` and `row: col = v` (issue 14, class 3)"),
    (lambda f, text: f.error == "IndexError" and f.where.startswith("evaluate/splits.py"),
     "IndexError on a negative parent split by `even`/`weight` (issue 14, class 3)"),
    (lambda f, text: f.error == "OverflowError" or f.error == "ValueError" and "integer string conversion" in f.message,
     "amounts beyond any size: OverflowError, ValueError over 4,300 digits (issue 14, class 3)"),
    (lambda f, text: f.error == "ValueError" and "null byte" in f.message and f.where.startswith("semantics/loader"),
     "NUL bytes in import or CSV paths (issue 14, class 3)"),
    (lambda f, text: f.error == "RecursionError",
     "recursion where the depth comes from the input (issue 14, class 4)"),
]


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: int):
    def alarm(signum, frame):
        raise Hang(f"over {seconds} s")

    if not hasattr(signal, "SIGALRM"):  # Windows: no time limit
        yield
        return
    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def known_reason(failure, text: str) -> str | None:
    return next((reason for matches, reason in KNOWN if matches(failure, text)), None)


@pytest.fixture(scope="module")
def corpus():
    return fuzzkit.seeds()


def test_the_corpus_has_the_shipped_plans(corpus):
    names = {s.name for s in corpus}
    assert "examples/fy2027/fy2027.plan" in names and "stdlib/seasonality.plan" in names
    assert any(n.startswith("tests/golden/") for n in names) and sum(n.startswith("docs/") for n in names) > 20
    for seed in corpus[:3]:  # and the seeds themselves are fine
        assert fuzzkit.run_all(seed.text, seed, random.Random(0)) == []


@pytest.mark.parametrize("how", list(COUNTS))
def test_no_exception_escapes(corpus, how):
    rng = random.Random(f"planc-fuzz-{how}")
    known: dict[str, int] = {}
    for n in range(COUNTS[how]):
        seed, _, text = fuzzkit.mutant(rng, corpus, how)
        try:
            with time_limit(HANG):
                failures = fuzzkit.run_all(text, seed, random.Random(n))
        except Hang:
            failures = [fuzzkit.Failure("any", "Hang", "?", f"over {HANG} s")]
        unknown = [f for f in failures if known_reason(f, text) is None]
        assert not unknown, (f"{how} #{n} (from {seed.name}) fails:\n{unknown[0].trace or unknown[0]}\n"
                             f"input: {text!r}")
        for f in failures:
            reason = known_reason(f, text)
            known[reason] = known.get(reason, 0) + 1
    if known:
        pytest.xfail("; ".join(f"{count} × {reason}" for reason, count in known.items()))


def test_the_known_bugs_are_recognised_narrowly():
    mixed = "table t { a = 1; b: c = 2 }"
    assert mixes_tables(mixed) and not mixes_tables("table t { a = 1; b = 2 }")
    assert not mixes_tables("table t by r, c {\n a: x = 1, y = 2\n b: y = 2 }")
    assert mixes_tables("tablem{a:a=3}") and mixes_tables("table t by r, c { a = 1 }")
    failure = fuzzkit.Failure("fmt", "FormatterBug", "fmt/__init__.py:format_source", "")
    assert known_reason(failure, mixed) and known_reason(failure, "table t { a = 1 }") is None
    other = fuzzkit.Failure("compile", "KeyError", "semantics/resolve.py:run", "")
    assert known_reason(other, mixed) is None
    nul = fuzzkit.Failure("compile", "ValueError", "semantics/loader.py:read_text", "embedded null byte")
    assert "NUL" in known_reason(nul, "")
    assert known_reason(fuzzkit.Failure("lsp hover", "ValueError", "lsp/__init__.py:x", "embedded null byte"), "") is None


def test_minimise_keeps_what_fails():
    text = "plan \"x\" {}\ntarget a = 1M\ntarget bad = 1 / 0\ntarget c = 2M\n"
    small = fuzzkit.minimise(text, lambda t: "1 / 0" in t)
    assert small == "1 / 0"
