"""`planc build PLAN... [-o DIR] [--format html,md,json,csv] [--lang en|zh]`.

Every plan is compiled and every output rendered in memory first (the JSON
and CSV, which hold every target, are made while they are written into the
staging folder); only when all of that succeeded is anything swapped in:
files go into a staging folder inside the output folder, then are swapped
in, under a lock on the output folder
(`planc.report.build.write_set`). So a plan with errors, a bug in a
renderer, a failed write or a concurrent build never leaves a half-written
or half-updated report set.

Exit codes (docs/cli.md): 0 written (warnings allowed), 1 a plan has
errors (diagnostics printed, nothing written), 2 usage error, unreadable
plan or unwritable output.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from planc.cli.output import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, print_diagnostics
from planc.report.build import Content, render_all, write_set

FORMATS = ("html", "md", "json", "csv", "xlsx")
ALL = ("html", "md", "json", "csv")  # `--format all`: xlsx needs an extra, so it is asked for by name


def _usage(message: str) -> int:
    print(f"planc build: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def parse_formats(text: str) -> list[str] | None:
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    if wanted == ["all"]:
        return list(ALL)
    if not wanted or any(f not in FORMATS for f in wanted):
        return None
    return [f for f in FORMATS if f in wanted]


def run(args, environ=None) -> int:
    from planc.pipeline import compile_plan

    environ = os.environ if environ is None else environ
    formats = parse_formats(args.format)
    if formats is None:
        return _usage(f"unknown format in `{args.format}`; choose from {', '.join(FORMATS)}")
    if "xlsx" in formats:
        from planc.report.xlsx import missing_dependency

        if (hint := missing_dependency()) is not None:
            return _usage(f"--format xlsx needs XlsxWriter, which is not installed: {hint}")
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not (epoch.isascii() and epoch.isdigit() and len(epoch) <= 11):
        return _usage(f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, not `{epoch}`")
    stems: dict[str, str] = {}
    for plan in args.plans:
        stem = Path(plan).stem
        if stem in stems and stems[stem] != plan:
            return _usage(f"`{stems[stem]}` and `{plan}` would write the same report files ({stem}.*)")
        stems[stem] = plan

    compiled = []
    status = EXIT_OK
    for plan in dict.fromkeys(args.plans):
        result = compile_plan(plan, allow_outside=getattr(args, "allow_outside", ()))
        print_diagnostics(result.diagnostics)
        if result.unreadable:
            status = EXIT_USAGE
        elif result.has_errors or result.model is None or result.evaluation is None:
            status = max(status, EXIT_ERRORS)
        compiled.append((plan, result))
    if status != EXIT_OK:
        print("planc build: nothing written", file=sys.stderr)
        return status

    files: dict[Path, Content] = {}
    owner_dirs: list[Path] = []
    out_dir = Path(args.output)
    reviews: dict[str, object] = {}
    if getattr(args, "actuals", None) or getattr(args, "as_of", None):
        for plan, result in compiled:
            review, code = _review(args, plan, result)
            if code is not None:
                print("planc build: nothing written", file=sys.stderr)
                return code
            reviews[plan] = review
    changes = None
    if getattr(args, "compare", None):
        from planc.pipeline import compile_plan as compile_old
        from planc.report.review import Changes
        from planc.review.diff import compare

        old = compile_old(args.compare, allow_outside=getattr(args, "allow_outside", ()))
        if old.unreadable or old.has_errors:
            print_diagnostics(old.diagnostics)
            print("planc build: nothing written", file=sys.stderr)
            return EXIT_USAGE if old.unreadable else EXIT_ERRORS
    for plan, result in compiled:
        if getattr(args, "compare", None):
            changes = Changes(Path(args.compare).name, tuple(compare(old, result)))
        try:
            source = Path(plan).read_bytes()
        except OSError as exc:
            return _usage(f"cannot read `{plan}`: {exc.strerror or exc}")
        scenario = getattr(args, "scenario", None)
        if scenario not in (None, "all"):  # the report of one scenario
            from planc.cli.scenarios import as_scenario

            chosen = as_scenario(result, scenario)
            if chosen is None:
                return EXIT_USAGE
            result = chosen
        files.update(render_all(result, source, formats, args.lang, out_dir, environ, scenarios=scenario == "all",
                                review=reviews.get(plan), changes=changes))
        if "md" in formats:
            owner_dirs.append(out_dir / f"{Path(plan).stem}.owners")
    try:
        write_set(out_dir, files, owner_dirs)
    except OSError as exc:
        return _usage(f"cannot write `{getattr(exc, 'filename', None) or out_dir}`: {exc.strerror or exc}")
    for path in files:
        print(path)
    return EXIT_OK


def _review(args, plan: str, result):
    """(the review section of one plan, or an exit code): its actuals (--actuals, else the
    plan's `actuals = csv(…)`) as of --as-of, as `planc track` reads them."""
    from planc.report.review import build_review
    from planc.review import track as tracking

    as_of = tracking.as_of_date(args.as_of)
    if as_of is None:
        return None, _usage(f"--as-of `{args.as_of}` is not a date (YYYY-MM-DD)")
    actuals, diags = tracking.load_actuals(result, plan, args.actuals, args.encoding,
                                           getattr(args, "allow_outside", ()), as_of)
    if actuals is None:  # no file named at all
        return None, _usage(f"`{plan}` names no actuals: give --actuals FILE.csv")
    diags += tracking.review_assertions(result, actuals, as_of)
    print_diagnostics(diags)
    if any(d.code == "E040" for d in diags):
        return None, EXIT_USAGE
    if any(d.is_error for d in diags):
        return None, EXIT_ERRORS
    return build_review(result, actuals, as_of, tracking.thresholds_for(plan)), None

