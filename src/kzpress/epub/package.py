"""The package document (metadata, manifest, spine), the NCX and the zip: ebooklib, then a reproducible rewrite.

kzpress serialises every XHTML page itself; ebooklib writes content.opf, toc.ncx and the container,
and `reproducible` rewrites its zip with fixed timestamps so the same book always gives the same
bytes.

Links between language editions: a translation names the edition it was translated from in
`dc:source` (EPUB 3.3: "the source publication from which this EPUB Publication is derived"); an
edition names its sibling editions (the translations made from it, or the other translations of
its source) in `dc:relation`. Every edition's identifier is `stable_identifier(slug, language)`, so
these identifiers are known before the other editions are built.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterator

from ebooklib import epub

from kzpress import __version__
from kzpress.document import Metadata
from kzpress.epub.accessibility import Accessibility
from kzpress.epub.chapters import Heading

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The zip format's own epoch: no clock reading may reach the archive.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# dc:date must be W3CDTF; a free-text date ("Spring 2022") still shows on the title page.
W3CDTF_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Editions:
    """The identifiers that tie this edition to the publication's other language editions."""

    identifier: str
    source: str | None = None  # the edition this one is translated from
    related: tuple[str, ...] = ()  # sibling language editions


class Resource(epub.EpubItem):
    """A file of the book as kzpress made it, with its manifest properties (nav, cover-image...)."""

    def __init__(self, uid: str, file_name: str, media_type: str, content: bytes, properties: tuple[str, ...] = ()):
        super().__init__(uid=uid, file_name=file_name, media_type=media_type, content=content)
        self.properties = list(properties)  # ebooklib writes them into the manifest item


def new_book(
    metadata: Metadata, lang: str, editions: Editions, access: Accessibility, page_source: str | None = None
) -> epub.EpubBook:
    """The book with its package metadata; `page_source` names where the page list's numbers come from."""
    book = epub.EpubBook()
    generator = {"name": "generator", "content": f"kzpress {__version__}"}
    book.metadata[epub.NAMESPACES["OPF"]]["generator"] = [("", generator)]  # instead of ebooklib's
    book.set_identifier(editions.identifier)
    book.title = metadata.title  # the NCX's docTitle
    book.set_language(lang)
    _titles(book, metadata)
    _contributors(book, metadata)
    for name, value in (("publisher", metadata.publisher), ("rights", metadata.rights)):
        if value:
            book.add_metadata("DC", name, value)
    if metadata.date and W3CDTF_DATE.match(metadata.date):
        book.add_metadata("DC", "date", metadata.date)
    if editions.source:
        book.add_metadata("DC", "source", editions.source)
    for related in editions.related:
        book.add_metadata("DC", "relation", related)
    if page_source:  # EPUB 3.3's way to say the page list follows another rendition's pages
        book.add_metadata("DC", "source", page_source, {"id": "page-source"})
        book.add_metadata(None, "meta", "pagination", {"refines": "#page-source", "property": "source-of"})
    _accessibility(book, access)
    return book


def _titles(book: epub.EpubBook, metadata: Metadata) -> None:
    book.add_metadata("DC", "title", metadata.title, {"id": "title"})
    book.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    if metadata.subtitle:
        book.add_metadata("DC", "title", metadata.subtitle, {"id": "subtitle"})
        book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})


def _contributors(book: epub.EpubBook, metadata: Metadata) -> None:
    for number, author in enumerate(metadata.authors, 1):
        book.add_author(author, role="aut", uid=f"author-{number}")
    for number, translator in enumerate(metadata.translators, 1):
        book.add_metadata("DC", "contributor", translator, {"id": f"translator-{number}"})
        book.add_metadata(
            None, "meta", "trl", {"refines": f"#translator-{number}", "property": "role", "scheme": "marc:relators"}
        )


def _accessibility(book: epub.EpubBook, access: Accessibility) -> None:
    properties = [
        *(("schema:accessMode", mode) for mode in access.access_modes),
        *(("schema:accessModeSufficient", modes) for modes in access.sufficient),
        *(("schema:accessibilityFeature", feature) for feature in access.features),
        *(("schema:accessibilityHazard", hazard) for hazard in access.hazards),
    ]
    for name, value in properties:
        book.add_metadata(None, "meta", value, {"property": name})
    summary = {"property": "schema:accessibilitySummary", XML_LANG: access.summary_lang}
    book.add_metadata(None, "meta", access.summary, summary)
    if access.conforms_to:
        book.add_metadata(None, "meta", access.conforms_to, {"property": "dcterms:conformsTo"})


def ncx_entries(headings: list[Heading], ids: Iterator[int]) -> list[Any]:
    entries: list[Any] = []
    for heading in headings:
        link = epub.Link(heading.href, heading.title, f"toc-{next(ids)}")
        entries.append((link, ncx_entries(heading.children, ids)) if heading.children else link)
    return entries


def archive(book: epub.EpubBook, modified: str) -> bytes:
    """The .epub of `book`, `modified` (ISO 8601) as its dcterms:modified."""
    moment = datetime.fromisoformat(modified)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    buffer = io.BytesIO()
    writer = epub.EpubWriter(buffer, book, {"mtime": moment, "epub3_pages": False, "epub2_guide": False})
    writer.process()
    writer.write()
    return reproducible(buffer.getvalue())


def reproducible(packed: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps and modes, `mimetype` first and stored (OCF requires it)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(packed)) as source, zipfile.ZipFile(output, "w") as target:
        entries = sorted(source.infolist(), key=lambda entry: entry.filename != "mimetype")
        for entry in entries:
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if entry.filename == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds
            info.external_attr = 0o100644 << 16
            target.writestr(info, source.read(entry), compresslevel=9)
    return output.getvalue()
