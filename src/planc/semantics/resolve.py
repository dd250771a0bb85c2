"""AST modules -> a plan model: header, tables, the target tree, references.

Order-free: root targets first, then splits are attached level by level,
so a split's parent is always resolved against every shallower target
(the shallowest-match rule of language.md §4.3 needs that). The header's and
the targets' settings are checked by semantics/settings.py, and references
resolved by semantics/references.py (`References`, which the resolver is).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Sequence


import attrs

from planc.syntax import ast, bare
from planc.diagnostics import Diagnostic, Label, error, labels
from planc.semantics.loader import Program
from planc.semantics.model import (CrossNode, Header, Model, PairIndex, SplitNode, Table, TargetNode, writes,
                                   written_among)
from planc.semantics.name_index import NameIndex
from planc.semantics.references import References, import_help
from planc.semantics.settings import check_attributes, check_currency, check_main, read_header
from planc.semantics.functions import check_call, desugar_split

if TYPE_CHECKING:
    from planc.diagnostics.suggest import Suggester



def resolve(program: Program) -> tuple[Model, list[Diagnostic]]:
    return _Resolver(program).run()


class _Resolver(References):
    def __init__(self, program: Program) -> None:
        self.program = program
        self.diags: list[Diagnostic] = []
        self.targets: dict[str, TargetNode] = {}
        self.by_name = NameIndex()  # last component -> (path, node), filed when asked
        # The last two components -> (path, node): a dotted name is matched among the
        # few targets that end like it, not every target sharing its last name.
        self.by_pair = PairIndex(self.by_name)
        self.written: list[TargetNode] = []  # `model.writes` their declaration: in definition order
        self.crosses: list[CrossNode] = []  # attached so far
        self.tables: dict[str, Table] = {}
        self.refs: dict = {}
        self.used_tables: set[str] = set()
        self.broken_tables: set[str] = set()  # `data` whose file could not be read, a refused table
        # Cross cells also defined by a split, by cross: one E033 per cross, not per cell.
        self.cross_clashes: dict[int, tuple[CrossNode, list[TargetNode]]] = {}
        # Names an imported file that did not parse might define: not reported as unknown.
        self.unparsed_names: set[str] = set(program.unparsed_names)
        self.split_dims: dict[str, set[int]] = {}  # dimension -> ids of the targets split by it
        self.new_names: set[str] = set()  # names of targets added in this round of attach_splits
        self.suggesters: dict[str, tuple[tuple[int, int], Suggester]] = {}
        self.period: tuple | None = None  # the header's, once read
        self.calendar_made = 0  # children made by splits by week or day, bounded (E057)

    def run(self) -> tuple[Model, list[Diagnostic]]:
        modules = self.program.modules
        statements = [(i, s) for i, m in enumerate(modules) for s in m.statements]
        header = read_header([s for i, s in statements if isinstance(s, ast.PlanHeader) and i == 0], self.diags)
        self.collect_tables(statements)
        self.period = header.period  # weeks and days of `split X by week` lie in it
        self.check_calendar(header)
        roots = self.collect_roots([s for _, s in statements if isinstance(s, ast.Target)])
        splits, crosses = self.attach_splits([s for _, s in statements if isinstance(s, ast.Split)],
                                             [s for _, s in statements if isinstance(s, ast.Cross)])
        # the numbers, calls and lookups in the statements' expressions, with their
        # statement: found in one walk for the four checks that look for them
        looked_for = _looked_for(statements)
        measures = self.check_measures(statements, looked_for)
        funnels = self.attach_funnels(statements, looked_for, splits, measures)
        header = check_main(header, roots, self.by_name, self.diags)
        asserts = [s for _, s in statements if isinstance(s, ast.Assert)]
        check_attributes(self.written, self.diags)
        check_currency(looked_for, header, self.diags)
        _review_calls_outside_asserts(looked_for, self.diags)
        model = Model(header, roots, self.targets, splits, crosses, self.tables, asserts, self.refs,
                      modules, self.used_tables, frozenset(self.unparsed_names), measures=measures, funnels=funnels,
                      by_name=self.by_name, by_pair=self.by_pair, written=self.written)
        self.resolve_refs(model)
        self.resolve_statements(model, [s for _, s in statements])
        return model, self.diags

    def resolve_statements(self, model: Model, statements: list) -> None:
        """Actions and scenarios (semantics/actions.py, semantics/scenario.py), their
        modules imported only by plans that have them (start-up of `planc check`)."""
        actions = [s for s in statements if isinstance(s, ast.Action)]
        if actions:
            from planc.semantics.actions import resolve_actions

            model.actions = resolve_actions(actions, self.refs, lambda ref: self.resolve_ref(ref, None), self.diags)
        scenarios = [s for s in statements if isinstance(s, ast.Scenario)]  # the plan's and its imports
        if scenarios:
            from planc.semantics.scenario import check_scenarios

            model.scenarios = check_scenarios(scenarios, self.diags)

    def check_measures(self, statements, looked_for) -> dict:
        """The measures declared, and every `N NAME` naming one (semantics/measures.py)."""
        import planc.semantics.measures as measures

        found = measures.collect([s for _, s in statements], self.diags)
        numbers = [sub for _, sub in looked_for if isinstance(sub, ast.Number)]
        measures.check_literals(numbers, found, self.diags, self.maybe_unparsed)
        return found

    def attach_funnels(self, statements, looked_for, splits, measures) -> list:
        """Each funnel's steps for every member of its dimension (semantics/funnels.py)."""
        import planc.semantics.funnels as funnels

        decls = [s for _, s in statements if isinstance(s, ast.Funnel)]
        funnels.misplaced_lookups([sub for stmt, sub in looked_for if isinstance(sub, ast.Lookup)
                                   and not isinstance(stmt, ast.Funnel)], self.diags)
        return funnels.attach(self, decls, splits, measures) if decls else []

    # ---- tables ----------------------------------------------------------------
    def collect_tables(self, statements) -> None:
        data = {id(d.decl): d for d in self.program.data}
        # The main file's tables win over imported ones of the same name.
        ordered = sorted(statements, key=lambda p: p[0] != 0)
        for index, stmt in ordered:
            if isinstance(stmt, ast.Table):
                table = self.inline_table(stmt, imported=index != 0)
            elif isinstance(stmt, ast.Data):
                d = data.get(id(stmt))
                if d is None:
                    self.broken_tables.add(stmt.name)
                    continue
                table = Table(stmt.name, d.dims, d.values, stmt.name_span, imported=index != 0)
            else:
                continue
            if table is None:
                continue
            prior = self.tables.get(table.name)
            if prior is not None:
                if prior.imported == table.imported:
                    self.diags.append(error("E007", f"table `{table.name}` is defined twice", table.span,
                                            label="second definition",
                                            related=(Label(prior.span, "first defined here"),),
                                            help="rename one of the tables, or merge their keys into one"))
                # A local table shadowing an import is reported by the lint rules.
                continue
            self.tables[table.name] = table

    def inline_table(self, stmt: ast.Table, imported: bool) -> Table | None:
        odd = next((e for e in stmt.entries if (e.column is None) == bool(stmt.dims)), None)
        if odd is not None:
            # Keys would mix names and (row, column) pairs: refuse the whole table, once.
            self.diags.append(error(
                "E026", f"table `{stmt.name}` mixes `key = value` and `row: column = value` entries",
                odd.span, help=f"a 2-D table is declared `table {stmt.name} by ROW, COLUMN {{ row: column = v }}`; "
                "a 1-D table has only `key = value` entries"))
            self.broken_tables.add(stmt.name)
            return None
        values: dict = {}
        units: dict = {}
        for entry in stmt.entries:
            key = entry.key if not stmt.dims else (entry.key, entry.column)
            if key in values:
                shown = key if isinstance(key, str) else f"{key[0]}: {key[1]}"
                self.diags.append(error("E019", f"table `{stmt.name}` has key `{shown}` twice", entry.key_span,
                                        help=f"a key holds one value: keep one `{shown} = …` and delete the other"))
                continue
            value = constant(entry.value, self.diags)
            if value is not None:
                values[key] = value
                unit = _literal_unit(entry.value)
                if unit is not None:
                    units[key] = unit
        return Table(stmt.name, stmt.dims, values, stmt.name_span, imported, units)

    # ---- the target tree ---------------------------------------------------------
    def add_target(self, node: TargetNode, parent_name: str | None = None) -> bool:
        """Add a target and index it; `parent_name`: its parent's name, the second last
        part of its path (a split's child: nothing to split off its path)."""
        prior = self.targets.get(node.path)
        if prior is not None and prior.decl is None:  # a cross cell
            self.cross_clash(prior.producer, node)  # type: ignore[arg-type]
            return False
        if prior is not None:
            self.diags.append(error(
                "E007", f"`{node.path}` is defined twice", node.span, label="second definition",
                related=labels([(prior.span, "first defined here")]),
                help="rename one of them, or delete one: a target is defined once"))
            return False
        if node.name in self.tables:
            pass  # a target may share a table's name; `T.key` still means the table
        self.targets[node.path] = node
        if writes(node.decl):
            self.written.append(node)
        self.new_names.add(node.name)
        if parent_name is not None:
            self.index_as(node.path, node, parent_name, node.name)
        else:
            self.index(node.path, node)
        for alias in node.aliases:  # below a cross cell: also reachable by the cell's other path
            self.index(alias, node)
        return True

    def add_children(self, split: SplitNode, parent: TargetNode, children: Sequence[ast.Child]) -> None:
        """`add_target` for each child of `split`: in one pass when none of their
        paths is taken and the parent has no aliases (nearly every split)."""
        parent_path, parent_name = parent.path, parent.name
        if parent.aliases:
            nodes = [TargetNode(child.name, f"{parent_path}.{child.name}", child, parent, split,
                                aliases=tuple([f"{a}.{child.name}" for a in parent.aliases])) for child in children]
        else:
            nodes = [TargetNode(child.name, f"{parent_path}.{child.name}", child, parent, split) for child in children]
        paths = [node.path for node in nodes]
        names = [node.name for node in nodes]
        # Only another child of the same parent can have taken a child's path: from an
        # earlier split of it, a cross cell in its row or a funnel step of it.
        taken = len(parent.splits) > 1 or parent.cells or parent.derived
        if parent.aliases or taken and not self.targets.keys().isdisjoint(paths) or len(set(names)) < len(names):
            for node in nodes:  # E007, a cross cell's clash, aliases: one by one
                if self.add_target(node, parent_name):
                    split.children.append(node)
            return
        self.targets.update(zip(paths, nodes))
        written = [] if type(children) is bare.BareChildren else written_among(nodes)
        self.written.extend(written)
        self.new_names.update(names)
        self.index_all(paths, nodes, parent_name, names)
        split.children.extend(nodes)
        if len(split.children) == len(nodes):  # (its only children, as they always are)
            split.written = written

    def index(self, path: str, node: TargetNode) -> None:
        """Make `node` findable by `path` (its own path or an alias) and its suffixes."""
        head, dot, last = path.rpartition(".")
        self.index_all((path,), (node,), head.rpartition(".")[2] if dot else None, (last,))

    def index_as(self, path: str, node: TargetNode, before: str | None, last: str) -> None:
        """`index`, given the path's last two components (`before` None for a one-part path)."""
        self.index_all((path,), (node,), before, (last,))

    def index_all(self, paths: Sequence[str], nodes: Sequence[TargetNode], before: str | None,
                  lasts: Sequence[str]) -> None:
        """`index_as` for each path, node and last component, all with the same
        component before it (a split's children): by last component (`NameIndex`,
        filed when asked) and by the last two once asked (`PairIndex`). Cross cells
        are not indexed (`model.pair_entries` finds them through their cross)."""
        self.by_name.add(paths, nodes, lasts)
        self.by_pair.indexed(before, lasts, paths, nodes)  # and by the last two components, once asked

    def collect_roots(self, decls: list[ast.Target]) -> list[TargetNode]:
        roots = []
        for decl in decls:
            node = TargetNode(decl.name, decl.name, decl)
            if self.add_target(node):
                roots.append(node)
        return roots

    def attach_splits(self, decls: list[ast.Split], cross_decls: list[ast.Cross]):
        """Attach splits level by level; a cross joins as soon as both its
        splits exist, so its cells can be split further in later rounds."""
        # A waiting split is looked at again only in the round after a target
        # with its parent's last name appeared: linear in the plan, where
        # retrying every waiting split each round made a deep chain quadratic.
        waiting_for: dict[str, dict[int, ast.Split]] = {}
        for index, decl in enumerate(decls):
            waiting_for.setdefault(decl.parent.parts[-1], {})[index] = decl
        candidates = list(enumerate(decls))
        waiting = list(cross_decls)
        attached: list[SplitNode] = []
        crosses = self.crosses  # names find cells through them (`lookup`)
        while candidates or waiting:
            progress = []
            for index, decl in candidates:
                found = self.lookup(decl.parent.parts, None)
                if len(found) == 1:
                    progress.append((decl, found[0]))
                elif len(found) > 1:
                    self.ambiguous(decl.parent, found)
                else:
                    continue
                del waiting_for[decl.parent.parts[-1]][index]
            self.new_names, new_dims = set(), set()
            # Attach in source order so canonical paths do not depend on rounds.
            for decl, parent in sorted(progress, key=lambda p: (p[0].span.source.path, p[0].span.start)):
                twin = next((s for s in parent.splits if s.dimension == decl.dimension), None)
                if twin is not None:
                    self.diags.append(error(
                        "E007", f"`{parent.path}` is split by `{decl.dimension}` twice", decl.dimension_span,
                        related=(Label(twin.decl.dimension_span, "first split here"),),
                        help="give the second split another dimension"))
                    continue
                decl = self.with_table_children(desugar_split(decl, self.tables, self.diags), parent)
                split = SplitNode(decl, parent)
                new_dims.add(decl.dimension)
                self.split_dims.setdefault(decl.dimension, set()).add(id(parent))
                self.refs[id(decl.parent)] = parent
                parent.add_split(split)
                attached.append(split)
                self.add_children(split, parent, decl.children)
            progress_cross = self.try_crosses(waiting, crosses, final=False, dims=new_dims)
            candidates = sorted(pair for name in self.new_names for pair in waiting_for.get(name, {}).items())
            if not progress and not progress_cross:
                break
        self.try_crosses(waiting, crosses, final=True)
        self.report_cross_clashes()
        pending = [decl for _, decl in sorted(pair for pairs in waiting_for.values() for pair in pairs.items())]
        self.unparsed_children(pending)
        for decl in pending:
            self.undefined(decl.parent, "split parent")
        # Keep each target's splits in source order: the first split matters for `sum`.
        for node in {id(split.parent): split.parent for split in attached}.values():
            if len(node.splits) > 1 and isinstance(node.splits, list):
                node.splits.sort(key=lambda s: (s.decl.span.source.path != s.parent.decl.span.source.path
                                                if s.parent.decl else False, s.decl.span.start))
        return attached, crosses

    def unparsed_children(self, pending: list[ast.Split]) -> None:
        """A split whose parent may be in a file that did not parse may define its children too."""
        grown = True
        while grown:
            grown = False
            for decl in pending:
                if self.maybe_unparsed(*decl.parent.parts):
                    new = {c.name for c in decl.children} - self.unparsed_names
                    self.unparsed_names |= new
                    grown = grown or bool(new)

    def cross_clash(self, cross: CrossNode, node: TargetNode) -> None:
        """`node`, defined by a split, is also a cell of `cross`: reported once per cross."""
        self.cross_clashes.setdefault(id(cross), (cross, []))[1].append(node)

    def report_cross_clashes(self) -> None:
        for cross, nodes in self.cross_clashes.values():
            nodes.sort(key=lambda n: (n.span.source.path, n.span.start) if n.span else ("", 0))
            names = [f"`{n.path}`" for n in nodes]
            if len(names) == 1:
                what = f"{names[0]} is a cell"
            else:
                shown = names[:3] if len(names) > 3 else names[:-1]
                rest = f"{len(names) - 3} more" if len(names) > 3 else names[-1]
                what = f"{', '.join(shown)} and {rest} are cells"
            first, others = nodes[0], nodes[1:]
            self.diags.append(error(
                "E033", f"{what} of the {cross.describe()} and cannot also be defined here", first.span,
                label="a cell of the cross" if others else None,
                related=labels([(n.span, "also a cell of the cross") for n in others] +
                                [(cross.decl.span, "the cross makes " + ("these cells" if others else "this cell"))]),
                help="split the cell itself, or drop the cross"))

    def try_crosses(self, waiting: list, crosses: list, final: bool, dims: set[str] | None = None) -> bool:
        """Attach the crosses that can be; before the final try, only those
        with a dimension split in this round (nothing else changed for them)."""
        if not waiting:
            return False
        from planc.semantics.cross import PENDING, attach_cross

        progressed = False
        for decl in list(waiting):
            if not final and dims is not None and not dims.intersection(decl.dims):
                continue
            cross = attach_cross(self, decl, final=final)
            if cross is PENDING:
                continue
            waiting.remove(decl)
            progressed = True
            if cross is not None:
                crosses.append(cross)
        return progressed

    def check_calendar(self, header: Header) -> None:
        """`calendar: weekdays` or the name of a table of dates (semantics/calendar.py)."""
        setting = header.settings.get("calendar")
        if setting is None or setting.kind != "name" or setting.value == "weekdays":
            return
        name = str(setting.value)
        if name in self.tables and not self.tables[name].is_2d:
            self.used_tables.add(name)
        elif not self.maybe_unparsed(name) and name not in self.broken_tables:
            self.diags.append(error(
                "E057", f"calendar `{name}` is not a table of dates", setting.span,
                help="`calendar: weekdays` (Monday to Friday), or a 1-D table keyed by date such as "
                     "`cn_workdays` of `import \"std/calendar_cn\"`"))

    def calendar_children(self, decl: ast.Split, parent: TargetNode | None) -> ast.Split:
        """`split P by week` / `by day`: one child per ISO week or day of the period (semantics/calendar.py)."""
        import planc.semantics.calendar as calendar

        if self.period is None:
            self.diags.append(error("E057", f"`split {decl.parent.dotted} by {decl.dimension}` needs the plan's period",
                                    decl.dimension_span, help="add `period: 2027-01-01 .. 2027-12-31` to the header"))
            return attrs.evolve(decl, children=())
        if (self.period[1] - self.period[0]).days >= calendar.MAX_DAYS:
            self.diags.append(error("E057", f"the period is too long to split by {decl.dimension}",
                                    decl.dimension_span, help="split by month or quarter first"))
            return attrs.evolve(decl, children=())
        import planc.semantics.time as time

        within = time.coverage(parent, self.period) if parent is not None else self.period
        made = calendar.children(decl.dimension, within)
        self.calendar_made += len(made)
        if self.calendar_made > calendar.MAX_CHILDREN:  # weeks × steps × members: bounded, like a cross's cells
            if self.calendar_made - len(made) <= calendar.MAX_CHILDREN:
                self.diags.append(error("E057", f"splits by {decl.dimension} would make more than "
                                        f"{calendar.MAX_CHILDREN:,} targets", decl.dimension_span,
                                        help="split by week rather than by day, or fewer targets"))
            return attrs.evolve(decl, children=())
        return attrs.evolve(decl, children=tuple(ast.Child(name, None, None, None, None, (), decl.span,
                                                           decl.dimension_span) for name, _ in made))

    def calendar_split(self, funnel: ast.Funnel, step: TargetNode) -> SplitNode | None:
        """`funnel … by week`: a step split by week (or day), as `split STEP by week` would be."""
        assert funnel.by is not None and funnel.by_span is not None  # a funnel with `by`
        decl = ast.Split(ast.Ref(tuple(step.path.split(".")), funnel.by_span), funnel.by, None, None, (), False,
                         funnel.span, funnel.by_span)
        decl = self.calendar_children(decl, step)
        if not decl.children:
            return None
        split = SplitNode(decl, step)
        step.add_split(split)
        for child in decl.children:
            node = TargetNode(child.name, f"{step.path}.{child.name}", child, step, split)
            if self.add_target(node):
                split.children.append(node)
        return split

    def with_table_children(self, decl: ast.Split, parent: TargetNode | None = None) -> ast.Split:
        """`split P by D using weight(T)` with no block: one child per key of T."""
        import planc.semantics.calendar as calendar

        if calendar.is_calendar_split(decl):
            return self.calendar_children(decl, parent)
        if decl.has_block and not decl.children:
            self.diags.append(error("E028", f"split of {decl.parent.dotted} by {decl.dimension} has no children",
                                    decl.span, help="list the children inside `{ … }`"))
        if decl.has_block:
            return decl
        method = decl.method
        names = [a.table or (a.value.parts[0] if isinstance(a.value, ast.Ref) else None)
                 for a in getattr(method, "args", ())]
        table = self.tables.get(names[0]) if names and names[0] else None
        if table is None and names and self.maybe_unparsed(names[0]):
            return decl  # its table may be in a file that did not parse
        if table is None and names and names[0] in self.broken_tables:
            return attrs.evolve(decl, children=())  # the table was refused: reported there
        if table is None or table.is_2d:
            self.diags.append(error(
                "E028", f"split of {decl.parent.dotted} by {decl.dimension} has no children", decl.span,
                help=(import_help(names[0]) if table is None and names and names[0] else None)
                or "list the children in `{ … }`, or use `weight(TABLE)` to take them from a table's keys"))
            return decl
        bad = [key for key in table.values if not key.isidentifier() or key in ast.KEYWORDS]
        if bad:
            self.diags.append(error(
                "E026", f"table `{table.name}` key `{bad[0]}` cannot name a target", decl.span,
                help="keys that become children must be names (letters, digits, `_`); list the children in `{ … }`"))
            return attrs.evolve(decl, children=())
        children = tuple(ast.Child(key, None, None, None, None, (), decl.span, decl.dimension_span)
                         for key in table.values)
        return attrs.evolve(decl, children=children)



def constant(expr: ast.Expr, diags: list[Diagnostic]) -> Fraction | None:
    """A table value: numbers and arithmetic only (tables are data, not formulas)."""
    from planc.semantics.expressions import arithmetic

    for sub in ast.walk_expr(expr):
        if isinstance(sub, ast.Ref):
            diags.append(error("E026", "table values must be constants", sub.span,
                               help="compute it in a target instead"))
            return None
        if isinstance(sub, ast.Call) and sub.func not in ("min", "max") and not check_call(sub, diags):
            return None
    return arithmetic(expr, lambda ref: None, diags)


def _literal_unit(expr: ast.Expr) -> str | None:
    """A table value's unit: `3 deals`, `25%`; None for a bare number (it adapts)."""
    from planc.semantics.measures import BROKEN, Typer

    unit = Typer(lambda ref: BROKEN, []).unit(expr)
    return None if unit == BROKEN else unit


def _expressions(stmt) -> list:
    if isinstance(stmt, ast.Target):
        return [stmt.value]
    if isinstance(stmt, ast.Split):
        # (most splits' children are bare names: the walk need not visit them)
        out = [] if type(stmt.children) is bare.BareChildren or bare.only_names(stmt.children) else \
            [c for child in stmt.children for c in (child.alloc, child.min, child.max) if c is not None]
        return out + [stmt.method] if stmt.method is not None else out
    if isinstance(stmt, ast.Table):
        return [e.value for e in stmt.entries]
    if isinstance(stmt, ast.Assert):
        return [stmt.left, stmt.right]
    if isinstance(stmt, ast.Funnel):
        return [step.value for step in stmt.steps]
    return []


def _looked_for(statements) -> list[tuple[object, ast.Number | ast.Call | ast.Lookup]]:
    """(statement, node) for every number, call and lookup in the statements'
    expressions, in the order of a walk of each (`ast.walk_expr`)."""
    return [(stmt, sub) for _, stmt in statements for root in _expressions(stmt) for sub in ast.walk_expr(root)
            if isinstance(sub, (ast.Number, ast.Call, ast.Lookup))]


def _review_calls_outside_asserts(looked_for, diags: list[Diagnostic]) -> None:
    """`actual(…)` and `expected(…)` need actuals: only an assert may use them (E047).
    `looked_for`: (statement, node) pairs (`_looked_for`)."""
    for stmt, sub in looked_for:
        if isinstance(sub, ast.Call) and sub.func in ast.REVIEW_CALLS and not isinstance(stmt, ast.Assert):
            diags.append(error("E047", f"`{sub.func}(…)` is only for assertions", sub.span,
                               label="needs the actuals",
                               help="use it in an `assert`: `planc track` checks it against the actuals"))
