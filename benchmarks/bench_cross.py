"""A seeded cross end to end (issue 15): `planc check`, `planc eval`,
`planc eval --format json` and `planc build` of a generated plan, and the
phases in process.

    python benchmarks/bench_cross.py [--rows 1000 --cols 100] [--runs 3] [--src DIR ...] [--cold]

The plan and its seed CSV (rows x cols lines) are written to a temporary
folder. Each command runs in a fresh process, `planc` from each `--src`
folder in turn (default this checkout's `src/`; give a copy of `main`'s
`src/` first to compare old and new code side by side: the machine's load
varies, so only figures from the same run compare). Printed per command:
the median wall time, the CPU time and the peak RSS of the process
(`os.wait4`). The parse cache and grammar tables are warm (a private cache
folder, filled by a first run), as a user's second run finds them;
`--cold` switches every cache off (PLANC_NO_CACHE), which adds about 0.4 s
of grammar building to every command. Then, in process, the CPU time of
each phase: load (parse, the seed CSV), resolve (the cells made as
targets), evaluate (IPF, controlled rounding, a record per cell), lint,
the collector's first pass after the compile, the text table and the JSON.

Measured for issue 15 (the cross end to end), main (d38a0e1) | this code,
side by side in one run, warm caches, 2-core machine shared with other
work (load average about 3):

                          main (d38a0e1)                 | this code
    1000 x 100 (100,000 cells)
      check                   4.65 s CPU, 310 MiB            | 2.67 s CPU, 250 MiB
      eval                    6.21 s CPU, 347 MiB            | 3.71 s CPU, 288 MiB
      eval --format json      5.17 s CPU, 315 MiB            | 3.11 s CPU, 253 MiB
      phases, CPU s           load 0.47, resolve 1.70,       | load 0.15, resolve 0.47,
                              evaluate 1.37, lint 0.19,      | evaluate 1.13, lint 0.18,
                              collector 0.41, text 1.15,     | collector 0.01, text 0.91,
                              JSON 0.25                      | JSON 0.19
    2000 x 200 (400,000 cells)
      check                  18.57 s CPU, 1,128 MiB          | 9.99 s CPU, 890 MiB
      eval                   25.57 s CPU, 1,276 MiB          | 14.55 s CPU, 1,039 MiB
      eval --format json     27.99 s CPU, 1,141 MiB          | 14.17 s CPU, 878 MiB
      phases, CPU s           load 1.62, resolve 9.70,       | load 0.71, resolve 2.62,
                              evaluate 6.15, lint 0.80,      | evaluate 5.45, lint 0.80,
                              collector 1.52, text 4.35,     | collector 0.01, text 3.05,
                              JSON 0.98                      | JSON 0.94

(Wall times were 1.5-2x the CPU times under that load.) What changed: the
seed's keys checked against sets, not a list scan per key (resolve of
2000 x 200: 9.7 -> 2.6 s); the seed CSV read a column at a time; cell paths
from per-row and per-column prefixes and the cells indexed by their row's
and column's names (their keys share strings; 1000 x 100 resolve 148 ->
116 MB); rounded amounts and seed inputs made once per distinct value;
records written without per-cell lookups; the compile's objects moved to
the collector's oldest generation when it ends (its first young collection
walked every one of them); ASCII tables padded by `str.format`. In the
1000 x 100 evaluation, IPF takes about 0.3 s (numpy's import 0.1 s more),
controlled rounding 0.35 s and the records of the cells 0.45 s.

Measured again after the lean cells (fourth session, 2026-12-01), ededa43
(the figures above) | this code, side by side in one run, warm caches,
quiet machine (load average under 1), bytecode compiled:

                          ededa43                        | this code
    1000 x 100 (100,000 cells, median of 3)
      check                   2.37 s CPU, 250 MiB            | 0.81 s CPU, 102 MiB  (0.70 s wall)
      eval                    3.07 s CPU, 284 MiB            | 1.39 s CPU, 102 MiB  (1.1-1.3 s wall)
      eval --format json      2.76 s CPU, 253 MiB            | 1.09 s CPU, 102 MiB
      phases, CPU s           load 0.14, resolve 0.44,       | load 0.17, resolve 0.11,
                              evaluate 1.12, lint 0.18,      | evaluate 0.43, lint 0.05,
                              text 0.62, JSON 0.30           | text 0.47, JSON 0.22
    2000 x 200 (400,000 cells, one run)
      check                  11.14 s CPU, 895 MiB            | 2.40 s CPU, 278 MiB
      eval                   12.59 s CPU, 1,015 MiB          | 3.85 s CPU, 278 MiB
      eval --format json     10.98 s CPU, 886 MiB            | 3.29 s CPU, 278 MiB
      phases, CPU s           load 0.60, resolve 1.84,       | load 0.60, resolve 0.41,
                              evaluate 4.62, lint 0.72,      | evaluate 0.95, lint 0.10,
                              text 2.94, JSON 0.78           | text 1.50, JSON 0.78

What changed: a cell is a lean target (`CellNode`: no lists of its own, its
`parent.col.row` alias made when asked for) kept in the cross's grid
(`CellGrid`), not in the name index; names reach cells through their
cross's rows and columns. The fit is one grid of integers on a common
denominator (`maths.exact.ExactCells`), not a Fraction per cell. How a cell
was made (its `Derivation`) is made only when a consumer asks for it
(`evaluate.record.Records`): `check` and `eval --format json` make none,
and `eval`'s table words each cell through its cross (`explain_each`)
as its line is written (`streamed_table`), so the table is never held in
memory. The process ends without freeing the compile object by object
(`cli.entry`, about 0.3 s at 400,000 cells). Every output is byte for byte
what ededa43 printed.

Fifth session (2026-12-01), 143b575 (the figures just above) | this code,
side by side, warm caches, quiet machine, bytecode compiled; 1000 x 100 the
median of 3, 2000 x 200 one run (wall s, CPU s, peak RSS):

                          143b575                        | this code
    1000 x 100
      check                   0.66 / 0.77 s, 102 MiB         | 0.65 / 0.76 s, 97 MiB
      eval                    1.02 / 1.13 s, 102 MiB         | 0.97 / 1.08 s, 97 MiB
      eval --format json      0.90 / 1.00 s, 102 MiB         | 0.86 / 0.96 s, 97 MiB
      build (HTML + md)       3.05 / 3.15 s, 162 MiB         | 1.34 / 1.45 s, 113 MiB  (HTML 7.8 -> 1.9 MiB)
    2000 x 200
      check                   2.15 / 2.26 s, 278 MiB         | 2.04 / 2.15 s, 271 MiB
      eval                    3.67 / 3.78 s, 278 MiB         | 3.44 / 3.54 s, 273 MiB
      eval --format json      3.24 / 3.35 s, 278 MiB         | 2.80 / 2.91 s, 271 MiB
      build (HTML + md)      11.25 / 11.34 s, 459 MiB        | 3.78 / 3.88 s, 286 MiB  (HTML 2.5 MiB)

What changed: the reports show a cross in a window of 10,000 cells (at most
100 columns; `report/limits.py`) with the whole cross's totals, the cross's
amounts read off its grid and summed in integers, last year's figures looked
up per target shown (`concepts.LastYear`), not for every seed key; a plain
seed CSV (no quotes, no spaces) split at commas in C; the seed made integers
once per distinct number; the eval table's rows zipped in C and a cross's
cells worded by one function per cross. On this machine the same command
varies by 5-10% from run to run: `eval` of 1000 x 100 measured 0.97-1.10 s
wall over the session.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
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


PROBE = textwrap.dedent("""
    import contextlib, io, json, sys, time
    from pathlib import Path
    from planc import pipeline
    from planc.semantics.loader import load
    from planc.semantics.resolve import resolve
    from planc.evaluate import evaluate
    from planc.lint import configuration, lint
    from planc.cli.present import amounts_json, amounts_lines, select, write_json
    import gc
    from planc import cli
    gc.set_threshold(*cli._ONE_SHOT_GC)  # the collector as a one-shot command sets it
    getattr(pipeline, 'one_shot', lambda: None)()  # and its compiles' objects to the oldest generation
    plan, out = Path(sys.argv[1]), {}
    def timed(name, work):
        start = time.process_time()
        value = work()
        out[name] = time.process_time() - start
        return value
    paused = pipeline._collection_paused()  # as compile_plan pauses the collector
    paused.__enter__()
    program, d1 = timed("load", lambda: load(plan))
    model, d2 = timed("resolve", lambda: resolve(program))
    evaluation, d3 = timed("evaluate", lambda: evaluate(model))
    config, _ = configuration(plan)
    diags = timed("lint", lambda: lint(program, model, evaluation, d1 + d2 + d3, plan, config))
    # the collector's first pass after the compile (an allocation past its young threshold)
    timed("gc", lambda: (paused.__exit__(None, None, None), [[] for _ in range(100_001)]))
    result = pipeline.Compilation(str(plan), program, model, evaluation, diags, config)
    paths = select(result, [])[0]
    timed("text", lambda: "\\n".join(amounts_lines(result, paths)))
    timed("json", lambda: write_json(amounts_json(result, paths, diags), io.StringIO()))
    print(json.dumps(out))
""")

COMMANDS = (("check", ["check"]), ("eval", ["eval"]), ("eval --format json", ["eval", "--format", "json"]))


def run_once(src: str, argv: list[str], env: dict) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MiB, exit code) of one `planc` process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "planc", *argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=dict(env, PYTHONPATH=src))
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--cols", type=int, default=100)
    ap.add_argument("--src", action="append", help="a planc src/ folder (repeatable); default this checkout's")
    ap.add_argument("--cold", action="store_true", help="every cache off (PLANC_NO_CACHE)")
    args = ap.parse_args()
    srcs = args.src or [str(Path(__file__).resolve().parent.parent / "src")]
    plan_text, csv_text = generate_plan(args.rows, args.cols)
    print(f"{args.rows} x {args.cols} seeded cross ({args.rows * args.cols:,} cells); columns: " + " | ".join(srcs))
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "cross.plan"
        plan.write_text(plan_text, encoding="utf-8")
        (Path(tmp) / "history.csv").write_text(csv_text, encoding="utf-8")
        env = dict(os.environ)
        if args.cold:
            env["PLANC_NO_CACHE"] = "1"
        else:
            env["PLANC_CACHE_DIR"] = str(Path(tmp) / "cache")
            os.mkdir(env["PLANC_CACHE_DIR"], 0o700)
        for src in srcs:  # warms the caches, and fails loudly on a broken checkout
            wall, cpu, rss, code = run_once(src, ["check", str(plan)], env)
            if code > 1:
                sys.exit(f"planc check failed with {src} (exit {code})")
        out = Path(tmp) / "out"  # `planc build` (HTML and Markdown, the default): a big cross's table is windowed
        for label, argv in (*COMMANDS, ("build", ["build", "-o", str(out)])):
            runs: dict[str, list] = {src: [] for src in srcs}
            for _ in range(args.runs):  # alternating, so the load falls on every column alike
                for src in srcs:
                    runs[src].append(run_once(src, [*argv, str(plan)], env))
            cells = []
            for src in srcs:
                walls, cpus, rsss = zip(*[r[:3] for r in runs[src]])
                cells.append(f"{statistics.median(walls):6.2f} s wall {statistics.median(cpus):6.2f} s CPU "
                             f"{max(rsss):5.0f} MiB")
            print(f"{label:20s} " + " | ".join(cells), flush=True)
        print(f"build's files: " + ", ".join(f"{f.name} {f.stat().st_size / 2**20:.1f} MiB" for f in sorted(out.iterdir())))
        for src in srcs:
            proc = subprocess.run([sys.executable, "-c", PROBE, str(plan)], capture_output=True, text=True,
                                  env=dict(env, PYTHONPATH=src), cwd=tmp)
            if proc.returncode != 0:
                print(f"phases ({src}): failed: {proc.stderr[-300:]}")
                continue
            phases = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"phases, CPU s ({src}): " + ", ".join(f"{k} {v:.2f}" for k, v in phases.items()))


if __name__ == "__main__":
    main()
