"""`#` comments recovered from source text (the AST does not keep them).

Used by `planc fmt` (to put comments back) and by suppression comments
(`# planc: disable=W102`). Strings never span lines and only `"` quotes
them, so a per-line scan that skips string bodies is exact.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Comment:
    line: int  # 1-based
    column: int  # 1-based, where `#` is
    text: str  # from `#` to the end of the line, trailing white space removed
    own_line: bool  # nothing but white space before it on its line


def scan(text: str) -> list[Comment]:
    out: list[Comment] = []
    if "#" not in text:
        return out
    for number, line in enumerate(text.split("\n"), start=1):
        if "#" not in line:
            continue
        at = _comment_start(line)
        if at is not None:
            out.append(Comment(number, at + 1, line[at:].rstrip(), not line[:at].strip()))
    return out


def _comment_start(line: str) -> int | None:
    in_string = False
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if in_string:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "#":
            return i
        i += 1
    return None
