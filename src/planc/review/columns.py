"""The quickest way through a large, clean long-format actuals file: columns.

A long (`target,period,amount`) or transactions (`date,target,amount`) file
of at least `MIN_BYTES` is read in blocks of about `BLOCK` characters, each
cut at a line's end, and each block is taken apart as numpy arrays over its
UTF-8 bytes instead of row by row: where its commas and line ends are (every
line must have the header's number of fields), the amounts parsed digit by
digit into exact integers on a common power of ten, each period's bytes as
one or two integers, and the targets as runs of equal bytes (an export lists
the rows of one target together: each run's text is decoded once). Then
each distinct target and period text is named once, and the rows become one
matrix of amounts (review/grid.py): targets off the time axis
(`review.rollup.Placer`) by the file's periods (`slots`), as
`review.vectors.Vectors` keeps them as tuples. Its roll-up (`Matrix.roll`)
adds its rows bottom-up, a level of the plan at a time.

Only a file with nothing to say takes this way; anything else — a block with
a `"` or a lone `\\r`, a line with another number of fields, an amount that
is not a plain decimal number (`1,234.50`, `1e3`, ` 12`, `NaN`, more than 18
digits), a target or period not named, two rows of one target and period in
a long file, a row outside its target's dates, a sum beyond an amount — and
the file is read again the way of review/actuals.py, which says what is
wrong, with the same figures and diagnostics as ever. So does the roll-up,
when it could differ from `review.rollup.Rollup` (as `review.vectors.roll`).

Exactness: an amount is the integer `amount × 10^places` (at most 18 digits,
so it fits in int64), every amount of the file on the largest `places` of
any; sums run in int64 only when the sum of all the magnitudes fits (no sum
can be larger), else on Python integers; each target's figure becomes a
`Fraction` of that integer and the power of ten.
"""

from __future__ import annotations

import csv
from itertools import repeat
from operator import itemgetter
from typing import Any

from planc.review.grid import Matrix
from planc.semantics import time
from planc.semantics.model import TargetNode, pair_entries

Dates = time.Dates
MIN_BYTES = 1 << 20  # smaller files: the way of review/actuals.py (numpy costs about 0.1 s to import)
BLOCK = 1 << 21  # characters read at a time
MAX_CELLS = 1 << 24  # distinct target texts × periods
MAX_SLOTS = 400  # as review/vectors.py
NARROW = 16  # bytes of a period or target field beyond which the file takes the long way
INT64_SAFE = 2 ** 62


def read(file: Any, opener) -> bool:
    """Read `file` (a `review.actuals._File`, opened by `opener`) the quick way and add
    its amounts to its `Actuals`; False, leaving no trace, when the file is not one for it."""
    try:
        if file.spec.path.stat().st_size < MIN_BYTES:
            return False
    except (OSError, ValueError):
        return False
    stream, _why = opener(file.spec)
    if stream is None:
        return False
    kept, counts = len(file.diags), dict(file.counts)
    try:
        with stream:
            found = _read(file, stream)
    except (UnicodeError, csv.Error, OSError, ValueError, ArithmeticError, LookupError, MemoryError):
        found = None  # the long way says what it is
    if found is None:
        del file.diags[kept:]
        file.counts.clear()
        file.counts.update(counts)
        file.names.clear()
        file.periods.clear()
        return False
    file.actuals.add(found)
    return True


def _read(file: Any, stream) -> "Matrix | None":
    reader = csv.reader(stream)
    header = next((r for r in reader if any(c.strip() for c in r)), None)
    if header is None:
        return None
    shape = file.shape(header, reader.line_num)
    if shape is None or shape.kind not in ("long", "transactions"):
        return None
    file.shape_ = shape
    columns = _scan(stream, len(header), shape.target, shape.period, shape.amount)
    if columns is None:
        return None
    return _settle(file, shape.kind == "transactions", *columns)


# ---- the blocks ----------------------------------------------------------------------------


def _blocks(stream):
    """The rest of the stream in blocks of whole lines, `\\r\\n` as `\\n`; None for a block
    the quick way cannot cut (a quote, a lone `\\r`)."""
    while True:
        block = stream.read(BLOCK)
        if not block:
            return
        block += stream.readline()  # to the end of a line (and of a `\r\n` cut in two)
        if "\r" in block:
            block = block.replace("\r\n", "\n")
            if "\r" in block:
                yield None
                return
        if '"' in block or "\x00" in block:  # quoted fields; a NUL, which csv.reader refuses
            yield None
            return
        if not block.endswith("\n"):
            block += "\n"
        yield block


def _scan(stream, width: int, ti: int, pi: int, ai: int):
    """(target texts, target id of each row, period texts, period id of each row,
    amounts as integers, their power of ten) or None."""
    import numpy as np

    targets: dict[bytes, int] = {}
    periods = _Codes(np)
    tids, pids, amounts, scales = [], [], [], []
    for block in _blocks(stream):
        if block is None:
            return None
        raw = block.encode("utf-8")
        u = np.frombuffer(raw + bytes(8 * NARROW), dtype=np.uint8)  # NUL after the end: see _chars
        separators: Any = np.flatnonzero((u == 44) | (u == 10))
        if len(separators) % width:
            return None
        separators = separators.reshape(-1, width)  # each line: its commas, then its end
        kinds = u[separators]
        if not ((kinds[:, :-1] == 44).all() and (kinds[:, -1] == 10).all()):
            return None  # a line with another number of fields
        commas: Any = separators[:, :-1]
        ends = separators[:, -1]
        n = len(ends)
        starts = np.empty(n, dtype=np.int64)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        if int((ends - starts).max()) > csv.field_size_limit():
            return None  # csv.reader refuses a field that long

        def field(j: int) -> tuple[Any, Any]:
            begin = starts if j == 0 else commas[:, j - 1] + 1
            return begin, (commas[:, j] if j < width - 1 else ends)

        got = _amounts(np, u, *field(ai))
        if got is None:
            return None
        mine = periods.of(u, *field(pi))
        tid = _runs(np, u, raw, *field(ti), targets)
        if mine is None or tid is None:
            return None
        amounts.append(got[0])
        scales.append(got[1])
        pids.append(mine)
        tids.append(tid)
    if not amounts:
        return None
    places = max(scales)
    wide = any(int(np.abs(values).max()) * 10 ** (places - scale) >= INT64_SAFE
               for values, scale in zip(amounts, scales))
    for i, (values, scale) in enumerate(zip(amounts, scales)):
        if wide:  # on the common power of ten, beyond int64: Python integers
            values = values.astype(object)
        if scale != places or wide:
            amounts[i] = values * 10 ** (places - scale)
    period_texts = [b.decode("utf-8") for b in periods.texts]
    return ([t.decode("utf-8") for t in targets], np.concatenate(tids), period_texts, np.concatenate(pids),
            np.concatenate(amounts), places)


def _chars(np, u, begin, length, width: int):
    """The bytes of each field, NUL after its end: a row of `width` bytes each
    (`u` ends with at least `width` NUL bytes)."""
    from numpy.lib.stride_tricks import sliding_window_view

    chars = sliding_window_view(u, width)[begin]
    chars *= np.tri(width + 1, width, -1, dtype=np.uint8)[np.minimum(length, width)]  # 1 inside the field
    return chars


def _amounts(np, u, begin, end):
    """Each field a plain decimal number (`-12`, `1234.5`, `.50`), as (integers, places).
    (Row by row sums are slow in numpy for a few bytes a row: the counts are kept column
    by column, along with the digits.)"""
    length = end - begin
    if not len(length) or length.min() < 1 or length.max() > 20:
        return None
    width = int(length.max())
    chars = _chars(np, u, begin, length, width)
    negative = chars[:, 0] == 45
    dots = chars == 46
    digits = (chars - 48) < 10  # uint8: below "0" wraps round
    fine = digits | dots | (chars == 0)
    fine[:, 0] |= negative
    if not fine.all():
        return None
    n = len(length)
    values = np.zeros(n, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)  # digits
    places = np.zeros(n, dtype=np.int64)  # digits after the dot
    seen = np.zeros(n, dtype=np.int64)  # dots
    for j in range(width):
        digit = digits[:, j]
        values = np.where(digit, values * 10 + (chars[:, j] - 48), values)
        count += digit
        places += digit & (seen > 0)
        seen += dots[:, j]
    if count.min() < 1 or seen.max() > 1 or count.max() > 18:
        return None
    scale = int(places.max())
    if (count + scale - places).max() > 18:  # on the block's power of ten, beyond int64: Python integers
        values = values.astype(object) * np.array([10 ** k for k in range(scale + 1)], dtype=object)[scale - places]
    else:
        values *= 10 ** (scale - places)
    return np.where(negative, -values, values), scale


class _Codes:
    """A small integer for each distinct field of at most NARROW bytes (the periods):
    `texts` bytes → id; `keys`, sorted, and `ids`: the same for fields of at most 8 bytes,
    as one integer each."""

    def __init__(self, np) -> None:
        self.np = np
        self.texts: dict[bytes, int] = {}
        self.keys = np.zeros(0, dtype=np.uint64)
        self.ids = np.zeros(0, dtype=np.int32)

    def of(self, u, begin, end):
        np = self.np
        length = end - begin
        if not len(length) or length.max() > NARROW:
            return None
        words = np.ascontiguousarray(_chars(np, u, begin, length, 8 if length.max() <= 8 else NARROW)
                                     ).view(np.uint64)
        if words.shape[1] > 1:  # longer than 8 bytes (a day, 2027-03-15): sorted out the long way
            _, inverse1 = np.unique(words[:, 0], return_inverse=True)
            second, inverse2 = np.unique(words[:, 1], return_inverse=True)
            _, first, inverse = np.unique(inverse1.reshape(-1) * len(second) + inverse2.reshape(-1),
                                          return_index=True, return_inverse=True)
            mapped = np.array([self.name(u, begin[row], end[row]) for row in first.tolist()], dtype=np.int32)
            return mapped[inverse.reshape(-1)]
        keys = words[:, 0]
        at = np.minimum(np.searchsorted(self.keys, keys), max(len(self.keys) - 1, 0))
        if not len(self.keys) or not (self.keys[at] == keys).all():
            new = keys if not len(self.keys) else keys[self.keys[at] != keys]
            _, first = np.unique(new, return_index=True)
            rows = np.flatnonzero(np.isin(keys, new[first]))
            for key in new[first].tolist():
                row = int(rows[keys[rows] == key][0])
                self.ids = np.append(self.ids, self.name(u, begin[row], end[row]))
                self.keys = np.append(self.keys, np.uint64(key))
            order = np.argsort(self.keys)
            self.keys, self.ids = self.keys[order], self.ids[order]
            at = np.searchsorted(self.keys, keys)
        return self.ids[at]

    def name(self, u, begin: int, end: int) -> int:
        return self.texts.setdefault(bytes(u[begin:end]), len(self.texts))


def _runs(np, u, raw: bytes, begin, end, known: dict[bytes, int]):
    """The id of each row's target text: rows of one target follow each other,
    so a text is looked up once a run (`known`: its UTF-8 bytes → id)."""
    length = end - begin
    n = len(length)
    width = -(-int(length.max()) // 8) * 8 or 8
    if width > 4 * NARROW:
        return None
    words = np.ascontiguousarray(_chars(np, u, begin, length, width)).view(np.uint64)
    head = np.zeros(n, dtype=bool)
    head[0] = True
    for k in range(words.shape[1]):  # (word by word: a sum along rows of a few words is slow in numpy)
        head[1:] |= words[1:, k] != words[:-1, k]
    starts = np.flatnonzero(head)
    texts = [raw[b:e] for b, e in zip(begin[starts].tolist(), end[starts].tolist())]
    for text in texts:
        if text not in known:
            known[text] = len(known)
    ids = np.fromiter(map(known.__getitem__, texts), dtype=np.int32, count=len(texts))
    return ids[np.cumsum(head) - 1]


# ---- naming and the matrix -----------------------------------------------------------------


def _settle(file: Any, adds: bool, texts: list[str], tid, whens: list[str], pid, values, places: int):
    import numpy as np

    nodes = _names(file, texts)
    dates = [file.quiet_period(w) for w in whens]
    if None in nodes or None in dates or not 0 < len(whens) <= MAX_SLOTS:
        return None
    order = sorted(range(len(whens)), key=dates.__getitem__)
    slots: list[Dates] = [dates[i] for i in order]
    if any(b[0] <= a[1] for a, b in zip(slots, slots[1:])):
        return None  # the same dates twice, or overlapping ones
    width, count = len(slots), len(texts)
    if width * count > MAX_CELLS:
        return None
    slot_of = np.empty(len(whens), dtype=np.int64)
    slot_of[order] = np.arange(width)
    keys = tid.astype(np.int64) * width + slot_of[pid]
    seen = np.bincount(keys, minlength=width * count)
    if not adds and seen.max() > 1:
        return None  # a target and period twice: E044 the long way
    present: Any = (seen > 0).reshape(count, width)
    exact = values.dtype != object and float(np.abs(values).sum(dtype=np.float64)) < INT64_SAFE
    cells: Any = np.zeros(width * count, dtype=np.int64 if exact else object)
    if adds:
        np.add.at(cells, keys, values if values.dtype == cells.dtype else values.astype(object))
        limit = 10 ** (18 + places)  # amounts.MAX_AMOUNT, as review/actuals.py's LIMIT
        if int(np.abs(cells).max()) > limit:
            return None
    else:
        cells[keys] = values if values.dtype == cells.dtype else values.astype(object)
    cells = cells.reshape(count, width)
    placed = file.actuals.places.place_all(nodes)
    if not _within_dates(placed, slots, present):
        return None
    keys = list(map(id, map(itemgetter(0), placed)))
    row_of = dict(zip(dict.fromkeys(keys), range(len(keys))))
    wid = list(map(row_of.__getitem__, keys))
    wheres = list(dict(zip(keys, map(itemgetter(0), placed))).values())
    if len(wheres) < count:  # two names of one target: their rows add up
        summed = np.zeros((len(wheres), width), dtype=cells.dtype)
        np.add.at(summed, wid, cells)
        marks = np.zeros((len(wheres), width), dtype=bool)
        np.logical_or.at(marks, wid, present)
        cells, present = summed, marks
    file.names.update(zip(texts, nodes))
    file.periods.update(zip(whens, dates))
    return Matrix(slots, cells, present, wheres, row_of, places)


def _names(file: Any, texts: list[str]) -> list[TargetNode | None]:
    """What each target text names (`_File.quiet_target`), the usual cases inlined:
    a full path, or the one candidate sharing its last two components (the look-ups
    mapped over all the texts at once)."""
    model = file.index.model
    full, by_pair, by_name = model.targets, model.by_pair, model.by_name
    names = list(map(str.strip, texts))
    out: list[TargetNode | None] = list(map(full.get, names))
    if None not in out:
        return out
    if not by_name:
        return [node or file.quiet_target(raw) for node, raw in zip(out, texts)]
    tails = list(map(str.rpartition, names, repeat(".")))  # (head, ".", last)
    seconds = map(itemgetter(2), map(str.rpartition, map(itemgetter(0), tails), repeat(".")))
    if model.crosses:  # cells are found through their cross, not in the index
        buckets: list[Any] = [pair_entries(by_pair, model.crosses, before, last)
                              for before, last in zip(seconds, map(itemgetter(2), tails))]
    else:
        buckets = list(map(by_pair.get, zip(seconds, map(itemgetter(2), tails))))
    for i, node in enumerate(out):
        if node is not None:
            continue
        name = names[i]
        bucket: Any = (buckets[i] or ()) if tails[i][1] else by_name.get(name, ())
        if len(bucket) == 1:
            path, found = bucket[0]
            out[i] = found if path == name or path.endswith("." + name) else None
        else:
            out[i] = file.quiet_target(texts[i])
    return out


def _within_dates(placed: list[tuple[TargetNode, Dates]], slots: list[Dates], present) -> bool:
    """Is every row within its target's dates (`placed`: where and dates of each target text)?"""
    first, last = slots[0][0], max(s[1] for s in slots)
    by_cover: dict[Dates, list[int]] = {}
    for i, (_, cover) in enumerate(placed):
        if not (cover[0] <= first and last <= cover[1]):
            by_cover.setdefault(cover, []).append(i)
    for cover, rows in by_cover.items():
        outside = [j for j, s in enumerate(slots) if not (cover[0] <= s[0] and s[1] <= cover[1])]
        if present[rows][:, outside].any():
            return False
    return True
