"""HTML for print: the Document's body through pandoc's HTML writer, in the layout's Jinja2 page.

This is the page WeasyPrint lays out; the PDF backend is this writer plus an engine. Beyond pandoc's
HTML, the page gets what print needs: footnotes moved to the place that cites them (the stylesheet
floats them to the foot of that page), each tied to the word before it so that its call never starts
a line, a no-break space before each spaced dash so that no line starts with the dash, the address of
every external link as a footnote, a page reference after every internal link, a contents page when
there are enough sections, a colophon, and soft hyphens at every permitted break in the document's
language (kzpress.hyphenation). Before the page is returned, every character is checked against the
fonts that will set it (kzpress.glyphs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from lxml import etree
from lxml import html as lxml_html

from kzpress import __version__, justify, pandoc
from kzpress.document import Document
from kzpress.errors import KzpressError
from kzpress.fonts import font_faces
from kzpress.glyphs import check_coverage
from kzpress.hyphenation import SOFT_HYPHEN, hyphenator
from kzpress.language import Language, language
from kzpress.layout import DESIGNS, Settings, environment
from kzpress.layout import labels as layout_labels
from kzpress.typography import NO_BREAK_SPACE, WORD_JOINER

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
EXTERNAL = re.compile(r"^(https?|ftp|mailto):", re.IGNORECASE)
# Block elements pandoc may put in a note; inside a footnote's <span> they become spans of their own
# (class note-<tag>) that the stylesheet sets as blocks, so the note stays valid inside a paragraph.
NOTE_BLOCKS = {"p", "div", "ul", "ol", "li", "blockquote", "pre", "dl", "dt", "dd", "figure", "figcaption",
               "table", "thead", "tbody", "tr", "td", "th", "caption", "hr", *HEADINGS}
# Text that is never hyphenated: headings and the title page are set ragged, code is literal, and an
# address must survive copying.
UNHYPHENATED = {"head", "title", "style", "code", "pre", "kbd", "samp", "script", *HEADINGS}
UNHYPHENATED_CLASSES = {"url", "title-page", "contents", "colophon"}


@dataclass(frozen=True)
class HtmlOptions:
    layout_dir: Path
    fonts_dir: Path
    settings: Settings
    created: str  # ISO 8601 date-time for the PDF's metadata: from the document, never the clock
    # CSS added after the pamphlet's stylesheet, e.g. the press PDF's overrides (backends/press.py)
    extra_stylesheets: tuple[str, ...] = ()
    source: str = "document"  # names the document in error messages, e.g. the seed's slug
    publisher_layout: Path | None = None  # a publisher's own layout folder, searched before layout_dir


def body(document: Document) -> str:
    return pandoc.from_json(document.to_json(), *pandoc.HTML)


def write(document: Document, options: HtmlOptions) -> bytes:
    meta = document.metadata
    language_ = language(meta.lang or "en", source=options.source)
    labels = _labels(options, language_)
    text = print_body(body(document), drop_cap=options.settings.drop_cap)
    contents = _contents(text, options.settings)
    templates = _templates(options.layout_dir, options.publisher_layout)
    faces = font_faces(options.fonts_dir)
    stylesheet = "\n".join(
        template.render(
            settings=options.settings, font_faces=faces, labels=labels, justified_as_measured=justify.applies()
        )
        for template in _stylesheets(templates, options.settings.design)
    )
    stylesheet = "\n".join((stylesheet, *options.extra_stylesheets))
    design_page = templates.select_template([f"{DESIGNS}/{options.settings.design}.html.j2", "pamphlet.html.j2"])
    page = design_page.render(
        meta=meta,
        body=_serialise_children(text),
        contents=contents,
        labels=labels,
        language_name=labels["languages"].get(language_.primary, language_.name),
        typeset_with=labels["typeset_with"].format(
            body_font=options.settings.body_font, heading_font=options.settings.heading_font
        ),
        stylesheet=stylesheet,
        created=options.created,
        version=__version__,
    )
    tree = lxml_html.document_fromstring(page)
    check_coverage(tree, options.settings, faces, source=options.source)
    hyphenate(tree, language_)
    return lxml_html.tostring(tree.getroottree(), encoding="utf-8", doctype="<!DOCTYPE html>")


@lru_cache(maxsize=4)
def _templates(layout_dir: Path, publisher: Path | None):
    """The layout's Jinja2 environment, one a process: it keeps the templates it compiled (and reloads
    one whose file changed, as under `kzpress watch`)."""
    templates = environment(layout_dir, publisher)
    templates.filters["css_string"] = css_string
    templates.filters["scale"] = scale_length
    return templates


def print_body(body_html: str, *, drop_cap: bool = False) -> etree._Element:
    """pandoc's body as a <div> made for print: notes in place, headings labelled, links readable."""
    text = lxml_html.fragment_fromstring(body_html, create_parent="div")
    _label_headings(text)
    _footnotes_in_place(text)
    _readable_links(text)
    _bind_note_calls(text)
    bind_spaced_dashes(text)
    _mark_opening(text, drop_cap=drop_cap)
    return text


def _label_headings(text: etree._Element) -> None:
    """Each heading's plain text in `data-title` (bookmarks and running heads), and an id; the
    headings of the top level present are `section-heading`s, which the running heads follow."""
    headings = list(text.iter(*HEADINGS))
    top = min((int(heading.tag[1]) for heading in headings), default=1)
    for number, heading in enumerate(headings, start=1):
        heading.set("data-title", plain_text(heading))
        if not heading.get("id"):
            heading.set("id", f"section-{number}")
        if int(heading.tag[1]) == top:
            heading.set("class", " ".join(["section-heading", *(heading.get("class") or "").split()]))


def plain_text(element: etree._Element, is_call: Callable[[etree._Element], bool] | None = None) -> str:
    """The element's text without its note calls (`is_call`: how to know one; the print page's by
    default, the e-book's in epub.chapters), on one line."""
    is_call = is_call or _is_note_call
    parts = [element.text or ""]
    for child in element:
        if not is_call(child):
            parts.append(plain_text(child, is_call))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _is_note_call(element: etree._Element) -> bool:
    return element.get("role") == "doc-noteref" or "footnote" in (element.get("class") or "").split()


def _footnotes_in_place(text: etree._Element) -> None:
    """Move each note of pandoc's end-of-document list into a <span class="footnote"> at its call."""
    endnotes = text.find(".//section[@role='doc-endnotes']")
    if endnotes is None:
        return
    notes = {item.get("id"): item for item in endnotes.iterfind("./ol/li")}
    for call in text.xpath(".//a[@role='doc-noteref']"):
        item = notes.get(call.get("href", "").lstrip("#"))
        if item is None:
            continue
        note = text.makeelement("span", {"class": "footnote"})
        note.text = item.text
        for child in list(item):
            note.append(child)
        for back in note.xpath(".//a[@role='doc-backlink']"):
            back.drop_tree()
        for block in note.iter(*NOTE_BLOCKS):
            block.set("class", " ".join([f"note-{block.tag}", *(block.get("class") or "").split()]))
            block.tag = "span"
        note.tail = call.tail
        call.getparent().replace(call, note)
    endnotes.drop_tree()


def _readable_links(text: etree._Element) -> None:
    """External links print their address (as a footnote, or in brackets inside one); internal ones a page."""
    for link in list(text.iter("a")):
        target = link.get("href") or ""
        if target.startswith("#") and link.get("role") is None:
            link.set("class", " ".join(["cross-reference", *(link.get("class") or "").split()]))
            continue
        if not EXTERNAL.match(target):
            continue
        address = re.sub(r"^mailto:", "", target, flags=re.IGNORECASE)
        if _same_address(link.text_content(), address):
            link.set("class", "url")
            continue
        in_note = any("footnote" in (parent.get("class") or "") for parent in link.iterancestors())
        shown = text.makeelement("span", {"class": "url"})
        shown.text = address
        if in_note:
            shown.text, shown.tail = f"({address})", link.tail
            link.tail = " "
            link.addnext(shown)
            continue
        note = text.makeelement("span", {"class": "footnote link-note"})
        note.append(shown)
        note.tail = link.tail
        link.tail = None
        link.addnext(note)


def _bind_note_calls(text: etree._Element) -> None:
    """A word joiner before each note: its call (::footnote-call) never starts a line cut off from
    the word it belongs to. Without it the line may break between "pay." and "¹", which Unicode
    line breaking allows after a full stop before a digit."""
    for note in text.xpath(".//span[contains(concat(' ', @class, ' '), ' footnote ')]"):
        previous = note.getprevious()
        if previous is None:
            parent = note.getparent()
            parent.text = (parent.text or "") + WORD_JOINER
        else:
            previous.tail = (previous.tail or "") + WORD_JOINER


def bind_spaced_dashes(text: etree._Element) -> None:
    """A no-break space before each spaced dash (word – word, слово — слово), so a line never starts
    with the dash: it stays at the end of the line with the word before it, as Russian typesetting
    requires and English house styles ask. Unicode line breaking allows the break before an em dash
    after a space (in a 60 mm measure of Russian text, a quarter of the lines started with one).
    Code is left as written. The e-book's chapters get the same (kzpress.epub.chapters)."""

    def visit(element: etree._Element) -> None:
        if element.tag in ("code", "pre"):
            return
        if element.text and element is not text:
            element.text = _SPACED_DASH.sub(NO_BREAK_SPACE + r"\1", element.text)
        for child in element:
            if isinstance(child.tag, str):
                visit(child)
            if child.tail:  # after a line break, a space before the dash starts the line: left alone
                spaced = _SPACED_DASH if child.tag == "br" else _SPACED_DASH_AFTER_ELEMENT
                child.tail = spaced.sub(NO_BREAK_SPACE + r"\1", child.tail)

    visit(text)


# A space between a word (or an element) and a dash followed by a space or the end of the text.
_SPACED_DASH = re.compile(r"(?<=\S) ([–—])(?=\s|$)")
_SPACED_DASH_AFTER_ELEMENT = re.compile(r"(?:(?<=\S)|^) ([–—])(?=\s|$)")


def _same_address(shown: str, address: str) -> bool:
    def bare(value: str) -> str:
        return re.sub(r"^(https?://)?(www\.)?", "", value.strip().lower()).rstrip("/")

    return bare(shown) == bare(address)


# An initial takes the opening punctuation before it along (“The → “T): a quote mark alone would
# hang as the initial, the letter after it in the text.
_INITIAL = re.compile(r"^([\"'“‘«„‚(\[]*\w)(.*)$", re.DOTALL)


def _mark_opening(text: etree._Element, *, drop_cap: bool) -> None:
    """The text's first paragraph (of the text or its first section) is `opening`; with `drop_cap`,
    its first letter is a span.drop-cap."""
    for element in text:
        if element.tag in HEADINGS:
            continue
        if element.tag != "p":
            return
        element.set("class", " ".join(["opening", *(element.get("class") or "").split()]))
        initial = _INITIAL.match(element.text or "")
        if drop_cap and initial:
            letter = element.makeelement("span", {"class": "drop-cap"})
            letter.text, letter.tail = initial.group(1), initial.group(2)
            element.text = None
            element.insert(0, letter)
        return


def _contents(text: etree._Element, settings: Settings) -> list[dict[str, Any]]:
    """The contents entries (the top two heading levels) when there are enough top-level sections."""
    headings = [heading for heading in text.iter(*HEADINGS)]
    if not headings:
        return []
    top = min(int(heading.tag[1]) for heading in headings)
    sections = [heading for heading in headings if int(heading.tag[1]) == top]
    if len(sections) < settings.contents_min_sections:
        return []
    return [
        {"level": int(heading.tag[1]) - top + 1, "id": heading.get("id"), "title": heading.get("data-title")}
        for heading in headings
        if int(heading.tag[1]) <= top + 1
    ]


def hyphenate(tree: etree._Element, language_: Language) -> None:
    """Soft hyphens at every permitted break of the running text, in each element's language."""
    hyphenators: dict[str, Any] = {}

    def for_language(tag: str):
        if tag not in hyphenators:
            try:
                hyphenators[tag] = hyphenator(language(tag))
            except KzpressError:
                hyphenators[tag] = None  # a language kzpress does not know is left unbroken
        return hyphenators[tag]

    def visit(element: etree._Element, tag: str, skip: bool) -> None:
        tag = element.get("lang") or tag
        classes = set((element.get("class") or "").split())
        skip = skip or element.tag in UNHYPHENATED or bool(classes & UNHYPHENATED_CLASSES)
        words = None if skip else for_language(tag)
        if words and element.text:
            element.text = words.text(element.text)
        for child in element:
            if isinstance(child.tag, str):
                visit(child, tag, skip)
            if words and child.tail:
                child.tail = words.text(child.tail)

    visit(tree, language_.tag, False)
    for block in tree.iter("p", "li", "dd", "figcaption", "caption"):
        _last_word_whole(block)


def _last_word_whole(block: etree._Element) -> None:
    """A paragraph's last word is not broken: its tail alone on the last line reads like a slip."""
    slots = []

    def collect(element: etree._Element) -> None:
        slots.append((element, "text"))
        for child in element:
            if isinstance(child.tag, str) and "footnote" not in (child.get("class") or ""):
                collect(child)
            slots.append((child, "tail"))

    collect(block)
    for owner, slot in reversed(slots):
        value = getattr(owner, slot) or ""
        words = list(re.finditer(r"[^\W\d_]+(?:\u00ad[^\W\d_]+)*", value))
        if words:
            last = words[-1]
            setattr(owner, slot, value[: last.start()] + last.group(0).replace(SOFT_HYPHEN, "") + value[last.end():])
            return


def _stylesheets(templates, design: str) -> list[Any]:
    """pamphlet.css.j2, then the rules the design adds or changes (designs/<name>.css.j2), if it has any."""
    import jinja2

    sheets = [templates.get_template("pamphlet.css.j2")]
    try:
        sheets.append(templates.get_template(f"{DESIGNS}/{design}.css.j2"))
    except jinja2.TemplateNotFound:
        pass
    return sheets


def _labels(options: HtmlOptions, language_: Language) -> dict[str, Any]:
    table = layout_labels(options.layout_dir, options.publisher_layout)
    return table.get(language_.primary) or table["en"]


def scale_length(length: str, factor: float) -> str:
    """A CSS length such as a setting's "10pt" multiplied: "8.5pt"."""
    number, unit = re.fullmatch(r"([\d.]+)([a-z%]*)", length.strip()).groups()
    return f"{float(number) * factor:g}{unit}"


def css_string(value: str) -> str:
    """A value as the inside of a CSS string literal."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")


def _serialise_children(element: etree._Element) -> str:
    parts = [element.text or ""]
    parts.extend(lxml_html.tostring(child, encoding="unicode") for child in element)
    return "".join(parts)
