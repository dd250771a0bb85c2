"""Time `planc check` over 50 generated plans (issue 5, point 7).

    python benchmarks/bench_check_many.py [--plans 50] [--repeat 3]

Prints, best of `--repeat` runs:

- one `planc check` process over all the plans (what pre-commit does: it
  passes many files to one process), and the time per plan;
- one process per plan (the start-up cost a file-at-a-time hook would pay);
- `planc check` on one plan (start-up plus one plan);
- in-process `compile_plan` per plan, with the number of times the Lark
  parser was built (1: it is built once per process and reused).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

REGIONS = ["east", "north", "south", "west", "central", "华东", "华南", "华北"]
TEAMS = ["key_accounts", "channel", "retail"]


def make_plan(n: int) -> str:
    regions = REGIONS[: 3 + n % 6]
    lines = [f'plan "FY2027 plan {n}" {{', "  currency: CNY", "  period: 2027-01-01 .. 2027-12-31",
             '  owner: "Wang Fang"', "  round: 1000", "}", "", 'import "std/seasonality"', ""]
    lines += ["table history {"] + [f"  {r} = {10 + (i * 7 + n) % 20}M" for i, r in enumerate(regions)] + ["}", ""]
    lines += ["table potential {"] + [f"  {r} = {3 + (i * 5 + n) % 9}" for i, r in enumerate(regions)] + ["}", ""]
    lines += [f"target year = {100 + n}M \"Company revenue target\"", ""]
    lines += ["split year by quarter using weight(retail_cn_quarterly)", ""]
    lines += ["split year by region using weight(history: 60%, potential: 40%) {"]
    lines += [f"  {r} [owner: \"Owner {i}\", status: agreed]" for i, r in enumerate(regions)] + ["}", ""]
    for r in regions:
        lines += [f"split {r} by team {{", "  key_accounts = 45%", "  channel      = 35%", "  retail       = rest", "}", ""]
        lines += [f"split {r}.key_accounts by month using weight(retail_cn_monthly)", ""]
    lines += ['assert year.Q4 <= 35% of year "no hockey-stick year"']
    return "\n".join(lines) + "\n"


def best(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    # Like an installed planc (a wheel has its .pyc files): let Python cache bytecode.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = []
        for n in range(args.plans):
            path = folder / f"plan{n:02d}.plan"
            path.write_text(make_plan(n), encoding="utf-8")
            paths.append(str(path))
        sizes = [len(Path(p).read_text(encoding="utf-8").splitlines()) for p in paths]

        def check(files):
            proc = subprocess.run([sys.executable, "-m", "planc", "check", "--format", "concise", *files],
                                  env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                raise SystemExit(f"planc check failed:\n{proc.stderr}")
            return proc

        check(paths[:1])  # warm the on-disk grammar cache
        warnings = check(paths).stderr.count("warning[")
        many = best(args.repeat, lambda: check(paths))
        one = best(args.repeat, lambda: check(paths[:1]))
        each = best(1, lambda: [check([p]) for p in paths])

        from planc import parse
        from planc.pipeline import compile_plan

        built = []
        real = parse.Lark

        def counting(*a, **kw):
            built.append(1)
            return real(*a, **kw)

        parse.Lark = counting
        parse._PARSER = None
        start = time.perf_counter()
        for p in paths:
            compile_plan(p)
        first_pass = time.perf_counter() - start
        in_process = best(args.repeat, lambda: [compile_plan(p) for p in paths])
        parse.Lark = real

        from planc import rules
        from planc.config import DEFAULT

        results = [compile_plan(p) for p in paths]
        linting = best(args.repeat, lambda: [rules.run(r, DEFAULT) for r in results])

    print(f"plans: {len(paths)} generated, {min(sizes)}-{max(sizes)} lines each "
          f"({sum(sizes)} lines), {warnings} warnings")
    print(f"planc check, one process, {len(paths)} plans: {many * 1000:8.1f} ms  "
          f"({many / len(paths) * 1000:.1f} ms per plan)")
    print(f"planc check, one plan:                {one * 1000:8.1f} ms  (start-up + one plan)")
    print(f"planc check, one process per plan:    {each * 1000:8.1f} ms  "
          f"({each / len(paths) * 1000:.1f} ms per plan)")
    print(f"in process, compile_plan x {len(paths)}:      {in_process * 1000:8.1f} ms  "
          f"(first pass, building the parser: {first_pass * 1000:.1f} ms)")
    print(f"of which the lint rules:              {linting * 1000:8.1f} ms  "
          f"({linting / len(paths) * 1000:.2f} ms per plan)")
    print(f"Lark parsers built in process: {len(built)}")


if __name__ == "__main__":
    main()
