"""The body of the e-book: pandoc's html5 of the Document, split into chapters, with EPUB 3 semantics.

Pandoc renders the whole body once, its notes gathered at the end. The elements are split into one
chapter per top-level section (`split_level` 1: at each heading of the highest level the text uses;
2: that level and the next...; the text before the first such heading is the `opening`); each chapter
then gets the notes it calls as EPUB 3 footnotes (`<aside epub:type="footnote">` with a link back) at
its end, every heading an id, and `#id` links that the split moved to another file are pointed at that
file. A link the e-book cannot follow (to an id no element has, or to a file beside the seed) is the
writer's to fix, and refused with its address.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from lxml import etree
from lxml import html as lxml_html

from kzpress import pandoc
from kzpress.document import Document
from kzpress.errors import InputError

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{OPS}}}type"
HEADINGS = tuple(f"{{{XHTML}}}h{level}" for level in range(1, 7))
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # an address that leaves the book (https:, mailto:...)


def tag(name: str) -> str:
    return f"{{{XHTML}}}{name}"


def element(name: str, text: str | None = None, **attributes: str) -> Any:
    """An XHTML element; `class_` stands for `class`, `epub_type` for `epub:type`."""
    node = etree.Element(tag(name))
    for key, value in attributes.items():
        node.set(EPUB_TYPE if key == "epub_type" else key.rstrip("_"), value)
    node.text = text
    return node


@dataclass
class Chapter:
    """One XHTML file of the body: the text before the first split heading, or one such section."""

    file_name: str
    title: str
    content: list[Any]  # XHTML elements, moved into the page's <section> when it is built
    opening: bool = False


@dataclass
class Heading:
    level: int
    title: str
    href: str
    children: list["Heading"] = field(default_factory=list)


def render_chapters(document: Document, book_title: str, split_level: int = 1) -> list[Chapter]:
    """Pandoc's html5 for the whole body, as XHTML elements split at the headings of `split_level` or above."""
    fragment = pandoc.from_json(document.to_json(), *pandoc.HTML)  # the same HTML as the print page's
    elements = xhtml_elements(fragment)
    notes = _take_notes(elements)
    for part in elements:
        _mark_languages(part)
        _mark_table_headers(part)
    chapters = _split(elements, book_title, split_level)
    for chapter in chapters:
        _name_headings(chapter)
        _attach_notes(chapter, notes)
    _link_across_chapters(chapters)
    _check_links(chapters)
    return chapters


def xhtml_elements(fragment: str) -> list[Any]:
    """Parse an HTML fragment forgivingly (raw HTML in a seed need not be XML) into XHTML elements."""
    from kzpress.backends.html import bind_spaced_dashes

    container = lxml_html.fragment_fromstring(fragment, create_parent="div")
    etree.strip_elements(container, etree.Comment, with_tail=False)  # pandoc's separators between lists
    bind_spaced_dashes(container)  # no line of a reading system starts with a spaced dash either
    for node in container.iter():
        if isinstance(node.tag, str) and not node.tag.startswith("{"):
            node.tag = tag(node.tag)
    return list(container)


def _take_notes(elements: list[Any]) -> dict[str, Any]:
    """Remove pandoc's end-of-document notes section; return its notes (`<li id="fnN">`) by id."""
    for part in elements:
        if part.tag == tag("section") and "footnotes" in part.get("class", "").split():
            elements.remove(part)
            return {note.get("id"): note for note in part.iter(tag("li")) if note.get("id")}
    return {}


def _mark_languages(part: Any) -> None:
    """XHTML reading systems look for xml:lang: give it to every element the text marks with `lang`."""
    for node in part.iter():
        if isinstance(node.tag, str) and node.get("lang"):
            node.set(XML_LANG, node.get("lang"))


def _mark_table_headers(part: Any) -> None:
    """Say which cells a header cell heads, so screen readers announce it with each data cell."""
    for cell in part.iter(tag("th")):
        row = cell.getparent()
        in_head = row is not None and row.getparent() is not None and row.getparent().tag == tag("thead")
        cell.set("scope", "col" if in_head else "row")


def _split(elements: list[Any], book_title: str, split_level: int) -> list[Chapter]:
    top = min((HEADINGS.index(part.tag) for part in elements if part.tag in HEADINGS), default=0)
    chapters: list[Chapter] = []
    numbers = itertools.count(1)
    for part in elements:
        if part.tag in HEADINGS[top:top + split_level]:
            chapters.append(Chapter(f"chapter-{next(numbers):02d}.xhtml", text_of(part), []))
        elif not chapters:
            chapters.append(Chapter("opening.xhtml", book_title, [], opening=True))
        chapters[-1].content.append(part)
    return chapters


def text_of(node: Any) -> str:
    """An element's text for a title or the nav, without the numbers of notes called from it."""
    from kzpress.backends.html import plain_text

    return plain_text(node, is_note_reference)


def is_note_reference(node: Any) -> bool:
    return node.tag == tag("a") and "footnote-ref" in node.get("class", "").split()


def _ids(chapter: Chapter) -> set[str]:
    return {node.get("id") for part in chapter.content for node in part.iter() if node.get("id")}


def _name_headings(chapter: Chapter) -> None:
    """Give every heading an id so the nav can point at it (pandoc leaves empty ids empty)."""
    taken = _ids(chapter)
    numbers = itertools.count(1)
    for heading in headings_in(chapter):
        if not heading.get("id"):
            heading.set("id", next(f"heading-{n}" for n in numbers if f"heading-{n}" not in taken))


def headings_in(chapter: Chapter) -> Iterator[Any]:
    for part in chapter.content:
        yield from part.iter(*HEADINGS)


def _attach_notes(chapter: Chapter, notes: dict[str, Any]) -> None:
    """End the chapter with the notes it calls, as EPUB 3 footnotes a reading system can pop up."""
    asides = []
    for reference in [node for part in chapter.content for node in part.iter(tag("a")) if is_note_reference(node)]:
        reference.set(EPUB_TYPE, "noteref")
        note = notes.pop(reference.get("href", "").lstrip("#"), None)
        if note is not None:
            asides.append(_footnote(note, reference))
    if asides:
        collection = element("section", "\n", class_="footnotes", epub_type="footnotes")
        collection.extend(asides)
        for aside in asides:
            aside.tail = "\n"
        chapter.content.append(collection)


def _footnote(note: Any, reference: Any) -> Any:
    """Pandoc's `<li id="fnN">` as `<aside epub:type="footnote">`, its number linking back to the call."""
    aside = element("aside", id=note.get("id"), class_="footnote", epub_type="footnote", role="doc-footnote")
    for back in [node for node in note.iter(tag("a")) if "footnote-back" in node.get("class", "").split()]:
        _remove_keeping_tail(back)  # pandoc's ↩︎ needs a glyph the book's fonts lack; the number links back
    content = list(note)
    first = content[0] if content and content[0].tag == tag("p") else None
    if first is None:  # a note opening with a list or code: its number gets a paragraph of its own
        first = element("p")
        content.insert(0, first)
    call = f"#{reference.get('id')}"
    number = element("a", text_of(reference), href=call, class_="footnote-back", role="doc-backlink")
    number.tail = " " + (first.text or "")
    first.text = None
    first.insert(0, number)
    aside.extend(content)
    return aside


def _remove_keeping_tail(node: Any) -> None:
    parent, previous = node.getparent(), node.getprevious()
    tail = (node.tail or "").rstrip()
    if previous is not None:
        previous.tail = (previous.tail or "").rstrip() + tail
    else:
        parent.text = (parent.text or "").rstrip() + tail
    parent.remove(node)


def _link_across_chapters(chapters: list[Chapter]) -> None:
    """Point `#id` links at the file that now holds the id, since the split moved it."""
    home = {anchor: chapter.file_name for chapter in chapters for anchor in _ids(chapter)}
    for chapter in chapters:
        for part in chapter.content:
            for link in part.iter(tag("a")):
                href = link.get("href") or ""
                target = href[1:] if href.startswith("#") else None
                if target in home and home[target] != chapter.file_name:
                    link.set("href", f"{home[target]}#{target}")


def _check_links(chapters: list[Chapter]) -> None:
    files = {chapter.file_name: _ids(chapter) for chapter in chapters}
    for chapter in chapters:
        for part in chapter.content:
            for link in part.iter(tag("a")):
                href = link.get("href")
                if href is None or _SCHEME.match(href):
                    continue
                file_name, _, anchor = href.partition("#")
                ids = files.get(file_name or chapter.file_name)
                if ids is None:
                    raise InputError(f"{href}: a link to a file the e-book does not carry; link to a web address "
                                     "or to a heading of the text (#its-id)")
                if anchor and anchor not in ids:
                    raise InputError(f"#{anchor}: a link to an id no heading or element of the text has; "
                                     f"correct the link or give the heading that id ({{#{anchor}}})")


def table_of_contents(chapters: list[Chapter]) -> list[Heading]:
    """The heading hierarchy of the body; a chapter's opening heading points at the file itself."""
    roots: list[Heading] = []
    open_headings: list[Heading] = []
    for chapter in chapters:
        for node in headings_in(chapter):
            level = HEADINGS.index(node.tag) + 1
            href = chapter.file_name if node is chapter.content[0] else f"{chapter.file_name}#{node.get('id')}"
            heading = Heading(level, text_of(node), href)
            while open_headings and open_headings[-1].level >= level:
                open_headings.pop()
            (open_headings[-1].children if open_headings else roots).append(heading)
            open_headings.append(heading)
    return roots
