"""The open plans, kept compiled: debounced checks, watched files, settings.

An edit marks its document dirty and schedules a check after the debounce
delay (`planc.debounce`, in milliseconds); a newer edit moves it later, so a
burst of keystrokes costs one compilation. A request about a dirty document
checks it first, so answers always describe the text the client sent.
Changes to files on disk (`**/*.plan`, `**/*.csv`, `planc.toml`,
`pyproject.toml`), reported by the client's file watcher, check every open
plan again: an import, a CSV file or the lint configuration may have changed.
"""

from __future__ import annotations

import asyncio
import sys
import traceback
from typing import Callable

from lsprotocol import types as lsp

from planc.lsp.documents import DOCS_BASE, Document
from planc.lsp.positions import UTF16

WATCHED = ("**/*.plan", "**/*.csv", "**/planc.toml", "**/pyproject.toml")
DEFAULT_DEBOUNCE_MS = 50


class Documents:
    """The open documents by URI, and when each is to be checked next."""

    def __init__(self, publish: Callable[[Document], None]) -> None:
        self.docs: dict[str, Document] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.publish = publish
        self.debounce = DEFAULT_DEBOUNCE_MS / 1000
        self.encoding = UTF16
        self.checks = 0  # compilations run (the tests count them)

    def open(self, uri: str, text: str, version: int | None) -> Document:
        self.cancel(uri)
        doc = self.docs[uri] = Document(uri, self.encoding)
        doc.text, doc.version = text, version
        self.check(doc)
        return doc

    def change(self, uri: str, text: str, version: int | None) -> None:
        doc = self.docs.get(uri)
        if doc is None:
            return
        doc.text, doc.version = text, version
        self.schedule(doc)

    def close(self, uri: str) -> None:
        self.cancel(uri)
        self.docs.pop(uri, None)

    def get(self, uri: str) -> Document | None:
        """The document, checked if it was edited since its last check."""
        doc = self.docs.get(uri)
        if doc is not None and uri in self.pending:
            self.cancel(uri)
            self.check(doc)
        return doc

    def schedule(self, doc: Document) -> None:
        self.cancel(doc.uri)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (called directly): check now
            self.check(doc)
            return
        self.pending[doc.uri] = loop.call_later(self.debounce, self._due, doc.uri)

    def _due(self, uri: str) -> None:
        self.pending.pop(uri, None)
        doc = self.docs.get(uri)
        if doc is not None:
            self.check(doc)

    def cancel(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

    def check(self, doc: Document) -> None:
        """Compile and publish; a planc bug is logged, never fatal."""
        self.checks += 1
        try:
            doc.update(doc.text, doc.version)
        except Exception:
            print(f"planc lsp: internal error while checking {doc.uri}:\n{traceback.format_exc()}",
                  file=sys.stderr, flush=True)
            return
        self.publish(doc)

    def recheck_all(self) -> None:
        """Files on disk changed: every open plan is checked again (debounced),
        with the lint configuration read afresh."""
        from planc.lint.config import forget

        forget()
        for doc in list(self.docs.values()):
            self.schedule(doc)

    def configure(self, settings: object) -> None:
        """`planc.debounce` (ms) and `planc.docsUrl` from the client's settings."""
        if isinstance(settings, dict) and isinstance(settings.get("planc"), dict):
            settings = settings["planc"]
        if not isinstance(settings, dict):
            return
        delay = settings.get("debounce")
        if isinstance(delay, (int, float)) and not isinstance(delay, bool) and 0 <= delay <= 10_000:
            self.debounce = delay / 1000
        url = settings.get("docsUrl")
        if isinstance(url, str) and url:
            DOCS_BASE[0] = url if url.endswith("/") else url + "/"


def watch_registration() -> lsp.RegistrationParams:
    watchers = [lsp.FileSystemWatcher(glob_pattern=g) for g in WATCHED]
    return lsp.RegistrationParams(registrations=[lsp.Registration(
        id="planc-watched-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))])


def can_watch(capabilities: lsp.ClientCapabilities) -> bool:
    workspace = capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    return bool(watched and watched.dynamic_registration)
