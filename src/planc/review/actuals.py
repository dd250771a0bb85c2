"""Actuals as data: CSV exports read, checked and named by the plan.

An actuals file is one of the shapes sales-ops tools export (docs/review.md):

- long: `target,period,amount` — a period is a month (`2027-03`), a day
  (`2027-03-15`) or a time name (`Mar`, `三月`, `Q1`, `一季度`);
- transactions: `date,target,amount` — rows of one target and day add up;
- wide: `target,Jan,…,Dec` (or `2027-01`, `一月`, …): one column per period;
- totals: `target,amount` — the actual to date of each target, undated.

Columns are found by their header (`target`/`name`/`目标`, `period`/`month`/
`期间`/`月份`, `date`/`日期`, `amount`/`value`/`actual`/`金额`/`实际`), in any
order. A target is any reference the plan resolves: a leaf rep, a product,
a cross cell such as `华东.一季度`. The file is read as a stream: memory grows
with the distinct (target, period) pairs it sums, not with its rows; every
problem is a diagnostic at the file's own line and column. A clean file
(no problem, nothing ambiguous) is rolled up the quick way, review/vectors.py.
"""

from __future__ import annotations

import csv
import decimal
import os
import stat
from pathlib import Path
from typing import Iterator

import attrs

from planc.diagnostics import Diagnostic, error
from planc.semantics import time
from planc.review.rollup import EXACT, Actuals
from planc.review.vectors import vectors
from planc.semantics.model import Model, TargetNode, find_targets
from planc.source import Source, Span

Dates = time.Dates

TARGET = ("target", "name", "目标", "名称")
PERIOD = ("period", "month", "期间", "月份", "月")
DATE = ("date", "day", "日期")
AMOUNT = ("amount", "value", "actual", "actuals", "金额", "实际", "销售额")
LIMIT = decimal.Decimal(10) ** 18  # amounts.MAX_AMOUNT
MAX_REPORTED = 20  # problems of one kind reported per file; the rest are counted
QUICK = True  # a clean file the quick way (review/vectors.py); tests turn it off to compare


@attrs.frozen
class ActualsFile:
    """Where actuals are: a CSV path, its name in diagnostics, its encoding,
    and (when the plan declares it) the `csv("…")` it was named by."""

    path: Path
    shown: str
    encoding: str = "utf-8"
    span: Span | None = None


@attrs.frozen
class Shape:
    kind: str  # long | transactions | wide | totals
    target: int
    amount: int = -1
    period: int = -1  # the period or date column
    wide: tuple[tuple[int, str], ...] = ()  # (column, header) of each period column


# ---- reading -----------------------------------------------------------------------------


def read(files: list[ActualsFile], model: Model, period: Dates) -> tuple[Actuals, list[Diagnostic]]:
    """Every row of every file, named by the plan and summed; problems as diagnostics."""
    index = TargetIndex(model)
    actuals = Actuals(period)
    diags: list[Diagnostic] = []
    with decimal.localcontext(EXACT):
        for spec in files:
            mine: list[Diagnostic] = []
            origin = _File(spec, index, period, actuals, mine)
            actuals.files.append(origin)
            origin.read()
            diags += sorted(mine, key=lambda d: (d.line, d.column, d.code))
    return actuals, diags



def _open(spec: ActualsFile):
    """A text stream of a regular file, or (None, why not)."""
    from planc.semantics.loader import path_problem

    why = path_problem(str(spec.path))
    if why is not None:
        return None, why
    try:
        fd = os.open(spec.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None, "no such file"
    except OSError as exc:
        return None, exc.strerror or str(exc)
    kind = os.fstat(fd).st_mode
    if not stat.S_ISREG(kind):
        os.close(fd)
        return None, "it is a directory" if stat.S_ISDIR(kind) else "it is not a regular file"
    try:
        return open(fd, encoding=spec.encoding, newline="", errors="strict"), None
    except LookupError:
        os.close(fd)
        return None, f"`{spec.encoding}` is not an encoding Python knows"


class _File:
    """One actuals file: read in one pass into sums per (target, period) text,
    then each distinct target and period is resolved once."""

    def __init__(self, spec: ActualsFile, index: "TargetIndex", period: Dates,
                 actuals: Actuals, diags: list[Diagnostic]) -> None:
        self.spec, self.index, self.period, self.actuals, self.diags = spec, index, period, actuals, diags
        self._source: Source | None = None
        self.names: dict[str, TargetNode | None] = {}  # as written -> target
        self.periods: dict[str, Dates | None] = {}  # as written -> dates
        self.counts: dict[str, int] = {}

    # -- diagnostics at the file's own lines
    def source(self) -> Source:
        if self._source is None:
            with open(self.spec.path, encoding=self.spec.encoding, errors="replace", newline="") as f:
                self._source = Source(self.spec.shown, f.read())
        return self._source

    def at(self, line: int, field: str | None = None, column: int = 0) -> Span | None:
        """The span of `field` (or of the `column`th field) on `line`."""
        source = self.source()
        if not 1 <= line <= source.line_count:
            return None
        start = source._line_starts[line - 1]
        text = source.line_text(line)
        if field:
            found = text.find(field)
            if found >= 0:
                return Span(source, start + found, start + found + max(len(field), 1))
        offset = 0
        for _ in range(column):
            comma = text.find(",", offset)
            if comma < 0:
                offset = len(text)  # the field is missing: just after the line's end
                break
            offset = comma + 1
        return Span(source, start + offset, start + offset + 1)

    def problem(self, code: str, message: str, span: Span | None, severity: str = "error", **kw) -> None:
        self.counts[code] = self.counts.get(code, 0) + 1
        if self.counts[code] > MAX_REPORTED:
            return
        from planc.diagnostics import warning

        make = error if severity == "error" else warning
        self.diags.append(make(code, message, span, path=self.spec.shown, **kw))

    def undecodable(self) -> None:
        """Where the first byte that is not text in the file's encoding is."""
        raw = self.spec.path.read_bytes()
        try:
            raw.decode(self.spec.encoding)
            offset = 0
        except UnicodeDecodeError as exc:
            offset = exc.start
        line = raw.count(b"\n", 0, offset) + 1
        column = len(raw[raw.rfind(b"\n", 0, offset) + 1: offset].decode(self.spec.encoding, "replace")) + 1
        declared = self.spec.span is not None
        source = self.source()
        start = source._line_starts[line - 1] + column - 1 if line <= source.line_count else 0
        self.spec = attrs.evolve(self.spec, span=self.spec.span or Span(source, start, start + 1))
        self.unreadable(f"cannot decode byte 0x{raw[offset]:02x} (line {line}, column {column})", declared)

    def unreadable(self, why: str, declared: bool | None = None) -> None:
        encoding = "UTF-8" if self.spec.encoding.lower().replace("-", "") in ("utf8", "utf8sig") \
            else self.spec.encoding
        if "decode" in why or "codec" in why:
            if declared is None:
                declared = self.spec.span is not None
            how = f'csv("{self.spec.path.name}", encoding: "gb18030")' if declared else "--encoding gb18030"
            self.diags.append(error(
                "E041", f"actuals file `{self.spec.shown}` is not {encoding} text: {why}", self.spec.span,
                path=self.spec.shown,
                help=f"a file Excel saved on Chinese Windows is GB18030: give its encoding, {how}, "
                     "or save it as CSV UTF-8"))
        else:
            self.diags.append(error("E040", f"cannot read actuals file `{self.spec.shown}`: {why}",
                                    self.spec.span, path=self.spec.shown))

    # -- the one pass
    def read(self) -> None:
        from planc.review import columns

        if QUICK and columns.read(self, _open):  # a large clean file, as columns
            return
        stream, why = _open(self.spec)
        if stream is None:
            self.unreadable(why or "")
            return
        try:
            with stream:
                reader = csv.reader(stream)
                try:
                    sums = self.scan(reader)
                except UnicodeDecodeError:
                    self.undecodable()
                    return
                except csv.Error as exc:
                    self.problem("E042", f"`{self.spec.shown}` is not valid CSV: {exc}",
                                 self.at(reader.line_num))
                    return
                except decimal.DecimalException:
                    self.problem("E043", f"line {reader.line_num}: the amounts add up beyond any amount",
                                 self.at(reader.line_num, column=self.shape_.amount),
                                 help="amounts are limited to ±10^18")
                    return
        except OSError as exc:
            self.unreadable(exc.strerror or str(exc))
            return
        if sums is not None:
            self.settle(sums)

    def scan(self, reader) -> dict[str, dict[str, decimal.Decimal]] | None:
        header = next((r for r in reader if any(c.strip() for c in r)), None)
        if header is None:
            self.problem("E042", f"actuals file `{self.spec.shown}` is empty", self.spec.span,
                         help="the first line is a header, e.g. `target,period,amount`")
            return None
        shape = self.shape(header, reader.line_num)
        if shape is None:
            return None
        self.shape_ = shape
        if shape.kind == "wide":
            return self.scan_wide(reader, shape)
        return self.scan_long(reader, shape)

    def shape(self, header: list[str], line: int) -> Shape | None:
        names = [h.strip().lower() for h in header]

        def find(words: tuple[str, ...]) -> int:
            return next((i for i, n in enumerate(names) if n in words), -1)

        target, amount, period, date = find(TARGET), find(AMOUNT), find(PERIOD), find(DATE)
        if target < 0:
            target = 0 if names and not time.period_dates(names[0], self.period) else -1
        if target >= 0 and amount >= 0 and (period >= 0 or date >= 0):
            return Shape("long" if period >= 0 else "transactions", target, amount, period if period >= 0 else date)
        if target >= 0 and amount >= 0 and len(names) == 2:
            return Shape("totals", target, amount)
        wide = tuple((i, h.strip()) for i, h in enumerate(header) if i != target and h.strip())
        if target >= 0 and wide and all(time.period_dates(h, self.period) for _, h in wide):
            return Shape("wide", target, wide=wide)
        semicolons = ";" in ",".join(header)
        self.problem("E042", f"actuals file `{self.spec.shown}` has a header this shape of actuals does not "
                     f"know: `{','.join(header)}`", self.at(line, column=0),
                     help=("the file is separated by `;`: export it with commas; " if semicolons else "") + "write `target,period,amount` (long), `date,target,amount` (transactions), "
                          "`target,Jan,Feb,…` (wide) or `target,amount` (totals to date)")
        return None

    def scan_long(self, reader, shape: Shape) -> dict[str, dict[str, decimal.Decimal]]:
        ti, pi, ai = shape.target, shape.period, shape.amount
        width = max(ti, pi, ai) + 1
        adds = shape.kind == "transactions"
        undated = shape.kind == "totals"
        number = decimal.Decimal
        sums: dict[str, dict[str, decimal.Decimal]] = {}
        for row in reader:
            if len(row) < width:
                if any(c.strip() for c in row):
                    self.problem("E042", f"line {reader.line_num} has {len(row)} fields; expected {width}",
                                 self.at(reader.line_num, column=len(row)))
                continue
            target, raw = row[ti], row[ai]
            when = "" if undated else row[pi]
            try:
                value = number(raw)  # NaN and infinities are reported once summed (resolve)
            except decimal.InvalidOperation:
                slow = self.slow_number(raw, reader.line_num, ai)
                if slow is None:
                    continue
                value = slow
            inner = sums.get(target)
            if inner is None:
                inner = sums[target] = {}
            if when in inner:
                if adds:
                    inner[when] += value
                    continue
                self.duplicate(target, when, reader.line_num)
                continue
            inner[when] = value
        return sums

    def scan_wide(self, reader, shape: Shape) -> dict[str, dict[str, decimal.Decimal]]:
        sums: dict[str, dict[str, decimal.Decimal]] = {}
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            target = row[shape.target] if shape.target < len(row) else ""
            inner = sums.get(target)
            if inner is not None:
                self.duplicate(target, None, reader.line_num)
                continue
            inner = sums[target] = {}
            for column, when in shape.wide:
                raw = row[column].strip() if column < len(row) else ""
                if not raw:
                    continue  # a month not yet reported
                try:
                    value = decimal.Decimal(raw)
                    if not value.is_finite():
                        raise decimal.InvalidOperation
                except decimal.InvalidOperation:
                    slow = self.slow_number(raw, reader.line_num, column)
                    if slow is None:
                        continue
                    value = slow
                inner[when] = value
        return sums

    def slow_number(self, raw: str, line: int, column: int) -> decimal.Decimal | None:
        """The plan's own number forms (`1,234.50`, `1.2M`, `30万`), else E043."""
        from planc.semantics.loader import _csv_number

        value = _csv_number(raw.strip()) if not raw.strip().endswith("%") else None
        if value is None:
            self.problem("E043", f"`{raw.strip()}` is not an amount", self.at(line, raw.strip() or None, column),
                         label="expected a number", help="amounts are plain numbers such as 1234.50, "
                         "optionally with thousands separators or k/M/万/亿")
            return None
        return decimal.Decimal(value.numerator) / decimal.Decimal(value.denominator) \
            if value.denominator != 1 else decimal.Decimal(value.numerator)

    def duplicate(self, target: str, when: str | None, line: int) -> None:
        first = self.first_line(target, when)
        what = f"`{target.strip()}`" + (f" in `{when.strip()}`" if when else "")
        self.problem("E044", f"duplicate actuals row for {what}" + (f" (first on line {first})" if first else ""),
                     self.at(line, target.strip() or None), label="given again here",
                     help="an export lists each target and period once; for transactions, name the column `date`")

    def first_line(self, target: str, when: str | None) -> int | None:
        """Where a (target, period) was first given: found again only for a problem."""
        shape = self.shape_
        with open(self.spec.path, encoding=self.spec.encoding, errors="replace", newline="") as f:
            reader = csv.reader(f)
            next(reader, None)
            for row in reader:
                if shape.target < len(row) and row[shape.target] == target and (
                        when is None or (shape.period < len(row) and row[shape.period] == when)):
                    return reader.line_num
        return None

    def lines_with(self, column: int, value: str) -> Iterator[int]:
        with open(self.spec.path, encoding=self.spec.encoding, errors="replace", newline="") as f:
            reader = csv.reader(f)
            for row in reader:
                if column < len(row) and row[column] == value:
                    yield reader.line_num

    # -- naming the targets and periods
    def settle(self, sums: dict[str, dict[str, decimal.Decimal]]) -> None:
        """The quick way (review/vectors.py) when every name and period is clean,
        else the long way, which says what is wrong."""
        if QUICK and self.shape_.kind in ("long", "transactions"):
            targets = [self.quiet_target(text) for text in sums]
            whens = {when: self.quiet_period(when) for when in set().union(*sums.values())}
            found = vectors(sums, targets, whens, self.actuals.places, LIMIT)
            if found is not None:
                self.names.update(zip(sums, targets))
                self.periods.update(whens)
                self.actuals.add(found)
                return
        self.resolve(sums)

    def quiet_target(self, raw: str) -> TargetNode | None:
        found = self.index.find(raw.strip())
        return found[0] if len(found) == 1 else None

    def quiet_period(self, when: str) -> Dates | None:
        dates = time.period_dates(when, self.period) if when else None
        if dates is None or not (self.period[0] <= dates[0] and dates[1] <= self.period[1]):
            return None
        return dates

    def resolve(self, sums: dict[str, dict[str, decimal.Decimal]]) -> None:
        shape = self.shape_
        places, actuals = self.actuals.places, self.actuals
        periods = self.periods
        for raw_target, inner in sums.items():
            node = self.target(raw_target)
            if node is None:
                continue
            where, cover = places.place(node)
            bucket = actuals.bucket(where)
            try:  # one look at the whole row's amounts, in C; a NaN or one too large: row by row
                big = not inner or max(inner.values()) > LIMIT or min(inner.values()) < -LIMIT
            except decimal.InvalidOperation:
                big = True
            for when, value in inner.items():
                if big and (not value.is_finite() or abs(value) > LIMIT):
                    self.problem("E043", f"`{value}` is beyond the bounds of an amount (±10^18)",
                                 self.where(raw_target, when or None))
                    continue
                dates = cover
                if when:
                    found = periods[when] if when in periods else self.period_of(when, shape)
                    if found is None:
                        continue
                    dates = found
                    if not (cover[0] <= dates[0] and dates[1] <= cover[1]):
                        self.problem("E045", f"`{when.strip()}` is outside the dates of `{node.path}` "
                                     f"({cover[0]} .. {cover[1]})", self.where(raw_target, when),
                                     help="give this row to the target that covers the period")
                        continue
                bucket[dates] = bucket[dates] + value if dates in bucket else value

    def locate(self, where: TargetNode, dates: Dates) -> tuple[Span | None, str, str] | None:
        shape = getattr(self, "shape_", None)
        if shape is None:
            return None
        places = self.actuals.places
        with open(self.spec.path, encoding=self.spec.encoding, errors="replace", newline="") as f:
            reader = csv.reader(f)
            next(reader, None)
            for row in reader:
                if shape.target >= len(row):
                    continue
                node = self.names.get(row[shape.target])
                if node is None or places.place(node)[0] is not where:
                    continue
                whens = [h for _, h in shape.wide] if shape.kind == "wide" else \
                    [row[shape.period] if shape.kind != "totals" and shape.period < len(row) else ""]
                for when in whens:
                    got = self.periods.get(when) if when else places.place(node)[1]
                    if got == dates:
                        return self.at(reader.line_num, row[shape.target].strip() or None), self.spec.shown, when
        return None

    def where(self, target: str, when: str | None = None, mark_target: bool = False) -> Span | None:
        """The span of the period (or, `mark_target`, the target) of the row of `target` in `when`."""
        shape = self.shape_
        for line in self.lines_with(shape.target, target):
            if when is None or shape.kind == "wide":
                mark = when if shape.kind == "wide" and when and not mark_target else target
                return self.at(line, mark.strip() or None)
            row_text = self.source().line_text(line)
            if when in row_text:
                return self.at(line, (target if mark_target else when).strip() or None)
        return None

    def period_of(self, when: str, shape: Shape) -> Dates | None:
        self.periods[when] = dates = time.period_dates(when, self.period)
        first, last = self.period
        if dates is None or not (first <= dates[0] and dates[1] <= last):
            line = 1 if shape.kind == "wide" else next(self.lines_with(shape.period, when), 1)
            what = "is not a period" if dates is None else f"is outside the plan period ({first} .. {last})"
            self.problem("E045", f"`{when.strip()}` {what}", self.at(line, when.strip() or None),
                         help="periods are months such as 2027-03, days such as 2027-03-15, or the plan's "
                              "time names (Mar, 三月, Q1, 一季度)")
            self.periods[when] = None
            return None
        return dates

    def target(self, raw: str) -> TargetNode | None:
        name = raw.strip()
        found = self.index.find(name)
        self.names[raw] = found[0] if len(found) == 1 else None
        if len(found) == 1:
            return found[0]
        span = self.where(raw)
        if not found:
            from planc.diagnostics.suggest import did_you_mean

            guess = did_you_mean(name, self.index.names())
            self.problem("E046", f"actuals for `{name}`: `{name}` is not a target of the plan", span,
                         label="unknown target", help=guess if guess else
                         "name a target as the plan does: `east`, `east.Q1`, or its full path")
        else:
            self.problem("E046", f"actuals for `{name}`: `{name}` is ambiguous ("
                         + ", ".join(n.path for n in found) + ")", span,
                         label="which target?", help="write more of its path, e.g. `" + found[0].path + "`")
        return None


class TargetIndex:
    """Names → targets as the plan resolves them (language.md §4.3): a full
    path, or the shortest unambiguous tail of one, through the resolver's own
    name index (`Model.named`), so that many thousands of distinct names cost a
    dictionary look-up or two each."""

    def __init__(self, model: Model) -> None:
        self.model = model

    def find(self, name: str) -> list[TargetNode]:
        return find_targets(self.model, name)

    def names(self) -> list[str]:
        return list(self.model.by_name) + list(self.model.targets)
