"""The server's wiring: pygls handles JSON-RPC and the LSP life cycle, this
module connects each LSP method to the planc function that answers it.

Handlers run on the event loop, one at a time, so a document is never
compiled and read at once. A planc bug in a handler is a `-32603` reply
with one line (the traceback goes to stderr); a rename that cannot be done
is a `-32803` (RequestFailed) reply whose message the editor shows.
"""

from __future__ import annotations

import functools
import logging
import sys
import traceback

from lsprotocol import types as lsp
from pygls.exceptions import (JsonRpcException, JsonRpcInternalError, JsonRpcInvalidParams, JsonRpcInvalidRequest,
                              JsonRpcMethodNotFound, JsonRpcServerNotInitialized)
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from planc import __version__
from planc.lsp import actions, completion, hover, inlay, navigate, symbols, tokens
from planc.lsp.documents import Document
from planc.lsp.workspace import Documents, can_watch, watch_registration


class RequestFailed(JsonRpcException):
    CODE = -32803


class PlancProtocol(LanguageServerProtocol):
    def _get_handler(self, feature_name):
        """A method that is not a string (`"method": null`) is not found, like any other
        unknown method (pygls would fail building the message)."""
        if not isinstance(feature_name, str):
            raise JsonRpcMethodNotFound(f"Method Not Found: {feature_name!r}")
        return super()._get_handler(feature_name)

    def structure_message(self, data):
        """A request whose id is neither a string nor a number is answered -32600,
        one whose params do not fit its method -32602 naming the field; a
        notification with such params is logged. All three are then dropped."""
        if not (isinstance(data, dict) and "jsonrpc" in data and isinstance(data.get("method"), str)):
            return super().structure_message(data)
        id_ = data.get("id")
        if id_ is not None and (not isinstance(id_, (str, int, float)) or isinstance(id_, bool)):
            self._send_data({"jsonrpc": "2.0", "id": None, "error": {
                "code": JsonRpcInvalidRequest.CODE, "message": "a request id must be a string or a number"}})
            return {}
        try:
            return super().structure_message(data)
        except JsonRpcInvalidParams as exc:
            problem = f"{data['method']}: {field_problem(exc.__cause__)}"
            if "id" in data:
                self._send_data({"jsonrpc": "2.0", "id": id_, "error": {"code": JsonRpcInvalidParams.CODE,
                                                                        "message": problem}})
            else:
                print(f"planc lsp: ignored {problem}", file=sys.stderr, flush=True)
                self.notify(lsp.WINDOW_LOG_MESSAGE, lsp.LogMessageParams(lsp.MessageType.Warning,
                                                                         f"planc: ignored {problem}"))
            return {}

    started = False  # `initialize` has been received

    def handle_message(self, message) -> None:
        """Requests before `initialize` are answered -32002, after `shutdown` -32600."""
        if isinstance(message, dict):  # not a message (dropped above, or not JSON-RPC)
            return
        method, id_ = getattr(message, "method", None), getattr(message, "id", None)
        if method == lsp.INITIALIZE:
            self.started = True
        elif id_ is not None and method is not None and (not self.started or self._shutdown):
            code, words = ((JsonRpcServerNotInitialized.CODE, "the server is not initialized") if not self.started
                           else (JsonRpcInvalidRequest.CODE, "the server is shutting down"))
            self._send_data({"jsonrpc": "2.0", "id": id_, "error": {"code": code, "message": words}})
            return
        super().handle_message(message)


class PlancServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("planc", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
                         protocol_cls=PlancProtocol)
        self.documents = Documents(self.publish)

    def publish(self, doc: Document) -> None:
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=doc.uri, diagnostics=doc.diagnostics(), version=doc.version))

    def text_of(self, uri: str) -> str:
        return self.workspace.get_text_document(uri).source

    def doc(self, params) -> Document | None:
        return self.documents.get(params.text_document.uri)


def field_problem(exc: BaseException | None) -> str:
    """What is wrong with a message's params, in one line: `invalid value @ $.params.position.line`."""
    if exc is None:
        return "invalid params"
    try:
        from cattrs import transform_error

        found = transform_error(exc, path="$")
    except Exception:
        found = []
    return found[0] if found else "invalid params"


def one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def guarded(method: str):
    """A planc bug becomes an error reply of one line; the traceback goes to stderr."""
    def wrap(handler):
        @functools.wraps(handler)
        def run(ls, params):
            try:
                return handler(ls, params)
            except JsonRpcException:
                raise
            except navigate.RenameRefused as exc:
                raise RequestFailed(str(exc)) from None
            except Exception as exc:
                print(f"planc lsp: internal error in {method}:\n{traceback.format_exc()}", file=sys.stderr,
                      flush=True)
                raise JsonRpcInternalError(f"planc failed on {method}: {one_line(exc)}") from None
        return run
    return wrap


def make_server() -> PlancServer:
    server = PlancServer()
    feature = server.feature

    @feature(lsp.INITIALIZE)
    def initialize(ls: PlancServer, params: lsp.InitializeParams) -> None:
        ls.documents.encoding = str(ls.workspace.position_encoding or "utf-16")
        ls.documents.configure(params.initialization_options)

    @feature(lsp.INITIALIZED)
    def initialized(ls: PlancServer, params: lsp.InitializedParams) -> None:
        if can_watch(ls.client_capabilities):
            ls.client_register_capability(watch_registration())

    @feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @guarded(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PlancServer, params: lsp.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        ls.documents.open(item.uri, ls.text_of(item.uri), item.version)

    @feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PlancServer, params: lsp.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.documents.change(uri, ls.text_of(uri), params.text_document.version)

    @feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
    @guarded(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PlancServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.documents.recheck_all()  # a saved import changes the plans that use it

    @feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PlancServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.documents.close(params.text_document.uri)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                          diagnostics=[]))

    @feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: PlancServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        ls.documents.recheck_all()

    @feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def configuration(ls: PlancServer, params: lsp.DidChangeConfigurationParams) -> None:
        ls.documents.configure(params.settings)
        ls.documents.recheck_all()

    @feature(lsp.TEXT_DOCUMENT_HOVER)
    @guarded(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: PlancServer, params: lsp.HoverParams):
        doc = ls.doc(params)
        return hover.hover(doc, params.position) if doc else None

    @feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @guarded(lsp.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls: PlancServer, params: lsp.DefinitionParams):
        doc = ls.doc(params)
        return navigate.definition(doc, params.position) if doc else None

    @feature(lsp.TEXT_DOCUMENT_REFERENCES)
    @guarded(lsp.TEXT_DOCUMENT_REFERENCES)
    def on_references(ls: PlancServer, params: lsp.ReferenceParams):
        doc = ls.doc(params)
        return navigate.references(doc, params.position, params.context.include_declaration) if doc else None

    @feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    def on_prepare_rename(ls: PlancServer, params: lsp.PrepareRenameParams):
        doc = ls.doc(params)
        return navigate.prepare_rename(doc, params.position) if doc else None

    @feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
    @guarded(lsp.TEXT_DOCUMENT_RENAME)
    def on_rename(ls: PlancServer, params: lsp.RenameParams):
        doc = ls.doc(params)
        return navigate.rename(doc, params.position, params.new_name) if doc else None

    @feature(lsp.TEXT_DOCUMENT_DOCUMENT_LINK)
    @guarded(lsp.TEXT_DOCUMENT_DOCUMENT_LINK)
    def on_links(ls: PlancServer, params: lsp.DocumentLinkParams):
        doc = ls.doc(params)
        return navigate.document_links(doc) if doc else []

    @feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(ls: PlancServer, params: lsp.DocumentSymbolParams):
        doc = ls.doc(params)
        return symbols.document_symbols(doc) if doc else []

    @feature(lsp.WORKSPACE_SYMBOL)
    @guarded(lsp.WORKSPACE_SYMBOL)
    def on_workspace_symbols(ls: PlancServer, params: lsp.WorkspaceSymbolParams):
        return symbols.workspace_symbols([ls.documents.get(u) for u in list(ls.documents.docs)], params.query)

    @feature(lsp.TEXT_DOCUMENT_FORMATTING)
    @guarded(lsp.TEXT_DOCUMENT_FORMATTING)
    def on_formatting(ls: PlancServer, params: lsp.DocumentFormattingParams):
        doc = ls.doc(params)
        return symbols.formatting(doc) if doc else []

    @feature(lsp.TEXT_DOCUMENT_RANGE_FORMATTING)
    @guarded(lsp.TEXT_DOCUMENT_RANGE_FORMATTING)
    def on_range_formatting(ls: PlancServer, params: lsp.DocumentRangeFormattingParams):
        doc = ls.doc(params)
        return symbols.range_formatting(doc, params.range) if doc else []

    @feature(lsp.TEXT_DOCUMENT_INLAY_HINT)
    @guarded(lsp.TEXT_DOCUMENT_INLAY_HINT)
    def on_inlay_hints(ls: PlancServer, params: lsp.InlayHintParams):
        doc = ls.doc(params)
        return inlay.inlay_hints(doc, params.range) if doc else []

    @feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[".", "[", '"', ":", "/"]))
    @guarded(lsp.TEXT_DOCUMENT_COMPLETION)
    def on_completion(ls: PlancServer, params: lsp.CompletionParams):
        doc = ls.doc(params)
        return completion.complete(doc, params.position) if doc else None

    @feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    @guarded(lsp.TEXT_DOCUMENT_CODE_ACTION)
    def on_code_action(ls: PlancServer, params: lsp.CodeActionParams):
        doc = ls.doc(params)
        return actions.code_actions(doc, params.range, params.context.diagnostics) if doc else []

    @feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, tokens.LEGEND_OPTIONS)
    @guarded(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL)
    def on_tokens(ls: PlancServer, params: lsp.SemanticTokensParams):
        doc = ls.doc(params)
        return tokens.full(doc) if doc else lsp.SemanticTokens(data=[])

    @feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA)
    @guarded(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA)
    def on_tokens_delta(ls: PlancServer, params: lsp.SemanticTokensDeltaParams):
        doc = ls.doc(params)
        return tokens.delta(doc, params.previous_result_id) if doc else lsp.SemanticTokens(data=[])

    @feature(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    @guarded(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    def on_highlight(ls: PlancServer, params: lsp.DocumentHighlightParams):
        doc = ls.doc(params)
        if doc is None:
            return None
        here = [loc.range for loc in navigate.references(doc, params.position, True) if loc.uri == doc.uri]
        return [lsp.DocumentHighlight(range=r) for r in here]

    return server


MAX_CONTENT_LENGTH = 64 * 1024 * 1024  # bytes in one message body; a larger one is skipped
MAX_HEADER_LINE = 8192  # bytes read at a time while looking for a header


class Guarded:
    """The input stream, read in bounded pieces: a header line at most
    MAX_HEADER_LINE bytes at a time, and a body of more than MAX_CONTENT_LENGTH
    bytes not read at all (it reads as an empty message, which is ignored, and
    the bytes that follow are read as header lines up to the next
    `Content-Length`: the stream resynchronises)."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def readline(self) -> bytes:
        line = self.stream.readline(MAX_HEADER_LINE)
        at = line.find(b"Content-Length:")  # found even after a stray unframed body
        return line[at:] if at > 0 else line

    def read(self, n: int) -> bytes:
        if n > MAX_CONTENT_LENGTH:
            print(f"planc lsp: skipped a message of {n:,} bytes, over the limit of {MAX_CONTENT_LENGTH:,}",
                  file=sys.stderr, flush=True)
            return b"{}"
        return self.stream.read(n)


class OneLine(logging.Formatter):
    """pygls's log records on stderr, one line each: a message that cannot be read is
    the client's problem, not a planc bug, so no traceback."""

    def format(self, record: logging.LogRecord) -> str:
        problem = f": {one_line(record.exc_info[1])}" if record.exc_info and record.exc_info[1] else ""
        return f"planc lsp: {record.getMessage().splitlines()[0][:300]}{problem}"


def quiet_pygls() -> None:
    log = logging.getLogger("pygls")
    if not any(isinstance(h.formatter, OneLine) for h in log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(OneLine())
        log.addHandler(handler)
    log.setLevel(logging.WARNING)
    log.propagate = False


def serve(stdin=None, stdout=None) -> int:
    """Serve on stdin/stdout until `exit`; stray prints go to stderr, not into the protocol."""
    quiet_pygls()
    server = make_server()
    stdin, stdout = Guarded(stdin or sys.stdin.buffer), stdout or sys.stdout.buffer
    saved, sys.stdout = sys.stdout, sys.stderr
    try:
        server.start_io(stdin, stdout)
    except SystemExit as exc:  # `exit`: 0 after `shutdown`, 1 without
        return exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdout = saved
    return 0 if server.protocol._shutdown else 1
