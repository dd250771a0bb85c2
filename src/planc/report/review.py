"""The review section of the reports (`planc build --actuals … --as-of DATE`).

A view-model over `planc track`'s figures (review/track.py): every target
with an actual; by every split, each child's attainment with a marker where
the season says it should be (expected ÷ plan); the targets behind pace
with their owners; each cross as a heat map of pace; each owner's own
targets with what each remaining month needs. Rendered by the partials
`review.html.j2`, `review.md.j2`, `review_owner.html.j2` (on each owner's
card) and `review_owner.md.j2`, by `to_json` (the report JSON's `review`:
every target of the plan, cross cells included) and `to_csv`
(`PLAN.review.csv`). Amounts are written in one unit per table (`Amounts`,
report/units.py). The words are in `WORDS` (English and Chinese), kept here
so the section is one unit.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from fractions import Fraction

import attrs

from planc.amounts import format_amount, to_json_number
from planc.maths.allocate import round_half_up
from planc.pipeline import Compilation
from planc.report.i18n import Words, zh_format
from planc.report.i18n import percent as format_share
from planc.review.track import Progress, Thresholds, expected_share, plan_period, track
from planc.semantics import time
from planc.semantics.measures import shown

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
           "season": "Season", "by": "Attainment of {parent} by {dim}", "behind": "Behind pace",
           "heat_legend": "Each cell: pace (actual ÷ expected), then attained (actual ÷ plan) and the status.",
           "month": "Month", "needs_by_month": "What each remaining month needs", "later": "not started",
           "none_behind": "No target is behind pace.", "needs": "What each remaining month needs",
           "heat": "Pace by cell: {rows} × {cols}", "owner_review": "Your attainment as of {date}",
           "unreported": "No actuals reported as of {date} for: {targets}.",
           "marker": "the marker is where the season says it should be",
           "ahead": "ahead", "on track": "on track", "behind_s": "behind", "at risk": "at risk"},
    "zh": {"review": "截至 {date} 的执行回顾", "intro": "实际完成与计划对比：达成率、按季节性截至目前应完成的数额、进度与状态"
           "（阈值：进度不低于 {ahead} 为领先，不低于 {on} 为正常，不低于 {risk} 为落后，更低为高风险）。",
           "target": "目标", "owner": "负责人", "plan": "计划", "actual": "实际", "attained": "达成率",
           "expected": "应完成", "gap": "差额", "pace": "进度", "forecast": "预测", "status": "状态",
           "season": "季节进度", "by": "{parent}按{dim}的达成率", "behind": "进度落后",
           "heat_legend": "每格：进度（实际 ÷ 应完成）、达成率（实际 ÷ 计划）与状态。",
           "month": "月份", "needs_by_month": "余下每月需完成", "later": "未开始",
           "none_behind": "没有进度落后的目标。", "needs": "余下每月需完成",
           "heat": "各单元进度：{rows} × {cols}", "owner_review": "截至 {date} 您的达成情况",
           "unreported": "截至 {date} 尚无实际数据的目标：{targets}。",
           "marker": "标记为按季节性此时应达到的位置",
           "ahead": "领先", "on track": "正常", "behind_s": "落后", "at risk": "高风险"},
}


@attrs.frozen
class ReviewRow:
    """One target's review figures (`figures`: None when no actual was reported for it or
    below it; then only its plan and what the plan expected by now are known)."""

    path: str
    name: str
    owner: str | None
    figures: Progress | None
    plan_only: Fraction | None = None
    expected_only: Fraction | None = None
    unit: str | None = None  # a count's measure label, `%` for a ratio; None for money

    @property
    def season(self) -> Fraction | None:
        """Where the season says the target should be: expected ÷ plan."""
        if self.figures is None:
            plan, expected = self.plan_only, self.expected_only
        else:
            plan, expected = self.figures.target, self.figures.expected
        return expected / plan if expected is not None and plan else None


@attrs.frozen
class SplitReview:
    parent: str
    dimension: str
    rows: tuple[ReviewRow, ...]


@attrs.frozen
class HeatRow:
    name: str
    cells: tuple[ReviewRow | None, ...]
    later: tuple[bool, ...] = ()  # each cell: its dates start after the as-of date (nothing to show yet)

    def not_started(self, index: int) -> bool:
        return bool(self.later) and self.later[index]


@attrs.frozen
class CrossReview:
    row_dimension: str
    col_dimension: str
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
    unreported_rows: tuple[tuple[str, str], ...] = ()  # (owner, path) of targets with no actual
    every_of: Callable[[], tuple[ReviewRow, ...]] | None = None  # every target's row (JSON, CSV)
    cache: dict = attrs.field(factory=dict, eq=False)

    @property
    def every(self) -> tuple[ReviewRow, ...]:
        """Every target of the plan, cross cells included, in plan order: worked out only for
        the formats that show them (JSON, CSV), once."""
        if "every" not in self.cache:
            self.cache["every"] = self.every_of() if self.every_of is not None else self.rows
        return self.cache["every"]

    def words(self, lang: str) -> dict:
        return WORDS.get(lang, WORDS["en"])

    def say(self, lang: str, key: str, **fields: object) -> str:
        """A sentence of the section with its fields, spaced the Chinese way in `zh`
        (`按 year · 区域的达成率`: a space only where a Latin name meets Chinese text)."""
        template = self.words(lang)[key]
        return zh_format(template, **fields) if lang == "zh" else template.format(**fields)

    def unreported(self, owner: str) -> tuple[str, ...]:
        """The paths of the owner's targets without an actual (nothing reported for them or below them)."""
        return tuple(path for who, path in self.unreported_rows if who == owner)

    def status(self, status: str, lang: str) -> str:
        return self.words(lang)["behind_s" if status == "behind" else status]


def build_review(result: Compilation, actuals: dict[str, Fraction], as_of: datetime.date,
                 thresholds: Thresholds = Thresholds()) -> Review | None:
    model = result.model
    if model is None or result.evaluation is None:
        return None
    unstarted = not_started(result, actuals, as_of)
    figures = {p.path: p for p in track(result, actuals, as_of, thresholds)}
    units, values = result.evaluation.units, result.evaluation.values
    rows = {path: ReviewRow(path, model.targets[path].name, p.owner, p, unit=shown(model.measures, units, path))
            for path, p in figures.items()}
    quiet = tuple((str(owner.value), path) for path, node in model.targets.items()
                  if path not in figures and path not in unstarted and path in values
                  and (owner := node.attributes.get("owner")) is not None)

    def every() -> tuple[ReviewRow, ...]:
        later = {p.path: p for p in track(result, unstarted, as_of, thresholds)} if unstarted else {}
        return tuple(_every_row(result, path, figures.get(path) or later.get(path), as_of)
                     for path in model.targets if path in values)
    splits = []
    for split in model.splits:
        kids = tuple(rows[c.path] for c in split.children if c.path in rows)
        if kids:
            splits.append(SplitReview(split.parent.name, split.dimension, kids))
    crosses = []
    for cross in model.crosses:
        paths = [[cross.cells[(r.name, c.name)].path if (r.name, c.name) in cross.cells else None
                  for c in cross.cols.children] for r in cross.rows.children]
        heat = tuple(HeatRow(r.name, tuple(rows.get(p) if p else None for p in line),
                             tuple(p in unstarted for p in line))
                     for r, line in zip(cross.rows.children, paths))
        if any(cell is not None for row in heat for cell in row.cells):
            crosses.append(CrossReview(cross.rows.dimension, cross.cols.dimension,
                                       tuple(c.name for c in cross.cols.children), heat))
    behind = tuple(r for r in rows.values() if r.figures is not None and r.figures.status in ("behind", "at risk"))
    owners: dict = {}
    for r in rows.values():
        if r.owner:
            owners.setdefault(r.owner, []).append(r)
    return Review(as_of, thresholds, tuple(rows.values()), tuple(splits), behind, tuple(crosses),
                  {k: tuple(v) for k, v in owners.items()}, quiet, every)


def not_started(result: Compilation, actuals: dict[str, Fraction], as_of: datetime.date) -> dict[str, Fraction]:
    """Targets without an actual whose dates start after the as-of date (`year.Q3`, the cross
    cell `华东.Q3` in March): their actual to date is 0, nothing could have been sold yet."""
    model = result.model
    assert model is not None
    period = plan_period(result, as_of)
    return {path: Fraction(0) for path, node in model.targets.items()
            if path not in actuals and time.coverage(node, period)[0] > as_of}


def _every_row(result: Compilation, path: str, figures: Progress | None, as_of: datetime.date) -> ReviewRow:
    """The review row of one target: its figures, or (no actual: nothing reported for it or
    below it) its plan and what the plan expected by now, the rest unknown."""
    model, evaluation = result.model, result.evaluation
    assert model is not None and evaluation is not None
    node = model.targets[path]
    unit = shown(model.measures, evaluation.units, path)
    if figures is not None:
        return ReviewRow(path, node.name, figures.owner, figures, unit=unit)
    owner = node.attributes.get("owner")
    plan = evaluation.values[path]
    share = expected_share(node, evaluation.values, plan_period(result, as_of), as_of, model.crosses)
    return ReviewRow(path, node.name, str(owner.value) if owner is not None else None, None, plan, plan * share,
                     unit)


# ---- formatting (both templates) ---------------------------------------------------------------


def whole(value: Fraction | None) -> Fraction | None:
    """Whole currency units, rounded half up (maths.allocate.round_half_up, as everywhere)."""
    return round_half_up(value, Fraction(1)) if value is not None else None


def amount(value: Fraction | None) -> str:
    return format_amount(round_half_up(value, Fraction(1))) if value is not None else "—"


def percent(value: Fraction | None) -> str:
    """A share, pace or attainment: one decimal, as the other report tables (`100.0%`)."""
    return format_share(value) if value is not None else "—"


class Amounts:
    """The amounts of one review table in the table's one unit (report/units.py): `u(value, row)`
    writes a figure in whole units in it (`1,069.2724` in a table of `单位：万元`); `u.caption`
    is the unit line (empty in English). A table of counts of one measure states the measure
    (`单位：new accounts`; in English each figure carries it); a count in a table of money
    carries its measure's label, as in the other report tables (`Words.cell`)."""

    def __init__(self, words: Words, rows, names: tuple[str, ...], needs: bool) -> None:
        rows = [r for r in rows if r.figures is not None]
        labels = {r.unit for r in rows}
        self.measure = labels.pop() if len(labels) == 1 and None not in labels else None
        if self.measure is not None:
            self.unit = words.unit(measure=self.measure)
        else:
            money = [r for r in rows if r.unit is None]
            values = [getattr(r.figures, n) for r in money for n in names]
            values += [a for r in money for _, a in r.figures.needs] if needs else []
            self.unit = words.unit([whole(v) for v in values if v is not None])
        self.caption = self.unit.caption

    def __call__(self, value: Fraction | None, row: ReviewRow | None = None) -> str:
        if value is None:
            return "—"
        label = row.unit if row is not None else self.measure
        if label == "%":
            return percent(value)
        if label is None:
            return self.unit(whole(value))
        text = format_amount(round_half_up(value, Fraction(1)))
        return text if label == self.measure and self.caption else f"{text} {label}"


def amounts(t: Words, rows, *names: str, needs: bool = False) -> Amounts:
    """The unit of a review table of `rows` showing their figures `names` (`target`, `actual`,
    `gap`, …) and, with `needs`, what their remaining months need."""
    return Amounts(t, rows, names, needs)


def need_months(rows) -> list[str]:
    """The remaining months some of `rows` need something in, in order."""
    return sorted({m for r in rows if r.figures is not None for m, _ in r.figures.needs})


def need_in(row: ReviewRow, month: str) -> Fraction | None:
    return dict(row.figures.needs).get(month) if row.figures is not None else None


def short_names(rows) -> list[str]:
    """The column head of each row's target: its name, or its path where two names are the same."""
    names = [r.name for r in rows]
    return [r.name if names.count(r.name) == 1 else r.path for r in rows]


def bar_width(value: Fraction | None) -> str:
    """CSS width of an attainment bar: 0–100% of the plan (beyond it, full)."""
    share = max(0.0, min(1.0, float(value))) if value is not None else 0.0
    return f"{share * 100:.1f}%"


def heat_style(row: ReviewRow | None) -> str:
    return STATUS_STYLE[row.figures.status] if row is not None and row.figures is not None else ""


def is_time(split: SplitReview) -> bool:
    return split.dimension.lower() in time.TIME_DIMENSIONS


# ---- JSON and CSV ------------------------------------------------------------------------------


def _num(value: Fraction | None):
    return to_json_number(value) if value is not None else None


def _row_json(r: ReviewRow) -> dict:
    p = r.figures
    if p is None:  # nothing reported: the plan and the season only
        return {"path": r.path, "owner": r.owner, "plan": _num(r.plan_only), "actual": None,
                "expected": _num(r.expected_only), "gap": None, "attainment": None, "season": _num(r.season),
                "pace": None, "forecast": None, "status": None, "needs": []}
    return {"path": r.path, "owner": r.owner, "plan": _num(p.target), "actual": _num(p.actual),
            "expected": _num(p.expected), "gap": _num(p.gap), "attainment": _num(p.attainment),
            "season": _num(r.season), "pace": _num(p.pace), "forecast": _num(p.forecast), "status": p.status,
            "needs": [{"month": m, "amount": _num(a)} for m, a in p.needs]}


def to_json(review: Review) -> dict:
    t = review.thresholds
    return {"as_of": review.as_of.isoformat(),
            "thresholds": {"ahead": _num(t.ahead), "on_track": _num(t.on_track), "at_risk": _num(t.at_risk)},
            "targets": [_row_json(r) for r in review.every],
            "behind": [r.path for r in review.behind]}


CSV_COLUMNS = ("path", "owner", "plan", "actual", "expected", "gap", "attainment", "season", "pace", "forecast",
               "status", "as_of")


def to_csv(review: Review) -> str:
    """UTF-8 with a byte-order mark (Excel), CRLF: one row per target of the plan (as in `to_json`),
    then a column `needs YYYY-MM` for each month after the as-of date that some target needs."""
    rows = [_row_json(r) for r in review.every]
    months = sorted({n["month"] for j in rows for n in j["needs"]})
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow([*CSV_COLUMNS, *(f"needs {m}" for m in months)])
    for j in rows:
        needs = {n["month"]: n["amount"] for n in j["needs"]}
        out.writerow([_cell(j[c]) if c != "as_of" else review.as_of.isoformat() for c in CSV_COLUMNS]
                     + [_cell(needs.get(m)) for m in months])
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

