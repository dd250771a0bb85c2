"""Mutants of the shipped plans, and every entry point run on each of them.

Shared by `tests/test_fuzz.py` (a seeded run sized for CI) and
`benchmarks/fuzz_long.py` (a long run with a hang timeout per input). A
failure is an exception escaping `compile`, `fmt`, `build`'s rendering or
an LSP handler, or a formatted plan that does not parse again.
"""

from __future__ import annotations

import random
import re
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = {"SOURCE_DATE_EPOCH": "1798761600"}  # the reports' clock: fixed, like a reproducible build


# ---- the seeds -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    name: str
    text: str
    directory: Path  # imports and CSV files are found from here


def seeds() -> list[Seed]:
    """The examples, the stdlib, the test fixtures and every ```plan block of the docs."""
    out = []
    for folder in ("examples", "stdlib", "tests/golden"):
        for path in sorted((ROOT / folder).rglob("*.plan")):
            out.append(Seed(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"), path.parent))
    for page in sorted((ROOT / "docs").glob("*.md")):
        blocks = re.findall(r"```plan\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
        out += [Seed(f"docs/{page.name}#{i}", text, ROOT / "examples" / "fy2027") for i, text in enumerate(blocks)]
    return out


# ---- mutations -------------------------------------------------------------------------------

TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*|\d[\d_,.]*(?:e[+-]?\d+)?[%kKMBG万亿]*|\w+|\s+|\.\.|.', re.S)
KEYWORDS = ("plan target split by using rest even weight of table data assert cross seed import min max "
            "overassign sum csv").split()
PUNCTUATION = list("{}()[]=;:,.%*/+-<>\"#") + ["..", "==", "<=", ">=", "\n", "\r\n", "\t"]

# Hostile snippets by class, each inserted whole (at a token boundary or on a line of its own).
HOSTILE = {
    "huge numbers": ["1e400", "9" * 5000, "1" + "0" * 4400, "99999999999999999999999999999999999999M",
                     "1e308 * 1e308", "0.000000000000000000000000000001%", "1e-400", "-1e400", "1e99999",
                     "target h1 = 10000000000M\ntarget h2 = h1*h1*h1*h1*h1*h1*h1*h1\n"
                     "target h3 = h2*h2*h2*h2*h2*h2*h2*h2\ntarget h4 = h3*h3*h3*h3*h3*h3*h3*h3*h3*h3\n",
                     "target tiny = 1 / 10000000000M / 10000000000M / 10000000000M / 10000000000M\n"],
    "deep parens": ["(" * 3000 + "1" + ")" * 3000, "-" * 3000 + "1", "(" * 400 + "1" + ")" * 400,
                    "1" + " + 1" * 3000, "[" * 2000, "{" * 2000 + "}" * 2000],
    "unicode controls": ["\x00", "\x1b[31m", "\u202e", "\u2066", "\ufeff", "\u2028", "\x85", "\x0c", "\r",
                         "\U0001d465", "\u0301", "\ufffd", "\x7f", "\u200b"],
    "keywords glued": ["targetyear = 120M\n", "splityear byregion usingeven", "split year byregion { a = rest }",
                       "usingweight(history)", "targettarget", "plan\"x\"", "importstd/seasonality"],
    "mixed tables": ["table mix { a = 1; b: c = 2 }\n", "table mix { b: c = 2; a = 1 }\n",
                     "table mix { a: b = 1; a = 2; c: d = 3 }\n"],
    "negative parents": ["target neg = -100M\nsplit neg by r { a = even; b = even }\n",
                         "target neg = -100M\nsplit neg by r { a = weight(2); b = weight(1) }\n",
                         "target neg = -10M\nsplit neg by r { a = 50%; b = -50%; c = rest [min: 1M] }\n",
                         "target z = 0\nsplit z by r { a = 60%; b = rest [max: 1M] }\n"],
    "odd amounts": ["0", "-0", "0%", "100%", "-100%", "1/0", "0/0", "1 / 3", "rest rest", "even even",
                    "[min: 1M, max: 0]", "[max: -1M]", "[min: 1e400]", "overassign 200%", "overassign -5%"],
}


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def pick_hostile(rng: random.Random, kind: str | None = None) -> str:
    kind = kind or rng.choice(list(HOSTILE))
    return rng.choice(HOSTILE[kind])


def mutate_bytes(rng: random.Random, text: str) -> str:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data) + 1)
        op = rng.randrange(5)
        if op == 0 and at < len(data):
            data[at] ^= 1 << rng.randrange(8)
        elif op == 1:
            data[at:at] = bytes([rng.randrange(256)])
        elif op == 2:
            del data[at:at + rng.randint(1, 16)]
        elif op == 3:
            data[at:at] = data[at:at + rng.randint(1, 64)]
        else:
            data[at:at] = rng.choice([b"\x00", b"\xff", b"\xe4\xb8", b"\r", b"\x1b", b"\xef\xbb\xbf"])
    return data.decode("utf-8", errors="replace")


def mutate_tokens(rng: random.Random, text: str, others: list[str]) -> str:
    toks = tokens(text) or [""]
    for _ in range(rng.randint(1, 3)):
        i, j = rng.randrange(len(toks)), rng.randrange(len(toks))
        op = rng.randrange(7)
        if op == 0:
            toks[i], toks[j] = toks[j], toks[i]
        elif op == 1:
            lo, hi = sorted((i, j))
            toks[hi:hi] = toks[lo:min(hi + 1, lo + 40)]
        elif op == 2:
            del toks[i:i + rng.randint(1, 8)]
        elif op == 3:
            toks = toks[: max(i, 1)]  # truncated
        elif op == 4:
            toks[i] = rng.choice(KEYWORDS + PUNCTUATION)
        elif op == 5:
            toks[i] = rng.choice(tokens(rng.choice(others)) or [""])  # a token from another plan
        else:
            toks[i:i] = [rng.choice(KEYWORDS), rng.choice(["", " "])]
        if not toks:
            toks = [""]
    return "".join(toks)


def mutate_lines(rng: random.Random, text: str, others: list[str]) -> str:
    lines = text.splitlines(keepends=True) or [""]
    donor = rng.choice(others).splitlines(keepends=True) or [""]
    i = rng.randrange(len(lines))
    op = rng.randrange(4)
    if op == 0:
        lines[i:i] = donor[rng.randrange(len(donor)):][: rng.randint(1, 10)]  # crossover
    elif op == 1:
        del lines[i:i + rng.randint(1, 5)]
    elif op == 2:
        lines.insert(i, lines[rng.randrange(len(lines))])
    else:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


def insert_hostile(rng: random.Random, text: str, kind: str) -> str:
    snippet = pick_hostile(rng, kind)
    if snippet.endswith("\n"):  # a statement: on a line of its own
        lines = text.splitlines(keepends=True)
        at = rng.randrange(len(lines) + 1)
        return "".join(lines[:at] + [snippet] + lines[at:])
    toks = tokens(text)
    numbers = [i for i, t in enumerate(toks) if t[:1].isdigit()]
    if numbers and rng.random() < 0.6:  # in place of a number
        toks[rng.choice(numbers)] = snippet
    else:
        at = rng.randrange(len(toks) + 1)
        toks[at:at] = [snippet]
    return "".join(toks)


MUTATIONS = ("bytes", "tokens", "lines", *HOSTILE)


def mutant(rng: random.Random, corpus: list[Seed], how: str | None = None) -> tuple[Seed, str, str]:
    """(the seed, the mutation applied, the mutated text): 1–3 rounds of `how` (random if None)."""
    seed = rng.choice(corpus)
    how = how or rng.choice(MUTATIONS)
    others = [s.text for s in corpus]
    text = seed.text
    for _ in range(rng.randint(1, 3)):
        if how == "bytes":
            text = mutate_bytes(rng, text)
        elif how == "tokens":
            text = mutate_tokens(rng, text, others)
        elif how == "lines":
            text = mutate_lines(rng, text, others)
        else:
            text = insert_hostile(rng, text, how)
    return seed, how, text


# ---- running a mutant ----------------------------------------------------------------------


@dataclass
class Failure:
    entry: str  # compile, fmt, build, lsp <method>
    error: str  # the exception's class
    where: str  # the innermost planc frame: module:function
    message: str
    trace: str = field(repr=False, default="")

    @property
    def signature(self) -> tuple[str, str, str]:
        return self.entry, self.error, self.where


def _failure(entry: str, exc: BaseException) -> Failure:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/planc/" in f.filename.replace("\\", "/")]
    where = "?"
    if frames:
        f = frames[-1]
        where = f"{f.filename.replace(chr(92), '/').split('/planc/')[-1]}:{f.name}"
    first = (str(exc).strip().splitlines() or [""])[0][:160]
    return Failure(entry, type(exc).__name__, where, first, traceback.format_exc())


def run_all(text: str, seed: Seed, rng: random.Random, build: bool = True, slow: float | None = None) -> list[Failure]:
    """Every entry point on `text`; the failures (empty when all is well).
    With `slow`, an entry point that takes longer (seconds) is a failure too."""
    from planc.fmt import format_text
    from planc.pipeline import compile_text
    from planc.source import Source
    from planc.syntax.parse import parse

    failures: list[Failure] = []
    name = Path(seed.name).name if seed.name.endswith(".plan") else "snippet.plan"
    started = time.perf_counter()
    try:
        result = compile_text(text, name, seed.directory)
    except Exception as exc:
        failures.append(_failure("compile", exc))
        result = None
    started = _timed(failures, "compile", slow, started)

    try:
        formatted, _ = format_text(text, name)
        if formatted is not None:
            module, diags = parse(Source(name, formatted.replace("\r\n", "\n")))
            if module is None or any(d.is_error for d in diags):
                failures.append(Failure("fmt", "Reparse", "fmt", "the formatted plan does not parse"))
    except Exception as exc:
        failures.append(_failure("fmt", exc))
    started = _timed(failures, "fmt", slow, started)

    if build and result is not None and not result.has_errors and result.model and result.evaluation:
        from planc.report.build import render_all

        try:
            files = render_all(result, text.encode("utf-8", "surrogateescape"), ["html", "md", "json", "csv"],
                               rng.choice(["en", "zh"]), Path("out"), EPOCH)
            for data in files.values():  # the JSON and CSV are made as they are written: make them
                data.decode("utf-8")
        except Exception as exc:
            failures.append(_failure("build", exc))
        _timed(failures, "build", slow, started)

    if result is not None:
        failures += run_lsp(text, seed, rng, result, slow)
    return failures


def _timed(failures: list[Failure], entry: str, slow: float | None, started: float) -> float:
    """Note an entry point that took longer than `slow` seconds; the time now."""
    now = time.perf_counter()
    if slow is not None and now - started > slow:
        failures.append(Failure(entry, "Slow", "?", f"{now - started:.1f} s"))
    return now


def run_lsp(text, seed, rng, result, slow=None) -> list[Failure]:
    """The server's features on the compiled document (as didOpen leaves it):
    hover, definition, references, completion and code actions at random
    positions, symbols, inlay hints, semantic tokens, and sometimes
    formatting and a change (then the same on the last good compilation)."""
    from lsprotocol import types as lsp

    from planc.lsp import actions, completion, hover, inlay, navigate, symbols, tokens
    from planc.lsp.documents import Document
    from planc.lsp.positions import Lines

    failures = []
    uri = (seed.directory / "fuzz.plan").as_uri()
    doc = Document(uri)
    doc.text, doc.lines, doc.result = text, Lines(text), result
    if result.model is not None:
        doc.good, doc.good_text = result, text
    lines = text.count("\n") + 1
    everything = lsp.Range(lsp.Position(0, 0), lsp.Position(lines + 1, 0))
    calls = [("diagnostics", doc.diagnostics)]
    for _ in range(4):
        at = lsp.Position(rng.randrange(lines + 1), rng.randrange(80))
        calls.append(("hover", lambda p=at: hover.hover(doc, p)))
        calls.append(("definition", lambda p=at: navigate.definition(doc, p)))
        calls.append(("references", lambda p=at: navigate.references(doc, p, True)))
        calls.append(("completion", lambda p=at: completion.complete(doc, p)))
    calls.append(("documentSymbol", lambda: symbols.document_symbols(doc)))
    calls.append(("inlayHint", lambda: inlay.inlay_hints(doc, everything)))
    calls.append(("semanticTokens", lambda: tokens.full(doc)))
    calls.append(("codeAction", lambda: actions.code_actions(doc, everything, doc.diagnostics())))
    if rng.random() < 0.2:  # format_text itself runs on every input; its LSP wrapper on some
        calls.append(("formatting", lambda: symbols.formatting(doc)))
    if rng.random() < 0.1:  # the real didChange path: a recompile of a cut-down text, then answers from it
        cut = text[: rng.randrange(len(text) + 1)]
        calls.append(("didChange", lambda: doc.update(cut, 2)))
        at = lsp.Position(rng.randrange(lines + 1), rng.randrange(80))
        calls.append(("hover", lambda: hover.hover(doc, at)))
        calls.append(("inlayHint", lambda: inlay.inlay_hints(doc, everything)))
    for method, call in calls:
        started = time.perf_counter()
        try:
            call()
        except Exception as exc:
            failures.append(_failure(f"lsp {method}", exc))
        _timed(failures, f"lsp {method}", slow, started)
    return failures


# ---- making a reproducer small ---------------------------------------------------------------


def minimise(text: str, fails, budget: int = 300) -> str:
    """A shorter text on which `fails(text)` still holds: lines, then tokens, then characters removed."""
    for split in (lambda t: t.splitlines(keepends=True), tokens, list):
        parts = split(text)
        chunk = max(1, len(parts) // 2)
        while chunk >= 1 and budget > 0:
            i, changed = 0, False
            while i < len(parts) and budget > 0:
                trial = parts[:i] + parts[i + chunk:]
                budget -= 1
                if trial and fails("".join(trial)):
                    parts, changed = trial, True
                else:
                    i += chunk
            if not changed:
                chunk //= 2
        text = "".join(parts)
    return text
