"""The cross-table heat map keeps its text readable: at least 4.5:1 (WCAG 2 AA) on
every cell colour it can produce, computed with WCAG's relative luminance."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from report_helpers import EXAMPLE, render

from planc.report.render import heat

INK = (0x17, 0x21, 0x2B)  # --ink, the text colour a cell inherits
PAPER = (255, 255, 255)  # the card behind a cell
STEPS = 2000  # cell / largest cell, in steps of 1/2000 (the colour changes in steps of 1/1000)


def _channel(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: tuple[float, float, float]) -> float:
    r, g, b = (_channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _rgb(text: str) -> tuple[tuple[float, float, float], float]:
    """`#1f4e79`, `#fff` or `rgba(31, 78, 121, 0.4)` -> (rgb, alpha)."""
    text = text.strip()
    if text.startswith("#"):
        h = text[1:]
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)), 1.0
    parts = [float(p) for p in re.findall(r"[\d.]+", text)]
    return (parts[0], parts[1], parts[2]), parts[3] if len(parts) > 3 else 1.0


def cell_colours(style: str) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """The background a reader sees (composited over the card) and the text colour of a cell."""
    props = dict(p.split(":", 1) for p in style.split(";") if ":" in p)
    props = {k.strip(): v for k, v in props.items()}
    (r, g, b), a = _rgb(props["background-color"])
    back = tuple(a * c + (1 - a) * p for c, p in zip((r, g, b), PAPER))
    fore = _rgb(props["color"])[0] if "color" in props else INK
    return back, fore  # type: ignore[return-value]


def test_wcag_formula():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast((255, 255, 255), (255, 255, 255)) == pytest.approx(1)
    assert contrast((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


def test_every_heat_colour_keeps_text_readable():
    top = Fraction(STEPS)
    worst = min((contrast(*cell_colours(heat(Fraction(i), top))), i) for i in range(STEPS + 1))
    assert worst[0] >= 4.5, f"contrast {worst[0]:.2f}:1 at {worst[1]}/{STEPS} of the largest cell"
    # the map still tells small from large: the deepest cell is much darker than the lightest
    light, dark = cell_colours(heat(Fraction(0), top))[0], cell_colours(heat(top, top))[0]
    assert luminance(light) - luminance(dark) > 0.5


def test_cells_without_amount_and_negative_cells_are_readable():
    for value in (None, Fraction(-5), Fraction(0)):
        assert contrast(*cell_colours(heat(value, Fraction(10)))) >= 4.5


def test_report_cells_use_the_heat_map():
    html = render(EXAMPLE, "html", "zh")["fy2027.html"]
    styles = re.findall(r'<td class="num" style="([^"]*)">', html)
    assert len(styles) >= 12
    for style in styles:
        assert contrast(*cell_colours(style)) >= 4.5, style
