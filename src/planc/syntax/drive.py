"""A faster drive of Lark's own LALR tables: the same tokens, reductions and callbacks.

The grammar stays in `grammar/planc.lark` and Lark builds the tables; this
module only runs them, for clean text, with less work per token than Lark's
generic machinery (issue 15: the parse was most of `planc check` of a big plan):

- one loop lexes and parses: no generator, no `LineCounter`, no `feed_token`
  call per token; Lark's contextual lexer is reproduced exactly: in each
  parser state the same compiled scanner of that state's terminals (Lark's
  own regular expression, so the same terminal wins, keywords read as names
  where no keyword fits included), the same ignored terminals, and the same
  `Token` (type, value, start_pos, line, column, end_line, end_column, end_pos);
- our rule callbacks are called directly, with what Lark's `create_callback`
  wrappers do for our grammar applied here: inlined `_rules` (their children
  spliced into the parent's, as `ChildFilterLALR_NoPlaceholders` does) and
  `?rules` with one child passed through (`ExpandSingleChild`); a `?rule`
  reduction of one child changes only the parser state.

It never reports anything. On a syntax problem (a character no terminal
matches, a token the table has no action for) or anything this module does
not reproduce, `run` returns `FAILED` and the caller parses the text again
with Lark (`builder._parse`), so every syntax diagnostic and recovery pass is
exactly today's. Otherwise our callbacks were called exactly as Lark calls
them, so the builder's problems (E001 keyword as a name, …) are today's too;
but for a split of bare names that `syntax/quick.py` reads whole, which makes
no calls (it reads only text in which the builder finds no problem).
`PLANC_SLOW_PARSE=1` (or `ENABLED = False`) always takes Lark's path;
`tests/test_parse_drive.py` checks both give the same `ast.Module`, the same
diagnostics and the same callback calls with the same tokens.

Lark internals read here (the same in lark 1.1.9, 1.2.2 and 1.3.1, which
`pyproject.toml` allows; `unsupported` names the first one missing or
different, and then every parse takes Lark's path; a test fails on it):
`Lark.parse_interactive(…).parser_state.parse_conf` (`states`, `start_state`,
`end_state`), `lark.parsers.lalr_analysis.Shift`, `Token.__slots__`,
`Rule.expansion`/`origin`/`alias`/`options.template_source`,
`Lark._parse_tree_builder` (`tree_class`; `rule_builders`: wrapper chains of
`ExpandSingleChild` and `partial(ChildFilterLALR_NoPlaceholders, to_include)`),
`Lark.parser.lexer` (a `ContextualLexer`: `lexers` by state, each a
`BasicLexer` with `scanner._mres`, `callback`, `ignore_types`, `newline_types`).

Measured for issue 15 (CPU, min of 5, Lark's path | this drive, side by side
on the shared 2-core machine, load about 1.3): `parse_text` of
`benchmarks/bench_scale.py`'s `realistic_plan(200, 40)` (98.6k targets,
234,786 tokens) 1.89 s | 1.10 s, 8.0 | 4.7 us a token (0.89 s with the
collector paused, as `planc check` parses: 1.66 s before). With callbacks that
do nothing, Lark's machinery (lexer, `feed_token`, the callback wrappers) takes
1.05 s and this loop 0.41 s (1.7 us a token, a reduction or so each): most of
what is left is our builder (`_Callbacks.call`, `child`, `Span`s, AST nodes).
Later (2026-12-01): the tables name symbols by plain strings, not Lark's
`Token`s (a lookup by a `Token` called its Python `__eq__`), and a bare-name
child skips the generic callback: 1.07 -> 0.92 s, best of 5.
Sixth session: a split of bare names at the start of a statement is read
whole by `syntax/quick.py` (`run`'s `quick_split`): 1.47 -> 0.58 s, best of 5.
Small plans: a 300-line plan 23 | 13 ms, examples/fy2027 9.3 | 5.2 ms (the
first parse of a process, tables included: 36 | 27 ms). A syntax error costs
the fast pass up to it (a 300-line plan broken at its end: 47 | 60 ms).
"""

from __future__ import annotations

import os
from functools import partial

from lark import Lark, Token

FAILED = object()  # the text must be parsed by Lark: a syntax problem, or nothing to drive
ENABLED = os.environ.get("PLANC_SLOW_PARSE", "") in ("", "0")

_new_str = str.__new__
_TOKEN_SLOTS = ("type", "start_pos", "value", "line", "column", "end_line", "end_column", "end_pos")  # all set in _loop
_PASS = object()  # the callback of a `?rule` reduction of one child: none, the child is the value


class _Tables:
    """One Lark parser's tables, rearranged for `run`: states numbered 0..n-1,
    actions as ints (>= 0: shift or goto to that state; < 0: reduce rule ~a)."""

    def __init__(self, lark: Lark) -> None:
        from lark.lexer import BasicLexer, ContextualLexer
        from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders, ExpandSingleChild
        from lark.parsers.lalr_analysis import Shift

        if Token.__slots__ != _TOKEN_SLOTS:
            raise _Unsupported(f"Lark's Token has the attributes {Token.__slots__}, not {_TOKEN_SLOTS}")
        conf = lark.parse_interactive("").parser_state.parse_conf
        number = {state: i for i, state in enumerate(conf.states)}
        rules: list = []
        rule_index: dict = {}
        for rule, chain in lark._parse_tree_builder.rule_builders:
            rule_index[rule] = len(rules)
            rules.append(_rule_shape(rule, chain, ExpandSingleChild, ChildFilterLALR_NoPlaceholders))
        self.rules = rules
        # Lark would call a callback given for an inlined `_rule` (and splice its value's children): not done here
        self.inlined = frozenset(_callback_name(rule) for rule, _ in lark._parse_tree_builder.rule_builders
                                 if rule.origin.name.startswith("_"))
        # Symbols as plain strings (keys here, rule origins in `_rule_shape`): Lark names a
        # rule's symbol with a `Token`, whose Python-level `__eq__` a lookup would call.
        self.actions = [
            {str(kind): number[arg] if action is Shift else ~rule_index[arg] for kind, (action, arg) in row.items()}
            for row in conf.states.values()]
        self.start, self.end = number[conf.start_state], number[conf.end_state]
        self.tree = partial(partial, lark._parse_tree_builder.tree_class)  # Lark's default for a rule without callback

        lexer = lark.parser.lexer
        if type(lexer) is not ContextualLexer:
            raise _Unsupported(f"the lexer is a {type(lexer).__name__}, not Lark's ContextualLexer")
        basics: list[BasicLexer] = []
        for state in conf.states:
            basic = lexer.lexers[state]
            if type(basic) is not BasicLexer:
                raise _Unsupported("a state's lexer is not Lark's BasicLexer")
            basics.append(basic)
        self.newlines = frozenset().union(*(b.newline_types for b in basics))  # a terminal's, whatever the state
        self.ignore = frozenset().union(*(b.ignore_types for b in basics))
        if any(b.ignore_types != self.ignore for b in basics):
            raise _Unsupported("the ignored terminals differ between states")
        # A state's scanner is compiled when a parse first reaches the state, as Lark does
        # (compiling all ~120 up front would cost a small plan more than its parse).
        self.match: list = [partial(_first_match, self.match_of, basic, i) for i, basic in enumerate(basics)]

    def match_of(self, basic, state: int):
        """The state's scanner's `match`, in place of its placeholder; None if Lark's
        scanner is not one plain regular expression (then Lark parses the text)."""
        try:
            scanner = basic.scanner
            if len(scanner._mres) != 1 or basic.callback:
                return None
        except (AttributeError, TypeError):  # a changed Lark: parse with Lark
            return None
        self.match[state] = match = scanner._mres[0].match
        return match


def _first_match(match_of, basic, state: int, text: str, pos: int):
    match = match_of(basic, state)
    return match(text, pos) if match is not None else None  # no match: Lark parses the text


def _callback_name(rule) -> str:
    return rule.alias or rule.options.template_source or rule.origin.name  # as create_callback names it


class _Unsupported(Exception):
    """Something in Lark's parser this module does not reproduce: always take Lark's path."""


def _rule_shape(rule, chain, expand_single, child_filter) -> tuple:
    """(size, origin, callback name or None for an inlined `_rule`, to_include, expand1).
    to_include: None, or Lark's ((child index, splice its children?), …)."""
    include = None
    expand1 = False
    for wrapper in chain:
        if wrapper is expand_single:
            expand1 = True
        elif isinstance(wrapper, partial) and wrapper.func is child_filter and not wrapper.keywords:
            include = tuple(wrapper.args[0])
        else:
            raise _Unsupported(f"rule {rule}: wrapper {wrapper!r}")
    name = _callback_name(rule)
    inlined = rule.origin.name.startswith("_")
    if inlined and (expand1 or rule.alias):
        raise _Unsupported(f"rule {rule}: an inlined rule that is also expanded or aliased")
    return len(rule.expansion), str(rule.origin.name), None if inlined else name, include, expand1


_TABLES: dict[int, _Tables | str] = {}  # id(Lark) -> its tables, or why it cannot be driven (held: ids stay valid)
_KEEP: list = []


def tables(lark: Lark) -> _Tables | str:
    """The rearranged tables of this parser, or why they cannot be made (the reason is kept)."""
    found = _TABLES.get(id(lark))
    if found is None:
        try:
            found = _Tables(lark)
        except Exception as exc:  # noqa: BLE001 - whatever a changed Lark raises here means: Lark's path
            found = f"{type(exc).__name__}: {exc}"
        _TABLES[id(lark)] = found
        _KEEP.append(lark)
    return found


def unsupported(lark: Lark) -> str | None:
    """Why this Lark parser cannot be driven here (then Lark parses everything), or None."""
    found = tables(lark)
    return found if isinstance(found, str) else None


def run(lark: Lark, text: str, callbacks: object, quick_split=None):
    """Parse `text` with `callbacks` (an object with one method per rule, as
    given to Lark's `create_callback`): the start rule's value, or FAILED.
    `quick_split(text, pos)`: where a statement starts with `split` (at `pos`),
    the `split_stmt` value and the offset after it, or None to parse it here
    (`syntax/quick.py`); its statements make no callback calls."""
    if not ENABLED:
        return FAILED
    t = tables(lark)
    if isinstance(t, str) or any(hasattr(callbacks, name) for name in t.inlined):
        return FAILED
    tree = t.tree
    rules = [(size, origin, _PASS if size == 1 and expand1 and include is None
              else None if name is None else getattr(callbacks, name, None) or tree(name), include, expand1)
             for size, origin, name, include, expand1 in t.rules]
    return _loop(text, t.actions, rules, t.match, t.newlines, t.ignore, t.start, t.end, quick_split)


def _loop(text, actions, rules, matchers, newline_kinds, ignore, start, end_state, quick_split=None):
    """Lex in the current state, shift, reduce: Lark's `ContextualLexer.lex`,
    `BasicLexer.next_token` and `ParserState.feed_token` in one loop. Where
    `split` would be shifted in a state that expects a whole statement (it has
    a goto on `split_stmt`: only the start rule's states do), `quick_split`
    may read the statement and it is pushed as if its rule had been reduced."""
    n = len(text)
    pos, line, line_start = 0, 1, 0
    stack = [start]
    values: list = []
    state = start
    new_str, token_class = _new_str, Token
    while True:
        # ---- the next token, lexed by the current state's scanner
        kind = "$END"
        while pos < n:
            m = matchers[state](text, pos)
            if m is None:
                return FAILED
            kind = m.lastgroup
            value = m.group()
            if kind in ignore:  # skipped, but counted as Lark's LineCounter counts it
                if kind in newline_kinds and "\n" in value:
                    line += value.count("\n")
                    line_start = pos + value.rindex("\n") + 1
                pos = m.end()
                kind = "$END"
                continue
            token = new_str(token_class, value)
            token.type = kind
            token.start_pos = pos
            token.value = value
            token.line = line
            token.column = pos - line_start + 1
            if kind in newline_kinds and "\n" in value:
                line += value.count("\n")
                line_start = pos + value.rindex("\n") + 1
            pos = m.end()
            token.end_line = line
            token.end_column = pos - line_start + 1
            token.end_pos = pos
            break
        # ---- reduce as the token asks, then shift it (or accept at the end)
        row = actions[state]
        while True:
            try:
                action = row[kind]
            except KeyError:
                return FAILED
            if action >= 0:
                if kind == "SPLIT" and quick_split is not None and "split_stmt" in row:
                    made = quick_split(text, token.start_pos)
                    if made is not None:
                        node, end = made
                        newlines = text.count("\n", pos, end)
                        if newlines:
                            line += newlines
                            line_start = text.rindex("\n", pos, end) + 1
                        pos = end
                        state = row["split_stmt"]
                        stack.append(state)
                        values.append(node)
                        break
                stack.append(action)
                values.append(token)
                state = action
                break
            size, origin, func, include, expand1 = rules[~action]
            if func is _PASS:  # `?rule` of one child: the value stays, only the state changes
                state = stack[-1] = actions[stack[-2]][origin]
            else:
                if size:
                    children = values[-size:]
                    del stack[-size:]
                    del values[-size:]
                else:
                    children = []
                if include is not None:  # Lark's ChildFilterLALR_NoPlaceholders
                    filtered: list = []
                    for i, splice in include:
                        if not splice:
                            filtered.append(children[i])
                        elif filtered:
                            filtered += children[i]
                        else:
                            filtered = children[i]
                    children = filtered
                if expand1 and len(children) == 1:
                    value = children[0]
                elif func is None:  # an inlined `_rule`: its children, spliced into the parent's
                    value = children
                else:
                    value = func(children)
                state = actions[stack[-1]][origin]
                stack.append(state)
                values.append(value)
            if state == end_state and kind == "$END":
                return values[-1]
            row = actions[state]
