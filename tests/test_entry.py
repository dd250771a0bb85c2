"""The `planc` command ends its process without tearing the compile down
(`cli.entry`, `os._exit`): everything it printed must still arrive, whole, with
the exit code `main` returned, and a reader that leaves early is no error."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

from planc import cli
from tests.helpers import run_planc

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fy2027" / "fy2027.plan"


def _in_process(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_the_command_prints_all_that_main_prints(tmp_path):
    for argv in (["eval", str(EXAMPLE)], ["eval", str(EXAMPLE), "--format", "json"]):
        code, out, err = _in_process(*argv)
        done = run_planc(*argv)
        assert done.returncode == code
        assert done.stdout == out
        assert done.stderr == err
        assert out or err  # something to lose, had the process ended before its buffers were written


def test_errors_keep_their_exit_code(tmp_path):
    plan = tmp_path / "bad.plan"
    plan.write_text('plan "P" { round: 1 }\ntarget year = 10 of nothing\n', encoding="utf-8")
    done = run_planc("check", str(plan))
    assert done.returncode == 1
    assert "error[" in done.stderr
    assert run_planc("check", str(tmp_path / "missing.plan")).returncode == 2


def test_a_reader_that_leaves_early_is_no_error(tmp_path):
    plan = tmp_path / "reps.plan"  # a table of 5,000 lines: more than a pipe holds
    reps = "\n".join(f"  rep{i}" for i in range(5000))
    plan.write_text(f'plan "P" {{ round: 1 }}\ntarget year = 5000000\nsplit year by rep using even {{\n{reps}\n}}\n',
                    encoding="utf-8")
    planc = subprocess.Popen([sys.executable, "-m", "planc", "eval", str(plan)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert planc.stdout is not None and planc.stderr is not None
    first = planc.stdout.readline()
    planc.stdout.close()  # as `| head -1` does
    err = planc.stderr.read().decode()
    assert planc.wait(timeout=120) == 0
    assert first.startswith(b"target")
    assert "Traceback" not in err and "internal error" not in err
