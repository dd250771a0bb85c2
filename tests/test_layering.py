"""The package layout is the pipeline: imports run one way, stage by stage.

Every `import` and `from … import` in every module counts, wherever it
stands: at the top, inside a function, or under `if TYPE_CHECKING:`. A
module may import its own stage and the stages before it, never a later
one, and no two modules may import each other, directly or round a loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import planc

PACKAGE = Path(planc.__file__).resolve().parent

# The order written down in docs/architecture.md. A stage is a module or a package.
STAGES = [
    ("planc.source", "planc.amounts", "planc.resources", "planc.files", "planc.jsonstream"),
    ("planc.diagnostics",),
    ("planc.syntax",),
    ("planc.semantics",),
    ("planc.maths",),
    ("planc.evaluate",),
    ("planc.lint",),
    ("planc.pipeline",),
    ("planc.review",),
    ("planc.fmt",),
    ("planc.report",),
    ("planc.lsp",),
    ("planc.cli", "planc.__main__"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def stage_of(module: str) -> int | None:
    if module == "planc":
        return -1  # the package itself holds only __version__
    for rank, names in enumerate(STAGES):
        if any(module == n or module.startswith(n + ".") for n in names):
            return rank
    return None


def imports_of(path: Path, name: str | None = None) -> set[str]:
    """Every planc module this file imports, at any depth of the syntax tree."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    this = name or module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            for a in node.names:  # `from planc.syntax import ast` imports a module
                candidate = f"{base}.{a.name}"
                if _exists(candidate):
                    found.add(candidate)
    return {m for m in found if m == "planc" or m.startswith("planc.")}


def _exists(module: str) -> bool:
    rel = Path(*module.split("."))
    return (PACKAGE.parent / rel).with_suffix(".py").is_file() or (PACKAGE.parent / rel / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        out[name] = {m for m in imports_of(path) if m != name}
    return out


def test_every_module_belongs_to_a_stage():
    missing = [m for m in graph() if stage_of(m) is None]
    assert missing == [], f"modules outside every stage (add them to STAGES and docs/architecture.md): {missing}"


def test_imports_follow_the_stage_order():
    wrong = []
    for module, targets in graph().items():
        for target in targets:
            if stage_of(target) is not None and stage_of(target) > stage_of(module):
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_no_import_cycles():
    edges = graph()
    # A package's __init__ that re-exports its own modules is not a cycle of
    # meaning, so only edges between distinct modules count, with packages
    # treated as their __init__ file.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(start: str) -> None:
        stack = [(start, iter(sorted(edges.get(start, ()))))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            if nxt not in edges:
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(sorted(edges.get(nxt, ())))))

    for module in sorted(edges):
        if module not in state:
            visit(module)
    assert cycles == []


@pytest.mark.parametrize("snippet, expected", [
    ("def f():\n    from planc.cli import main\n", {"planc.cli"}),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from planc.lint import lint\n", {"planc.lint"}),
    ("from planc.syntax import ast\n", {"planc.syntax", "planc.syntax.ast"}),
    ("from ..semantics import model\n", {"planc.semantics", "planc.semantics.model"}),
])
def test_the_walker_sees_every_kind_of_import(tmp_path, snippet, expected):
    # The checker can fail: imports hidden in functions, type-only blocks and relative imports are found.
    path = tmp_path / "probe.py"
    path.write_text(snippet, encoding="utf-8")
    assert imports_of(path, name="planc.review.probe") == expected


# The server speaks on stdout and logs to stderr by protocol; `__main__` hands the CLI's exit code on.
MAY_PRINT = ("planc.cli", "planc.lsp", "planc.__main__")


def test_only_the_cli_prints_or_exits():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        if any(name == m or name.startswith(m + ".") for m in MAY_PRINT):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("print", "exit", "quit"):
                offenders.append(f"{name}:{node.lineno} {node.func.id}()")
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sys" \
                    and node.attr in ("exit", "stdout", "stderr", "stdin"):
                offenders.append(f"{name}:{node.lineno} sys.{node.attr}")
    assert offenders == []
