"""The lint stage of the pipeline: configuration, rules, suppression.

`pipeline._finish` calls `lint()` after evaluation. It finds the
configuration for the plan, runs the enabled rules, then applies the
configuration (disabled rules, severities) and the suppression comments to
*all* warnings, the compiler's own (W001–W003) included. Errors pass through
untouched.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from planc.lint import rules
from planc.lint.config import DEFAULT, Config, ConfigError, discover
from planc.diagnostics import Diagnostic
from planc.lint.suppress import Suppressions, scan

if TYPE_CHECKING:
    from planc.evaluate import Evaluation
    from planc.semantics.loader import Program
    from planc.semantics.model import Model


def lint(program: "Program", model: "Model | None", evaluation: "Evaluation | None",
         diags: list[Diagnostic], location: Path | None = None,
         config: Config | None = None) -> list[Diagnostic]:
    """`diags` plus the lint warnings, filtered and re-graded by config and comments.
    `config` None: discover it from `location` (the plan file)."""
    diags = list(diags)
    if config is None:
        config, problems = configuration(location)
        diags += problems
    if model is not None:
        diags += rules.run((model, evaluation), config)
    return apply(diags, config, program)


def configuration(location: Path | None) -> tuple[Config, list[Diagnostic]]:
    """The configuration for the plan file `location`: the defaults (and E090) when it is broken."""
    try:
        return discover(location), []
    except ConfigError as exc:
        return DEFAULT, [exc.diagnostic()]


def apply(diags: list[Diagnostic], config: Config, program: "Program | None" = None) -> list[Diagnostic]:
    by_source: dict[int, Suppressions] = {}
    main = program.modules[0].source if program is not None and program.modules else None
    out = []
    for d in diags:
        if d.is_error:
            out.append(d)
            continue
        if not config.allows(d.code):
            continue
        source = d.span.source if d.span is not None else main if d.file == getattr(main, "path", None) else None
        if source is not None:
            found = by_source.get(id(source))
            if found is None:
                found = by_source[id(source)] = scan(source.text)
            if found.hides(d):
                continue
        severity = config.severity(d.code, d.severity)
        out.append(d if severity == d.severity else attrs.evolve(d, severity=severity))
    return out
