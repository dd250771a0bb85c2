"""`planc diff OLD NEW`."""

from __future__ import annotations

import sys

from planc.cli.output import EXIT_OK, EXIT_USAGE, compile_or_exit


def run(args) -> int:
    import json

    from planc.diagnostics import json_safe
    from planc.review import diff as diffing

    if getattr(args, "scenario", None):
        return _scenarios(args)
    if args.new is None:
        print("planc: error: diff needs OLD.plan and NEW.plan (or one PLAN with --scenario A,B)", file=sys.stderr)
        return EXIT_USAGE
    old, code = compile_or_exit(args.old, getattr(args, "allow_outside", ()))
    if code is not None:
        return code
    new, code = compile_or_exit(args.new, getattr(args, "allow_outside", ()))
    if code is not None:
        return code
    changes = diffing.compare(old, new)
    if args.format == "json":
        print(json_safe(json.dumps(diffing.to_json(changes), ensure_ascii=False, indent=2)))
    else:
        print(diffing.render_text(changes, args.old, args.new))
    return EXIT_OK


def _scenarios(args) -> int:
    """`planc diff PLAN --scenario A,B`: scenario B against scenario A of one plan."""
    import json

    from planc.cli.scenarios import as_scenario
    from planc.diagnostics import json_safe
    from planc.review import diff as diffing

    names = [n.strip() for n in args.scenario.split(",")]
    if len(names) != 2 or not all(names) or args.new is not None:
        print("planc: error: --scenario takes two names, A,B, and one PLAN", file=sys.stderr)
        return EXIT_USAGE
    result, code = compile_or_exit(args.old, getattr(args, "allow_outside", ()))
    if code is not None:
        return code
    old, new = as_scenario(result, names[0]), as_scenario(result, names[1])
    if old is None or new is None:
        return EXIT_USAGE
    changes = diffing.compare(old, new)
    if args.format == "json":
        out = diffing.to_json(changes)
        out = {"changes": out["changes"], "scenarios": names, "schema_version": out["schema_version"]}
        print(json_safe(json.dumps(out, ensure_ascii=False, indent=2)))
    else:
        print(diffing.render_text(changes, names[0], names[1]))
    return EXIT_OK
