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
    """The per-user cache folder, or None when it cannot be used.
    PLANC_NO_CACHE switches off the parse cache, not the grammar tables."""
    if parse_cache and os.environ.get("PLANC_NO_CACHE"):
        return None
    folder = os.environ.get("PLANC_CACHE_DIR")
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "planc")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
