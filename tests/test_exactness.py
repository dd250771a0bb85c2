"""Speed work must not move a single number (issue 15).

Every plan here — the example, the golden plans, and small versions of the
generated benchmark plans (benchmarks/bench_scale.py: a realistic plan with
weights, caps and overassign; a long chain of splits; a seeded cross) — is
compiled, and everything evaluation produced (each target's exact and
rounded amount, the whole record of how it was made, the assertions and the
diagnostics) is reduced to a SHA-256 digest, compared with
`tests/data/exactness.json`. That file was written by the code from before
the optimisations (commit f407095) with PLANC_UPDATE_GOLDEN=1; regenerate it
only on purpose, when a change of results is intended, and say why.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from planc.pipeline import compile_plan

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = Path(__file__).resolve().parent / "data" / "exactness.json"
sys.path.insert(0, str(ROOT / "benchmarks"))


def _generated(folder: Path) -> dict[str, Path]:
    import bench_cross
    import bench_scale

    plans = {
        "gen/realistic": bench_scale.realistic_plan(reps=12, products=4, months=12, regions=3, teams=2),
        "gen/realistic-caps": bench_scale.realistic_plan(reps=40, products=0, regions=2, teams=4),
        "gen/lines": bench_scale.lines_plan(400),
        "gen/depth": bench_scale.depth_plan(150),
    }
    out = {}
    for name, text in plans.items():
        path = folder / (name.split("/")[1] + ".plan")
        path.write_text(text, encoding="utf-8")
        out[name] = path
    text, csv = bench_cross.generate_plan(12, 7, seed=3)
    (folder / "history.csv").write_text(csv, encoding="utf-8")
    (folder / "cross.plan").write_text(text, encoding="utf-8")
    out["gen/cross"] = folder / "cross.plan"
    return out


def _plans(folder: Path) -> dict[str, Path]:
    found = {"examples/fy2027": ROOT / "examples" / "fy2027" / "fy2027.plan"}
    for path in sorted((ROOT / "tests" / "golden").rglob("*.plan")):
        found[str(path.relative_to(ROOT / "tests"))] = path
    found.update(_generated(folder))
    return found


def _plain(value):
    """A canonical, printable form of what evaluation produced."""
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if attrs.has(type(value)):
        return [type(value).__name__] + [[f.name, _plain(getattr(value, f.name))]
                                         for f in attrs.fields(type(value)) if f.name != "decl"]
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def _digest(path: Path) -> dict:
    result = compile_plan(path, display=path.name)
    lines = [f"{d.file}:{d.line}:{d.column}:{d.code}:{d.message}" for d in result.diagnostics]
    ev = result.evaluation
    if ev is not None:
        for target, amount in ev.values.items():
            lines.append(json.dumps([target, _plain(amount), _plain(ev.derivations.get(target))], ensure_ascii=False))
        for a in ev.assertions:
            lines.append(json.dumps([a.decl.span.start, _plain(a.left), _plain(a.right), a.passed]))
    text = "\n".join(lines)
    return {"targets": len(ev.values) if ev else 0, "sha256": hashlib.sha256(text.encode()).hexdigest()}


@pytest.fixture(scope="module")
def digests(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exactness")
    return {name: _digest(path) for name, path in _plans(folder).items()}


def test_every_plan_evaluates_exactly_as_before(digests):
    if os.environ.get("PLANC_UPDATE_GOLDEN"):
        SNAPSHOT.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert sorted(digests) == sorted(expected)
    moved = {name: (expected[name], got) for name, got in digests.items() if got != expected[name]}
    assert not moved


def test_the_snapshot_covers_real_work(digests):
    # The generated plans are big enough to exercise caps, overassign, chains and the cross.
    assert digests["gen/realistic"]["targets"] > 500
    assert digests["gen/depth"]["targets"] > 300
    assert digests["gen/cross"]["targets"] > 84
    assert digests["examples/fy2027"]["targets"] > 50
