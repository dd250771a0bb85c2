"""Aligned plain-text tables for the terminal (`eval`, `diff`, `track`,
`check --list-rules`): one implementation, aligned in terminal columns, so
Chinese names (two columns a character) line up like any other."""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from planc.diagnostics import display_width


def text_table(head: Sequence[str] | None, rows: Sequence[Sequence[str]], align: str,
               rule: bool = False) -> list[str]:
    """Lines of a table: `align` has `l` or `r` per column; two spaces between
    columns; `rule` draws dashes under the heading. A last left-aligned column
    is not padded (no trailing spaces), and its rule is as wide as its heading."""
    table = ([tuple(head)] if head is not None else []) + list(rows)  # the rows themselves, not copies
    if not table:
        return []
    n = len(align)
    # ASCII text (one column a character, every row full): widths by len, lines by a format, in C
    plain = set(map(len, table)) == {n} and all(map(str.isascii, map("".join, table)))
    if plain:
        widths = [max(map(len, column)) for column in zip(*table)]
    else:
        widths = [max(display_width(r[i]) for r in table) for i in range(n)]
    free_end = align[-1] == "l"

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, (cell, width) in enumerate(zip(cells, widths)):
            pad = " " * (width - display_width(cell))
            if align[i] == "r":
                out.append(pad + cell)
            else:
                out.append(cell if free_end and i == n - 1 else cell + pad)
        return "  ".join(out).rstrip()

    if plain:
        lines_of = _ascii_lines(widths, align, free_end)
    else:
        lines_of = lambda rows: [line(r) for r in rows]  # noqa: E731
    lines = []
    if head is not None:
        lines.append(line(head))
        if rule:
            dashes = ["-" * w for w in widths]
            if free_end:
                dashes[-1] = "-" * display_width(head[-1])
            lines.append("  ".join(dashes))
    lines += lines_of(rows)
    return lines


def _ascii_lines(widths: list[int], align: str, free_end: bool):
    """`line` for rows of ASCII text (each character one column): the same padding
    by `str.format`, `{:<w}` or `{:>w}`, the last left-aligned column unpadded."""
    specs = ["{:>%d}" % w if a == "r" else "{:<%d}" % w for a, w in zip(align, widths)]
    if free_end:
        specs[-1] = "{}"
    template = "  ".join(specs)
    return lambda rows: [template.format(*r).rstrip() for r in rows]


def streamed_table(head: Sequence[str], rows: Iterable[Sequence[str]], align: str, widths: Sequence[int],
                   rule: bool = False) -> Iterator[str]:
    """The lines `text_table(head, rows, align, rule)` gives, for a table whose last
    column is left-aligned (never padded) and whose other columns' `widths` the caller
    knows (the display width of each column's widest cell, the heading aside): each
    row is made as its line is written, so `planc eval` of a 400,000-cell cross keeps
    no table in memory."""
    assert align[-1] == "l" and len(head) == len(align) == len(widths) + 1
    n = len(widths)
    widths = [max(w, display_width(h)) for w, h in zip(widths, head)]
    # an ASCII row is padded by a format, in C (as text_table's ASCII path); others by display width
    template = "  ".join("{:>%d}" % w if a == "r" else "{:<%d}" % w for a, w in zip(align, widths)) + "  {}"

    def line(cells: Sequence[str]) -> str:
        text = template.format(*cells)
        if text.isascii():  # (one check of the line, not one per cell)
            return text.rstrip()
        out = [" " * (w - display_width(c)) + c if a == "r" else c + " " * (w - display_width(c))
               for c, w, a in zip(cells, widths, align)]
        return "  ".join([*out, cells[n]]).rstrip()

    yield line(head)
    if rule:
        yield "  ".join(["-" * w for w in widths] + ["-" * display_width(head[n])])
    yield from map(line, rows)
