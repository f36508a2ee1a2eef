"""The reading PDF's page numbers in the e-book: page-break markers and the entries of the page list.

The words of the PDF, page by page, are aligned with the words of the e-book's title page, colophon
and chapters (difflib's matching blocks, at word level, page after page). A page starts at its first
word that lies in a matched run of at least MIN_RUN words; words the two editions do not share (folios,
running heads, list numbers, footnotes at the page foot, a word hyphenated across the page turn)
simply stay unmatched. So a page that begins with the end of a hyphenated word starts, in the
e-book, at the next whole word, and a page with no shared words (a blank page, a printed contents
page) starts where the next page does, as a blank page does in print: its marker stands, with the
next page's, before that page's first word.

A page may share words with the text and still not hold them: a printed contents page lists the
section titles, which recur in the headings and perhaps in a sentence of the opening. Taken as the
page's own text, they would put its start (and, since pages are sought one after another, the start
of every page after it) in the middle of the text. So the alignment kept is the one that shares the
most words over all pages, where any page may also be left out (as sharing none): taking the contents
page's few words costs the next page the many that lie before and among them.

A marker is `<span epub:type="pagebreak" role="doc-pagebreak" id="page-N" aria-label="N"/>`, N the
PDF's page number (its folio). It goes before a heading or a link rather than inside it, where it
would become part of their accessible name, and before a paragraph rather than at its first word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Iterator

from kzpress.epub.chapters import EPUB_TYPE, HEADINGS, element, tag

MIN_RUN = 3
# A page's words are sought among the next WINDOW_FACTOR × its length + WINDOW_SLACK words of the e-book.
WINDOW_FACTOR = 2
WINDOW_SLACK = 200
# At most this many pages in a row may be left out of an alignment (contents pages, blank pages).
LOOK_BACK = 16
# pypdfium2 writes U+FFFE where a word was hyphenated at a line end; U+00AD is a soft hyphen.
_WORD = re.compile(r"[\w\u00ad\ufffe]+")
_INVISIBLE = str.maketrans("", "", "\u00ad\ufffe")
_NAMED = {tag("a"), *HEADINGS}  # elements whose text is their accessible name
_SKIPPED_TYPES = {"footnote", "footnotes"}  # notes sit at the page foot in print, the chapter end here


@dataclass(frozen=True)
class PageTarget:
    number: int
    file_name: str

    @property
    def id(self) -> str:
        return f"page-{self.number}"

    @property
    def href(self) -> str:
        return f"{self.file_name}#{self.id}"


@dataclass(frozen=True)
class _Anchor:
    """Where a word starts: in the .text (or .tail) of `owner`, at `offset`."""

    owner: Any
    in_tail: bool
    offset: int
    file_name: str


def words(text: str) -> list[str]:
    """The words of a text, compared the same way on both sides."""
    return [_normal(match.group()) for match in _WORD.finditer(text)]


def _normal(word: str) -> str:
    return unicodedata.normalize("NFKC", word.translate(_INVISIBLE)).casefold()


def mark_pages(pdf_pages: list[str], documents: list[tuple[str, Any]]) -> list[PageTarget]:
    """Insert a marker for every PDF page into `documents` ((file name, <body>) in reading order)."""
    tokens, anchors = _stream(documents)
    starts = page_starts([words(text) for text in pdf_pages], tokens)
    groups: dict[int, list[int]] = {}
    for number, start in enumerate(starts, 1):
        groups.setdefault(start, []).append(number)
    targets = []
    for start in sorted(groups, reverse=True):  # from the end, so earlier offsets stay valid
        anchor = anchors[start] if start < len(anchors) else _end_anchor(documents)
        spans = [_marker(number) for number in groups[start]]
        _insert(anchor, spans)
        targets += [PageTarget(number, anchor.file_name) for number in groups[start]]
    return sorted(targets, key=lambda target: target.number)


def page_starts(pdf_pages: list[list[str]], tokens: list[str]) -> list[int]:
    """For each page, the index in `tokens` of its first word (len(tokens): after the last word).

    Each page is sought within a window of the words after the last shared word of a page before it:
    the time grows with the length of the text, not its square, and a passage the text repeats cannot
    pull a page to its other occurrence. That page is the previous one or, leaving out those between
    (a contents page whose titles recur in the text, a blank page), one up to LOOK_BACK pages back:
    whichever makes the alignment that shares the most words."""
    origin = _Aligned(page=-1, start=0, end=0, shared=0, pages=0, previous=None)
    aligned = [origin]  # for each page that shares words, the best alignment ending with it
    for number, page in enumerate(pdf_pages):
        best: _Aligned | None = None
        for before in reversed(aligned):
            if number - before.page > LOOK_BACK + 1:
                break
            if best and before.shared + len(page) < best.shared:
                continue  # even all its words would not make up for the pages it leaves out
            candidate = _align(number, page, tokens, before)
            if candidate and (best is None or candidate.rank > best.rank):
                best = candidate
        if best:
            aligned.append(best)
    starts: list[int | None] = [None] * len(pdf_pages)
    node = max(aligned, key=lambda alignment: alignment.rank)
    while node.previous is not None:
        starts[node.page] = node.start
        node = node.previous
    following = len(tokens)
    for number in reversed(range(len(starts))):  # a page without shared words starts where the next does
        if starts[number] is None:
            starts[number] = following
        following = starts[number]
    return starts  # type: ignore[return-value]


@dataclass(frozen=True)
class _Aligned:
    """An alignment of the pages up to `page`, which shares the words from `start` to `end` of the
    e-book: the words shared by all its pages, how many pages share some, the page aligned before."""

    page: int
    start: int
    end: int
    shared: int
    pages: int
    previous: _Aligned | None

    @property
    def rank(self) -> tuple[int, int]:
        """More shared words first; as many by fewer pages (the others' words are the later pages' own)."""
        return self.shared, -self.pages


def _align(number: int, page: list[str], tokens: list[str], before: _Aligned) -> _Aligned | None:
    """Page `number` aligned after `before`, or None when it shares no run of MIN_RUN words there."""
    cursor = before.end
    window = tokens[cursor : cursor + WINDOW_FACTOR * len(page) + WINDOW_SLACK]
    blocks = [block for block in SequenceMatcher(None, page, window, autojunk=False).get_matching_blocks()
              if block.size >= MIN_RUN]
    if not blocks:
        return None
    shared = before.shared + sum(block.size for block in blocks)
    end = cursor + blocks[-1].b + blocks[-1].size
    return _Aligned(number, cursor + blocks[0].b, end, shared, before.pages + 1, before)


def _stream(documents: list[tuple[str, Any]]) -> tuple[list[str], list[_Anchor]]:
    tokens: list[str] = []
    anchors: list[_Anchor] = []
    for file_name, body in documents:
        for owner, in_tail, text in _texts(body):
            for match in _WORD.finditer(text):
                tokens.append(_normal(match.group()))
                anchors.append(_Anchor(owner, in_tail, match.start(), file_name))
    return tokens, anchors


def _texts(node: Any) -> Iterator[tuple[Any, bool, str]]:
    """The text nodes under `node` in reading order, as (owner, is tail, text); notes left out."""
    if node.text:
        yield node, False, node.text
    for child in node:
        if isinstance(child.tag, str) and not _SKIPPED_TYPES & set((child.get(EPUB_TYPE) or "").split()):
            yield from _texts(child)
        if child.tail:
            yield child, True, child.tail


def _end_anchor(documents: list[tuple[str, Any]]) -> _Anchor:
    """After the last word: the end of the last document's outermost element (offset -1: append)."""
    file_name, body = documents[-1]
    return _Anchor(body[-1] if len(body) else body, False, -1, file_name)


def _marker(number: int) -> Any:
    label = {"aria-label": str(number)}
    return element("span", id=f"page-{number}", epub_type="pagebreak", role="doc-pagebreak", **label)


def _is_marker(node: Any) -> bool:
    return node.get(EPUB_TYPE) == "pagebreak"


def _insert(anchor: _Anchor, spans: list[Any]) -> None:
    if anchor.offset < 0:  # after everything: the end of the last document
        anchor.owner.extend(spans)
        return
    holder = anchor.owner.getparent() if anchor.in_tail else anchor.owner
    named = [node for node in [holder, *holder.iterancestors()] if node.tag in _NAMED]
    opens_paragraph = (
        not anchor.in_tail and holder.tag == tag("p") and not (holder.text or "")[: anchor.offset].strip()
    )
    if named or opens_paragraph:
        before = named[-1] if named else holder
        parent, index = before.getparent(), before.getparent().index(before)
        while index and _is_marker(parent[index - 1]) and not parent[index - 1].tail:
            index -= 1  # markers already there belong to later pages: these go first
        for offset, span in enumerate(spans):
            parent.insert(index + offset, span)
        return
    text = anchor.owner.tail if anchor.in_tail else anchor.owner.text
    head, rest = text[: anchor.offset], text[anchor.offset :]
    if anchor.in_tail:
        anchor.owner.tail = head
        parent, index = anchor.owner.getparent(), anchor.owner.getparent().index(anchor.owner) + 1
    else:
        anchor.owner.text = head
        parent, index = anchor.owner, 0
    for offset, span in enumerate(spans):
        parent.insert(index + offset, span)
    spans[-1].tail = rest
