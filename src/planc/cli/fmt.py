"""`planc fmt [--check] [--diff] PLAN...`."""

from __future__ import annotations

import sys
from pathlib import Path

from planc.cli.output import print_diagnostics
from planc.diagnostics import Diagnostic
from planc.fmt import FormatterBug, format_text


_BOM = b"\xef\xbb\xbf"


_CLEANED: set[Path] = set()  # folders whose left-over temporary files this run removed


def write_atomic(path: Path, text: str, bom: bool = False) -> None:
    """Never a half-written plan (see planc.files); the first write into a folder
    also removes the temporary files a killed `planc fmt` left there."""
    from planc.files import clean_stale_temp_files, write_atomic as write

    folder = Path(path).resolve().parent
    if folder not in _CLEANED:
        _CLEANED.add(folder)
        clean_stale_temp_files(folder, legacy=False)
    write(path, (_BOM if bom else b"") + text.encode("utf-8"))


def run(args) -> int:
    return format_files(args.plans, check=args.check, diff=args.diff)


def format_files(paths: list[str], check: bool = False, diff: bool = False) -> int:
    """`planc fmt [--check] [--diff] PLAN...`; exit 0, 1 (errors, or changes with
    --check/--diff) or 2 (a file cannot be read)."""
    from planc.diagnostics import error
    from planc.semantics.loader import read_text

    changed, unchanged, failed, unreadable = [], 0, 0, False
    for name in paths:
        if name == "-":
            text = sys.stdin.read()
            out, diags = _format_or_report(text, "<stdin>")
            if out is None:
                print_diagnostics(diags)
                sys.stdout.write(text)  # a filter passes what it cannot format through
                failed += 1
                continue
            if out != text:
                changed.append(name)
            if diff:
                _print_diff(text, out, "<stdin>")
            elif not check:
                sys.stdout.write(out)
            continue
        path = Path(name)
        text, why = read_text(path)
        if text is None:
            print_diagnostics([error("E015", f"cannot read `{name}`: {why}", path=name)], "concise")
            unreadable = True
            continue
        out, diags = _format_or_report(text, name)
        if out is None:
            print_diagnostics(diags)
            failed += 1
            continue
        if out == text:
            unchanged += 1
            continue
        changed.append(name)
        if diff:
            _print_diff(text, out, name)
        if check:
            print(f"would reformat {name}", file=sys.stderr)
        elif not diff:
            with open(path, "rb") as f:
                bom = f.read(3) == _BOM
            write_atomic(path, out, bom)
    verb = "would be reformatted" if check or diff else "reformatted"
    parts = []
    if changed:
        parts.append(f"{len(changed)} file{'s' if len(changed) != 1 else ''} {verb}")
    if unchanged:
        parts.append(f"{unchanged} file{'s' if unchanged != 1 else ''} left unchanged")
    if failed:
        parts.append(f"{failed} file{'s' if failed != 1 else ''} with errors, not formatted")
    if parts and paths != ["-"]:
        print(", ".join(parts), file=sys.stderr)
    if unreadable:
        return 2
    if failed or ((check or diff) and changed):
        return 1
    return 0


def _format_or_report(text: str, name: str) -> tuple[str | None, list[Diagnostic]]:
    from planc.diagnostics import error

    try:
        return format_text(text, name)
    except FormatterBug as exc:
        return None, [error("E099", f"planc fmt could not format this file safely: {exc}", path=name,
                            help="this is a bug in planc; the file was left unchanged, please report it")]


def _print_diff(before: str, after: str, name: str) -> None:
    import difflib

    sys.stdout.writelines(difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{name}\t(original)",
        f"{name}\t(formatted)"))
