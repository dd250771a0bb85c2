"""Reading files: the plan, the files it imports, and its CSV data.

All I/O of the compiler happens here, so later stages are pure. A missing
or undecodable *main* file is reported with `unreadable=True` (exit code 2);
anything a plan refers to is a diagnostic at the reference.

An imported file that fails to parse is left out, but not forgotten: its
imports are still followed (found in its text), and every word of it (and
of the CSV files it names) goes into `Program.unparsed_names`, the names it
might have defined, so that the resolver does not report them as unknown.
"""

from __future__ import annotations

import os
import re
from fractions import Fraction
from pathlib import Path

import attrs

from planc.syntax import ast
from planc.amounts import MAX_AMOUNT, parse_number
from planc.diagnostics import Diagnostic, error
from planc.syntax.parse import parse
from planc.resources import resource_dir
from planc.source import Source, Span

MAX_FILE_BYTES = 20 * 1024 * 1024  # a plan or CSV bigger than this is a mistake
MAX_IMPORT_DEPTH = 32


@attrs.frozen
class DataTable:
    """A table read from CSV: 1-D (key -> value) or 2-D ((row, col) -> value)."""

    decl: ast.Data
    values: dict  # str -> Fraction, or (str, str) -> Fraction
    dims: tuple[str, ...]


@attrs.frozen
class Program:
    """The main module, then every imported module once, in load order."""

    modules: tuple[ast.Module, ...]
    data: tuple[DataTable, ...]
    unreadable: bool = False
    failed: tuple[Source, ...] = ()  # imported files that did not parse (their errors are reported)
    unparsed_names: frozenset[str] = frozenset()  # every word of those files and of the CSV files they name


def read_text(path: Path) -> tuple[str | None, str | None]:
    """(text, None) or (None, why-not). Strips a UTF-8 BOM."""
    try:
        if path.is_dir():
            return None, "it is a directory"
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB"
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, "no such file"
    except OSError as exc:
        return None, exc.strerror or str(exc)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"it is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
    return text.removeprefix("\ufeff"), None


def load(path: str | os.PathLike, display: str | None = None) -> tuple[Program, list[Diagnostic]]:
    main = Path(path)
    text, why = read_text(main)
    shown = display or str(path)
    if text is None:
        code = "E016" if why and "UTF-8" in why else "E015"
        return Program((), (), unreadable=True), [error(code, f"cannot read `{shown}`: {why}", path=shown)]
    return load_source(Source(shown, text), main)


def load_source(source: Source, path: Path | None = None) -> tuple[Program, list[Diagnostic]]:
    """Parse `source` (whose file is `path`, for relative imports) and everything it needs."""
    state = _Loader()
    if path is not None:
        state.main_dir = path.resolve().parent
        state.main_shown_dir = os.path.dirname(source.path)
    state.visit(source, path.resolve() if path else None, (), 0)
    return Program(tuple(state.modules), tuple(state.data), failed=tuple(state.failed),
                   unparsed_names=frozenset(state.unparsed_names)), state.diagnostics


class _Loader:
    def __init__(self) -> None:
        self.modules: list[ast.Module] = []
        self.data: list[DataTable] = []
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[Path] = set()
        self.main_dir: Path | None = None
        self.main_shown_dir = ""
        self.failed: list[Source] = []
        self.unparsed_names: set[str] = set()

    def visit(self, source: Source, path: Path | None, stack: tuple[Path, ...], depth: int) -> None:
        module, diags = parse(source)
        self.diagnostics.extend(diags)
        base = path.parent if path else Path.cwd()
        if module is None:
            if depth > 0:  # a broken main file stops here; a broken import does not stop the plan
                self.salvage(source, base, stack + ((path,) if path else ()), depth)
            return
        self.modules.append(module)
        for stmt in module.statements:
            if isinstance(stmt, ast.Import):
                self.follow(stmt, base, stack + ((path,) if path else ()), depth)
            elif isinstance(stmt, ast.Data):
                table = read_csv(stmt, base / stmt.path, self.diagnostics)
                if table is not None:
                    self.data.append(table)

    def salvage(self, source: Source, base: Path, stack: tuple[Path, ...], depth: int) -> None:
        """What a file that failed to parse still tells: the names it might define and its imports."""
        self.failed.append(source)
        self.unparsed_names.update(_WORD.findall(source.text))
        for match in _CSV_PATH.finditer(source.text):
            text, _ = read_text(base / match.group(1))
            if text is not None:
                self.unparsed_names.update(_WORD.findall(text))
        for match in _IMPORT_LINE.finditer(source.text):
            stmt = ast.Import(match.group(2), Span(source, match.start(1), match.end(1)))
            self.follow(stmt, base, stack, depth)

    def follow(self, stmt: ast.Import, base: Path, stack: tuple[Path, ...], depth: int) -> None:
        target = _import_path(stmt.path, base)
        if target is None:
            self.diagnostics.append(error(
                "E015", f"cannot import `{stmt.path}`", stmt.span,
                help='import a shipped module as "std/NAME" or a file as "./file.plan"'))
            return
        target = target.resolve()
        if target in stack:
            chain = " -> ".join(p.name for p in stack[stack.index(target):] + (target,))
            self.diagnostics.append(error("E023", f"import cycle: {chain}", stmt.span,
                                          help="remove one of the imports"))
            return
        if target in self.seen:
            return  # imported twice: load once
        if depth >= MAX_IMPORT_DEPTH:
            self.diagnostics.append(error("E023", f"imports nested more than {MAX_IMPORT_DEPTH} deep",
                                          stmt.span))
            return
        self.seen.add(target)
        text, why = read_text(target)
        if text is None:
            code = "E016" if why and "UTF-8" in why else "E015"
            self.diagnostics.append(error(code, f"cannot import `{stmt.path}`: {why}", stmt.span))
            return
        self.visit(Source(self.display(target), text), target, stack, depth + 1)

    def display(self, path: Path) -> str:
        """Imported files are named relative to the main plan as the user named it."""
        stdlib = resource_dir("stdlib").resolve()
        if path.parent == stdlib:
            return f"std/{path.name}"
        if self.main_dir is None:
            return str(path)
        try:
            return os.path.normpath(os.path.join(self.main_shown_dir, os.path.relpath(path, self.main_dir)))
        except ValueError:  # another drive on Windows
            return str(path)


# Read from the text of a file that did not parse (strings never span lines).
_WORD = re.compile(r"\w+")
_IMPORT_LINE = re.compile(r'^[ \t]*(import[ \t]+"([^"\n\\]*)")', re.M)
_CSV_PATH = re.compile(r'csv[ \t]*\([ \t]*"([^"\n\\]*)"')


def _import_path(name: str, base: Path) -> Path | None:
    if name.startswith("std/"):
        stem = name[4:]
        if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
            return None
        candidate = resource_dir("stdlib") / f"{stem.removesuffix('.plan')}.plan"
        return candidate if candidate.is_file() else None
    if name.startswith("./") or name.startswith("../") or name.endswith(".plan"):
        return base / name
    return None


# ---- CSV ----------------------------------------------------------------------------


def read_csv(decl: ast.Data, path: Path, diagnostics: list[Diagnostic]) -> DataTable | None:
    """Header row, then key column(s) and a value column. Errors point at the
    `csv("…")` path in the plan and name the CSV line."""
    import csv  # only plans with data pay for it
    import io

    span = decl.path_span
    text, why = read_text(path)
    if text is None:
        code = "E016" if why and "UTF-8" in why else "E015"
        diagnostics.append(error(code, f"cannot read data file `{decl.path}`: {why}", span,
                                 help="paths are relative to the plan file"))
        return None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        diagnostics.append(error("E017", f"`{decl.path}` is not valid CSV: {exc}", span))
        return None
    rows = [(n, r) for n, r in enumerate(rows, start=1) if any(cell.strip() for cell in r)]
    if not rows:
        diagnostics.append(error("E017", f"`{decl.path}` is empty", span,
                                 help="the first line is a header, e.g. `name,value`"))
        return None
    (_, header), body = rows[0], rows[1:]
    width = len(decl.dims) + 1 if decl.dims else len(header)
    if width not in (2, 3) or len(header) != width:
        expected = {2: "2 (name,value)", 3: "3 (row,column,value)"}.get(width, "2 (name,value) or 3 (row,column,value)")
        diagnostics.append(error(
            "E017", f"`{decl.path}` has {len(header)} columns in its header; expected {expected}", span,
            help="1-D data is `name,value`; 2-D data (`data T by A, B`) is `row,column,value`"))
        return None
    if _looks_numeric(header[-1]):
        diagnostics.append(error("E017", f"`{decl.path}` has no header row (first line is `{','.join(header)}`)",
                                 span, help="add a header line such as `name,value`"))
        return None
    values: dict = {}
    ok = True
    for line_no, row in body:
        where = f"`{decl.path}` line {line_no}"
        if len(row) != width:
            diagnostics.append(error("E017", f"{where} has {len(row)} fields; expected {width}", span))
            ok = False
            continue
        *keys, raw = (cell.strip() for cell in row)
        value = _csv_number(raw)
        if value is None:
            diagnostics.append(error("E018", f"{where}: `{raw}` is not a number", span,
                                     help="values are plain numbers, optionally with k/M/B/万/亿 or %"))
            ok = False
            continue
        key = keys[0] if width == 2 else tuple(keys)
        if key in values:
            shown = key if isinstance(key, str) else ", ".join(key)
            diagnostics.append(error("E019", f"{where}: duplicate key `{shown}`", span))
            ok = False
            continue
        values[key] = value
    if not ok:
        return None
    dims = decl.dims or ((header[0].strip(), header[1].strip()) if width == 3 else ())
    return DataTable(decl, values, dims)


# The plan's own number forms: a scaled amount (`2k`, `1.5亿`) or a percentage, not both.
_CSV_NUMBER = re.compile(r"[+-]?\d[\d_]*(\.\d+)?((k|M|B|万|亿)|%)?")
# Thousands separators only where they group thousands: `1,000`, not `1,5` (a decimal comma).
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?((k|M|B|万|亿)|%)?")


def _looks_numeric(cell: str) -> bool:
    return _csv_number(cell.strip()) is not None


def _csv_number(raw: str) -> Fraction | None:
    if raw.isascii() and raw.isdigit() and len(raw) < 19:  # the common case, without the general parser
        return Fraction(int(raw))
    text = raw.replace(" ", "")
    if "," in text:
        if not _GROUPED.fullmatch(text):
            return None
        text = text.replace(",", "")
    if not _CSV_NUMBER.fullmatch(text):  # the plan's own number forms, nothing more
        return None
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    try:
        value = parse_number(text) / (100 if text.endswith("%") else 1)
    except (ValueError, ZeroDivisionError):
        return None
    if abs(value) > MAX_AMOUNT:
        return None
    return sign * value
