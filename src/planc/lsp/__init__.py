"""`planc lsp`: a small Language Server over stdio (docs/lsp.md).

JSON-RPC 2.0 with `Content-Length` framing, standard library only. Each open
document is compiled in full on open, change and save; the compilation
answers diagnostics, hover, definition, symbols and formatting. stdout is
the protocol channel: problems go to stderr and `window/logMessage`, and a
planc bug becomes an error reply, never a crash. planc counts characters,
LSP UTF-16 code units: a character beyond U+FFFF takes two (`Lines`).
"""

from __future__ import annotations

import bisect
import json
import os
import re
import sys
import traceback
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse
from urllib.request import url2pathname

import attrs

from planc import __version__
from planc.syntax import ast
from planc.amounts import format_amount, format_percent
from planc.semantics import time
from planc.semantics.concepts import last_year
from planc.semantics.measures import shown
from planc.evaluate.explain import explain_lines
from planc.semantics.model import Table, TargetNode, find_targets
from planc.source import Source, Span

if TYPE_CHECKING:
    from planc.pipeline import Compilation

INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL_ERROR = -32600, -32601, -32602, -32603
SERVER_NOT_INITIALIZED = -32002
SYMBOL_VARIABLE, SYMBOL_NUMBER = 13, 16  # LSP SymbolKind
ZERO_RANGE = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
CAPABILITIES = {
    "textDocumentSync": {"openClose": True, "change": 1, "save": {"includeText": False}},  # 1: full text
    "hoverProvider": True, "definitionProvider": True,
    "documentFormattingProvider": True, "documentSymbolProvider": True,
}

# ---- positions and URIs -----------------------------------------------------------------


def utf16_units(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class Lines:
    """Character offsets <-> LSP positions (0-based line, UTF-16 character)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> dict:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return {"line": line, "character": utf16_units(self.text[self.starts[line] : offset])}

    def offset(self, position: dict) -> int:
        """A position past the end of its line means the end of the line (before CR LF)."""
        line, character = position["line"], position["character"]
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[max(0, line)]
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        units = 0
        for i in range(start, end):
            if units >= character:
                return i
            units += 2 if ord(self.text[i]) > 0xFFFF else 1
        return end

    def range(self, start: int, end: int) -> dict:
        return {"start": self.position(start), "end": self.position(end)}


UNREADABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: no file name, no UTF-8


def readable(text: str) -> str:
    """Text from the client with NUL and lone surrogates (valid in JSON strings,
    not in file names or UTF-8) as U+FFFD, which keeps every position."""
    return UNREADABLE.sub("\ufffd", text)


def uri_to_path(uri: str) -> Path | None:
    """The local file of a `file:` URI; None for other schemes (untitled:, …)
    and for a name no file can have."""
    parsed = urlparse(uri)
    if parsed.scheme != "file" or UNREADABLE.search(url2pathname(parsed.path)):
        return None
    unc = f"//{parsed.netloc}" if parsed.netloc not in ("", "localhost") else ""  # a Windows share
    return Path(unc + url2pathname(parsed.path))


def path_to_uri(path: str) -> str | None:
    """The URI of the file a span names: a real file, or a shipped `std/` module."""
    if path.startswith("std/"):
        from planc.resources import resource_dir

        real = resource_dir("stdlib") / path[4:]
    else:
        real = Path(path)
    return real.resolve().as_uri() if real.is_file() else None


# ---- framing --------------------------------------------------------------------------------

MAX_CONTENT_LENGTH = 64 * 1024 * 1024  # bytes in one message body; a larger one is skipped
MAX_HEADER_LINE = 8192  # bytes read at a time while looking for a header


class ProtocolError(Exception):
    """A message that cannot be read; the server logs it and reads on."""


class InvalidParams(Exception):
    """A request whose params are missing or of the wrong type: -32602."""


def read_message(stream) -> bytes | None:
    """One message body, or None at the end of the input.

    A header block whose `Content-Length` is missing, not a number or over
    MAX_CONTENT_LENGTH raises ProtocolError without reading a body: the bytes
    that follow are read as header lines until the next `Content-Length`
    header (the stream resynchronises on it). Lines are read at most
    MAX_HEADER_LINE bytes at a time, so no input makes this read without bound."""
    length, problem = None, None
    while True:
        line = stream.readline(MAX_HEADER_LINE)
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        at = line.find(b"Content-Length:")  # found even after a stray unframed body
        if at != -1:
            value = line[at + 15 :].strip()
            length, problem = None, None
            if not (value.isdigit() and len(value) <= 20):
                problem = f"a Content-Length that is not a number: {value[:40]!r}"
            elif int(value) > MAX_CONTENT_LENGTH:
                problem = f"a Content-Length of {int(value):,} bytes, over the limit of {MAX_CONTENT_LENGTH:,}"
            else:
                length = int(value)
    if length is None:
        raise ProtocolError(problem or "a message without a valid Content-Length header")
    body = stream.read(length)
    return body if len(body) == length else None


def write_message(stream, payload: dict) -> None:
    try:
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    except RecursionError:  # the symbols of splits nested thousands deep
        text = dumps_deep(payload)
    # A lone surrogate (from the client's own JSON) can only be inside a string: escaped as `\udxxx`.
    body = text.encode("utf-8", "backslashreplace")
    stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stream.flush()


def dumps_deep(value) -> str:
    """JSON like json.dumps, for values nested deeper than its recursion allows."""
    out: list[str] = []
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Token):
            out.append(item)
        elif isinstance(item, dict):
            parts: list[object] = [Token("{")]
            for i, (key, inner) in enumerate(item.items()):
                parts += [Token(("," if i else "") + json.dumps(str(key), ensure_ascii=False) + ":"), inner]
            stack.extend(reversed(parts + [Token("}")]))
        elif isinstance(item, (list, tuple)):
            parts = [Token("[")]
            for i, inner in enumerate(item):
                parts += [Token(","), inner] if i else [inner]
            stack.extend(reversed(parts + [Token("]")]))
        else:
            out.append(json.dumps(item, ensure_ascii=False))
    return "".join(out)


class Token(str):
    """Punctuation already written as JSON (for dumps_deep)."""


def field(params, *keys, kind: type | None = None):
    """params[k1][k2]…, or an invalid-params error naming what is missing or
    not of the `kind` expected (a string key needs an object, a number an array)."""
    name = ".".join(map(str, keys))
    try:
        for key in keys:
            if not isinstance(params, dict if isinstance(key, str) else list):
                raise TypeError
            params = params[key]
    except (KeyError, TypeError, IndexError):
        raise InvalidParams(f"missing `{name}`") from None
    if kind is not None and (not isinstance(params, kind) or isinstance(params, bool)):
        raise InvalidParams(f"`{name}` must be {KINDS[kind]}")
    return params


KINDS = {str: "a string", int: "an integer", dict: "an object", list: "an array"}


def position_of(params) -> dict:
    """The request's `position`, its line and character whole numbers >= 0."""
    position = field(params, "position", kind=dict)
    for key in ("line", "character"):
        if field(position, key, kind=int) < 0:
            raise InvalidParams(f"`position.{key}` must not be negative")
    return position


def one_line(exc: BaseException) -> str:
    """An exception for a reply or the client's log: its class and first line, short."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


# ---- documents ------------------------------------------------------------------------------


class Document:
    """An open document and its compilation. A `file:` document compiles as
    that file (imports and CSV files relative to its folder)."""

    def __init__(self, uri: str) -> None:
        self.uri, local = uri, uri_to_path(uri)
        self.path = str(local) if local else readable(urlparse(uri).path.rsplit("/", 1)[-1] or "<input>")
        self.directory = local.parent if local else None
        self.text, self.version, self.lines = "", None, Lines("")
        self.result: Compilation | None = None

    def update(self, text: str, version=None) -> None:
        from planc.pipeline import compile_text

        self.text, self.version, self.lines, self.result = text, version, Lines(text), None
        self.result = compile_text(readable(text), self.path, self.directory)

    @property
    def module(self) -> ast.Module | None:
        modules = self.result.program.modules if self.result else ()
        return modules[0] if modules and modules[0].source.path == self.path else None

    def shown(self, path: str) -> str:
        """Another file's name, relative to this document's folder when it is inside it."""
        inside = self.directory and os.path.isabs(path) and Path(path).is_relative_to(self.directory)
        return os.path.relpath(path, self.directory) if inside else path

    def diagnostic(self, d) -> dict:
        """A planc Diagnostic as an LSP one; another file's problem is shown at 0:0."""
        message, where = d.message, ZERO_RANGE
        if d.span is not None and d.span.source.path == self.path:
            where = self.lines.range(d.span.start, d.span.end)
        elif d.file not in (self.path, "<input>"):  # an import, planc.toml
            place = self.shown(d.file) + (f":{d.line}:{d.column}" if d.span is not None else "")
            message = f"{place}: {message}"
        for note in d.notes:
            message += f"\nnote: {note}"
        if d.help:
            message += f"\nhelp: {d.help}"
        out = {"range": where, "severity": 1 if d.is_error else 2, "code": d.code,
               "source": "planc", "message": message}
        related = [r for r in map(self.related, d.related) if r is not None]
        if related:
            out["relatedInformation"] = related
        return out

    def related(self, label) -> dict | None:
        """A secondary label as LSP relatedInformation (None if its file has no URI)."""
        span = label.span
        here = span.source.path == self.path
        uri = self.uri if here else path_to_uri(span.source.path)
        if uri is None:
            return None
        lines = self.lines if here else Lines(span.source.text)
        return {"location": {"uri": uri, "range": lines.range(span.start, span.end)}, "message": label.message}


# ---- what is under the cursor ------------------------------------------------------------


def names_in(module: ast.Module) -> list[tuple[Span, ast.Ref | str]]:
    """Every name a module uses, with its span: references (expressions, split
    parents, cross seeds) and the table names of `weight(T: 60%)` arguments."""
    out: list[tuple[Span, ast.Ref | str]] = []
    stack: list = list(module.statements)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Ref):
            out.append((node.span, node))
            continue
        if isinstance(node, ast.WeightArg) and node.table:
            start = node.span.start  # the argument starts with the table's name
            out.append((Span(node.span.source, start, start + len(node.table)), node.table))
        if isinstance(node, (tuple, list)):
            stack.extend(node)
        elif attrs.has(type(node)) and not isinstance(node, (Span, Source)):
            stack.extend(getattr(node, f.name) for f in attrs.fields(type(node)))
    return out


def meaning_of(model, name: ast.Ref | str):
    """A TargetNode, a Table, a table value (Fraction) or None."""
    if isinstance(name, str):
        return model.tables.get(name)
    hit = model.refs.get(id(name))
    if hit is not None:
        return hit
    table = model.tables.get(name.parts[0])
    if table is not None and len(name.parts) == 1:
        return table
    found = find_targets(model, name.dotted)
    return found[0] if len(found) == 1 else None


def thing_at(doc: Document, offset: int):
    """(span under the cursor, what it means, the Ref or None), or None."""
    model = doc.result.model if doc.result else None
    if model is None or doc.module is None:
        return None
    for node in model.targets.values():
        span = node.span
        if span is not None and span.source.path == doc.path and span.start <= offset <= span.end:
            return span, node, None
    for span, name in names_in(doc.module):
        if span.start <= offset <= span.end:
            meaning = meaning_of(model, name)
            return (span, meaning, name if isinstance(name, ast.Ref) else None) if meaning is not None else None
    return None


# ---- hover and symbols ---------------------------------------------------------------------


def md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|~])", r"\\\1", text)


def describe_target(result, node: TargetNode) -> str:
    ev, currency = result.evaluation, result.model.header.currency or ""
    head = f"**{md(node.path)}**" + (f" — {md(node.label)}" if node.label else "")
    value = ev.values.get(node.path) if ev else None
    if value is None:
        return f"{head}\n\nnot evaluated (see the plan's errors)"
    facts = []
    how = ev.derivations.get(node.path)
    if how is not None:  # the evaluator's record of how the amount was made, in full
        facts += explain_lines(how, code=lambda text: f"`{text}`")
    parent = ev.values.get(node.parent.path) if node.parent else None
    if parent and node.parent is not None and ev.units.get(node.path) == ev.units.get(node.parent.path):
        facts.append(f"share of {md(node.parent.path)}: {format_percent(value / parent)}")
    facts += concept_facts(result, node, value)
    settings = sorted(node.attributes.values(), key=lambda s: (s.key != "owner", s.key != "status"))
    facts += [f"{s.key}: {md(str(s.value) if s.kind in ('string', 'name') else s.text)}" for s in settings]
    if node.aliases:
        facts.append("also: " + ", ".join(md(a) for a in node.aliases))
    unit = shown(result.model.measures, ev.units, node.path) if ev else None  # a count's measure, not money
    amount = f"**{format_amount(value)}** {unit or currency}".rstrip()
    return "\n\n".join([head, amount] + (["\n".join(f"- {f}" for f in facts)] if facts else []))


def concept_facts(result, node: TargetNode, value: Fraction) -> list[str]:
    """What the plan concepts say of a target: the dates it covers, last year's figure."""
    facts = []
    period = result.model.header.period
    if period is not None and time.time_coordinates(node, period):
        first, last = time.coverage(node, period)
        facts.append(f"covers {first.isoformat()} – {last.isoformat()}")
    before = last_year(result.model, result.history_tables).get(node.path)
    if before is not None:
        growth = f" ({'+' if value > before else ''}{format_percent(value / before - 1)})" if before > 0 else ""
        facts.append(f"last year: {format_amount(before)}{growth}")
    return facts


def describe(result, meaning, ref: ast.Ref | None) -> str:
    if isinstance(meaning, TargetNode):
        return describe_target(result, meaning)
    if isinstance(meaning, Table):
        shown = [(k if isinstance(k, str) else ".".join(k), v) for k, v in meaning.values.items()]
        rows = "\n".join(f"- {md(k)}: {format_amount(v)}" for k, v in shown[:12])
        more = f"\n- … {len(shown) - 12} more" if len(shown) > 12 else ""
        return f"table **{md(meaning.name)}** ({len(shown)} values)\n\n{rows}{more}"
    assert ref is not None  # a table value is always reached through a reference
    return f"**{md(ref.dotted)}** = **{format_amount(meaning)}** (a value of table `{ref.parts[0]}`)"


def symbols(doc: Document, root: TargetNode) -> list[dict]:
    """The node as a DocumentSymbol with its children; a node declared
    elsewhere (an import, a cross cell) hands its children up. Iterative,
    children before parents: a split chain can be thousands deep."""
    order, stack = [], [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend([c for split in node.splits for c in split.children] + list(node.cells))
    made: dict[int, list[dict]] = {}
    for node in reversed(order):
        kids = [s for split in node.splits for c in split.children for s in made.pop(id(c))]
        kids += [s for cell in node.cells for s in made.pop(id(cell))]
        made[id(node)] = _symbol(doc, node, kids)
    return made[id(root)]


def _symbol(doc: Document, node: TargetNode, kids: list[dict]) -> list[dict]:
    span, decl, result = node.span, node.decl, doc.result
    if span is None or decl is None or result is None or result.model is None or span.source.path != doc.path:
        return kids
    ev = result.evaluation
    value = ev.values.get(node.path) if ev else None
    currency = (shown(result.model.measures, ev.units, node.path) if ev else None) or result.model.header.currency or ""
    return [{"name": node.name, "detail": f"{format_amount(value)} {currency}".rstrip() if value is not None else "",
             "kind": SYMBOL_NUMBER if value is not None else SYMBOL_VARIABLE,
             "range": doc.lines.range(decl.span.start, decl.span.end),
             "selectionRange": doc.lines.range(span.start, span.end), "children": kids}]


# ---- the server -------------------------------------------------------------------------------


class Server:
    def __init__(self, reader, writer) -> None:
        self.reader, self.writer = reader, writer
        self.docs: dict[str, Document] = {}
        self.initialized = self.shutting_down = False
        self.requests = {"initialize": self.initialize, "shutdown": self.shutdown,
                         "textDocument/hover": self.hover, "textDocument/definition": self.definition,
                         "textDocument/formatting": self.formatting,
                         "textDocument/documentSymbol": self.document_symbol}
        self.notifications = {"textDocument/didOpen": self.did_open, "textDocument/didChange": self.did_change,
                              "textDocument/didSave": self.did_save, "textDocument/didClose": self.did_close}

    def run(self) -> int:
        """Serve until `exit` (0 after `shutdown`, 1 otherwise) or the end of
        the input. Nothing else ends it: a message that cannot be read is
        logged and skipped, and a planc bug is logged and served on."""
        while True:
            try:
                body = read_message(self.reader)
            except ProtocolError as exc:
                self.log(2, f"ignored a message that cannot be read: {exc}")
                continue
            if body is None:
                break
            message = self.decode(body)
            if message is None:
                continue
            if message.get("method") == "exit":
                break
            try:
                self.dispatch(message)
            except Exception:  # a planc bug outside a handler (calls catch their own)
                print(f"planc lsp: internal error:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
        return 0 if self.shutting_down else 1

    def decode(self, body: bytes) -> dict | None:
        """A message body as a JSON object, or None (logged) if it is not one."""
        try:
            message = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            problem = str(exc)
        except RecursionError:  # deeper than Python's JSON decoder goes (about 1,000 levels)
            problem = "JSON nested too deeply"
        else:
            if isinstance(message, dict):
                return message
            problem = "not a JSON object"
        self.log(2, f"ignored a message that cannot be read: {problem}")
        return None

    def dispatch(self, message: dict) -> None:
        method, params, id_ = message.get("method"), message.get("params"), message.get("id")
        params = {} if params is None else params
        if id_ is not None and (not isinstance(id_, (str, int, float)) or isinstance(id_, bool)):
            self.error(None, INVALID_REQUEST, "a request id must be a string or a number")
        elif "id" not in message:  # a notification: never answered
            if self.initialized and method in self.notifications:
                self.call(method, self.notifications[method], params, None)
        elif not isinstance(method, str):  # a response (this server asks nothing) or nonsense
            if "result" not in message and "error" not in message:
                self.error(id_, INVALID_REQUEST, "a request needs a method")
        elif method not in self.requests:
            self.error(id_, METHOD_NOT_FOUND, f"unknown method `{method}`")
        elif not self.initialized and method != "initialize":
            self.error(id_, SERVER_NOT_INITIALIZED, "the server is not initialized")
        elif self.shutting_down:
            self.error(id_, INVALID_REQUEST, "the server is shutting down")
        else:
            self.call(method, self.requests[method], params, id_)

    def call(self, method: str, handler, params, id_) -> None:
        """Run a handler; answer a request (id_ not None) with its result or an error."""
        try:
            reply = {"result": handler(params)}
        except InvalidParams as exc:
            self.log(2, f"{method}: {exc}")
            reply = {"error": {"code": INVALID_PARAMS, "message": str(exc)}}
        except Exception as exc:  # a planc bug: the traceback to stderr, one line to the client
            print(f"planc lsp: internal error in {method}:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
            self.log(1, f"internal error in {method}: {one_line(exc)}", echo=False)
            reply = {"error": {"code": INTERNAL_ERROR, "message": f"planc failed on {method}: {one_line(exc)}"}}
        if id_ is not None:
            try:
                self.send(id=id_, **reply)
            except Exception as exc:  # a result that cannot be sent (a planc bug): say so instead
                print(f"planc lsp: cannot send the reply to {method}:\n{traceback.format_exc()}",
                      file=sys.stderr, flush=True)
                self.error(id_, INTERNAL_ERROR, f"planc failed on {method}: {one_line(exc)}")

    def send(self, **message) -> None:
        write_message(self.writer, {"jsonrpc": "2.0", **message})

    def notify(self, method: str, params: dict) -> None:
        self.send(method=method, params=params)

    def error(self, id_, code: int, message: str) -> None:
        self.send(id=id_, error={"code": code, "message": message})

    def log(self, kind: int, message: str, echo: bool = True) -> None:
        """To stderr and to the client's log (kind 1 error, 2 warning)."""
        if echo:
            print(f"planc lsp: {message}", file=sys.stderr, flush=True)
        self.notify("window/logMessage", {"type": kind, "message": f"planc: {message}"})

    # ---- lifecycle and documents
    def initialize(self, params) -> dict:
        self.initialized = True
        return {"capabilities": CAPABILITIES, "serverInfo": {"name": "planc", "version": __version__}}

    def shutdown(self, params) -> None:
        self.shutting_down = True

    def did_open(self, params) -> None:
        uri, text = field(params, "textDocument", "uri", kind=str), field(params, "textDocument", "text", kind=str)
        doc = self.docs[uri] = Document(uri)
        doc.update(text, params["textDocument"].get("version"))
        self.publish(doc)

    def did_change(self, params) -> None:
        doc = self.document(params)
        if doc is not None and field(params, "contentChanges", kind=list):
            doc.update(field(params, "contentChanges", -1, "text", kind=str), params["textDocument"].get("version"))
            self.publish(doc)

    def did_save(self, params) -> None:
        uri = field(params, "textDocument", "uri", kind=str)
        text = field(params, "text", kind=str) if params.get("text") is not None else None
        for doc in list(self.docs.values()):  # a saved import changes the plans that use it
            doc.update(text if text is not None and doc.uri == uri else doc.text, doc.version)
            self.publish(doc)

    def did_close(self, params) -> None:
        uri = field(params, "textDocument", "uri", kind=str)
        self.docs.pop(uri, None)
        self.notify("textDocument/publishDiagnostics", {"uri": uri, "diagnostics": []})

    def document(self, params) -> Document | None:
        return self.docs.get(field(params, "textDocument", "uri", kind=str))

    def publish(self, doc: Document) -> None:
        diags: list[dict] = [doc.diagnostic(d) for d in doc.result.diagnostics] if doc.result else []
        version: dict[str, int] = {"version": doc.version} if isinstance(doc.version, int) else {}
        self.notify("textDocument/publishDiagnostics", {"uri": doc.uri, **version, "diagnostics": diags})

    # ---- language features
    def found(self, params):
        """(document, what is under the cursor) or (None, None)."""
        doc, position = self.document(params), position_of(params)
        if doc is None or doc.result is None:
            return None, None
        return doc, thing_at(doc, doc.lines.offset(position))

    def hover(self, params) -> dict | None:
        doc, found = self.found(params)
        if found is None:
            return None
        span, meaning, ref = found
        return {"contents": {"kind": "markdown", "value": describe(doc.result, meaning, ref)},
                "range": doc.lines.range(span.start, span.end)}

    def definition(self, params) -> dict | None:
        doc, found = self.found(params)
        if found is None:
            return None
        _, meaning, ref = found
        if isinstance(meaning, TargetNode):
            span = meaning.span
        else:  # a table, or one of its values
            table = meaning if isinstance(meaning, Table) else doc.result.model.tables.get(ref.parts[0])
            span = table.span if table is not None else None
        if span is None:
            return None
        uri = doc.uri if span.source.path == doc.path else path_to_uri(span.source.path)
        return {"uri": uri, "range": Lines(span.source.text).range(span.start, span.end)} if uri else None

    def formatting(self, params) -> list[dict]:
        from planc.fmt import format_text

        doc = self.document(params)
        if doc is None:
            return []
        formatted = format_text(doc.text, doc.path)[0]
        if formatted is None or formatted == doc.text:
            return []
        return [{"range": doc.lines.range(0, len(doc.text)), "newText": formatted}]

    def document_symbol(self, params) -> list[dict]:
        doc = self.document(params)
        model = doc.result.model if doc and doc.result else None
        return [s for root in model.roots for s in symbols(doc, root)] if doc and model else []


def serve(reader=None, writer=None) -> int:
    """Run the server on stdin/stdout; stray prints go to stderr, not into the protocol."""
    reader, writer = reader or sys.stdin.buffer, writer or sys.stdout.buffer
    saved, sys.stdout = sys.stdout, sys.stderr
    try:
        return Server(reader, writer).run()
    finally:
        sys.stdout = saved
