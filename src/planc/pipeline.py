"""The compiler in one call: load -> resolve -> evaluate (-> lint).

Each stage returns its value and its diagnostics; the pipeline goes as far
as it safely can so that one run reports many problems.
"""

from __future__ import annotations

import contextlib
import gc
import os
from operator import attrgetter
from pathlib import Path
from typing import Iterator, Sequence

import attrs

from planc.lint.config import DEFAULT, Config
from planc.diagnostics import Diagnostic, sort_key
from planc.evaluate import Evaluation, evaluate
from planc.lint import configuration, lint
from planc.semantics.loader import Program, load, load_source
from planc.semantics.concepts import HISTORY_TABLES
from planc.semantics.model import Model
from planc.semantics.resolve import resolve
from planc.source import Source

_path = attrgetter("path")


@attrs.define
class Compilation:
    path: str
    program: Program
    model: Model | None
    evaluation: Evaluation | None
    diagnostics: list[Diagnostic]
    config: Config = DEFAULT  # the lint configuration, read once for every consumer
    scenarios: dict = attrs.Factory(dict)  # name -> evaluate.scenario.ScenarioResult, `base` not included

    @property
    def history_tables(self) -> tuple[str, ...]:
        """The `history-tables` setting: which tables hold last year's figures."""
        return tuple(self.config.global_options.get("history-tables", HISTORY_TABLES))

    @property
    def unreadable(self) -> bool:
        return self.program.unreadable

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def compile_plan(path: str | os.PathLike, display: str | None = None, config: Config | None = None,
                 allow_outside: Sequence[str | os.PathLike] = ()) -> Compilation:
    """`config` None: the lint configuration found from the plan's folder up.
    `allow_outside`: folders beyond the project root that imports and data may read
    (with the configuration's `allow-outside`)."""
    with _collection_paused():
        config, problems = _configured(config, Path(path))
        program, diags = load(path, display, (*allow_outside, *config.allow_outside))
        return _finish(str(display or path), program, diags, Path(path), config, problems)


def compile_text(text: str, path: str = "<input>", directory: Path | None = None,
                 config: Config | None = None, allow_outside: Sequence[str | os.PathLike] = (),
                 cache: bool = True) -> Compilation:
    """Compile text as if it were the file `path` (imports relative to `directory`).
    The lint configuration is looked up from `directory` when it is given.
    `cache=False`: the text skips the parse cache (the language server's unsaved buffers)."""
    where = (directory or Path.cwd()) / Path(path).name
    location = where if directory is not None else None
    with _collection_paused():
        config, problems = _configured(config, location)
        program, diags = load_source(Source(path, text), where, (*allow_outside, *config.allow_outside), cache)
        return _finish(path, program, diags, location, config, problems)


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """No cycle collection from parse to lint. A compile keeps almost all it
    allocates until it ends, so collections only walk live objects: with the
    default thresholds they took 13% of compiling a 30k-line plan and 29% of a
    106k-target one (benchmarks/bench_scale.py). What cyclic garbage a compile
    makes is collected after it, as usual. The first compile of a one-shot
    command (`one_shot()`) hands what it allocated straight to the oldest
    generation (`freeze` then `unfreeze`, a splice of two lists), so the first
    young collection after it does not walk every object it made (0.5 s after
    a 100,000-cell cross). Only the first: objects spliced in are never counted
    towards a full collection, so garbage from compile after compile would pile
    up (the language server; `planc check` of many files: 700 MB after 200
    compiles of the example, against 140 MB). One-shot commands also raise the
    thresholds (cli/__init__.py)."""
    global _SPLICES_LEFT
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if _SPLICES_LEFT:
            _SPLICES_LEFT -= 1
            gc.freeze()
            gc.unfreeze()
        gc.enable()


_SPLICES_LEFT = 0  # compiles still to hand to the oldest generation (`one_shot()`)


def one_shot() -> None:
    """This process runs one command and exits (the `planc` command, not the
    language server): its first compile goes to the oldest generation."""
    global _SPLICES_LEFT
    _SPLICES_LEFT = 1


def _configured(config: Config | None, location: Path | None) -> tuple[Config, list[Diagnostic]]:
    """The configuration is needed before loading: it may allow folders outside the project root."""
    return (config, []) if config is not None else configuration(location)


def _finish(path: str, program: Program, diags: list[Diagnostic], location: Path | None = None,
            config: Config | None = None, problems: Sequence[Diagnostic] = ()) -> Compilation:
    # A plan that did not parse stops here; an import that did not parse is left
    # out (the loader reported it, and the resolver knows what it might define).
    if program.unreadable or not program.modules:
        return Compilation(path, program, None, None, _sorted(diags))
    if config is None:
        config, problems = configuration(location)
    diags += problems
    model, more = resolve(program)
    diags += more
    evaluation, more = evaluate(model)
    diags += more
    scenarios: dict = {}
    if model.scenarios:  # each resolved and evaluated afresh by the same engine
        from planc.evaluate.scenario import run_scenarios

        scenarios, more = run_scenarios(program, model, diags)
        diags += more
    # Lint rules, then config and suppression comments on every warning (planc.lint).
    diags = lint(program, model, evaluation, diags, location, config)
    return Compilation(path, program, model, evaluation, _sorted(diags), config, scenarios)


def _sorted(diags: list[Diagnostic]) -> list[Diagnostic]:
    unique: dict = {}
    for d in diags:
        unique.setdefault((d.file, d.line, d.column, d.code, d.message), d)
    return sorted(unique.values(), key=sort_key)


def ordered_paths(result: Compilation) -> list[str]:
    """Every evaluated target, parents before children, in declaration order."""
    if result.model is None or result.evaluation is None:
        return []
    values = result.evaluation.values
    seen = list(filter(values.__contains__, map(_path, result.model.walk())))  # (in C: a million targets)
    if len(seen) == len(values):  # the tree's paths are distinct: every amount is in the walk
        return seen
    known = set(seen)
    return seen + [p for p in values if p not in known]
