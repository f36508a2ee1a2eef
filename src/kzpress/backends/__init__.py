"""Backends: one module per output format, each a pure `write(document, options) -> bytes`.

BACKENDS is the only list of formats. Each entry turns an edition into its files (relative path ->
bytes), choosing the options from the project and the edition; build.py writes them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kzpress.layout import load_settings

if TYPE_CHECKING:
    from kzpress.build import Edition, Project

Files = dict[Path, bytes]


def _edition_path(edition: "Edition", suffix: str) -> Path:
    return Path(edition.slug, edition.folder, f"{edition.slug}{suffix}")


def _settings(edition: "Edition", project: "Project"):
    metadata = next((path for path in (project.seeds_dir / f"{edition.slug}{suffix}" for suffix in (".yaml", ".yml"))
                     if path.is_file()), None)
    source = f"{metadata}: layout" if metadata else f"{edition.slug}: layout"
    return load_settings(project.layout_dir, edition.layout, source=source, publisher=project.publisher_layout)


def _markdown(edition: "Edition", project: "Project") -> Files:
    return {_edition_path(edition, ".md"): edition.canonical_markdown}


def _pdf(edition: "Edition", project: "Project") -> Files:
    from kzpress.backends import html, pdf

    options = html.HtmlOptions(
        project.layout_dir, project.fonts_dir, _settings(edition, project), edition.created,
        source=str(_edition_path(edition, ".pdf")), publisher_layout=project.publisher_layout,
    )
    return {_edition_path(edition, ".pdf"): pdf.write(edition.document, pdf.PdfOptions(options))}


def _press_options(edition: "Edition", project: "Project", suffix: str):
    from kzpress.backends import html, press

    options = html.HtmlOptions(project.layout_dir, project.fonts_dir, _settings(edition, project), edition.created,
                               source=edition.slug, publisher_layout=project.publisher_layout)
    return press.PressOptions(options, source=str(_edition_path(edition, suffix)))


def _print(edition: "Edition", project: "Project") -> Files:
    from kzpress.backends import press

    return {press_pdf_path(edition): press.write(edition.document, _press_options(edition, project, ".print.pdf"))}


def press_pdf_path(edition: "Edition") -> Path:
    return _edition_path(edition, ".print.pdf")


def booklet_output(edition: "Edition", project: "Project", press_pdf: bytes | None = None) -> Files:
    """The booklet, imposed from `press_pdf` when the press PDF was just made, else from a new one."""
    from kzpress.backends import booklet

    options = booklet.BookletOptions(_press_options(edition, project, ".booklet.pdf"), press_pdf=press_pdf)
    return {_edition_path(edition, ".booklet.pdf"): booklet.write(edition.document, options)}


def reading_pdf_path(edition: "Edition") -> Path:
    return _edition_path(edition, ".pdf")


def epub_output(edition: "Edition", project: "Project", reading_pdf: bytes | None = None) -> Files:
    """The EPUB; its cover and page list come from the reading PDF, rendered here unless given."""
    from kzpress.backends import epub

    if reading_pdf is None:
        reading_pdf = _pdf(edition, project)[reading_pdf_path(edition)]
    source, related = _language_editions(edition, project)
    options = epub.EpubOptions(
        fonts_dir=project.fonts_dir,
        layout_dir=project.layout_dir,
        publisher_layout=project.publisher_layout,
        settings=_settings(edition, project),
        identifier=epub.stable_identifier(edition.slug, edition.language.tag),
        modified=edition.created,
        reading_pdf=reading_pdf,
        resource_dir=project.seeds_dir,
        source_edition=source and epub.stable_identifier(edition.slug, source),
        related_editions=tuple(epub.stable_identifier(edition.slug, lang) for lang in related),
        page_source=reading_pdf_path(edition).name,
    )
    return {_edition_path(edition, ".epub"): epub.write(edition.document, options)}


def _language_editions(edition: "Edition", project: "Project") -> tuple[str | None, list[str]]:
    """The languages of the publication's other editions: the one this edition translates, if it is a
    translation, and the rest (the source and every stored translation but this edition and its source)."""
    from kzpress.translation.store import stored_languages, stored_translation

    own = edition.language.tag
    translation = stored_translation(project.seeds_dir, edition.slug, own)
    source = translation.source_language if translation is not None else None
    everyone = [source or own, *stored_languages(project.seeds_dir, edition.slug)]
    skipped = {own.lower(), (source or own).lower()}
    return source, [lang for lang in dict.fromkeys(everyone) if lang.lower() not in skipped]


def _xliff(edition: "Edition", project: "Project") -> Files:
    from kzpress.backends import xliff
    from kzpress.translation.store import stored_translation

    files = {}
    for target in edition.targets:
        # The translation stored with the seed carries over: translators get back only what changed.
        options = xliff.XliffOptions(target=target, original=f"{edition.slug}.md", version=project.xliff_version,
                                     translation=stored_translation(project.seeds_dir, edition.slug, target))
        files[Path(edition.slug, "xliff", f"{edition.slug}.{target}.xlf")] = xliff.write(edition.document, options)
    return files


BACKENDS: dict[str, Callable[["Edition", "Project"], Files]] = {
    "pdf": _pdf,
    "print": _print,  # the press PDF (PDF/X-1a, bleed, crop marks)
    "booklet": booklet_output,  # the press pages imposed for saddle stitching
    "epub": epub_output,
    "xliff": _xliff,
    "md": _markdown,
}
