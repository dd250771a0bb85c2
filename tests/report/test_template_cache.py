"""Compiled report templates come from planc's cache (report/template_cache.py)."""

from __future__ import annotations

import jinja2
import pytest

from planc.report import render
from planc.report.template_cache import TemplateCache

TEMPLATE = "{% for x in items %}<b>{{ x }}</b>{% endfor %}"


@pytest.fixture(autouse=True)
def templates(tmp_path, monkeypatch):
    folder = tmp_path / "templates-src"
    folder.mkdir()
    (folder / "t.html.j2").write_text(TEMPLATE, encoding="utf-8")
    monkeypatch.setattr(render, "TEMPLATES", folder)


def _env(tag: str) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(render.TEMPLATES)),
                              bytecode_cache=TemplateCache(tag), autoescape=tag == "html")


def test_a_template_compiled_once_is_loaded_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANC_NO_CACHE", raising=False)
    monkeypatch.setenv("PLANC_CACHE_DIR", str(tmp_path))
    first = _env("html").get_template("t.html.j2")
    entries = list((tmp_path / "templates").iterdir())
    assert len(entries) >= 1
    again = _env("html")
    monkeypatch.setattr(again, "compile", lambda *a, **k: pytest.fail("compiled again"))
    second = again.get_template("t.html.j2")
    assert second.render(items=["<a>", 2]) == first.render(items=["<a>", 2]) == "<b>&lt;a&gt;</b><b>2</b>"
    # Another environment (Markdown compiles the same file differently) has its own entries.
    _env("md").get_template("t.html.j2")
    assert len(list((tmp_path / "templates").iterdir())) > len(entries)


def test_a_damaged_entry_is_compiled_afresh(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANC_NO_CACHE", raising=False)
    monkeypatch.setenv("PLANC_CACHE_DIR", str(tmp_path))
    _env("html").get_template("t.html.j2")
    for entry in (tmp_path / "templates").iterdir():
        entry.write_bytes(b"planted")
    compiled = []
    env = _env("html")
    original = env.compile
    monkeypatch.setattr(env, "compile", lambda *a, **k: compiled.append(1) or original(*a, **k))
    assert env.get_template("t.html.j2").render(items=[1]) == "<b>1</b>"  # works…
    assert compiled  # …by compiling again


def test_no_entries_when_the_cache_is_off(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANC_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("PLANC_NO_CACHE", "1")
    _env("html").get_template("t.html.j2")
    assert not (tmp_path / "templates").exists()
