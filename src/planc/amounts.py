"""Number literals and how amounts are written back for people.

Kept apart from the parser so messages, reports and the evaluator format
amounts one way: thousands separators, exact, never a float.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Iterable

SCALES = {"k": 10**3, "M": 10**6, "B": 10**9, "万": 10**4, "亿": 10**8}

# Amounts beyond this are almost certainly typos (an extra suffix or zeros)
# and would make reports unreadable; the parser rejects them.
MAX_AMOUNT = Fraction(10) ** 18
# Computed values are bounded too (language.md, "Exact arithmetic"): every
# amount by MAX_AMOUNT, a step inside an expression by MAX_AMOUNT squared, and
# every value's denominator by 2^256, so a chain of squarings or of fractions
# stops with E039 at the first step too large instead of growing without end.
MAX_STEP = MAX_AMOUNT**2
MAX_DENOMINATOR_BITS = 256


def out_of_range(value: Fraction, limit: Fraction = MAX_AMOUNT) -> bool:
    n, d = value.numerator, value.denominator  # |n/d| > limit, in integers (d > 0)
    return d.bit_length() > MAX_DENOMINATOR_BITS or abs(n) * limit.denominator > limit.numerator * d


def describe_size(value: Fraction) -> str:
    """How far out of range a value is, in words that never overflow."""
    if value.denominator.bit_length() > MAX_DENOMINATOR_BITS:
        return f"needs a denominator of about 10^{_digits(value.denominator) - 1}"
    if abs(value) <= _PRINTABLE:
        return f"comes to {format_amount(value)}"
    return f"comes to about {'-' if value < 0 else ''}10^{_digits(abs(value.numerator) // value.denominator) - 1}"


def _digits(n: int) -> int:
    # log10 from the bit length: str() of a huge integer is slow or refused.
    return max(1, int(n.bit_length() * 0.30103) + 1) if n.bit_length() > 3000 else len(str(n))

# The `schema_version` of every JSON output (eval, check, build, track, diff);
# raised only when a key is removed or changes meaning (docs/schemas/).
JSON_SCHEMA_VERSION = "1"


def parse_number(text: str) -> Fraction:
    """`120_000_000`, `1.5`, `120M`, `1.2亿`, `20%` (as 20) -> exact value."""
    text = text.rstrip("%")
    if len(text) > 40:  # far beyond MAX_AMOUNT; also keeps int() within its digit limit
        raise ValueError(f"number too long: {len(text)} characters")
    scale = 1
    if text and text[-1] in SCALES:
        scale = SCALES[text[-1]]
        text = text[:-1]
    return Fraction(text.replace("_", "")) * scale


def format_amount(value: Fraction | int) -> str:
    """126000000 -> '126,000,000'; 1/3 -> '0.333333'; never scientific."""
    if type(value) is int or (type(value) is Fraction and value.denominator == 1):
        whole = value if type(value) is int else value.numerator
        if -_PRINTABLE_INT <= whole <= _PRINTABLE_INT:  # the common case, without Fraction arithmetic
            return f"{whole:,}"
    value = Fraction(value)
    if abs(value) > _PRINTABLE:  # only in a message about a value out of range
        return f"{'-' if value < 0 else ''}10^{_digits(abs(value.numerator) // value.denominator) - 1}"
    if value.denominator == 1:
        return f"{value.numerator:,}"
    # Display only: six decimals are plenty for a non-whole amount.
    return f"{float(value):,.6f}".rstrip("0").rstrip(".")


def amount_width(values: Iterable[Fraction | int]) -> int:
    """`max(len(format_amount(v)) for v in values)` (0 for none), without keeping the
    texts: for whole amounts from the largest and the smallest alone (a whole amount's
    text grows with its size), so a table of 400,000 amounts formats each once."""
    high = low = None
    rest: list[Fraction | int] = []  # amounts not whole, or beyond the plain format
    for value in values:
        whole = value if type(value) is int else value.numerator if value.denominator == 1 else None
        if whole is None or not -_PRINTABLE_INT <= whole <= _PRINTABLE_INT:
            rest.append(value)
        elif high is None or low is None:
            high = low = whole
        elif whole > high:
            high = whole
        elif whole < low:
            low = whole
    ends = [] if high is None or low is None else [high, low]
    return max(map(len, map(format_amount, [*ends, *rest])), default=0)


def format_percent(ratio: Fraction) -> str:
    """0.2 -> '20%'; 1.05 -> '105%'; 1/3 -> '33.3%'."""
    pct = ratio * 100
    if abs(pct) > _PRINTABLE:
        return format_amount(pct) + "%"
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    return f"{float(pct):.1f}%"


_PRINTABLE = Fraction(10) ** 40  # far beyond any amount; within float and str() limits
_PRINTABLE_INT = 10 ** 40


def to_exact_json(value: Fraction) -> int | str:
    """A whole number as an integer, any other as an exact `"p/q"` string
    (the report JSON's `exact` and `eval --how`: nothing rounded away)."""
    return value.numerator if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def to_json_number(value: Fraction) -> int | float:
    """A JSON integer when whole, else the nearest float (the shape of `planc eval --format json`, docs/cli.md)."""
    return value.numerator if value.denominator == 1 else float(value)
