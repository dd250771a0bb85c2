"""What `planc eval` prints: the §6 JSON object and a readable table."""

from __future__ import annotations

from planc.amounts import JSON_SCHEMA_VERSION, format_amount, to_json_number
from planc.diagnostics import Diagnostic, display_width, error, to_dict
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


def amounts_json(result: Compilation, paths: list[str], diags: list[Diagnostic]) -> dict:
    header = result.model.header if result.model else None
    values = result.evaluation.values if result.evaluation else {}
    return {
        "plan": header.title if header else None,
        "currency": header.currency if header else None,
        "targets": {p: to_json_number(values[p]) for p in paths if p in values},
        "diagnostics": [to_dict(d) for d in diags],
        "schema_version": JSON_SCHEMA_VERSION,
    }


def amounts_table(result: Compilation, paths: list[str]) -> str:
    if result.evaluation is None:
        return ""
    values = result.evaluation.values
    derivations = result.evaluation.derivations
    rows = [(p, format_amount(values[p]), _how(derivations.get(p))) for p in paths if p in values]
    if not rows:
        return ""
    currency = result.model.header.currency if result.model else None
    head = ("target", f"amount ({currency})" if currency else "amount", "how")
    w0 = max(display_width(head[0]), *(display_width(r[0]) for r in rows))
    w1 = max(len(head[1]), *(len(r[1]) for r in rows))
    lines = [f"{_pad(head[0], w0)}  {head[1]:>{w1}}  {head[2]}", f"{'-' * w0}  {'-' * w1}  {'-' * 3}"]
    lines += [f"{_pad(p, w0)}  {a:>{w1}}  {h}".rstrip() for p, a, h in rows]
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """Left-align in terminal columns (a CJK character takes two)."""
    return text + " " * (width - display_width(text))


def _how(d) -> str:
    if d is None:
        return ""
    text = d.detail or d.method
    if d.capped:
        text += f" (held at its {d.capped})"
    return text
