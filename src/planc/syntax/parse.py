"""Text -> AST, through a content-addressed cache.

Parsing is the most expensive step of `planc check` (Lark is pure Python),
so a parsed module is kept in the user's cache, keyed by a BLAKE2 hash of the
planc version, the grammar, the file's name and its text — the way Python
keeps `.pyc` files. A hit needs neither Lark nor the grammar; a miss parses
with `planc.syntax.builder` and stores the result. Only clean parses are cached,
and only an entry whose MAC checks is unpickled (`planc.resources.read_entry`).
Set PLANC_NO_CACHE=1 to switch the cache off, PLANC_CACHE_DIR to move it.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

try:  # the builtin module: `hashlib` loads OpenSSL, which costs start-up time
    from _blake2 import blake2b as _digest
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b as _digest

from planc import __version__
from planc.syntax import ast
from planc.diagnostics import Diagnostic
from planc.resources import cache_dir, cache_subdir, read_entry, resource_dir, write_entry
from planc.source import Source

MAX_CACHED_MODULES = 512  # the oldest entries go beyond this
# A parsed module pickles to about 5 times its text (a 6 MB plan of a million
# targets: 28 MB, each node as `cls(*fields)`, `source.pickled_by_fields`, and a
# split of bare names as their names and places, `bare._split_reduce`);
# entries are authenticated, so the limit only bounds a read.
# Beyond it an entry is neither written nor read (the old 64 MB limit wrote
# entries that were never read: 10 s of pickling on every run of that plan).
MAX_ENTRY = 1 << 30
# An entry costs about half a parse to write and half of one to read (a million targets:
# parse 2.4 s, write 1.1 s, read 1.2 s, on a slow day): a text of this size or more
# is cached the second time it is parsed, so a big plan checked once (a changed
# plan, in pre-commit) never pays for an entry nobody reads.
EAGER_ENTRY = 1 << 18


_GRAMMAR_DIGEST: bytes | None = None


# The modules that build and define the tree: part of every entry's key.
TREE_CODE = ("syntax/builder.py", "syntax/drive.py", "syntax/quick.py", "syntax/ast.py", "syntax/bare.py", "source.py")


def _key(source: Source) -> str:
    global _GRAMMAR_DIGEST
    if _GRAMMAR_DIGEST is None:
        # Whatever shapes the tree is part of the key: the grammar and the
        # modules that build and define it (a changed checkout must not load
        # trees built by older code under the same version number).
        here = Path(__file__).resolve().parent.parent
        h = _digest((resource_dir("grammar") / "planc.lark").read_bytes())
        for module in TREE_CODE:
            h.update((here / module).read_bytes())
        _GRAMMAR_DIGEST = h.digest()
    h = _digest(_GRAMMAR_DIGEST)
    h.update(f"\0{__version__}\0{source.path}\0{source.quoted}\0".encode())
    h.update(source.text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def parse(source: Source, cached: bool = True) -> tuple[ast.Module | None, list[Diagnostic]]:
    """`cached=False`: neither read nor write the cache (an editor's unsaved buffer,
    which changes with every keystroke and would only fill the cache)."""
    folder = cache_dir() if cached else None
    trees = cache_subdir(folder, "ast") if folder else None
    entry = os.path.join(trees, _key(source) + ".pickle") if trees else None
    if folder and entry:
        # Only an entry whose MAC checks is unpickled (unpickling runs code).
        payload = read_entry(folder, entry, MAX_ENTRY)
        if payload is not None:
            try:
                module = pickle.loads(payload)
                if isinstance(module, ast.Module) and module.source.text == source.text:
                    return module, []
            except Exception:  # an entry from other code: parse afresh and overwrite it
                pass
    from planc.syntax.builder import parse_text

    module, diagnostics = parse_text(source)
    if folder and entry and module is not None and (len(source.text) < EAGER_ENTRY or _seen_before(entry)):
        _store(folder, entry, module)
    return module, diagnostics


def _seen_before(entry: str) -> bool:
    """Was this entry's text parsed before (without being cached)? The first time,
    a marker is left in its place (an empty private file); the second time it goes."""
    marker = entry.removesuffix(".pickle") + ".seen"
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        try:
            os.remove(marker)
        except OSError:
            pass
        return True
    except OSError:
        return False  # an unwritable cache: no entry either
    os.close(fd)
    return False


def _store(folder: str, entry: str, module: ast.Module) -> None:
    try:
        payload = pickle.dumps(module, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, RecursionError):
        return  # caching is an optimisation; never fail a check over it
    if len(payload) <= MAX_ENTRY and write_entry(folder, entry, payload):
        try:
            _prune(os.path.dirname(entry))
        except OSError:
            pass


def _prune(folder: str) -> None:
    names = os.listdir(folder)
    if len(names) <= MAX_CACHED_MODULES:
        return
    paths = sorted((os.path.join(folder, n) for n in names), key=lambda p: os.stat(p).st_mtime)
    for path in paths[: len(paths) - MAX_CACHED_MODULES]:
        try:
            os.remove(path)
        except OSError:
            pass
