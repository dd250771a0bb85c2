"""The only place diagnostics are printed, and the exit codes of every command."""

from __future__ import annotations

import os
import sys

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _colour(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def print_diagnostics(diags, fmt: str = "text", stream=None) -> None:
    """Print in a format of `planc.diagnostics.render` (`auto`: github under GitHub Actions)."""
    from planc.diagnostics.render import render, resolve_format

    stream = stream or sys.stderr
    fmt = resolve_format(fmt, os.environ)
    stream.write(render(diags, fmt, colour=fmt == "text" and _colour(stream)))


def summary(errors: int, warnings: int, files: int) -> str:
    def n(k: int, word: str) -> str:
        return f"{k} {word}{'' if k == 1 else 's'}"

    return f"{n(errors, 'error')}, {n(warnings, 'warning')} in {n(files, 'file')}"



def compile_or_exit(path: str, allow_outside=()):
    """(compilation, exit code or None): unreadable files exit 2, errors exit 1."""
    from planc.pipeline import compile_plan

    result = compile_plan(path, allow_outside=allow_outside)
    if result.unreadable:
        print_diagnostics(result.diagnostics)
        return result, EXIT_USAGE
    if result.has_errors:
        print_diagnostics(result.diagnostics)
        return result, EXIT_ERRORS
    return result, None
