"""A footnote call never starts a line: it stays on the line of the word it belongs to.

Unicode line breaking allows a break between a full stop and a digit, so WeasyPrint would set
"pay." at the end of one line and the call "¹" at the start of the next. The print HTML puts a word
joiner before every note (backends/html.py). The test text has a call after a full stop at many
positions of a narrow column, so that some of them fall at a line end; it is laid out with and
without the joiner, in every design.
"""

from __future__ import annotations

import pytest

from kzpress import pandoc
from kzpress.backends import html, pdf
from kzpress.document import Document
from kzpress.layout import load_settings

from conftest import ROOT

WORDS = "the council conceded three of the four demands outright and offered a rise of seven per cent".split()
# A call after "pay." at the end of a run of 1, 2, … words, and a link's address note after a full stop.
TEXT = "\n\n".join(
    [f"{' '.join(WORDS[:count])} on pay.[^{count}] The drivers accepted." for count in range(1, len(WORDS) + 1)]
    + ["The archive is on the union's website: [example.org/bulletins.](https://example.org/bulletins)"]
    + [f"[^{count}]: Note {count}." for count in range(1, len(WORDS) + 1)]
)
NARROW = "62mm 150mm"  # a column of about 25 characters: many line ends


def _document() -> Document:
    front = "---\ntitle: Note calls\nlang: en-GB\n---\n\n"
    return Document.from_json(pandoc.to_json((front + TEXT).encode(), "markdown"))


def _laid_out(design: str, monkeypatch: pytest.MonkeyPatch | None = None):
    settings = load_settings(ROOT / "layout", {"design": design, "trim_size": NARROW})
    if monkeypatch is not None:
        monkeypatch.setattr(html, "_bind_note_calls", lambda text: None)
    options = html.HtmlOptions(ROOT / "layout", ROOT / "fonts", settings, "2026-01-01T00:00:00Z", source="test")
    return pdf.lay_out(html.write(_document(), options), ROOT / "layout")


def _lines(laid_out):
    """Each line of the text as a list of (text, is it a note call)."""
    for page in laid_out.pages:
        for box in page._page_box.descendants():
            if type(box).__name__ == "LineBox":
                pieces = list(_pieces(box, in_call=False))
                if pieces:
                    yield pieces


def _pieces(box, in_call: bool):
    for child in getattr(box, "children", ()):
        call = in_call or (child.element_tag or "").endswith("::footnote-call")
        if type(child).__name__ == "TextBox":
            if child.text.strip("\u2060 "):
                yield child.text, call
        else:
            yield from _pieces(child, call)


def _calls_starting_a_line(laid_out) -> list[str]:
    return [" ".join(text for text, _ in line) for line in _lines(laid_out) if line[0][1]]


def _calls(laid_out) -> list[str]:
    """Each call with the text before it on its line."""
    found = []
    for line in _lines(laid_out):
        for index, (text, call) in enumerate(line):
            if call:
                found.append("".join(piece for piece, _ in line[:index]) + "^" + text)
    return found


def test_without_the_word_joiner_a_call_starts_a_line(monkeypatch):
    starting = _calls_starting_a_line(_laid_out("pamphlet", monkeypatch))
    assert starting, "the test text no longer puts a call at a line end: change NARROW or WORDS"


@pytest.mark.parametrize("design", ["pamphlet", "leaflet", "book"])
def test_every_call_is_on_the_line_of_the_word_before_it(design):
    laid_out = _laid_out(design)
    assert _calls_starting_a_line(laid_out) == []
    calls = _calls(laid_out)
    assert len(calls) == len(WORDS) + 1
    preceding = [call.replace("\u2060", "").rstrip("0123456789") for call in calls]
    assert [text for text in preceding if not text.endswith(("pay.^", "bulletins.^"))] == []
