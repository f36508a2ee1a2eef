"""Glyph coverage: every character of the page must be in the font the layout sets it in.

WeasyPrint would silently draw a box for a missing glyph, or borrow it from another of kzpress's
fonts (an arrow from PT Mono in a PT Serif paragraph). So before anything is laid out, each text
run of the print HTML is checked against the face the stylesheet gives it: the family by role
(body, heading, code), then bold and italic. `STYLE_RULES` below mirrors layout/pamphlet.css.j2;
tests/test_typesetting.py compares the two on a rendered page so they cannot drift apart.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterator

from lxml import etree

from kzpress.errors import InputError
from kzpress.fonts import FontFace
from kzpress.layout import Settings

# Characters no font carries and no renderer draws from a font: spaces (drawn as advance widths),
# line separators, controls and format characters (soft hyphen, word joiner, bidi marks), and
# variation selectors.
_INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf"}
_VARIATION_SELECTORS = range(0xFE00, 0xFE10)
_BLOCKS = {"p", "li", "dt", "dd", "td", "th", "caption", "figcaption", "pre", "blockquote", "h1", "h2",
           "h3", "h4", "h5", "h6", "div", "section", "header", "footer", "nav", "main", "body"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass(frozen=True)
class Style:
    role: str  # "body", "heading" or "code": which family setting applies
    bold: bool = False
    italic: bool = False


# (tag or .class, what it changes), as pamphlet.css.j2 sets them.
STYLE_RULES: dict[str, dict[str, object]] = {
    **{tag: {"role": "heading", "bold": True, "italic": False} for tag in _HEADINGS},
    **{tag: {"role": "code"} for tag in ("code", "pre", "kbd", "samp", "tt")},
    **{tag: {"italic": True} for tag in ("em", "i", "cite", "var", "dfn", "figcaption", "caption")},
    **{tag: {"bold": True} for tag in ("strong", "b", "th", "dt")},
    ".title": {"role": "heading", "bold": True},
    ".subtitle": {"italic": True},
    ".colophon-title": {"italic": True},
    ".authors": {"role": "heading"},
    ".imprint": {"role": "heading"},
    ".publisher": {"bold": True},
    ".contents-title": {"role": "heading", "bold": True},
    ".footnote": {"role": "body", "bold": False, "italic": False},
    ".drop-cap": {"role": "body", "bold": False, "italic": False},
}
# Running heads repeat the title and the section headings in the body's italic (the margin boxes
# of pamphlet.css.j2); the texts are the headings' `data-title` and the page's title.
RUNNING_HEAD = Style("body", italic=True)


@dataclass(frozen=True)
class Gap:
    character: str
    face: FontFace
    where: str

    def describe(self) -> str:
        code = f"U+{ord(self.character):04X}"
        name = unicodedata.name(self.character, "unnamed character").lower()
        return f"'{self.character}' ({code} {name}) in {self.where}: {self.face.path.name} has no glyph for it"


def check_coverage(page: etree._Element, settings: Settings, faces: list[FontFace], *, source: str) -> None:
    """Raise InputError naming each character the layout's fonts cannot draw, and where it is."""
    fonts = _Fonts(settings, faces)
    gaps: dict[str, Gap] = {}
    for text, style, where in runs(page):
        face = fonts.face(style)
        for character in fonts.uncovered(face, text):
            if character not in gaps and not _invisible(character):
                gaps[character] = Gap(character, face, where())
    if gaps:
        listed = "; ".join(gap.describe() for gap in list(gaps.values())[:5])
        more = f" (and {len(gaps) - 5} more)" if len(gaps) > 5 else ""
        raise InputError(
            f"{source}: the fonts cannot print {listed}{more}; replace the character, or set body_font, "
            "heading_font or code_font to a family in fonts/ that has it"
        )


Where = Callable[[], str]  # describes a run's place; only called for a run with a gap (it reads the block's words)


def runs(page: etree._Element) -> Iterator[tuple[str, Style, Where]]:
    """Every text run of the page with the style it is set in and where it is."""
    title = page.findtext(".//title") or ""
    if title:
        yield title, RUNNING_HEAD, lambda: "the running head (the title)"
    body = page.find(".//body")
    yield from _element_runs(body if body is not None else page, Style("body"), [])


def _element_runs(element: etree._Element, inherited: Style, section: list[str]) -> Iterator[tuple[str, Style, Where]]:
    style = _style(element, inherited)
    if element.tag in _HEADINGS and element.getparent() is not None and element.getparent().tag == "main":
        section[:] = [element.get("data-title") or _words(element)]
        if "section-heading" in (element.get("class") or "").split():
            heading = section[0]
            yield heading, RUNNING_HEAD, lambda: f"the running head for section “{heading}”"
    if element.text:
        yield element.text, style, _later(element, tuple(section))
    for child in element:
        if isinstance(child.tag, str):
            yield from _element_runs(child, style, section)
        if child.tail:
            yield child.tail, style, _later(element, tuple(section))


def _later(element: etree._Element, section: tuple[str, ...]) -> Where:
    return lambda: _where(element, section)


def _style(element: etree._Element, inherited: Style) -> Style:
    values = {"role": inherited.role, "bold": inherited.bold, "italic": inherited.italic}
    tag = element.tag if isinstance(element.tag, str) else ""
    for key in (tag, *(f".{name}" for name in (element.get("class") or "").split())):
        values.update(STYLE_RULES.get(key, {}))
    return Style(**values)


# Parts of the page named by the class of an ancestor, as a reader would call them.
_REGIONS = {"title-page": "the title page", "colophon": "the colophon", "contents": "the contents page"}
_BLOCK_NAMES = {"li": "list item", "td": "table cell", "th": "table heading", "pre": "code block",
                "figcaption": "figure caption", "caption": "table caption", "dt": "term", "dd": "definition"}


def _where(element: etree._Element, section: tuple[str, ...]) -> str:
    for ancestor in (element, *element.iterancestors()):
        classes = (ancestor.get("class") or "").split()
        region = next((_REGIONS[name] for name in classes if name in _REGIONS), None)
        if region:
            return region
        if "footnote" in classes:
            return f"{_place(section)}a footnote beginning “{_words(ancestor)}”"
        if ancestor.tag in _HEADINGS:
            return f"the heading “{_words(ancestor)}”"
        if ancestor.tag in _BLOCKS:
            return f"{_place(section)}{_BLOCK_NAMES.get(ancestor.tag, 'paragraph')} beginning “{_words(ancestor)}”"
    return f"{_place(section)}the text"


def _place(section: tuple[str, ...]) -> str:
    return f"section “{section[0]}”, " if section else ""


def _words(element: etree._Element, count: int = 8) -> str:
    words = "".join(element.itertext()).replace("\u00ad", "").split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def _invisible(character: str) -> bool:
    return unicodedata.category(character) in _INVISIBLE or ord(character) in _VARIATION_SELECTORS


class _Fonts:
    """The face WeasyPrint would choose for a style, and the characters each face maps."""

    def __init__(self, settings: Settings, faces: list[FontFace]):
        self._families = {"body": settings.body_font, "heading": settings.heading_font, "code": settings.code_font}
        self._faces = faces
        self._cmaps: dict[FontFace, frozenset[str]] = {}
        self._chosen: dict[Style, FontFace] = {}

    def face(self, style: Style) -> FontFace:
        if style not in self._chosen:
            self._chosen[style] = self._choose(style)
        return self._chosen[style]

    def _choose(self, style: Style) -> FontFace:
        family = self._families[style.role]
        candidates = [face for face in self._faces if face.family == family]
        if not candidates:
            known = ", ".join(sorted({face.family for face in self._faces}))
            raise InputError(f"layout: no font of the family '{family}' in fonts/; use one of {known}")
        # Like CSS font matching: the style first (an absent italic is slanted from the upright),
        # then the weight nearest to bold (700) or regular (400).
        wanted_style = "italic" if style.italic else "normal"
        styled = [face for face in candidates if face.style == wanted_style] or candidates
        weight = 700 if style.bold else 400
        return min(styled, key=lambda face: (abs(face.weight - weight), face.path.name))

    def uncovered(self, face: FontFace, text: str) -> list[str]:
        """The characters of `text` the face has no glyph for, each once, in the order they come."""
        if face not in self._cmaps:
            self._cmaps[face] = frozenset(map(chr, _character_map(face)))
        covered = self._cmaps[face]
        return [character for character in dict.fromkeys(text) if character not in covered]


def _character_map(face: FontFace) -> list[int]:
    """The code points the face maps to glyphs (kept in the derived cache: reading a cmap takes fontTools
    tens of milliseconds a font)."""
    from kzpress.derived import cached_json, file_stamp

    def read() -> list[int]:
        from fontTools.ttLib import TTFont

        with TTFont(face.path, lazy=True) as font:
            return sorted(font.getBestCmap())

    return cached_json("cmap", [file_stamp(face.path)], read)
