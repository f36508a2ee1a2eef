"""EPUB 3: a title page, one XHTML file per top-level section, a nav document, embedded fonts.

The body is pandoc's html5 rendering of the Document's JSON, done once and split at the level-1
headings with lxml. kzpress serialises every XHTML page itself; ebooklib only writes the package
document, the NCX and the zip, which `_reproducible` then rewrites with fixed timestamps so the
same Document always gives the same bytes.
"""

from __future__ import annotations

import io
import itertools
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from ebooklib import epub
from lxml import etree
from lxml import html as lxml_html

from kzpress import pandoc
from kzpress.document import Document, Metadata
from kzpress.errors import InputError
from kzpress.fonts import FontFace, font_faces
from kzpress.language import language
from kzpress.layout import Settings, environment, load_settings

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{OPS}}}type"
HEADINGS = tuple(f"{{{XHTML}}}h{level}" for level in range(1, 7))
STYLESHEET = "styles/epub.css"
STYLESHEET_TEMPLATE = "epub.css.j2"
# The core media type EPUBCheck 5 accepts silently; application/font-sfnt and the older names
# each draw an OPF-090 usage note.
FONT_MEDIA_TYPE = "font/ttf"
# The zip format's own epoch: no clock reading may reach the archive.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# dc:date must be W3CDTF; a free-text date ("Spring 2022") still shows on the title page.
W3CDTF_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class NavLabels(NamedTuple):
    """The words the nav document shows, in the book's language."""

    contents: str
    landmarks: str
    title_page: str
    start_of_text: str


_LABELS = {
    "en": NavLabels("Contents", "Landmarks", "Title page", "Start of text"),
    "de": NavLabels("Inhalt", "Orientierungspunkte", "Titelseite", "Textbeginn"),
    "es": NavLabels("Índice", "Puntos de referencia", "Portada", "Inicio del texto"),
    "ru": NavLabels("Содержание", "Ориентиры", "Титульный лист", "Начало текста"),
    "uk": NavLabels("Зміст", "Орієнтири", "Титульна сторінка", "Початок тексту"),
    "kk": NavLabels("Мазмұны", "Бағдарлар", "Титул беті", "Мәтіннің басы"),
}


@dataclass(frozen=True)
class EpubOptions:
    fonts_dir: Path
    layout_dir: Path
    identifier: str  # dc:identifier, e.g. from `stable_identifier`
    modified: str  # ISO 8601 timestamp for dcterms:modified, chosen by the caller
    settings: Settings | None = None  # the edition's design; None: layout_dir's settings.yaml as it is


def stable_identifier(slug: str, lang: str) -> str:
    """A urn:uuid that stays the same for a publication and language across builds."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'https://kzpress.invalid/{slug}/{lang}')}"


@dataclass
class Chapter:
    """One XHTML file of the body: the text before the first level-1 heading, or one such section."""

    file_name: str
    title: str
    content: list[Any]  # XHTML elements, moved into the page's <section> when serialised


@dataclass
class Heading:
    level: int
    title: str
    href: str
    children: list["Heading"] = field(default_factory=list)


def write(document: Document, options: EpubOptions) -> bytes:
    """The EPUB 3 of a Document, as the bytes of the .epub file."""
    metadata = _required(document.metadata)
    tag = language(metadata.lang, source="document metadata").tag
    labels = _LABELS.get(tag.split("-")[0].lower(), _LABELS["en"])
    chapters = render_chapters(document, metadata.title)
    toc = table_of_contents(chapters)
    settings = options.settings or load_settings(options.layout_dir)
    faces = embedded_faces(settings, options.fonts_dir)
    css = stylesheet(settings, faces, options.layout_dir)

    book = _book(metadata, tag, options.identifier)
    book.add_item(epub.EpubItem(uid="stylesheet", file_name=STYLESHEET, media_type="text/css", content=css.encode()))
    for face in faces:
        book.add_item(_font(face))
    pages = [_Page("title-page", "title-page.xhtml", title_page(metadata, tag))]
    pages += [_Page(Path(c.file_name).stem, c.file_name, chapter_page(c, tag)) for c in chapters]
    landmarks = [("titlepage", pages[0].file_name, labels.title_page)]
    if chapters:
        landmarks.append(("bodymatter", chapters[0].file_name, labels.start_of_text))
    if not toc:  # a nav's list may not be empty: a text without headings gets one entry
        toc = [Heading(1, metadata.title, pages[min(1, len(pages) - 1)].file_name)]
    nav = _Page("nav", "nav.xhtml", nav_page(toc, landmarks, labels, tag), ("nav",))
    for page in [*pages, nav]:
        book.add_item(page)
    book.add_item(epub.EpubNcx())
    book.toc = _ncx_entries(toc, itertools.count(1))
    book.spine = [page.id for page in pages]
    return _archive(book, options.modified)


def _required(metadata: Metadata) -> Metadata:
    if not metadata.title.strip():
        raise InputError("document metadata: an EPUB needs a title; add `title:` to the seed's metadata")
    if not metadata.lang.strip():
        raise InputError("document metadata: an EPUB needs a language; add `lang:` (e.g. en-GB) to the seed's metadata")
    return metadata


# --- The body: pandoc's html5, split into chapters --------------------------------------------


def render_chapters(document: Document, book_title: str) -> list[Chapter]:
    """Pandoc's html5 for the whole body, as XHTML elements split at the level-1 headings."""
    fragment = pandoc.from_json(
        document.to_json(), "html5", "--wrap=none", "--syntax-highlighting=none",
        # Notes close the top-level section they belong to, so they land in that chapter's file.
        "--reference-location=section",
    )
    chapters = _split(_xhtml_elements(fragment), book_title)
    for chapter in chapters:
        _name_headings(chapter)
        for element in chapter.content:
            _mark_notes(element)
    _link_across_chapters(chapters)
    return chapters


def _xhtml_elements(fragment: str) -> list[Any]:
    """Parse an HTML fragment forgivingly (raw HTML in a seed need not be XML) into XHTML elements."""
    container = lxml_html.fragment_fromstring(fragment, create_parent="div")
    etree.strip_elements(container, etree.Comment, with_tail=False)  # pandoc's separators between lists
    for element in container.iter():
        if isinstance(element.tag, str) and not element.tag.startswith("{"):
            element.tag = f"{{{XHTML}}}{element.tag}"
    return list(container)


def _split(elements: list[Any], book_title: str) -> list[Chapter]:
    chapters: list[Chapter] = []
    numbers = itertools.count(1)
    for element in elements:
        if element.tag == HEADINGS[0]:
            chapters.append(Chapter(f"chapter-{next(numbers):02d}.xhtml", _text(element), []))
        elif not chapters:
            chapters.append(Chapter("opening.xhtml", book_title, []))
        chapters[-1].content.append(element)
    return chapters


def _text(element: Any) -> str:
    """An element's text for a title or the nav, without the numbers of notes called from it."""
    parts = [element.text or ""]
    for child in element:
        if not _is_note_reference(child):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _is_note_reference(element: Any) -> bool:
    return element.tag == f"{{{XHTML}}}a" and "footnote-ref" in element.get("class", "").split()


def _name_headings(chapter: Chapter) -> None:
    """Give every heading an id so the nav can point at it (pandoc leaves empty ids empty)."""
    taken = {el.get("id") for part in chapter.content for el in part.iter() if el.get("id")}
    numbers = itertools.count(1)
    for heading in _headings_in(chapter):
        if not heading.get("id"):
            heading.set("id", next(f"heading-{n}" for n in numbers if f"heading-{n}" not in taken))


def _headings_in(chapter: Chapter) -> Iterator[Any]:
    for part in chapter.content:
        yield from part.iter(*HEADINGS)


def _mark_notes(element: Any) -> None:
    """Add EPUB's note semantics to pandoc's note markup, so reading systems can pop notes up."""
    for reference in element.iter(f"{{{XHTML}}}a"):
        if _is_note_reference(reference):
            reference.set(EPUB_TYPE, "noteref")
    for notes in element.iter(f"{{{XHTML}}}aside"):
        if "footnotes" in notes.get("class", "").split():
            notes.set(EPUB_TYPE, "footnotes")


def _link_across_chapters(chapters: list[Chapter]) -> None:
    """Point `#id` links at the file that now holds the id, since the split moved it."""
    home = {el.get("id"): c.file_name for c in chapters for part in c.content for el in part.iter() if el.get("id")}
    for chapter in chapters:
        for part in chapter.content:
            for link in part.iter(f"{{{XHTML}}}a"):
                href = link.get("href") or ""
                target = href[1:] if href.startswith("#") else None
                if target in home and home[target] != chapter.file_name:
                    link.set("href", f"{home[target]}#{target}")


def table_of_contents(chapters: list[Chapter]) -> list[Heading]:
    """The heading hierarchy of the body; a chapter's opening heading points at the file itself."""
    roots: list[Heading] = []
    open_headings: list[Heading] = []
    for chapter in chapters:
        for element in _headings_in(chapter):
            level = HEADINGS.index(element.tag) + 1
            href = chapter.file_name if element is chapter.content[0] else f"{chapter.file_name}#{element.get('id')}"
            heading = Heading(level, _text(element), href)
            while open_headings and open_headings[-1].level >= level:
                open_headings.pop()
            (open_headings[-1].children if open_headings else roots).append(heading)
            open_headings.append(heading)
    return roots


# --- XHTML pages ------------------------------------------------------------------------------


def _element(name: str, text: str | None = None, **attributes: str) -> Any:
    element = etree.Element(f"{{{XHTML}}}{name}", {k.rstrip("_"): v for k, v in attributes.items()})
    element.text = text
    return element


def xhtml_page(title: str, lang: str, body: list[Any]) -> bytes:
    root = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": OPS})
    root.set("lang", lang)
    root.set(XML_LANG, lang)
    head = etree.SubElement(root, f"{{{XHTML}}}head")
    head.append(_element("title", title))
    head.append(_element("link", rel="stylesheet", type="text/css", href=STYLESHEET))
    etree.indent(head)
    body_element = etree.SubElement(root, f"{{{XHTML}}}body")
    body_element.extend(body)
    root.text = head.tail = body_element.text = "\n"
    for element in body:
        element.tail = "\n"
    body_element.tail = "\n"
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


def chapter_page(chapter: Chapter, lang: str) -> bytes:
    opening = chapter.content[0].tag != HEADINGS[0]
    section = _element("section", "\n", class_="opening" if opening else "chapter")
    if not opening:
        section.set(EPUB_TYPE, "chapter")
    section.extend(chapter.content)
    return xhtml_page(chapter.title, lang, [section])


def title_page(metadata: Metadata, lang: str) -> bytes:
    section = _element("section", class_="title-page")
    section.set(EPUB_TYPE, "titlepage")
    lines = [
        ("h1", metadata.title, "title"),
        ("p", metadata.subtitle, "subtitle"),
        ("p", ", ".join(metadata.authors) or None, "authors"),
        ("p", metadata.publisher, "publisher"),
        ("p", metadata.date, "date"),
        ("p", metadata.rights, "rights"),
    ]
    for name, text, css_class in lines:
        if text:
            section.append(_element(name, text, class_=css_class))
    etree.indent(section)
    return xhtml_page(metadata.title, lang, [section])


def nav_page(toc: list[Heading], landmarks: list[tuple[str, str, str]], labels: NavLabels, lang: str) -> bytes:
    contents = _element("nav", id="toc", role="doc-toc")
    contents.set(EPUB_TYPE, "toc")
    contents.append(_element("h1", labels.contents))
    contents.append(_toc_list(toc))
    guide = _element("nav", id="landmarks", hidden="hidden")
    guide.set(EPUB_TYPE, "landmarks")
    guide.append(_element("h2", labels.landmarks))
    entries = _element("ol")
    for kind, href, label in landmarks:
        item = _element("li")
        link = _element("a", label, href=href)
        link.set(EPUB_TYPE, kind)
        item.append(link)
        entries.append(item)
    guide.append(entries)
    for nav in (contents, guide):
        etree.indent(nav)  # all of it is kzpress's own markup: no text to disturb
    return xhtml_page(labels.contents, lang, [contents, guide])


def _toc_list(headings: list[Heading]) -> Any:
    entries = _element("ol")
    for heading in headings:
        item = _element("li")
        item.append(_element("a", heading.title, href=heading.href))
        if heading.children:
            item.append(_toc_list(heading.children))
        entries.append(item)
    return entries


# --- Stylesheet and fonts ---------------------------------------------------------------------


def embedded_faces(settings: Settings, fonts_dir: Path) -> list[FontFace]:
    """The faces of the families the design names: the only fonts the stylesheet uses."""
    families = {"body_font": settings.body_font, "heading_font": settings.heading_font, "code_font": settings.code_font}
    faces = [face for face in font_faces(fonts_dir) if face.family in families.values()]
    for name, family in families.items():
        if not any(face.family == family for face in faces):
            raise InputError(f"layout: {name} '{family}' has no font file in {fonts_dir}; an EPUB carries its fonts")
    return faces


def stylesheet(settings: Settings, faces: list[FontFace], layout_dir: Path) -> str:
    return environment(layout_dir).get_template(STYLESHEET_TEMPLATE).render(settings=settings, font_faces=faces)


def _font(face: FontFace) -> epub.EpubItem:
    uid = "font-" + re.sub(r"[^a-z0-9]+", "-", face.path.stem.lower())
    return epub.EpubItem(
        uid=uid, file_name=f"fonts/{face.path.name}", media_type=FONT_MEDIA_TYPE, content=face.path.read_bytes()
    )


# --- Package and archive ----------------------------------------------------------------------


class _Page(epub.EpubItem):
    """An XHTML page kzpress serialised itself; ebooklib's EpubHtml would re-parse it as HTML."""

    def __init__(self, uid: str, file_name: str, content: bytes, properties: tuple[str, ...] = ()):
        super().__init__(uid=uid, file_name=file_name, media_type="application/xhtml+xml", content=content)
        self.properties = list(properties)  # ebooklib writes them into the manifest item


def _book(metadata: Metadata, lang: str, identifier: str) -> epub.EpubBook:
    book = epub.EpubBook()
    book.set_identifier(identifier)
    book.title = metadata.title  # the NCX's docTitle
    book.add_metadata("DC", "title", metadata.title, {"id": "title"})
    book.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    if metadata.subtitle:
        book.add_metadata("DC", "title", metadata.subtitle, {"id": "subtitle"})
        book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    book.set_language(lang)
    for number, author in enumerate(metadata.authors, 1):
        book.add_author(author, role="aut", uid=f"author-{number}")
    for number, translator in enumerate(metadata.translators, 1):
        book.add_metadata("DC", "contributor", translator, {"id": f"translator-{number}"})
        book.add_metadata(
            None, "meta", "trl", {"refines": f"#translator-{number}", "property": "role", "scheme": "marc:relators"}
        )
    for name, value in (("publisher", metadata.publisher), ("rights", metadata.rights)):
        if value:
            book.add_metadata("DC", name, value)
    if metadata.date and W3CDTF_DATE.match(metadata.date):
        book.add_metadata("DC", "date", metadata.date)
    return book


def _ncx_entries(headings: list[Heading], ids: Iterator[int]) -> list[Any]:
    entries: list[Any] = []
    for heading in headings:
        link = epub.Link(heading.href, heading.title, f"toc-{next(ids)}")
        entries.append((link, _ncx_entries(heading.children, ids)) if heading.children else link)
    return entries


def _archive(book: epub.EpubBook, modified: str) -> bytes:
    moment = datetime.fromisoformat(modified)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    buffer = io.BytesIO()
    writer = epub.EpubWriter(buffer, book, {"mtime": moment, "epub3_pages": False, "epub2_guide": False})
    writer.process()
    writer.write()
    return _reproducible(buffer.getvalue())


def _reproducible(archive: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps and modes, `mimetype` first and stored (OCF requires it)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(output, "w") as target:
        entries = sorted(source.infolist(), key=lambda entry: entry.filename != "mimetype")
        for entry in entries:
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if entry.filename == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds
            info.external_attr = 0o100644 << 16
            target.writestr(info, source.read(entry), compresslevel=9)
    return output.getvalue()
