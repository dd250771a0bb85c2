"""Hostile plans that once made planc slow or huge: each run once through
`python -m planc check`, with its wall time, peak memory and exit code.

  names      20,000 targets, each referring to an undefined name ("did you mean")
  chain      a 5,000-deep split chain (split linking)
  squares    thirty lines of repeated squaring (the bound on amounts, E039)
  nesting    an expression nested 10,000 parentheses deep (E030)
  ipf        a seeded 150 x 150 cross whose fit cannot converge (E035)
  cross      a 2000 x 2000 cross (the bound on cross cells, E032)

A case that runs past --timeout seconds is stopped and shown as "> N s".

Measured once each on the shared 2-core machine (load 3-7), before and after
the bounds of issue 14:
  names    > 60 s (killed; reported > 5 min)   ->  5.4 s, E003 x 20,000 (parse and print)
  chain      16.8 s                             ->  2.0 s (linking alone 30.8 s -> 0.3 s)
  squares  > 60 s (killed)                      ->  0.4 s, E039 at line 3
  ipf        19.0 s, E035 after 2,000 sweeps    ->  2.3 s, E035 "stalled" after 100 sweeps
  cross      4 GB (reported; not rerun)         ->  1.1 s, 37 MB, E032
Run once, not in a loop (the machine is shared):
  python benchmarks/bench_hostile.py [--timeout 60] [case ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def names(n: int = 20_000) -> dict[str, str]:
    lines = [f"target t{i} = undefined_name_{i} + 1" for i in range(n)]
    return {"main.plan": "\n".join(lines) + "\n"}


def chain(depth: int = 5_000) -> dict[str, str]:
    lines = ["target c0 = 1M"] + [f"split c{i} by d{i} {{ c{i + 1} = rest }}" for i in range(depth)]
    return {"main.plan": "\n".join(lines) + "\n"}


def squares(n: int = 30) -> dict[str, str]:
    lines = ["target a0 = 10M"] + [f"target a{i + 1} = a{i} * a{i}" for i in range(n)]
    return {"main.plan": "\n".join(lines) + "\n"}


def nesting(depth: int = 10_000) -> dict[str, str]:
    return {"main.plan": "target y = " + "(" * depth + "1" + ")" * depth + "\n"}


def ipf(size: int = 150) -> dict[str, str]:
    """A seed that RAS cannot fit: rows and columns in three groups, the third
    group's total ten times the others' but its seed cells linked to them only
    by 0.000001. The fit creeps, then stalls near a margin error of 1e-5."""
    pattern = [["1", "1", "0.000001"], ["1", "1", "0.000001"], ["0.000001", "0.000001", "1"]]
    weight = [1000, 1000, 10000]
    total = sum(weight[i % 3] for i in range(size))
    rows = [f"r{i} = {weight[i % 3]}" for i in range(size)]
    cols = [f"k{j} = {weight[j % 3]}" for j in range(size)]
    csv = ["row,col,value"] + [f"r{i},k{j},{pattern[i % 3][j % 3]}" for i in range(size) for j in range(size)]
    plan = ['plan "IPF" { round: 1 }', f"target t = {total}", "split t by row {", *rows, "}",
            "split t by col {", *cols, "}", 'data s = csv("seed.csv")', "cross row by col seed s"]
    return {"main.plan": "\n".join(plan) + "\n", "seed.csv": "\n".join(csv) + "\n"}


def cross(size: int = 2_000) -> dict[str, str]:
    plan = [f"target t = {size}", f"split t by a using even {{ {'; '.join(f'a{i}' for i in range(size))} }}",
            f"split t by b using even {{ {'; '.join(f'b{i}' for i in range(size))} }}", "cross a by b"]
    return {"main.plan": "\n".join(plan) + "\n"}


# planc's own `__main__`, writing the process's peak memory (KiB) to ./peak as it exits.
_WRAPPER = """import atexit, resource, runpy, sys
sys.argv[0] = "planc"
atexit.register(lambda: open("peak", "w").write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))
runpy.run_module("planc", run_name="__main__")
"""

CASES = {"names": names, "chain": chain, "squares": squares, "nesting": nesting, "ipf": ipf, "cross": cross}


def run(files: dict[str, str], timeout: float) -> tuple[str, str, str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            Path(tmp, name).write_text(text, encoding="utf-8")
        env = dict(os.environ, PLANC_NO_CACHE="1")
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _WRAPPER, "check", "main.plan"], cwd=tmp, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return f"> {timeout:.0f} s", "-", "killed", ""
        elapsed = time.perf_counter() - start
        peak = int(Path(tmp, "peak").read_text()) / 1024
        first = out.decode("utf-8", "replace").strip().splitlines()
        codes = sorted({w.split("[")[1].split("]")[0] for w in first if "error[" in w})
        return f"{elapsed:.2f} s", f"{peak:.0f} MB", str(proc.returncode), ",".join(codes)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="*", default=list(CASES))
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    print(f"{'case':<8}  {'time':>8}  {'peak':>8}  exit  errors")
    for name in args.cases:
        took, peak, code, errors = run(CASES[name](), args.timeout)
        print(f"{name:<8}  {took:>8}  {peak:>8}  {code:>4}  {errors}", flush=True)


if __name__ == "__main__":
    main()
