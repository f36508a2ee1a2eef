"""Lines a render laid out, reused by the next render of the same fonts: a rebuild under `watch`, the
press PDF after the reading PDF, the pass that lays a document out again for a word kzpress.page_turns
did not keep whole.

WeasyPrint lays out a paragraph line by line, each line by `split_first_line`: up to a dozen Pango
layouts to find the break (every soft hyphen in reach is tried, from the farthest back). That function
depends only on its arguments: the text left to set, the text's style, the width, and the fonts. So a
render that meets a line the previous render set from the same text, style, width and fonts takes the
answer from there, and Pango lays out only the lines an edit or a kept-whole word changed. The answer
is the same, to the byte of the PDF (tests/test_lines.py compares with renders that reuse nothing).

Only lines of earlier renders are reused, and within a render only on a page made again (the contents
pages, once the page numbers are known; a page kzpress.page_turns makes again to keep a word whole),
from the lines set on that same page: a text that repeats itself does not lay out faster, so the
benchmark's repeated seed (row (e)) measures the cost of new text. On row (e) the contents pages made
again took 249 of their lines from their first making instead of setting them anew. The kept lines are
those of the latest render only, so memory stays that of one render.

This replaces a function inside WeasyPrint (`weasyprint.layout.inline.split_first_line`); it is done
only for the WeasyPrint version it was written and tested against (TESTED_WITH), and not at all
otherwise: a newer WeasyPrint renders correctly, without the reuse.
"""

from __future__ import annotations

from typing import Any

from kzpress.mends import once

TESTED_WITH = "70.0"
# Every style property split_first_line and its Pango layout read (weasyprint/text/*.py).
STYLE = (
    "direction", "font_family", "font_feature_settings", "font_kerning", "font_language_override", "font_size",
    "font_stretch", "font_style", "font_variant_alternates", "font_variant_caps", "font_variant_east_asian",
    "font_variant_ligatures", "font_variant_numeric", "font_variant_position", "font_variation_settings",
    "font_weight", "hyphenate_character", "hyphenate_limit_chars", "hyphenate_limit_zone", "hyphens", "lang",
    "letter_spacing", "line_height", "overflow_wrap", "tab_size", "text_decoration_line", "white_space",
    "word_break", "word_spacing",
)


class LineMemo:
    """The lines of the latest render with one font configuration, and the render being made."""

    def __init__(self) -> None:
        self.font_config: Any = None
        self.previous: dict[tuple, tuple] = {}
        self.current: dict[tuple, tuple] = {}
        self.styles: dict[int, tuple[Any, str]] = {}  # id(style) -> (style, its key), for this render
        self.page: int | None = None  # the index of the page being made
        self.pages: dict[int, dict[tuple, tuple]] = {}  # the lines set on each page made in this render
        self.reused = self.laid_out = 0

    def next_render(self, font_config: Any) -> None:
        """Start a render: what the one before set becomes reusable (all of it is dropped when the fonts
        changed)."""
        if font_config is not self.font_config:
            self.font_config, self.previous, self.current = font_config, {}, {}
        elif self.current:
            self.previous, self.current = self.current, {}
        self.styles.clear()
        self.page, self.pages = None, {}
        self.reused = self.laid_out = 0

    def style_key(self, style: Any) -> str:
        kept = self.styles.get(id(style))
        if kept is None or kept[0] is not style:
            kept = self.styles[id(style)] = (style, repr(tuple(style[name] for name in STYLE)))
        return kept[1]


memo = LineMemo()


@once(TESTED_WITH)
def install(weasyprint: Any) -> None:
    """Put the reusing `split_first_line` in WeasyPrint's inline layout, once; False if this WeasyPrint
    is not the version it was tested with (nothing is changed then)."""
    from weasyprint.layout import inline
    from weasyprint.layout import page as pagination
    from weasyprint.text.line_break import Layout

    set_line = inline.split_first_line

    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        if style.font_config is not memo.font_config:
            return set_line(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        key = (text, memo.style_key(style), max_width, justification_spacing, is_line_start, minimum)
        found = memo.previous.get(key)
        if found is None and memo.page in memo.pages:  # a page made again: the lines it set before
            found = memo.pages[memo.page].get(key)
        if found is not None:
            memo.reused += 1
            memo.current[key] = found
            state, metrics = found
            layout = Layout.__new__(Layout)  # as split_first_line leaves it: deactivated, plain values only
            layout.__dict__.update(state)
            return (layout, *metrics)
        memo.laid_out += 1
        result = set_line(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        memo.current[key] = entry = (dict(result[0].__dict__), result[1:])
        if memo.page is not None:
            memo.pages.setdefault(memo.page, {})[key] = entry
        return result

    make = pagination.remake_page

    def remake_page(index, context, root_box, html):
        memo.page = index
        try:
            return make(index, context, root_box, html)
        finally:
            memo.page = None

    inline.split_first_line = split_first_line
    pagination.remake_page = remake_page
