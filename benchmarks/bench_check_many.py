"""Time `planc check` over 50 generated plans (issue 5, point 7).

    python benchmarks/bench_check_many.py [--plans 50] [--repeat 3]

Prints, best of `--repeat` runs:

- one `planc check` process over all the plans (what pre-commit does: it
  passes many files to one process), and the time per plan;
- one process per plan (the start-up cost a file-at-a-time hook would pay);
- `planc check` on one plan (start-up plus one plan);
- in-process `compile_plan` per plan, with the number of times the Lark
  parser was built (1: it is built once per process and reused), and the
  share of that time spent in the lint rules.

Subprocess figures are given with planc's parse cache warm (the normal
case: a plan that did not change since the last check is not re-parsed) and
switched off (PLANC_NO_CACHE=1: every plan parsed by Lark).
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

        cold_env = dict(env, PLANC_NO_CACHE="1")

        def check(files, environ=env):
            proc = subprocess.run([sys.executable, "-m", "planc", "check", "--format", "concise", *files],
                                  env=environ, capture_output=True, text=True)
            if proc.returncode != 0:
                raise SystemExit(f"planc check failed:\n{proc.stderr}")
            return proc

        check(paths)  # warm the grammar tables and the parse cache
        warnings = check(paths).stderr.count("warning[")
        many = best(args.repeat, lambda: check(paths))
        many_cold = best(args.repeat, lambda: check(paths, cold_env))
        one = best(args.repeat, lambda: check(paths[:1]))
        one_cold = best(args.repeat, lambda: check(paths[:1], cold_env))
        each = best(1, lambda: [check([p]) for p in paths])

        os.environ["PLANC_NO_CACHE"] = "1"  # in process: parse every plan with Lark
        from planc.syntax import builder
        from planc.pipeline import compile_plan

        built = []
        real = builder.Lark

        def counting(*a, **kw):
            built.append(1)
            return real(*a, **kw)

        builder.Lark = counting
        builder._PARSER = None
        start = time.perf_counter()
        for p in paths:
            compile_plan(p)
        first_pass = time.perf_counter() - start
        in_process = best(args.repeat, lambda: [compile_plan(p) for p in paths])
        builder.Lark = real

        from planc.lint import rules
        from planc.lint.config import DEFAULT

        results = [compile_plan(p) for p in paths]
        linting = best(args.repeat, lambda: [rules.run(r, DEFAULT) for r in results])

    print(f"plans: {len(paths)} generated, {min(sizes)}-{max(sizes)} lines each "
          f"({sum(sizes)} lines), {warnings} warnings")
    print(f"planc check, one process, {len(paths)} plans: {many * 1000:8.1f} ms  "
          f"({many / len(paths) * 1000:.1f} ms per plan; parse cache off: {many_cold * 1000:.1f} ms, "
          f"{many_cold / len(paths) * 1000:.1f} ms per plan)")
    print(f"planc check, one plan:                {one * 1000:8.1f} ms  (start-up + one plan; "
          f"parse cache off: {one_cold * 1000:.1f} ms)")
    print(f"planc check, one process per plan:    {each * 1000:8.1f} ms  "
          f"({each / len(paths) * 1000:.1f} ms per plan)")
    print(f"in process, compile_plan x {len(paths)}:      {in_process * 1000:8.1f} ms  "
          f"(parse cache off; first pass, building the parser: {first_pass * 1000:.1f} ms)")
    print(f"of which the lint rules:              {linting * 1000:8.1f} ms  "
          f"({linting / len(paths) * 1000:.2f} ms per plan)")
    print(f"Lark parsers built in process: {len(built)}")


if __name__ == "__main__":
    main()
