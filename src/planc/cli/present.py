"""What `planc eval` prints: the §6 JSON object and a readable table."""

from __future__ import annotations

from operator import attrgetter
from typing import Iterable, Iterator

from planc.amounts import JSON_SCHEMA_VERSION, amount_width, format_amount, to_json_number
from planc.diagnostics import Diagnostic, display_width, error, json_safe
from planc.diagnostics.render import to_dict
from planc.diagnostics.table import streamed_table
from planc.evaluate.explain import as_json, explain_each
from planc.jsonstream import Items, Numbers, batched, chunks, joined_lines
from planc.semantics.model import find_targets
from planc.pipeline import Compilation, ordered_paths

_numerator, _denominator = attrgetter("numerator"), attrgetter("denominator")


def select(result: Compilation, refs: list[str]) -> tuple[list[str], list[Diagnostic]]:
    paths = ordered_paths(result)
    if not refs:
        return paths, []
    if result.model is None:
        return [], []
    chosen, problems = [], []
    for ref in refs:
        found = find_targets(result.model, ref)
        if len(found) == 1:
            if found[0].path not in chosen:
                chosen.append(found[0].path)
        elif found:
            names = ", ".join(n.path for n in found)
            problems.append(error("E004", f"`{ref}` is ambiguous: it could be {names}", path=result.path))
        else:
            problems.append(error("E003", f"no target named `{ref}`", path=result.path))
    return chosen, problems


def amounts_json(result: Compilation, paths: list[str], diags: list[Diagnostic], how: bool = False) -> dict:
    """The §6 object; with `how`, a fifth key `derivations` (path -> the record, docs/cli.md).
    `targets` and `derivations` are `planc.jsonstream.Items`, made entry by entry as they are
    written (`write_json`)."""
    header = result.model.header if result.model else None
    values = result.evaluation.values if result.evaluation else {}
    out: dict = {
        "plan": header.title if header else None,
        "currency": header.currency if header else None,
        "targets": Numbers(lambda: _numbers(values, paths)),
        "diagnostics": [to_dict(d) for d in diags],
    }
    units = result.evaluation.units if result.evaluation else {}
    shown = {p: units[p] for p in paths if p in values and p in units} if units else None
    if shown:  # only for plans with counts or ratios: a money-only plan keeps the four keys
        out["units"] = shown
    if how:
        records = result.evaluation.derivations if result.evaluation else {}
        out["derivations"] = Items(lambda: ((p, as_json(records[p])) for p in paths if p in values and p in records))
    out["schema_version"] = JSON_SCHEMA_VERSION  # last: the keys above are the contract, unchanged
    return out


def _numbers(values: dict, paths: list[str]) -> tuple[list[str], list[int | float]]:
    """The paths with an amount, and `to_json_number` of each amount, in C loops: whole
    amounts (a big plan's million) are their numerators."""
    amounts: list = list(map(values.get, paths))
    if type(None) in set(map(type, amounts)):  # (a chosen target without an amount is left out)
        paths = [p for p, a in zip(paths, amounts) if a is not None]
        amounts = [a for a in amounts if a is not None]
    if list(map(_denominator, amounts)).count(1) == len(amounts):
        return paths, list(map(_numerator, amounts))
    return paths, list(map(to_json_number, amounts))


def write_lines(lines: Iterable[str], stream) -> None:
    """`print("\\n".join(lines))`, written in pieces (`planc.jsonstream.joined_lines`): a
    400,000-line table is never one string."""
    wrote = False
    for piece in joined_lines(lines):
        stream.write(piece)
        wrote = True
    if not wrote:
        stream.write("\n")


def write_json(doc: dict, stream) -> None:
    """`json.dumps(doc, ensure_ascii=False, indent=2)` and a line break, written piece by piece
    (`planc.jsonstream`), with the characters JSON leaves raw escaped (`json_safe`)."""
    for piece in batched(chunks(doc)):
        stream.write(json_safe(piece))
    stream.write("\n")


def amounts_lines(result: Compilation, paths: list[str]) -> Iterator[str]:
    """The lines of the table `planc eval` prints: target, amount (and unit, when the plan
    has counts or ratios), how it was made. How each amount was made is worded as its line
    is written (`streamed_table`): a big cross's records are made one at a time, never all kept."""
    if result.evaluation is None:
        return iter(())
    values = result.evaluation.values
    derivations = result.evaluation.derivations
    units = result.evaluation.units
    shown = [p for p in paths if p in values]
    if not shown:
        return iter(())
    amounts = (values[p] for p in shown)
    widths = [max(map(display_width, shown)), amount_width(amounts)]
    if any(p in units for p in shown):  # counts and ratios: a column naming their unit
        unit = _unit_names(result)
        widths.append(max(display_width(unit(units.get(p))) for p in shown))
        with_units = zip(shown, map(format_amount, map(values.__getitem__, shown)),
                         map(unit, map(units.get, shown)), explain_each(derivations, shown))
        return streamed_table(("target", "amount", "unit", "how"), with_units, "lrll", widths, rule=True)
    currency = result.model.header.currency if result.model else None
    head = ("target", f"amount ({currency})" if currency else "amount", "how")
    # (rows zipped in C: a 400,000-cell cross's rows are made as they are written)
    rows = zip(shown, map(format_amount, map(values.__getitem__, shown)), explain_each(derivations, shown))
    return streamed_table(head, rows, "lrl", widths, rule=True)


def _unit_names(result: Compilation):
    """A target's unit as the eval table prints it: the measure's name, `ratio`, or the currency."""
    currency = (result.model.header.currency if result.model else None) or ""
    return lambda unit: currency if unit is None else unit
