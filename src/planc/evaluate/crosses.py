"""Crossed dimensions at evaluation (language.md §4.10): the cells are filled
from the rounded row and column totals — proportionally, or by IPF to a 2-D
seed table — and then rounded with controlled rounding so both margins stay
exact. The cells themselves are made at resolve time (`planc.semantics.cross`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

from planc.amounts import format_amount
from planc.diagnostics import error
from planc.evaluate.explain import cell_wording
from planc.evaluate.record import Derivation, Input, Scope, keep_lazily
from planc.semantics.expressions import one_line
from planc.maths.matrix import ExactCells, Infeasible, controlled_round, ipf_exact, proportional_exact
from planc.semantics.model import CrossNode, TargetNode

# RAS converges linearly; a seed whose cells span many orders of magnitude can
# crawl. Cap the work so a bad seed fails in seconds, not minutes: at most
# 2,000 sweeps, fewer for a large cross (20 million cell updates in all, but
# never fewer than 50 sweeps), then at most 100 Newton steps if the sweeps fell
# short (matrix.NEWTON_STEPS), and at most 10 seconds in all (language.md §5).
MAX_IPF_SWEEPS = 2_000
MIN_IPF_SWEEPS = 50
IPF_WORK = 20_000_000
IPF_SECONDS = 10.0


def ipf_sweeps(cells: int) -> int:
    return max(MIN_IPF_SWEEPS, min(MAX_IPF_SWEEPS, IPF_WORK // max(1, cells)))


# ---- evaluation ------------------------------------------------------------------------


def evaluate_cross(ev: Scope, cross: CrossNode) -> None:
    row_values = [ev.value(r) for r in cross.rows.children]
    col_values = [ev.value(c) for c in cross.cols.children]
    rows = [v for v in row_values if v is not None]
    cols = [v for v in col_values if v is not None]
    if len(rows) != len(row_values) or len(cols) != len(col_values):
        return  # a margin failed: reported where it failed
    row_total, col_total = sum(rows, Fraction(0)), sum(cols, Fraction(0))
    if row_total != col_total:
        ev.diags.append(error(
            "E032", f"cannot cross: the {cross.rows.dimension} split adds up to {format_amount(row_total)} but the "
            f"{cross.cols.dimension} split to {format_amount(col_total)}", cross.decl.span,
            help="both splits must share out the same total (check `overassign`)"))
        return
    row_names = [r.name for r in cross.rows.children]
    col_names = [c.name for c in cross.cols.children]
    seed = None
    if cross.seed is None:
        fitted = proportional_exact(rows, cols)  # exact cells on one grid: no Fraction per cell
    else:
        seed = [[cross.seed.values[(r, c)] for c in col_names] for r in row_names]
        fit = ipf_exact(seed, rows, cols, row_names=row_names, col_names=col_names,
                  max_iterations=ipf_sweeps(len(rows) * len(cols)), max_seconds=IPF_SECONDS)
        if isinstance(fit, Infeasible):
            ev.diags.append(error("E035", f"cannot fit seed `{cross.seed.name}` to the totals: {fit.reason}",
                                  cross.decl.seed.span if cross.decl.seed else cross.decl.span,
                                  help="give the seed a value above zero where the totals need one, "
                                       "or drop `seed` to share the cells in proportion"))
            return
        fitted = fit
    cells = controlled_round(fitted, rows, cols, ev.unit, row_names=row_names, col_names=col_names)
    if isinstance(cells, Infeasible):
        ev.diags.append(error("E035", f"cannot round the cross exactly: {cells.reason}", cross.decl.span,
                              help="row and column totals must be multiples of the plan's `round`"))
        return
    parent = ev.value(cross.parent)
    shared: tuple[Input, ...] = ()
    if parent is not None:
        shared = (Input("parent", cross.parent.name, parent, cross.parent.path),)
    if parent != row_total:  # over-assigned margins share out more than the parent
        shared += (Input("total", "shared", row_total),)
    values = ev.result.values  # (as `ev.set_value` does)
    for line, amounts in zip(cross.cells.lines, cells):
        values.update((cell.path, amount) for cell, amount in zip(line, amounts) if cell is not None)
    maker = CellRecords(cross, fitted, cells, seed, rows, cols, row_total, shared)
    keep_lazily(ev.result.derivations, cross, maker, cross.cells.values())


class CellRecords:
    """How each cell of one cross was made, kept as the fit's numbers: a cell's
    `Derivation` is made when it is asked for (`Records`), equal each time. The
    inputs of a row, a column and a seed value are made once and shared."""

    def __init__(self, cross: CrossNode, fitted: ExactCells, rounded, seed, rows: list[Fraction], cols: list[Fraction],
                 row_total: Fraction, shared: tuple[Input, ...]) -> None:
        self.cross, self.fitted, self.rounded, self.seed, self.shared = cross, fitted, rounded, seed, shared
        self.rows, self.cols = rows, cols
        self.total = (row_total.numerator, row_total.denominator)
        self.expression = one_line(cross.decl.span.text)
        self.dimension = (cross.rows.dimension, cross.cols.dimension)
        self.inputs: tuple[list[Input], list[Input]] | None = None  # rows', columns' (at the first record)
        self.seed_inputs: dict[int, Input] = {}  # by id: the seed's equal values are one Fraction
        # the parent's name, as the record's inputs name it, and how a cell was made, by words (`how`)
        self.parent_name = shared[0].name if shared and shared[0].role == "parent" else ""
        self.seed_name = cross.seed.name if seed is not None and cross.seed is not None else None

    def wording(self, words) -> Callable[[TargetNode], str | None]:
        """How a cell was made, worded as `explain` words its record (`cell_wording`), for
        the cells of this cross (as `Records.lazy_at` finds them)."""
        word = cell_wording(words, self.parent_name, self.dimension, self.seed_name)
        return lambda cell: None if cell.parent is None else word(cell.parent.name, cell.name)

    def record(self, cell: TargetNode) -> Derivation | None:
        grid = self.cross.cells
        i = grid.row_at.get(cell.parent.name) if cell.parent is not None else None
        j = grid.col_at.get(cell.name)
        if i is None or j is None or grid.at(i, j) is not cell:
            return None
        if self.inputs is None:
            self.inputs = ([Input("row", r.name, v, r.path) for r, v in zip(self.cross.rows.children, self.rows)],
                           [Input("column", c.name, v, c.path) for c, v in zip(self.cross.cols.children, self.cols)])
        inputs = (self.inputs[0][i], self.inputs[1][j], *self.shared)
        if self.seed is not None:
            value = self.seed[i][j]
            seed_in = self.seed_inputs.get(id(value))
            if seed_in is None:
                seed_in = self.seed_inputs[id(value)] = Input("seed", self.cross.seed.name, value)  # type: ignore[union-attr]
            inputs += (seed_in,)
        exact = self.fitted.cell(i, j)
        tn, td = self.total  # share = exact / total, from integers (as Fraction division makes it)
        share = Fraction(exact.numerator * td, exact.denominator * tn) if tn else None
        # (method, exact, rounded, share, inputs, weights, score, caps, expression, dimension)
        return Derivation("cell", exact, self.rounded[i][j], share, inputs, (), None, (), self.expression,
                          self.dimension)
