"""Number literals and how amounts are written back for people.

Kept apart from the parser so messages, reports and the evaluator format
amounts one way: thousands separators, exact, never a float.
"""

from __future__ import annotations

from fractions import Fraction

SCALES = {"k": 10**3, "M": 10**6, "B": 10**9, "万": 10**4, "亿": 10**8}

# Amounts beyond this are almost certainly typos (an extra suffix or zeros)
# and would make reports unreadable; the parser rejects them.
MAX_AMOUNT = Fraction(10) ** 18

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
    value = Fraction(value)
    if value.denominator == 1:
        return f"{value.numerator:,}"
    # Display only: six decimals are plenty for a non-whole amount.
    return f"{float(value):,.6f}".rstrip("0").rstrip(".")


def format_percent(ratio: Fraction) -> str:
    """0.2 -> '20%'; 1.05 -> '105%'; 1/3 -> '33.3%'."""
    pct = ratio * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    return f"{float(pct):.1f}%"


def to_json_number(value: Fraction) -> int | float:
    """A JSON integer when whole, else the nearest float (the shape of `planc eval --format json`, docs/cli.md)."""
    return value.numerator if value.denominator == 1 else float(value)
