"""Fuzzing in the suite: seeded mutants of the shipped plans (examples,
stdlib, test fixtures, the docs' examples) through compile, fmt, build's
rendering and the LSP handlers; no exception may escape any of them
(tests/fuzzkit.py has the mutations and the checks).

Sized to take about 35 s of CPU time (2,360 inputs). The long run is
`benchmarks/fuzz_long.py` (docs/architecture.md, "Fuzzing").

Bugs already known that other work fixes can be listed in KNOWN: an input
that fails only with one of them is set aside and the test is marked xfail
naming them, so the suite stays green and what is left stays visible (the
list is empty now). Any other failure fails the test with the input and the
traceback.
"""

from __future__ import annotations

import io
import json
import random
import signal
import sys
from contextlib import contextmanager
from typing import Callable

import pytest

import fuzzkit

# Inputs per mutation class: the plain mutations find most, the hostile classes are narrower.
COUNTS = {"bytes": 500, "tokens": 500, "lines": 320, "huge numbers": 200, "deep parens": 80,
          "unicode controls": 200, "keywords glued": 160, "mixed tables": 100, "negative parents": 100,
          "odd amounts": 200}
HANG = 10  # seconds for one input before it counts as a hang


# Bugs known and fixed by other work, as (matches(failure, input), reason): an input that
# fails only with these is set aside and its mutation class marked xfail with the count.
# Empty: what it held (issue 14, class 3: fmt's E099 on tables mixing `k = v` and
# `row: col = v`, IndexError on negative parents split by `even`/`weight`, amounts beyond
# any size, NUL in import and CSV paths) is fixed on main, so a return of any of them fails.
KNOWN: list[tuple[Callable[[fuzzkit.Failure, str], bool], str]] = []


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


def test_a_known_bug_is_set_aside_by_what_it_matches(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "KNOWN", [
        (lambda f, text: f.error == "IndexError" and "neg" in text, "negative parents (issue 14)")])
    failure = fuzzkit.Failure("compile", "IndexError", "evaluate/splits.py:over", "list index out of range")
    assert known_reason(failure, "target neg = -1M") == "negative parents (issue 14)"
    assert known_reason(failure, "target pos = 1M") is None
    assert known_reason(fuzzkit.Failure("fmt", "KeyError", "?", ""), "target neg = -1M") is None


def test_minimise_keeps_what_fails():
    text = "plan \"x\" {}\ntarget a = 1M\ntarget bad = 1 / 0\ntarget c = 2M\n"
    small = fuzzkit.minimise(text, lambda t: "1 / 0" in t)
    assert small == "1 / 0"


# ---- the language server's protocol: random frames and params ------------------------------

METHODS = ["initialize", "shutdown", "textDocument/hover", "textDocument/definition", "textDocument/formatting",
           "textDocument/completion", "textDocument/inlayHint", "textDocument/references", "textDocument/rename",
           "textDocument/semanticTokens/full", "textDocument/codeAction", "workspace/didChangeWatchedFiles",
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


class Kept(io.BytesIO):
    """Output the server may close (it does on `exit`) and the test still reads."""

    def close(self) -> None:
        pass


def frames(stream) -> list[dict]:
    """The messages the server wrote."""
    out = []
    while True:
        length = None
        while (line := stream.readline()) not in (b"", b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if not line or length is None:
            return out
        out.append(json.loads(stream.read(length)))


def framed(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_the_language_server_survives_random_frames_and_params(capsys):
    from planc.lsp.server import serve

    rng = random.Random("planc-fuzz-lsp")
    for n in range(30):
        stream = io.BytesIO()
        stream.write(framed({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}}))
        for _ in range(rng.randrange(1, 12)):
            stream.write(random_frame(rng))
        end = {"jsonrpc": "2.0", "id": "last", "method": "textDocument/documentSymbol",
               "params": {"textDocument": {"uri": "file:///elsewhere.plan"}}}
        stream.write(b"\r\n\r\n" + framed(end))
        stream.seek(0)
        out = Kept()
        with time_limit(HANG):
            assert serve(stream, out) in (0, 1)
        out.seek(0)
        replies = frames(out)
        errors = [m for m in replies if m.get("error", {}).get("code") == -32603]
        assert not errors, (n, errors)
        assert any(m.get("id") == 0 and "result" in m for m in replies), n
        assert "Traceback" not in capsys.readouterr().err, n
