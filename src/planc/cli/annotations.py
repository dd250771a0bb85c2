"""What tools show beside a diagnostic: every code's name, summary and docs
link, for `planc check --format sarif` (the SARIF rules) and `--format github`
(the annotation titles). Built from `planc.diagnostics.codes` (the
compiler's codes, docs/errors.md) and the lint registry (docs/rules.md)."""

from __future__ import annotations

from planc.diagnostics.codes import CODE_NAMES, docs_anchor
from planc.diagnostics.sarif import RuleInfo


def rule_infos() -> list[RuleInfo]:
    """Errors first (docs/errors.md), then the warnings and lint rules (docs/rules.md)."""
    from planc.lint.rules import RULES

    out = [RuleInfo(code, _kebab(name), name, f"docs/errors.md#{docs_anchor(code)}", "error")
           for code, name in CODE_NAMES.items() if code not in RULES]
    for code, rule in RULES.items():
        out.append(RuleInfo(code, rule.name, rule.summary, f"docs/rules.md#{code.lower()}-{rule.name}",
                            rule.severity, rule.doc))
    return out


def titles() -> dict[str, str]:
    """`E005 over-allocation`, `W102 high-growth`: the title of a GitHub annotation, by code."""
    return {r.code: f"{r.code} {r.name}" for r in rule_infos()}


def _kebab(name: str) -> str:
    return "-".join(name.lower().split())
