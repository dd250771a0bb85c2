"""A real LSP client (pygls's LanguageClient) driving `planc lsp --stdio` in a
subprocess, with a synchronous face for the tests and the benchmark.

The client's event loop runs in a thread; `Session.request("text_document_hover",
params)` sends a request and waits for its reply, `Session.notify(...)` sends a
notification, and `Session.diagnostics_for(uri, version)` waits until the server
has published the diagnostics of that version of a document.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

SRC = Path(__file__).resolve().parent.parent / "src"


class Session:
    def __init__(self, root: Path, initialization_options=None, encodings=None, watch: bool = True,
                 env: dict | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = LanguageClient("planc-tests", "1")
        self.published: dict[str, list[lsp.PublishDiagnosticsParams]] = {}
        self.registrations: list[lsp.Registration] = []
        self.logs: list[str] = []
        self.stderr = bytearray()
        self.changed = threading.Condition()
        self._connect()
        environment = {**os.environ, "PYTHONPATH": str(SRC), "PLANC_NO_CACHE": "1", **(env or {})}
        self.run(self.client.start_io(sys.executable, "-m", "planc", "lsp", "--stdio", env=environment,
                                      cwd=str(root)))
        self.loop.call_soon_threadsafe(self._drain_stderr)
        general = lsp.GeneralClientCapabilities(position_encodings=encodings) if encodings else None
        capabilities = lsp.ClientCapabilities(
            general=general,
            workspace=lsp.WorkspaceClientCapabilities(
                did_change_watched_files=lsp.DidChangeWatchedFilesClientCapabilities(dynamic_registration=watch)))
        self.initialize = self.run(self.client.initialize_async(lsp.InitializeParams(
            capabilities=capabilities, root_uri=root.as_uri(), initialization_options=initialization_options)))
        self.notify("initialized", lsp.InitializedParams())

    def _connect(self) -> None:
        client = self.client

        @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            with self.changed:
                self.published.setdefault(params.uri, []).append(params)
                self.changed.notify_all()

        @client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
        def registered(params: lsp.RegistrationParams) -> None:
            with self.changed:
                self.registrations += params.registrations
                self.changed.notify_all()

        @client.feature(lsp.WINDOW_LOG_MESSAGE)
        def logged(params: lsp.LogMessageParams) -> None:
            self.logs.append(params.message)

    def _drain_stderr(self) -> None:
        stream = self.client._server.stderr  # type: ignore[union-attr]

        async def drain() -> None:
            while chunk := await stream.read(65536):
                self.stderr += chunk
        self.loop.create_task(drain())

    def run(self, coroutine, timeout: float = 60):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def request(self, method: str, params, timeout: float = 60):
        return self.run(getattr(self.client, f"{method}_async")(params), timeout)

    def notify(self, method: str, params) -> None:
        done = threading.Event()

        def send() -> None:
            getattr(self.client, method)(params)
            done.set()
        self.loop.call_soon_threadsafe(send)
        done.wait(10)

    # ---- documents
    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify("text_document_did_open", lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="plan", version=version, text=text)))

    def replace(self, uri: str, text: str, version: int) -> None:
        """A whole-text change."""
        self.notify("text_document_did_change", lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [lsp.TextDocumentContentChangeWholeDocument(text=text)]))

    def edit(self, uri: str, version: int, start: tuple[int, int], end: tuple[int, int], text: str) -> None:
        """An incremental change of a range."""
        where = lsp.Range(lsp.Position(*start), lsp.Position(*end))
        self.notify("text_document_did_change", lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [lsp.TextDocumentContentChangePartial(range=where, text=text)]))

    def diagnostics_for(self, uri: str, version: int | None = None, count: int = 1,
                        timeout: float = 60) -> list[lsp.Diagnostic]:
        """The diagnostics of `version` (the `count`-th publication of it), waiting for them."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = [p for p in self.published.get(uri, []) if version is None or p.version == version]
                if len(found) >= count:
                    return list(found[count - 1].diagnostics)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no diagnostics for {uri} version {version}")
                self.changed.wait(left)

    def publications(self, uri: str) -> int:
        with self.changed:
            return len(self.published.get(uri, []))

    def wait_publications(self, uri: str, count: int, timeout: float = 60) -> list[lsp.Diagnostic]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.published.get(uri, [])) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{uri}: fewer than {count} publications")
                self.changed.wait(left)
            return list(self.published[uri][count - 1].diagnostics)

    def close(self) -> int | None:
        try:
            self.request("shutdown", None, timeout=20)
            self.notify("exit", None)
            self.run(self.client.stop(), timeout=20)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
        server = self.client._server
        return server.returncode if server is not None else None


def position(text: str, needle: str, nth: int = 0, delta: int = 0) -> lsp.Position:
    """The UTF-16 position of the `nth` occurrence of `needle` (plus `delta` characters)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    before = text[start:at]
    return lsp.Position(line, len(before) + sum(1 for ch in before if ord(ch) > 0xFFFF))
