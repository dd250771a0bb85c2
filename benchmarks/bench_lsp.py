"""The language server's speed on a 10,000-line plan, driven over stdio by a
real LSP client (pygls's LanguageClient), as issue 12 asks:

    python benchmarks/bench_lsp.py [--lines 10000] [--repeat 5]

Prints, median of `--repeat` runs each:

- `check`: compiling the plan in this process, as `planc check` does (the
  parse cache off, as for a text that was just edited);
- `didChange -> publishDiagnostics`: a one-character edit sent to the server
  until its diagnostics arrive (debounce set to 0), and its ratio to `check`
  (the target: at most 1.5);
- `completion` and `hover` once the plan is compiled (the target: under 50 ms).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))


def make_plan(lines: int) -> str:
    """A header, then blocks of a target and a split of four children, until `lines` lines."""
    out = ['plan "Big" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }',
           "table history { a = 40; b = 30; c = 20; d = 10 }"]
    i = 0
    while len(out) + 7 <= lines:
        out += [f"target t{i} = {i % 90 + 10}M", f"split t{i} by region using weight(history) {{",
                "  a", "  b   [owner: \"Li\", status: agreed]", "  c", "  d", "}"]
        i += 1
    out += ["# end"] * (lines - len(out))
    return "\n".join(out) + "\n"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from lsprotocol import types as lsp
    from lsp_client import Session

    from planc.pipeline import compile_text

    text = make_plan(args.lines)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "big.plan").write_text(text, encoding="utf-8")
        checks = []
        for n in range(args.repeat):
            started = time.perf_counter()
            result = compile_text(text.replace("= 10M", f"= {n + 11}M", 1), "big.plan", folder, cache=False)
            checks.append(time.perf_counter() - started)
        assert result.model is not None

        session = Session(folder, initialization_options={"planc": {"debounce": 0}})
        uri = (folder / "big.plan").as_uri()
        try:
            started = time.perf_counter()
            session.open(uri, text)
            session.diagnostics_for(uri, 1, timeout=600)
            opened = time.perf_counter() - started
            changes = []
            line = text.splitlines().index("target t0 = 10M")
            for n in range(args.repeat):
                version = n + 2
                started = time.perf_counter()
                session.edit(uri, version, (line, 13), (line, 14), str(n % 9 + 1))
                session.diagnostics_for(uri, version, timeout=600)
                changes.append(time.perf_counter() - started)
            doc = lsp.TextDocumentIdentifier(uri=uri)
            middle = len(text.splitlines()) // 2
            middle -= (middle - 2) % 7  # a `target` line
            completions, hovers = [], []
            for _ in range(args.repeat * 4):
                started = time.perf_counter()
                items = session.request("text_document_completion",
                                        lsp.CompletionParams(doc, lsp.Position(middle + 3, 2))).items
                completions.append(time.perf_counter() - started)
                started = time.perf_counter()
                found = session.request("text_document_hover", lsp.HoverParams(doc, lsp.Position(middle + 2, 3)))
                hovers.append(time.perf_counter() - started)
            assert items and found is not None
        finally:
            session.close()

    check, change = median_ms(checks), median_ms(changes)
    print(f"plan: {args.lines:,} lines, {len(result.model.targets):,} targets")
    print(f"check (in process, no parse cache): {check:8.1f} ms")
    print(f"didOpen -> publishDiagnostics:      {opened * 1000:8.1f} ms")
    print(f"didChange -> publishDiagnostics:    {change:8.1f} ms  ({change / check:.2f}x check)")
    print(f"completion ({len(items):,} items):        {median_ms(completions):8.1f} ms")
    print(f"hover:                              {median_ms(hovers):8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
