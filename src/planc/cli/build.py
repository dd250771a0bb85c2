"""`planc build PLAN... [-o DIR] [--format html,md,json,csv] [--lang en|zh]`.

Every plan is compiled and every output rendered in memory first; only when
all of that succeeded is anything written: into a staging folder inside the
output folder, then swapped in, under a lock on the output folder
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
from planc.report.build import render_all, write_set

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

    files: dict[Path, bytes] = {}
    owner_dirs: list[Path] = []
    out_dir = Path(args.output)
    for plan, result in compiled:
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
        files.update(render_all(result, source, formats, args.lang, out_dir, environ, scenarios=scenario == "all"))
        if "md" in formats:
            owner_dirs.append(out_dir / f"{Path(plan).stem}.owners")
    try:
        write_set(out_dir, files, owner_dirs)
    except OSError as exc:
        return _usage(f"cannot write `{getattr(exc, 'filename', None) or out_dir}`: {exc.strerror or exc}")
    for path in files:
        print(path)
    return EXIT_OK


