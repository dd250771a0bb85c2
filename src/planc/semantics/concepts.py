"""Plan concepts beyond the language itself, in one place for every
consumer (lint, report, track, the LSP): last year's figures, customer
splits and the plan's headline target. Time is in `planc.semantics.time`.
"""

from __future__ import annotations

import functools
import re
from operator import attrgetter
from fractions import Fraction

from planc.semantics.model import Model, SplitNode, Table, TargetNode, suffix_matches

_name = attrgetter("name")

# ---- history: last year's figures ---------------------------------------------------------

# The `history-tables` setting (planc.toml / [tool.planc]) when none is given.
HISTORY_TABLES: tuple[str, ...] = ("history",)


def history_entries(model: Model, names: tuple[str, ...] = HISTORY_TABLES, declared: bool = False
                    ) -> list[tuple[Table, TargetNode, Fraction]]:
    """(table, target, last year's amount) for every key of the history tables
    `names` that names exactly one target (by the reference rule of
    language.md §4.3(b); a 2-D key `east, Q1` names a cross cell). With `declared`,
    only targets the plan declares: no cross cells, and a key only a cell could
    match (none indexed ends like it) is not looked up (a cross's seed has a key
    per cell)."""
    out = []
    pairs = None
    for name in names:
        table = model.tables.get(name)
        if table is None:
            continue
        if pairs is None and not model.by_name:  # a model the resolver did not index
            pairs = _pairs(model)
        by_pair = model.by_pair if declared and pairs is None else None
        for key, amount in table.values.items():
            parts = key if isinstance(key, tuple) else tuple(key.split("."))
            if by_pair is not None and len(parts) > 1 and (parts[-2], parts[-1]) not in by_pair:
                continue
            node = find_target(model, parts, pairs)
            if node is not None and not (declared and node.decl is None):
                out.append((table, node, amount))
    return out


def last_year(model: Model, names: tuple[str, ...] = HISTORY_TABLES) -> "dict[str, Fraction] | LastYear":
    """Target path -> last year's figure (`get`, `[]`, `in`); the first table in `names`
    that has the target wins, and within a table its first key naming the target. For a
    model the resolver indexed, each target is looked up when asked (`LastYear`)."""
    if model.by_name:
        return LastYear(model, names)
    return _every_figure(model, names)


def _every_figure(model: Model, names: tuple[str, ...]) -> dict[str, Fraction]:
    out: dict[str, Fraction] = {}
    for _table, node, amount in history_entries(model, names):
        out.setdefault(node.path, amount)
    return out


class LastYear:
    """`last_year` worked out per target when asked: a report shows a few thousand rows of
    a plan whose history may have a key for each of 400,000 cross cells. A target's keys
    are the suffixes of its path and aliases, in the shapes the table's keys have (dotted,
    or a tuple of the same length), which must name it alone (`find_target`); a target
    whose names end in no key's last part has none. After `ASKED` targets (a JSON, CSV or
    workbook asks for every one), every key is looked up once instead (`history_entries`)."""

    ASKED = 5000

    def __init__(self, model: Model, names: tuple[str, ...]) -> None:
        self.model, self.names = model, names
        self.tables = []  # (values, has dotted keys, lengths of its tuple keys)
        for name in names:
            if name in model.tables:
                values = model.tables[name].values
                kinds = set(map(type, values))
                lengths = {len(key) for key in values if type(key) is tuple} if tuple in kinds else set()
                self.tables.append((values, bool(kinds - {tuple}), lengths))
        self.lasts = {key[-1] if isinstance(key, tuple) else key.rpartition(".")[2]
                      for values, _, _ in self.tables for key in values}
        self.asked = 0
        self.every: dict[str, Fraction] | None = None

    def get(self, path: str, default: Fraction | None = None) -> Fraction | None:
        if self.every is None:
            self.asked += 1
            if self.asked > self.ASKED:
                self.every = _every_figure(self.model, self.names)
        found = self.every.get(path) if self.every is not None else self._figure(path)
        return default if found is None else found

    def __getitem__(self, path: str) -> Fraction:
        found = self.get(path)
        if found is None:
            raise KeyError(path)
        return found

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.get(path) is not None

    def _figure(self, path: str) -> Fraction | None:
        node = self.model.targets.get(path)
        if node is None:
            return None
        names = [name.split(".") for name in (node.path, *node.aliases)]
        if not any(parts[-1] in self.lasts for parts in names):
            return None
        for values, dotted, lengths in self.tables:
            keys: list = []
            for parts in names:
                for k in range(1, len(parts) + 1):
                    if dotted and (key := ".".join(parts[-k:])) in values:
                        keys.append(key)
                    if k in lengths and (pair := tuple(parts[-k:])) in values:
                        keys.append(pair)
            keys = [key for key in keys if find_target(self.model, key if isinstance(key, tuple)
                                                       else tuple(key.split("."))) is node]
            if keys:  # the table's first key that names the target, as `history_entries` lists them
                first = keys[0] if len(keys) == 1 else min(keys, key=list(values).index)
                return values[first]
        return None


def _pairs(model: Model) -> dict[tuple[str, ...], list]:
    """(path, node) for every path and alias, by its last component and by
    its last two (a 2-D key such as `east, Q1` then looks at a few cells,
    not at every cell of a large cross)."""
    out: dict[tuple[str, ...], list] = {}
    for n in model.targets.values():
        for path in (n.path, *n.aliases):
            parts = path.split(".")
            out.setdefault((parts[-1],), []).append((path, n))
            if len(parts) > 1:
                out.setdefault((parts[-2], parts[-1]), []).append((path, n))
    return out


def find_target(model: Model, parts: tuple[str, ...], pairs: dict | None = None) -> TargetNode | None:
    """A table key to a target by the reference rule of language.md §4.3(b):
    the shallowest target whose path ends with the key; None if none or a tie."""
    if pairs is None and model.by_name:
        found = model.named(parts)
    else:
        pairs = _pairs(model) if pairs is None else pairs
        found = suffix_matches(pairs.get(tuple(parts[-2:]), ()), parts)
    return found[0] if len(found) == 1 else None


# ---- customers ----------------------------------------------------------------------------

_NEW_WORDS = {"new", "acquisition", "acquired", "newly"}
_EXISTING_WORDS = {"existing", "current", "retained", "retention", "renewal", "renewals", "repeat",
                   "installed", "install", "returning", "old"}
_NEW_CN = ("新客", "新增客户", "新用户", "新开", "新签", "增量", "新户")
_EXISTING_CN = ("老客", "存量", "现有客户", "老用户", "复购", "续约", "老户", "既有客户")
CUSTOMER_DIMENSIONS = {"customer", "customers", "customer_type", "customer_types", "customer_group",
                       "customer_groups", "accounts", "account_type", "clients", "客户", "客户类型",
                       "客户类别", "客群"}


@functools.lru_cache(maxsize=4096)
def customer_kind(name: str) -> str | None:
    """'new', 'existing' or None, from a child's name (`new_customers`, `老客户`, …)."""
    if any(w in name for w in _NEW_CN):
        return "new"
    if any(w in name for w in _EXISTING_CN):
        return "existing"
    words = [w for w in re.split(r"[_\W\d]+", name.lower()) if w]
    if not words:
        return None
    if words[0] in _NEW_WORDS:
        return "new"
    if words[0] in _EXISTING_WORDS:
        return "existing"
    return None


@functools.lru_cache(maxsize=256)
def customer_kinds(names: tuple[str, ...]) -> tuple[str | None, ...]:
    """`customer_kind` of each of a split's children's names: the splits of a
    large plan share a few lists of names (every month's forty products)."""
    return tuple(map(customer_kind, names))


def children_kinds(split: SplitNode) -> tuple[str | None, ...]:
    """`customer_kind` of each of `split`'s children, in order."""
    return customer_kinds(tuple(map(_name, split.children)))


def is_customer_dimension(dimension: str) -> bool:
    return dimension.lower() in CUSTOMER_DIMENSIONS


def customer_split(split: SplitNode) -> bool:
    """A split into existing and new customers (or existing ones by a customer dimension)."""
    kinds = children_kinds(split)
    return "existing" in kinds and ("new" in kinds or is_customer_dimension(split.dimension))


# ---- the headline target --------------------------------------------------------------------

def headline(model: Model) -> TargetNode | None:
    """The plan's headline target: the header's `main`, else the one root that
    is split (else the only root). None when several roots qualify: there is
    no single headline then, and roots are never added together."""
    if model.header.main is not None:
        found = model.targets.get(model.header.main)
        if found is not None:
            return found
    split = [r for r in model.roots if r.splits]
    candidates = split or model.roots
    return candidates[0] if len(candidates) == 1 else None


# ---- statuses: a target's, an action's --------------------------------------------------

STATUSES = ("draft", "proposed", "agreed", "disputed")
# A plan may write a target's status in Chinese; it means the English word.
STATUS_ALIASES = {"草拟": "draft", "草稿": "draft", "已提议": "proposed", "已确认": "agreed", "有异议": "disputed"}
ACTION_STATUSES = ("open", "done", "dropped")
ACTION_STATUS_ALIASES = {"进行中": "open", "待办": "open", "已完成": "done", "已放弃": "dropped"}


def canonical_status(value: object, aliases: dict[str, str] = STATUS_ALIASES) -> str | None:
    """The status a written value means (`有异议` -> `disputed`); None when it is no status word."""
    if not isinstance(value, str):
        return None
    return aliases.get(value, value)


def target_status(node: TargetNode) -> str | None:
    """A target's status, in English whichever way the plan wrote it."""
    status = None
    for setting in getattr(node.decl, "attributes", ()):  # as `node.attributes` (the last wins), without its dict
        if setting.key == "status":
            status = setting
    return canonical_status(status.value) if status is not None else None
