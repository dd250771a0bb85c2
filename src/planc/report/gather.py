"""Compilation -> the view-model of `view.py`.

Only reads the model and the evaluation; never changes them. Everything a
report shows that the evaluator does not already say (growth over the
history tables, owners' totals, time profiles, open items) is worked out
here, once, for every output format; the plan concepts (time, history, the
headline target) come from `planc.semantics`.
"""

from __future__ import annotations

import datetime
import hashlib
from fractions import Fraction
from pathlib import Path

from planc import __version__
from planc.diagnostics.render import related_dict
from planc.evaluate.record import Derivation
from planc.evaluate.units import grid_of
from planc.maths.allocate import largest_remainder
from planc.maths.apportion import exact_sum
from planc.semantics.concepts import headline, last_year, target_status
from planc.semantics.model import CellGrid, CrossNode, Model, SplitNode, TargetNode
from planc.semantics.time import is_time_split
from planc.pipeline import Compilation, ordered_paths
from planc.report.negotiation import gather_negotiation
from planc.report.activity import build_activity, is_activity_split, unit_label
from planc.report.view import (STATUS_ORDER, AssertionView, CrossView, Meta, OwnerSheet, Point, Problem,
                               Report, Row, Rows, SplitView, TimeProfile,
                               slugify)


class _Builder:
    def __init__(self, comp: Compilation, source: bytes, generated: datetime.datetime) -> None:
        assert comp.model is not None and comp.evaluation is not None
        self.comp = comp
        self.model: Model = comp.model
        self.values = comp.evaluation.values
        self.derivations = comp.evaluation.derivations
        self.units = comp.evaluation.units
        self.source = source
        self.generated = generated
        self.scenarios = False  # `build --scenario all`: one column per scenario
        self.history = last_year(self.model, comp.history_tables)  # path -> last year's figure
        self.rows: dict[str, Row] = {}
        self.activity: dict[SplitNode, bool] = {}
        self.cell_of: dict[str, CrossNode] = {}
        for cross in self.model.crosses:
            for node in cross.cells.values():
                self.cell_of[node.path] = cross

    # ---- targets ------------------------------------------------------------------------
    def parent_of(self, node: TargetNode) -> TargetNode | None:
        """A target's parent; a cross cell's is its row (`year.east` for `year.east.Q1`)."""
        return node.parent

    def dimension_of(self, node: TargetNode) -> str | None:
        cross = self.cell_of.get(node.path)
        if cross is not None:
            return f"{cross.rows.dimension} × {cross.cols.dimension}"
        if isinstance(node.producer, SplitNode):
            return node.producer.dimension
        if node.parent is not None:
            for split in node.parent.splits:
                if any(c is node for c in split.children):
                    return split.dimension
        return None

    def how(self, node: TargetNode) -> Derivation:
        """The evaluator's record; every evaluated target has one."""
        d = self.derivations.get(node.path)
        if d is None:
            amount = self.values[node.path]
            return Derivation("fixed", amount, amount)
        return d

    def row(self, node: TargetNode) -> Row:
        path = node.path
        row = self.rows.get(path)
        if row is not None:
            return row
        values, units = self.values, self.units
        amount = values[path]
        d = self.derivations.get(path)
        parent = node.parent
        share = None
        if parent is not None:
            parent_amount = values.get(parent.path)
            if parent_amount and units.get(path) == units.get(parent.path):
                # a funnel step counts visits under a money target: no share of it
                share = amount / parent_amount
        history = self.history.get(path)
        growth = amount / history - 1 if history else None
        owner = margin = due = note = status = None
        settings = getattr(node.decl, "attributes", ())
        if settings:  # most targets have no attributes at all
            attrs_ = {a.key: a.value for a in settings}  # as `node.attributes`: the last wins
            attr = attrs_.get
            owner, margin, due, note = attr("owner"), attr("margin"), attr("due"), attr("note")
            status = target_status(node) if "status" in attrs_ else None
        if owner is None and parent is None and path not in self.cell_of:
            owner = self.model.header.owner  # the plan's owner owns its roots
        row = Row(
            name=node.name, path=path, label=node.label,
            parent=parent.path if parent is not None else None,
            parent_name=parent.name if parent is not None else None,
            dimension=self.dimension_of(node), depth=node.depth,
            amount=amount, exact=d.exact if d is not None else amount, share=share,
            how=d if d is not None else Derivation("fixed", amount, amount),
            history=history, growth=growth,
            owner=str(owner) if owner is not None else None,
            status=status,
            note=str(note) if note is not None else None,
            due=due if isinstance(due, datetime.date) else None,
            margin=margin if isinstance(margin, Fraction) else None,
            unit=unit_label(self.model, units, path),
            activity_week=self.activity_week(node),
        )
        self.rows[path] = row
        return row

    def activity_week(self, node: TargetNode) -> bool:
        """A week (or day) of a funnel step; `is_activity_split` once per split."""
        split = node.producer
        if not isinstance(split, SplitNode):
            return False
        found = self.activity.get(split)
        if found is None:
            found = self.activity[split] = is_activity_split(split)
        return found

    def row_nodes(self) -> list[TargetNode]:
        """Every evaluated target, parents first: the report's rows, made when read (`Rows`)."""
        out = []
        for path in ordered_paths(self.comp):
            node = self.model.targets.get(path) or self.cell_node(path)
            if node is not None and path in self.values:
                out.append(node)
        return out

    def cell_node(self, path: str) -> TargetNode | None:
        for cross in self.model.crosses:
            for node in cross.cells.values():
                if node.path == path:
                    return node
        return None

    # ---- splits, crosses, time ----------------------------------------------------------
    def splits(self) -> list[SplitView]:
        out: list[SplitView] = []
        values, derivations = self.values, self.derivations
        for split in self.model.splits:
            if split.parent.path not in values or is_activity_split(split):
                continue  # unknown, or a funnel step's weeks (the activity section shows them)
            children = split.children
            amounts = [values.get(c.path) for c in children]
            if None in amounts:
                continue
            method = self.how(children[0]).using if children else ""
            over = split.decl.overassign.ratio if split.decl.overassign is not None else None
            shared = next((d.shared_exact for d in map(derivations.get, [c.path for c in children])
                           if d is not None and d.shared_exact is not None), None)
            total = exact_sum(amounts)  # type: ignore[arg-type]  # (no None left)
            out.append(SplitView(len(out) + 1, self.row(split.parent), split.dimension, method, over,
                                 is_time_split(split), Rows(children, self.row), total, shared))
        return out

    def crosses(self) -> list[CrossView]:
        out: list[CrossView] = []
        for cross in self.model.crosses:
            if cross.parent.path not in self.values:
                continue
            rows = [c.name for c in cross.rows.children]
            cols = [c.name for c in cross.cols.children]
            matrix = _amounts(cross.cells, rows, cols, self.values)
            if all(v is None for line in matrix for v in line):
                continue  # not evaluated
            row_totals = tuple(exact_sum([v for v in line if v is not None]) for line in matrix)
            col_totals = tuple(exact_sum([v for v in column if v is not None]) for column in zip(*matrix))
            out.append(CrossView(len(out) + 1, self.row(cross.parent), cross.rows.dimension,
                                 cross.cols.dimension, tuple(rows), tuple(cols), tuple(matrix), row_totals,
                                 col_totals, exact_sum(row_totals)))
        return out

    def time_split(self, node: TargetNode) -> SplitNode | None:
        for split in node.splits:
            if is_time_split(split) and all(c.path in self.values for c in split.children):
                return split
        return None

    def points(self, split: SplitNode) -> tuple[Point, ...]:
        return tuple(Point(c.name, c.label, self.values[c.path]) for c in split.children)

    def own_profile(self, node: TargetNode) -> TimeProfile | None:
        split = self.time_split(node)
        if split is None:
            return None
        groups = []
        for child in split.children:
            sub = self.time_split(child)
            if sub is not None:
                groups.append((child.name, self.points(sub)))
        if len(groups) != len(split.children):
            groups = []
        return TimeProfile("own", split.dimension, node.path, self.points(split), tuple(groups),
                           unit_label(self.model, self.units, node.path))

    def profile(self, node: TargetNode) -> TimeProfile | None:
        """The time profile an owner reads: exact when the plan has one, else indicative."""
        if node.path in self.cell_of:
            return None
        if isinstance(node.producer, SplitNode) and is_time_split(node.producer):
            return None  # a period itself
        own = self.own_profile(node)
        if own is not None:
            return own
        for cross in self.model.crosses:
            for this, other, key in ((cross.rows, cross.cols, 0), (cross.cols, cross.rows, 1)):
                if any(c is node for c in this.children) and is_time_split(other):
                    pts = []
                    for c in other.children:
                        cell = cross.cells.get((node.name, c.name) if key == 0 else (c.name, node.name))
                        if cell is None or cell.path not in self.values:
                            break
                        pts.append(Point(c.name, c.label, self.values[cell.path]))
                    else:
                        return TimeProfile("cross", other.dimension, cross.parent.path, tuple(pts),
                                           unit=unit_label(self.model, self.units, node.path))
        ancestor = node.parent
        while ancestor is not None:
            split = self.time_split(ancestor)
            base = self.values.get(ancestor.path)
            if split is not None and base:
                # Whole multiples of the target's grid (the plan's `round`, a count's own)
                # that add up to the target exactly (an off-grid target leaves its odd
                # part on one period).
                quotas = [self.values[c.path] for c in split.children]
                grid = grid_of(self.model, self.units.get(node.path))[0]
                amounts = largest_remainder(self.values[node.path], quotas, grid)
                spread = tuple(Point(c.name, c.label, a) for c, a in zip(split.children, amounts))
                return TimeProfile("indicative", split.dimension, ancestor.path, spread,
                                   unit=unit_label(self.model, self.units, node.path))
            if isinstance(ancestor.producer, SplitNode) and is_time_split(ancestor.producer):
                return None  # a part of one period (`Q1.east`): the periods above are not its profile
            ancestor = ancestor.parent
        return None

    # ---- the rest --------------------------------------------------------------------------
    def assertions(self) -> list[AssertionView]:
        out = []
        for a in self.comp.evaluation.assertions:  # type: ignore[union-attr]
            d = a.decl
            text = f"{d.left.span.text} {d.op} {d.right.span.text}"
            out.append(AssertionView(text, d.message, a.left, a.right, a.passed, d.span.line, d.soft))
        return out

    def problems(self) -> list[Problem]:
        base = Path(self.comp.path).parent
        out = []
        for d in self.comp.diagnostics:
            related = tuple({**r, "file": _relative(r["file"], base)} for r in map(related_dict, d.related))
            out.append(Problem(_relative(d.file, base), d.line, d.column, d.severity, d.code, d.message, d.help,
                               related))
        return out

    def owners(self, rows: list[Row]) -> list[OwnerSheet]:
        by_owner: dict[str, list[Row]] = {}
        for row in rows:
            if row.owner:
                by_owner.setdefault(row.owner, []).append(row)
        taken: set[str] = set()
        sheets = []
        for owner, owned in by_owner.items():
            profiles = tuple(self.profile(self.model.targets[r.path]) if r.path in self.model.targets else None
                             for r in owned)
            sheets.append(OwnerSheet(owner, slugify(owner, taken), tuple(owned), profiles, self.owned_total(owned)))
        return sheets

    def chain(self, path: str) -> list[TargetNode] | None:
        node = self.model.targets.get(path)
        out = []
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1] or None

    def owned_total(self, owned: list[Row]) -> Fraction | None:
        """What an owner answers for in all: the sum of their outermost targets,
        if those never overlap (siblings of one split, or below such siblings)."""
        found = [self.chain(r.path) for r in owned]
        chains = [c for c in found if c is not None]
        if len(chains) != len(found):
            return None
        outer = [c for c in chains if not any(o is not c and len(o) < len(c) and c[len(o) - 1] is o[-1]
                                              for o in chains)]
        for i, a in enumerate(outer):
            for b in outer[i + 1:]:
                if a[0] is not b[0]:
                    return None  # two roots may not even be in the same unit
                k = next((k for k in range(min(len(a), len(b))) if a[k] is not b[k]), None)
                if k is None or a[k].producer is not b[k].producer:
                    return None
        return sum((self.values[c[-1].path] for c in outer), Fraction(0))

    def build(self) -> Report:
        h = self.model.header
        setting = lambda key: str(h.settings[key].value) if key in h.settings else None  # noqa: E731
        name = Path(self.comp.path).name
        meta = Meta(
            title=h.title or Path(self.comp.path).stem, description=setting("description"),
            version=setting("version"), plan_status=setting("status"), period=h.period, currency=h.currency,
            owner=h.owner, round=h.round, source_name=name, stem=Path(self.comp.path).stem,
            source_hash=hashlib.sha256(self.source).hexdigest()[:12], generated=self.generated,
            planc_version=__version__,
        )
        nodes = self.row_nodes()
        roots = tuple(self.row(r) for r in self.model.roots if r.path in self.values)
        main = headline(self.model)
        head = self.row(main) if main is not None and main.path in self.values else None
        profiles = tuple(p for p in (self.own_profile(r) for r in self.model.roots if r.path in self.values) if p)
        # Only targets with attributes, and the roots (the plan's owner owns them), have an owner or a status.
        people = [self.row(n) for n in nodes
                  if getattr(n.decl, "attributes", ()) or (n.parent is None and n.path not in self.cell_of)]
        open_items = sorted((r for r in people if r.status != "agreed" and (r.status or r.owner)),
                            key=lambda r: STATUS_ORDER.get(r.status, 3))
        problems = self.problems()
        return Report(
            meta=meta, roots=roots, headline=head, rows=Rows(nodes, self.row), splits=tuple(self.splits()),
            crosses=tuple(self.crosses()),
            time_profiles=profiles, assertions=tuple(self.assertions()),
            warnings=tuple(p for p in problems if p.severity != "error"), open_items=tuple(open_items),
            owners=tuple(self.owners(people)), diagnostics=tuple(problems),
            negotiation=gather_negotiation(self.comp, self.values, self.scenarios),
            activity=build_activity(self.model, self.values, self.units, self.derivations),
            units={n.path: self.units[n.path] for n in nodes if n.path in self.units},
            tree=Rows([n for n in nodes if not self.activity_week(n)] if self.model.funnels else nodes, self.row),
        )


def build_report(comp: Compilation, source: bytes, generated: datetime.datetime, scenarios: bool = False) -> Report:
    """The view-model of one compiled plan (which must have no errors); with
    `scenarios`, a column per scenario in the split tables and the summary."""
    builder = _Builder(comp, source, generated)
    builder.scenarios = scenarios
    return builder.build()


def _relative(file: str, base: Path) -> str:
    """A diagnostic's file named relative to the plan's folder, when it is inside it."""
    try:
        return str(Path(file).relative_to(base)) if str(base) not in ("", ".") else file
    except ValueError:
        return file


def _amounts(grid: CellGrid, rows: list[str], cols: list[str], values: dict[str, Fraction]
             ) -> tuple[tuple[Fraction | None, ...], ...]:
    """The amount of each cell of a cross, row by row in its rows' and columns' order
    (None where it has no cell or no amount): read off the grid, not looked up by name."""
    js = [grid.col_at.get(c) for c in cols]
    get = values.get
    out = []
    for r in rows:
        i = grid.row_at.get(r)
        line = grid.lines[i] if i is not None and i < len(grid.lines) else []
        cells = [line[j] if j is not None and j < len(line) else None for j in js]
        out.append(tuple([get(cell.path) if cell is not None else None for cell in cells]))
    return tuple(out)

