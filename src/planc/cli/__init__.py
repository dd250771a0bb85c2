"""The `planc` command. Sub-commands import what they need when they run,
so `planc check` never pays for Jinja2 or the report code."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from planc import __version__

from planc.cli.dates import date_argument
from planc.cli.output import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2, as §6 says
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"planc: error: {message}\n")


COMMANDS = ("check", "fmt", "eval", "build", "diff", "track", "replan", "lsp", "completion")


class _Skipped:
    """Stands in for the sub-parser of a command that is not being run."""

    def add_argument(self, *args, **kwargs) -> None:
        pass


class _Only:
    """`add_subparsers()`, but making only the sub-parser of the command being
    run: building all of them is a few ms of every `planc check` (pre-commit)."""

    def __init__(self, sub, only: str | None) -> None:
        self.sub, self.only, self.choices = sub, only, sub.choices

    def add_parser(self, name: str, **kwargs):
        if self.only is not None and name != self.only:
            return _Skipped()
        return self.sub.add_parser(name, **kwargs)


def command_named(argv: Sequence[str]) -> str | None:
    """The command an argument list runs, if it is plain to see (else None: build every sub-parser)."""
    for arg in argv:
        if arg in COMMANDS:
            return arg
        if not arg.startswith("-") or arg in ("-h", "--help", "--version"):
            return None  # an unknown command, or help: argparse needs them all
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(prog="planc", description="Compile, check and report sales target plans (.plan files).",
                     epilog="Exit codes: 0 ok (warnings allowed), 1 the plan has errors, 2 usage error or unreadable file, "
                            "3 internal error (a bug in planc).")
    parser.add_argument("--version", action="version", version=f"planc {__version__}")
    parser.add_argument("--debug", action="store_true", help="on an internal error, print the traceback")
    sub = _Only(parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser), only)

    p = sub.add_parser("check", help="check plans and report problems (a linter for pre-commit)",
                       description="Check plans: syntax, names, splits that must add up, assertions, lint rules.")
    p.add_argument("plans", nargs="*", metavar="PLAN")
    p.add_argument("--format", choices=("text", "concise", "json", "github", "sarif", "auto", "md"), default="text",
                   help="sarif: SARIF 2.1.0 for code scanning; auto: github under GitHub Actions "
                        "(GITHUB_ACTIONS=true), text otherwise; md: only with --list-rules")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    # lint rules (issue 5): documentation and configuration
    p.add_argument("--list-rules", action="store_true", help="list the lint rules (--format md: docs/rules.md)")
    p.add_argument("--explain", metavar="CODE", help="print a rule's documentation, e.g. --explain W102")
    p.add_argument("--config", metavar="FILE", help="use this planc.toml or pyproject.toml, not the nearest one")
    p.add_argument("--verbose", action="store_true", help="also print notes, e.g. why a cache folder was not used")
    p.add_argument("--as-of", type=date_argument, metavar="DATE",
                   help="YYYY-MM-DD: also warn about open actions due before this date")

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
    p.add_argument("--scenario", metavar="NAME", help="the amounts of this scenario (default: base, the plan itself)")
    p.add_argument("--how", action="store_true",
                   help="with --format json: add how each amount was made (`derivations`)")

    p = sub.add_parser("build", help="write HTML/Markdown/JSON/CSV target reports",
                       description="Compile plans into target reports.")
    p.add_argument("plans", nargs="+", metavar="PLAN")
    p.add_argument("-o", "--output", default="build", metavar="DIR", help="output directory (default: build/)")
    p.add_argument("--format", default="html,md", help="comma-separated: html, md, json, csv, xlsx, or all (default: html,md)")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="report language")
    p.add_argument("--scenario", metavar="NAME", help="`all`: a column per scenario in the split tables and the "
                   "summary; a scenario's name: that scenario's report")
    p.add_argument("--actuals", action="append", metavar="FILE.csv",
                   help="add the review section: actuals CSV (repeatable; with one plan; see docs/review.md)")
    p.add_argument("--encoding", default="utf-8", metavar="NAME", help="the actuals files' encoding (default: utf-8)")
    p.add_argument("--as-of", metavar="DATE", help="the review's date, YYYY-MM-DD (default: today)")
    p.add_argument("--compare", metavar="OLD.plan", help="add a section: what changed since OLD.plan")
    p = sub.add_parser("diff", help="show what moved between two versions of a plan",
                       description="Compare the evaluated targets of two plans: added, removed, changed amounts, "
                                   "and every attribute and label that changed.")
    p.add_argument("old", metavar="OLD.plan")
    p.add_argument("new", metavar="NEW.plan", nargs="?")
    p.add_argument("--scenario", metavar="A,B", help="compare two scenarios of one plan (give only PLAN)")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("track", help="compare actuals to date with the plan",
                       description="Attainment, pace against the seasonal expectation, and a forecast.")
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("--actuals", action="append", metavar="FILE.csv",
                   help="actuals CSV: long, transactions, wide or totals (repeatable; default: the plan's "
                        "`actuals = csv(…)`; see docs/review.md)")
    p.add_argument("--encoding", default="utf-8", metavar="NAME",
                   help="the actuals files' encoding, e.g. gb18030 (default: utf-8)")
    p.add_argument("--as-of", metavar="DATE", help="YYYY-MM-DD (default: today)")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("replan", help="write the next version of a plan, closed periods fixed at their actuals",
                       description="Closed periods of every time split fixed at their actuals, the rest of each "
                                   "total re-spread over the open periods by the same method (docs/review.md).")
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("--actuals", action="append", metavar="FILE.csv",
                   help="actuals CSV (repeatable; default: the plan's `actuals = csv(…)`)")
    p.add_argument("--encoding", default="utf-8", metavar="NAME", help="the actuals files' encoding (default: utf-8)")
    p.add_argument("--as-of", metavar="DATE", help="YYYY-MM-DD: periods that end by it are closed (default: today)")
    p.add_argument("-o", "--output", metavar="NEW.plan", help="write the new plan here (default: stdout)")
    p.add_argument("--version", metavar="TEXT", help="the new plan's `version` (default: the next vN, re-planned as of DATE)")

    p = sub.add_parser("lsp", help="run the language server on stdin/stdout (for editors)",
                       description="A Language Server for .plan files over stdio: diagnostics, hover, inlay "
                                   "hints, completion, definition, references, rename, code actions, semantic "
                                   "tokens, symbols, formatting. Needs pygls (pip install 'planc[lsp]'). "
                                   "See docs/lsp.md.")
    p.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default; accepted for clients "
                                                         "that pass it)")
    p = sub.add_parser("completion", help="print a shell completion script (bash, zsh, fish)",
                       description="Print a completion script for SHELL, generated from these commands and "
                                   "options. bash: source <(planc completion bash); zsh: save it as _planc on "
                                   "$fpath; fish: planc completion fish > ~/.config/fish/completions/planc.fish")
    p.add_argument("shell", choices=("bash", "zsh", "fish"), metavar="SHELL", help="bash, zsh or fish")
    for name, command in sub.choices.items():
        # after the sub-command too; SUPPRESS keeps a --debug given before it
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        if name in ("check", "eval", "build", "track", "diff", "replan"):
            command.add_argument("--allow-outside", action="append", default=[], metavar="PATH",
                                 help="also read imports and data from PATH, outside the project root "
                                      "(repeatable; see docs/language.md)")
    # --color is taken before the command and after it (planc check --color always …)
    colours, about = ("auto", "always", "never"), "colour in text diagnostics (default: auto)"
    parser.add_argument("--color", default="auto", choices=colours, help=about)
    for command in sub.choices.values():
        command.add_argument("--color", default=argparse.SUPPRESS, choices=colours, help=about)
    return parser


# A command runs once and keeps most of what it allocates until it exits, so
# the cycle collector's frequent young-generation passes are wasted work: about
# 10 ms of a 180 ms `planc check` (benchmarks/bench_startup.py). The language
# server lives long and keeps the default.
_ONE_SHOT_GC = (100_000, 50, 100)


def main(argv: Sequence[str] | None = None) -> int:
    import gc

    defaults = gc.get_threshold()
    gc.set_threshold(*_ONE_SHOT_GC)
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(only=command_named(arguments))
    args, extra = parser.parse_known_args(arguments)
    if args.command == "lsp":
        gc.set_threshold(*defaults)
    else:
        from planc.pipeline import one_shot

        one_shot()
    if extra:  # `planc eval PLAN --format json Q1`: REFs may follow the options too
        if args.command != "eval" or any(e.startswith("-") for e in extra):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        args.refs += extra
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    from planc.cli import output

    output.COLOR = args.color
    try:
        import importlib

        # one module per command, imported only when it runs (start-up stays lean)
        command = importlib.import_module(f"planc.cli.{args.command}")
        return command.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `planc eval x.plan | head`: the reader left; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a planc bug, never a problem in the plan: exit 3, not 1
        return _internal_error(exc, getattr(args, "debug", False))


def entry() -> None:
    """The `planc` command (and `python -m planc`): `main`, then the process ends at once.

    A one-shot command's last act would otherwise be the interpreter freeing every
    object of the compile, one by one: 0.3 s after `planc check` of a 400,000-cell
    cross, more for a million targets, for memory the system takes back anyway. So
    the output is flushed and the process exits without that teardown (`os._exit`),
    as mypy does. `main` itself returns normally: tests and embedders call it."""
    code = main()
    if command_named(sys.argv[1:]) == "lsp":  # the server ends as any process does
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader left (`| head`), or the stream is closed
            pass
        except OSError:
            code = code or EXIT_USAGE
    os._exit(code)


def _internal_error(exc: Exception, debug: bool) -> int:
    if debug:
        import traceback

        traceback.print_exc()
    else:
        from planc.diagnostics import escape_control

        what = escape_control(f"{type(exc).__name__}: {exc}")
        what = what if len(what) <= 300 else what[:300] + "…"
        print(f"planc: internal error: {what} — this is a bug in planc; please report it "
              "(run with --debug for the traceback)", file=sys.stderr)
    return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    entry()
