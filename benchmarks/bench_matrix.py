"""Time a seeded cross (200 x 50 unless told): ipf_exact + controlled_round of its
ExactCells (the exact grid form, no Fraction per cell); prints the median of 5 runs
(wall time, and CPU time)
and the peak memory of one more run (tracemalloc, numpy loaded beforehand).
`--fractions` times ipf + controlled_round on Fractions instead.

Run: PYTHONPATH=src python benchmarks/bench_matrix.py [--rows 200 --cols 50] [--runs 5] [--fractions]

Issue 15, measured on the shared 2-core machine, median of 5, CPU time of the process
(wall time under the other engineers' load ran 1.5-2x higher for both):

| cross      | before: ipf + controlled_round (Fractions) | after: ipf_exact + controlled_round (ExactCells) |
| ---------- | ------------------------------------------- | ------------------------------------------------ |
| 1000 x 100 | 733 ms (ipf 359 ms), peak 61 MB             | 134 ms (ipf_exact 85 ms), peak 21 MB             |
| 2000 x 200 | 2,887 ms (ipf 1,223 ms), peak 241 MB        | 509 ms (ipf_exact 293 ms), peak 87 MB            |

The results are the same cells (tests/test_maths_exact.py checks digests of 454
problems written by the code from before).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from planc.maths.matrix import Infeasible, controlled_round, ipf, ipf_exact  # noqa: E402


def problem(n: int = 200, m: int = 50, seed: int = 1):
    """A seed with ~10% zeros and margins of a random matrix on that support."""
    rnd = random.Random(seed)
    S = [[0 if rnd.random() < 0.1 else rnd.randint(1, 100) for _ in range(m)] for _ in range(n)]
    M = [[rnd.randint(0, 50) * 1000 if S[i][j] else 0 for j in range(m)] for i in range(n)]
    rows = [Fraction(sum(line)) for line in M]
    cols = [Fraction(sum(M[i][j] for i in range(n))) for j in range(m)]
    return S, rows, cols


def run(S, rows, cols, fractions: bool) -> tuple[float, float, float]:
    """(seconds for both, seconds for the fit, CPU seconds for both)."""
    fit_fn = ipf if fractions else ipf_exact
    c0, t0 = time.process_time(), time.perf_counter()
    fit = fit_fn(S, rows, cols)
    t1 = time.perf_counter()
    assert not isinstance(fit, Infeasible), fit
    out = controlled_round(fit, rows, cols, Fraction(1000))
    t2, c2 = time.perf_counter(), time.process_time()
    assert not isinstance(out, Infeasible), out
    return t2 - t0, t1 - t0, c2 - c0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--cols", type=int, default=50)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--fractions", action="store_true", help="time ipf + controlled_round on Fractions")
    args = ap.parse_args()
    S, rows, cols = problem(args.rows, args.cols)
    runs = [run(S, rows, cols, args.fractions) for _ in range(args.runs)]
    tracemalloc.start()
    run(S, rows, cols, args.fractions)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    what = "ipf + controlled_round (Fractions)" if args.fractions else "ipf_exact + controlled_round (ExactCells)"
    print(f"{args.rows} x {args.cols} {what}: median {statistics.median(t for t, _, _ in runs) * 1000:.1f} ms "
          f"(fit alone {statistics.median(f for _, f, _ in runs) * 1000:.1f} ms; CPU "
          f"{statistics.median(c for _, _, c in runs) * 1000:.1f} ms), peak {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
