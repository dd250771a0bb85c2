"""The hooks in .pre-commit-hooks.yaml, run by `pre-commit try-repo` on a sample repository.

Slow (pre-commit builds a virtualenv and installs planc from this checkout)
and needs the package index: marked `precommit`, skipped when pre-commit is
not installed (it is in the `test` extra) or the index cannot be reached.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lintkit import ROOT

pytestmark = pytest.mark.precommit

UGLY = "target year=120M\nsplit year by region { east = 60%; west = rest }  # two regions\n"
PRETTY = "target year = 120M\nsplit year by region { east = 60%; west = rest }  # two regions\n"
BROKEN = "target year = 100M\n\nsplit year by region {\n  east = 90%\n  west = 20%\n}\n"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
                            GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid"))


def _index_reachable(tmp: Path) -> bool:
    """One ordinary `pip download` of a package planc depends on, as pre-commit's pip would."""
    proc = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(tmp),
                           "attrs"], capture_output=True, text=True, timeout=120)
    return proc.returncode == 0


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1", PYTHONIOENCODING="utf-8")
    env.pop("PYTHONPATH", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--all-files",
                           "--color", "never"], cwd=repo, capture_output=True, text=True, env=env, timeout=900)


def test_hooks_with_try_repo(tmp_path):
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not _index_reachable(tmp_path / "probe"):
        pytest.skip("the package index cannot be reached (offline)")
    repo = tmp_path / "sample"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "plans").mkdir()
    (repo / "plans" / "ugly.plan").write_text(UGLY)
    (repo / "plans" / "broken.plan").write_text(BROKEN)
    (repo / "notes.txt").write_text("not a plan = 1 {\n")
    _git(repo, "add", "-A")

    first = _try_repo(repo, tmp_path / "cache")
    output = first.stdout + first.stderr
    assert first.returncode == 1, output
    assert "files were modified by this hook" in output  # planc fmt rewrote ugly.plan
    assert "broken.plan:5:10: error[E005]" in output  # planc check failed on broken.plan
    assert (repo / "plans" / "ugly.plan").read_text() == PRETTY
    assert (repo / "plans" / "broken.plan").read_text() == BROKEN  # already canonical: untouched

    (repo / "plans" / "broken.plan").unlink()
    _git(repo, "add", "-A")
    second = _try_repo(repo, tmp_path / "cache")
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.count("Passed") == 2
