"""The rules' documentation, generated from their docstrings:
`planc check --list-rules [--format md|json]` and `planc check --explain CODE`.

`docs/rules.md` is `render_markdown()`; a test fails when it is stale.
Regenerate it with `planc check --list-rules --format md > docs/rules.md`.
"""

from __future__ import annotations

import json

from planc.diagnostics.table import text_table
from planc.lint.rules import GLOBAL_OPTIONS, RULES, Rule, lookup, show_option

INTRO = """\
`planc check` runs the compiler and then these lint rules. Errors (`E…`)
make the check fail (exit 1); warnings (`W…`) do not, unless `--strict` is
given. `W001`–`W003` are emitted by the compiler itself and are listed here
so they can be configured and suppressed like the lint rules (`W1…`). Lint
rules look only at the plan being checked, not at the files it imports.

`planc check --explain W102` prints one rule's documentation.

## Configuration

The nearest `planc.toml`, or `pyproject.toml` with a `[tool.planc]` table,
found from the plan's folder upwards, configures the rules (`--config FILE`
picks one explicitly). Configurations do not merge: the nearest one wins.

```toml
[tool.planc]                          # in planc.toml: the same keys at the top level
disable = ["W106", "flat-time-split"] # codes or names; "all" disables every warning
enable = ["W101"]                     # wins over `disable`
history-tables = ["history"]          # last year's actuals: W102, W103, W107, W110 and the reports
allow-outside = ["../team-data"]    # folders beyond the project root that imports and data
                                      # may read, relative to this file (see docs/cli.md)

[tool.planc.severity]                 # error | warning | off
high-growth = "error"

[tool.planc.rules.high-growth]        # a rule's options, by code or name
max-growth = "40%"                    # percentages as "40%" strings, or ratios (0.4)
```

Only warnings are configurable: errors cannot be disabled or downgraded. A
broken configuration (a wrong key or value, `inf` or `nan`, arrays nested
too deep, a file over 1 MiB) is reported as `E090` at the configuration file and
`planc check` exits 2 (a configuration found next to the plan: the plan is
still checked, with the defaults; one given with `--config`: nothing else is
checked).

## Suppression comments

```
split year by quarter using even { Q1; Q2; Q3; Q4 }   # planc: disable=W101
# planc: disable=high-growth
east = 80M
# planc: disable-next-line=W106,W102
# planc: disable-file=W104
```

- `# planc: disable=CODES` at the end of a line hides those warnings on that
  line; on a line of its own, on the next line of code.
- `# planc: disable-next-line=CODES` hides them on the next line of code.
- `# planc: disable-file=CODES` anywhere hides them in the whole file.

`CODES` is a comma-separated list of codes or names, or `all`. A warning is
reported at the line and column shown in its message (`file:line:col`).
Errors cannot be suppressed.
"""


def _options(rule: Rule) -> list[tuple[str, str]]:
    return [(name, show_option(default)) for name, (default, _kind) in rule.options.items()]


def _origin(rule: Rule) -> str:
    return "built-in (emitted by the compiler)" if rule.builtin else "lint rule"


def render_markdown() -> str:
    out = ["# Lint rules", "",
           "<!-- Generated from the rules' docstrings by "
           "`planc check --list-rules --format md > docs/rules.md`. Do not edit by hand. -->", "",
           INTRO, "## Rules", "", "| code | name | default | summary |", "| --- | --- | --- | --- |"]
    for rule in RULES.values():
        out.append(f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | `{rule.name}` | {rule.severity} "
                   f"| {rule.summary} |")
    out += ["", "Global options (top level of the configuration):", ""]
    for name, (default, _kind) in GLOBAL_OPTIONS.items():
        out.append(f"- `{name} = {show_option(default)}`")
    for rule in RULES.values():
        out += ["", f"## {rule.code} {rule.name}", "",
                f"*{_origin(rule)}; default severity: {rule.severity}*", "", rule.doc.strip()]
        options = _options(rule)
        if options:
            out += ["", f"Options (`[tool.planc.rules.{rule.name}]`):", ""]
            out += [f"- `{name} = {value}`" for name, value in options]
    return "\n".join(out) + "\n"


def render_list() -> str:
    rows = [(r.code, r.name, r.severity, r.summary) for r in RULES.values()]
    return "\n".join(text_table(None, rows, "llll"))


def render_json() -> str:
    return json.dumps([{"code": r.code, "name": r.name, "severity": r.severity, "builtin": r.builtin,
                        "summary": r.summary, "doc": r.doc,
                        "options": {k: show_option(v) for k, v in _options(r)}}
                       for r in RULES.values()], ensure_ascii=False, indent=2)


def explain(code_or_name: str) -> str | None:
    rule = lookup(code_or_name)
    if rule is None:
        return None
    lines = [f"{rule.code} {rule.name} ({_origin(rule)}; default severity: {rule.severity})", "",
             rule.doc.strip()]
    options = _options(rule)
    if options:
        lines += ["", f"Options ([tool.planc.rules.{rule.name}]):"]
        lines += [f"  {name} = {value}" for name, value in options]
    lines += ["", f"Suppress on a line with `# planc: disable={rule.code}`."]
    return "\n".join(lines)
