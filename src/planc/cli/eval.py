"""`planc eval`: every target's exact, rounded amount."""

from __future__ import annotations

import sys

from planc.cli.output import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, print_diagnostics


def run(args) -> int:
    from planc.pipeline import compile_plan
    from planc.cli.present import amounts_json, amounts_lines, select, write_json, write_lines

    result = compile_plan(args.plan, allow_outside=getattr(args, "allow_outside", ()))
    if result.unreadable:
        if args.format == "json":  # still one JSON object, as tools expect
            write_json(amounts_json(result, [], result.diagnostics, args.how), sys.stdout)
        else:
            print_diagnostics(result.diagnostics)
        return EXIT_USAGE
    if getattr(args, "scenario", None):
        from planc.cli.scenarios import as_scenario

        chosen = as_scenario(result, args.scenario)
        if chosen is None:
            return EXIT_USAGE
        result = chosen
    paths, problems = select(result, args.refs)
    diags = result.diagnostics + problems
    if args.format == "json":
        out = amounts_json(result, paths, diags, args.how)
        if getattr(args, "scenario", None):  # before `schema_version`, which stays last
            out = {**{k: v for k, v in out.items() if k != "schema_version"}, "scenario": args.scenario,
                   "schema_version": out["schema_version"]}
        write_json(out, sys.stdout)
    else:
        print_diagnostics(diags)
        write_lines(amounts_lines(result, paths), sys.stdout)
    return EXIT_ERRORS if any(d.is_error for d in diags) else EXIT_OK

