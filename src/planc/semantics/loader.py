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

import errno
import functools
import operator
import os
import re
import stat
import sys
from fractions import Fraction
from pathlib import Path
from typing import Sequence

import attrs

from planc.syntax import ast
from planc.amounts import MAX_AMOUNT, parse_number
from planc.diagnostics import Diagnostic, error, escape_control
from planc.syntax.parse import parse
from planc.resources import resource_dir
from planc.source import Source, Span

MAX_FILE_BYTES = 20 * 1024 * 1024  # a plan or CSV bigger than this is a mistake
MAX_IMPORT_DEPTH = 32
ROOT_MARKERS = ("planc.toml", "pyproject.toml", ".git")
OUTSIDE = "E037"


# Compiled on first use: most runs of `planc check` need none of them.
_REGEXES: dict[str, tuple[str, int]] = {
    "word": (r"\w+", 0),
    "import_line": (r'^[ \t]*(import[ \t]+"([^"\n\\]*)")', re.M),
    "csv_path": (r'csv[ \t]*\([ \t]*"([^"\n\\]*)"', 0),
    "csv_number": (r"[+-]?\d[\d_]*(\.\d+)?((k|M|B|万|亿)|%)?", 0),
    "grouped": (r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?((k|M|B|万|亿)|%)?", 0),
    # whitespace other than a line break, or a quote (a quoted field may hold one): a CSV without any has no field to strip
    "spaced": (r'[^\S\r\n]|"', 0),
}


@functools.lru_cache(maxsize=None)
def _regex(name: str) -> re.Pattern:
    return re.compile(*_REGEXES[name])


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


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[str | None, str | None]:
    """(text, None) or (None, why-not). Strips a UTF-8 BOM.

    Only a regular file is read: a FIFO, a device (/dev/zero) or a folder is
    refused before a byte is read, so nothing can hang or run out of memory;
    the size limit is checked while reading (a file may grow after `stat`)."""
    why = path_problem(str(path))
    if why is not None:
        return None, why
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (no effect on files).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None, "no such file"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "it is a symbolic link loop"
        if exc.errno == errno.EISDIR:
            return None, "it is a directory"
        return None, exc.strerror or str(exc)
    try:
        kind = os.fstat(fd).st_mode
        if stat.S_ISDIR(kind):
            return None, "it is a directory"
        if not stat.S_ISREG(kind):
            return None, "it is not a regular file"
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        return None, exc.strerror or str(exc)
    finally:
        os.close(fd)
    if size > limit:
        return None, f"it is larger than {_size(limit)}"
    raw = b"".join(chunks)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"it is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
    return text.removeprefix("\ufeff"), None


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"


def path_problem(name: str) -> str | None:
    """Why a path written in a plan cannot name a file: NUL and other control
    characters (a newline would also forge lines in the output)."""
    bad = next((ch for ch in name if ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F), None)
    if bad is None:
        return None
    return f"the path contains a control character ({escape_control(bad)})"


def project_root(plan: Path) -> Path:
    """The nearest folder at or above the plan with planc.toml, pyproject.toml
    or .git; else the plan's own folder. Imports and data stay inside it."""
    folder = plan.parent
    for d in (folder, *folder.parents):
        if any(os.path.lexists(d / marker) for marker in ROOT_MARKERS):
            return d
    return folder


def load(path: str | os.PathLike, display: str | None = None,
         allow_outside: Sequence[str | os.PathLike] = ()) -> tuple[Program, list[Diagnostic]]:
    main = Path(path)
    text, why = read_text(main)
    shown = display or str(path)
    if text is None:
        code = "E016" if why and "UTF-8" in why else "E015"
        return Program((), (), unreadable=True), [error(code, f"cannot read `{shown}`: {why}", path=shown)]
    return load_source(Source(shown, text), main, allow_outside)


def load_source(source: Source, path: Path | None = None,
                allow_outside: Sequence[str | os.PathLike] = (),
                cache: bool = True) -> tuple[Program, list[Diagnostic]]:
    """Parse `source` (whose file is `path`, for relative imports) and everything it needs.
    Imports and data must lie in the project root, the stdlib or `allow_outside`.
    `cache=False`: `source` itself skips the parse cache (an editor's buffer); its imports use it."""
    state = _Loader()
    state.cache_main = cache
    where = _resolve(path)[0] if path is not None else None
    if where is not None:
        state.main_dir = where.parent
        state.main_shown_dir = os.path.dirname(source.path)
    state.root = project_root(where or Path.cwd().resolve() / "<input>")
    extra = (_resolve(Path(p))[0] for p in allow_outside if path_problem(str(p)) is None)
    state.allowed = (state.root, resource_dir("stdlib").resolve(), *(p for p in extra if p is not None))
    state.visit(source, where, (), 0)
    return Program(tuple(state.modules), tuple(state.data), failed=tuple(state.failed),
                   unparsed_names=frozenset(state.unparsed_names)), state.diagnostics


def _resolve(path: Path) -> tuple[Path | None, str | None]:
    """The real path (symbolic links followed), or why there is none."""
    try:
        return path.resolve(), None
    except RuntimeError:  # Python < 3.13: "Symlink loop"
        return None, "it is a symbolic link loop"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "it is a symbolic link loop"
        return None, exc.strerror or str(exc)
    except ValueError:  # an embedded NUL byte
        return None, "the path contains a control character (\\x00)"


_OUTSIDE_HELP = 'allow its folder with --allow-outside PATH, or `allow-outside = ["PATH"]` in planc.toml'


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
        self.allowed: tuple[Path, ...] = ()
        self.root: Path | None = None
        self.cache_main = True

    def visit(self, source: Source, path: Path | None, stack: tuple[Path, ...], depth: int) -> None:
        module, diags = parse(source, cached=depth > 0 or self.cache_main)
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
                found = self.confined(base / stmt.path, stmt.path, stmt.path_span,
                                      f"cannot read data file `{stmt.path}`", "paths are relative to the plan file")
                table = read_csv(stmt, found, self.diagnostics) if found is not None else None
                if table is not None:
                    self.data.append(table)

    def inside(self, target: Path) -> bool:
        return any(target == folder or target.is_relative_to(folder) for folder in self.allowed)

    def confined(self, path: Path, name: str, span, problem: str, help: str | None) -> Path | None:
        """The real path of `path` (written `name`) if it may be read; else a diagnostic and None."""
        why = path_problem(name)
        target = None
        if why is None:
            target, why = _resolve(path)
        if target is None:
            self.diagnostics.append(error("E015", f"{problem}: {why}", span, help=help))
            return None
        if not self.inside(target):
            self.diagnostics.append(error(OUTSIDE, f"{problem}: it is outside the project root", span,
                                          help=_OUTSIDE_HELP))
            return None
        return target

    def salvage(self, source: Source, base: Path, stack: tuple[Path, ...], depth: int) -> None:
        """What a file that failed to parse still tells: the names it might define and its imports."""
        self.failed.append(source)
        self.unparsed_names.update(_regex("word").findall(source.text))
        for match in _regex("csv_path").finditer(source.text):
            found = _resolve(base / match.group(1))[0] if path_problem(match.group(1)) is None else None
            text = read_text(found)[0] if found is not None and self.inside(found) else None  # confined too
            if text is not None:
                self.unparsed_names.update(_regex("word").findall(text))
        for match in _regex("import_line").finditer(source.text):
            stmt = ast.Import(match.group(2), Span(source, match.start(1), match.end(1)))
            self.follow(stmt, base, stack, depth)

    def follow(self, stmt: ast.Import, base: Path, stack: tuple[Path, ...], depth: int) -> None:
        target = _import_path(stmt.path, base) if path_problem(stmt.path) is None else None
        if target is None:
            why = path_problem(stmt.path)
            self.diagnostics.append(error(
                "E015", f"cannot import `{stmt.path}`" + (f": {why}" if why else ""), stmt.span,
                help='import a shipped module as "std/NAME" or a file as "./file.plan"'))
            return
        target = self.confined(target, stmt.path, stmt.span, f"cannot import `{stmt.path}`", None)
        if target is None:
            return
        if target in stack:
            chain = " -> ".join(p.name for p in stack[stack.index(target):] + (target,))
            self.diagnostics.append(error("E023", f"import cycle: {chain}", stmt.span,
                                          help="remove one of the imports"))
            return
        if target in self.seen:
            return  # imported twice: load once
        if depth >= MAX_IMPORT_DEPTH:
            self.diagnostics.append(error("E023", f"imports nested more than {MAX_IMPORT_DEPTH} deep",
                                          stmt.span, help="import the shared files from the plan itself"))
            return
        self.seen.add(target)
        text, why = read_text(target)
        if text is None:
            code = "E016" if why and "UTF-8" in why else "E015"
            self.diagnostics.append(error(code, f"cannot import `{stmt.path}`: {why}", stmt.span))
            return
        # Only a plan is quoted in a snippet: a file that is not one may hold anything.
        source = Source(self.display(target), text, quoted=target.suffix == ".plan")
        self.visit(source, target, stack, depth + 1)

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
    plain = _plain_columns(text, csv.field_size_limit())
    try:  # (a plain file's header line is all the checks below read of it)
        rows = [plain[0]] if plain is not None else list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        diagnostics.append(error("E017", f"`{decl.path}` is not valid CSV: {exc}", span,
                                 help='a field with a comma or a quote is written in double quotes: `"a, b"`'))
        return None
    first = next((n for n, r in enumerate(rows) if any(cell.strip() for cell in r)), None)
    if first is None:
        diagnostics.append(error("E017", f"`{decl.path}` is empty", span,
                                 help="the first line is a header, e.g. `name,value`"))
        return None
    header = rows[first]
    width = len(decl.dims) + 1 if decl.dims else len(header)
    if width not in (2, 3) or len(header) != width:
        expected = {2: "2 (name,value)", 3: "3 (row,column,value)"}.get(width, "2 (name,value) or 3 (row,column,value)")
        columns = f"{len(header)} column{'s' if len(header) != 1 else ''}"
        other = _other_delimiter(header) if len(header) == 1 else None
        if other is not None:
            name, one, char = other
            fixed = ",".join(cell.strip() for cell in header[0].split(char))
            diagnostics.append(error(
                "E017", f"`{decl.path}` has {columns} in its header: its fields are separated by {name}, "
                f"and planc reads commas", span,
                help=f"save it as comma-separated CSV (Excel: \"CSV UTF-8 (Comma delimited)\"), or replace "
                     f"each {one} with `,` (and decimal commas `1,5` with points `1.5`): the header then reads `{fixed}`"))
            return None
        diagnostics.append(error(
            "E017", f"`{decl.path}` has {columns} in its header; expected {expected}", span,
            help="1-D data is `name,value`; 2-D data (`data T by A, B`) is `row,column,value`"))
        return None
    if _looks_numeric(header[-1]):
        diagnostics.append(error("E017", f"`{decl.path}` has no header row (first line is `{','.join(header)}`)",
                                 span, help="add a header line such as `name,value`"))
        return None
    dims = decl.dims or ((header[0].strip(), header[1].strip()) if width == 3 else ())
    if plain is not None:
        values = _column_wise(plain[1], width) if len(plain[1]) == width else None
        rows = list(csv.reader(io.StringIO(text, newline=""))) if values is None else rows
    else:
        lines = rows[first + 1:]
        same_width = not any(map(width.__ne__, map(len, lines)))
        values = _column_wise([list(map(str.strip, map(operator.itemgetter(i), lines))) for i in range(width)],
                              width) if same_width else None
    if values is not None:
        return DataTable(decl, values, dims)
    body = [(n, r) for n, r in enumerate(rows[first + 1:], start=first + 2) if any(cell.strip() for cell in r)]
    values = {}
    ok = True
    for line_no, row in body:
        where = f"`{decl.path}` line {line_no}"
        if len(row) != width:
            diagnostics.append(error("E017", f"{where} has {len(row)} fields; expected {width}", span,
                                     help=_fields_help(row, width)))
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
            diagnostics.append(error("E019", f"{where}: duplicate key `{shown}`", span,
                                     help="keep one line per key: add the two values up, or delete one"))
            ok = False
            continue
        values[key] = value
    if not ok:
        return None
    return DataTable(decl, values, dims)


def _plain_columns(text: str, field_limit: int) -> tuple[list[str], list[list[str]]] | None:
    """The header and the columns of a file that `csv.reader` would read as plain splits
    at commas, split at C speed (a 400,000-line seed): no quotes, no whitespace but line
    breaks (so no field to strip), no NUL, no blank line, every line as wide as the first,
    no field over the reader's size limit. None for any other file: the reader reads it."""
    if "\x00" in text or _regex("spaced").search(text) is not None:
        return None
    lines = text.splitlines()
    if not lines or not all(lines) or max(map(len, lines)) > field_limit:
        return None
    commas = lines[0].count(",")
    if not all(map(commas.__eq__, map(operator.methodcaller("count", ","), lines))):
        return None
    width = commas + 1
    fields = ",".join(lines).split(",")
    return fields[:width], [fields[width + i::width] for i in range(width)]


def _column_wise(columns: list[list[str]], width: int) -> dict | None:
    """The values of a clean file from its body's columns (stripped), in C loops (a
    400,000-line seed), each distinct number parsed once and its Fraction shared; None
    when a value is not a number or a key repeats: the line-by-line pass then reports
    the problem with its line number."""
    for key_column in columns[:-1]:  # one string per distinct key: a 2-D key's tuple keeps its strings
        key_column[:] = map(sys.intern, key_column)
    *keys, raws = columns
    numbers = {raw: _csv_number(raw) for raw in set(raws)}
    if None in numbers.values():
        return None
    values = dict(zip(keys[0] if width == 2 else zip(*keys), map(numbers.__getitem__, raws)))
    return values if len(values) == len(raws) else None


# The plan's own number forms: a scaled amount (`2k`, `1.5亿`) or a percentage, not both.
# Thousands separators only where they group thousands: `1,000`, not `1,5` (a decimal comma).


def _fields_help(row: list[str], width: int) -> str:
    """A row with too many fields: often a number with thousands commas, which CSV splits."""
    extra = row[width - 1:]
    if len(extra) > 1 and extra[0].strip().isdigit() and all(len(f.strip()) == 3 and f.strip().isdigit()
                                                               for f in extra[1:]):
        number = ",".join(f.strip() for f in extra)
        return f'quote a number with thousands commas, `"{number}"`, or write it without: `{number.replace(",", "")}`'
    shape = "name,value" if width == 2 else "row,column,value"
    return f"every line has {width} fields, `{shape}`; quote a field that holds a comma"


def _other_delimiter(header: list[str]) -> tuple[str, str, str] | None:
    """A one-column header that holds `;`, a tab or `|`: the file uses that delimiter."""
    for name, one, char in (("semicolons (`;`)", "`;`", ";"), ("tabs", "tab", "\t"), ("bars (`|`)", "`|`", "|")):
        if char in header[0]:
            return name, one, char
    return None


def _looks_numeric(cell: str) -> bool:
    return _csv_number(cell.strip()) is not None


def _csv_number(raw: str) -> Fraction | None:
    if raw.isascii() and raw.isdigit() and len(raw) < 19:  # the common case, without the general parser
        return Fraction(int(raw))
    text = raw.replace(" ", "")
    if "," in text:
        if not _regex("grouped").fullmatch(text):
            return None
        text = text.replace(",", "")
    if not _regex("csv_number").fullmatch(text):  # the plan's own number forms, nothing more
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
