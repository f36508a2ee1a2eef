"""Plain text to a Document: the structure its writer meant, from the conventions plain text uses.

Recognised, decided per document:

- paragraphs either one per line, or hard-wrapped: lines grouped by blank lines and joined with a
  space. A text counts as wrapped when at least a quarter of its lines stop mid-sentence and the
  next goes on in lower case;
- a title: a short first line without final punctuation, followed by a blank line or a paragraph
  (it goes into the meta `title`, not the blocks); one directly above a list introduces the list;
- headings: short lines without final punctuation (. , ; : ! ? …) followed by body text; in
  capitals, numbered ("2. THE LAYOUT", "2.1 Sub" is level 2, "III. PART"), or standing alone after
  body text; a line underlined with `===` (level 1) or `---` (level 2). Text is kept as written;
- scene breaks: a line of three or more `*`, `-`, `_`, `=`, `~` (spaces allowed) is a rule;
- lists: bullets (`*`, `-`, `+`, `•`, `–`) and numbers (`1.`, `1)`, `(1)`, `a)`, `(a)`), nested by
  indentation, keeping their start number; in wrapped text an item goes on over indented lines.

The text is made NFC; control characters go, tabs and odd-width spaces become spaces, runs of
spaces collapse. Blocks are built as pandoc JSON directly, so `*`, `#` or `1984.` at the start of
a line are only ever text. Typography is not touched here (see `kzpress.typography`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kzpress.document import Document, Element
from kzpress.readers.decode import decode

SHORT_LINE = 80  # a heading or title longer than this is a paragraph that lacks its full stop
FINAL_PUNCTUATION = ".,;:!?…"  # after any of these a short line is a sentence, not a heading
SENTENCE_END = ".!?…:;"  # a line ending so may end a paragraph; one ending otherwise runs on
CLOSING_MARKS = "\"'”’»“)]}"
KEPT_SPACES = "\u00a0\u202f\u2007"  # no-break spaces carry typographic intent: keep them
LINE_BREAKS = "\u2028\u2029\u0085\v\f"

_BULLET = re.compile(r"(?:[*+\-–]\s+|•\s*)(?=\S)")
_ORDERED = re.compile(r"(?:\((?P<p>\d{1,3}|[a-zA-Z])\)|(?P<n>\d{1,3})(?P<nd>[.)])|(?P<a>[a-zA-Z])\))\s+(?=\S)")
_NUMBERED_HEADING = re.compile(r"(?:(?P<num>\d{1,3}(?:\.\d{1,3})+)\.?|\d{1,3}\.|[IVXLC]+\.)\s+\S")
_RULE = re.compile(r"([*\-_=~])(?: *\1){2,}")
_UNDERLINE = re.compile(r"={3,}|-{3,}")


@dataclass(frozen=True)
class Line:
    indent: int
    text: str


@dataclass(frozen=True)
class Marker:
    """A list item's marker: which list it belongs to and where an ordered list starts."""

    kind: tuple  # ("bullet",) or ("ordered", style, delimiter)
    start: int
    width: int  # characters the marker takes, to find the item's text


@dataclass
class Unit:
    """One block-to-be: a paragraph (joined lines), a list item or a rule."""

    kind: str  # "para", "item" or "rule"
    text: str = ""
    indent: int = 0
    lines: int = 1
    marker: Marker | None = None
    blank_before: bool = False
    level: int | None = None  # set when the text itself marks a heading (an underline)
    continuations: list[str] = field(default_factory=list)


def read(data: bytes, *, source: str) -> Document:
    lines = clean_lines(decode(data, source=source))
    units = _units(lines, wrapped=is_wrapped(lines))
    title, units = _split_title(units)
    _resolve_headings(units)
    meta = {} if title is None else {"title": {"t": "MetaString", "c": title}}
    return Document(meta=meta, blocks=_blocks(units))


# -- lines ------------------------------------------------------------------------------------


def clean_lines(text: str) -> list[Line | None]:
    """The text's lines, normalised; None stands for a blank line."""
    text = unicodedata.normalize("NFC", text)
    for mark in LINE_BREAKS:
        text = text.replace(mark, "\n")
    return [_clean_line(raw) for raw in text.split("\n")]


def _clean_line(raw: str) -> Line | None:
    chars = []
    for char in raw.expandtabs(4):
        category = unicodedata.category(char)
        if category == "Cc" or char == "\ufeff":
            continue
        chars.append(" " if category == "Zs" and char not in KEPT_SPACES else char)
    line = "".join(chars)
    # a no-break space beside an ordinary one is a typing slip, not a deliberate tie
    text = re.sub(f"[{KEPT_SPACES}]* [ {KEPT_SPACES}]*", " ", line.strip())
    if not text:
        return None
    return Line(indent=len(line) - len(line.lstrip(" ")), text=text)


def is_wrapped(lines: list[Line | None]) -> bool:
    """Hard-wrapped text breaks lines mid-sentence; one-paragraph-per-line text ends them at a stop."""
    inner = continued = 0
    for line, following in zip(lines, lines[1:]):
        if line is None or following is None or _is_rule(line.text) or _marker(following.text):
            continue
        inner += 1
        first = following.text[0]
        if not _ends_in(line.text, SENTENCE_END) and first.islower():
            continued += 1
    return continued > 0 and continued * 4 >= inner


def _ends_in(text: str, marks: str) -> bool:
    """Whether the last character before any closing quotes or brackets is one of `marks`."""
    final = text.rstrip(CLOSING_MARKS)[-1:]
    return final != "" and final in marks


def _is_rule(text: str) -> bool:
    return _RULE.fullmatch(text) is not None


def _marker(text: str) -> Marker | None:
    bullet = _BULLET.match(text)
    if bullet:
        return Marker(("bullet",), 1, bullet.end())
    ordered = _ORDERED.match(text)
    if not ordered:
        return None
    label = ordered.group("p") or ordered.group("n") or ordered.group("a")
    if ordered.group("p"):
        delimiter = "TwoParens"
    else:
        delimiter = "Period" if ordered.group("nd") == "." else "OneParen"
    if label.isdigit():
        style, start = "Decimal", int(label)
    else:
        style = "LowerAlpha" if label.islower() else "UpperAlpha"
        start = ord(label.lower()) - ord("a") + 1
    return Marker(("ordered", style, delimiter), start, ordered.end())


# -- units ------------------------------------------------------------------------------------


def _units(lines: list[Line | None], *, wrapped: bool) -> list[Unit]:
    units: list[Unit] = []
    blank = False
    for line in lines:
        if line is None:
            blank = True
            continue
        if not _extend(units[-1] if units and not blank else None, line, wrapped=wrapped):
            units.append(_unit(line, blank_before=blank))
        blank = False
    return units


def _unit(line: Line, *, blank_before: bool) -> Unit:
    if _is_rule(line.text):
        return Unit("rule", line.text, line.indent, blank_before=blank_before)
    marker = _marker(line.text)
    if marker:
        return Unit("item", line.text[marker.width :], line.indent, marker=marker, blank_before=blank_before)
    return Unit("para", line.text, line.indent, blank_before=blank_before)


def _extend(unit: Unit | None, line: Line, *, wrapped: bool) -> bool:
    """Add `line` to the unit just before it (no blank line between) when it continues it."""
    if unit is None or unit.level is not None:
        return False
    if unit.kind == "para" and unit.lines == 1 and _UNDERLINE.fullmatch(line.text) and _heading_strength(unit.text):
        unit.level = 1 if line.text[0] == "=" else 2
        return True
    if not wrapped or _is_rule(line.text):
        return False
    marker = _marker(line.text)
    if marker and not (marker.kind[0] == "ordered" and _runs_on(unit)):
        return False
    if unit.kind == "item" and line.indent > unit.indent:
        unit.continuations.append(line.text)
        return True
    if unit.kind != "para" or (unit.lines == 1 and _breaks_after(unit.text, line.text)):
        return False
    unit.text += " " + line.text
    unit.lines += 1
    return True


def _runs_on(unit: Unit) -> bool:
    """A wrapped paragraph stopped mid-sentence: "… up to" then "12. …" is not a list."""
    return unit.kind == "para" and not _ends_in(unit.text, SENTENCE_END)


def _breaks_after(first: str, following: str) -> bool:
    """A capital or numbered heading line directly above its text still stands alone."""
    return _heading_strength(first) == "strong" and following[0].isupper()


# -- title and headings -----------------------------------------------------------------------


def _heading_strength(text: str) -> str | None:
    """'strong' for capitals or a number, 'weak' for any other short unpunctuated line, else None."""
    letters = [char for char in text if char.isalpha()]
    if not letters or len(text) > SHORT_LINE or _ends_in(text, FINAL_PUNCTUATION):
        return None
    first = next(char for char in text if char.isalnum())
    if not (first.isupper() or first.isdigit()):
        return None
    if _NUMBERED_HEADING.match(text) or (len(letters) > 1 and all(char.isupper() for char in letters)):
        return "strong"
    return None if first.isdigit() else "weak"


def _heading_level(text: str) -> int:
    numbered = _NUMBERED_HEADING.match(text)
    if numbered and numbered.group("num"):
        return numbered.group("num").count(".") + 1
    return 1


def _split_title(units: list[Unit]) -> tuple[str | None, list[Unit]]:
    """The title line, if the text opens with one, and the units after it."""
    if len(units) < 2:
        return None, units
    first, following = units[0], units[1]
    if first.kind != "para" or first.lines > 1 or first.level == 2 or _NUMBERED_HEADING.match(first.text):
        return None, units
    if _heading_strength(first.text) is None:
        return None, units
    if not (following.blank_before or (following.kind == "para" and _is_body(following))):
        return None, units
    return first.text, units[1:]


def _is_body(unit: Unit) -> bool:
    return unit.kind == "item" or (unit.kind == "para" and _heading_strength(unit.text) is None)


def _resolve_headings(units: list[Unit]) -> None:
    """Mark headings: a candidate counts when body text (or, for a strong one, a heading) follows."""
    strengths = [_candidate(units, index) for index in range(len(units))]
    following_is_heading = False
    for index in range(len(units) - 1, -1, -1):
        unit, strength = units[index], strengths[index]
        is_heading = unit.level is not None
        if strength and index + 1 < len(units):
            after = units[index + 1]
            if strength == "strong":
                is_heading = _is_body(after) or following_is_heading
            else:  # a run of short lines (an address, a signature) is not a run of headings
                is_heading = _is_body(after) and (index == 0 or strengths[index - 1] != "weak")
            if is_heading:
                _make_heading(unit)
        following_is_heading = is_heading


def _make_heading(unit: Unit) -> None:
    if unit.kind == "item":  # the number is part of the heading's text
        unit.kind, unit.text = "para", _numbered_text(unit)
    unit.level = _heading_level(unit.text)


def _numbered_text(unit: Unit) -> str:
    return f"{unit.marker.start}. {unit.text}"


def _candidate(units: list[Unit], index: int) -> str | None:
    unit = units[index]
    if unit.level is not None or unit.lines > 1:
        return None
    if unit.kind == "item":
        return _numbered_item_heading(units, index)
    return _heading_strength(unit.text) if unit.kind == "para" else None


def _numbered_item_heading(units: list[Unit], index: int) -> str | None:
    """A lone "2. Method" between paragraphs is a numbered heading, not a one-item list."""
    unit = units[index]
    if unit.indent or unit.marker.kind != ("ordered", "Decimal", "Period") or unit.continuations:
        return None
    neighbours = [units[i] for i in (index - 1, index + 1) if 0 <= i < len(units)]
    if any(other.kind == "item" for other in neighbours):
        return None
    return "strong" if _heading_strength(_numbered_text(unit)) == "strong" else None


# -- blocks -----------------------------------------------------------------------------------


def _blocks(units: list[Unit]) -> list[Element]:
    blocks: list[Element] = []
    index = 0
    while index < len(units):
        unit = units[index]
        if unit.kind == "item":
            end = index
            while end < len(units) and units[end].kind == "item":
                end += 1
            blocks.extend(_lists(units[index:end]))
            index = end
            continue
        blocks.append(_block(unit))
        index += 1
    return blocks


def _block(unit: Unit) -> Element:
    if unit.kind == "rule":
        return {"t": "HorizontalRule"}
    if unit.level is not None:
        return {"t": "Header", "c": [unit.level, ["", [], []], inlines(unit.text)]}
    return {"t": "Para", "c": inlines(unit.text)}


def _lists(items: list[Unit]) -> list[Element]:
    """Items at the first item's indentation are siblings; deeper ones nest under the item above."""
    base = items[0].indent
    lists: list[Element] = []
    index = 0
    while index < len(items):
        kind = items[index].marker.kind
        start = items[index].marker.start
        entries: list[list[Element]] = []
        while index < len(items) and items[index].marker.kind == kind:
            head = items[index]
            end = index + 1
            while end < len(items) and items[end].indent > base:
                end += 1
            text = " ".join([head.text, *head.continuations])
            entries.append([{"t": "Plain", "c": inlines(text)}, *(_lists(items[index + 1 : end]) if end > index + 1 else [])])
            index = end
        lists.append(_list(kind, start, entries))
    return lists


def _list(kind: tuple, start: int, entries: list[list[Element]]) -> Element:
    if kind[0] == "bullet":
        return {"t": "BulletList", "c": entries}
    _, style, delimiter = kind
    return {"t": "OrderedList", "c": [[start, {"t": style}, {"t": delimiter}], entries]}


def inlines(text: str) -> list[Element]:
    """Words as Str, single spaces as Space: the inline form pandoc itself gives plain prose."""
    result: list[Element] = []
    for word in text.split(" "):
        if result:
            result.append({"t": "Space"})
        result.append({"t": "Str", "c": word})
    return result
