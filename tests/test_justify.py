"""Justified lines drawn as they were measured (kzpress.justify, WeasyPrint issue #2928): PT Serif kerns
the space against "A", "V", quotes and dashes, and WeasyPrint used to lose that kerning when it drew a
justified line, so the line ran past the margin."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

import pypdfium2
import pytest

from kzpress import justify
from kzpress.backends import html, pdf
from kzpress.document import Document
from kzpress.layout import load_settings

from conftest import ROOT

# Words the space kerns against in PT Serif (its GPOS pairs of the space: quotes -40, V -29, A -19 units).
KERNED = "To ‘quote’ Avow, “Wait” AT Vow Tokaev. ‘All’ Vast Arms “Yes” "


def _words(text: str) -> list[dict]:
    inlines: list[dict] = []
    for word in text.split():
        inlines += [{"t": "Space"}, {"t": "Str", "c": word}]
    return inlines[1:]


def _document(text: str, emphasis: bool) -> Document:
    """One paragraph of `text` over and over, with emphasis and strong words in it if `emphasis`."""
    space = {"t": "Space"}
    styled = [
        {"t": "Emph", "c": _words("Avow ‘this’")}, space, {"t": "Strong", "c": _words("Vast “Arms”")}, space,
    ]
    words = [*_words(text * 3), space, *(styled if emphasis else []), *_words(text * 5)]
    meta = {"title": {"t": "MetaString", "c": "A test"}, "lang": {"t": "MetaString", "c": "en-GB"}}
    return Document(meta=meta, blocks=[{"t": "Para", "c": words}])


def _lines(monkeypatch, *, mended: bool, emphasis: bool = True, css: str = "") -> list[list[tuple[str, float, float]]]:
    """The text lines of the PDF's text pages: (character, left, right) of each, by advance."""
    monkeypatch.setattr(justify, "applies", lambda: mended)
    settings = load_settings(ROOT / "layout", {"trim_size": "105mm 148mm"})
    options = html.HtmlOptions(ROOT / "layout", ROOT / "fonts", settings, "2022-01-05T00:00:00Z", (css,))
    data = pdf.render(html.write(_document(KERNED, emphasis), options), ROOT / "layout", True, pdf.READING_VARIANT)
    lines = []
    document = pypdfium2.PdfDocument(data)
    for page in document:
        text = page.get_textpage()
        rows: dict[int, list] = defaultdict(list)
        for i in range(text.count_chars()):
            char = text.get_text_range(i, 1)
            left, bottom, right, _ = text.get_charbox(i, loose=True)
            if char not in "\r\n":
                rows[round(bottom)].append((char, left, right))
        body = [sorted(row, key=lambda c: c[1]) for _, row in sorted(rows.items(), reverse=True)]
        rows = [row for row in body if len(row) > 20]  # not the running head, not the folio
        if len(rows) > 10:  # the text's page, not the title page or the colophon
            lines.append(rows)
    assert lines
    return lines


def _gaps(row) -> list[tuple[tuple[str, str], float]]:
    """Each space of a line: the characters on either side, and the width between them."""
    return [((row[k - 1][0], row[k + 1][0]), row[k + 1][1] - row[k - 1][2]) for k in range(1, len(row) - 1) if row[k][0] == " "]


@pytest.mark.parametrize("mended", [True, False], ids=["kzpress.justify", "word-spacing workaround"])
def test_justified_lines_end_at_the_measure(monkeypatch, mended):
    for page in _lines(monkeypatch, mended=mended):
        full = page[:-1]  # the paragraph's last line is not justified
        ends = [row[-1][2] for row in full if not row[-1][0].isspace()]
        assert len(ends) > 10
        assert max(ends) - min(ends) < 0.3, f"line ends spread over {max(ends) - min(ends):.2f} pt"


def test_justification_widens_the_kerned_spaces_of_a_line_alike(monkeypatch):
    """Each space of a justified line is its width in ragged text, kerning included, plus the line's
    justification. Drawn with an attribute on every space, the kerning was lost: the spaces before a
    quote or an "A" came out wider than that by up to 0.4 pt."""
    natural = {}
    for page in _lines(monkeypatch, mended=True, emphasis=False, css=".text p { text-align: left; }"):
        for row in page:
            natural.update(_gaps(row))
    spreads = []
    for page in _lines(monkeypatch, mended=True, emphasis=False):
        for row in page[:-1]:
            added = [gap - natural[pair] for pair, gap in _gaps(row) if pair in natural]
            assert len(added) > 3
            spreads.append(max(added) - min(added))
    assert max(spreads) < 0.03, spreads


def test_the_stylesheet_keeps_the_workaround_where_kzpress_justify_does_not_apply(monkeypatch):
    settings = load_settings(ROOT / "layout")
    options = html.HtmlOptions(ROOT / "layout", ROOT / "fonts", settings, "2022-01-05T00:00:00Z")
    document = _document(KERNED, emphasis=True)
    assert b"word-spacing" not in html.write(document, options)
    monkeypatch.setattr(justify, "applies", lambda: False)
    assert b"word-spacing: 0.01pt" in html.write(document, options)


def _justified_page() -> bytes:
    settings = load_settings(ROOT / "layout", {"trim_size": "105mm 148mm"})
    options = html.HtmlOptions(ROOT / "layout", ROOT / "fonts", settings, "2022-01-05T00:00:00Z")
    return html.write(_document(KERNED, emphasis=True), options)


def test_a_justified_text_keeps_for_drawing_what_weasyprint_keeps(monkeypatch):
    """The object add_word_spacing keeps for drawing each justified text, made without Pango, holds what
    WeasyPrint's own (a Pango layout made and dropped at once) holds."""
    pdf.weasyprint_module(ROOT / "layout")
    from weasyprint.layout import inline

    made = inline.create_layout
    compared = []

    def comparing(text, style, context, max_width, justification_spacing):
        ours = made(text, style, context, max_width, justification_spacing)
        theirs = made.weasyprints(text, style, context, max_width, justification_spacing)
        ours.deactivate()
        theirs.deactivate()
        compared.append((vars(ours), vars(theirs)))
        return made(text, style, context, max_width, justification_spacing)

    monkeypatch.setattr(inline, "create_layout", comparing)
    pdf.render(_justified_page(), ROOT / "layout", True, pdf.READING_VARIANT)
    assert len(compared) > 10
    for ours, theirs in compared:
        assert ours == theirs


def test_the_pdf_is_the_one_with_weasyprints_layouts_for_drawing(monkeypatch):
    pdf.weasyprint_module(ROOT / "layout")
    from weasyprint.layout import inline

    page = _justified_page()
    ours = pdf.render(page, ROOT / "layout", True, pdf.READING_VARIANT)
    monkeypatch.setattr(inline, "create_layout", inline.create_layout.weasyprints)
    assert pdf.render(page, ROOT / "layout", True, pdf.READING_VARIANT) == ours


def test_another_weasyprint_is_left_unchanged():
    assert not justify.install(SimpleNamespace(__version__="71.0"))
