"""One unit per table: how a Chinese report writes the amounts of one table.

Chinese finance tables state their unit once (`单位：万元`) and write every
figure of the table in it, so a column never mixes `1.2亿` and `4,004万`.
`table_unit(values, lang, currency)` picks the unit of one table from all the
amounts it shows (None is skipped):

- 亿 when the largest amount is at least 100亿 (10^10), so no figure needs
  more than four digits before the point in 亿 … and no fewer than three in 万;
- 万 when the largest amount is at least 10万 (10^5);
- 元 (the currency's own unit) otherwise.

A unit is used only if every amount of the table is exact in it with at most
four decimals (a whole number of yuan is always exact in 万); otherwise the
next smaller unit is tried, down to 元, where amounts are written as in
English (`format_amount`). All figures of a table have the same number of
decimals, the fewest that keep every one of them exact (`3,154.8`,
`3,600.0`): the figures are the plan's own rounded amounts, only written in
the unit, never rounded again.

English tables keep full amounts with thousands separators and no unit line
(the footer names the currency).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from planc.amounts import format_amount

MAX_PLACES = 4
# (scale, name, the smallest largest-amount that calls for this unit)
_ZH_UNITS = ((10**8, "亿", 10**10), (10**4, "万", 10**5))
_ZH_CURRENCY = {"CNY": "元", "RMB": "元", "USD": "美元", "EUR": "欧元", "HKD": "港元", "JPY": "日元",
                "GBP": "英镑", "TWD": "新台币", "SGD": "新加坡元"}


def _places(value: Fraction, scale: int) -> int | None:
    """The decimals `value` needs in `scale` (None: more than MAX_PLACES)."""
    scaled = value / scale
    for places in range(MAX_PLACES + 1):
        if (scaled * 10**places).denominator == 1:
            return places
    return None


def currency_word(currency: str | None) -> str:
    """`元` for CNY (and a plan without a currency), `美元` for USD, ` XYZ` (the code after
    a space, so `万 XYZ`) otherwise."""
    if not currency:
        return "元"
    return _ZH_CURRENCY.get(currency.upper(), f" {currency}")


class Unit:
    """Formats every amount of one table: `u(value)`; `u.caption` is the unit line
    (`单位：万元`), empty in English."""

    def __init__(self, scale: int = 1, name: str = "", places: int = 0, caption: str = "") -> None:
        self.scale, self.name, self.places, self.caption = scale, name, places, caption

    def __call__(self, value: Fraction | int | None) -> str:
        if value is None:
            return "—"
        if self.scale == 1:  # (an amount is a Fraction already: no copy of it)
            return format_amount(value if type(value) is Fraction else Fraction(value))
        scaled = Fraction(value) * 10**self.places / self.scale
        if scaled.denominator != 1:  # not one of the amounts the unit was chosen for: the figure in full
            return format_amount(Fraction(value))
        sign = "-" if scaled < 0 else ""
        whole, frac = divmod(abs(scaled.numerator), 10**self.places)
        text = f"{sign}{whole:,}"
        return text + (f".{frac:0{self.places}d}" if self.places else "")

    def __repr__(self) -> str:
        return f"Unit({self.scale}, {self.name!r}, places={self.places})"


def _flatten(groups: Iterable) -> list[Fraction]:
    out: list[Fraction] = []
    for group in groups:
        if group is None:
            continue
        if isinstance(group, (Fraction, int)):
            out.append(Fraction(group))
        else:
            out.extend(_flatten(group))
    return out


def table_unit(groups: Iterable, lang: str, currency: str | None = None) -> Unit:
    """The unit of a table showing the amounts in `groups` (amounts, or nested lists of them)."""
    if lang != "zh":
        return Unit()
    values = _flatten(groups)
    top = max((abs(v) for v in values), default=Fraction(0))
    word = currency_word(currency)
    for scale, name, floor in _ZH_UNITS:
        if top < floor:
            continue
        needs = [_places(v, scale) for v in values]
        if all(n is not None for n in needs):
            places = max((n for n in needs if n is not None), default=0)
            return Unit(scale, name, places, f"单位：{name}{word}")
    return Unit(caption=f"单位：{word.strip()}")
