"""`planc check`: the linter (and `--list-rules`, `--explain`)."""

from __future__ import annotations

import sys

from planc.cli.output import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, print_diagnostics, summary


def run(args) -> int:
    import os

    from planc.diagnostics import escape_control
    from planc.diagnostics.render import resolve_format
    from planc.pipeline import compile_plan

    if args.list_rules or args.explain or not args.plans or args.format == "md":
        return _rules_info(args)
    config, problem = _explicit_config(args.config)
    if problem is not None:
        print_diagnostics([problem], "concise")
        return EXIT_USAGE
    all_diags, unreadable = [], False
    for plan in args.plans:
        result = compile_plan(plan, config=config, allow_outside=getattr(args, "allow_outside", ()))
        unreadable |= result.unreadable or any(d.code == "E090" for d in result.diagnostics)
        all_diags.extend(result.diagnostics)
        if getattr(args, "as_of", None) is not None and result.model is not None:
            all_diags.extend(_overdue(result, args.as_of))
    errors = sum(d.is_error for d in all_diags)
    warnings = len(all_diags) - errors
    fmt = resolve_format(args.format, os.environ)
    if fmt == "sarif":
        _print_sarif(all_diags)
    elif fmt in ("json", "github"):  # for tools: on stdout
        names = None
        if fmt == "github":
            from planc.cli.annotations import titles

            names = titles()
        print_diagnostics(all_diags, fmt, sys.stdout, titles=names)
    else:
        print_diagnostics(all_diags, fmt)
        if all_diags and fmt == "text":
            print(summary(errors, warnings, len(args.plans)), file=sys.stderr)
    if getattr(args, "verbose", False):
        from planc.resources import skipped_caches

        for note in skipped_caches():
            print(f"planc: note: {escape_control(note)}", file=sys.stderr)
    if unreadable:
        return EXIT_USAGE
    if errors or (args.strict and warnings):
        return EXIT_ERRORS
    return EXIT_OK


def _overdue(result, as_of) -> list:
    """W031 for open actions past their date, configured and suppressed like every warning."""
    from planc.lint import apply
    from planc.semantics.actions import overdue

    return apply(overdue(result.model, as_of), result.config, result.program)


def _print_sarif(diags) -> None:
    import json
    import os

    from planc import __version__
    from planc.cli.annotations import rule_infos
    from planc.diagnostics.sarif import to_sarif

    from planc.diagnostics import json_safe

    # json_safe: bidi and C1 characters from a plan as \uXXXX, as in every JSON output
    text = json.dumps(to_sarif(diags, rule_infos(), __version__, os.getcwd()), ensure_ascii=False, indent=2)
    print(json_safe(text))


def _rules_info(args) -> int:
    """`check --list-rules [--format md|json]`, `check --explain CODE`."""
    from planc.lint.rules import docs

    if args.explain:
        text = docs.explain(args.explain)
        if text is None:
            print(f"planc: error: no rule `{args.explain}` (see `planc check --list-rules`)", file=sys.stderr)
            return EXIT_USAGE
        print(text)
        return EXIT_OK
    if not args.list_rules:
        print("planc: error: check needs PLAN files (or --list-rules / --explain CODE)"
              if not args.plans else "planc: error: --format md goes with --list-rules", file=sys.stderr)
        return EXIT_USAGE
    render = {"md": docs.render_markdown, "json": docs.render_json}.get(args.format, docs.render_list)
    print(render().rstrip("\n"))
    return EXIT_OK


def _explicit_config(path):
    """--config FILE: (config, None), or (None, a diagnostic) if it is broken; no flag: (None, None)."""
    if path is None:
        return None, None
    from pathlib import Path

    from planc.lint.config import ConfigError, load

    if not Path(path).is_file():
        from planc.diagnostics import error

        return None, error("E090", f"invalid planc configuration: no such file `{path}`", path=path)
    try:
        return load(Path(path)), None
    except ConfigError as exc:
        return None, exc.diagnostic()
