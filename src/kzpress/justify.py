"""Justified lines drawn as they were measured (WeasyPrint issue #2928).

WeasyPrint measures a line's words without any attribute on its spaces, so the font's kerning against
the space applies (PT Serif, like many text faces, tightens the space before "A", "V", quotes and
dashes). To draw a justified line it lays the words out again with a Pango letter-spacing attribute on
every space; each attribute cuts the text into separately shaped runs, that kerning is lost, and the
line is drawn wider than it was measured: 1.5 pt past the margin in the seed's pages, 4 pt in a text
full of such pairs, and the space before an emphasis or a link shrinks to make up for the run before it.

Here the line is drawn from the very glyphs it was measured with, and the justification is added to the
advance of each space glyph, which is all the attribute was there to do. The drawn line is then exactly
as wide as its box, kerning against the space is kept (the font's designer spaced "T A" and "“A" that
way), and Pango shapes each line once, in one run, as it measured it. kzpress used to avoid the bug by
giving every text `word-spacing: 0.01pt`, so that WeasyPrint measured with the attributes too; that cost a
third of every layout, and the stylesheet still does it when this module does not apply.

This replaces two functions inside WeasyPrint (`Layout.set_text`, `draw_first_line`); it is done only
for the WeasyPrint version it was written and tested against (TESTED_WITH). With another version
`applies()` is false, the stylesheet keeps the word-spacing workaround, and nothing is replaced.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from kzpress import typography
from kzpress.mends import once

TESTED_WITH = "70.0"
NO_BREAK_SPACE = typography.NO_BREAK_SPACE.encode()  # in UTF-8, as Pango's text is
_SPACE = re.compile(b" |" + re.escape(NO_BREAK_SPACE))


@lru_cache(maxsize=1)
def applies() -> bool:
    """Whether the installed WeasyPrint is the one this module mends (read without importing it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint") == TESTED_WITH
    except PackageNotFoundError:
        return False


@once(TESTED_WITH)
def install(weasyprint: Any) -> bool:
    """Draw justified lines as measured, once per process; False (and nothing changed) if this WeasyPrint
    is not the version it was tested with."""
    from weasyprint.draw import text as draw
    from weasyprint.layout import inline
    from weasyprint.text.ffi import TO_UNITS, pango
    from weasyprint.text.line_break import Layout

    if not applies():
        return False
    set_text, draw_first_line = Layout.set_text, draw.draw_first_line

    def spreading_set_text(self, text, justify=False):
        # The drawing of a justified line (`Layout.reactivate`): keep the measured shaping, and note by
        # how much each space widens. Spacing from the style itself (word-spacing, letter-spacing) and
        # word breaking are measured with their attributes, so they are drawn with them too.
        style = self.style
        spread = (
            justify
            and self.justification_spacing
            and not style["word_spacing"]
            and style["letter_spacing"] in ("normal", 0)
            and style["overflow_wrap"] not in ("anywhere", "break-word")
        )
        self.spread = int(self.justification_spacing * TO_UNITS) if spread else 0
        set_text(self, text, justify and not spread)

    def spreading_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        layout = textbox.pango_layout
        if getattr(layout, "spread", 0):
            if text_overflow == "ellipsis" or block_ellipsis != "none":
                set_text(layout, layout.text, justify=True)  # lays the text out again: WeasyPrint's way
            else:
                # What draw_first_line asks for first; the same value again leaves these lines in place.
                pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
                line, _ = layout.get_first_line()
                widen_spaces(line, layout.text.encode(), layout.spread)
        return draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)

    Layout.set_text = spreading_set_text
    draw.draw_first_line = spreading_draw_first_line
    inline.create_layout = _for_drawing(inline.create_layout, Layout)
    return True


def _for_drawing(create_layout: Any, layout_class: Any) -> Any:
    """WeasyPrint's `create_layout` as `add_word_spacing` uses it (its only use in weasyprint.layout.inline):
    for each justified text, a Pango layout made only to be dropped again at once (`deactivate`), keeping
    the text and its justification for the drawing, which makes the Pango layout anew (`reactivate`).
    Here that object is made without Pango: the same attributes, the same values (4,805 Pango layouts
    fewer on row (e) of the benchmarks: `justify_line` 0.28-0.36 s → 0.04-0.09 s). A decorated text (its
    Pango metrics) or one with tabs is made WeasyPrint's way."""

    def create_for_drawing(text, style, context, max_width, justification_spacing):
        if style["text_decoration_line"] != "none" or "\t" in text:
            return create_layout(text, style, context, max_width, justification_spacing)
        layout = layout_class.__new__(layout_class)
        layout.justification_spacing, layout.max_width, layout.first_line_direction = justification_spacing, max_width, 0
        layout.ascent = layout.underline_position = layout.strikethrough_position = None
        newline = text.find("\n")
        layout.text = text if newline == -1 else text[:newline + 2]  # as Layout.set_text keeps it
        layout.spread = 0  # as spreading_set_text notes it, unjustified
        layout.layout = layout.language = layout.style = None  # what `deactivate` takes away
        return layout

    create_for_drawing.weasyprints = create_layout
    return create_for_drawing


def widen_spaces(line: Any, text: bytes, spread: int) -> None:
    """Add `spread` (Pango units) to the advance of the glyph of every space and no-break space of a
    laid-out Pango line: the spaces WeasyPrint counted when it justified the line (the first glyph of
    each, in the glyphs' order)."""
    from weasyprint.text.ffi import ffi

    spaces = [match.start() for match in _SPACE.finditer(text)]
    if not spaces:
        return
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        offset, length = glyph_item.item.offset, glyph_item.item.length
        glyphs = glyph_item.glyphs
        clusters = None
        for start in spaces:
            if offset <= start < offset + length:
                clusters = clusters or ffi.unpack(glyphs.log_clusters, glyphs.num_glyphs)
                if start - offset in clusters:
                    glyphs.glyphs[clusters.index(start - offset)].geometry.width += spread
