"""An environment in which Pygments finds planc's lexer through its entry point.

Installed from this tree (CI's `pip install '.[test]'`, a developer's
`pip install -e .`), planc's `pygments.lexers` entry point is registered and
nothing is added. Run from the source (PYTHONPATH=src with planc installed
from elsewhere) it is not: then a folder holding only that entry point's
metadata goes on the path, so subprocesses (mkdocs, `python -m pygments`)
see this tree's lexer as an installed planc would give it.
"""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEXER = "planc.syntax.highlight:PlanLexer"


def registered() -> bool:
    return any(ep.value == LEXER for ep in entry_points(group="pygments.lexers"))


def lexer_env(tmp_path: Path) -> dict[str, str]:
    paths = [str(ROOT / "src")]
    if not registered():
        info = tmp_path / "entry" / "planc_source_tree-0.dist-info"
        info.mkdir(parents=True, exist_ok=True)
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: planc-source-tree\nVersion: 0\n", encoding="utf-8")
        (info / "entry_points.txt").write_text(f"[pygments.lexers]\nplan = {LEXER}\n", encoding="utf-8")
        paths.append(str(info.parent))
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    return dict(os.environ, PYTHONPATH=os.pathsep.join(paths), NO_MKDOCS_2_WARNING="1")
