"""The HTML report's small cells that every row of its long tables draws: a
status badge, the badge beside a name on a phone, how an amount was made,
a growth figure.

They were Jinja2 macros; called several times for each of thousands of
rows, the macro calls were most of the time of the target tree. As functions
they make the same markup: every value from the plan goes through
`Markup.format`, which escapes it as the templates' autoescape did, and a
status's badge is made once per status.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

from markupsafe import Markup, escape

from planc.evaluate.explain import explain
from planc.evaluate.record import Derivation
from planc.report.i18n import Words

_BADGE = Markup('<span class="badge st-{}">{}</span>')
_NARROW = Markup('<span class="show-narrow"> {}</span>')
_CAPPED = Markup(' <span class="badge capped">{}</span>')
_NO_GROWTH = Markup('<span class="muted">—</span>')
_GROWTH = Markup('<span class="{}">{}</span>')


def html_cells(t: Words) -> dict[str, Callable]:
    """`status`, `narrow_status`, `how_cell` and `growth` for the HTML templates, in `t`'s words."""
    badges: dict[str | None, Markup] = {}

    def status(s: str | None) -> Markup:
        badge = badges.get(s)
        if badge is None:
            badge = badges[s] = _BADGE.format(s or "none", t.status(s))
        return badge

    def narrow_status(s: str | None, always: bool = False) -> Markup:
        """The status beside the name, shown only on a phone (where the status column is hidden)."""
        return _NARROW.format(status(s)) if s or always else Markup()

    def how_cell(h: Derivation) -> Markup:
        text = escape(explain(h, t))
        return text + _CAPPED.format(t(f"bound_{h.capped}")) if h.capped else text

    def growth(g: Fraction | None) -> Markup:
        if g is None:
            return _NO_GROWTH
        return _GROWTH.format("up" if g >= 0 else "down", t.growth(g))

    return {"status": status, "narrow_status": narrow_status, "how_cell": how_cell, "growth": growth}
