"""`planc diff OLD NEW`."""

from __future__ import annotations

from planc.cli.output import EXIT_OK, compile_or_exit


def run(args) -> int:
    import json

    from planc.diagnostics import json_safe
    from planc.review import diff as diffing

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
