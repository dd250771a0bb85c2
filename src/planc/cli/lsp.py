"""`planc lsp`: the language server on stdin/stdout."""

from __future__ import annotations


def run(args) -> int:
    from planc.lsp import serve

    return serve()
