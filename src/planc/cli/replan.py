"""`planc replan PLAN [--actuals FILE] --as-of DATE [-o NEW.plan] [--version TEXT]`."""

from __future__ import annotations

import sys

from planc.cli.output import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, compile_or_exit, print_diagnostics


def run(args) -> int:
    from pathlib import Path

    from planc.fmt import format_source
    from planc.review import replan as replanning
    from planc.review import track as tracking
    from planc.source import Source

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
    if any(d.code == "E040" for d in diags):
        print_diagnostics(diags)
        return EXIT_USAGE
    if any(d.is_error for d in diags):
        print_diagnostics(diags)
        return EXIT_ERRORS
    new = replanning.replan(result, actuals, as_of, args.version)
    diags += new.diagnostics
    text = None
    if new.text is not None:
        text, problems = format_source(Source(args.plan, new.text))
        diags += problems
        if text is not None:
            shown = args.output or f"{args.plan} (re-planned)"
            diags += replanning.verify(result, text, shown, Path(args.plan).resolve().parent)
    print_diagnostics(diags)
    if text is None or any(d.is_error for d in diags):
        return EXIT_ERRORS
    if args.output:
        from planc.files import write_atomic

        write_atomic(Path(args.output), text.encode("utf-8"))
        print(f"wrote {args.output}: {', '.join(new.fixed)} fixed at their actuals", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK
