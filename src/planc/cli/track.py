"""`planc track PLAN --actuals FILE [--as-of DATE]`."""

from __future__ import annotations

import sys

from planc.cli.output import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, compile_or_exit, print_diagnostics


def with_actuals(args):
    """`track` and `replan`: the plan compiled and its actuals rolled up as of --as-of,
    as (result, actuals, as_of, diagnostics); or the exit code after saying why not."""
    from planc.review import track as tracking

    as_of = tracking.as_of_date(args.as_of)
    if as_of is None:
        print(f"planc: error: --as-of `{args.as_of}` is not a date (YYYY-MM-DD)", file=sys.stderr)
        return EXIT_USAGE
    result, code = compile_or_exit(args.plan, getattr(args, "allow_outside", ()))
    if code is not None:
        return code
    actuals, diags = tracking.load_actuals(result, args.plan, args.actuals, args.encoding,
                                           getattr(args, "allow_outside", ()), as_of)
    if actuals is None:  # no file named at all
        print("planc: error: the plan names no actuals: give --actuals FILE.csv, or write "
              '`actuals = csv("FILE.csv")` in the plan', file=sys.stderr)
        return EXIT_USAGE
    return result, actuals, as_of, diags


def run(args) -> int:
    import json

    from planc.diagnostics import json_safe
    from planc.review import track as tracking

    loaded = with_actuals(args)
    if isinstance(loaded, int):
        return loaded
    result, actuals, as_of, diags = loaded
    diags += tracking.review_assertions(result, actuals, as_of)
    print_diagnostics(diags)
    if any(d.code == "E040" for d in diags):
        return EXIT_USAGE
    progress = tracking.track(result, actuals, as_of, tracking.thresholds_for(args.plan))
    if args.format == "json":
        print(json_safe(json.dumps(tracking.to_json(progress, as_of), ensure_ascii=False, indent=2)))
    else:
        print(tracking.render_text(progress, as_of))
    return EXIT_ERRORS if any(d.is_error for d in diags) else EXIT_OK
