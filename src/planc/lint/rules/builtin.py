"""The compiler's own warnings, registered as rules.

They are emitted by `resolve` and `evaluate`, not by a `check` function, but
they have a code, a name and documentation like every rule, and the
configuration (disable, severity) and suppression comments apply to them.
"""

from __future__ import annotations

from planc.lint.rules.rule import Rule, cleandoc


def _builtin(code: str, name: str, doc: str):
    return Rule(code, name, "warning", cleandoc(doc))


NOT_MULTIPLE_OF_ROUND = _builtin("W001", "not-multiple-of-round", """
    A fixed amount is not a multiple of the plan's `round` unit.

    Amounts are rounded to multiples of `round` top-down (language.md §4.5),
    but a fixed amount is the user's own figure and stays as written. A
    target of 1,234,567 in a plan rounded to thousands usually means a typo
    or a figure pasted from elsewhere. Emitted by the evaluator.

    Bad:

    ```
    plan "FY2027" { round: 1000; period: 2027-01-01 .. 2027-12-31 }
    target year = 1_234_567
    ```

    Good:

    ```
    plan "FY2027" { round: 1000; period: 2027-01-01 .. 2027-12-31 }
    target year = 1_235k
    ```
""")

UNKNOWN_ATTRIBUTE = _builtin("W002", "unknown-attribute", """
    An attribute in `[ ]` that planc does not know.

    The known attributes are `owner`, `status`, `note`, `due`, `margin`,
    `proposed`, `start` and `ramp` (an action knows `owner`, `due`, `status`
    and `note`).
    An unknown one is usually a misspelling, and it is ignored by reports.
    Emitted by the resolver.

    Bad:

    ```
    target year = 100M
    split year by region {
      east = 60M  [ownr: "Chen Jie"]
      west = rest
    }
    ```

    Good:

    ```
    target year = 100M
    split year by region {
      east = 60M  [owner: "Chen Jie"]
      west = rest
    }
    ```
""")

UNKNOWN_HEADER_KEY = _builtin("W003", "unknown-header-key", """
    A key in the `plan` header that planc does not know.

    Known keys: `currency`, `period`, `owner`, `round`, `status`, `owners`,
    `description`, `version`. An unknown key is usually a misspelling and
    has no effect. Emitted by the resolver.

    Bad:

    ```
    plan "FY2027" {
      curency: CNY
      period: 2027-01-01 .. 2027-12-31
    }
    ```

    Good:

    ```
    plan "FY2027" {
      currency: CNY
      period: 2027-01-01 .. 2027-12-31
    }
    ```
""")

EXPECTATION_FAILED = _builtin("W030", "expectation-failed", """
    An `expect` does not hold.

    `expect LEFT OP RIGHT "message"` is a soft assertion: it is checked on
    the rounded amounts like `assert`, but a failure is a warning and the
    reports are still written, with the failure in their checks. Use it for
    a figure the plan should meet but may publish without, such as a
    bottom-up roll-up against the board's number. Emitted by the evaluator.

    Bad:

    ```
    target year = sum
    split year by region {
      east = 60M
      west = 50M
    }
    expect year >= 120M  "the board's figure"
    ```

    Good:

    ```
    target year = sum
    split year by region {
      east = 66M
      west = 54M
    }
    expect year >= 120M  "the board's figure"
    ```
""")

OVERDUE_ACTION = _builtin("W031", "overdue-action", """
    An open action is past its due date.

    Only `planc check --as-of DATE` looks for these: an `action … for
    TARGET [due: DATE]` whose status is still `open` (the default) and whose
    `due` date is before the `--as-of` date. Mark it `done` or `dropped`, or
    agree a new date with its owner.

    Bad (checked with `--as-of 2027-04-15`):

    ```
    target year = 100M
    split year by region {
      east = 60M  [owner: "李娜"]
      west = rest
    }
    action "深挖 TOP50 客户" for east  [owner: "李娜", due: 2027-03-31, status: open]
    ```

    Good:

    ```
    target year = 100M
    split year by region {
      east = 60M  [owner: "李娜"]
      west = rest
    }
    action "深挖 TOP50 客户" for east  [owner: "李娜", due: 2027-03-31, status: done]
    ```
""")
