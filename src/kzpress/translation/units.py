"""Translation units: the pieces of a Document a translator translates, with formatting as codes.

A unit is a run of inlines (a paragraph, heading, caption, table cell, footnote paragraph, title...)
turned into text and codes: inlines that wrap words (emphasis, links, spans...) become paired codes
around their words; inlines without translatable words (code, maths, footnote marks, line breaks)
become placeholders. URLs and attributes never enter the text; the skeleton keeps them:

    {"kzpress-skeleton": 1,
     "document": pandoc's JSON with every unit's inline list emptied ([], or "" for a MetaString),
     "units": {unit id: {"at": path to its inline list,
                         "in": [unit id, code id] for text inside a footnote: "at" then starts at that
                               code's template instead of the document,
                         "codes": {code id: template}}}}

A template is the pandoc inline with its translatable inlines emptied: a paired code fills its
template's list at `PAIRED[kind][1]` (the whole "c" when None) with the inlines read from between its
tags; a placeholder is its template as it is; text reads back as Str, Space (" ") and SoftBreak ("\\n"),
adjacent Str joined. So the skeleton and the translated units rebuild the exact AST of any document
pandoc parsed (pandoc never puts a space inside a Str nor two Str side by side; an AST built by hand
that does comes back as pandoc would have it). A line feed inside a Str is an `x-line-feed` placeholder.

A unit's id is its role plus a hash of the words and codes the translator sees (with "-2", "-3"... for
repeats), never its position, so editing, adding or removing one paragraph leaves every other unit's id
and the translation memory behind it untouched; title, subtitle and rights are named by their field.
The code types (`ctype`) are XLIFF 1.2's, with `x-` names where it has none.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any, Iterator, Union

from kzpress.document import Document, Element, stringify

# Inlines whose words are translated inside a <g>: pandoc kind -> (ctype, index of the inline list in
# "c", None when "c" is the list itself).
PAIRED = {
    "Emph": ("italic", None),
    "Strong": ("bold", None),
    "Underline": ("underlined", None),
    "Strikeout": ("x-strikeout", None),
    "SmallCaps": ("x-smallcaps", None),
    "Superscript": ("x-superscript", None),
    "Subscript": ("x-subscript", None),
    "Span": ("x-span", 1),
    "Link": ("link", 1),
    "Image": ("x-image", 1),  # its words are the image description
    "Quoted": ("x-quoted", 1),  # the target language's typography supplies the marks
}
# Inlines with nothing to translate in place, kept whole behind an <x/>.
PLACEHOLDERS = {
    "Code": "x-code",
    "Math": "x-math",
    "RawInline": "x-raw",
    "LineBreak": "lb",
    "Note": "x-footnote",
    "Cite": "x-citation",
}
# The metadata fields a translated edition prints in its own language.
META_ROLES = {"title": "title of the publication", "subtitle": "subtitle of the publication", "rights": "copyright line"}
SECTION_MARK = " › "
_LINE_FEEDS = re.compile(r"([\r\n]+)")
# Stands for the unit whose footnote is being read: its id depends on all its words, so comes last.
_READING = ""

Path = tuple[Union[str, int], ...]


@dataclass(frozen=True)
class Code:
    """An inline kept out of the translatable text: a `<g>` around words or an `<x/>` in their place."""

    id: str  # unique within its unit, the same in source and target
    tag: str  # "g" or "x"
    ctype: str
    template: Element  # the pandoc inline with its translatable inlines emptied
    equiv: str | None = None  # what the placeholder reads as, for tools that show it
    xid: str | None = None  # a footnote mark's first unit


@dataclass(frozen=True)
class Tagged:
    code: Code
    content: tuple["Run", ...] = ()


Run = Union[str, Tagged]


@dataclass(frozen=True)
class Unit:
    """One piece of text a translator translates as a whole, and where it sits in the document."""

    id: str
    role: str  # "paragraph", "heading", "footnote", "table-cell", "title"...
    label: str  # the role in words, for the translator's note
    section: tuple[str, ...] | None  # the headings it sits under; None for metadata
    at: Path  # its inline list: in the document's JSON, or in the template of `within`'s code
    runs: tuple[Run, ...]
    within: tuple[str, str] | None = None  # (unit id, code id) of the footnote mark it belongs to

    @property
    def codes(self) -> list[Code]:
        return list(_codes(self.runs))

    @property
    def note(self) -> str:
        label = self.label[0].upper() + self.label[1:]
        if self.section is None:
            return f"{label}."
        if not self.section:
            return f"{label}." if self.role == "heading" else f"{label} before the first heading."
        return f"{label} in ‘{SECTION_MARK.join(self.section)}’."


_last: list[tuple[Document, tuple[Unit, ...]]] = []


def units(document: Document) -> list[Unit]:
    """Every translatable piece of `document` in reading order, each footnote's text after its paragraph.

    An export works them out for every target language and for its summaries: the last document's are
    kept (with the document itself, so its id cannot be reused by another) and each caller gets its own list."""
    if not _last or _last[0][0] is not document:
        finder = _UnitFinder()
        for key, label in META_ROLES.items():
            finder.meta(document.meta.get(key), key, label)
        finder.blocks(document.blocks, ("blocks",), "paragraph")
        _last[:] = [(document, tuple(finder.units))]
    return list(_last[0][1])


def skeleton(document: Document, found: list[Unit]) -> dict[str, Any]:
    """The document without its translatable text, and where each unit's text and codes go back."""
    emptied = json.loads(json.dumps(document.to_json()))  # a deep copy, three times faster than copy.deepcopy
    entries: dict[str, Any] = {}
    for unit in found:
        entry: dict[str, Any] = {"at": list(unit.at)}
        if unit.within is None:
            _empty(emptied, unit.at)
        else:
            entry["in"] = list(unit.within)
        entry["codes"] = {code.id: code.template for code in unit.codes}
        entries[unit.id] = entry
    return {"kzpress-skeleton": 1, "document": emptied, "units": entries}


class _UnitFinder:
    """Walks blocks in reading order; each role's paragraphs become units, dispatched by pandoc kind."""

    def __init__(self) -> None:
        self.units: list[Unit] = []
        self.section: list[tuple[int, str]] = []  # the open headings, outermost first: (level, words)
        self.footnotes = 0
        self._ids: Counter[str] = Counter()

    def meta(self, value: Element | None, key: str, label: str) -> None:
        if value is None:
            return
        if value["t"] == "MetaInlines":
            self.unit(value["c"], ("meta", key, "c"), key, label, fixed_id=key)
        elif value["t"] == "MetaString" and any(ch.isalpha() for ch in value["c"]):
            self.units.append(Unit(key, key, label, None, ("meta", key, "c"), (value["c"],)))

    def blocks(self, blocks: list[Element], path: Path, role: str) -> None:
        for index, block in enumerate(blocks):
            handler = getattr(self, f"_block_{block['t']}", None)
            if handler is not None:  # code, raw blocks and rules hold nothing to translate
                handler(block, path + (index,), role)

    def unit(self, inlines: list[Element], at: Path, role: str, label: str, *, fixed_id: str | None = None) -> None:
        outer, self.units = self.units, []
        runs = self._runs(inlines, itertools.count(1))
        footnotes, self.units = self.units, outer
        if not (_has_words(runs) or footnotes):
            return
        unit_id = fixed_id or self._new_id(role, runs)
        section = None if fixed_id else tuple(words for _level, words in self.section)
        self.units.append(Unit(unit_id, role, label, section, at, runs))
        for footnote in footnotes:
            mark = footnote.within
            self.units.append(replace(footnote, within=(unit_id, mark[1])) if mark and mark[0] == _READING else footnote)

    def _new_id(self, role: str, runs: tuple[Run, ...]) -> str:
        digest = hashlib.sha1(f"{role}\n{signature(runs)}".encode("utf-8")).hexdigest()[:8]
        base = f"{role}-{digest}"
        self._ids[base] += 1
        return base if self._ids[base] == 1 else f"{base}-{self._ids[base]}"

    def _block_Para(self, block: Element, path: Path, role: str) -> None:
        inlines = block["c"]
        solid = [(index, inline) for index, inline in enumerate(inlines) if inline["t"] not in ("Space", "SoftBreak")]
        if len(solid) == 1 and solid[0][1]["t"] == "Image":
            # A picture on its own: the unit is its description, which then reads like its caption.
            index, image = solid[0]
            self.unit(image["c"][1], path + ("c", index, "c", 1), "image", _image_label(image))
        else:
            self.unit(inlines, path + ("c",), role, role.replace("-", " "))

    _block_Plain = _block_Para

    def _block_Header(self, block: Element, path: Path, role: str) -> None:
        level, _attributes, inlines = block["c"]
        # A heading closes every open section of its level or deeper. Levels count only against each
        # other: a document may start at ## (its title in the metadata) or skip from ## to ####.
        while self.section and self.section[-1][0] >= level:
            self.section.pop()
        self.unit(inlines, path + ("c", 2), "heading", f"section heading (level {level})")
        self.section.append((level, stringify(inlines)))

    def _block_LineBlock(self, block: Element, path: Path, role: str) -> None:
        for index, line in enumerate(block["c"]):
            self.unit(line, path + ("c", index), "line", "separate line (as in a poem or an address)")

    def _block_BlockQuote(self, block: Element, path: Path, role: str) -> None:
        self.blocks(block["c"], path + ("c",), "quotation")

    def _block_Div(self, block: Element, path: Path, role: str) -> None:
        self.blocks(block["c"][1], path + ("c", 1), role)

    def _block_BulletList(self, block: Element, path: Path, role: str) -> None:
        for index, item in enumerate(block["c"]):
            self.blocks(item, path + ("c", index), "list-item")

    def _block_OrderedList(self, block: Element, path: Path, role: str) -> None:
        for index, item in enumerate(block["c"][1]):
            self.blocks(item, path + ("c", 1, index), "list-item")

    def _block_DefinitionList(self, block: Element, path: Path, role: str) -> None:
        for index, (term, definitions) in enumerate(block["c"]):
            self.unit(term, path + ("c", index, 0), "term", "term in a definition list")
            for number, definition in enumerate(definitions):
                self.blocks(definition, path + ("c", index, 1, number), "definition")

    def _block_Figure(self, block: Element, path: Path, role: str) -> None:
        self.blocks(block["c"][2], path + ("c", 2), role)
        self._caption(block["c"][1], path + ("c", 1), "figure-caption")

    def _block_Table(self, block: Element, path: Path, role: str) -> None:
        _attributes, caption, _columns, head, bodies, foot = block["c"]
        self._caption(caption, path + ("c", 1), "table-caption")
        self._rows(head[1], path + ("c", 3, 1), "table-heading")
        for index, body in enumerate(bodies):
            self._rows(body[2], path + ("c", 4, index, 2), "table-heading")
            self._rows(body[3], path + ("c", 4, index, 3), "table-cell")
        self._rows(foot[1], path + ("c", 5, 1), "table-cell")

    def _rows(self, rows: list[Any], path: Path, role: str) -> None:
        for row_index, (_attributes, cells) in enumerate(rows):
            for cell_index, cell in enumerate(cells):
                self.blocks(cell[4], path + (row_index, 1, cell_index, 4), role)

    def _caption(self, caption: list[Any], path: Path, role: str) -> None:
        short, blocks = caption
        if short:
            self.unit(short, path + (0,), role, f"short {role.replace('-', ' ')} (for lists of figures and tables)")
        self.blocks(blocks, path + (1,), role)

    def _runs(self, inlines: list[Element], numbers: Iterator[int]) -> tuple[Run, ...]:
        runs: list[Run] = []
        for inline in inlines:
            kind = inline["t"]
            if kind == "Str":
                runs.extend(self._words(inline["c"], numbers))
            elif kind in ("Space", "SoftBreak"):
                runs.append(" " if kind == "Space" else "\n")
            elif kind in PAIRED and not _is_autolink(inline):
                runs.append(self._paired(inline, numbers))
            else:
                runs.append(Tagged(self._placeholder(inline, str(next(numbers)))))
        return _joined(runs)

    def _words(self, text: str, numbers: Iterator[int]) -> Iterator[Run]:
        # A line break inside a Str (from a character reference such as &#10;) would read back as a
        # SoftBreak, so it is kept apart as a placeholder; the importer joins the Str pieces again.
        for piece in _LINE_FEEDS.split(text):
            if _LINE_FEEDS.fullmatch(piece):
                yield Tagged(Code(str(next(numbers)), "x", "x-line-feed", {"t": "Str", "c": piece}))
            elif piece:
                yield piece

    def _paired(self, inline: Element, numbers: Iterator[int]) -> Tagged:
        code_id = str(next(numbers))  # numbered before its content: codes count in reading order
        ctype, index = PAIRED[inline["t"]]
        content = inline["c"] if index is None else inline["c"][index]
        template = {"t": inline["t"], "c": [] if index is None else _with(inline["c"], index, [])}
        return Tagged(Code(code_id, "g", ctype, template), self._runs(content, numbers))

    def _placeholder(self, inline: Element, code_id: str) -> Code:
        kind = inline["t"]
        if kind == "Note":
            return self._footnote(inline, code_id)
        if _is_autolink(inline):
            return Code(code_id, "x", "x-autolink", inline)  # the address is not text to translate
        ctype = PLACEHOLDERS.get(kind, f"x-{kind.lower()}")
        return Code(code_id, "x", ctype, inline, _equivalent(inline))

    def _footnote(self, note: Element, code_id: str) -> Code:
        self.footnotes += 1
        number = self.footnotes
        start = len(self.units)
        self.blocks(note["c"], ("c",), "footnote")
        inside = self.units[start:]
        paragraphs = itertools.count(1)
        for index, unit in enumerate(inside):
            if unit.within is None:
                label = f"{unit.label} in footnote {number}"
                if unit.role == "footnote":
                    paragraph = next(paragraphs)
                    label = f"footnote {number}" + (f", paragraph {paragraph}" if paragraph > 1 else "")
                inside[index] = replace(unit, within=(_READING, code_id), label=label)
        self.units[start:] = inside
        template = copy.deepcopy(note)
        for unit in inside:
            if unit.within == (_READING, code_id):
                _empty(template, unit.at)
        return Code(code_id, "x", "x-footnote", template, str(number), inside[0].id if inside else None)


def _joined(runs: list[Run]) -> tuple[Run, ...]:
    joined: list[Run] = []
    for run in runs:
        if isinstance(run, str) and joined and isinstance(joined[-1], str):
            joined[-1] += run
        else:
            joined.append(run)
    return tuple(joined)


def _codes(runs: tuple[Run, ...]) -> Iterator[Code]:
    for run in runs:
        if isinstance(run, Tagged):
            yield run.code
            yield from _codes(run.content)


def signature(runs: tuple[Run, ...]) -> str:
    """The words and tags a translator sees: what a unit's id is made from."""
    return "".join(
        run if isinstance(run, str) else f"<{run.code.ctype}>{signature(run.content)}</>" for run in runs
    )


def _has_words(runs: tuple[Run, ...]) -> bool:
    # Units of digits or punctuation alone (a year in a table) are noise to a translator.
    return any(
        any(ch.isalpha() for ch in run) if isinstance(run, str) else _has_words(run.content) for run in runs
    )


def _is_autolink(inline: Element) -> bool:
    if inline["t"] != "Link":
        return False
    url, text = inline["c"][2][0], stringify(inline["c"][1])
    return url in (text, f"mailto:{text}")


def _equivalent(inline: Element) -> str | None:
    kind, content = inline["t"], inline.get("c")
    if kind in ("Code", "Math", "RawInline"):
        return content[-1]
    if kind == "Cite":
        return stringify(content[1])
    return None


def _image_label(image: Element) -> str:
    url = image["c"][2][0]
    name = PurePosixPath(url).name
    if url.startswith("data:") or not name or len(name) > 60:
        return "description of an image"
    return f"description of the image ‘{name}’"


def _with(content: list[Any], index: int, value: Any) -> list[Any]:
    return [value if position == index else item for position, item in enumerate(content)]


def _empty(node: Any, at: Path) -> None:
    """Take out the translatable inlines at `at`, keeping a MetaString recognisable as a string."""
    for key in at[:-1]:
        node = node[key]
    node[at[-1]] = "" if isinstance(node[at[-1]], str) else []
