"""Every output file of a compiled plan, rendered in memory (`planc build`
writes them; see `planc.cli.build`)."""

from __future__ import annotations

from pathlib import Path


OWNER_MARK = "<!-- planc: owner sheet -->"


def render_all(result, source: bytes, formats: list[str], lang: str, out_dir: Path, environ) -> dict[Path, bytes]:
    """Every output file of one plan, rendered in memory: path -> bytes."""
    from planc.report import data, render
    from planc.report.gather import build_report
    from planc.report.view import generation_time

    report = build_report(result, source, generation_time(environ))
    stem = report.meta.stem
    out: dict[Path, bytes] = {}
    if "html" in formats:
        out[out_dir / f"{stem}.html"] = render.render_html(report, lang).encode("utf-8")
    if "md" in formats:
        owner_dir = f"{stem}.owners"
        out[out_dir / f"{stem}.md"] = render.render_markdown(report, lang, owner_dir).encode("utf-8")
        for sheet in report.owners:
            text = render.render_owner_markdown(report, sheet, lang, back=f"../{stem}.md")
            out[out_dir / owner_dir / f"{sheet.slug}.md"] = text.encode("utf-8")
    if "json" in formats:
        out[out_dir / f"{stem}.json"] = data.to_json(report).encode("utf-8")
    if "csv" in formats:
        out[out_dir / f"{stem}.csv"] = data.to_csv(report).encode("utf-8")
    if "xlsx" in formats:
        from planc.report.xlsx import render_xlsx  # XlsxWriter: only for this format

        out[out_dir / f"{stem}.xlsx"] = render_xlsx(report, lang)
    return out


def remove_stale_sheets(folder: Path, keep: set[Path]) -> None:
    """Owner sheets from an earlier build whose owner has left the plan."""
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.md")):
        if path in keep:
            continue
        try:
            with path.open("r", encoding="utf-8") as f:
                first = f.readline()
        except (OSError, UnicodeDecodeError):
            continue
        if first.strip() == OWNER_MARK:
            path.unlink()
