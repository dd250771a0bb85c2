"""The HTML charts' geometry, worked out in Python (charts.html.j2 draws it).

A report of a big plan draws hundreds of bar charts (an owner sheet's time
profile, a split's share bar), and Jinja2 arithmetic and filters called per
bar were most of the HTML's rendering time. So each bar's numbers come from
here as ready-made text for SVG (`number`: `12.5`, never `25/2`) in one
plain tuple, and the templates only place them. The values are the same
floats, computed in the same order, as the templates once did themselves.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple, Sequence

BAR_FILL = "#1f4e79"


def number(value: object, places: int = 2) -> str:
    """A float for SVG geometry: `12.5`, never `25/2`."""
    text = f"{float(value):.{places}f}".rstrip("0").rstrip(".")  # type: ignore[arg-type]
    return "0" if text in ("-0", "") else text


def ratio(part: Fraction | int | None, whole: Fraction | int | None) -> float:
    if part is None or not whole:
        return 0.0
    # float(part / whole), correctly rounded either way; whole numbers need no Fraction
    if part.denominator == 1 and whole.denominator == 1:
        return part.numerator / whole.numerator
    return float(part / whole)


class Bar(NamedTuple):
    """One bar of a time profile: its rectangle, the value label above it, the colour, and the
    amount in words (its tooltip) and in short (its label)."""

    name: str
    x: str
    y: str
    width: str
    height: str
    mid: str  # the labels' centre
    top: str  # the value label's baseline
    fill: str
    amount: str
    short: str


def bars(points: Sequence, height: int, t, colours: Sequence[str] | None = None) -> list[Bar]:
    """The bars of a chart `height` high, one slot of the width per point, scaled to the tallest;
    `t` (i18n.Words) writes the amounts."""
    amounts = [p.amount for p in points]
    top = max(amounts) if amounts else 0
    slot = 100 / (len(points) or 1)
    width = number(slot * 0.68)
    out = []
    for i, p in enumerate(points):
        h = max(ratio(p.amount, top) * height, 0)
        x = slot * i
        out.append(Bar(p.name, number(x + slot * 0.16), number(20 + height - h), width, number(h),
                       number(x + slot / 2), number(14 + height - h), colours[i] if colours else BAR_FILL,
                       t.amount(p.amount), t.compact(p.amount)))
    return out


class Segment(NamedTuple):
    """One child's piece of a split's share bar."""

    row: object  # view.Row
    x: str
    width: str
    mid: str  # where its percentage is written, if it is wide enough (`inside`)
    inside: bool


def segments(rows: Sequence, scale: Fraction | None) -> list[Segment]:
    """A share bar's pieces, side by side, as percentages of `scale` (the split's total)."""
    out = []
    x: float = 0
    for r in rows:
        w = max(ratio(r.amount, scale) * 100, 0)
        out.append(Segment(r, number(x), number(w), number(x + w / 2), w >= 9))
        x = x + w
    return out
