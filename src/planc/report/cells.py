"""The HTML report's small cells that every row of its long tables draws: a
status badge, the badge beside a name on a phone, how an amount was made,
a growth figure, the tree's share bar; each row of the target tree; the bars
and periods of an owner's time profile.

They were Jinja2 macros and template expressions; called several times for
each of thousands of rows, the calls were most of the time of the HTML. As
functions they make the same markup, byte for byte: every text from the plan
or the words goes through `escape`, as the templates' autoescape did (the
numbers of the geometry are digits), and a status's badge is made once.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable, NamedTuple, Sequence

from markupsafe import Markup, escape

from planc.evaluate.explain import explain
from planc.evaluate.record import Derivation
from planc.report.geometry import bars, number, ratio
from planc.report.i18n import Words
from planc.report.units import Unit
from planc.report.view import Row, TimeProfile

_NO_GROWTH = Markup('<span class="muted">—</span>')


def mini_bar(share: Fraction | None, width: int = 84) -> Markup:
    """The tree's little share bar (inline SVG; no plan text): `share` of `width`, within 0 and 1.
    In whole numbers, `n * width / d` is the float of the exact `share * width`."""
    n, d = (0, 1) if share is None else (share.numerator, share.denominator)
    filled = 0 if n <= 0 else width if n >= d else n * width / d
    return Markup(f'<svg class="mini" width="{width}" height="8" aria-hidden="true" xmlns="http://www.w3.org/2000/svg">'
                  f'<rect width="{width}" height="8" rx="2" fill="#e6ebf1"/>'
                  f'<rect width="{number(filled)}" height="8" rx="2" fill="#2e86ab"/></svg>')


class TreeLine(NamedTuple):
    """One row of the target tree, its cells made (report.html.j2 places them)."""

    row: Row
    level: int  # the row's CSS class: its depth, at most 4
    dimension: str
    narrow: Markup
    how: Markup
    bar: Markup  # the share bar and the share, or nothing for a root
    amount: str
    status: Markup


def bar_marks(points: Sequence, height: int, t: Words, colours: Sequence[str] | None = None) -> Markup:
    """A time profile's bars (charts.html.j2's `time_bars` draws the chart around them): each a
    rectangle with its amount as a tooltip, its short amount above it and its name below."""
    colon, base = escape(t("colon_sp")), height + 37
    return Markup("".join(
        f'<rect x="{b.x}%" y="{b.y}" width="{b.width}%" height="{b.height}" rx="3" fill="{escape(b.fill)}">'
        f'<title>{escape(b.name)}{colon}{escape(b.amount)}</title></rect>\n'
        f'<text class="v" x="{b.mid}%" y="{b.top}" text-anchor="middle">{escape(b.short)}</text>\n'
        f'<text x="{b.mid}%" y="{base}" text-anchor="middle">{escape(b.name)}</text>\n'
        for b in bars(points, height, t, colours)))


def html_cells(t: Words) -> dict[str, Callable]:
    """`status`, `narrow_status`, `how_cell`, `growth`, `tree_lines` and `periods` for the HTML
    templates, in `t`'s words."""
    badges: dict[tuple[str | None, bool], Markup] = {}

    def status(s: str | None) -> Markup:
        badge = badges.get((s, False))
        if badge is None:
            badge = Markup(f'<span class="badge st-{escape(s or "none")}">{escape(t.status(s))}</span>')
            badges[s, False] = badge
        return badge

    def narrow_status(s: str | None, always: bool = False) -> Markup:
        """The status beside the name, shown only on a phone (where the status column is hidden)."""
        if not (s or always):
            return Markup()
        badge = badges.get((s, True))
        if badge is None:
            badge = badges[s, True] = Markup(f'<span class="show-narrow"> {status(s)}</span>')
        return badge

    def how_cell(h: Derivation) -> Markup:
        text = escape(explain(h, t))
        if h.capped:
            return Markup(f'{text} <span class="badge capped">{escape(t(f"bound_{h.capped}"))}</span>')
        return text

    def growth(g: Fraction | None) -> Markup:
        if g is None:
            return _NO_GROWTH
        return Markup(f'<span class="{"up" if g >= 0 else "down"}">{escape(t.growth(g))}</span>')

    def tree_lines(rows: Sequence[Row], u: Unit) -> list[TreeLine]:
        """The target tree's rows, amounts in the table's unit `u`."""
        out = []
        for row in rows:
            share = row.share
            bar = Markup() if share is None else Markup(f"{mini_bar(share)} {escape(t.percent(share))}")
            out.append(TreeLine(row, row.depth if row.depth < 4 else 4,
                                t.dimension(row.dimension) if row.dimension else "", narrow_status(row.status),
                                how_cell(row.how), bar, t.cell(u, row),
                                status(row.status) if row.status else Markup()))
        return out

    def periods(profile: TimeProfile, u: Unit, whole: Fraction) -> list[tuple[str, str, str]]:
        """The table beside an owner's time profile: each period's name, amount and share of `whole`."""
        # `ratio` is a float, as the template gave `percent`
        return [(p.name, t.point(u, profile, p.amount), t.percent(ratio(p.amount, whole)))  # type: ignore[arg-type]
                for p in profile.points]

    return {"status": status, "narrow_status": narrow_status, "how_cell": how_cell, "growth": growth,
            "tree_lines": tree_lines, "periods": periods}
