"""`planc build --format xlsx` on a big plan: 1,000 owners, 100,000 targets.

The plan: a year split by quarter, and by 1,000 reps (each with an owner
and a status), each rep split evenly over 99 accounts: 1 + 4 + 1,000 +
99,000 = 100,005 targets, 1,000 owner sheets. Prints the time of each step
(compile, the report view model, the workbook) once; the issue's budget
for the workbook is 10 s. Run it alone, not in a loop (the machine is
shared):

    python benchmarks/bench_xlsx.py [--owners 1000] [--accounts 99] [--before DIR] [--rounds 1] [--end-to-end]

`--end-to-end`: also time `planc build PLAN --format xlsx` as a command
(parse, compile, view model, workbook, in a process of its own), with an
empty parse cache and then a warm one.

`--before DIR`: also time the workbook writer of another checkout (DIR's
`src/planc/report/xlsx.py`, e.g. a worktree of the main branch) on the same
report, in the same run, alternating with this one (`--rounds` pairs), and
say whether the two workbooks are byte for byte the same. On a shared
machine compare CPU times: wall times follow the other users' load.

Measured on the shared 2-core machine under load (load average 2.5–3.5),
`--before` the main branch, CPU of the workbook step:

    before (XlsxWriter's cell-by-cell writes)   13.0–16.8 s   (12.0 s when quiet)
    after  (rows written whole, xlsx_rows.py)     6.2–7.5 s   byte for byte the same workbook
    planc build --format xlsx, end to end        13.6–14.2 s cold parse cache, 10.7–11.1 s warm (after)
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.util
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def generate_plan(owners: int, accounts: int) -> str:
    out = ['plan "Bench" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1 }',
           f"target year = {owners * accounts * 1000}",
           "split year by quarter { Q1 = 20%; Q2 = 24%; Q3 = 26%; Q4 = rest }",
           "split year by rep using even {"]
    statuses = ("agreed", "proposed", "draft", "disputed")
    out += [f'  r{i} [owner: "Owner {i}", status: {statuses[i % 4]}]' for i in range(owners)]
    out.append("}")
    for i in range(owners):
        out.append(f"split r{i} by account using even {{ " + "; ".join(f"a{j}" for j in range(accounts)) + " }")
    return "\n".join(out) + "\n"


def load_writer(checkout: Path):
    """`render_xlsx` of another checkout's report/xlsx.py (it imports the rest of planc from here)."""
    spec = importlib.util.spec_from_file_location("planc_xlsx_before", checkout / "src/planc/report/xlsx.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render_xlsx


def timed(render, report) -> tuple[float, float, bytes]:
    """(wall s, CPU s, the workbook) of one call."""
    t, cpu = time.perf_counter(), time.process_time()
    data = render(report, "en")
    return time.perf_counter() - t, time.process_time() - cpu, data


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--owners", type=int, default=1000)
    ap.add_argument("--accounts", type=int, default=99)
    ap.add_argument("--before", type=Path, metavar="DIR", help="another checkout whose writer to time too")
    ap.add_argument("--rounds", type=int, default=1, help="with --before: pairs of runs, alternating")
    ap.add_argument("--end-to-end", action="store_true",
                    help="also time `planc build PLAN --format xlsx` as a command, with a cold and a warm parse cache")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("PLANC_NO_CACHE", "1")
    from planc.pipeline import compile_plan
    from planc.report.gather import build_report
    from planc.report.xlsx import render_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "bench.plan"
        plan.write_text(generate_plan(args.owners, args.accounts), encoding="utf-8")
        t0 = time.perf_counter()
        result = compile_plan(str(plan))
        assert not result.has_errors, [d.message for d in result.diagnostics][:5]
        t1 = time.perf_counter()
        report = build_report(result, plan.read_bytes(), datetime.datetime(2027, 1, 1, tzinfo=datetime.timezone.utc))
        t2 = time.perf_counter()
    print(f"targets: {len(report.rows):,}  owners: {len(report.owners):,}  sheets: "
          f"{1 + len(report.splits) + len(report.crosses) + 1 + len(report.owners):,}")
    print(f"compile:  {t1 - t0:6.2f} s")
    print(f"gather:   {t2 - t1:6.2f} s")
    writers = [("xlsx", render_xlsx)]
    if args.before is not None:
        writers = [("before", load_writer(args.before)), ("after", render_xlsx)]
    digests = {}
    for _ in range(args.rounds if args.before is not None else 1):
        for name, render in writers:
            wall, cpu, data = timed(render, report)
            digests.setdefault(name, set()).add(hashlib.sha256(data).hexdigest())
            print(f"{name + ':':9s} {wall:6.2f} s   (CPU {cpu:.2f} s; {len(data) / 1e6:.1f} MB)")
    if args.before is not None:
        same = digests["before"] == digests["after"] and len(digests["after"]) == 1
        print("workbooks: " + ("byte for byte the same" if same else "DIFFERENT"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak RSS of the whole run: {peak:,.0f} MiB")
    if args.end_to_end:
        end_to_end(args.owners, args.accounts)


def end_to_end(owners: int, accounts: int) -> None:
    """`planc build PLAN --format xlsx` in a process of its own, as a user runs it: first with
    an empty parse cache (PLANC_CACHE_DIR), then again with the cache it left."""
    import subprocess

    src = Path(__file__).resolve().parents[1] / "src"
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "bench.plan"
        plan.write_text(generate_plan(owners, accounts), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(src), "PLANC_CACHE_DIR": str(Path(tmp) / "cache"),
               "SOURCE_DATE_EPOCH": "1798761600"}
        env.pop("PLANC_NO_CACHE", None)
        for kind in ("cold", "warm"):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "planc", "build", str(plan), "--format", "xlsx", "-o",
                                   str(Path(tmp) / "out")], env=env, capture_output=True)
            wall = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            assert done.returncode == 0, done.stderr.decode()[-2000:]
            print(f"planc build --format xlsx ({kind} parse cache): {wall:6.2f} s   (CPU {cpu:.2f} s)")


if __name__ == "__main__":
    main()
