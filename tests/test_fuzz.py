"""Fuzzing in the suite: seeded mutants of the shipped plans (examples,
stdlib, test fixtures, the docs' examples) through compile, fmt, build's
rendering and the LSP handlers; no exception may escape any of them
(tests/fuzzkit.py has the mutations and the checks).

Sized to take about 35 s of CPU time (2,360 inputs). The long run is
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
COUNTS = {"bytes": 500, "tokens": 500, "lines": 320, "huge numbers": 200, "deep parens": 80,
          "unicode controls": 200, "keywords glued": 160, "mixed tables": 100, "negative parents": 100,
          "odd amounts": 200}
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
    (lambda f, text: f.error == "RecursionError" and not f.where.startswith("lsp/"),
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


# ---- the language server's protocol: random frames and params ------------------------------

METHODS = ["initialize", "shutdown", "textDocument/hover", "textDocument/definition", "textDocument/formatting",
           "textDocument/documentSymbol", "textDocument/didOpen", "textDocument/didChange",
           "textDocument/didSave", "textDocument/didClose", "workspace/nothing", None, 5]


def random_json(rng: random.Random, depth: int = 0):
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 1, 2**64, -(2**70), 10**30])
    if kind == 3:
        return rng.choice([0.5, -1e308, 1e308, 3.0])
    if kind == 4:
        return rng.choice(["", "file:///x.plan", "untitled:a", "\x00", "\ud800", "target y = 1M\n", "a" * 100])
    if kind == 5:
        return "file:///nowhere/fuzz.plan"
    if kind == 6:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(3))]
    keys = ["textDocument", "uri", "text", "position", "line", "character", "contentChanges", "version", "x"]
    return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randrange(4))}


def random_params(rng: random.Random):
    """Mostly the right shape with one part of the wrong type or missing."""
    params = {"textDocument": {"uri": "file:///nowhere/fuzz.plan", "text": "target y = 1M\n", "version": 1},
              "position": {"line": 0, "character": 8}, "contentChanges": [{"text": "target z = 2M\n"}],
              "text": "target w = 3M\n"}
    for _ in range(rng.randrange(3)):
        path = rng.choice([("textDocument",), ("textDocument", "uri"), ("textDocument", "text"), ("position",),
                           ("position", "line"), ("position", "character"), ("contentChanges",), ("text",)])
        holder = params
        for key in path[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            if rng.random() < 0.3:
                holder.pop(path[-1], None)
            else:
                holder[path[-1]] = random_json(rng)
    return params if rng.random() < 0.9 else random_json(rng)


def random_frame(rng: random.Random) -> bytes:
    import json

    kind = rng.randrange(10)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(40)))
    if kind == 1:
        return b"Content-Length: %d\r\n\r\n" % rng.choice([2**63, 10**12, 64 * 2**20 + 1, 0, 3])
    if kind == 2:
        return b"Content-Length: " + rng.choice([b"-1", b"x", b"", b"1e3", b"\xff"]) + b"\r\n\r\n"
    message = {"jsonrpc": "2.0", "method": rng.choice(METHODS), "params": random_params(rng)}
    if rng.random() < 0.7:
        message["id"] = rng.choice([1, "a", None, [1], {"x": 1}, 2.5, True])
    body = json.dumps(message).encode()
    if kind == 3 and body:
        body = body[: rng.randrange(len(body))]  # cut short: not JSON
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_the_language_server_survives_random_frames_and_params(capsys):
    import io
    import json

    from planc import lsp

    rng = random.Random("planc-fuzz-lsp")
    for n in range(60):
        stream = io.BytesIO()
        lsp.write_message(stream, {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {}})
        for _ in range(rng.randrange(1, 12)):
            stream.write(random_frame(rng))
        end = json.dumps({"jsonrpc": "2.0", "id": "last", "method": "textDocument/documentSymbol",
                          "params": {"textDocument": {"uri": "file:///elsewhere.plan"}}}).encode()
        stream.write(b"\r\n\r\nContent-Length: %d\r\n\r\n" % len(end) + end)
        stream.seek(0)
        out = io.BytesIO()
        with time_limit(HANG):
            assert lsp.serve(stream, out) in (0, 1)
        out.seek(0)
        replies = []
        while (body := lsp.read_message(out)) is not None:
            replies.append(json.loads(body))
        errors = [m for m in replies if m.get("error", {}).get("code") == lsp.INTERNAL_ERROR]
        assert not errors, (n, errors)
        assert "Traceback" not in capsys.readouterr().err, n
