"""What `planc eval` prints: the §6 JSON object and a readable table."""

from __future__ import annotations

from planc.amounts import JSON_SCHEMA_VERSION, format_amount, to_json_number
from planc.diagnostics import Diagnostic, error, json_safe
from planc.diagnostics.render import to_dict
from planc.diagnostics.table import text_table
from planc.evaluate.explain import as_json, explain
from planc.jsonstream import Items, batched, chunks
from planc.semantics.model import find_targets
from planc.pipeline import Compilation, ordered_paths


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
        "targets": Items(lambda: ((p, to_json_number(values[p])) for p in paths if p in values)),
        "diagnostics": [to_dict(d) for d in diags],
    }
    units = result.evaluation.units if result.evaluation else {}
    shown = {p: units[p] for p in paths if p in values and p in units}
    if shown:  # only for plans with counts or ratios: a money-only plan keeps the four keys
        out["units"] = shown
    if how:
        records = result.evaluation.derivations if result.evaluation else {}
        out["derivations"] = Items(lambda: ((p, as_json(records[p])) for p in paths if p in values and p in records))
    out["schema_version"] = JSON_SCHEMA_VERSION  # last: the keys above are the contract, unchanged
    return out


def write_json(doc: dict, stream) -> None:
    """`json.dumps(doc, ensure_ascii=False, indent=2)` and a line break, written piece by piece
    (`planc.jsonstream`), with the characters JSON leaves raw escaped (`json_safe`)."""
    for piece in batched(chunks(doc)):
        stream.write(json_safe(piece))
    stream.write("\n")


def amounts_table(result: Compilation, paths: list[str]) -> str:
    if result.evaluation is None:
        return ""
    values = result.evaluation.values
    derivations = result.evaluation.derivations
    units = result.evaluation.units
    rows = [(p, format_amount(values[p]), _how(derivations.get(p))) for p in paths if p in values]
    if not rows:
        return ""
    currency = result.model.header.currency if result.model else None
    head = ("target", f"amount ({currency})" if currency else "amount", "how")
    if any(p in units for p in paths):  # counts and ratios: a column naming their unit
        shown = _unit_names(result)
        wide = [(p, amount, shown(units.get(p)), how) for p, amount, how in rows]
        return "\n".join(text_table(("target", "amount", "unit", "how"), wide, "lrll", rule=True))
    return "\n".join(text_table(head, rows, "lrl", rule=True))


def _unit_names(result: Compilation):
    """A target's unit as the eval table prints it: the measure's name, `ratio`, or the currency."""
    currency = (result.model.header.currency if result.model else None) or ""
    return lambda unit: currency if unit is None else unit


def _how(d) -> str:
    return "" if d is None else explain(d)
