"""`planc lsp`: the language server on stdin/stdout (`--stdio` says the same)."""

from __future__ import annotations

import sys

MISSING = ("planc lsp: the language server needs pygls 2 and lsprotocol, which are not installed.\n"
           "  install them with: pip install 'planc[lsp]'")


def run(args) -> int:
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        print(MISSING, file=sys.stderr)
        return 2
    from planc.lsp.server import serve

    return serve()
