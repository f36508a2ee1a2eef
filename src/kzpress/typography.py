"""Typewriter punctuation made typographic for the document's language.

Straight quotes become the language's quotation marks, chosen from context across a whole block
(a mark after the start, a space, an opening bracket, a dash or an opening quote opens; otherwise
it closes). `"` opens the language's outer pair and `'` its inner pair; a quote inside a quote
takes the other pair, so nesting alternates. A `'` between letters or digits, before a digit
('90s), after a word with no single quote open (workers'), or opening a quote that never closes
('tis) is the language's apostrophe. pandoc `Quoted` nodes get the same marks. `--` becomes the
language's dash, `---` an em dash, a hyphen standing between spaces the language's dash, and `...`
an ellipsis. The space after a one-letter preposition, conjunction or pronoun of Russian or Ukrainian
(в, к, с, и, а, я…) becomes a no-break space, as their typesetting has it, and so does the space after
© in every language: no line ends with them.

The metadata printed as text (title, subtitle, authors, publisher, rights line, translators) gets the
same typography; identifiers, dates, language tags and layout settings never do, nor a web or e-mail
address written in a metadata string.

Code, raw and math elements and link targets are never touched, and text already typographic comes
out exactly as it went in, so `smarten` is idempotent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kzpress.document import Document, Element, walk
from kzpress.language import Language

EM_DASH = "—"
ELLIPSIS = "…"
DASHES = "-–—"
OPENING_BRACKETS = "([{<"
UNIVERSAL_OPENING_QUOTES = "«‹„‚“‘"
NO_BREAK_SPACE = "\u00a0"
WORD_JOINER = "\u2060"  # no glyph, no width, no line break on either side (kzpress.glyphs lets it pass)
# One-letter words a line may not end with, by language: Russian and Ukrainian typesetting binds
# these prepositions, conjunctions and pronouns to the word after them with a no-break space.
BOUND_WORDS = {
    "ru": frozenset("вксоуиаяВКСОУИАЯ"),
    "uk": frozenset("вузійаояВУЗІЙАОЯ"),
}
BOUND_SIGNS = frozenset("©")  # in every language, bound to what follows: © 2026 never breaks

# Glyphs of a block's running text are its characters, plus these stand-ins (never one character,
# so never mistaken for text): elements that count as a word, and the ends of pandoc Quoted nodes.
OPAQUE = "<opaque>"
OPEN_DOUBLE, CLOSE_DOUBLE = "<open-double>", "<close-double>"
OPEN_SINGLE, CLOSE_SINGLE = "<open-single>", "<close-single>"
_QUOTE_GLYPHS = frozenset(('"', "'", OPEN_DOUBLE, OPEN_SINGLE, CLOSE_DOUBLE, CLOSE_SINGLE))

# Containers whose content is prose. Every other element without a Str of its own (Code, Math,
# RawInline, and Note, whose blocks are smartened on their own) counts as one opaque word.
INLINE_CONTENT = {"Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"}

# Metadata read as prose on the title page, colophon and e-book metadata: each a string or a list of them.
# The others (lang, date, targets, layout...) are identifiers and settings, and stay exactly as written.
PRINTED_METADATA = ("title", "subtitle", "author", "publisher", "rights", "translator")
# A web or e-mail address in a metadata word, apart from the brackets, quotes and punctuation around it:
# its ' " -- ... are part of the address.
_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S+|[^\s@]+@[^\s@]+\.[^\s@]+", re.IGNORECASE)
_AROUND_ADDRESS = re.compile(r"([\"'(\[<«“‘„]*)(.*?)([\"'.,;:!?)\]>»”’]*)", re.DOTALL)
_VERBATIM = "kzpress-verbatim"  # stands for an address while the rest of its value is smartened


def smarten(document: Document, language: Language) -> Document:
    """The document with typographic quotes, apostrophes, dashes and ellipses for `language`."""
    smartened = document.walk(lambda element: _smarten_block(element, language))
    meta = dict(smartened.meta)
    for key in PRINTED_METADATA:
        if key in meta:
            meta[key] = _smarten_meta(meta[key], language)
    return Document(meta=meta, blocks=smartened.blocks, api_version=smartened.api_version)


def smarten_text(text: str, language: Language) -> str:
    """One run of prose (a block's worth) made typographic."""
    return "".join(_decide(list(text), language))


def _smarten_block(element: Element, language: Language) -> Element | None:
    kind = element["t"]
    if kind in ("Para", "Plain"):
        return {"t": kind, "c": smarten_inlines(element["c"], language)}
    if kind == "Header":
        level, attr, content = element["c"]
        return {"t": kind, "c": [level, attr, smarten_inlines(content, language)]}
    if kind == "LineBlock":
        return {"t": kind, "c": [smarten_inlines(line, language) for line in element["c"]]}
    if kind == "DefinitionList":
        return {"t": kind, "c": [[smarten_inlines(term, language), definitions] for term, definitions in element["c"]]}
    return None


def _smarten_meta(value: dict[str, Any], language: Language) -> dict[str, Any]:
    kind = value["t"]
    if kind == "MetaList":  # several authors or translators: each name on its own
        return {"t": kind, "c": [_smarten_meta(item, language) for item in value["c"]]}
    if kind == "MetaString":
        inlines = [{"t": "Str", "c": piece} for piece in re.split(r"(\s+)", value["c"]) if piece]
        return {"t": kind, "c": "".join(element["c"] for element in _smarten_keeping_addresses(inlines, language))}
    if kind == "MetaInlines":
        return {"t": kind, "c": _smarten_keeping_addresses(value["c"], language)}
    if kind == "MetaBlocks":
        return {"t": kind, "c": walk(value["c"], lambda element: _smarten_block(element, language))}
    return value  # a mapping or a yes/no is no printed text


def _smarten_keeping_addresses(inlines: list[Element], language: Language) -> list[Element]:
    """Inlines smartened with every address in them read as one word and left as it is."""

    def hide(element: Element) -> list[Element] | None:
        if element["t"] != "Str":
            return None
        before, word, after = _AROUND_ADDRESS.fullmatch(element["c"]).groups()
        if not _ADDRESS.fullmatch(word):
            return None
        pieces = [{"t": "Str", "c": before}, {"t": _VERBATIM, "c": word}, {"t": "Str", "c": after}]
        return [piece for piece in pieces if piece["c"]]

    def show(element: Element) -> Element | None:
        return {"t": "Str", "c": element["c"]} if element["t"] == _VERBATIM else None

    joined: list[Element] = []
    for element in walk(smarten_inlines(walk(inlines, hide), language), show):
        _append(joined, element)  # an address and the marks around it were one Str, as pandoc reads them
    return joined


def smarten_inlines(inlines: list[Element], language: Language) -> list[Element]:
    """A block's inlines smartened as one running text, so quotes pair across its elements."""
    glyphs: list[str] = []
    _collect(inlines, glyphs)
    decided = _decide(glyphs, language)
    if decided == glyphs:  # typographic already (and pandoc's readers never leave two Str side by side)
        return inlines
    return _rebuild(inlines, iter(decided))


# -- the running text -------------------------------------------------------------------------


def _collect(inlines: list[Element], glyphs: list[str]) -> None:
    for element in inlines:
        kind, content = element["t"], element.get("c")
        if kind == "Str":
            glyphs.extend(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            glyphs.append(" ")
        elif kind == "Quoted":
            double = content[0]["t"] == "DoubleQuote"
            glyphs.append(OPEN_DOUBLE if double else OPEN_SINGLE)
            _collect(content[1], glyphs)
            glyphs.append(CLOSE_DOUBLE if double else CLOSE_SINGLE)
        elif _children(element) is not None:
            _collect(_children(element), glyphs)
        else:
            glyphs.append(OPAQUE)


def _children(element: Element) -> list[Element] | None:
    """The prose inside an inline container; None for elements that have none to smarten."""
    kind, content = element["t"], element.get("c")
    if kind in INLINE_CONTENT:
        return content
    if kind in ("Link", "Image", "Span", "Cite"):
        return content[1]  # after the attributes or citations; a link's target is never prose
    return None


def _rebuild(inlines: list[Element], decided) -> list[Element]:
    """The same inlines with each glyph's decided text put back in place."""
    result: list[Element] = []
    for element in inlines:
        kind, content = element["t"], element.get("c")
        if kind == "Str":
            _append_str(result, "".join(next(decided) for _ in content))
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            space = next(decided)
            if space == NO_BREAK_SPACE and kind != "LineBreak":
                _append_str(result, space)  # bound: one Str with the words either side, as pandoc reads it
            else:
                result.append(element)
        elif kind == "Quoted":
            _append_str(result, next(decided))
            for inner in _rebuild(content[1], decided):
                _append(result, inner)
            _append_str(result, next(decided))
        elif _children(element) is not None:
            result.append(_with_children(element, _rebuild(_children(element), decided)))
        else:
            next(decided)
            result.append(element)
    return result


def _with_children(element: Element, children: list[Element]) -> Element:
    kind, content = element["t"], element["c"]
    if kind in INLINE_CONTENT:
        return {"t": kind, "c": children}
    return {"t": kind, "c": [content[0], children, *content[2:]]}


def _append(result: list[Element], element: Element) -> None:
    if element["t"] == "Str":
        _append_str(result, element["c"])
    else:
        result.append(element)


def _append_str(result: list[Element], text: str) -> None:
    """Add text, merged into a Str just before it, as pandoc's readers would have it."""
    if not text:
        return
    if result and result[-1]["t"] == "Str":
        result[-1] = {"t": "Str", "c": result[-1]["c"] + text}
    else:
        result.append({"t": "Str", "c": text})


# -- deciding each glyph ----------------------------------------------------------------------


@dataclass
class _OpenQuote:
    position: int
    straight: str  # '"' or "'"
    pair: int  # 0 outer, 1 inner


@dataclass
class _Quotes:
    """The quotes open so far in a block, innermost last."""

    language: Language
    stack: list[_OpenQuote] = field(default_factory=list)
    abandoned: list[_OpenQuote] = field(default_factory=list)  # closed over by an outer quote

    def open(self, position: int, straight: str) -> str:
        pair = (1 - self.stack[-1].pair) if self.stack else (0 if straight == '"' else 1)
        self.stack.append(_OpenQuote(position, straight, pair))
        return self.language.quotes[2 * pair]

    def close(self, straight: str) -> str | None:
        """The closing mark for the innermost quote opened with `straight`; None if none is open."""
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].straight == straight:
                pair = self.stack[depth].pair
                self.abandoned.extend(self.stack[depth + 1 :])
                del self.stack[depth:]
                return self.language.quotes[2 * pair + 1]
        return None


def _decide(glyphs: list[str], language: Language) -> list[str]:
    """What each glyph becomes: itself, a typographic mark, or '' where two glyphs became one."""
    decided = list(glyphs)
    quotes = _Quotes(language)
    index, count = 0, len(glyphs)
    while index < count:
        glyph = glyphs[index]
        if glyph in _QUOTE_GLYPHS:
            decided[index] = _quote(glyphs, decided, index, quotes)
        elif glyph == "-":
            index = _dash(glyphs, decided, index, language)
            continue
        elif glyph == "." and glyphs[index + 1 : index + 3] == [".", "."]:
            decided[index : index + 3] = [ELLIPSIS, "", ""]
            index += 3
            continue
        index += 1
    for unclosed in quotes.stack + quotes.abandoned:  # 'tis: a single quote never closed was an apostrophe
        if unclosed.straight == "'" and glyphs[unclosed.position] == "'":
            decided[unclosed.position] = language.apostrophe
    _bind(glyphs, decided, language)
    return decided


def _bind(glyphs: list[str], decided: list[str], language: Language) -> None:
    """A no-break space after each of the language's one-letter BOUND_WORDS and each BOUND_SIGN, so a
    line never ends with it; a space already no-break, or one at the end of the text, stays as it is."""
    words = BOUND_WORDS.get(language.primary, frozenset())
    for index in range(len(glyphs) - 2):
        glyph = glyphs[index]
        if glyphs[index + 1] != " " or glyphs[index + 2] == " ":
            continue
        if glyph in BOUND_SIGNS or (glyph in words and _starts_word(glyphs, index, language)):
            decided[index + 1] = NO_BREAK_SPACE


def _starts_word(glyphs: list[str], index: int, language: Language) -> bool:
    """The glyph at `index` begins a word: it opens the text or follows a space, bracket or opening quote."""
    if index == 0:
        return True
    before = glyphs[index - 1]
    return before in (" ", NO_BREAK_SPACE, OPEN_DOUBLE, OPEN_SINGLE, '"', "'") or (
        len(before) == 1 and (before in OPENING_BRACKETS or before in UNIVERSAL_OPENING_QUOTES
                              or before in language.quotes[0::2]))


def _quote(glyphs: list[str], decided: list[str], index: int, quotes: _Quotes) -> str:
    glyph = glyphs[index]
    if glyph in (OPEN_DOUBLE, OPEN_SINGLE):
        return quotes.open(index, '"' if glyph == OPEN_DOUBLE else "'")
    if glyph in (CLOSE_DOUBLE, CLOSE_SINGLE):
        straight = '"' if glyph == CLOSE_DOUBLE else "'"
        return quotes.close(straight) or quotes.language.quotes[1 if straight == '"' else 3]
    before = _previous(decided, index)
    after = glyphs[index + 1] if index + 1 < len(glyphs) else None
    opening = _opens_after(before, quotes.language) and after is not None and after != " "
    if glyph == "'":
        return _single(before, after, opening, index, quotes)
    if opening:
        return quotes.open(index, '"')
    return quotes.close('"') or quotes.language.quotes[1]


def _single(before: str | None, after: str | None, opening: bool, index: int, quotes: _Quotes) -> str:
    apostrophe = quotes.language.apostrophe
    if _wordlike(before) and _wordlike(after):
        return apostrophe  # don't, Kazakhstan's, О'Брайен
    if opening:
        return apostrophe if after.isdigit() else quotes.open(index, "'")
    return quotes.close("'") or apostrophe  # workers'


def _previous(decided: list[str], index: int) -> str | None:
    """The glyph before `index` as decided so far (skipping glyphs merged away)."""
    for earlier in range(index - 1, -1, -1):
        if decided[earlier]:
            return decided[earlier]
    return None


def _wordlike(glyph: str | None) -> bool:
    return glyph == OPAQUE or (glyph is not None and len(glyph) == 1 and glyph.isalnum())


def _opens_after(glyph: str | None, language: Language) -> bool:
    if glyph is None:
        return True
    if len(glyph) != 1:
        return False  # an opaque element reads as a word
    if glyph.isspace() or glyph in DASHES or glyph in OPENING_BRACKETS:
        return True
    closing = {language.quotes[1], language.quotes[3]}
    opening = (set(UNIVERSAL_OPENING_QUOTES) | {language.quotes[0], language.quotes[2]}) - closing
    return glyph in opening


def _dash(glyphs: list[str], decided: list[str], index: int, language: Language) -> int:
    """Turn the run of hyphens at `index` into a dash where it stands for one; the index after it."""
    end = index
    while end < len(glyphs) and glyphs[end] == "-":
        end += 1
    run = end - index
    spaced = index > 0 and glyphs[index - 1] == " " and end < len(glyphs) and glyphs[end] == " "
    if run == 2 or (run == 1 and spaced):
        decided[index] = language.dash
    elif run == 3:
        decided[index] = EM_DASH
    else:
        return end  # a hyphen, or a long row of them drawn as a line: leave it
    decided[index + 1 : end] = [""] * (run - 1)
    return end
