"""The y-axis of the Markdown reports' Mermaid bar charts.

Mermaid's `xychart` starts the axis at the smallest bar and prints the
ticks as bare numbers (`31548000`), which makes small differences look
large and big numbers unreadable. So the axis is given explicitly, from 0
to a round number at or above the tallest bar, and the bars are drawn in a
unit that keeps the ticks short (`M` or `万`), named in the axis title.
Charts are approximate (two decimals of the unit); the tables beside them
are exact.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

import attrs

_UNITS = {
    "en": ((10**9, "B"), (10**6, "M"), (10**3, "k")),
    "zh": ((10**8, "亿"), (10**4, "万")),
}
_STEPS = (1, Fraction(6, 5), Fraction(3, 2), 2, Fraction(5, 2), 3, 4, 5, 6, 8, 10)


@attrs.frozen
class Axis:
    title: str
    divisor: int
    bottom: Fraction
    top: Fraction

    def value(self, amount: Fraction) -> str:
        """A bar's height in the axis unit, to two decimals."""
        return _plain(round(Fraction(amount) / self.divisor, 2))

    @property
    def range(self) -> str:
        return f"{_plain(self.bottom)} --> {_plain(self.top)}"


def chart_axis(amounts: Sequence[Fraction], currency: str | None, lang: str) -> Axis:
    values = [Fraction(a) for a in amounts] or [Fraction(0)]
    peak = max(abs(v) for v in values)
    divisor, unit = 1, ""
    for size, name in _UNITS.get(lang, _UNITS["en"]):
        if peak >= size:
            divisor, unit = size, name
            break
    title = " ".join(filter(None, [currency, f"({unit})" if unit else ""])) or ("amount" if lang == "en" else "金额")
    top = nice_ceiling(max(values) / divisor)
    low = min(values)
    bottom = -nice_ceiling(-low / divisor) if low < 0 else Fraction(0)
    return Axis(title, divisor, bottom, top)


def nice_ceiling(x: Fraction) -> Fraction:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above x (1 for x <= 0)."""
    if x <= 0:
        return Fraction(1)
    scale = Fraction(1)
    while scale * 10 < x:
        scale *= 10
    while scale > x:
        scale /= 10
    for step in _STEPS:
        if step * scale >= x:
            return step * scale
    return 10 * scale  # pragma: no cover (10 is the last step)


def _plain(value: Fraction) -> str:
    """`31.55`, `40`, `0.5`: a number as Mermaid reads it, no separators, no trailing zeros."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text
