"""Compiled report templates, kept in the user's cache like parsed plans.

Jinja2 compiles each template to Python on first use in a process; for a
small plan that was most of `planc build` (about 155 ms of 366 ms). The
compiled code is stored in planc's cache folder (`resources.cache_dir`),
keyed by planc's and Jinja2's versions, the environment (HTML and Markdown
compile the same file differently) and the template's name; Jinja2 itself
checks the template source's checksum and Python's bytecode version before
using an entry. Entries are authenticated like every cache entry (a MAC is
checked before the code is loaded), and PLANC_NO_CACHE=1 switches this off.
"""

from __future__ import annotations

import os

import jinja2
from jinja2.bccache import Bucket

from planc import __version__
from planc.resources import cache_dir, cache_subdir, read_entry, write_entry

try:  # the builtin module: `hashlib` loads OpenSSL
    from _blake2 import blake2b as _digest
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b as _digest


class TemplateCache(jinja2.BytecodeCache):
    """One environment's compiled templates (`tag` names the environment)."""

    def __init__(self, tag: str) -> None:
        self.tag = tag

    def _entry(self, bucket: Bucket) -> tuple[str, str] | None:
        folder = cache_dir()
        templates = cache_subdir(folder, "templates") if folder else None
        if not folder or not templates:
            return None
        key = f"{__version__}\0{jinja2.__version__}\0{self.tag}\0{bucket.key}".encode()
        return folder, os.path.join(templates, _digest(key).hexdigest()[:40] + ".jinja")

    def load_bytecode(self, bucket: Bucket) -> None:
        entry = self._entry(bucket)
        payload = read_entry(*entry) if entry else None
        if payload is not None:
            bucket.bytecode_from_string(payload)  # Jinja2 drops it if the source or Python changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        entry = self._entry(bucket)
        if entry:
            write_entry(*entry, bucket.bytecode_to_string())
