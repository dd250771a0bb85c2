"""The plan header sets no period.

A target is time-bound (the T of SMART, method.md §1) only when the plan
says which period it covers. Without `period:` readers and reports must
guess the year, and `planc track` cannot compute the pace. Plans with no
`plan` header at all (snippets, imported modules) are not checked.

Bad:

```
plan "FY2027 Sales Targets" {
  currency: CNY
}
```

Good:

```
plan "FY2027 Sales Targets" {
  currency: CNY
  period: 2027-01-01 .. 2027-12-31
}
```
"""

from __future__ import annotations

from planc.syntax import ast
from planc.lint.rules.context import Context

CODE = "W111"
NAME = "missing-period"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(ctx: Context):
    header = next((s for s in ctx.statements() if isinstance(s, ast.PlanHeader)), None)
    if header is None or any(s.key == "period" for s in header.settings):
        return
    span = header.span
    yield ctx.report(f'plan "{header.title}" sets no period: its targets are not time-bound',
                     type(span)(span.source, span.start, span.start + 4),
                     help="add `period: 2027-01-01 .. 2027-12-31` (your own dates) to the header")
