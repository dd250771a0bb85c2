"""The fast paths a large seeded cross takes (issue 15) give what the general
paths give: the column-wise CSV reader, the ASCII text table, and the compile's
objects moved past the young generations of the cycle collector."""

from __future__ import annotations

import gc
import weakref
from fractions import Fraction

from hypothesis import given, settings, strategies as st

from planc.amounts import amount_width, format_amount
from planc.diagnostics import display_width
from planc.diagnostics.table import streamed_table, text_table
import pytest

from planc import cli, pipeline
from planc.pipeline import compile_plan
from planc.semantics.loader import load


def _table_by_hand(head, rows, align):
    """text_table's rule, cell by cell (the general path)."""
    table = [list(head)] + [list(r) for r in rows]
    widths = [max(display_width(r[i]) for r in table) for i in range(len(align))]
    out = []
    for r in table:
        cells = []
        for i, (cell, w) in enumerate(zip(r, widths)):
            pad = " " * (w - display_width(cell))
            last_free = align[i] == "l" and i == len(align) - 1
            cells.append(pad + cell if align[i] == "r" else cell if last_free else cell + pad)
        out.append("  ".join(cells).rstrip())
    return out


_cell = st.text(st.characters(min_codepoint=32, max_codepoint=0x4E10), max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_cell, _cell, _cell), max_size=12), st.sampled_from(["lrl", "lrr", "rll", "llr"]))
def test_text_table_is_padded_alike_in_ascii_and_otherwise(rows, align):
    lines = text_table(("target", "amount", "how"), rows, align)
    assert lines == _table_by_hand(("target", "amount", "how"), rows, align)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_cell, _cell, _cell), max_size=12), st.sampled_from(["lrl", "rll", "lll"]),
       st.booleans())
def test_a_streamed_table_gives_the_lines_text_table_gives(rows, align, rule):
    head = ("target", "金额", "how")
    widths = [max((display_width(r[i]) for r in rows), default=0) for i in range(2)]
    made = []  # each row is asked for as its line is written
    lines = streamed_table(head, (made.append(r) or r for r in rows), align, widths, rule=rule)
    assert list(lines) == text_table(head, rows, align, rule=rule)
    assert made == rows


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.integers(-10 ** 42, 10 ** 42), st.fractions(max_denominator=10 ** 6),
                          st.integers(-10 ** 9, 10 ** 9).map(Fraction)), max_size=20))
def test_amount_width_is_the_widest_formatted_amount(values):
    assert amount_width(values) == max((len(format_amount(v)) for v in values), default=0)


def test_ascii_table_pads_to_the_widest_cell():
    lines = text_table(("t", "amount", "how"), [("a.b", "1,000", "x"), ("c", "10", "longer")], "lrl", rule=True)
    assert lines == ["t    amount  how", "---  ------  ---", "a.b   1,000  x", "c        10  longer"]


def _data_values(tmp_path, csv_text: str):
    (tmp_path / "seed.csv").write_text(csv_text, encoding="utf-8")
    plan = tmp_path / "p.plan"
    plan.write_text('plan "P" { round: 1 }\ndata sales = csv("seed.csv")\n', encoding="utf-8")
    program, diags = load(plan)
    return program.data[0].values if program.data else None, diags


def test_a_clean_csv_read_column_wise_gives_what_the_line_by_line_pass_gives(tmp_path):
    lines = ["row,col,value", "a, x ,12", "a,y,1.5k", "b,x,0", "b,y, 7% "]
    clean, diags = _data_values(tmp_path, "\n".join(lines) + "\n")
    assert not diags
    # A blank line makes the reader take the line-by-line pass
    spaced, diags2 = _data_values(tmp_path, "\n".join(lines[:3] + [" , , "] + lines[3:]) + "\n\n")
    assert not diags2
    assert clean == spaced == {("a", "x"): 12, ("a", "y"): 1500, ("b", "x"): 0, ("b", "y"): Fraction(7, 100)}
    assert list(clean) == list(spaced)  # file order
    assert all(type(v) is Fraction for v in clean.values())


_CSV_TEXT = st.lists(st.sampled_from(["a", "b", "7", "1.5k", ",", ",", "\n", "\r\n", " ", "\t", '"', "\u3000",
                                       "\x00", "\x0c", "华"]), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(_CSV_TEXT)
def test_a_plain_file_split_at_commas_is_what_the_csv_reader_reads(text):
    """`_plain_columns` takes a file only when splitting it at commas is what `csv.reader`
    does, and then gives the reader's header and the columns of its other lines."""
    import csv
    import io

    from planc.semantics.loader import _plain_columns

    plain = _plain_columns(text, csv.field_size_limit())
    if plain is None:
        return
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, columns = plain
    assert rows[0] == header
    assert [list(row) for row in zip(*columns)] == rows[1:] and len(columns) == len(header)


def test_a_plain_file_is_read_as_the_reader_reads_it(tmp_path):
    lines = ["row,col,value", "a,x,12", "a,y,1.5k", "b,x,0", "b,y,7%"]
    plain, diags = _data_values(tmp_path, "\r\n".join(lines) + "\r\n")
    quoted, diags2 = _data_values(tmp_path, "\n".join(lines[:2] + ['"a",y,1.5k'] + lines[3:]) + "\n")
    assert not diags and not diags2
    assert plain == quoted == {("a", "x"): 12, ("a", "y"): 1500, ("b", "x"): 0, ("b", "y"): Fraction(7, 100)}
    assert list(plain) == list(quoted)
    # a plain file with a problem still has it reported with its line
    values, diags = _data_values(tmp_path, "row,col,value\na,x,1\nb,x,two\n")
    assert values is None and [d.code for d in diags] == ["E018"] and "line 3" in diags[0].message
    values, diags = _data_values(tmp_path, "row,col,value\na,x,1\nb,x\n")
    assert values is None and [d.code for d in diags] == ["E017"] and "line 3" in diags[0].message


@given(st.lists(st.lists(st.one_of(st.integers(0, 50), st.fractions(0, 50, max_denominator=6)), min_size=3,
                         max_size=3), min_size=1, max_size=4), st.booleans())
def test_the_seed_on_one_denominator_is_each_cell_times_it(seed, shared):
    """`seed_array`: every cell times the seed's common denominator, whether cells share
    one object per distinct number (as a seed read from CSV does) or not."""
    import math

    import numpy as np

    from planc.maths.bigcross import seed_array

    if shared:  # one object per distinct value
        distinct = {v: v for line in seed for v in line}
        seed = [[distinct[v] for v in line] for line in seed]
    else:  # equal values as distinct objects
        seed = [[Fraction(v.numerator, v.denominator) if type(v) is Fraction else v for v in line] for line in seed]
    d = math.lcm(*(Fraction(v).denominator for line in seed for v in line))
    got = seed_array(seed, len(seed), 3)
    assert got is not None and got.dtype == np.int64
    assert got.tolist() == [[int(Fraction(v) * d) for v in line] for line in seed]


@given(st.lists(st.text(alphabet="ab华\t ", max_size=5), max_size=50), st.integers(1, 7))
def test_joined_lines_are_the_lines_each_ended(lines, count):
    from planc.jsonstream import joined_lines

    pieces = list(joined_lines(lines, count))
    assert "".join(pieces) == "".join(f"{line}\n" for line in lines)
    assert len(pieces) == -(-len(lines) // count)


def test_a_repeated_key_is_still_reported_with_its_line(tmp_path):
    values, diags = _data_values(tmp_path, "row,col,value\na,x,1\nb,x,2\na,x,3\n")
    assert values is None
    assert [d.code for d in diags] == ["E019"]
    assert "line 4" in diags[0].message


def test_a_bad_number_is_still_reported_with_its_line(tmp_path):
    values, diags = _data_values(tmp_path, "row,col,value\na,x,1\nb,x,two\n")
    assert values is None
    assert [d.code for d in diags] == ["E018"] and "line 3" in diags[0].message


def test_a_compile_leaves_the_young_generation_empty_and_its_cycles_collectable(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "_SPLICES_LEFT", 0)
    pipeline.one_shot()  # as the `planc` command does
    plan = tmp_path / "p.plan"
    plan.write_text('plan "P" { round: 1 }\ntarget year = 1200\nsplit year by quarter { Q1 = 25%; Q2 = rest }\n'
                    'split year by region { east = 50%; west = rest }\ncross quarter by region\n', encoding="utf-8")
    assert gc.isenabled()
    gc.collect()
    result = compile_plan(plan)
    assert gc.isenabled()
    assert result.evaluation is not None and result.evaluation.values["year.Q1.east"] == 150
    # what the compile made went straight to the oldest generation: no young collection walks it
    assert any(o is result.model for o in gc.get_objects(generation=2))
    model = weakref.ref(result.model)
    del result
    gc.collect()
    assert model() is None  # the model's cycles (parent <-> child) are still collected


def _objects_after_compiles(tmp_path, monkeypatch, one_shot: bool, thresholds: tuple) -> int:
    """Objects the collector tracks after 300 compiles of a small plan."""
    monkeypatch.setattr(pipeline, "_SPLICES_LEFT", 0)
    if one_shot:
        pipeline.one_shot()
    saved = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        plan = tmp_path / "p.plan"
        plan.write_text('plan "P" { round: 1 }\ntarget year = 1200\nsplit year by quarter { Q1 = 25%; Q2 = rest }\n'
                        'split year by region { east = 50%; west = rest }\ncross quarter by region\n', encoding="utf-8")
        gc.collect()
        for _ in range(300):
            compile_plan(plan)
        return len(gc.get_objects())
    finally:
        gc.set_threshold(*saved)


def test_compile_after_compile_does_not_pile_up_garbage(tmp_path, monkeypatch):
    """The language server, or `planc check` of many files, compiles again and again: only a
    one-shot command's first compile is spliced into the oldest generation (objects spliced in are
    never counted towards a full collection: had every compile been, their garbage would pile up)."""
    gc.collect()
    start = len(gc.get_objects())
    # the language server: Python's thresholds, nothing spliced
    assert _objects_after_compiles(tmp_path, monkeypatch, False, (700, 10, 10)) < start + 30_000
    # `planc check` of many files: as many objects as with no splice at all
    plain = _objects_after_compiles(tmp_path, monkeypatch, False, cli._ONE_SHOT_GC)
    spliced = _objects_after_compiles(tmp_path, monkeypatch, True, cli._ONE_SHOT_GC)
    assert spliced < plain * 1.2 + 30_000


class _Tag(str):
    """A str subclass: json writes it as a string; `_plain` leaves it to json."""


_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.text(max_size=8),
                    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([_Tag("t"), 7.0, -0.0]))
_KEYS = st.one_of(st.text(max_size=5), st.sampled_from([1, 2.5, None, True]))
_JSON = st.recursive(_LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner),
                                                       st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=20)


@settings(max_examples=500, deadline=None)
@given(_JSON, st.integers(0, 3))
def test_dumps_is_json_dumps_with_an_indent(value, level):
    """`jsonstream.dumps` writes plain values itself (`_plain`) and leaves the rest to json:
    the text of `json.dumps(ensure_ascii=False, indent=2)`, indented for its level."""
    import json

    from planc.jsonstream import dumps

    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)
    assert dumps(value, level) == expected


_NUMBERS = st.one_of(st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
                     st.none(), st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=6), _NUMBERS, max_size=30), st.integers(0, 3), st.integers(1, 5),
       st.booleans())
def test_numbers_are_written_as_json_dumps_writes_them(members, level, batch, nested):
    """`jsonstream.Numbers` (an object given as its keys and their numbers, joined in C a
    batch at a time): the text of `json.dumps(ensure_ascii=False, indent=2)` — ints alone
    or mixed with floats, NaN, infinities, None and booleans, empty, nested in a document."""
    import json

    import planc.jsonstream as jsonstream

    lazy = jsonstream.Numbers(lambda: (list(members), list(members.values())))
    doc, expected = ({"plan": "P", "targets": lazy, "n": 1}, {"plan": "P", "targets": members, "n": 1}) \
        if nested else (lazy, members)
    text = json.dumps(expected, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)
    saved, jsonstream.BATCH = jsonstream.BATCH, batch  # (batches end within the members)
    try:
        assert "".join(jsonstream.chunks(doc, level)) == text
    finally:
        jsonstream.BATCH = saved


def test_eval_json_lists_the_targets_with_an_amount():
    """`planc eval --format json`'s `targets`: the chosen paths that have an amount, in
    order, a whole amount as an int and another as the nearest float (`to_json_number`)."""
    from fractions import Fraction

    from planc.cli.present import _numbers

    half, whole = Fraction(1, 2), Fraction(7)
    values = {"a": whole, "b": half, "c": whole, "d": Fraction(-7, 1)}
    assert _numbers(values, ["d", "b", "x", "a", "c"]) == (["d", "b", "a", "c"], [-7, 0.5, 7, 7])
    got = _numbers(values, ["a", "d", "x"])  # whole amounts only: their numerators
    assert got == (["a", "d"], [7, -7]) and all(type(n) is int for n in got[1])
    assert _numbers(values, []) == ([], [])
