"""Lines drawn from their glyph arrays (kzpress.drawing): the PDF WeasyPrint's own drawing writes, to the
byte, in English, Russian and Kazakh and with every kind of block; a line it does not take is left to
WeasyPrint."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kzpress import drawing
from kzpress.backends import pdf

from conftest import ROOT, print_page


def _both_ways(page: bytes, monkeypatch, render) -> tuple[bytes, bytes]:
    """The page drawn by kzpress.drawing, then by WeasyPrint alone; fails if kzpress drew no line."""
    pdf.weasyprint_module(ROOT / "layout")
    before = drawing.mend.count
    mended = render(page)
    assert drawing.mend.count > before, "no line was drawn by kzpress.drawing: the test shows nothing"
    monkeypatch.setattr(drawing.mend, "enabled", False)
    drawn = drawing.mend.count
    unmended = render(page)
    assert drawing.mend.count == drawn
    return mended, unmended


@pytest.mark.parametrize("name, trim_size", [
    ("kazakhstan-2022", "148mm 210mm"),
    ("pdf-russian", "105mm 148mm"),
    ("pdf-kazakh", "105mm 148mm"),
    ("pdf-every-block", "148mm 210mm"),
])
def test_the_pdf_is_the_one_weasyprint_draws(name, trim_size, monkeypatch):
    mended, unmended = _both_ways(print_page(name, trim_size), monkeypatch,
                                  lambda page: pdf.render(page, ROOT / "layout", True, pdf.READING_VARIANT))
    assert mended == unmended


def test_a_glyph_missing_from_its_font_is_drawn_by_weasyprint(monkeypatch):
    # U+4E00 is in none of kzpress's fonts: its line is WeasyPrint's (.notdef, and a warning), the other kzpress's.
    weasyprint = pdf.weasyprint_module(ROOT / "layout")
    text = "<p style='font-family: PT Serif'>A line of its own.</p><p style='font-family: PT Serif'>A \u4e00 glyph.</p>"
    counts = []

    def render(_page: bytes) -> bytes:
        before = drawing.mend.count
        result = weasyprint.HTML(string=text).write_pdf()
        counts.append(drawing.mend.count - before)
        return result

    mended, unmended = _both_ways(b"", monkeypatch, render)
    assert mended == unmended
    assert counts == [1, 0]


def test_another_weasyprint_version_is_left_as_it_is():
    assert drawing.install(SimpleNamespace(__version__="0.1")) is False
