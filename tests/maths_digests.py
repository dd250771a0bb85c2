"""Generated fit-and-round problems and a SHA-256 of their exact results, for
`tests/test_maths_exact.py` (issue 15: the fast exact path must give, cell for
cell, what the Fraction path gave).

`problems()` yields (name, kind, args) deterministically: random seeds with
zeros, sizes 1 x 1 .. 60 x 40, units 1, 1000 and 1/2, some infeasible (sums,
signs, all-zero lines, Hall's condition, seeds that are not finite, totals off
the unit, a loose tolerance, too few sweeps), some that need Newton steps
(weakly linked blocks, as in test_ipf_extreme.py), proportional crosses, and
two big ones: 300 x 80 and the 1000 x 100 of benchmarks/bench_matrix.py.

`digest(kind, args, fit_fn, round_fn)` is a SHA-256 of the fit and of the
rounding, each as `numerator/denominator` text or the Infeasible's
reason/row/col. The stored digests (`tests/data/maths_digests.json`) were
written by the code from before ExactCells, with

    PYTHONPATH=src python tests/maths_digests.py

which rewrites that file: run it only on purpose, and review the change.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from fractions import Fraction as F
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "data" / "maths_digests.json"
UNITS = (F(1), F(1000), F(1, 2))


def _margins(M):
    return [sum(line, F(0)) for line in M], [sum(col, F(0)) for col in zip(*M)]


def _seeded(rnd, n, m, unit, zeros=0.15, values="int"):
    """A seed with zeros and totals that are margins of a random matrix on its support."""
    def value():
        if values == "int":
            return rnd.randint(1, 100)
        if values == "frac":
            return F(rnd.randint(1, 100), rnd.randint(1, 9))
        if values == "float":
            return rnd.uniform(0.5, 100.0)
        return F(rnd.randint(1, 3))  # "ties": few distinct values
    S = [[0 if rnd.random() < zeros else value() for _ in range(m)] for _ in range(n)]
    M = [[rnd.randint(0, 50) * unit if S[i][j] else F(0) for j in range(m)] for i in range(n)]
    rows, cols = _margins(M)
    return S, rows, cols


def _extreme(rnd, n, m, unit):
    """Weakly linked blocks (cells between them 10^-k of the rest): RAS stalls, Newton finishes."""
    split_r, split_c = rnd.randint(1, n - 1), rnd.randint(1, m - 1)
    eps = F(1, 10 ** rnd.randint(6, 9))
    S = []
    for i in range(n):
        line = []
        for j in range(m):
            v = F(rnd.randint(1, 100))
            if (i < split_r) != (j < split_c):
                v *= eps
            line.append(v if rnd.randint(0, 9) else F(0))
        S.append(line)
    M = [[rnd.randint(0, 50) * unit if S[i][j] else F(0) for j in range(m)] for i in range(n)]
    rows, cols = _margins(M)
    return S, rows, cols


def _bench(n, m, seed=1):
    """benchmarks/bench_matrix.py's problem, as it builds it."""
    rnd = random.Random(seed)
    S = [[0 if rnd.random() < 0.1 else rnd.randint(1, 100) for _ in range(m)] for _ in range(n)]
    M = [[rnd.randint(0, 50) * 1000 if S[i][j] else 0 for j in range(m)] for i in range(n)]
    rows = [F(sum(line)) for line in M]
    cols = [F(sum(M[i][j] for i in range(n))) for j in range(m)]
    return S, rows, cols


def _arbitrary(rnd, n, m):
    """Random fractions whose last row and column top every line up to a whole number."""
    A = [[F(rnd.randint(0, 40), rnd.randint(1, 7)) for _ in range(m)] for _ in range(n)]
    for i in range(n - 1):
        part = sum(A[i][:-1], F(0))
        A[i][-1] = (-part) % 1 + rnd.randint(0, 3)
    for j in range(m - 1):
        part = sum((A[i][j] for i in range(n - 1)), F(0))
        A[-1][j] = (-part) % 1 + rnd.randint(0, 3)
    part = sum(A[-1][:-1], F(0))
    A[-1][-1] = (-part) % 1 + rnd.randint(0, 3)
    rows, cols = _margins(A)
    return A, rows, cols


def problems():
    """(name, kind, args): kind "fit" = ipf(seed, rows, cols, **kw) then controlled_round(fit,
    rows, cols, unit); "prop" = proportional cells then rounding; "round" = rounding given cells."""
    rnd = random.Random(20261130)
    sizes = [(1, 1), (1, 5), (5, 1), (2, 2), (3, 4), (7, 3), (10, 10), (20, 15), (33, 17), (60, 40)]
    for k in range(240):
        n, m = sizes[k % len(sizes)] if k < 200 else (rnd.randint(1, 60), rnd.randint(1, 40))
        unit = UNITS[k % 3]
        values = ("int", "frac", "float", "ties")[k % 4]
        S, rows, cols = _seeded(rnd, n, m, unit, zeros=(0.0, 0.15, 0.5)[k % 3], values=values)
        if k % 10 == 9:  # a rounding unit the totals are not all multiples of
            yield f"seeded-{k}-offunit", "fit", (S, rows, cols, unit * 7, {})
        yield f"seeded-{k}", "fit", (S, rows, cols, unit, {})
    for k in range(40):
        n, m = rnd.randint(2, 9), rnd.randint(2, 9)
        unit = UNITS[k % 2]
        S, rows, cols = _extreme(rnd, n, m, unit)
        yield f"extreme-{k}", "fit", (S, rows, cols, unit, {"max_iterations": 2000})
        if k < 6:
            yield f"extreme-{k}-no-newton", "fit", (S, rows, cols, unit, {"max_iterations": 2000,
                                                                          "newton_steps": 0})
    yield from _infeasible(rnd)
    for k in range(40):
        n, m = rnd.randint(1, 40), rnd.randint(1, 30)
        unit = UNITS[k % 3]
        M = [[rnd.randint(0, 9) * unit for _ in range(m)] for _ in range(n)]
        rows, cols = _margins(M)
        yield f"prop-{k}", "prop", (None, rows, cols, unit, {})
    for k in range(30):
        A, rows, cols = _arbitrary(rnd, rnd.randint(1, 12), rnd.randint(1, 12))
        yield f"round-{k}", "round", (A, rows, cols, F(1), {})
    for n, m in ((120, 100), (150, 90)):  # over SMALL_CROSS: the numpy path
        S, rows, cols = _seeded(rnd, n, m, F(1000), zeros=0.2)
        yield f"numpy-{n}x{m}", "fit", (S, rows, cols, F(1000), {})
    S, rows, cols = _seeded(rnd, 300, 80, F(1000), zeros=0.1)
    yield "big-300x80", "fit", (S, rows, cols, F(1000), {})
    S, rows, cols = _bench(1000, 100)
    yield "bench-1000x100", "fit", (S, rows, cols, F(1000), {})


def _infeasible(rnd):
    for k in range(30):
        n, m = rnd.randint(2, 8), rnd.randint(2, 8)
        unit = UNITS[k % 3]
        S, rows, cols = _seeded(rnd, n, m, unit, zeros=0.3)
        S = [list(line) for line in S]
        how = k % 10
        if how == 0:
            rows[0] += unit  # the sums differ
        elif how == 1:
            rows[1] -= sum(rows) + unit  # a negative row total
            cols[0] -= sum(cols) - sum(rows)
        elif how == 2:
            S[n - 1] = [0] * m  # an all-zero seed row with a total
            rows[n - 1] += unit
            cols[0] += unit
        elif how == 3:
            S[rnd.randrange(n)][rnd.randrange(m)] = -3  # a negative seed cell
        elif how == 4:
            S[rnd.randrange(n)][rnd.randrange(m)] = float("nan")
        elif how == 5:  # Hall's condition: row 0 seeded in column 0 only, asks for more
            S[0] = [5] + [0] * (m - 1)
            for i in range(1, n):
                S[i][1] = S[i][1] or 1
            rows[0] += cols[0] + unit
            cols[1] += cols[0] + unit
        elif how == 6:
            yield f"infeasible-{k}-loose", "fit", (S, rows, cols, unit, {"tolerance": 0.3})
            continue
        elif how == 7:
            yield f"infeasible-{k}-few-sweeps", "fit", (S, rows, cols, unit, {"max_iterations": 1,
                                                                             "newton_steps": 0})
            continue
        elif how == 8:
            for j in range(m):
                S[0][j] = 0 if j else S[0][j] or 1  # a row reaching only column 0
            S[1] = [0] + [S[1][j] or 1 for j in range(1, m)]
        yield f"infeasible-{k}", "fit", (S, rows, cols, unit, {})
    # Loose fits of weakly linked blocks: the exact repair would turn a tiny cell
    # negative (E035's "too loose"), or Newton steps polish the fit first.
    loose = random.Random(5)
    for k in range(20):
        S, rows, cols = _extreme(loose, loose.randint(2, 5), loose.randint(2, 5), F(1))
        kw = {"tolerance": 0.3, "max_iterations": 50}
        yield f"loose-{k}", "fit", (S, rows, cols, F(1), {**kw, "newton_steps": 0})
        yield f"loose-{k}-polished", "fit", (S, rows, cols, F(1), kw)


def _text(result) -> str:
    if hasattr(result, "reason"):
        return f"infeasible|{result.reason}|{result.row}|{result.col}"
    return ";".join(",".join(f"{F(v).numerator}/{F(v).denominator}" for v in line) for line in result)


def digest(kind, args, fit_fn, proportional_fn, round_fn) -> str:
    """SHA-256 of the fit's text and the rounding's text (the rounding only when the fit is exact cells)."""
    seed, rows, cols, unit, kw = args
    if kind == "fit":
        fit = fit_fn(seed, rows, cols, **kw)
    elif kind == "prop":
        fit = proportional_fn(rows, cols)
    else:
        fit = seed
    fitted = fit if not hasattr(fit, "fractions") else fit.fractions()
    text = _text(fitted)
    if not hasattr(fitted, "reason"):
        text += "\n" + _text(round_fn(fit, rows, cols, unit))
    return hashlib.sha256(text.encode()).hexdigest()


def main() -> None:
    from planc.maths.matrix import controlled_round, ipf, proportional_cells

    out = {name: digest(kind, args, ipf, proportional_cells, controlled_round)
           for name, kind, args in problems()}
    FIXTURE.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(out)} problems -> {FIXTURE}", file=sys.stderr)


if __name__ == "__main__":
    main()
