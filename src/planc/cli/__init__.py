"""The `planc` command. Sub-commands import what they need when they run,
so `planc check` never pays for Jinja2 or the report code."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from planc import __version__

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2, as §6 says
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"planc: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="planc", description="Compile, check and report sales target plans (.plan files).",
                     epilog="Exit codes: 0 ok (warnings allowed), 1 the plan has errors, 2 usage error or unreadable file.")
    parser.add_argument("--version", action="version", version=f"planc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("check", help="check plans and report problems (a linter for pre-commit)",
                       description="Check plans: syntax, names, splits that must add up, assertions, lint rules.")
    p.add_argument("plans", nargs="*", metavar="PLAN")
    p.add_argument("--format", choices=("text", "concise", "json", "github", "md"), default="text",
                   help="md: only with --list-rules")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    # lint rules (issue 5): documentation and configuration
    p.add_argument("--list-rules", action="store_true", help="list the lint rules (--format md: docs/rules.md)")
    p.add_argument("--explain", metavar="CODE", help="print a rule's documentation, e.g. --explain W102")
    p.add_argument("--config", metavar="FILE", help="use this planc.toml or pyproject.toml, not the nearest one")

    p = sub.add_parser("fmt", help="format plans in the canonical layout",
                       description="Format plans: indentation, spacing, aligned `=`, one statement per line. "
                       "Comments and number spellings are kept. `-` reads stdin and writes stdout.")
    p.add_argument("plans", nargs="+", metavar="PLAN")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would be reformatted")
    p.add_argument("--diff", action="store_true", help="change nothing; print a unified diff of the changes")

    p = sub.add_parser("eval", help="print the evaluated amounts of a plan",
                       description="Evaluate a plan and print every target's exact, rounded amount.")
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("refs", nargs="*", metavar="REF", help="only these targets (dotted names, as in a plan)")
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = sub.add_parser("build", help="write HTML/Markdown/JSON/CSV target reports",
                       description="Compile plans into target reports.")
    p.add_argument("plans", nargs="+", metavar="PLAN")
    p.add_argument("-o", "--output", default="build", metavar="DIR", help="output directory (default: build/)")
    p.add_argument("--format", default="html,md", help="comma-separated: html, md, json, csv (default: html,md)")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="report language")
    p = sub.add_parser("diff", help="show what moved between two versions of a plan",
                       description="Compare the evaluated targets of two plans: added, removed, changed amounts, "
                                   "owners and statuses.")
    p.add_argument("old", metavar="OLD.plan")
    p.add_argument("new", metavar="NEW.plan")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("track", help="compare actuals to date with the plan",
                       description="Attainment, pace against the seasonal expectation, and a forecast.")
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("--actuals", required=True, metavar="FILE.csv", help="CSV with a header and rows `target,value`")
    p.add_argument("--as-of", metavar="DATE", help="YYYY-MM-DD (default: today)")
    p.add_argument("--format", choices=("text", "json"), default="text")

    sub.add_parser("lsp", help="run the language server on stdin/stdout (for editors)",
                   description="A Language Server for .plan files over stdio: diagnostics, hover, "
                               "go to definition, document symbols, formatting. See docs/lsp.md.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        handler = {"check": cmd_check, "eval": cmd_eval, "build": cmd_build, "diff": cmd_diff,
                   "track": cmd_track, "fmt": cmd_fmt, "lsp": cmd_lsp}[args.command]
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `planc eval x.plan | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _colour(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def print_diagnostics(diags, fmt: str = "text", stream=None) -> None:
    from planc.diagnostics import render_concise, render_github, render_text

    stream = stream or sys.stderr
    colour = fmt == "text" and _colour(stream)
    for d in diags:
        if fmt == "github":
            print(render_github(d), file=stream)
        elif fmt == "concise":
            print(render_concise(d), file=stream)
        else:
            print(render_text(d, colour) + "\n", file=stream)


def _summary(errors: int, warnings: int, files: int) -> str:
    def n(k: int, word: str) -> str:
        return f"{k} {word}{'' if k == 1 else 's'}"

    return f"{n(errors, 'error')}, {n(warnings, 'warning')} in {n(files, 'file')}"


def cmd_check(args) -> int:
    import json

    from planc.diagnostics import to_dict
    from planc.pipeline import compile_plan

    if args.list_rules or args.explain or not args.plans or args.format == "md":
        return _rules_info(args)
    config, problem = _explicit_config(args.config)
    if problem is not None:
        print_diagnostics([problem], "concise")
        return EXIT_USAGE
    all_diags, unreadable = [], False
    for plan in args.plans:
        result = compile_plan(plan, config=config)
        unreadable |= result.unreadable or any(d.code == "E090" for d in result.diagnostics)
        all_diags.extend(result.diagnostics)
    errors = sum(d.is_error for d in all_diags)
    warnings = len(all_diags) - errors
    if args.format == "json":
        json.dump({"diagnostics": [to_dict(d) for d in all_diags], "errors": errors, "warnings": warnings},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.format == "github":
        print_diagnostics(all_diags, "github", sys.stdout)
    else:
        print_diagnostics(all_diags, args.format)
        if all_diags and args.format == "text":
            print(_summary(errors, warnings, len(args.plans)), file=sys.stderr)
    if unreadable:
        return EXIT_USAGE
    if errors or (args.strict and warnings):
        return EXIT_ERRORS
    return EXIT_OK


# ---- lint rules and `planc fmt` (issue 5) ---------------------------------------------


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


def cmd_fmt(args) -> int:
    from planc.fmt import run

    return run(args.plans, check=args.check, diff=args.diff)


def cmd_eval(args) -> int:
    import json

    from planc.pipeline import compile_plan
    from planc.cli.present import amounts_json, amounts_table, select

    result = compile_plan(args.plan)
    if result.unreadable:
        if args.format == "json":  # still one JSON object, as tools expect
            json.dump(amounts_json(result, [], result.diagnostics), sys.stdout, ensure_ascii=False, indent=2)
            print()
        else:
            print_diagnostics(result.diagnostics)
        return EXIT_USAGE
    paths, problems = select(result, args.refs)
    diags = result.diagnostics + problems
    if args.format == "json":
        json.dump(amounts_json(result, paths, diags), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_diagnostics(diags)
        print(amounts_table(result, paths))
    return EXIT_ERRORS if any(d.is_error for d in diags) else EXIT_OK


def _compile_or_exit(path: str):
    """(compilation, exit code or None): unreadable files exit 2, errors exit 1."""
    from planc.pipeline import compile_plan

    result = compile_plan(path)
    if result.unreadable:
        print_diagnostics(result.diagnostics)
        return result, EXIT_USAGE
    if result.has_errors:
        print_diagnostics(result.diagnostics)
        return result, EXIT_ERRORS
    return result, None


def cmd_diff(args) -> int:
    import json

    from planc.review import diff as diffing

    old, code = _compile_or_exit(args.old)
    if code is not None:
        return code
    new, code = _compile_or_exit(args.new)
    if code is not None:
        return code
    changes = diffing.compare(old, new)
    if args.format == "json":
        print(json.dumps(diffing.to_json(changes), ensure_ascii=False, indent=2))
    else:
        print(diffing.render_text(changes, args.old, args.new))
    return EXIT_OK


def cmd_track(args) -> int:
    import datetime
    import json
    from pathlib import Path

    from planc.review import track as tracking

    try:
        as_of = datetime.date.fromisoformat(args.as_of) if args.as_of else datetime.date.today()
    except ValueError:
        print(f"planc: error: --as-of `{args.as_of}` is not a date (YYYY-MM-DD)", file=sys.stderr)
        return EXIT_USAGE
    result, code = _compile_or_exit(args.plan)
    if code is not None:
        return code
    actuals, diags = tracking.read_actuals(Path(args.actuals), result)
    print_diagnostics(diags)
    if any(d.code in ("E015", "E016") for d in diags):
        return EXIT_USAGE
    rows = tracking.track(result, actuals, as_of)
    if args.format == "json":
        print(json.dumps(tracking.to_json(rows, as_of), ensure_ascii=False, indent=2))
    else:
        print(tracking.render_text(rows, as_of))
    return EXIT_ERRORS if any(d.is_error for d in diags) else EXIT_OK


def cmd_lsp(args) -> int:
    from planc.lsp import serve

    return serve()


def cmd_build(args) -> int:
    try:
        from planc.report import build  # noqa: F401
    except ImportError:
        print("planc: error: `planc build` is not available in this version yet", file=sys.stderr)
        return EXIT_USAGE
    return build.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
