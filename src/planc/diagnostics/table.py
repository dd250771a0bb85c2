"""Aligned plain-text tables for the terminal (`eval`, `diff`, `track`,
`check --list-rules`): one implementation, aligned in terminal columns, so
Chinese names (two columns a character) line up like any other."""

from __future__ import annotations

from typing import Sequence

from planc.diagnostics import display_width


def text_table(head: Sequence[str] | None, rows: Sequence[Sequence[str]], align: str,
               rule: bool = False) -> list[str]:
    """Lines of a table: `align` has `l` or `r` per column; two spaces between
    columns; `rule` draws dashes under the heading. A last left-aligned column
    is not padded (no trailing spaces), and its rule is as wide as its heading."""
    table = ([list(head)] if head is not None else []) + [list(r) for r in rows]
    if not table:
        return []
    n = len(align)
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

    lines = []
    if head is not None:
        lines.append(line(head))
        if rule:
            dashes = ["-" * w for w in widths]
            if free_end:
                dashes[-1] = "-" * display_width(head[-1])
            lines.append("  ".join(dashes))
    lines += [line(r) for r in rows]
    return lines
