"""Diagnostics as a SARIF 2.1.0 log, for code scanning (`planc check --format sarif`).

One run, one tool (`planc`). The rules come from the caller as plain
`RuleInfo` values (the lint registry is a later stage than this one), so
every code planc can emit is described, whether or not it fired. Results
point at their file with a URI relative to `%SRCROOT%` (the folder the
check ran in) and at a region whose columns are 1-based and count Unicode
code points, as `Span` does (`columnKind: unicodeCodePoints`); `endColumn`
is the column just after the span, as SARIF defines it.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import Iterable, Sequence
from urllib.parse import quote

import attrs

from planc.diagnostics import Diagnostic

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"


@attrs.frozen
class RuleInfo:
    """What a SARIF consumer shows about a code: `W102`, `high-growth`, …"""

    code: str
    name: str  # kebab-case
    summary: str  # one line
    help_uri: str  # a relative reference to the docs, e.g. docs/rules.md#w102-high-growth
    level: str  # the default severity: error | warning
    help_markdown: str | None = None  # the rule's documentation, shown beside an alert


def to_sarif(diags: Iterable[Diagnostic], rules: Sequence[RuleInfo], version: str, root: str) -> dict:
    """The SARIF log of one check; file URIs are relative to `root` when they lie below it."""
    index = {r.code: i for i, r in enumerate(rules)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "planc", "version": version, "semanticVersion": version,
                "rules": [_descriptor(r) for r in rules],
            }},
            "columnKind": "unicodeCodePoints",
            "results": [_result(d, index.get(d.code), root) for d in diags],
        }],
    }


def _descriptor(rule: RuleInfo) -> dict:
    out: dict = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": _level(rule.level)},
    }
    if rule.help_markdown:
        out["help"] = {"text": rule.help_markdown, "markdown": rule.help_markdown}
    return out


def _result(d: Diagnostic, rule_index: int | None, root: str) -> dict:
    text = d.message + (f"\n\nhelp: {d.help}" if d.help else "")
    out: dict = {"ruleId": d.code}
    if rule_index is not None:
        out["ruleIndex"] = rule_index
    out["level"] = _level(d.severity)
    out["message"] = {"text": text}
    out["locations"] = [{"physicalLocation": {"artifactLocation": artifact(d.file, root), "region": region(d)}}]
    return out


def _level(severity: str) -> str:
    return "error" if severity == "error" else "warning"


def region(d: Diagnostic) -> dict:
    """Start and end, 1-based, in code points; a problem with a whole file is its first character."""
    if d.span is None:
        return {"startLine": 1, "startColumn": 1}
    source = d.span.source
    start_line, start_col = source.position(d.span.start)
    end_line, end_col = source.position(max(d.span.start, d.span.end))
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}


def artifact(path: str, root: str) -> dict:
    """A relative URI under `%SRCROOT%`, or an absolute `file:` URI for a file outside it."""
    full = Path(root, path)
    try:
        rel = PurePath(os.path.relpath(full, root))
    except ValueError:  # another drive (Windows)
        rel = PurePath("..")
    if rel.parts and rel.parts[0] != "..":
        return {"uri": quote(rel.as_posix()), "uriBaseId": SRCROOT}
    return {"uri": Path(os.path.abspath(full)).as_uri()}
