"""Crossed dimensions at evaluation (language.md §4.10): the cells are filled
from the rounded row and column totals — proportionally, or by IPF to a 2-D
seed table — and then rounded with controlled rounding so both margins stay
exact. The cells themselves are made at resolve time (`planc.semantics.cross`).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import islice

from planc.amounts import format_amount
from planc.diagnostics import error
from planc.evaluate.record import Derivation, Input, Scope
from planc.semantics.expressions import one_line
from planc.maths.matrix import Infeasible, controlled_round, ipf, proportional_cells
from planc.semantics.model import CrossNode

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
        fitted = proportional_cells(rows, cols)
    else:
        seed = [[cross.seed.values[(r, c)] for c in col_names] for r in row_names]
        fit = ipf(seed, rows, cols, row_names=row_names, col_names=col_names,
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
    expression = one_line(cross.decl.span.text)
    dimension = (cross.rows.dimension, cross.cols.dimension)
    # One Input per row and per column, shared by their cells (values, not copies).
    row_inputs = [Input("row", r, rows[i], row.path) for i, (r, row) in enumerate(zip(row_names, cross.rows.children))]
    col_inputs = [Input("column", c, cols[j], col.path) for j, (c, col) in enumerate(zip(col_names, cross.cols.children))]
    seed_name = cross.seed.name if cross.seed is not None else ""
    seed_inputs: dict[int, Input] = {}  # one Input per distinct seed value (by id: the table's values are shared)
    values, records = ev.result.values, ev.result.derivations  # (as `ev.set_value` does)
    # share = fitted / row_total, built from integers (as Fraction division does, without its dispatch)
    tn, td = row_total.numerator, row_total.denominator
    # Every pair a cell (no clash): the cells were made row by row, so they come in this order
    made = iter(cross.cells.values()) if len(cross.cells) == len(row_names) * len(col_names) else None
    for i, r in enumerate(row_names):
        row_in, fitted_row, cells_row = row_inputs[i], fitted[i], cells[i]
        seed_row = seed[i] if seed is not None else None
        row_cells = list(islice(made, len(col_names))) if made is not None else \
            [cross.cells.get((r, c)) for c in col_names]
        for j, cell in enumerate(row_cells):
            if cell is None:
                continue
            if seed_row is None:
                inputs = (row_in, col_inputs[j], *shared)
            else:
                value = seed_row[j]
                seed_in = seed_inputs.get(id(value))
                if seed_in is None:
                    seed_in = seed_inputs[id(value)] = Input("seed", seed_name, value)
                inputs = (row_in, col_inputs[j], *shared, seed_in)
            exact, rounded = fitted_row[j], cells_row[j]
            share = Fraction(exact.numerator * td, exact.denominator * tn) if tn else None
            values[cell.path] = rounded
            # (method, exact, rounded, share, inputs, weights, score, caps, expression, dimension)
            records[cell.path] = Derivation("cell", exact, rounded, share, inputs, (), None, (), expression, dimension)
