"""Suppression comments: `# planc: disable=W102` and friends.

- `# planc: disable=W102,W105` at the end of a line hides those warnings on
  that line; alone on its line it hides them on the next line of code.
- `# planc: disable-next-line=W102` hides them on the next line of code.
- `# planc: disable-file=W104` anywhere hides them in the whole file.

Codes or rule names (`high-growth`), or `all`. Only warnings can be
suppressed; errors always show. Found by a cheap scan of the text (only
when it contains `planc:`), not by the parser.
"""

from __future__ import annotations

import re

import attrs

from planc.diagnostics import Diagnostic

_DIRECTIVE = re.compile(
    r"#\s*planc\s*:\s*(disable-file|disable-next-line|disable)\s*=\s*"
    r"([\w-]+(?:\s*,\s*[\w-]+)*)")


@attrs.frozen
class Suppressions:
    whole_file: frozenset = frozenset()
    lines: dict = attrs.Factory(dict)  # line -> frozenset of codes

    def hides(self, d: Diagnostic) -> bool:
        if d.is_error:
            return False
        if _match(d.code, self.whole_file):
            return True
        return d.span is not None and _match(d.code, self.lines.get(d.line, ()))


NONE = Suppressions()


def _match(code: str, codes) -> bool:
    return code in codes or "ALL" in codes


def _code(word: str) -> str:
    from planc.lint.rules import lookup

    rule = lookup(word)
    return rule.code if rule is not None else word.upper()


def scan(text: str) -> Suppressions:
    if "planc" not in text:
        return NONE
    from planc.syntax.comments import scan as comments

    lines_of_code = None
    whole: set[str] = set()
    lines: dict[int, set[str]] = {}
    for c in comments(text):
        for kind, words in _DIRECTIVE.findall(c.text):
            codes = {_code(w.strip()) for w in words.split(",")}
            if kind == "disable-file":
                whole |= codes
                continue
            line = c.line
            if kind == "disable-next-line" or c.own_line:
                if lines_of_code is None:
                    lines_of_code = _code_lines(text)
                line = next((n for n in lines_of_code if n > c.line), c.line)
            lines.setdefault(line, set()).update(codes)
    return Suppressions(frozenset(whole), {k: frozenset(v) for k, v in lines.items()})


def _code_lines(text: str) -> list[int]:
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            out.append(number)
    return out
