"""The compiler's own diagnostic codes and their short names.

docs/errors.md documents each code under a `## CODE — name` heading; this
table is what tools need without the docs (SARIF rules, GitHub annotation
titles), and a test keeps the two in step. The lint rules (`W1…`) have
their names in the rule registry (`planc.lint.rules`).
"""

from __future__ import annotations

CODE_NAMES: dict[str, str] = {
    "E001": "syntax error",
    "E002": "invalid literal",
    "E003": "undefined name",
    "E004": "ambiguous name",
    "E005": "over-allocation",
    "E006": "under-allocation",
    "E007": "defined twice",
    "E008": "circular definition",
    "E009": "negative rest",
    "E010": "rest with even or weight",
    "E011": "more than one rest",
    "E012": "weight key missing",
    "E013": "infeasible caps or negative weight",
    "E014": "assertion failed",
    "E015": "cannot read a file",
    "E016": "not UTF-8",
    "E017": "malformed CSV",
    "E018": "CSV value not a number",
    "E019": "duplicate key",
    "E020": "currency mismatch",
    "E021": "division by zero",
    "E022": "child without an amount",
    "E023": "import cycle",
    "E024": "mixed weights",
    "E025": "invalid setting",
    "E026": "table misuse",
    "E027": "bad sum target",
    "E028": "split without children",
    "E029": "cap violated",
    "E030": "expression too deep",
    "E031": "split ratio",
    "E032": "cross cannot be made",
    "E033": "cross cell defined twice",
    "E034": "three-way cross",
    "E035": "cross cannot be fitted or rounded",
    "E036": "bad seed table",
    "E037": "file outside the project root",
    "E038": "cannot share a total below zero",
    "E039": "amount out of range",
    "E040": "cannot read actuals file",
    "E041": "actuals not in their encoding",
    "E042": "malformed actuals file",
    "E043": "actual not a number",
    "E044": "duplicate actuals row",
    "E045": "actuals period outside the plan",
    "E046": "actuals for an unknown target",
    "E047": "actuals misused in the plan",
    "E048": "review assertion failed",
    "E049": "re-plan cannot keep the total",
    "E050": "unknown measure",
    "E051": "mixed units",
    "E052": "invalid measure",
    "E053": "funnel dimension unknown",
    "E054": "rate not above zero",
    "E055": "rate above 100%",
    "E056": "funnel step misused",
    "E057": "calendar split impossible",
    "E060": "bad function call",
    "E061": "function outside a split child",
    "E062": "bad scenario",
    "E063": "bad ramp",
    "E090": "invalid configuration",
    "E099": "formatter safety check",
    "W001": "not a multiple of round",
    "W002": "unknown attribute",
    "W003": "unknown header key",
    "W010": "actuals disagree",
    "W030": "expectation failed",
    "W031": "overdue action",
}


def docs_anchor(code: str) -> str:
    """The heading's anchor in docs/errors.md, as GitHub makes it: `e005--over-allocation`."""
    name = CODE_NAMES[code]
    words = "".join(ch for ch in f"{code} — {name}".lower() if ch.isalnum() or ch in " -_")
    return words.replace(" ", "-")
