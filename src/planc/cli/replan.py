"""`planc replan PLAN [--actuals FILE] --as-of DATE [-o NEW.plan] [--version TEXT]`."""

from __future__ import annotations

import sys

from planc.cli.output import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, print_diagnostics
from planc.cli.track import with_actuals


def run(args) -> int:
    from pathlib import Path

    from planc.fmt import format_source
    from planc.review import replan as replanning
    from planc.source import Source

    loaded = with_actuals(args)
    if isinstance(loaded, int):
        return loaded
    result, actuals, as_of, diags = loaded
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
