"""The reading PDF: the print HTML laid out by WeasyPrint, with kzpress's fonts only, tagged PDF/UA-1.

WeasyPrint has no property that keeps a hyphenated word from straddling a page turn. kzpress.page_turns
mends such a word while the pages are made; `lay_out` then checks the last line of each page's text,
and where one still ends in a hyphen inside a word (a case page_turns does not mend, or a WeasyPrint it
does not apply to), it takes that word's break opportunities away in the parsed page (its soft hyphens,
or a word joiner after a hard hyphen) and lays the pages out again. Each pass fixes the earliest
offending page for good (the pages before it do not change), so the passes end; `MAX_PASSES` only
bounds a pathological document.
"""

from __future__ import annotations

import os
import re
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Iterator

from kzpress import derived, drawing, hyphen_trials, justify, lines, lines_ahead, margin_styles, page_turns, pango_contexts, pdf_objects, renderer, sandbox
from kzpress.backends import html
from kzpress.document import Document
from kzpress.hyphenation import SOFT_HYPHEN

READING_VARIANT = "pdf/ua-1"  # tagged, with the document's language and title: screen readers, reflow
MAX_PASSES = 12


@dataclass(frozen=True)
class PdfOptions:
    html: html.HtmlOptions
    variant: str | None = READING_VARIANT  # WeasyPrint's pdf_variant
    whole_words_at_page_turns: bool = True  # False only to show what `lay_out` prevents


@dataclass(frozen=True)
class PageTurn:
    """A word broken at the foot of a page: the part before the hyphen and the part carried over."""

    page: int  # 0-based index of the page it starts on
    before: str  # as laid out, with any soft hyphens, without the line-end hyphen
    after: str
    hard: bool  # broken at a hyphen of its own (blood-/curdling) rather than a soft hyphen

    @property
    def word(self) -> str:
        return (self.before + ("-" if self.hard else "") + self.after).replace(SOFT_HYPHEN, "")


def write(document: Document, options: PdfOptions) -> bytes:
    page = html.write(document, options.html)
    return renderer.run(render, page, options.html.layout_dir, options.whole_words_at_page_turns, options.variant)


def render(page: bytes, layout_dir: Path, whole_words: bool, variant: str | None) -> bytes:
    """The print HTML as a PDF (run by `renderer`, in a warm worker process when there is one)."""
    laid_out = lay_out(page, layout_dir, whole_words=whole_words, pdf_variant=variant)
    return laid_out.write_pdf(pdf_variant=variant)


def lay_out(page: bytes, layout_dir: Path, *, whole_words: bool = True, **rendering: Any):
    """The page laid out by WeasyPrint (a weasyprint Document), with no word broken across a page turn."""
    global laid_out_here

    weasyprint = weasyprint_module(layout_dir)
    if not laid_out_here:  # a process is forked only before Pango starts its threads: see kzpress.wave
        lines_ahead.start(page, partial(_lay_out_ahead, layout_dir=layout_dir, rendering=rendering))
    laid_out_here = True
    text = page.decode("utf-8")
    source = weasyprint.HTML(string=text, base_url=str(layout_dir), url_fetcher=sandbox.for_layout(layout_dir))
    rendering = {**rendering, "font_config": _font_configuration(text)}
    lines.memo.next_render(rendering["font_config"])
    try:
        with page_turns.keeping_words_whole() if whole_words else nullcontext():
            laid_out = source.render(**rendering)
            for _ in range(MAX_PASSES if whole_words else 0):
                turns = hyphenated_page_turns(laid_out)
                if not turns:
                    break
                for turn, element in turns:
                    keep_whole(element, turn)
                lines.memo.next_render(rendering["font_config"])  # the lines the kept-whole words leave alone
                laid_out = source.render(**rendering)
    finally:
        lines_ahead.finish()
    return laid_out


def _lay_out_ahead(page: bytes, layout_dir: Path, rendering: dict[str, Any]) -> None:
    """In kzpress.lines_ahead's helper: lay out part of the page for its lines."""
    forget_font_configurations()
    lay_out(page, layout_dir, whole_words=False, **rendering)


# Whether this process (or the one it was forked from) has laid out a page.
laid_out_here = False
_FONT_FILE = re.compile(r"""@font-face\s*\{[^}]*?url\(["']?(file:[^"')]+)""")
_font_configurations: dict[tuple, Any] = {}
_inherited: list[Any] = []  # see forget_font_configurations


def forget_font_configurations() -> None:
    """Start this forked process's own font configurations. Those it inherited stay referenced, never
    collected here: a FontConfiguration deletes its folder of fonts when it is collected, and that
    folder is its parent's, still in use there."""
    _inherited.extend(_font_configurations.values())
    _font_configurations.clear()


def _font_configuration(page: str):
    """One WeasyPrint FontConfiguration for every render of pages with the same fonts in this process (the
    page-turn pass, the press PDF after the reading PDF, `watch`): loading the @font-face fonts into
    fontconfig and Pango costs a tenth of a second a render. Keyed by the font files and their size and
    time, so a font replaced in fonts/ is loaded afresh; only the latest is kept."""
    from urllib.parse import unquote, urlparse
    from urllib.request import url2pathname

    from weasyprint.text.fonts import FontConfiguration

    key = []
    for url in sorted(set(_FONT_FILE.findall(page))):
        path = Path(url2pathname(unquote(urlparse(url).path)))
        status = path.stat() if path.is_file() else None
        key.append((url, status and status.st_size, status and status.st_mtime_ns))
    key = tuple(key)
    if key not in _font_configurations:
        _font_configurations.clear()
        _font_configurations[key] = FontConfiguration()
    return _font_configurations[key]


def hyphenated_page_turns(laid_out) -> list[tuple[PageTurn, Any]]:
    """Each page whose text ends in a broken word, with the parsed element that holds the word."""
    turns = []
    for index, page in enumerate(laid_out.pages[:-1]):
        lines = list(_text_lines(page._page_box))
        following = list(_text_lines(laid_out.pages[index + 1]._page_box))
        if not lines or not following:
            continue
        last = _text_boxes(lines[-1])
        if not last:
            continue
        ending = last[-1]
        hyphen = ending.style["hyphenate_character"]
        text = ending.text
        hard = not text.endswith(SOFT_HYPHEN + hyphen) and text.endswith("-") and text[-2:-1].isalpha()
        if not (text.endswith(SOFT_HYPHEN + hyphen) or hard):
            continue
        before = re.split(r"\s", text[: -len(hyphen) if not hard else -1])[-1]
        first = _text_boxes(following[0])
        after = re.split(r"\s", first[0].text.lstrip())[0] if first else ""
        turns.append((PageTurn(index, before, re.sub(r"\W+$", "", after), hard), ending.element))
    return turns


def keep_whole(element, turn: PageTurn) -> None:
    """Take the break opportunities out of `turn`'s word wherever it occurs in the element's own text."""
    letters = re.escape(turn.before.replace(SOFT_HYPHEN, "")) + ("-" if turn.hard else "")
    pattern = re.compile(
        "".join(f"{re.escape(ch)}{SOFT_HYPHEN}?" for ch in turn.word) if turn.after else letters + r"[\w\u00ad]*"
    )

    def whole(match: re.Match) -> str:
        return page_turns.unbreakable(match.group(0), turn.hard)

    if element.text:
        element.text = pattern.sub(whole, element.text)
    for child in element:
        if child.tail:
            child.tail = pattern.sub(whole, child.tail)


def _text_lines(box) -> Iterator[Any]:
    """The line boxes of a page's text, in order: not the running heads, not the footnotes."""
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", ()):
        if isinstance(child, (boxes.MarginBox, boxes.FootnoteAreaBox)):
            continue
        if isinstance(child, boxes.LineBox):
            yield child
        elif isinstance(child, boxes.ParentBox):
            yield from _text_lines(child)


def _text_boxes(line) -> list[Any]:
    """The line's words, without footnote calls (a call after a word is not part of it)."""
    from weasyprint.formatting_structure import boxes

    return [
        box
        for box in line.descendants()
        if isinstance(box, boxes.TextBox) and not box.element_tag.endswith("::footnote-call") and box.text.strip()
    ]


def weasyprint_module(layout_dir: Path):
    """Import WeasyPrint late (it costs a second) with fontconfig limited to kzpress's fonts."""
    # fontconfig reads FONTCONFIG_FILE once, when Pango first starts: set it before the import.
    os.environ.setdefault("FONTCONFIG_FILE", str((layout_dir / "fonts.conf").resolve()))
    with derived.library_lookups():
        import pydyf
        import weasyprint

    pango_contexts.install(weasyprint)
    margin_styles.install(weasyprint)
    hyphen_trials.install(weasyprint)  # before kzpress.lines, which wraps the line setting it leaves
    lines.install(weasyprint)
    drawing.install(weasyprint)  # before kzpress.justify, which widens the spaces of what it draws
    justify.install(weasyprint)
    page_turns.install(weasyprint)
    lines_ahead.install(weasyprint)
    pdf_objects.install(pydyf)
    return weasyprint
