"""Where planc finds its shipped files and keeps its per-user cache."""

from __future__ import annotations

import os
import stat
from pathlib import Path

try:  # the builtin modules: `hashlib` and `hmac` load OpenSSL, which costs start-up time
    from _blake2 import blake2b as _blake2b
    from _operator import _compare_digest
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b as _blake2b
    from hmac import compare_digest as _compare_digest  # type: ignore[no-redef]

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """`grammar` or `stdlib`: inside the wheel, or at the top of a checkout."""
    inside = _PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent.parent / name


def cache_dir() -> str | None:
    """The per-user cache folder, or None when none can be used.

    PLANC_NO_CACHE switches off every cache (parse trees and grammar tables).
    A folder is used only if it is a real folder (not a symbolic link), owned
    by the user and writable by no one else; entries in it are authenticated
    (see `read_entry`). Where the home folder is read-only (some CI runners
    and containers), a private folder in the temporary directory serves instead."""
    if os.environ.get("PLANC_NO_CACHE"):
        return None
    chosen = os.environ.get("PLANC_CACHE_DIR")
    if chosen:
        return _usable(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    found = _usable(os.path.join(base, "planc"))
    if found is None:
        import tempfile

        user = getattr(os, "getuid", lambda: "user")()
        found = _usable(os.path.join(tempfile.gettempdir(), f"planc-cache-{user}"))
    return found


def cache_subdir(folder: str, name: str) -> str | None:
    """`folder/name`, made if need be, under the same checks as the cache folder."""
    return _usable(os.path.join(folder, name))


_SKIPPED: dict[str, None] = {}  # why a cache folder was not used, for `check --verbose`


def skipped_caches() -> list[str]:
    """Why cache folders were skipped in this process (oldest first)."""
    return list(_SKIPPED)


def _skip(folder: str, why: str) -> None:
    _SKIPPED[f"cache folder `{folder}` not used: {why}"] = None


def _usable(folder: str) -> str | None:
    try:
        if not os.path.lexists(folder):
            os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)  # lstat: a symbolic link (say, planted in /tmp) is refused, not followed
    except (OSError, ValueError) as exc:
        _skip(folder, getattr(exc, "strerror", None) or str(exc))
        return None
    why = _unsafe(info, stat.S_ISDIR) or (None if os.access(folder, os.W_OK) else "it is not writable")
    if why:
        _skip(folder, why)
        return None
    return folder


def _unsafe(info: os.stat_result, kind) -> str | None:
    """Why a file is not of the right kind, owned by the user and writable by no one else."""
    if stat.S_ISLNK(info.st_mode):
        return "it is a symbolic link"
    if not kind(info.st_mode):
        return "it is not a folder" if kind is stat.S_ISDIR else "it is not a regular file"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"others may write to it (mode {stat.S_IMODE(info.st_mode):o})"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return "it belongs to another user"
    return None


def _private(info: os.stat_result, kind) -> bool:
    """Of the right kind, owned by the user, writable by no one else."""
    return _unsafe(info, kind) is None


# ---- authenticated entries ---------------------------------------------------------------------
# A cache entry is a pickle, and unpickling runs code: an entry is loaded only
# if its MAC, keyed BLAKE2b with a per-user random key kept 0600 in the cache
# folder, matches. A planted or damaged entry is a cache miss.

_MAC_BYTES = 32
_KEYS: dict[str, bytes] = {}
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def _mac(key: bytes, payload: bytes) -> bytes:
    return _blake2b(payload, key=key, digest_size=_MAC_BYTES, person=b"planc-cache").digest()


def _read_private(path: str, limit: int, secret: bool = False) -> bytes | None:
    """The bytes of a regular file owned by the user and writable by no one else
    (`secret`: nor readable), opened without following a symbolic link; or None."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _BINARY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if not _private(info, stat.S_ISREG) or info.st_size > limit:
            return None
        if secret and os.name == "posix" and info.st_mode & 0o077:
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_private(path: str, data: bytes, exclusive: bool = False) -> bool:
    """Write `data` to a new 0600 file and move it into place (atomically);
    `exclusive`: never replace an existing file."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o600)
        except FileExistsError:  # left by a killed process with our pid
            os.remove(tmp)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if exclusive:
            try:
                os.link(tmp, path)
            except FileExistsError:
                return False
            finally:
                os.remove(tmp)
        else:
            os.replace(tmp, path)
        return True
    except OSError:
        try:
            os.remove(tmp)
        except OSError:
            pass
        return False


def _key(folder: str) -> bytes | None:
    """The cache folder's secret key, made on first use."""
    if folder in _KEYS:
        return _KEYS[folder]
    path = os.path.join(folder, "key")
    key = _read_private(path, _MAC_BYTES, secret=True)
    if key is None and not os.path.lexists(path):
        _write_private(path, os.urandom(_MAC_BYTES), exclusive=True)  # a racing process may win: read back
        key = _read_private(path, _MAC_BYTES, secret=True)
    if key is None or len(key) != _MAC_BYTES:
        _skip(folder, "its `key` file is not a private 32-byte file of yours")
        return None  # someone else's, too open, or damaged: no cache
    _KEYS[folder] = key
    return key


def read_entry(folder: str, path: str, limit: int = 64 * 1024 * 1024) -> bytes | None:
    """The payload of the entry at `path` in the cache `folder` if its MAC is
    right; else None (missing, damaged, planted or not private)."""
    key = _key(folder)
    data = _read_private(path, limit) if key is not None else None
    if key is None or data is None or len(data) < _MAC_BYTES:
        return None
    mac, payload = data[:_MAC_BYTES], data[_MAC_BYTES:]
    return payload if _compare_digest(mac, _mac(key, payload)) else None


def write_entry(folder: str, path: str, payload: bytes) -> bool:
    """Store `payload` at `path` (in the cache `folder`), with its MAC."""
    key = _key(folder)
    return key is not None and _write_private(path, _mac(key, payload) + payload)
