"""The XHTML pages of the e-book, built as lxml trees and serialised at the end.

Cover, title page and colophon (what the PDF's title page and colophon say), one page per chapter,
the font licences, and the navigation document (contents, landmarks, page list). Pages stay trees
until the page-break markers and the font subsets have seen their final text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from lxml import etree

from kzpress.document import Metadata
from kzpress.epub.chapters import EPUB_TYPE, OPS, XHTML, XML_LANG, Chapter, Heading, element, tag
from kzpress.epub.labels import ColophonWords, Labels
from kzpress.layout import Settings
from kzpress.epub.page_list import PageTarget

STYLESHEET = "styles/epub.css"
LICENCE_PAGE = "fonts-licence.xhtml"


@dataclass
class Page:
    """One XHTML content document: its manifest id, file name, <title> and <body>."""

    id: str
    file_name: str
    title: str
    body: Any
    properties: tuple[str, ...] = ()

    def text(self) -> str:
        return "".join(self.body.itertext())


class Landmark(NamedTuple):
    kind: str  # its epub:type
    href: str
    label: str


def _page(uid: str, file_name: str, title: str, *sections: Any, properties: tuple[str, ...] = ()) -> Page:
    body = element("body")
    body.extend(sections)
    return Page(uid, file_name, title, body, properties)


def cover_page(image_file: str, alt: str, labels: Labels) -> Page:
    section = element("section", class_="cover", epub_type="cover")
    section.append(element("img", src=image_file, alt=alt, role="doc-cover"))
    return _page("cover", "cover.xhtml", labels.cover, _indented(section))


def cover_alt(metadata: Metadata) -> str:
    """The words on the PDF's title page, which the cover image shows, as sentences."""
    date_line = ", ".join(part for part in (metadata.publisher, metadata.date) if part)
    parts = [metadata.title, metadata.subtitle, ", ".join(metadata.authors), date_line]
    return " ".join(part if part.endswith((".", "!", "?")) else f"{part}." for part in parts if part)


def title_page(metadata: Metadata, labels: Labels) -> Page:
    section = element("section", class_="title-page", epub_type="titlepage")
    section.append(element("h1", metadata.title, class_="title"))
    _lines(section, ("subtitle", metadata.subtitle), ("authors", ", ".join(metadata.authors)))
    imprint = element("div", class_="imprint")
    _lines(imprint, ("publisher", metadata.publisher), ("date", metadata.date))
    if len(imprint):
        section.append(imprint)
    return _page("title-page", "title-page.xhtml", labels.title_page, _indented(section))


def _lines(parent: Any, *lines: tuple[str, str | None]) -> None:
    for css_class, text in lines:
        if text:
            parent.append(element("p", text, class_=css_class))


def colophon_page(
    metadata: Metadata, labels: Labels, words: ColophonWords, settings: Settings, has_licence: bool
) -> Page:
    """The PDF's colophon, line for line: title, authors, translators, rights, imprint, language, typefaces."""
    section = element("section", class_="colophon", epub_type="colophon", **{"aria-label": labels.colophon})
    title = f"{metadata.title}. {metadata.subtitle}" if metadata.subtitle else metadata.title
    translators = ", ".join(metadata.translators)
    lines = [
        ("colophon-title", title),
        ("authors", ", ".join(metadata.authors)),
        ("translators", f"{words.translated_by} {translators}" if translators else ""),
        ("rights", metadata.rights),
        ("imprint", ", ".join(part for part in (metadata.publisher, metadata.date) if part)),
        ("language", f"{words.language}: {words.language_name}"),
    ]
    _lines(section, *lines)
    typeset = element("p", words.typeset_with.format(body_font=settings.body_font, heading_font=settings.heading_font),
                      class_="typeset")
    if has_licence:  # the fonts' licence travels with them: the colophon links to it
        typeset.text += " "
        typeset.append(element("a", labels.font_licence, href=LICENCE_PAGE))
    section.append(typeset)
    _indented(section)
    if has_licence:
        typeset[-1].tail = None  # mixed content: no indentation before </p>
    return _page("colophon", "colophon.xhtml", labels.colophon, section)


def licence_page(licences: list[tuple[str, str]], labels: Labels) -> Page:
    """The font licences, word for word, as they require to travel with the fonts (in English)."""
    section = element("section", class_="font-licence", epub_type="appendix")
    section.append(element("h1", labels.font_licence))
    for _name, text in licences:
        section.append(element("pre", text.strip("\n"), class_="licence", lang="en", **{XML_LANG: "en"}))
    return _page("fonts-licence", LICENCE_PAGE, labels.font_licence, _indented(section))


def chapter_page(chapter: Chapter) -> Page:
    section = element("section", "\n", class_="opening" if chapter.opening else "chapter")
    if not chapter.opening:
        section.set(EPUB_TYPE, "chapter")
    section.extend(chapter.content)
    for part in section:
        part.tail = "\n"
    return _page(chapter.file_name.removesuffix(".xhtml"), chapter.file_name, chapter.title, section)


def nav_page(toc: list[Heading], landmarks: list[Landmark], pages: list[PageTarget], labels: Labels) -> Page:
    contents = element("nav", id="toc", role="doc-toc", epub_type="toc")
    contents.append(element("h1", labels.contents))
    contents.append(_toc_list(toc))
    guide = element("nav", id="landmarks", hidden="hidden", epub_type="landmarks")
    guide.append(element("h2", labels.landmarks))
    guide.append(_list([(landmark.label, landmark.href, landmark.kind) for landmark in landmarks]))
    navs = [contents, guide]
    if pages:
        page_list = element("nav", id="page-list", role="doc-pagelist", hidden="hidden", epub_type="page-list")
        page_list.append(element("h2", labels.pages))
        page_list.append(_list([(str(target.number), target.href, None) for target in pages]))
        navs.append(page_list)
    return _page("nav", "nav.xhtml", labels.contents, *map(_indented, navs), properties=("nav",))


def _toc_list(headings: list[Heading]) -> Any:
    entries = element("ol")
    for heading in headings:
        item = element("li")
        item.append(element("a", heading.title, href=heading.href))
        if heading.children:
            item.append(_toc_list(heading.children))
        entries.append(item)
    return entries


def _list(links: list[tuple[str, str, str | None]]) -> Any:
    entries = element("ol")
    for label, href, kind in links:
        item = element("li")
        link = element("a", label, href=href)
        if kind:
            link.set(EPUB_TYPE, kind)
        item.append(link)
        entries.append(item)
    return entries


def _indented(section: Any) -> Any:
    """kzpress's own markup, indented for a person opening the file (no text of the seed inside)."""
    etree.indent(section)
    return section


def serialise(page: Page, lang: str) -> bytes:
    """The page as an XHTML5 document in `lang`, linked to the stylesheet."""
    root = etree.Element(tag("html"), nsmap={None: XHTML, "epub": OPS})
    root.set("lang", lang)
    root.set(XML_LANG, lang)
    head = etree.SubElement(root, tag("head"))
    head.append(element("meta", charset="utf-8"))
    head.append(element("title", page.title))
    head.append(element("link", rel="stylesheet", type="text/css", href=STYLESHEET))
    etree.indent(head)
    root.append(page.body)
    root.text = head.tail = page.body.text = "\n"
    for part in page.body:
        part.tail = "\n"
    page.body.tail = "\n"
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")
