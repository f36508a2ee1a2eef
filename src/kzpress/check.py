"""`kzpress check`: validate what was built, one row per file and check, non-zero on any failure."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from kzpress.errors import KzpressError, InputError

CHECKOUT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Finding:
    path: Path
    check: str
    passed: bool | None  # None: could not be checked here
    detail: str


def run(out_dir: Path, slugs: list[str], *, schemas: Path | None, notice: Callable[[str], None],
        seeds: Path | None = None) -> int:
    findings = list(check_outputs(out_dir, slugs, schemas=schemas, seeds=seeds))
    _print_table(findings)
    failed = [finding for finding in findings if finding.passed is False]
    if failed:
        notice(f"{len(failed)} of {len(findings)} checks failed")
        return 1
    return 0


def check_outputs(out_dir: Path, slugs: list[str], *, schemas: Path | None, seeds: Path | None = None) -> Iterator[Finding]:
    if not out_dir.is_dir():
        raise InputError(f"{out_dir}: nothing built here; run `kzpress build` first or pass --out DIR")
    folders = [out_dir / slug for slug in slugs] if slugs else sorted(p for p in out_dir.iterdir() if p.is_dir())
    for folder in folders:
        if not folder.is_dir():
            raise InputError(f"{folder}: '{folder.name}' was not built; run `kzpress build {folder.name}` first")
        for path in sorted(folder.glob("*/*.pdf")):
            yield from check_pdf(path)
        for path in sorted(folder.glob("*/*.epub")):
            yield check_epub(path)
        for path in sorted(folder.glob("xliff/*.xlf")):
            yield check_xliff(path, _schema_dir(schemas))
        if seeds is not None:
            yield from check_translations(seeds, folder)


def check_translations(seeds_dir: Path, folder: Path) -> Iterator[Finding]:
    """Each translation stored with the seed against its current text: units stale or not translated.
    Incomplete fails where that edition was built (--allow-incomplete printed those units in the source
    language), and is only reported where it was not."""
    from kzpress.translation.store import statuses

    for status in statuses(seeds_dir, folder.name):
        if status.complete:
            yield Finding(status.path, "translation", True, f"all {status.units} units translated")
            continue
        counts = [f"{len(ids)} {what} ({', '.join(ids[:2])}{', …' if len(ids) > 2 else ''})"
                  for ids, what in ((status.stale, "stale: the source changed since"), (status.untranslated, "not translated"))
                  if ids]
        built = (folder / status.lang).is_dir()
        consequence = (f"the {status.lang} edition prints them in the source language" if built
                       else f"no {status.lang} edition built; `kzpress xliff {folder.name} --target {status.lang}` sends them to translate")
        yield Finding(status.path, "translation", False if built else None, f"{'; '.join(counts)}; {consequence}")


def check_pdf(path: Path) -> Iterator[Finding]:
    from kzpress.fonts import font_faces
    from kzpress.inspect import pdf_summary

    if path.name.endswith((".print.pdf", ".booklet.pdf")):
        yield from check_print(path)
        return
    summary = pdf_summary(path.read_bytes())
    sizes = summary["page_size_mm"]
    yield Finding(path, "pages", summary["pages"] > 0 and len(sizes) == 1,
                  f"{summary['pages']} pages of {' and '.join(f'{w:g}×{h:g} mm' for w, h in sizes)}")
    loose = sorted(name for name, font in summary["fonts"].items() if not font["embedded"])
    yield Finding(path, "fonts embedded", not loose, ", ".join(loose) or f"all {len(summary['fonts'])} embedded")
    ours = _postscript_names(font_faces(CHECKOUT / "fonts"))
    foreign = sorted(set(summary["fonts"]) - ours)
    yield Finding(path, "fonts from fonts/", not foreign, ", ".join(foreign) or "yes")


def check_print(path: Path) -> Iterator[Finding]:
    """The print shop's preflight of a press PDF or a booklet (kzpress.preflight)."""
    from kzpress.preflight import BOOKLET, PRESS, preflight

    kind = PRESS if path.name.endswith(".print.pdf") else BOOKLET
    for row in preflight(path.read_bytes(), kind):
        yield Finding(path, row.check, row.passed, row.detail)


def _postscript_names(faces) -> set[str]:
    from fontTools.ttLib import TTFont

    names = set()
    for face in faces:
        with TTFont(face.path, lazy=True) as font:
            names.add(font["name"].getDebugName(6))
    return names


def check_epub(path: Path) -> Finding:
    from kzpress import epubcheck

    try:
        report = epubcheck.check(path)
    except KzpressError as error:
        return Finding(path, "EPUBCheck", None, str(error))
    counts = ", ".join(f"{n} {severity.lower()}" for severity, n in report.counts.items())
    first = next((str(m) for m in report.messages if m.severity in epubcheck.BLOCKING), "")
    return Finding(path, f"EPUBCheck {report.checker_version}", report.clean, f"{counts}{'; ' + first if first else ''}")


def check_xliff(path: Path, schema_dir: Path | None) -> Finding:
    from kzpress.schemas import validate_xliff
    from kzpress.xmlsafe import parse

    data = path.read_bytes()
    try:
        parse(data, source=str(path))
    except KzpressError as error:
        return Finding(path, "XLIFF", False, str(error))
    if schema_dir is None:
        return Finding(path, "XLIFF schema", None,
                       "well-formed; schema not checked: pass --xliff-schemas DIR (the OASIS schemas)")
    errors = validate_xliff(data, schema_dir)
    return Finding(path, "XLIFF schema", not errors, errors[0] if errors else "valid against the OASIS schema")


def _schema_dir(given: Path | None) -> Path | None:
    """The OASIS schemas: --xliff-schemas, KZPRESS_XLIFF_SCHEMAS, or the shared folder beside a checkout."""
    if given is not None:
        if not (given / "1.2").is_dir():
            raise InputError(f"{given}: no OASIS XLIFF schemas here (expected {given / '1.2'})")
        return given
    for candidate in (os.environ.get("KZPRESS_XLIFF_SCHEMAS"), CHECKOUT.parent / "shared" / "schemas" / "xliff"):
        if candidate and (Path(candidate) / "1.2").is_dir():
            return Path(candidate)
    return None


def _print_table(findings: list[Finding]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("file", "check", "verdict", "detail", title="kzpress check")
    verdicts = {True: "[green]pass[/]", False: "[red]FAIL[/]", None: "[yellow]not checked[/]"}
    for finding in findings:
        table.add_row(str(finding.path), finding.check, verdicts[finding.passed], finding.detail)
    Console(width=160).print(table)
