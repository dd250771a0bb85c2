"""The README and docs/*.md link only to files of the repository that exist,
and mention no design notes kept outside it."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from helpers import ROOT

PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
FORBIDDEN = ("../shared", "domain.md", "design/")

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]*)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.M)
HTML = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']*)["']""", re.I)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def links(text: str) -> list[str]:
    """Link destinations of a Markdown page, code blocks and code spans left out."""
    prose = CODE_SPAN.sub("", FENCE.sub("", text))
    found = [m.group(1) for pattern in (INLINE, REFERENCE, HTML) for m in pattern.finditer(prose)]
    return [t[1:-1] if t.startswith("<") and t.endswith(">") else t for t in found]


def page_id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def test_the_pages_are_found():
    names = {page_id(p) for p in PAGES}
    assert {"README.md", "docs/language.md", "docs/method.md", "docs/rules.md"} <= names


def test_links_are_found_outside_code():
    text = ("See [a](a.md), ![img](img/x.png \"title\"), [b](<b c.md#x>) and [c][ref].\n"
            "[ref]: ref.md\n`[not](code.md)` and\n```\n[nor](block.md)\n```\n"
            "[web](https://example.com) [anchor](#here) <img src=\"pic.png\">\n")
    assert links(text) == ["a.md", "img/x.png", "b c.md#x", "https://example.com", "#here", "ref.md", "pic.png"]


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_relative_links_resolve_to_files_in_the_repository(page):
    broken = []
    for target in links(page.read_text(encoding="utf-8")):
        if SCHEME.match(target):  # https:, mailto:, … are not checked
            continue
        path = unquote(re.split(r"[#?]", target, maxsplit=1)[0])
        if not path:  # an anchor in the page itself
            continue
        resolved = (page.parent / path).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            broken.append(target)
    assert not broken, f"{page_id(page)} links to missing files or outside the repository: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_mention_of_files_outside_the_repository(page):
    found = []
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        found += [f"line {number}: {word!r}" for word in FORBIDDEN if word in line]
    assert not found, f"{page_id(page)} mentions design notes outside the repository: {found}"
