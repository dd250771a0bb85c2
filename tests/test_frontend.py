"""The front end reports everything, and nothing twice (issue 8, item 6).

Parser state lives per parse; the builder's problems are values, so every
one in a file is reported in one run; a file that failed to parse stops
the stages after it for that file only, without a cascade elsewhere.
"""

from __future__ import annotations

import sys
import threading

from planc.source import Source
from planc.syntax.builder import parse_text

from helpers import codes


def _spans_of(statements) -> set[str]:
    """The paths of the sources of every span in the tree (attrs nodes, tuples)."""
    import attrs

    from planc.source import Span

    seen, stack = set(), list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, Span):
            seen.add(node.source.path)
        elif isinstance(node, (tuple, list)):
            stack.extend(node)
        elif attrs.has(type(node)):
            stack.extend(getattr(node, f.name) for f in attrs.fields(type(node)))
    return seen


def test_parses_in_threads_keep_their_own_source():
    """Builder state is per parse: two parses at once never mix their spans."""
    texts = {name: "".join(f"target {name}{i} = {i + 1}M + {i}k\n" for i in range(400)) for name in ("a", "b")}
    results: dict[str, list] = {"a": [], "b": []}

    def work(name: str) -> None:
        for _ in range(3):
            results[name].append(parse_text(Source(f"{name}.plan", texts[name])))

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in texts]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    for name, runs in results.items():
        for module, diags in runs:
            assert diags == [] and module is not None
            assert _spans_of(module.statements) == {f"{name}.plan"}


def test_every_invalid_literal_in_a_file_is_reported(plan):
    """The first E002 used to stop the file: later problems went unreported."""
    result = plan('plan "x" { period: 2027-02-30 .. 2027-12-31 }\n'
                  "target a = 10000000000000000000000\n"
                  'target b = 5  "bad \\q escape"\n'
                  "target c = 1 +\n")
    found = [(d.code, d.line, d.column) for d in result.diagnostics]
    assert found == [("E002", 1, 20), ("E002", 2, 12), ("E002", 3, 20), ("E001", 4, 15)]


def test_a_cap_given_twice_and_a_keyword_name_are_both_reported(plan):
    result = plan("target y = 100\nsplit y by q { a = 50 min 1 min 2; b = rest }\ntarget rest = 5\n")
    assert [(d.code, d.line) for d in result.diagnostics] == [("E002", 2, ), ("E001", 3)]


def test_too_deep_is_reported_once_per_expression(plan):
    result = plan("target y = " + "(" * 300 + "1" + ")" * 300 + "\n")
    assert codes(result) == ["E030"]


MAIN = """import "./lib.plan"
target year = 120M
target extra = base + 1
split year by region using weight(history)
target last = history.east
split year by quarter { Q1 = 60M; Q2 = 70M }
target typo = yeer
"""


def test_a_broken_import_reports_its_own_errors_and_no_cascade(plan):
    """A syntax error in an import used to drop the module and hide the main
    file's own errors (or, for an invalid literal, cascade into E003/E026/E028)."""
    for broken in ("target base = 10 +\n", "target base = 10000000000000000000000\n"):
        lib = "table history { east = 28M; north = 20M }\n" + broken
        result = plan(MAIN, {"lib.plan": lib})
        found = [(d.file.rsplit("/", 1)[-1], d.code, d.line) for d in result.diagnostics]
        lib_code = "E001" if broken.endswith("+\n") else "E002"
        # the import's own error; the main file's own mistakes (E005 over-allocation, a typo
        # that the broken file does not mention); nothing about `base` or `history`
        assert found == [("lib.plan", lib_code, 2), ("main.plan", "E005", 6), ("main.plan", "E003", 7)], found


def test_names_under_an_unresolved_split_parent_are_not_reported(plan):
    lib = "target base = 10 +\n"
    main = 'import "./lib.plan"\nsplit base by region { east = 50%; west = rest }\ntarget e = east + 1\n'
    result = plan(main, {"lib.plan": lib})
    assert codes(result) == ["E001"]


def test_the_imports_of_a_broken_import_are_still_loaded(plan):
    files = {"lib.plan": 'import "./deep.plan"\ntarget base = 10 +\n', "deep.plan": "target deep_value = 5M\n"}
    result = plan('import "./lib.plan"\ntarget year = deep_value * 2\n', files)
    assert codes(result) == ["E001"]
    assert result.evaluation is not None and result.evaluation.values["year"] == 10_000_000
