"""`planc track PLAN --actuals FILE`."""

from __future__ import annotations

import sys

from planc.cli.output import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, compile_or_exit, print_diagnostics


def run(args) -> int:
    import datetime
    import json
    from pathlib import Path

    from planc.diagnostics import json_safe
    from planc.review import track as tracking

    try:
        as_of = datetime.date.fromisoformat(args.as_of) if args.as_of else datetime.date.today()
    except ValueError:
        print(f"planc: error: --as-of `{args.as_of}` is not a date (YYYY-MM-DD)", file=sys.stderr)
        return EXIT_USAGE
    result, code = compile_or_exit(args.plan, getattr(args, "allow_outside", ()))
    if code is not None:
        return code
    actuals, diags = tracking.read_actuals(Path(args.actuals), result)
    print_diagnostics(diags)
    if any(d.code in ("E015", "E016") for d in diags):
        return EXIT_USAGE
    rows = tracking.track(result, actuals, as_of)
    if args.format == "json":
        print(json_safe(json.dumps(tracking.to_json(rows, as_of), ensure_ascii=False, indent=2)))
    else:
        print(tracking.render_text(rows, as_of))
    return EXIT_ERRORS if any(d.is_error for d in diags) else EXIT_OK
