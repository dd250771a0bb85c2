"""The review section of the reports (`planc build --actuals … --as-of DATE`).

A view-model over `planc track`'s figures (review/track.py): every target
with an actual; by every split, each child's attainment with a marker where
the season says it should be (expected ÷ plan); the targets behind pace
with their owners; each cross as a heat map of pace; each owner's own
targets with what each remaining month needs. Rendered by the partials
`review.html.j2`, `review.md.j2` and `review_owner.md.j2`, by `to_json`
(the report JSON's `review`) and `to_csv` (`PLAN.review.csv`). The words
are in `WORDS` (English and Chinese), kept here so the section is one unit.
"""

from __future__ import annotations

import csv
import datetime
import io
from fractions import Fraction

import attrs

from planc.amounts import format_amount, format_percent, to_json_number
from planc.maths.allocate import round_half_up
from planc.pipeline import Compilation
from planc.review.track import Progress, Thresholds, track
from planc.semantics import time

# Heat-map colours by status: dark text on light ground, contrast above 7:1 (WCAG AA asks 4.5:1).
STATUS_STYLE = {
    "ahead": "background-color: #d7f0dd; color: #0b3d17",
    "on track": "background-color: #e3effa; color: #0b2e4f",
    "behind": "background-color: #fff1c7; color: #4a3500",
    "at risk": "background-color: #f9d9dc; color: #5c0b12",
}

WORDS = {
    "en": {"review": "Review as of {date}", "intro": "Actuals to date against the plan: attainment, what the "
           "season expected by now, pace and status (thresholds: ahead from {ahead}, on track from {on}, "
           "behind from {risk}, below that at risk).",
           "target": "Target", "owner": "Owner", "plan": "Plan", "actual": "Actual", "attained": "Attained",
           "expected": "Expected", "gap": "Gap", "pace": "Pace", "forecast": "Forecast", "status": "Status",
           "season": "Season", "by": "Attainment by {what}", "behind": "Behind pace",
           "none_behind": "No target is behind pace.", "needs": "What each remaining month needs",
           "heat": "Pace by cell: {what}", "owner_review": "Your attainment as of {date}",
           "marker": "the marker is where the season says it should be",
           "ahead": "ahead", "on track": "on track", "behind_s": "behind", "at risk": "at risk"},
    "zh": {"review": "截至 {date} 的执行回顾", "intro": "实际完成与计划对比：达成率、按季节性截至目前应完成的数额、进度与状态"
           "（阈值：进度不低于 {ahead} 为领先，不低于 {on} 为正常，不低于 {risk} 为落后，更低为高风险）。",
           "target": "目标", "owner": "负责人", "plan": "计划", "actual": "实际", "attained": "达成率",
           "expected": "应完成", "gap": "差额", "pace": "进度", "forecast": "预测", "status": "状态",
           "season": "季节进度", "by": "按{what}的达成率", "behind": "进度落后",
           "none_behind": "没有进度落后的目标。", "needs": "余下每月需完成",
           "heat": "各单元进度：{what}", "owner_review": "截至 {date} 您的达成情况",
           "marker": "标记为按季节性此时应达到的位置",
           "ahead": "领先", "on track": "正常", "behind_s": "落后", "at risk": "高风险"},
}


@attrs.frozen
class ReviewRow:
    path: str
    name: str
    owner: str | None
    figures: Progress

    @property
    def season(self) -> Fraction | None:
        """Where the season says the target should be: expected ÷ plan."""
        p = self.figures
        return p.expected / p.target if p.expected is not None and p.target else None


@attrs.frozen
class SplitReview:
    parent: str
    dimension: str
    rows: tuple[ReviewRow, ...]


@attrs.frozen
class HeatRow:
    name: str
    cells: tuple[ReviewRow | None, ...]


@attrs.frozen
class CrossReview:
    title: str
    columns: tuple[str, ...]
    rows: tuple[HeatRow, ...]


@attrs.frozen
class Review:
    as_of: datetime.date
    thresholds: Thresholds
    rows: tuple[ReviewRow, ...]
    splits: tuple[SplitReview, ...]
    behind: tuple[ReviewRow, ...]
    crosses: tuple[CrossReview, ...]
    owners: dict  # owner -> tuple[ReviewRow, ...]

    def words(self, lang: str) -> dict:
        return WORDS.get(lang, WORDS["en"])

    def status(self, status: str, lang: str) -> str:
        return self.words(lang)["behind_s" if status == "behind" else status]


def build_review(result: Compilation, actuals: dict[str, Fraction], as_of: datetime.date,
                 thresholds: Thresholds = Thresholds()) -> Review | None:
    model = result.model
    if model is None:
        return None
    figures = {p.path: p for p in track(result, actuals, as_of, thresholds)}
    rows = {path: ReviewRow(path, model.targets[path].name, p.owner, p) for path, p in figures.items()}
    splits = []
    for split in model.splits:
        kids = tuple(rows[c.path] for c in split.children if c.path in rows)
        if kids:
            splits.append(SplitReview(split.parent.name, split.dimension, kids))
    crosses = []
    for cross in model.crosses:
        heat = tuple(HeatRow(r.name, tuple(rows.get(cross.cells[(r.name, c.name)].path)
                                           if (r.name, c.name) in cross.cells else None
                                           for c in cross.cols.children))
                     for r in cross.rows.children)
        if any(cell is not None for row in heat for cell in row.cells):
            crosses.append(CrossReview(f"{cross.rows.dimension} × {cross.cols.dimension}",
                                       tuple(c.name for c in cross.cols.children), heat))
    behind = tuple(r for r in rows.values() if r.figures.status in ("behind", "at risk"))
    owners: dict = {}
    for r in rows.values():
        if r.owner:
            owners.setdefault(r.owner, []).append(r)
    return Review(as_of, thresholds, tuple(rows.values()), tuple(splits), behind, tuple(crosses),
                  {k: tuple(v) for k, v in owners.items()})


# ---- formatting (both templates) ---------------------------------------------------------------


def amount(value: Fraction | None) -> str:
    """Whole currency units, rounded half up (maths.allocate.round_half_up, as everywhere)."""
    return format_amount(round_half_up(value, Fraction(1))) if value is not None else "—"


def percent(value: Fraction | None) -> str:
    return format_percent(value) if value is not None else "—"


def bar_width(value: Fraction | None) -> str:
    """CSS width of an attainment bar: 0–100% of the plan (beyond it, full)."""
    share = max(0.0, min(1.0, float(value))) if value is not None else 0.0
    return f"{share * 100:.1f}%"


def heat_style(row: ReviewRow | None) -> str:
    return STATUS_STYLE[row.figures.status] if row is not None else ""


def is_time(split: SplitReview) -> bool:
    return split.dimension.lower() in time.TIME_DIMENSIONS


# ---- JSON and CSV ------------------------------------------------------------------------------


def _num(value: Fraction | None):
    return to_json_number(value) if value is not None else None


def _row_json(r: ReviewRow) -> dict:
    p = r.figures
    return {"path": r.path, "owner": r.owner, "plan": _num(p.target), "actual": _num(p.actual),
            "expected": _num(p.expected), "gap": _num(p.gap), "attainment": _num(p.attainment),
            "season": _num(r.season), "pace": _num(p.pace), "forecast": _num(p.forecast), "status": p.status,
            "needs": [{"month": m, "amount": _num(a)} for m, a in p.needs]}


def to_json(review: Review) -> dict:
    t = review.thresholds
    return {"as_of": review.as_of.isoformat(),
            "thresholds": {"ahead": _num(t.ahead), "on_track": _num(t.on_track), "at_risk": _num(t.at_risk)},
            "targets": [_row_json(r) for r in review.rows],
            "behind": [r.path for r in review.behind]}


CSV_COLUMNS = ("path", "owner", "plan", "actual", "expected", "gap", "attainment", "season", "pace", "forecast",
               "status", "as_of")


def to_csv(review: Review) -> str:
    """UTF-8 with a byte-order mark (Excel), CRLF: one row per target with an actual."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(CSV_COLUMNS)
    for r in review.rows:
        j = _row_json(r)
        out.writerow([_cell(j[c]) if c != "as_of" else review.as_of.isoformat() for c in CSV_COLUMNS])
    return "\ufeff" + buf.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _numeric(text) else text


def _numeric(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


# ---- "what changed since" (planc build --compare OLD.plan) ------------------------------------

CHANGE_WORDS = {
    "en": {"title": "What changed since {old}", "target": "Target", "old": "Before", "new": "Now",
           "change": "Change", "fields": "Owner, status, note, …", "none": "No target changed."},
    "zh": {"title": "自 {old} 以来的变化", "target": "目标", "old": "之前", "new": "现在", "change": "变化",
           "fields": "负责人、状态、备注等", "none": "没有目标发生变化。"},
}


@attrs.frozen
class Changes:
    old_name: str
    rows: tuple  # review.diff.Change


def change_words(lang: str) -> dict:
    return CHANGE_WORDS.get(lang, CHANGE_WORDS["en"])


def delta(change) -> str:
    if change.kind != "changed" or not change.delta:
        return ""
    text = ("+" if change.delta > 0 else "") + amount(change.delta)
    return text + (f" ({'+' if change.delta > 0 else ''}{percent(change.delta / change.old)})" if change.old else "")

