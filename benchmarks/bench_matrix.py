"""Time a seeded cross (200 x 50 unless told): ipf + controlled_round; prints the median of 5 runs.

Run: PYTHONPATH=src python benchmarks/bench_matrix.py [--rows 200 --cols 50] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from planc.maths.matrix import Infeasible, controlled_round, ipf  # noqa: E402


def problem(n: int = 200, m: int = 50, seed: int = 1):
    """A seed with ~10% zeros and margins of a random matrix on that support."""
    rnd = random.Random(seed)
    S = [[0 if rnd.random() < 0.1 else rnd.randint(1, 100) for _ in range(m)] for _ in range(n)]
    M = [[rnd.randint(0, 50) * 1000 if S[i][j] else 0 for j in range(m)] for i in range(n)]
    rows = [Fraction(sum(line)) for line in M]
    cols = [Fraction(sum(M[i][j] for i in range(n))) for j in range(m)]
    return S, rows, cols


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--cols", type=int, default=50)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    S, rows, cols = problem(args.rows, args.cols)
    times, fit_times = [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        fit = ipf(S, rows, cols)
        t1 = time.perf_counter()
        assert not isinstance(fit, Infeasible), fit
        out = controlled_round(fit, rows, cols, Fraction(1000))
        t2 = time.perf_counter()
        assert not isinstance(out, Infeasible), out
        times.append(t2 - t0)
        fit_times.append(t1 - t0)
    print(f"{args.rows} x {args.cols} ipf + controlled_round: median {statistics.median(times) * 1000:.1f} ms "
          f"(ipf alone {statistics.median(fit_times) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
