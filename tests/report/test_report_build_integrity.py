"""`planc build` writes a set of files that is all old or all new: staged
in the output folder and swapped in under a lock; left-over temporary files
and staging folders are cleaned (docs/reports.md, "How files are written")."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from report_helpers import ENV, GOLDEN, run_build

from planc import files as planc_files
from planc.report import build as report_build

DEAD_PID = 4_194_305  # above Linux's largest pid: no such process


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def basic(tmp_path: Path, name: str = "basic.plan", change: str = "") -> Path:
    text = (GOLDEN / "basic.plan").read_text(encoding="utf-8")
    if change:
        text = text.replace('owner: "Ali Khan", ', "").replace("2.9M", change)
    path = tmp_path / "plans" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def aged(path: Path, seconds: float = 7200) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_a_write_failure_leaves_the_old_set_and_no_staging(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run_build([basic(tmp_path)], out, "html,md,json,csv")[0] == 0
    before = tree(out)
    calls = []

    def full_disk(path, mode="r", *args, **kwargs):
        calls.append(path)
        if len(calls) == 3:  # partway through the set
            raise OSError(28, "No space left on device", str(path))
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(report_build, "open", full_disk, raising=False)
    code, stdout, err = run_build([basic(tmp_path, change="3.1M")], out, "html,md,json,csv")
    assert code == 2 and "No space left on device" in err and stdout == ""
    assert len(calls) == 3
    assert tree(out) == before  # every file old, none new
    assert sorted(p.name for p in out.iterdir()) == ["basic.csv", "basic.html", "basic.json", "basic.md",
                                                     "basic.owners"]  # no staging, no lock, no temp files


def test_a_departed_owner_loses_the_sheet_and_other_files_stay(tmp_path):
    out = tmp_path / "out"
    assert run_build([basic(tmp_path)], out, "md")[0] == 0
    owners = out / "basic.owners"
    (owners / "notes.md").write_text("mine\n", encoding="utf-8")
    (owners / "drafts").mkdir()
    (owners / "drafts" / "a.txt").write_text("draft\n", encoding="utf-8")
    assert run_build([basic(tmp_path, change="3.1M")], out, "md")[0] == 0
    assert not (owners / "ali-khan.md").exists() and (owners / "kim-park.md").exists()
    assert (owners / "notes.md").read_text(encoding="utf-8") == "mine\n"
    assert (owners / "drafts" / "a.txt").read_text(encoding="utf-8") == "draft\n"


def test_a_folder_that_is_not_plancs_is_never_replaced(tmp_path):
    out = tmp_path / "out"
    owners = out / "basic.owners"
    owners.mkdir(parents=True)
    (owners / "ali-khan.md").write_text("my own page about Ali\n", encoding="utf-8")  # no owner mark
    inode = owners.stat().st_ino
    assert run_build([basic(tmp_path, change="3.1M")], out, "md")[0] == 0
    assert owners.stat().st_ino == inode  # the same folder, not a swapped-in one
    assert (owners / "ali-khan.md").read_text(encoding="utf-8") == "my own page about Ali\n"
    assert (owners / "kim-park.md").read_text(encoding="utf-8").startswith(report_build.OWNER_MARK)


def test_left_over_staging_folders_and_temporary_files_are_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()

    def staging(name: str, marked: bool = True) -> Path:
        folder = out / name
        (folder / "basic.owners").mkdir(parents=True)
        (folder / "basic.html").write_text("half", encoding="utf-8")
        if marked:
            (folder / report_build.STAGING_MARK).write_bytes(b"")
        return folder

    dead = staging(f".planc-staging-{DEAD_PID}-0a1b2c3d")
    old = aged(staging(f".planc-staging-{os.getppid()}-0a1b2c3e"))
    alive = staging(f".planc-staging-{os.getppid()}-0a1b2c3f")  # a live process, recent: left alone
    foreign = aged(staging(f".planc-staging-{DEAD_PID}-0a1b2c40", marked=False))  # not planc's
    temp_dead = out / f".basic.html.planc-{DEAD_PID}-k2j4h5.tmp"
    temp_alive = out / f".basic.html.planc-{os.getppid()}-k2j4h6.tmp"
    temp_legacy_old = out / ".basic.md.ab12cd34.tmp"
    temp_legacy_new = out / ".basic.md.ab12cd35.tmp"
    mine = out / "notes.tmp"
    for path in (temp_dead, temp_alive, temp_legacy_old, temp_legacy_new, mine):
        path.write_text("x", encoding="utf-8")
    aged(temp_legacy_old)
    aged(mine)
    assert run_build([basic(tmp_path)], out, "md")[0] == 0
    assert not dead.exists() and not old.exists() and not temp_dead.exists() and not temp_legacy_old.exists()
    assert alive.exists() and foreign.exists() and temp_alive.exists() and temp_legacy_new.exists()
    assert mine.exists()


def test_an_owner_folder_a_killed_build_had_set_aside_is_restored(tmp_path):
    out = tmp_path / "out"
    assert run_build([basic(tmp_path)], out, "md")[0] == 0
    (out / "basic.owners" / "notes.md").write_text("mine\n", encoding="utf-8")
    killed = out / f".planc-staging-{DEAD_PID}-00000001"
    (killed / report_build.OLD).mkdir(parents=True)
    (killed / report_build.STAGING_MARK).write_bytes(b"")
    os.rename(out / "basic.owners", killed / report_build.OLD / "basic.owners")  # killed mid-swap
    assert run_build([basic(tmp_path, change="3.1M")], out, "md")[0] == 0
    assert (out / "basic.owners" / "notes.md").read_text(encoding="utf-8") == "mine\n"
    assert not killed.exists()


def test_write_atomic_names_its_temporary_file_after_the_writer(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def replace(src, dst):
        seen.append(Path(src).name)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(planc_files.os, "replace", replace)
    with pytest.raises(OSError):
        planc_files.write_atomic(tmp_path / "x.plan", b"data")
    monkeypatch.setattr(planc_files.os, "replace", real_replace)
    found = planc_files.TEMP_FILE.fullmatch(seen[0])
    assert found and int(found.group(1)) == os.getpid() and seen[0].startswith(".x.plan.planc-")
    assert list(tmp_path.iterdir()) == []  # removed after the failure


def _build(plan: Path, out: Path) -> subprocess.Popen:
    env = dict(os.environ, PLANC_NO_CACHE="1", **ENV)
    return subprocess.Popen([sys.executable, "-m", "planc", "build", str(plan), "-o", str(out),
                             "--format", "md,json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_the_lock_makes_a_second_build_wait(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with planc_files.folder_lock(out / report_build.LOCK):
        proc = _build(basic(tmp_path), out)
        time.sleep(3)  # enough to compile and render, not to write
        assert proc.poll() is None and not (out / "basic.md").exists()
    assert proc.wait(60) == 0, proc.stderr.read()
    assert (out / "basic.md").exists() and not (out / report_build.LOCK).exists()


def test_concurrent_builds_into_one_folder(tmp_path):
    a, a2, b = basic(tmp_path, "a.plan"), basic(tmp_path / "v2", "a.plan", change="3.1M"), basic(tmp_path, "b.plan")
    alone = {}
    for name, plan in (("a", a), ("a2", a2), ("b", b)):
        assert run_build([plan], tmp_path / f"alone-{name}", "md,json")[0] == 0
        alone[name] = tree(tmp_path / f"alone-{name}")
    shared = tmp_path / "shared"
    procs = [_build(plan, shared) for plan in (a, b, a2)]  # two plans, and two versions of one
    assert [p.wait(60) for p in procs] == [0, 0, 0]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    got = tree(shared)
    a_files = {k: v for k, v in got.items() if k.startswith("a.")}
    assert a_files in (alone["a"], alone["a2"])  # one version whole, never a mix
    assert {k: v for k, v in got.items() if k.startswith("b.")} == alone["b"]
    assert set(got) == set(a_files) | set(alone["b"])  # nothing else left behind
