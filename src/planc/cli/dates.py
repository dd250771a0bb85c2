"""`--as-of DATE` and other dates on the command line: one parser for every command."""

from __future__ import annotations

import argparse
import datetime


def date_argument(text: str) -> datetime.date:
    """An argparse `type=`: YYYY-MM-DD, else a usage error (exit 2)."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a date (YYYY-MM-DD)") from None
