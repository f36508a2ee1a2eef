"""Words kept whole at page turns while WeasyPrint makes the pages, in the one layout.

WeasyPrint has no property that keeps a hyphenated word from straddling a page turn. It makes the
pages one after another (`weasyprint.layout.page.remake_page`), each from the state the page before
left: where in the box tree the page starts, the page counters, the footnotes carried over. Here,
when a page is made whose successor would start inside a word, just after one of its soft hyphens or
after a hyphen of its own (blood-/curdling), that word's break opportunities are taken out of its text
in the box tree (the soft hyphens removed, a word joiner put after its hyphens) and the page is made
again from the same state. The word then goes whole to the next page, which is made from the mended
text, as are all the pages after it, so nothing is laid out twice but the pages that ended in a broken
word: on a 141-page text, 20 pages made again instead of a second layout of all 141.

kzpress.backends.pdf still checks the finished pages and lays the document out again for any broken
word this did not mend (one that straddles two inline elements, a break inside a table or columns), as
it does for every broken word when this module does not apply.

This replaces a function inside WeasyPrint (`remake_page`); it is done only for the WeasyPrint version
it was written and tested against (TESTED_WITH), and not at all otherwise.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Iterator

from kzpress.hyphenation import SOFT_HYPHEN
from kzpress.mends import once
from kzpress.typography import WORD_JOINER  # after a hard hyphen: no line break there

TESTED_WITH = "70.0"
MAX_REMAKES = 12  # of one page: each takes break opportunities away, so they end; this bounds a pathological page


class PageMaking:
    """Whether the render being made keeps words whole at page turns, and the words it kept whole: (the
    0-based index of the page made again, the word)."""

    def __init__(self) -> None:
        self.active = False
        self.kept_whole: list[tuple[int, str]] = []


making = PageMaking()


@contextmanager
def keeping_words_whole() -> Iterator[PageMaking]:
    """Within this, pages WeasyPrint makes end in no word broken at the turn (where installed)."""
    making.active, making.kept_whole = True, []
    try:
        yield making
    finally:
        making.active = False


@once(TESTED_WITH)
def install(weasyprint: Any) -> None:
    """Put the mending `remake_page` in WeasyPrint's pagination, once; False (and nothing changed) if
    this WeasyPrint is not the version it was tested with."""
    from weasyprint.layout import page as pagination

    make = pagination.remake_page

    def remake_page(index, context, root_box, html):
        if not making.active:
            return make(index, context, root_box, html)
        # What making a page consumes of the layout's state, so that it can be made again.
        footnotes, reported = list(context.footnotes), list(context.reported_footnotes)
        broken_out_of_flow = dict(context.broken_out_of_flow)
        for _ in range(MAX_REMAKES):
            page, resume_at = make(index, context, root_box, html)
            if page.page_type.blank or not (word := keep_whole_at(root_box, resume_at)):
                break
            making.kept_whole.append((index, word))
            context.footnotes[:] = footnotes
            context.reported_footnotes = list(reported)
            context.broken_out_of_flow = dict(broken_out_of_flow)
            # As WeasyPrint's make_all_pages does before making a page again: the page caches its
            # targets anew. Its flags asking WeasyPrint for another pass stay set.
            remake_state = context.page_maker[index][-1]
            remake_state["anchors"], remake_state["content_lookups"] = [], []
        return page, resume_at

    pagination.remake_page = remake_page


def keep_whole_at(root_box: Any, resume_at: dict | None) -> str | None:
    """If the next page starts inside a word broken at a hyphen, take that word's break opportunities
    out of its text box and return the word; otherwise None and nothing changed."""
    found = _text_box_at(root_box, resume_at)
    if found is None:
        return None
    box, offset = found
    try:
        encoded = box.text.encode()  # WeasyPrint's skip stack counts UTF-8 bytes into the box's text
        before, after = encoded[:offset].decode(), encoded[offset:].decode()
    except UnicodeDecodeError:
        return None
    hard = before.endswith("-") and before[-2:-1].isalpha() and after[:1].isalpha()
    if not (before.endswith(SOFT_HYPHEN) or hard):
        return None
    head, tail = re.search(r"\S*$", before).group(0), re.match(r"\S*", after).group(0)
    whole = unbreakable(head + tail, hard)
    box.text = before[: len(before) - len(head)] + whole + after[len(tail) :]
    return whole.replace(WORD_JOINER, "")


def unbreakable(word: str, hard: bool) -> str:
    """`word` without its break opportunities: its soft hyphens out, and, where it was broken at a hyphen
    of its own (`hard`), a word joiner after each of its hyphens."""
    word = word.replace(SOFT_HYPHEN, "")
    return word.replace("-", "-" + WORD_JOINER) if hard else word


def _text_box_at(root_box: Any, resume_at: dict | None) -> tuple[Any, int] | None:
    """The text box of the box tree a page starts in and the byte offset into its text, when the page
    starts inside a text; None when it starts at a box's edge or the path is not a single one."""
    from weasyprint.formatting_structure import boxes

    box, stack = root_box, resume_at
    while stack and len(stack) == 1:
        (index, stack), = stack.items()
        if isinstance(box, boxes.TextBox):
            return (box, index) if stack is None and index else None
        if not isinstance(box, boxes.ParentBox) or not 0 <= index < len(box.children):
            return None
        box = box.children[index]
    return None
