"""Margin-box styles shared between pages with the same @page rules (kzpress.margin_styles): the PDF
WeasyPrint makes with every page's own, to the byte, in English, Russian and Kazakh, with every kind of
block, and with left and right pages set differently."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kzpress import margin_styles
from kzpress.backends import pdf

from conftest import ROOT, print_page

# Margin boxes that differ between left and right pages (one the same but for the colour it inherits
# from its page), the first page and one by its index.
SIDES = """
@page :left { color: #800000 }
@page { @bottom-left { content: "markside " counter(page) } }
@page :right { @bottom-right { content: "markright " counter(page); font-style: italic } }
@page :first { @bottom-center { content: "markfirst" } }
@page :nth(3) { @bottom-center { content: "markthird" } }
"""


@pytest.mark.parametrize("name, trim_size, css", [
    ("kazakhstan-2022", "148mm 210mm", ""),
    ("kazakhstan-2022", "105mm 148mm", SIDES),
    ("pdf-russian", "105mm 148mm", ""),
    ("pdf-kazakh", "105mm 148mm", ""),
    ("pdf-every-block", "148mm 210mm", ""),
])
def test_the_pdf_is_the_one_with_every_pages_own_styles(name, trim_size, css, monkeypatch):
    page = print_page(name, trim_size, css)
    before = margin_styles.sharing.count
    shared = pdf.render(page, ROOT / "layout", True, pdf.READING_VARIANT)
    assert margin_styles.sharing.count > before, "no style was shared: the test shows nothing"
    monkeypatch.setattr(margin_styles.sharing, "enabled", False)
    assert pdf.render(page, ROOT / "layout", True, pdf.READING_VARIANT) == shared


def test_a_margin_box_set_for_one_page_is_on_that_page_only():
    import pypdfium2

    data = pdf.render(print_page("kazakhstan-2022", "105mm 148mm", SIDES), ROOT / "layout", True, pdf.READING_VARIANT)
    texts = [page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(data)]
    assert [index for index, text in enumerate(texts) if "markthird" in text] == [2]
    assert [index for index, text in enumerate(texts) if "markfirst" in text] == [0]
    assert all(("markside" in text, "markright" in text) == (True, index % 2 == 0)
               for index, text in enumerate(texts) if index > 1)


def test_another_weasyprint_version_is_left_as_it_is():
    assert margin_styles.install(SimpleNamespace(__version__="0.1")) is False
