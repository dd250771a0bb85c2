"""Positions and URIs: planc counts characters, LSP counts code units.

LSP positions are a 0-based line and a character offset in the encoding the
client and server agreed on at `initialize` — UTF-16 unless the client
offers another (`Lines(text, encoding)`): a character beyond U+FFFF takes
two UTF-16 units, a Chinese character one UTF-16 unit and three UTF-8 bytes.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Sequence
from urllib.parse import urlparse
from urllib.request import url2pathname

from lsprotocol import types as lsp

UTF16, UTF8, UTF32 = "utf-16", "utf-8", "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """The length of `text` in code units of `encoding`."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _width(ch: str, encoding: str) -> int:
    if encoding == UTF32:
        return 1
    if encoding == UTF8:
        return len(ch.encode("utf-8", "surrogatepass"))
    return 2 if ord(ch) > 0xFFFF else 1


class Lines:
    """Character offsets <-> LSP positions (0-based line, code units of `encoding`)."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text, self.encoding = text, encoding
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, max(0, min(offset, len(self.text)))) - 1

    def position(self, offset: int) -> lsp.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return lsp.Position(line, units(self.text[self.starts[line] : offset], self.encoding))

    def line_end(self, line: int) -> int:
        """The offset of the end of `line` (before its LF or CR LF)."""
        if line >= len(self.starts):
            return len(self.text)
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return end - 1 if end > self.starts[line] and self.text[end - 1] == "\r" else end

    def offset(self, position: lsp.Position) -> int:
        """A position past the end of its line means the end of the line."""
        line, character = position.line, position.character
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[max(0, line)], self.line_end(max(0, line))
        count = 0
        for i in range(start, end):
            if count >= character:
                return i
            count += _width(self.text[i], self.encoding)
        return end

    def range(self, start: int, end: int) -> lsp.Range:
        return lsp.Range(self.position(start), self.position(end))

    def span_range(self, span) -> lsp.Range:
        return self.range(span.start, span.end)


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
    try:
        return real.resolve().as_uri() if real.is_file() else None
    except (OSError, ValueError):
        return None


def common_ends(a: Sequence, b: Sequence) -> tuple[int, int]:
    """How many items `a` and `b` share at their start, then at their end (not
    overlapping the start): what an edit from one to the other leaves alone."""
    head, shortest = 0, min(len(a), len(b))
    while head < shortest and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < shortest - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail
