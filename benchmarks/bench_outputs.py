"""Outputs (issue 15): sizes, build against eval, and the peak memory of a million targets.

    python benchmarks/bench_outputs.py [--only sizes,build,reports,big] [--src DIR ...] [--warm] [--repeat N]

Plans are generated in a temporary folder (never in the repository) by
`bench_scale.py`'s generators; each measurement runs in a fresh process
(`planc` from `--src`, default this checkout's `src/`; give several, e.g. a
worktree of `main`, to compare old and new code in one run). Printed: CPU
seconds and peak RSS of the process, output bytes, and growth for 10x.

- `sizes`: bytes of `planc eval --format json` (and `--how`) for split
  chains 1k, 3k and 10k deep and for about 10k and 100k targets
  (regions -> teams -> reps -> months -> products);
- `build`: `planc build` (HTML + Markdown, the default) of the 10k-target
  plan next to `planc eval --format json` of it: the ratio of CPU times;
- `reports`: the size of each report file (HTML, Markdown, JSON, CSV) at
  10k and 100k targets;
- `big`: the 2,000 reps x 12 months x 40 products plan (986k targets):
  `eval --format json` and `build --format json,csv`, CPU and peak RSS
  (minutes each, and gigabytes of memory for old code: run it once).

The caches are off (PLANC_NO_CACHE=1) for every run unless `--warm`: then
a first run fills a private cache (parse trees, compiled templates) and the
second is measured, as a user's second build would be.

Measured for issue 15 (2026-11-30), old code (main at a42fa94; the later old
runs at 9304dca, whose review section changes none of these) | new code,
side by side in one run each, CPU seconds and peak RSS, on the shared
2-core machine under a load average of 3 to 7:

    eval --format json, chain 1k / 3k deep      5.20 / 49.67 MB (both: x9.5 for 3x the depth; see below)
    eval --format json, 10.7k / 106k targets    0.45 / 4.52 MB (both: x10.1 for 10x)
    eval --format json --how, 10.7k / 106k      10.50 / 104.89 MB (both: x10.0); peak at 106k 1,260 | 254 MiB
    eval --format json --how, chain 1k / 3k     15.83 / 149.52 MB (both)
    build (HTML + md) / eval --format json, 10.7k targets (three runs)
                                                5.66 / 1.06 s = 5.4x | 2.44 / 1.20 s = 2.0x
                                                6.03 / 1.18 s = 5.1x | 2.77 / 1.26 s = 2.2x
                                                6.43 / 1.42 s = 4.5x | 2.76 / 1.35 s = 2.0x
      in process (new): compile 1.03 s, report model 0.30, templates compiled 0.29 (cold),
      HTML 0.32, Markdown 0.16, owner sheets 0.07

The build step again (2026-11-30, main at d38a0e1 | the `build` branch; `--only build
--src MAIN/src --src src`, MAIN a worktree of main; both checkouts with their bytecode compiled), build / eval
--format json CPU seconds, three runs each. At c8d4de0 of the branch (load average 4):

    cold (PLANC_NO_CACHE=1)     1.82 / 0.85 = 2.15x | 1.45 / 0.90 = 1.61x
                                1.75 / 0.85 = 2.05x | 1.42 / 0.84 = 1.69x
                                2.00 / 0.82 = 2.45x | 1.54 / 0.85 = 1.82x
    warm (--warm)               1.12 / 0.43 = 2.61x | 0.77 / 0.40 = 1.93x
                                1.11 / 0.41 = 2.71x | 0.76 / 0.39 = 1.92x
                                1.03 / 0.42 = 2.46x | 0.76 / 0.43 = 1.80x

  and at the last commit, each the least of three (`--repeat 3`, load average 1.4-1.7):

    cold                        2.10 / 1.04 = 2.02x | 1.71 / 0.90 = 1.90x
                                1.97 / 0.88 = 2.24x | 1.37 / 0.95 = 1.44x
                                1.92 / 0.78 = 2.46x | 1.51 / 0.84 = 1.80x
    warm                        1.13 / 0.43 = 2.63x | 0.84 / 0.44 = 1.91x
                                1.04 / 0.37 = 2.81x | 0.80 / 0.41 = 1.95x
                                0.98 / 0.37 = 2.65x | 0.77 / 0.37 = 2.08x

      (the least of five runs, in one run of both, load 1.3: warm 0.978 / 0.368 = 2.65x |
      0.688 / 0.399 = 1.72x; cold, of four: 1.805 / 0.812 = 2.22x | 1.407 / 0.808 = 1.74x)
      in process, warm templates, the least of seven: report model 140 | 54 ms, HTML
      199 | 100 ms, Markdown 76 | 40 ms, owner sheets 48 | 36 ms (484 | 234 ms in all);
      besides, importing Jinja2 and the report's modules (about 50-80 ms), the Jinja2
      compile of the templates when cold (about 0.3 s before; the negotiation and activity
      templates are now compiled only for plans that have those sections), and writing
      the files (about 50 ms of CPU, 30 of them the fsync of each file).
      (Earlier figures here were taken with `--src src`, which runs in the temporary
      folder and so measured the installed planc in both columns; `--src` is now
      made absolute.)

The JSON and CSV hold every target under its canonical path (the
contract of `planc eval --format json`), so their size is the sum of the
paths' lengths: linear in the number of targets at a given depth, and
quadratic in the depth of a split chain (a target 3,000 levels down has a
path of 3,000 names). The explanations name targets by their short names
(`60% of d4`), never by path.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import depth_plan, realistic_plan  # noqa: E402

PROBE = textwrap.dedent("""
    import json, resource, sys, time
    t0 = time.process_time()

    class Count:  # stdout, counted, not kept: a 600 MB output must not be measured in memory
        n = 0
        def write(self, text):
            self.n += len(text.encode("utf-8"))
            return len(text)
        def flush(self):
            pass

    sink = Count()
    real, sys.stdout = sys.stdout, sink
    from planc.cli import main
    code = main(sys.argv[1:])
    sys.stdout = real
    print(json.dumps({"code": code, "bytes": sink.n, "cpu": time.process_time() - t0,
                      "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def run(src: str, cwd: Path, cache: Path | None, *argv: str) -> dict:
    env = dict(os.environ, PYTHONPATH=src)
    if cache is None:
        env["PLANC_NO_CACHE"] = "1"
    else:
        env["PLANC_CACHE_DIR"] = str(cache)
        subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, env=env, cwd=cwd)
    proc = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        return {"cpu": float("nan"), "rss": float("nan"), "bytes": 0, "error": proc.stderr[-300:]}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if out["code"] > 1:
        out["error"] = f"exit {out['code']}: {proc.stderr[-300:]}"
    return out


def mb(n: float) -> str:
    return f"{n / 1e6:9.2f} MB"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="sizes,build,reports")
    ap.add_argument("--src", action="append", help="a planc src/ folder (repeatable)")
    ap.add_argument("--depths", default="1000,3000,10000")
    ap.add_argument("--warm", action="store_true", help="measure with warm caches")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each measurement so many times and keep the least CPU (a shared, loaded machine)")
    args = ap.parse_args()
    # absolute: each run's working folder is the temporary one (a relative `src` would find no
    # planc there, and the run would measure whatever planc is installed)
    srcs = [str(Path(s).resolve()) for s in args.src] if args.src else [str(ROOT / "src")]
    only = set(args.only.split(","))
    print("columns: " + " | ".join(srcs), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cache = folder / "cache" if args.warm else None

        def write(name: str, text: str) -> Path:
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path

        def each(*argv: str) -> dict[str, dict]:
            return {src: min((run(src, folder, cache, *argv) for _ in range(args.repeat)), key=lambda r: r["cpu"])
                    for src in srcs}

        def show(label: str, res: dict[str, dict], prev: dict[str, dict] | None = None, what: str = "bytes") -> None:
            cells = []
            for src, r in res.items():
                cell = f"{r['cpu']:7.2f} s {r['rss']:6.0f} MiB {mb(r['bytes'])}"
                if prev is not None and prev[src].get(what):
                    cell += f"  x{r[what] / prev[src][what]:6.1f}"
                if "error" in r:
                    cell += " ERROR " + r["error"].strip().splitlines()[-1][:60]
                cells.append(cell)
            print(f"{label:36s} " + " | ".join(cells), flush=True)

        if "sizes" in only:
            for how in ((), ("--how",)):
                prev = None
                for d in map(int, args.depths.split(",")):
                    plan = write(f"depth{d}.plan", depth_plan(d))
                    res = each("eval", str(plan), "--format", "json", *how)
                    show(f"eval json{' --how' if how else ''}, chain {d:,} deep", res, prev)
                    prev = res
                prev = None
                for reps in (80, 800):
                    plan = write(f"plan{reps}.plan", realistic_plan(reps, 10))
                    res = each("eval", str(plan), "--format", "json", *how)
                    show(f"eval json{' --how' if how else ''}, {reps} reps x 12 x 10", res, prev)
                    prev = res
        if "build" in only:
            plan = write("build.plan", realistic_plan(80, 10))
            ev = each("eval", str(plan), "--format", "json")
            show("eval --format json, 10.7k targets", ev)
            bd = each("build", str(plan), "-o", str(folder / "out"))
            show("build (HTML + md), 10.7k targets", bd)
            for src in srcs:
                print(f"    {src}: build / eval = {bd[src]['cpu'] / ev[src]['cpu']:.2f}", flush=True)
        if "reports" in only:
            for reps in (80, 800):
                plan = write(f"rep{reps}.plan", realistic_plan(reps, 10))
                for src in srcs:
                    out = folder / f"out-{reps}-{abs(hash(src))}"
                    r = run(src, folder, cache, "build", str(plan), "-o", str(out), "--format", "all")
                    sizes = {p.suffix: p.stat().st_size for p in out.iterdir() if p.is_file()}
                    owners = sum(p.stat().st_size for p in out.glob("*.owners/*.md"))
                    print(f"build --format all, {reps} reps x 12 x 10: {src}: {r['cpu']:.2f} s {r['rss']:.0f} MiB; "
                          + ", ".join(f"{k[1:]} {mb(v).strip()}" for k, v in sorted(sizes.items()))
                          + f", owner sheets {mb(owners).strip()}", flush=True)
        if "big" in only:
            plan = write("big.plan", realistic_plan(2000, 40))
            show("eval --format json, 986k targets", each("eval", str(plan), "--format", "json"))
            show("build --format json,csv, 986k", each("build", str(plan), "-o", str(folder / "big"),
                                                      "--format", "json,csv"))


if __name__ == "__main__":
    main()
