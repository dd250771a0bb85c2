"""HTML and Markdown from the view-model, through Jinja2 templates.

Two environments, each built once: HTML with autoescaping on, Markdown with
a `finalize` that escapes every value for Markdown unless it is `Markup`
(made only by the helpers here, and by `|safe` on the output of a Markdown
macro, whose values were escaped inside it). So in both formats text from a
plan is escaped unless a template goes out of its way, and the escaping
tests check that it never does.
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple, Sequence
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from planc.amounts import to_json_number
from planc.diagnostics import display_width
from planc.report.cells import bar_marks, html_cells, mini_bar
from planc.report.charts import chart_axis
from planc.report.geometry import number, ratio, segments
from planc.report.activity import ActivityWords, of_owner, of_target
from planc.report.i18n import Words
from planc.report.limits import shown
from planc.report.template_cache import TemplateCache
from planc.evaluate.explain import explain
from planc.evaluate.record import Derivation
from planc.report.units import Unit
from planc.report.view import OwnerSheet, Report, Row

TEMPLATES = Path(__file__).parent / "templates"

PALETTE = ("#1f4e79", "#2e86ab", "#5fb49c", "#e0a339", "#c8553d", "#7b6bb0", "#3f8f5b", "#b5446e",
           "#4f6d7a", "#9c7a3c", "#2f6690", "#8aa29e")


# ---- filters shared by both formats ------------------------------------------------------


def describe(how: Derivation, t: Words) -> str:
    """`weighted: history 60% · potential 40%`, `45% of east`, `rest of year`, …: the
    evaluator's record in the report's words (`explain` is the one renderer)."""
    return explain(how, t)


HEAT_BASE = (0x1F, 0x4E, 0x79)  # --accent, laid over the white card


def heat(value: Fraction | None, top: Fraction) -> str:
    """Background of a cross-table cell: deeper blue for bigger cells (a CSS colour, no plan text).

    Cells up to half the largest are pale (6% to 45% of the accent over white) under the
    page's dark ink; bigger ones deep (78% to 100%) under white text. The band between,
    where neither ink nor white reaches a contrast of 4.5:1, is never used
    (tests/report/test_report_contrast.py checks every colour)."""
    share = min(max(ratio(value, top), 0.0), 1.0)
    dark = share > 0.5
    alpha = 0.78 + 0.44 * (share - 0.5) if dark else 0.06 + 0.78 * share
    rgb = "".join(f"{round(alpha * c + (1 - alpha) * 255):02x}" for c in HEAT_BASE)
    return f"background-color: #{rgb}" + ("; color: #fff" if dark else "")


def json_number(value: Fraction) -> Markup:
    return Markup(str(to_json_number(value)))


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


# ---- Markdown ------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"[\\`*\[\]<>|&$~#@{}]|(?<!\w)_|_(?!\w)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\r\n\t]+")


_MD_ANY = re.compile(r"[\\`*\[\]<>|&$~#@{}_\x00-\x1f\x7f]")  # any character the two above may change


def md_escape(text: object) -> str:
    """Plan text as literal Markdown: one line, punctuation that Markdown, GFM
    tables, HTML or GitHub (math, mentions) would read backslash-escaped."""
    text = str(text)
    if _MD_ANY.search(text) is None:  # most values: names, figures
        return text
    text = _CONTROL.sub(" ", text)
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def md_finalize(value: object) -> str:
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return md_escape(value)


def mermaid_text(text: object) -> Markup:
    """A label inside a Mermaid block: letters, digits, spaces and a little punctuation."""
    cleaned = re.sub(r"[^\w .,+\-()/%·×]", "", _CONTROL.sub(" ", str(text)))
    return Markup(cleaned.strip() or "?")


def link(path: str) -> Markup:
    return Markup(quote(path))


def bold(text: object) -> Markup:
    return Markup(f"**{md_escape(text)}**")


def code(text: object) -> Markup:
    """Inline code; backticks in the text lengthen the fence (CommonMark)."""
    text = _CONTROL.sub(" ", str(text))
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


class MdTreeLine(NamedTuple):
    """One line of the Markdown target tree: its values, as the template once worked them out."""

    row: Row
    indent: str
    name: Markup
    dimension: str | None  # `(region)`
    amount: str
    share: str | None
    how: str


def md_tree_lines(rows: Sequence[Row], u: Unit, t: Words) -> list[MdTreeLine]:
    """The Markdown target tree's lines (amounts in the unit `u`): a big plan's tree has
    thousands, and a call from the template per value was most of the Markdown's time."""
    return [MdTreeLine(row, "  " * row.depth, bold(row.name),
                       t("paren", text=t.dimension(row.dimension)) if row.dimension else None, t.cell(u, row),
                       None if row.share is None else t.percent(row.share), describe(row.how, t))
            for row in rows]


def md_table(head: list, rows: list[list], align: str = "") -> Markup:
    """A GFM table padded to line up as plain text. Cells are escaped unless Markup.
    `align` has one letter per column: l(eft) or r(ight)."""
    cells = [[md_finalize(c) for c in row] for row in [head, *rows]]
    n = len(head)
    align = (align or "").ljust(n, "l")
    widths = [max(3, *(display_width(row[i]) for row in cells if i < len(row))) for i in range(n)]

    def line(row: list[str]) -> str:
        out = []
        for i in range(n):
            text = row[i] if i < len(row) else ""
            gap = " " * (widths[i] - display_width(text))
            out.append(gap + text if align[i] == "r" else text + gap)
        return "| " + " | ".join(out) + " |"

    rule = "| " + " | ".join("-" * (w - 1) + ":" if a == "r" else "-" * w for w, a in zip(widths, align)) + " |"
    return Markup("\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])]))


# ---- environments ---------------------------------------------------------------------------


def _common(env: jinja2.Environment) -> jinja2.Environment:
    env.filters.update(number=number, heat=heat, colour=colour)
    env.globals.update(ratio=ratio, mini_bar=mini_bar, segments=segments, bar_marks=bar_marks)
    return env


@functools.cache
def html_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template of this environment is HTML or SVG
        extensions=["jinja2.ext.do"], bytecode_cache=TemplateCache("html"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    return _common(env)


@functools.cache
def md_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False, finalize=md_finalize, extensions=["jinja2.ext.do"], bytecode_cache=TemplateCache("md"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(mermaid=mermaid_text, link=link, bold=bold, code=code)
    env.globals.update(md_table=md_table, json_number=json_number, bold=bold, code=code, chart_axis=chart_axis,
                       md_tree_lines=md_tree_lines)
    return _common(env)


def _context(report: Report, lang: str, review=None, changes=None, built=()) -> dict:
    """`built`: the formats this build writes (a big plan's notes link its CSV and JSON)."""
    rv = None  # the review and changes sections' helpers (report/review.py), loaded only for them
    if review is not None or changes is not None:
        from planc.report import review as rv  # type: ignore[assignment]

    t = Words(lang, report.meta.currency)
    return {"r": report, "m": report.meta, "t": t, "lang": lang, "how": lambda h: describe(h, t),
            "at": ActivityWords(lang), "of_owner": of_owner, "of_target": of_target,
            "review": review, "rv": rv, "changes": changes, "shown": shown(report), "built": tuple(built)}


def render_html(report: Report, lang: str = "en", review=None, changes=None, built=()) -> str:
    context = _context(report, lang, review, changes, built)
    return html_env().get_template("report.html.j2").render(context, **html_cells(context["t"]))


def render_markdown(report: Report, lang: str = "en", owner_dir: str | None = None, review=None,
                    changes=None, built=()) -> str:
    return md_env().get_template("report.md.j2").render(_context(report, lang, review, changes, built),
                                                       owner_dir=owner_dir)


def render_owner_markdown(report: Report, sheet: OwnerSheet, lang: str = "en", back: str = "",
                          review=None) -> str:
    return md_env().get_template("owner.md.j2").render(_context(report, lang, review), sheet=sheet, back=back)
