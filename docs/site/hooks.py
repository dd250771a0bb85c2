"""mkdocs hooks for the docs site (docs/site/mkdocs.yml).

- The home page is the README: its links into `docs/` are made relative to
  the docs, and links to other files of the repository (which the site does
  not hold) become plain text.
- Every page of docs/ is in the navigation: those `nav` names come first,
  the others follow by name, so a new page cannot be left out.
- Headings get GitHub's anchors (`#e099--formatter-safety-check`,
  `#html-stemhtml` for "HTML (`<stem>.html`)"), so one link works on GitHub
  and on the site.
- ```plan blocks must be highlighted by planc's lexer: if Pygments cannot
  find it (planc not installed), the build stops instead of shipping plain code.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"(!?\[(?:[^\[\]]|\[[^\]]*\])*\])\(([^)\s]+)\)")


def on_config(config):
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name("plan")
    except ClassNotFound:
        raise PluginError("Pygments has no `plan` lexer: install planc (pip install -e '.[docs]') "
                          "so its entry point is registered") from None
    config["mdx_configs"].setdefault("toc", {})["slugify"] = github_anchor
    docs = Path(config["docs_dir"])
    listed = {next(iter(item.values())) if isinstance(item, dict) else item for item in config["nav"]}
    for page in sorted(docs.glob("*.md")):
        if page.name not in listed:
            config["nav"].append(page.name)
    return config


def github_anchor(text: str, sep: str) -> str:
    """GitHub's anchor of a heading: lower case, only letters, digits, `_`, `-` and spaces, spaces as `-`.

    Unlike Python-Markdown's and pymdownx's, it keeps runs of `-` and drops no `<…>` text of a code span."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", sep)


def readme_as_home(text: str) -> str:
    def relink(m: re.Match) -> str:
        label, target = m.group(1), m.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#", target, re.I):
            return m.group(0)
        if target.startswith("docs/"):
            return f"{label}({target[len('docs/'):]})"
        return label[1:-1] if not label.startswith("!") else ""  # a file the site does not hold
    return LINK.sub(relink, text)


def on_files(files: Files, config) -> Files:
    if files.get_file_from_path("index.md") is None:
        text = (ROOT / "README.md").read_text(encoding="utf-8")
        files.append(File.generated(config, "index.md", content=readme_as_home(text)))
    return files
