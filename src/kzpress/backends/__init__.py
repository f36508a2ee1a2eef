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
    return load_settings(project.layout_dir, edition.layout, source=f"{edition.slug}: layout")


def _markdown(edition: "Edition", project: "Project") -> Files:
    return {_edition_path(edition, ".md"): edition.canonical_markdown}


def _pdf(edition: "Edition", project: "Project") -> Files:
    from kzpress.backends import html, pdf

    options = html.HtmlOptions(project.layout_dir, project.fonts_dir, _settings(edition, project), edition.created)
    return {_edition_path(edition, ".pdf"): pdf.write(edition.document, pdf.PdfOptions(options))}


def _epub(edition: "Edition", project: "Project") -> Files:
    from kzpress.backends import epub

    options = epub.EpubOptions(
        fonts_dir=project.fonts_dir,
        layout_dir=project.layout_dir,
        settings=_settings(edition, project),
        identifier=epub.stable_identifier(edition.slug, edition.language.tag),
        modified=edition.created,
    )
    return {_edition_path(edition, ".epub"): epub.write(edition.document, options)}


def _xliff(edition: "Edition", project: "Project") -> Files:
    from kzpress.backends import xliff

    files = {}
    for target in edition.targets:
        options = xliff.XliffOptions(target=target, original=f"{edition.slug}.md")
        files[Path(edition.slug, "xliff", f"{edition.slug}.{target}.xlf")] = xliff.write(edition.document, options)
    return files


BACKENDS: dict[str, Callable[["Edition", "Project"], Files]] = {
    "pdf": _pdf,
    "epub": _epub,
    "xliff": _xliff,
    "md": _markdown,
}
