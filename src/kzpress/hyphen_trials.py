"""Soft-hyphen trials that cannot fit, answered from the shortest of them instead of tried one by one.

WeasyPrint sets a line (`split_first_line`) by asking Pango to break the text at the measure. Pango
breaks at a soft hyphen when the word's first part and a hyphen fit, and otherwise at the space before
the word. Where Pango broke at a space and the next word does not fit whole, WeasyPrint tries every
soft hyphen from there to the end of the text it took, the farthest first, each trial a Pango layout of
the line so far, the word's part and a hyphen: on the 141-page text of benchmark row (e), 11,086 trials
in 3,387 lines, a third of all the layouts of its pages, and not one of them fitted.

Here, in such a line, the shortest trial (up to the first soft hyphen after the line) is laid out
first. When it does not fit on the line, no longer one can (more text is never narrower), and every
trial is answered with the layout Pango already made, which does not fit either: WeasyPrint then
keeps the break at the space, as the trials would have made it. When the shortest fits, every trial
is laid out as before. So the lines are the ones WeasyPrint sets; the PDFs are the same to the byte
(tests/test_hyphen_trials.py).

This replaces two functions inside WeasyPrint (`split_first_line` as the inline layout calls it, and
`create_layout`); it is done only for the WeasyPrint version it was written and tested against
(TESTED_WITH), and not at all otherwise.
"""

from __future__ import annotations

from typing import Any

from kzpress.hyphenation import SOFT_HYPHEN
from kzpress.mends import once

TESTED_WITH = "70.0"


class LineBeingSet:
    """What is known of the line `split_first_line` is setting, from Pango's first layout of it."""

    __slots__ = ("style", "first_layout", "before_word", "hopeless")

    def __init__(self, style: Any) -> None:
        self.style = style
        self.first_layout: Any = None
        self.before_word: str | None = None  # the line's text when Pango broke it at a space, and it fits
        self.hopeless: bool | None = None  # whether the shortest trial does not fit


class Trials:
    """The line being set in this process, and how many trials were answered without a layout. `enabled`
    False lets WeasyPrint try them all, to compare."""

    def __init__(self) -> None:
        self.enabled = True
        self.line: LineBeingSet | None = None
        self.answered = 0


trials = Trials()


@once(TESTED_WITH)
def install(weasyprint: Any) -> None:
    """Put the answering functions in WeasyPrint's line setting, once, before kzpress.lines wraps it;
    False (and nothing changed) if this WeasyPrint is not the version it was tested with."""
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    set_line, create = inline.split_first_line, line_break.create_layout

    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        manual = trials.enabled and style["hyphens"] == "manual" and max_width is not None
        trials.line = LineBeingSet(style) if manual else None
        try:
            return set_line(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        finally:
            trials.line = None

    def create_layout(text, style, context, max_width, justification_spacing):
        line = trials.line
        if line is None or style is not line.style:
            return create(text, style, context, max_width, justification_spacing)
        if line.first_layout is None:  # Pango's first layout of the line: where did it break?
            layout = line.first_layout = create(text, style, context, max_width, justification_spacing)
            first_line, index = layout.get_first_line()
            if index and line_break.line_size(first_line, style)[0] <= max_width:
                before = text.encode()[:index].decode()
                line.before_word = None if before.endswith(SOFT_HYPHEN) else before
            return layout
        hyphen = style["hyphenate_character"]
        before = line.before_word
        if before is None or not (text.startswith(before) and text.endswith(hyphen) and SOFT_HYPHEN in text[len(before):]):
            return create(text, style, context, max_width, justification_spacing)
        if line.hopeless is None:
            rest = text[len(before):]
            shortest = before + rest[: rest.index(SOFT_HYPHEN) + 1] + hyphen
            layout = create(shortest, style, context, max_width, justification_spacing)
            line.hopeless = layout.get_first_line()[1] is not None
            if shortest == text:
                return layout
        if not line.hopeless:
            return create(text, style, context, max_width, justification_spacing)
        trials.answered += 1
        return line.first_layout  # as WeasyPrint left it: the line does not take the next word

    inline.split_first_line = split_first_line
    line_break.create_layout = create_layout
