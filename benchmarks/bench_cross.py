"""A seeded cross (200 x 50 unless told), end to end: `planc eval` on a generated plan.

Prints the median wall time of the whole command (parse, resolve, IPF,
controlled rounding, output) and of the in-process evaluation alone.

Run: python benchmarks/bench_cross.py [--runs 5] [--rows 200 --cols 50]

Measured for issue 15 (IPF on numpy arrays, Newton steps, flows that skip
the network when the greedy start meets every total), old code | new code,
CPU seconds of the evaluation alone (in process, after resolve), on the
shared 2-core machine under a load of 3-6: 1000 x 100: 2.6 | 1.6 s (IPF
0.37 s, controlled rounding 0.5 s, the rest the record of each cell).
For 1000 x 100, `planc eval` spends most of its time outside the cross:
reading the 100,000-line seed CSV (1.4 s), making 100,000 cells as targets
at resolve time (about 4 s), and the text table of 101,101 amounts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def generate_plan(rows: int = 200, cols: int = 50, seed: int = 7) -> tuple[str, str]:
    """The plan and its seed CSV. Margins come from a random matrix on the
    seed's support, so a fit exists; about 10% of seed cells are zero."""
    rnd = random.Random(seed)
    support = [[rnd.random() >= 0.1 for _ in range(cols)] for _ in range(rows)]
    for i in range(rows):
        support[i][i % cols] = True  # no all-zero row or column
    matrix = [[rnd.randint(1, 50) * 1000 if support[i][j] else 0 for j in range(cols)] for i in range(rows)]
    row_totals = [sum(r) for r in matrix]
    col_totals = [sum(matrix[i][j] for i in range(rows)) for j in range(cols)]
    total = sum(row_totals)
    lines = ['plan "Cross benchmark" { round: 1000 }', f"target total = {total}",
             "split total by account {"] + [f"  a{i} = {v}" for i, v in enumerate(row_totals)] + ["}",
             "split total by product {"] + [f"  p{j} = {v}" for j, v in enumerate(col_totals)] + ["}",
             'data history = csv("history.csv")', "cross account by product seed history"]
    csv = ["account,product,value"] + [f"a{i},p{j},{rnd.randint(1, 100) if support[i][j] else 0}"
                                       for i in range(rows) for j in range(cols)]
    return "\n".join(lines) + "\n", "\n".join(csv) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--cols", type=int, default=50)
    args = ap.parse_args()
    plan_text, csv_text = generate_plan(args.rows, args.cols)
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "cross.plan"
        plan.write_text(plan_text, encoding="utf-8")
        (Path(tmp) / "history.csv").write_text(csv_text, encoding="utf-8")
        cmd = [sys.executable, "-m", "planc", "eval", str(plan), "--format", "json"]
        env = dict(os.environ, PLANC_NO_CACHE="1")
        first = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if first.returncode != 0:
            sys.exit(f"planc eval failed:\n{first.stdout[-2000:]}\n{first.stderr[-2000:]}")
        walls = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=env)
            walls.append(time.perf_counter() - start)

        from planc.evaluate import evaluate
        from planc.semantics.loader import load
        from planc.semantics.resolve import resolve

        program, _ = load(plan)
        inproc = []
        for _ in range(args.runs):
            model, _ = resolve(program)
            start = time.perf_counter()
            evaluate(model)
            inproc.append(time.perf_counter() - start)
    print(f"{args.rows} x {args.cols} seeded cross ({args.rows * args.cols:,} cells)")
    print(f"planc eval --format json, whole command : {statistics.median(walls) * 1000:8.1f} ms (median of {args.runs})")
    print(f"evaluation alone (IPF + rounding)       : {statistics.median(inproc) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
