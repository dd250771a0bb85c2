"""Where planc finds its shipped files and keeps its per-user cache."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """`grammar` or `stdlib`: inside the wheel, or at the top of a checkout."""
    inside = _PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent.parent / name


def cache_dir(parse_cache: bool = False) -> str | None:
    """The per-user cache folder, or None when none can be used.
    PLANC_NO_CACHE switches off the parse cache, not the grammar tables.
    Where the home folder is read-only (some CI runners and containers), a
    private folder in the temporary directory serves instead."""
    if parse_cache and os.environ.get("PLANC_NO_CACHE"):
        return None
    chosen = os.environ.get("PLANC_CACHE_DIR")
    if chosen:
        return _usable(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    found = _usable(os.path.join(base, "planc"))
    if found is None:
        import tempfile

        user = getattr(os, "getuid", lambda: "user")()
        found = _usable(os.path.join(tempfile.gettempdir(), f"planc-cache-{user}"), private=True)
    return found


def _usable(folder: str, private: bool = False) -> str | None:
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if private and hasattr(os, "getuid") and os.stat(folder).st_uid != os.getuid():
            return None  # someone else's folder in a shared /tmp: never load their pickles
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
