"""Hypothesis: `fmt` is idempotent and meaning-preserving over generated plans.

Plans are generated with random layout (spacing, `;` or new lines, blank
lines, indentation), random spellings of the same numbers, and comments at
the ends of lines and on lines of their own.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planc.syntax.comments import scan
from planc.fmt import format_text
from planc.pipeline import compile_text

REGIONS = ["east", "north", "south", "west", "华东", "华北"]
QUARTERS = ["Q1", "Q2", "Q3", "Q4"]
TEAMS = ["key_accounts", "channel", "retail"]

COMMENT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=12).map(
    lambda t: "#" + t.rstrip())


@st.composite
def spelled(draw, millions: int) -> str:
    """One amount, spelled as a user might: 120M, 120_000_000, 1.2亿, 12000万, 120000k."""
    options = [f"{millions}M", f"{millions * 1000}k", f"{millions:_}_000_000", str(millions * 1_000_000),
               f"{millions * 100}万"]
    if millions % 10 == 0:
        options.append(f"{millions / 100:g}亿")
    return draw(st.sampled_from(options))


@st.composite
def plans(draw) -> str:
    """A list of logical lines (statement parts), later laid out at random."""
    stmts: list[list[str]] = []  # each: [opener, items..., closer] or [single line]
    if draw(st.booleans()):
        items = ["currency: CNY"]
        if draw(st.booleans()):
            items.append("period: 2027-01-01 .. 2027-12-31")
        items.append(draw(st.sampled_from(["round: 1000", "round: 1", 'owner: "Wang Fang"'])))
        stmts.append(['plan "FY2027 计划" {', *items, "}"])
    if draw(st.booleans()):
        stmts.append(['import "std/seasonality"'])
    regions = draw(st.lists(st.sampled_from(REGIONS), min_size=2, max_size=4, unique=True))
    history = [f"{r} = {draw(spelled(draw(st.integers(5, 40))))}" for r in regions]
    stmts.append(["table history {", *history, "}"])
    total = draw(st.integers(10, 60)) * 10
    stmts.append([f"target year = {draw(spelled(total))}" + draw(st.sampled_from(["", ' "年度目标"']))])
    shares = draw(st.lists(st.integers(5, 30), min_size=3, max_size=3))
    kind = draw(st.sampled_from(["rest", "even", "weight"]))
    if kind == "rest":
        quarters = [f"{q} = {s}%" for q, s in zip(QUARTERS, shares)] + ["Q4 = rest"]
        stmts.append(["split year by quarter {", *quarters, "}"])
    elif kind == "even":
        stmts.append(["split year by quarter using even {", *QUARTERS, "}"])
    else:
        stmts.append(["split year by quarter using weight(retail_cn_quarterly)" if any(
            s[0].startswith("import") for s in stmts) else "split year by quarter using even {", *(
            [] if any(s[0].startswith("import") for s in stmts) else [*QUARTERS, "}"])])
    region_items = []
    for i, r in enumerate(regions):
        if i == 0 and draw(st.booleans()):
            region_items.append(f"{r} = {draw(spelled(total // 10))} [owner: \"Chen Jie\", status: agreed]")
        else:
            cap = draw(st.sampled_from(["", " min 1M", " max 80% of year", " min 1M max 90%"]))
            region_items.append(f"{r}{cap}")
    stmts.append(["split year by region using weight(history: 60%, 40%) {".replace(", 40%", ""),
                  *region_items, "}"])
    if draw(st.booleans()):
        stmts.append([f"split {regions[-1]} by team {{", "key_accounts = 45%", f"channel = 10% of {regions[-1]} + (25% of {regions[-1]})", "retail = rest", "}"])
    if draw(st.booleans()):
        stmts.append(["assert year.Q1 <= 35% of year \"no hockey stick\""])
    order = draw(st.permutations(range(len(stmts))))  # statements are order-free
    return _layout(draw, [stmts[i] for i in order])


def _space(draw) -> str:
    return draw(st.sampled_from([" ", " ", "  ", "\t", "   "]))


def _respace(draw, line: str) -> str:
    """Vary the spaces around `=`, `:`, `,` and between words."""
    out = []
    for word in line.split(" "):
        out.append(word)
    text = out[0]
    for word in out[1:]:
        text += _space(draw) + word
    for sym in ("= ", ": "):
        if sym in text and draw(st.booleans()):
            text = text.replace(" " + sym, sym.strip() + " ", 1) if " " + sym in text else text
    return text


def _layout(draw, stmts: list[list[str]]) -> str:
    lines: list[str] = []
    for stmt in stmts:
        for _ in range(draw(st.integers(0, 2))):
            lines.append("")
        if draw(st.integers(0, 3)) == 0:
            lines.append(draw(st.sampled_from(["", "  "])) + draw(COMMENT))
        if len(stmt) == 1:
            line = _respace(draw, stmt[0])
            if draw(st.integers(0, 3)) == 0:
                line += _space(draw) + draw(COMMENT)
            lines.append(line)
            continue
        opener, *items, closer = stmt
        one_line = draw(st.integers(0, 3)) == 0
        if one_line:
            body = "; ".join(_respace(draw, i) for i in items)
            line = f"{_respace(draw, opener)} {body} {closer}"
            if draw(st.booleans()):
                line += "  " + draw(COMMENT)
            lines.append(line)
            continue
        head = _respace(draw, opener)
        if draw(st.integers(0, 3)) == 0:
            head += " " + draw(COMMENT)
        lines.append(head)
        for item in items:
            indent = draw(st.sampled_from(["  ", "    ", "\t", " "]))
            if draw(st.integers(0, 4)) == 0:
                lines.append(indent + draw(COMMENT))
            line = indent + _respace(draw, item)
            if "[" in line and "," in line.split("[", 1)[1] and draw(st.booleans()):
                head, attrs_ = line.split("[", 1)  # wrap the attribute list (allowed since the grammar change)
                first, rest = attrs_.split(",", 1)
                wrap_comment = (" " + draw(COMMENT)) if draw(st.booleans()) else ""
                line = f"{head}[{first},{wrap_comment}\n{indent}    {rest.strip()}"
            if draw(st.integers(0, 3)) == 0:
                line += _space(draw) + draw(COMMENT)
            if draw(st.integers(0, 5)) == 0:
                lines.append("")
            lines.append(line)
        lines.append(closer + (("  " + draw(COMMENT)) if draw(st.integers(0, 4)) == 0 else ""))
    if draw(st.booleans()):
        lines.append(draw(COMMENT))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


def _outcome(text: str):
    result = compile_text(text, "gen.plan")
    values = result.evaluation.values if result.evaluation else None
    return values, Counter(d.code for d in result.diagnostics)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_fmt_is_idempotent_and_keeps_meaning(text):
    once, diags = format_text(text)
    assert once is not None, (text, [d.message for d in diags])
    twice, _ = format_text(once)
    assert twice == once
    assert _outcome(once) == _outcome(text)
    assert [c.text for c in scan(once)] == [c.text for c in scan(text)]
    assert all(line == line.rstrip() for line in once.splitlines())
    assert once.endswith("\n") or once == ""


@settings(max_examples=60, deadline=None)
@given(plans())
def test_generated_plans_mostly_evaluate(text):
    """Guard the generator itself: it makes plans that evaluate."""
    values, codes = _outcome(text)
    assert values is not None and "E001" not in codes, text
