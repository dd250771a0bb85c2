"""`planc check` start-up against the floor it cannot beat.

Runs, side by side and interleaved (so machine noise hits both alike):
  baseline: python -c "import lark, attrs, argparse"   (our CLI library is argparse)
  check:    python -m planc check <a generated ~300-line plan>
and prints the median wall times and their ratio. The target is <= 1.3x.

Two figures for planc: with its parse cache warm (the usual case: a plan is
checked again and again, and the stdlib never changes) and with the cache
off (PLANC_NO_CACHE=1: every file parsed by Lark). planc's bytecode is
compiled first, as `pip install` does, so a PYTHONDONTWRITEBYTECODE
environment does not make planc recompile its sources on every run.

Run: python benchmarks/bench_startup.py [--runs 21]

Measured for issue 14 (authenticated caches: a MAC checked before every
unpickling, private folders), once before and once after, on a shared
2-core machine (the second run under a load of about 6, hence the slower
baseline): warm 1.26x before, 1.22x after; cache off 2.04x before, 2.79x
after. The cache-off figure rose because PLANC_NO_CACHE=1 now also switches
off the grammar tables, so Lark rebuilds them (about 140 ms). In-process
cost of the checks: cache_dir() about 26 us, read_entry() of the 62 KB
grammar tables about 0.3 ms (under load).

Measured again at the end of the issue 8/14 session, side by side with the
code from before it (a worktree of the earlier commit on PYTHONPATH,
interleaved with this one and the baseline, 31 runs each, machine idle):
1.26x / 1.27x and 1.27x / 1.29x (before / after) with the parse cache warm.
The new work (a record of how every amount was made, bounds on amounts,
the time and history concepts, secondary labels) cost about 20 ms, won back
by: a cycle collector that runs rarely in one-shot commands (cli/__init__.py),
only the sub-parser of the command being run, regular expressions compiled
on first use, and Derivation without generated __eq__/__repr__.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def generate_plan(lines: int = 300) -> str:
    """A realistic plan: header, tables, year by quarter/month, regions, teams, reps, asserts."""
    out = ['plan "Bench" {', "  currency: CNY", "  period: 2027-01-01 .. 2027-12-31", "  round: 1000", "}",
           'import "std/seasonality"', "target year = 1.2亿", "split year by quarter using weight(b2b_quarterly)"]
    regions = [f"r{i}" for i in range(12)]
    out.append("table history {")
    out += [f"  {r} = {10 + i}M" for i, r in enumerate(regions)]
    out.append("}")
    out.append("split year by region using weight(history) {")
    out += [f"  {r}  [owner: \"Owner {r}\", status: proposed]" for r in regions]
    out.append("}")
    for r in regions:
        out.append(f"split {r} by team {{")
        out += [f"  {r}_t{j} = {20 + j}%" for j in range(3)] + [f"  {r}_t3 = rest", "}"]
        for j in range(4):
            if len(out) > lines - 10:
                break
            out.append(f"split {r}_t{j} by rep using even {{ {r}_t{j}_a; {r}_t{j}_b; {r}_t{j}_c }}")
    while len(out) < lines - 1:
        out.append(f"assert year >= {len(out)}  \"line {len(out)}\"")
    return "\n".join(out) + "\n"


def timed(cmd: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    import planc

    compileall.compile_dir(os.path.dirname(planc.__file__), quiet=1)
    cold_env = dict(os.environ, PLANC_NO_CACHE="1")
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "bench.plan"
        plan.write_text(generate_plan(), encoding="utf-8")
        check = [sys.executable, "-m", "planc", "check", str(plan)]
        result = subprocess.run(check, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"the benchmark plan does not check cleanly:\n{result.stderr}")
        base = [sys.executable, "-c", "import lark, attrs, argparse"]
        timed(check), timed(base)  # warm the file cache and planc's caches
        b, warm, cold = [], [], []
        for _ in range(args.runs):
            b.append(timed(base))
            warm.append(timed(check))
            cold.append(timed(check, cold_env))
        lines = plan.read_text().count("\n")
    mb, mw, mc = statistics.median(b), statistics.median(warm), statistics.median(cold)
    print(f"plan: {lines} lines (+ std/seasonality), {args.runs} runs each, interleaved")
    print(f"baseline  import lark, attrs, argparse : {mb * 1000:7.1f} ms (median)")
    print(f"planc check, parse cache warm          : {mw * 1000:7.1f} ms  ratio {mw / mb:.2f}x  (target <= 1.30x)")
    print(f"planc check, parse cache off           : {mc * 1000:7.1f} ms  ratio {mc / mb:.2f}x")


if __name__ == "__main__":
    main()
