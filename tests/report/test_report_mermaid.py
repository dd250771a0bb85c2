"""Every Mermaid block of the Markdown reports parses with Mermaid's own
parser, from npm (issue 13). Needs Node.js and npm; the packages pinned in
tests/mermaid/package.json are installed once into a folder in the
temporary directory. Skipped, with the reason, where that cannot be done."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from report_helpers import EXAMPLE, GOLDEN, ROOT, run_build

pytestmark = pytest.mark.slow

HERE = ROOT / "tests" / "mermaid"


@pytest.fixture(scope="module")
def parser() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("Node.js and npm are not installed")
    spec = (HERE / "package.json").read_bytes()
    folder = Path(tempfile.gettempdir()) / f"planc-mermaid-{hashlib.sha256(spec).hexdigest()[:12]}"
    if not (folder / "node_modules" / "mermaid").is_dir():
        folder.mkdir(exist_ok=True)
        (folder / "package.json").write_bytes(spec)
        try:
            proc = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent"], cwd=folder,
                                  capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            pytest.skip("npm did not install Mermaid within 10 minutes")
        if proc.returncode != 0:
            pytest.skip(f"npm could not install Mermaid: {proc.stderr.strip()[-300:]}")
    shutil.copyfile(HERE / "parse.mjs", folder / "parse.mjs")
    return folder


def parse(parser: Path, files: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run(["node", "parse.mjs", *map(str, files)], cwd=parser, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_mermaid_block_parses(parser, tmp_path, lang):
    assert run_build([EXAMPLE], tmp_path, "md", lang=lang)[0] == 0
    files = [*sorted(tmp_path.rglob("*.md")), *sorted(GOLDEN.glob("*.md"))]
    proc = parse(parser, files)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    blocks = int(proc.stdout.split()[-4])
    assert blocks >= 8  # bar charts and pies of the example and the fixtures


def test_the_parser_rejects_a_broken_block(parser, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text('```mermaid\nxychart-beta\n    y-axis "CNY (M)" 0 -> 50\n    bar [1, 2]\n```\n', encoding="utf-8")
    proc = parse(parser, [bad])
    assert proc.returncode == 1 and "1 blocks, 1 failed" in proc.stdout
