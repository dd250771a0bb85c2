"""Reading and rolling up a million actual rows, side by side with `csv.reader`.

    python benchmarks/bench_actuals.py [--reps 2000] [--products 40] [--repeat 3]
                                       [--src OTHER/src ...]

Generates (in a temporary folder) a plan with `--reps` reps under four
regions, each split by `--products` products, a quarterly time split, and a
long-format actuals file `target,period,amount` with one row per rep,
product and month (2,000 × 40 × 12 = 960,000 rows by default; amounts with
cents). Then, best of `--repeat` runs, side by side in one process:

- `csv.reader`: plain Python reading the same file (`for row in reader`);
- planc: `review.track.read_actuals` (read, check, name every target and
  period) plus `review.track.rollup` (the actual to date of every target of
  the plan, every split and the quarters);

and the ratio of the two (issue 9 asks for at most 3×). Both run with the
garbage-collector thresholds the `planc` command sets for its one-shot
commands (`planc.cli._ONE_SHOT_GC`), as `planc track` runs. Peak memory is
measured afterwards in a separate run of each under `tracemalloc` (which
slows them down, so its timings are not used): the Python heap at its
highest while reading, beyond what was allocated before.

With `--src`, the same file and plan are measured again with the planc of
each other source folder (say, a copy of an older version's `src`), each in
a process of its own, one after the other, with `csv.reader` measured again
in each; the figures are printed side by side.

Last figures: one run, `--src` a copy of the code before the quickest way
(review/columns.py), on a machine shared with other work (load about 3.5 on
2 cores):

    960,000 rows, 27.8 MB; plan of 82,009 targets, all with an actual
                               this tree       --src 1
    csv.reader                    0.54 s        0.55 s
    planc read + roll-up          0.95 s        3.27 s
    ratio (at most 3 x)            1.8 x         6.0 x
    peak, planc                 69.9 MiB     223.4 MiB

Two other runs the same evening: 2.0 x (a few commits earlier, before two
small speed-ups) and 1.5 x (the code before: 6.4 x both times); the peaks
do not change.

The file is read as columns (blocks of lines taken apart as numpy arrays);
what is left is mostly per target, not per row: naming each of the 80,000
distinct names, placing it in the plan, and making each target's figure a
`Fraction`. The first of the runs also pays for importing numpy (about
0.1 s); the best of three does not show it.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ("east", "north", "south", "west")


def make(folder: Path, reps: int, products: int) -> tuple[Path, Path, int]:
    names = [f"rep{i:04d}" for i in range(reps)]
    lines = ['plan "Bench" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1 }',
             "target year = 1亿", "split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }",
             "split year by region using even { " + "; ".join(REGIONS) + " }"]
    for k, region in enumerate(REGIONS):
        mine = names[k::len(REGIONS)]
        lines.append(f"split {region} by rep using even {{ " + "; ".join(mine) + " }")
    product_list = "; ".join(f"p{j:02d}" for j in range(products))
    lines += [f"split {rep} by product using even {{ {product_list} }}" for rep in names]
    plan = folder / "bench.plan"
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    actuals = folder / "actuals.csv"
    rng = random.Random(9)
    rows = 0
    with actuals.open("w", encoding="utf-8", newline="") as f:
        f.write("target,period,amount\n")
        for rep in names:
            for j in range(products):
                target = f"{rep}.p{j:02d}"
                f.writelines(f"{target},2027-{m:02d},{rng.randrange(100000, 9999999) / 100:.2f}\n"
                             for m in range(1, 13))
                rows += 12
    return plan, actuals, rows


def baseline(path: Path) -> int:
    n = 0
    with path.open(encoding="utf-8", newline="") as f:
        for _row in csv.reader(f):
            n += 1
    return n


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def peak(fn) -> int:
    gc.collect()
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def measure(src: Path, plan: Path, actuals: Path, repeat: int) -> dict:
    """The figures of the planc in `src` (imported here: one source folder per process)."""
    sys.path.insert(0, str(src))
    from planc.cli import _ONE_SHOT_GC
    from planc.pipeline import compile_plan
    from planc.review import track
    from planc.review.actuals import ActualsFile

    gc.set_threshold(*_ONE_SHOT_GC)  # as the planc command runs
    result = compile_plan(plan)
    assert not result.has_errors, result.diagnostics[:3]
    as_of = datetime.date(2027, 12, 31)

    def planc_read() -> int:
        rows, diags = track.read_actuals([ActualsFile(actuals, actuals.name)], result, as_of)
        found, more = track.rollup(result, rows, as_of)
        assert not diags and not more, (diags + more)[:3]
        return len(found)

    base, n = best(lambda: baseline(actuals), repeat)
    ours, targets = best(planc_read, repeat)
    return {"src": str(src), "csv": base, "rows": n, "planc": ours, "targets": targets,
            "all_targets": len(result.model.targets),
            "csv_peak": peak(lambda: baseline(actuals)), "planc_peak": peak(planc_read)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--products", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", action="append", default=[], help="also measure the planc of this src folder")
    parser.add_argument("--child", nargs=3, metavar=("SRC", "PLAN", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        src, plan, actuals = (Path(p) for p in args.child)
        print(json.dumps(measure(src, plan, actuals, args.repeat)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        plan, actuals, rows = make(Path(tmp), args.reps, args.products)
        print(f"{rows:,} rows, {actuals.stat().st_size / 1e6:.1f} MB "
              f"(made in {time.perf_counter() - started:.1f} s, not timed)", flush=True)
        runs = []
        for src in [ROOT / "src", *(Path(s).resolve() for s in args.src)]:
            env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
            out = subprocess.run([sys.executable, __file__, "--repeat", str(args.repeat), "--child", str(src),
                                  str(plan), str(actuals)], capture_output=True, text=True, env=env)
            if out.returncode:
                sys.exit(f"measuring {src} failed:\n{out.stderr}")
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"plan of {runs[0]['all_targets']:,} targets; {runs[0]['targets']:,} with an actual")
    names = ["this tree"] + [f"--src {i + 1}" for i in range(len(runs) - 1)]
    table = [("", names),
             ("csv.reader", [f"{r['csv']:7.2f} s" for r in runs]),
             ("planc read + roll-up", [f"{r['planc']:7.2f} s" for r in runs]),
             ("ratio (at most 3 x)", [f"{r['planc'] / r['csv']:7.1f} x" for r in runs]),
             ("peak, csv.reader", [f"{r['csv_peak'] / 2**20:7.1f} MiB" for r in runs]),
             ("peak, planc", [f"{r['planc_peak'] / 2**20:7.1f} MiB" for r in runs])]
    for label, cells in table:
        print(f"{label:22s}" + "".join(f"{c:>14s}" for c in cells))
    for i, r in enumerate(runs[1:]):
        print(f"--src {i + 1}: {r['src']}")


if __name__ == "__main__":
    main()
