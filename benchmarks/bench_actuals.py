"""Reading and rolling up a million actual rows, side by side with `csv.reader`.

    python benchmarks/bench_actuals.py [--reps 2000] [--products 40] [--repeat 3]

Generates (in a temporary folder) a plan with `--reps` reps under four
regions, each split by `--products` products, a quarterly time split, and a
long-format actuals file `target,period,amount` with one row per rep,
product and month (2,000 × 40 × 12 = 960,000 rows by default; amounts with
cents). Then, best of `--repeat` runs, in this one process:

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
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gc
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from planc.pipeline import compile_plan  # noqa: E402
from planc.review import track  # noqa: E402
from planc.review.actuals import ActualsFile  # noqa: E402

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


def planc_read(result, path: Path, as_of: datetime.date) -> int:
    rows, diags = track.read_actuals([ActualsFile(path, path.name)], result, as_of)
    actuals, more = track.rollup(result, rows, as_of)
    assert not diags and not more, (diags + more)[:3]
    return len(actuals)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--products", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    as_of = datetime.date(2027, 12, 31)
    from planc.cli import _ONE_SHOT_GC

    gc.set_threshold(*_ONE_SHOT_GC)  # as the planc command runs
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        plan, actuals, rows = make(Path(tmp), args.reps, args.products)
        result = compile_plan(plan)
        assert not result.has_errors, result.diagnostics[:3]
        size = actuals.stat().st_size
        print(f"{rows:,} rows, {size / 1e6:.1f} MB; plan of {len(result.model.targets):,} targets "
              f"(set-up {time.perf_counter() - started:.1f} s, not timed)")
        base, n = best(lambda: baseline(actuals), args.repeat)
        ours, targets = best(lambda: planc_read(result, actuals, as_of), args.repeat)
        print(f"csv.reader:           {base:7.2f} s  ({n:,} rows)")
        print(f"planc read + roll-up: {ours:7.2f} s  ({targets:,} targets with an actual)")
        print(f"ratio:                {ours / base:7.2f} x  (required: at most 3 x)")
        print(f"peak memory, csv.reader:           {peak(lambda: baseline(actuals)) / 2**20:7.1f} MiB")
        print(f"peak memory, planc read + roll-up: {peak(lambda: planc_read(result, actuals, as_of)) / 2**20:7.1f} MiB")


if __name__ == "__main__":
    main()
