"""The workbook's blocks below a sheet's own table (`planc build --format xlsx`).

- On each owner's sheet, with `--actuals … --as-of DATE`: "Your attainment as
  of DATE", each of the owner's targets with an actual — plan, actual to date,
  expected by now, attainment, pace, status — and what each remaining month
  needs, a column per month. The figures are the review's (report/review.py,
  `planc track`), as the HTML and Markdown owner sheets show them: the cells
  hold them exactly (as numbers), nothing is computed here.
- The weekly activity of each funnel member the owner owns (report/activity.py,
  as the Markdown owner sheet has it): a row per week with its dates and each
  step's count, then the year's counts (which the weeks add up to exactly).
- The owner's actions (`action "…" for T`: theirs by name, or on one of their
  targets) on their sheet, and every action of the plan on the open-items
  sheet: target, action, owner, due date, status.

Each block starts one empty row below what is above it, with a bold title and
a header; rows only go down, as constant-memory mode needs. Also the cell
writer every sheet uses (`put`).
"""

from __future__ import annotations

from fractions import Fraction

from planc.report.activity import ActivityWords, of_owner
from planc.report.i18n import Words


def number(value: Fraction | None) -> int | float | None:
    if value is None:
        return None
    return value.numerator if value.denominator == 1 else float(value)


def put(ws, row: int, col: int, value, fmt=None, writers=None) -> None:
    """A cell; None leaves it empty. Text is never read as a formula or number.
    `writers`: (text, number) to write with, else the sheet's `write_string` and `write_number`."""
    if value is None:
        return
    text, num = writers or (ws.write_string, ws.write_number)
    if isinstance(value, str):
        text(row, col, value, fmt)
    else:
        num(row, col, number(value) if isinstance(value, Fraction) else value, fmt)


def _title(ws, row: int, text: str, fmt, heads: list[str]) -> int:
    """The block's title and header rows; returns the first row of its body."""
    ws.write_string(row, 0, text, fmt.parent)
    for col, head in enumerate(heads):
        if head:
            ws.write_string(row + 1, col, head, fmt.head)
    return row + 2


def review_block(ws, row: int, owner: str, review, lang: str, fmt) -> int:
    """The owner's review figures from `row` on, then a line naming their targets
    with no actual yet (nothing without a review); returns the next free row."""
    if review is None:
        return row
    mine = [r for r in review.owners.get(owner, ()) if r.figures is not None]
    quiet = review.unreported(owner)
    if not mine:
        return _unreported(ws, row, quiet, review, lang) + (1 if quiet else 0)
    w = review.words(lang)
    months: list[str] = []  # the remaining months, in first-seen order
    for item in mine:
        for month, _ in item.figures.needs:
            if month not in months:
                months.append(month)
    heads = [w["target"], w["plan"], w["actual"], w["expected"], w["attained"], w["pace"], w["status"], *months]
    if months:
        ws.write_string(row, len(heads) - len(months), w["needs"], fmt.parent)
    r = _title(ws, row, w["owner_review"].format(date=review.as_of.isoformat()), fmt, heads)
    for item in mine:
        p = item.figures
        put(ws, r, 0, item.path)
        put(ws, r, 1, p.target, fmt.amount_for(p.target))
        put(ws, r, 2, p.actual, fmt.amount_for(p.actual))
        put(ws, r, 3, p.expected, fmt.amount_for(p.expected))
        put(ws, r, 4, p.attainment, fmt.percent)
        put(ws, r, 5, p.pace, fmt.percent)
        put(ws, r, 6, review.status(p.status, lang))
        for month, amount in p.needs:
            put(ws, r, 7 + months.index(month), amount, fmt.amount_for(amount))
        r += 1
    return (_unreported(ws, r + 1, quiet, review, lang) if quiet else r) + 1  # after an empty row


def _unreported(ws, row: int, quiet: tuple[str, ...], review, lang: str) -> int:
    """The sentence the HTML and Markdown owner sheets have for the owner's
    targets without an actual yet (`quiet`), at `row`; the next free row."""
    if not quiet:
        return row
    names = ("、" if lang == "zh" else ", ").join(quiet)
    ws.write_string(row, 0, review.say(lang, "unreported", date=review.as_of.isoformat(), targets=names))
    return row + 1


def actions_block(ws, row: int, actions, t: Words, fmt) -> int:
    """`actions` (report/negotiation.py's ActionView) from `row` on; returns the next free row."""
    if not actions:
        return row
    heads = [t("col_target"), t("col_action"), t("col_owner"), t("col_due"), t("col_status")]
    r = _title(ws, row, t("actions"), fmt, heads)
    for a in actions:
        put(ws, r, 0, a.path)
        put(ws, r, 1, a.text)
        put(ws, r, 2, a.owner)
        put(ws, r, 3, a.due.isoformat() if a.due else None)
        put(ws, r, 4, t("action_" + a.status))
        r += 1
    return r + 1


def activity_block(ws, row: int, owner: str, funnels, lang: str, t: Words, fmt) -> int:
    """The weekly activity of the funnel members `owner` owns, a block each, from `row` on;
    returns the next free row."""
    at = ActivityWords(lang)
    for funnel, member in of_owner(funnels, owner):
        funnel_title = at("funnel", name=funnel.name, dim=t.dimension(funnel.dimension))
        title = f"{at('owner_activity')}{t('colon_sp')}{member.path} — {funnel_title}"
        heads = [at("col_week"), "", *(f"{s.name} ({s.unit})" for s in funnel.steps)]
        r = _title(ws, row, title, fmt, heads)
        for week in member.weeks:
            put(ws, r, 0, week.name)
            if week.first and week.last:
                put(ws, r, 1, f"{week.first.isoformat()} – {week.last.isoformat()}")
            for col, count in enumerate(week.counts, start=2):
                put(ws, r, col, count, fmt.amount)
            r += 1
        put(ws, r, 0, at("total"), fmt.total_label)
        for col, count in enumerate(member.counts, start=2):
            put(ws, r, col, count, fmt.total)
        row = r + 2
    return row
