"""Pango contexts and font descriptions kept per style (kzpress.pango_contexts): the PDF WeasyPrint makes
with a context of its own for every layout, to the byte, in English, Russian and Kazakh and with every
kind of block."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kzpress import lines, pango_contexts
from kzpress.backends import pdf

from conftest import ROOT, NothingReused, print_page


@pytest.mark.parametrize("name, trim_size", [
    ("kazakhstan-2022", "148mm 210mm"),
    ("pdf-russian", "105mm 148mm"),
    ("pdf-kazakh", "105mm 148mm"),
    ("pdf-every-block", "148mm 210mm"),
])
def test_the_pdf_is_the_one_with_a_context_for_every_layout(name, trim_size, monkeypatch):
    monkeypatch.setattr(lines, "memo", NothingReused())
    page = print_page(name, trim_size)
    kept = pdf.render(page, ROOT / "layout", True, pdf.READING_VARIANT)
    monkeypatch.setattr(pango_contexts.kept, "enabled", False)
    assert pdf.render(page, ROOT / "layout", True, pdf.READING_VARIANT) == kept


def test_a_context_is_made_for_each_direction_and_language_only():
    weasyprint = pdf.weasyprint_module(ROOT / "layout")
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    words = " ".join(["word"] * 400)
    page = f"<p lang='en'>{words}</p><p lang='ru'>{words}</p><p lang='en' dir='rtl'>{words}</p><p>{words}</p>"
    weasyprint.HTML(string=page).write_pdf(font_config=font_config)
    assert sorted(key[0] + " " + str(key[2]) for key in font_config.kzpress_contexts) == [
        "ltr None", "ltr en", "ltr ru", "rtl en"]


def test_another_weasyprint_version_is_left_as_it_is():
    assert pango_contexts.install(SimpleNamespace(__version__="0.1")) is False
