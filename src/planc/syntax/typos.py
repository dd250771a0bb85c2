"""Typos a newcomer makes, each with the exact fix as a `help:` line.

`syntax/errors.py` says what was found and what was expected; this module
recognises the usual slips around the failing character or token and writes
the corrected text: `48,000,000` (thousands commas), `48m` (a scale suffix
in the wrong case), `40 %` (a space before `%`), full-width `％` `，` `：`
`；` `（` `）` `＝`, Chinese quotes `“…”`, and names that start with a
digit (`1月`).
"""

from __future__ import annotations

import re
from typing import Callable

from planc.source import Source

# Full-width and Chinese punctuation -> the ASCII character the grammar knows.
FULL_WIDTH = {
    "，": ",", "、": ",", "；": ";", "：": ":", "（": "(", "）": ")", "％": "%", "＝": "=",
    "【": "[", "】": "]", "｛": "{", "｝": "}", "＋": "+", "－": "-", "＊": "*", "／": "/",
    "＜": "<", "＞": ">", "。": ".",
}
QUOTES = "“”„‟«»「」『』"
_SUFFIX_CASE = {"m": "M", "mm": "M", "mn": "M", "mio": "M", "K": "k", "b": "B", "bn": "B", "W": "万", "w": "万"}
_CN = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
# Matched only against the run of number characters around the failing place
# (`_around`), so a line of ten thousand digits costs one linear pass.
_THOUSANDS = re.compile(r"\d[\d_]*(?:,\d{3})+(?:\.\d+)?(?:k|M|B|万|亿)?")
_SPACED = re.compile(r"\d[\d_]*(?:[ \t]+\d{3})+")
_NUMBER_CHARS = frozenset("0123456789_.")


def _back(text: str, end: int, chars) -> int:
    """The start of the run of `chars` that ends at `end`."""
    start = end
    while start > 0 and text[start - 1] in chars:
        start -= 1
    return start


def _forward(text: str, start: int, chars) -> int:
    end = start
    while end < len(text) and text[end] in chars:
        end += 1
    return end


def _line(source: Source, at: int) -> tuple[int, str]:
    """(offset of the line's start, the line) around offset `at`."""
    start = source.text.rfind("\n", 0, at) + 1
    end = source.text.find("\n", at)
    return start, source.text[start:] if end < 0 else source.text[start:end]


def _shown(fixed_line: str) -> str:
    fixed = fixed_line.strip()
    return f": `{fixed}`" if 0 < len(fixed) <= 80 else ""


def character_hint(source: Source, at: int, accepts: Callable[[str], bool]) -> str | None:
    """A hint for an unexpected character at offset `at`; `accepts(TERMINAL)`
    says whether the parser would take that terminal there."""
    char = source.text[at]
    start, line = _line(source, at)
    if char == "%" and source.text[:at].rstrip(" \t")[-1:].isdigit():
        gap = _back(source.text, at, " \t")
        written = source.text[_back(source.text, gap, _NUMBER_CHARS):at]
        return f"write the percent sign right after the number: `{written.strip()}%`, not `{written}%`"
    if char in QUOTES:
        close = next((i for i in range(at + 1, start + len(line)) if source.text[i] in QUOTES), None)
        inner = source.text[at + 1:close] if close is not None else line[at - start + 1:].strip()
        fixed = "".join('"' if c in QUOTES else c for c in line)
        return f'strings use ASCII double quotes{_shown(fixed) or f": `{chr(34)}{inner}{chr(34)}`"}'
    if char in FULL_WIDTH:
        ascii_char = FULL_WIDTH[char]
        if ascii_char == "," and not accepts("COMMA") and accepts("_SEP"):
            ascii_char = ";"  # between statements or children a `,` would not do either
        rest = line[at - start + 1:]
        if ascii_char in ",;:" and rest[:1] not in ("", " ", "\t"):
            rest = " " + rest  # the full-width mark carried its own space
        head = line[:at - start]
        if ascii_char == "%" and head.rstrip(" \t")[-1:].isdigit():
            head = head.rstrip(" \t")  # `40 ％` is `40%`
        fixed = head + ascii_char + rest
        fixed = "".join(FULL_WIDTH.get(c, c) if c != char else ascii_char for c in fixed)
        return f"use the ASCII `{ascii_char}` instead of `{char}`{_shown(fixed)}"
    return None


def number_hint(source: Source, start: int, end: int, expects_name: bool) -> str | None:
    """A hint for an unexpected number token at [start, end)."""
    after = source.text[end:end + 1]
    if after and (after.isalpha() or after == "_") and expects_name:
        glued = re.match(r"\w+", source.text[start:]).group(0)  # type: ignore[union-attr]
        return f"names start with a letter or `_`, not a digit: write `{_name_for(glued)}`"
    return _grouped(source, start, _SPACED, "a number is written without spaces", " \t")


def _name_for(glued: str) -> str:
    """`1月` -> `一月`, `2季度` -> `二季度`, `2east` -> `east2`."""
    found = re.fullmatch(r"(\d+)(月|季度|季)", glued)
    if found and 1 <= int(found.group(1)) <= (12 if found.group(2) == "月" else 4):
        return _CN[int(found.group(1)) - 1] + found.group(2)
    digits = re.match(r"\d+", glued).group(0)  # type: ignore[union-attr]
    return glued[len(digits):] + digits


def comma_hint(source: Source, at: int) -> str | None:
    """`48,000,000`: thousands separators inside a number."""
    return _grouped(source, at, _THOUSANDS, "numbers have no thousands commas", ",")


def _grouped(source: Source, at: int, pattern: re.Pattern, what: str, separators: str) -> str | None:
    """`48,000,000` or `48 000 000` around offset `at`: write `48_000_000` or `48M`."""
    chars = _NUMBER_CHARS | set(separators) | set("kMB万亿")
    text = source.text
    found = pattern.match(text[_back(text, at, chars):_forward(text, at, chars)].strip(" \t,"))
    if found is None:
        return None
    bare = re.sub(r"[, \t]+", "_", found.group(0))
    scaled = _scaled(bare.replace("_", ""))
    alternative = f" or `{scaled}`" if scaled else ""
    return f"{what}: write `{bare}`{alternative}"


def _scaled(plain: str) -> str | None:
    """48000000 -> 48M, 850000 -> 850k; None for a number with a suffix or a fraction."""
    if not plain.isdigit() or len(plain) > 40:  # past any amount planc accepts (E039): no shorter form to offer
        return None
    value = int(plain)
    for unit, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "k")):
        if value >= unit and value % unit == 0:
            return f"{value // unit}{suffix}"
    return None


def suffix_hint(number_text: str, name: str) -> str | None:
    """`52m`, `850K`: a scale suffix in the wrong case, read as a measure's name (E050)."""
    if name not in _SUFFIX_CASE:
        return None
    return f"scale suffixes are `k`, `M`, `B`, `万` and `亿`, in that case: write `{number_text}{_SUFFIX_CASE[name]}`"


def name_hint(source: Source, start: int, name: str) -> str | None:
    """A hint for an unexpected name right after a number: a suffix in the wrong case, or a name
    that starts with digits (`1月`)."""
    digits = source.text[_back(source.text, start, _NUMBER_CHARS):start]
    if not digits[:1].isdigit():
        return None
    if name in _SUFFIX_CASE:
        return (f"scale suffixes are `k`, `M`, `B`, `万` and `亿`, in that case: "
                f"write `{digits}{_SUFFIX_CASE[name]}`")
    return f"names start with a letter or `_`, not a digit: write `{_name_for(digits + name)}`"
