"""A long fuzzing run: mutants of the shipped plans through compile, fmt,
build's rendering and the LSP handlers (the mutations and checks of
tests/fuzzkit.py, which tests/test_fuzz.py runs briefly in CI).

Each input runs in a worker process. An entry point (compile, fmt, build,
one LSP request) that takes longer than --timeout seconds (default 5) on an
input is a hang; an input still running after 4 × --timeout + 10 seconds is
one too, and its worker is killed and a new one started. The worker's memory is capped (--memory MiB), so runaway memory
is a MemoryError, not a dead machine. At the end: inputs, crashes, hangs,
and for each kind of failure (entry point, exception class, innermost planc
function) a count and a minimal reproducer.

Run: python benchmarks/fuzz_long.py --count 20000 [--seed 1] [--timeout 5] [--out DIR]
(with PYTHONPATH=src in a checkout). --out keeps every failing input there.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
os.environ.setdefault("PLANC_NO_CACHE", "1")

import fuzzkit  # noqa: E402


def worker(conn, memory_mib: int) -> None:
    try:
        import resource

        limit = memory_mib * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass
    corpus = {s.name: s for s in fuzzkit.seeds()}
    while True:
        job = conn.recv()
        if job is None:
            return
        seed_name, text, rng_seed, build, slow = job
        failures = fuzzkit.run_all(text, corpus[seed_name], random.Random(rng_seed), build=build, slow=slow)
        conn.send([(f.entry, f.error, f.where, f.message) for f in failures])


class Runner:
    """One worker at a time; a hang kills it and starts the next."""

    def __init__(self, timeout: float, memory: int) -> None:
        self.timeout, self.memory, self.proc = timeout, memory, None

    def start(self) -> None:
        self.conn, child = multiprocessing.Pipe()
        self.proc = multiprocessing.Process(target=worker, args=(child, self.memory), daemon=True)
        self.proc.start()

    def run(self, seed_name: str, text: str, rng_seed: int, build: bool = True):
        """The failures as tuples, or "hang"."""
        if self.proc is None or not self.proc.is_alive():
            self.start()
        self.conn.send((seed_name, text, rng_seed, build, self.timeout))
        if self.conn.poll(4 * self.timeout + 10):
            try:
                return self.conn.recv()
            except EOFError:  # the worker died (a hard crash): say so
                self.proc.join()
                code, self.proc = self.proc.exitcode, None
                return [("worker", "died", "?", f"exit code {code}")]
        self.proc.kill()
        self.proc.join()
        self.proc = None
        return "hang"

    def stop(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.conn.send(None)
            self.proc.join(5)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds before an input counts as a hang")
    ap.add_argument("--memory", type=int, default=2048, help="the worker's memory cap, MiB")
    ap.add_argument("--out", type=Path, help="a folder to keep every failing input in")
    ap.add_argument("--no-minimise", action="store_true")
    args = ap.parse_args(argv)

    corpus = fuzzkit.seeds()
    rng = random.Random(args.seed)
    runner = Runner(args.timeout, args.memory)
    found: dict[tuple, dict] = {}
    crashes = hangs = 0
    started = time.monotonic()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    for n in range(args.count):
        seed, how, text = fuzzkit.mutant(rng, corpus)
        rng_seed = rng.randrange(2**32)
        outcome = runner.run(seed.name, text, rng_seed)
        if outcome == "hang":
            hangs += 1
            outcome = [("any", "Hang", "?", f"over {4 * args.timeout + 10:g} s")]
        else:
            hangs += any(f[1] == "Slow" for f in outcome)
            crashes += any(f[1] != "Slow" for f in outcome)
        for entry, error, where, message in outcome:
            kind = found.setdefault((entry, error, where), {"count": 0, "message": message, "how": set(),
                                                             "input": (seed, text, rng_seed)})
            kind["count"] += 1
            kind["how"].add(how)
        if outcome and args.out:
            (args.out / f"{n:06d}-{how.replace(' ', '_')}.plan").write_text(text, encoding="utf-8",
                                                                            errors="surrogateescape")
        if (n + 1) % 500 == 0:
            print(f"{n + 1} inputs, {crashes} crashing, {hangs} hanging, {len(found)} kinds, "
                  f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    elapsed = time.monotonic() - started
    print(f"inputs: {args.count}  crashing inputs: {crashes}  hanging inputs (> {args.timeout:g} s): {hangs}  "
          f"time: {elapsed:.0f} s ({args.count / elapsed:.1f} inputs/s)")
    for (entry, error, where), kind in sorted(found.items(), key=lambda kv: -kv[1]["count"]):
        seed, text, rng_seed = kind["input"]
        print(f"\n{kind['count']:6d} × {entry}: {error} in {where}: {kind['message']}")
        print(f"       mutations: {', '.join(sorted(kind['how']))}; seed file: {seed.name}")
        if not args.no_minimise and error not in ("Hang", "Slow"):
            def fails(t, signature=(entry, error, where)):
                got = runner.run(seed.name, t, rng_seed)
                return got != "hang" and any(tuple(f[:3]) == signature for f in got)
            text = fuzzkit.minimise(text, fails)
        shown = text if len(text) <= 400 else text[:400] + f"… ({len(text)} characters)"
        print("       reproducer: " + repr(shown))
    runner.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
