"""EPUB 3.3: the Document as an e-book that EPUBCheck passes without a message, accessible, true to print.

The parts live in `kzpress.epub`:

    chapters.py       pandoc's html5 of the body, split into one file per top-level section
                      (`split_level`), notes as EPUB 3 footnotes, heading ids, the contents tree
    images.py         the text's images, copied in from the seed's folder only
    reading_pdf.py    the reading PDF's cover (a PNG) and page texts
    page_list.py      page-break markers where each page of the reading PDF starts
    pages.py          cover, title page, colophon, chapters, font licence, nav (contents, landmarks, pages)
    fonts.py          the design's typefaces, subset to the characters used and renamed
    accessibility.py  EPUB Accessibility 1.1 metadata computed from what the book contains
    package.py        content.opf and toc.ncx (ebooklib) and a reproducible zip
    labels.py         the words the book shows, in its language

Reading order: cover (when there is a reading PDF), title page, colophon, the text, the font licence.
Nothing reads the clock: `modified` comes from the caller (SOURCE_DATE_EPOCH or the document's date).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from pathlib import Path

from ebooklib import epub as ebooklib_epub

from kzpress.document import Document, Metadata
from kzpress.epub import accessibility, fonts, package
from kzpress.epub.chapters import Chapter, Heading, render_chapters, table_of_contents, tag
from kzpress.epub.images import Image, embed_images
from kzpress.epub.labels import Labels, colophon_words, labels_for
from kzpress.epub.page_list import PageTarget, mark_pages
from kzpress.epub.pages import (
    STYLESHEET, Landmark, Page, chapter_page, colophon_page, cover_alt, cover_page, licence_page, nav_page,
    serialise, title_page,
)
from kzpress.epub.reading_pdf import cover_png, page_texts
from kzpress.errors import InputError
from kzpress.language import Language, language
from kzpress.layout import Settings, environment, load_settings

STYLESHEET_TEMPLATE = "epub.css.j2"
COVER_IMAGE = "images/cover.png"
XHTML_MEDIA_TYPE = "application/xhtml+xml"


@dataclass(frozen=True)
class EpubOptions:
    fonts_dir: Path
    layout_dir: Path
    identifier: str  # dc:identifier, e.g. from `stable_identifier`
    modified: str  # ISO 8601 timestamp for dcterms:modified, chosen by the caller
    settings: Settings | None = None  # the edition's design; None: layout_dir's settings.yaml as it is
    reading_pdf: bytes | None = None  # the same Document's reading PDF: cover and page list; None: neither
    resource_dir: Path | None = None  # the seed's folder, the only place images are read from
    split_level: int = 1  # 1: a file per top-level section; 2: per section of the next level too...; 0: one file
    source_edition: str | None = None  # for a translation: the identifier of the edition it translates
    related_editions: tuple[str, ...] = ()  # identifiers of the publication's other language editions
    page_source: str | None = None  # names the reading PDF (e.g. its file name), the page list's source
    publisher_layout: Path | None = None  # a publisher's own layout folder, searched before layout_dir


def stable_identifier(slug: str, lang: str) -> str:
    """A urn:uuid that stays the same for a publication and language across builds."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'https://kzpress.invalid/{slug}/{lang}')}"


@dataclass
class _Content:
    """The book's XHTML pages and what they hold, before fonts and package are made."""

    pages: list[Page]  # the spine, in reading order
    nav: Page
    toc: list[Heading]
    headings: bool  # whether the text has headings (else the nav has one entry, the text's start)
    images: list[Image]
    page_targets: list[PageTarget]

    def text(self) -> str:
        return "".join(page.text() for page in [*self.pages, self.nav])


def write(document: Document, options: EpubOptions) -> bytes:
    """The EPUB 3 of a Document, as the bytes of the .epub file."""
    metadata = _required(document.metadata)
    language_ = language(metadata.lang, source="document metadata")
    labels = labels_for(language_.tag)
    settings = options.settings or load_settings(options.layout_dir, publisher=options.publisher_layout)
    faces = fonts.embedded_faces(settings, options.fonts_dir)
    content = _content(document, metadata, language_, settings, options)
    embedded = fonts.subset_fonts(faces, fonts.renamed_families(settings), content.text())
    css = stylesheet(settings, embedded, options.layout_dir, justify=language_.hyphenation is not None,
                     publisher=options.publisher_layout)
    facts = accessibility.Contents(
        headings=content.headings,
        page_list=bool(content.page_targets),
        images=len(content.images) + bool(options.reading_pdf),  # the cover is an image too
        animated_images=sum(image.animated for image in content.images),
        notes=any(page.body.find(f".//{tag('aside')}") is not None for page in content.pages),
        stylesheet=css,
    )
    editions = package.Editions(options.identifier, options.source_edition, options.related_editions)
    access = accessibility.assess(facts, settings, labels)
    book = package.new_book(metadata, language_.tag, editions, access, options.page_source if content.page_targets else None)
    for resource in _resources(content, embedded, css, options.reading_pdf, language_.tag):
        book.add_item(resource)
    book.add_item(ebooklib_epub.EpubNcx())
    book.toc = package.ncx_entries(content.toc, itertools.count(1))
    book.spine = [page.id for page in content.pages]
    return package.archive(book, options.modified)


def _resources(
    content: _Content, embedded: list[fonts.EmbeddedFont], css: str, reading_pdf: bytes | None, lang: str
) -> list[package.Resource]:
    """Every file of the book but the package document and the NCX."""
    Resource = package.Resource
    resources = [Resource("stylesheet", STYLESHEET, "text/css", css.encode("utf-8"))]
    resources += [Resource(f"font-{Path(f.file_name).stem}", f.file_name, fonts.FONT_MEDIA_TYPE, f.data) for f in embedded]
    if reading_pdf:
        resources.append(Resource("cover-image", COVER_IMAGE, "image/png", cover_png(reading_pdf), ("cover-image",)))
    resources += [Resource(Path(i.file_name).stem, i.file_name, i.media_type, i.data) for i in content.images]
    for page in [*content.pages, content.nav]:
        resources.append(Resource(page.id, page.file_name, XHTML_MEDIA_TYPE, serialise(page, lang), page.properties))
    return resources


def _content(
    document: Document, metadata: Metadata, language_: Language, settings: Settings, options: EpubOptions
) -> _Content:
    """Cover, title page, colophon, chapters (with page-break markers), font licence, and the nav."""
    labels = labels_for(language_.tag)
    chapters = render_chapters(document, metadata.title, _split_level(options.split_level))
    images = embed_images(chapters, options.resource_dir)
    licences = fonts.licences(options.fonts_dir)
    words = colophon_words(options.layout_dir, language_, options.publisher_layout)
    text_pages = [title_page(metadata, labels), colophon_page(metadata, labels, words, settings, bool(licences))]
    text_pages += [chapter_page(chapter) for chapter in chapters]
    pdf = options.reading_pdf
    targets = mark_pages(page_texts(pdf), [(page.file_name, page.body) for page in text_pages]) if pdf else []
    pages = [cover_page(COVER_IMAGE, cover_alt(metadata), labels)] if pdf else []
    pages += text_pages + ([licence_page(licences, labels)] if licences else [])
    headings = table_of_contents(chapters)
    # A nav's list may not be empty: a text without headings gets one entry, its first page.
    toc = headings or [Heading(1, metadata.title, chapters[0].file_name if chapters else text_pages[0].file_name)]
    nav = nav_page(toc, _landmarks(pages, chapters, labels), targets, labels)
    return _Content(pages, nav, toc, bool(headings), images, targets)


def _required(metadata: Metadata) -> Metadata:
    if not metadata.title.strip():
        raise InputError("document metadata: an EPUB needs a title; add `title:` to the seed's metadata")
    if not metadata.lang.strip():
        raise InputError("document metadata: an EPUB needs a language; add `lang:` (e.g. en-GB) to the seed's metadata")
    return metadata


def _split_level(level: int) -> int:
    if level not in range(0, 7):
        raise InputError(f"EPUB split level {level}: use 1 (a file per top-level section), 2 (and per section "
                         "of the next level) ... up to 6, or 0 (the text in one file)")
    return level


def _landmarks(pages: list[Page], chapters: list[Chapter], labels: Labels) -> list[Landmark]:
    kinds = {"cover": labels.cover, "title-page": labels.title_page}
    landmarks = [Landmark("cover" if page.id == "cover" else "titlepage", page.file_name, kinds[page.id])
                 for page in pages if page.id in kinds]
    if chapters:
        landmarks.append(Landmark("bodymatter", chapters[0].file_name, labels.start_of_text))
    return landmarks


def stylesheet(
    settings: Settings, embedded: list[fonts.EmbeddedFont], layout_dir: Path, *, justify: bool = True,
    publisher: Path | None = None,
) -> str:
    """The e-book's CSS from the same layout settings as the PDF's, naming the embedded subsets;
    `justify` only where reading systems can hyphenate the language (they hyphenate from their own
    dictionaries, which kzpress's pyphen stands in for)."""
    template = environment(layout_dir, publisher).get_template(STYLESHEET_TEMPLATE)
    roles = fonts.font_roles(settings)
    return template.render(settings=settings, font_faces=embedded, fonts=roles, justify=justify)
