"""A wheel (not an editable install) carries the grammar and the stdlib."""

from __future__ import annotations

import os
import subprocess
import sys
import venv

import pytest

from helpers import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """planc installed from a wheel into a fresh venv (with the running
    interpreter's site-packages visible for lark/attrs/jinja2, so no network)."""
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
    venv.EnvBuilder(with_pip=False, system_site_packages=True).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--force-reinstall", "-q",
                              "--target", str(base / "site"), str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    return python, base / "site", wheel


def test_wheel_contains_grammar_and_stdlib(installed):
    import zipfile

    _, _, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "planc/grammar/planc.lark" in names
    assert "planc/stdlib/seasonality.plan" in names


def test_installed_planc_runs_from_another_directory(installed, tmp_path):
    python, site, _ = installed
    plan = tmp_path / "p.plan"
    plan.write_text('import "std/seasonality"\ntarget y = 1200\nsplit y by month using weight(flat_monthly)\n',
                    encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(site), PLANC_NO_CACHE="1")
    env.pop("PYTHONHOME", None)
    code = "import planc, sys; from planc.cli import main; print(planc.__file__); sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([str(python), "-c", code, "eval", str(plan), "--format", "json"], cwd=tmp_path,
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    first, rest = proc.stdout.split("\n", 1)
    assert first.startswith(str(site))  # the installed copy, not the checkout
    assert '"y.Dec": 100' in rest
    script = site / ("Scripts" if os.name == "nt" else "bin") / "planc"
    proc = subprocess.run([str(script), "check", str(plan)], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
