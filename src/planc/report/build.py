"""Every output file of a compiled plan, rendered in memory (the JSON and CSV,
which hold every target, as `Streamed` text made while it is written), and
writing a set of them so that the folder holds the old set or the new one
(`planc build`; see `planc.cli.build` and docs/reports.md, "How files are
written")."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path
from typing import Callable, Iterable, Iterator, Union

from planc.files import clean_stale_temp_files, folder_lock, is_stale, new_file_mode

OWNER_MARK = "<!-- planc: owner sheet -->"
LOCK = ".planc-build.lock"
STAGING = re.compile(r"\.planc-staging-(\d+)-[0-9a-f]+")
STAGING_MARK = ".planc-staging"  # inside a staging folder: planc made it
OLD = ".old"  # inside a staging folder: the owner-sheet folders it replaced


class Streamed:
    """A file's text made piece by piece while it is written, so a plan of a million targets
    never has its whole JSON or CSV in memory; `decode()` gives the text whole."""

    def __init__(self, make: Callable[[], Iterable[str]]) -> None:
        self.make = make

    def chunks(self) -> Iterator[bytes]:
        from planc.jsonstream import batched

        for piece in batched(self.make()):
            yield piece.encode("utf-8")

    def decode(self, encoding: str = "utf-8") -> str:
        return "".join(self.make())


Content = Union[bytes, Streamed]


def render_all(result, source: bytes, formats: list[str], lang: str, out_dir: Path, environ,
               scenarios: bool = False, review=None, changes=None) -> dict[Path, Content]:
    """Every output file of one plan: path -> bytes, or for JSON and CSV the `Streamed` text.
    `scenarios`: a column per scenario (`build --scenario all`); with `review`
    (report/review.py), each format gains the review section."""
    from planc.report import render
    from planc.report.gather import build_report
    from planc.report.view import generation_time

    report = build_report(result, source, generation_time(environ), scenarios)
    stem = report.meta.stem
    out: dict[Path, Content] = {}
    if "html" in formats:
        out[out_dir / f"{stem}.html"] = render.render_html(report, lang, review, changes, formats).encode("utf-8")
    if "md" in formats:
        owner_dir = f"{stem}.owners"
        out[out_dir / f"{stem}.md"] = render.render_markdown(report, lang, owner_dir, review, changes,
                                                                    formats).encode("utf-8")
        for sheet in report.owners:
            text = render.render_owner_markdown(report, sheet, lang, back=f"../{stem}.md", review=review)
            out[out_dir / owner_dir / f"{sheet.slug}.md"] = text.encode("utf-8")
    if "json" in formats or "csv" in formats:
        from planc.report import data  # the JSON and CSV writers: only for these formats
    if "json" in formats:
        out[out_dir / f"{stem}.json"] = Streamed(lambda: data.json_chunks(report, review, changes))
    if "csv" in formats:
        out[out_dir / f"{stem}.csv"] = Streamed(lambda: data.csv_chunks(report, lang))
        if review is not None:
            from planc.report.review import to_csv

            out[out_dir / f"{stem}.review.csv"] = to_csv(review).encode("utf-8")
    if "xlsx" in formats:
        from planc.report.xlsx import render_xlsx  # XlsxWriter: only for this format

        out[out_dir / f"{stem}.xlsx"] = render_xlsx(report, lang, review)
    return out


def write_set(out_dir: Path, files: dict[Path, Content], owner_dirs: list[Path]) -> None:
    """Write `files` (all under out_dir) so that out_dir holds all the old
    ones or all the new ones. Under an exclusive lock on out_dir/LOCK: left
    over staging folders and temporary files are removed; every file is
    written into a fresh staging folder inside out_dir and flushed; then
    each file is renamed over its target and each owner-sheet folder in
    `owner_dirs` swapped whole (the old one renamed aside, the new one in).
    A failure before the swap leaves out_dir as it was. Raises OSError."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with folder_lock(out_dir / LOCK):
        clean_left_over(out_dir, owner_dirs)
        staging = out_dir / f".planc-staging-{os.getpid()}-{os.urandom(4).hex()}"  # (`secrets` loads hmac)
        staging.mkdir()
        try:
            (staging / STAGING_MARK).write_bytes(b"")
            stage(out_dir, staging, files, owner_dirs)
            swap(out_dir, staging, files, owner_dirs)
        finally:
            remove_tree(staging)


def stage(out_dir: Path, staging: Path, files: dict[Path, Content], owner_dirs: list[Path]) -> None:
    for folder in owner_dirs:
        (staging / folder.relative_to(out_dir)).mkdir(parents=True)
    for path, data in files.items():
        staged = staging / path.relative_to(out_dir)
        staged.parent.mkdir(parents=True, exist_ok=True)
        with open(staged, "xb") as f:
            if isinstance(data, Streamed):
                for piece in data.chunks():
                    f.write(piece)
            else:
                f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(staged, new_file_mode(path))


def swap(out_dir: Path, staging: Path, files: dict[Path, Content], owner_dirs: list[Path]) -> None:
    """Rename the staged files in. An owner-sheet folder holding a sheet planc
    wrote is swapped whole, so the sheets of owners who left go with it
    (anything else in it is carried over); a folder that is not planc's, or
    a new one with no sheets, only gets the new sheets."""
    check_targets(files, owner_dirs)
    swapped = set(owner_dirs)
    for path in files:
        if path.parent not in swapped:
            os.replace(staging / path.relative_to(out_dir), path)
    aside = staging / OLD
    aside.mkdir()
    for folder in owner_dirs:
        new, old = staging / folder.relative_to(out_dir), aside / folder.name
        sheets = sorted(new.iterdir())
        if folder.is_dir() and not folder.is_symlink() and planc_wrote(folder):
            os.rename(folder, old)
            carry_over(old, new)
            os.rename(new, folder)
            carry_over(old, folder)  # anything written there in the meantime
            shutil.rmtree(old)
        elif sheets:
            folder.mkdir(exist_ok=True)
            for sheet in sheets:
                os.replace(sheet, folder / sheet.name)


def check_targets(files: dict[Path, Content], owner_dirs: list[Path]) -> None:
    """Fail before anything is swapped if a target is in the way (a folder where
    a report goes, a file where an owner-sheet folder goes)."""
    for path in files:
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(21, "Is a directory", str(path))
    for folder in owner_dirs:
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(20, "Not a directory", str(folder))


def planc_wrote(folder: Path) -> set[str]:
    """The owner sheets planc wrote in a folder: they start with OWNER_MARK."""
    names = set()
    for path in folder.glob("*.md"):
        with contextlib.suppress(OSError, UnicodeDecodeError):
            with path.open("r", encoding="utf-8") as f:
                if f.readline().strip() == OWNER_MARK:
                    names.add(path.name)
    return names


def carry_over(old: Path, new: Path) -> None:
    """Move what someone else put in the old owner-sheet folder into the new
    one (a new sheet of the same name wins)."""
    ours = planc_wrote(old)
    for entry in sorted(old.iterdir()):
        if entry.name not in ours and not (new / entry.name).exists() and not (new / entry.name).is_symlink():
            os.rename(entry, new / entry.name)


def clean_left_over(out_dir: Path, owner_dirs: list[Path]) -> None:
    """Remove staging folders and temporary files that killed builds left:
    only folders that carry STAGING_MARK, only when their process is gone or
    they are over an hour old. An owner-sheet folder a build had renamed
    aside and not yet replaced is put back first."""
    for entry in sorted(out_dir.iterdir()):
        found = STAGING.fullmatch(entry.name)
        if not found or entry.is_symlink() or not (entry / STAGING_MARK).is_file():
            continue
        if not is_stale(entry, int(found.group(1))):
            continue
        aside = entry / OLD
        if aside.is_dir():
            for old in sorted(aside.iterdir()):
                if not (out_dir / old.name).exists():
                    os.rename(old, out_dir / old.name)
        remove_tree(entry)
    for folder in [out_dir, *owner_dirs]:
        clean_stale_temp_files(folder)


def remove_tree(folder: Path) -> None:
    """Remove a folder planc made, as far as it can (a failure here loses nothing new)."""
    with contextlib.suppress(OSError):
        shutil.rmtree(folder)
