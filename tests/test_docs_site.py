"""The docs site: `mkdocs build --strict -f docs/site/mkdocs.yml` builds every page of
docs/ and the README without a warning, with ```plan blocks highlighted by planc's lexer."""

from __future__ import annotations

import html
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lexer_entry import lexer_env

pytest.importorskip("mkdocs", reason="mkdocs is in the `test` extra: pip install -e '.[test]'")
pytest.importorskip("material", reason="mkdocs-material is in the `test` extra: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "docs" / "site" / "mkdocs.yml"


def _hooks():
    spec = importlib.util.spec_from_file_location("planc_docs_hooks", ROOT / "docs" / "site" / "hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docs-site")
    out = tmp / "site"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG), "-d", str(out)],
                          capture_output=True, text=True, env=lexer_env(tmp), timeout=600)
    return proc, out


def test_the_site_builds_strict_without_warnings(site):
    proc, _ = site
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert [line for line in proc.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))] == []


def test_every_page_and_the_readme_as_home(site):
    _, out = site
    for page in (ROOT / "docs").glob("*.md"):
        assert (out / page.with_suffix(".html").name).is_file(), page.name
    home = (out / "index.html").read_text(encoding="utf-8")
    words = html.unescape(re.sub(r"<[^>]+>", "", home))
    assert "pip install . && planc build examples/fy2027/fy2027.plan -o build" in words  # the quick start
    assert "pip install '.[test]' && python -m pytest" in words
    assert 'href="language.html"' in home and 'src="img/report.png"' in home
    assert not (out / "site").exists()  # the site's own folder is not a page


def test_plan_blocks_are_highlighted_by_the_plan_lexer(site):
    _, out = site
    language = (out / "language.html").read_text(encoding="utf-8")
    assert '<span class="kd">target</span>' in language  # Keyword.Declaration
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<span class="mf">1.2亿</span>' in home  # Number.Float
    assert '<span class="kt">split</span>' not in home


def test_anchors_are_githubs():
    hooks = _hooks()
    assert hooks.github_anchor("E099 — formatter safety check", "-") == "e099--formatter-safety-check"
    assert hooks.github_anchor("HTML (<stem>.html)", "-") == "html-stemhtml"
    assert hooks.github_anchor("W102 high-growth", "-") == "w102-high-growth"


def test_the_readmes_links_point_into_the_site():
    hooks = _hooks()
    text = "[ref](docs/language.md#imports) ![img](docs/img/a.png) [lic](LICENSE) [web](https://x.org) [top](#quick-start)"
    assert hooks.readme_as_home(text) == "[ref](language.md#imports) ![img](img/a.png) lic [web](https://x.org) [top](#quick-start)"
