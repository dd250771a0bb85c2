"""docs/lsp.md's Neovim set-ups, run in a real (headless) Neovim against `planc lsp`.

Each ```lua block of the Neovim section that begins `-- Neovim X.Y and later`
is used verbatim as the init file; a block needing a newer Neovim than the
one installed is skipped with the reason, as is everything without `nvim`.
`planc` on the PATH is this tree's planc. Neovim opens a plan whose split
over-allocates and must show planc's `E005` where it is, and a hover.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "lsp.md").read_text(encoding="utf-8")
SECTION = PAGE[PAGE.index("### Neovim"):PAGE.index("### Helix")]
BLOCKS = re.findall(r"```lua\n(-- Neovim (\d+)\.(\d+) and later\n.*?)```", SECTION, re.S)

PLAN = 'plan "t" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }\n' \
       "target year = 120M\nsplit year by region {\n  east = 60%\n  west = 50%\n}\n"

# Run after the plan is open: wait for diagnostics, ask for a hover on `year`, write what was seen.
PROBE = r"""
local ok = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local seen = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  table.insert(seen, { lnum = d.lnum, col = d.col, code = code, message = d.message })
end
local replies = vim.lsp.buf_request_sync(0, "textDocument/hover",
  { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = 1, character = 8 } }, 10000) or {}
local hover = {}
for _, r in pairs(replies) do
  if r.result and r.result.contents then table.insert(hover, r.result.contents.value or r.result.contents) end
end
local clients = (vim.lsp.get_clients or vim.lsp.get_active_clients)()
vim.fn.writefile({ vim.fn.json_encode({ filetype = vim.bo.filetype, waited = ok, diagnostics = seen,
  hover = hover, clients = #clients }) }, vim.env.PLANC_PROBE_OUT)
vim.cmd("qa!")
"""


def nvim_version() -> tuple[int, int] | None:
    if not shutil.which("nvim"):
        return None
    out = subprocess.run(["nvim", "--version"], capture_output=True, text=True, timeout=30).stdout
    m = re.search(r"NVIM v(\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def test_the_neovim_section_has_a_block_for_each_version():
    assert sorted((int(a), int(b)) for _, a, b in BLOCKS) == [(0, 7), (0, 8), (0, 11)]


@pytest.mark.slow
@pytest.mark.parametrize("block, major, minor", BLOCKS, ids=[f"nvim-{a}.{b}" for _, a, b in BLOCKS])
def test_the_documented_setup_attaches_and_shows_diagnostics(tmp_path, block, major, minor):
    version = nvim_version()
    if version is None:
        pytest.skip("Neovim (nvim) is not installed: apt-get install neovim")
    if version < (int(major), int(minor)):
        pytest.skip(f"this set-up needs Neovim {major}.{minor}; the installed one is {version[0]}.{version[1]}")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "planc"  # `planc` as the docs write it, running this tree's planc
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m planc "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    (tmp_path / "init.lua").write_text(block, encoding="utf-8")
    (tmp_path / "probe.lua").write_text(PROBE, encoding="utf-8")
    (tmp_path / "t.plan").write_text(PLAN, encoding="utf-8")
    out = tmp_path / "out.json"
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", PLANC_PROBE_OUT=str(out),
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"), PLANC_NO_CACHE="1")
    proc = subprocess.run(["nvim", "--headless", "--clean", "-u", "init.lua", "t.plan", "-c", "luafile probe.lua"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert out.is_file(), proc.stderr[-2000:]
    seen = json.loads(out.read_text(encoding="utf-8"))
    assert seen["filetype"] == "plan" and seen["clients"] == 1 and seen["waited"], seen
    errors = [d for d in seen["diagnostics"] if d["code"] == "E005"]
    assert len(errors) == 1, seen["diagnostics"]
    assert (errors[0]["lnum"], errors[0]["col"]) == (4, 9)  # `50%` of `west = 50%`, 0-based as LSP counts
    assert "132,000,000 of 120,000,000" in errors[0]["message"]
    assert any("120,000,000" in h for h in seen["hover"]), seen["hover"]
