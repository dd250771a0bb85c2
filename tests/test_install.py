"""A wheel (not an editable install) carries the grammar and the stdlib.

The wheel is installed into a fresh virtual environment that sees nothing
of the environment running the tests: no system site-packages (a venv made
from inside another venv would see the *base* interpreter's packages, not
the outer venv's, so that cannot be relied on). planc's own dependencies
(lark, attrs, jinja2 and what they need) are copied from the running
environment into a folder the new venv reads through a `.pth` file, so the
test needs no network beyond what building the wheel may take, and it works
the same when the suite runs in a venv or on a system Python.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from email.parser import Parser
from importlib import metadata
from pathlib import Path

import pytest

from helpers import ROOT

pytestmark = pytest.mark.slow

BIN = "Scripts" if os.name == "nt" else "bin"
PLANC = "planc.exe" if os.name == "nt" else "planc"


def _requirements(meta_text: str) -> list[tuple[str, str]]:
    """(name, marker) of every Requires-Dist in a METADATA text."""
    out = []
    for req in Parser().parsestr(meta_text).get_all("Requires-Dist") or []:
        spec, _, marker = req.partition(";")
        name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
        assert name, req
        out.append((name.group(1), marker.strip()))
    return out


def _copy_dependencies(wheel: Path, dest: Path, also: tuple[str, ...] = ()) -> list[str]:
    """Copy the installed distributions the wheel depends on (transitively,
    extras left out), and those named in `also`, from the running environment
    into `dest`."""
    with zipfile.ZipFile(wheel) as zf:
        (meta_name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        pending = _requirements(zf.read(meta_name).decode("utf-8")) + [(name, "") for name in also]
    seen: set[str] = set()
    copied = []
    while pending:
        name, marker = pending.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen or "extra" in marker:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            if marker:  # a dependency for another platform or Python
                continue
            pytest.fail(f"planc needs {name}, which is not installed in the environment running the tests")
        root = Path(dist.locate_file("")).resolve()
        files = dist.files
        assert files, f"{name}: the installed distribution lists no files (no RECORD)"
        for rel in files:
            src = Path(dist.locate_file(rel)).resolve()
            if not src.is_file() or not src.is_relative_to(root) or "__pycache__" in src.parts:
                continue  # scripts outside site-packages, byte code
            target = dest / src.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
        copied.append(dist.metadata["Name"])
        pending.extend(_requirements(dist.read_text("METADATA") or ""))
    return copied


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """planc installed from its wheel into a fresh, isolated venv."""
    base = tmp_path_factory.mktemp("wheel")
    wheels = base / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(wheels), str(ROOT)], capture_output=True, text=True)
    if build.returncode != 0:  # no hatchling locally: let pip fetch it
        build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                                str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("planc-*.whl")

    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False, system_site_packages=False, symlinks=os.name != "nt").create(env_dir)
    python = env_dir / BIN / ("python.exe" if os.name == "nt" else "python")
    # pip of the running environment installs into the new venv (pip >= 22.3), so
    # the venv needs no pip of its own and the `planc` script points at its python.
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)]
    proc = subprocess.run(install, capture_output=True, text=True)
    if proc.returncode != 0 and "no such option" in proc.stderr:  # an older pip: give the venv its own
        ensure = subprocess.run([str(python), "-m", "ensurepip", "-q"], capture_output=True, text=True)
        assert ensure.returncode == 0, ensure.stderr
        proc = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)],
                              capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr

    deps = base / "deps"
    assert {"lark", "attrs", "jinja2"} <= {n.lower() for n in _copy_dependencies(wheel, deps)}
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, env=_clean_env(), check=True).stdout.strip()
    (Path(purelib) / "planc_test_deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    isolated = subprocess.run([str(python), "-c", "import importlib.util as u; print(u.find_spec('pytest'))"],
                              capture_output=True, text=True, env=_clean_env())
    assert isolated.stdout.strip() == "None", "the test venv sees the environment running the tests"
    return env_dir, python, wheel


def _clean_env() -> dict[str, str]:
    """The environment for the installed planc: nothing that points back at the checkout."""
    env = dict(os.environ, PLANC_NO_CACHE="1", PYTHONIOENCODING="utf-8", NO_COLOR="1")
    for name in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE"):
        env.pop(name, None)
    env["PYTHONNOUSERSITE"] = "1"
    return env


def test_wheel_contains_grammar_and_stdlib(installed):
    _, _, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "planc/grammar/planc.lark" in names
    assert "planc/stdlib/seasonality.plan" in names


def test_wheel_registers_the_pygments_lexer(installed):
    _, _, wheel = installed
    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/entry_points.txt")]
        text = zf.read(name).decode("utf-8")
    section = text.split("[pygments.lexers]", 1)[1].split("[", 1)[0]
    assert "plan = planc.syntax.highlight:PlanLexer" in section


def test_installed_planc_runs_from_another_directory(installed, tmp_path):
    env_dir, python, _ = installed
    plan = tmp_path / "p.plan"
    plan.write_text('import "std/seasonality"\ntarget y = 1200\nsplit y by month using weight(flat_monthly)\n',
                    encoding="utf-8")
    env = _clean_env()
    code = "import planc, sys; from planc.cli import main; print(planc.__file__); sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([str(python), "-c", code, "eval", str(plan), "--format", "json"], cwd=tmp_path,
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    first, rest = proc.stdout.split("\n", 1)
    assert Path(first).resolve().is_relative_to(env_dir.resolve())  # the installed copy, not the checkout
    assert '"y.Dec": 100' in rest
    script = env_dir / BIN / PLANC
    proc = subprocess.run([str(script), "check", str(plan)], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr


def test_installed_planc_builds_the_example(installed, tmp_path):
    """`planc build` from the installed wheel writes the reports of the shipped example."""
    env_dir, _, _ = installed
    out = tmp_path / "out"
    proc = subprocess.run([str(env_dir / BIN / PLANC), "build", str(ROOT / "examples" / "fy2027" / "fy2027.plan"),
                           "-o", str(out)], cwd=tmp_path, capture_output=True, text=True, env=_clean_env())
    assert proc.returncode == 0, proc.stderr
    assert (out / "fy2027.html").is_file() and (out / "fy2027.md").is_file()


def _wheel_metadata(wheel: Path):
    with zipfile.ZipFile(wheel) as zf:
        (meta_name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        return Parser().parsestr(zf.read(meta_name).decode("utf-8")), zf.namelist()


def test_wheel_declares_the_mit_licence_and_ships_it(installed):
    """PEP 639: a licence expression and the LICENSE file itself in the wheel (issue 13)."""
    _, _, wheel = installed
    meta, names = _wheel_metadata(wheel)
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    text = zipfile.ZipFile(wheel).read(licence).decode("utf-8")
    assert text.startswith("MIT License") and "the planc authors" in text
    assert text == (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_wheel_has_the_classifiers(installed):
    _, _, wheel = installed
    meta, _ = _wheel_metadata(wheel)
    classifiers = set(meta.get_all("Classifier"))
    assert "Topic :: Office/Business :: Financial" in classifiers
    assert {f"Programming Language :: Python :: 3.{v}" for v in (11, 12, 13)} <= classifiers
    # PEP 639: the licence is said once, as an expression, not again as a classifier
    assert not any(c.startswith("License ::") for c in classifiers)
    assert meta["Requires-Python"] == ">=3.11"


def _interpreter(version: str) -> str | None:
    """A working `python3.X` on PATH or under pyenv (whose shims may refuse to run), or None."""
    import glob

    candidates = [shutil.which(f"python{version}"),
                  *sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}*/bin/python{version}")))]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True, env=_clean_env())
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    return None


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13"])
def test_the_wheel_runs_on_each_supported_python(installed, tmp_path, version):
    """The classifiers promise 3.11–3.13: install the wheel under each one found here, check the example
    and build every report of it (html, md, json, csv and the workbook), the same as here."""
    python = _interpreter(version)
    if python is None:
        pytest.skip(f"no Python {version} on this machine")
    _, _, wheel = installed
    env_dir = tmp_path / "venv"
    made = subprocess.run([python, "-m", "venv", "--without-pip", str(env_dir)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    venv_python = env_dir / BIN / ("python.exe" if os.name == "nt" else "python")
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv_python), "install", "--no-deps", "-q",
                           str(wheel)], capture_output=True, text=True)
    if proc.returncode != 0 and "no such option" in proc.stderr:
        pytest.skip("this pip cannot install into another interpreter")
    assert proc.returncode == 0, proc.stderr
    deps = tmp_path / "deps"  # pure-Python fallbacks cover a compiled module built for another Python
    _copy_dependencies(wheel, deps, also=("XlsxWriter",))
    purelib = subprocess.run([str(venv_python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, env=_clean_env(), check=True).stdout.strip()
    (Path(purelib) / "planc_test_deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    example = ROOT / "examples" / "fy2027" / "fy2027.plan"
    script = env_dir / BIN / PLANC
    check = subprocess.run([str(script), "check", str(example)], capture_output=True, text=True, env=_clean_env())
    assert check.returncode == 0, check.stderr
    out = subprocess.run([str(script), "eval", str(example), "year", "--format", "json"], capture_output=True,
                         text=True, env=_clean_env())
    assert out.returncode == 0, out.stderr
    assert '"year": 150000000' in out.stdout
    _builds_the_example_as_here(script, example, tmp_path)


def _builds_the_example_as_here(script: Path, example: Path, tmp_path: Path) -> None:
    """`planc build` of the installed wheel writes every format of the example, the same
    reports as the checkout under the Python running the tests (the JSON byte for byte, the
    workbook cell for cell: its zip may differ with the zlib)."""
    import openpyxl

    formats = ["--format", "html,md,json,csv,xlsx"]
    env = dict(_clean_env(), SOURCE_DATE_EPOCH="1798761600")
    there = subprocess.run([str(script), "build", str(example), "-o", str(tmp_path / "there"), *formats],
                           cwd=tmp_path, capture_output=True, text=True, env=env)
    assert there.returncode == 0, there.stderr
    here = subprocess.run([sys.executable, "-m", "planc", "build", str(example), "-o", str(tmp_path / "here"), *formats],
                          cwd=tmp_path, capture_output=True, text=True, env=dict(env, PYTHONPATH=str(ROOT / "src")))
    assert here.returncode == 0, here.stderr
    for name in ("fy2027.json", "fy2027.csv", "fy2027.md", "fy2027.html"):
        assert (tmp_path / "there" / name).read_bytes() == (tmp_path / "here" / name).read_bytes(), name
    books = [openpyxl.load_workbook(tmp_path / side / "fy2027.xlsx") for side in ("there", "here")]
    assert books[0].sheetnames == books[1].sheetnames and len(books[0].sheetnames) > 5
    for name in books[0].sheetnames:
        assert list(books[0][name].values) == list(books[1][name].values), name
