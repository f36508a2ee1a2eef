"""The PDF's page references kept between calls (kzpress.page_references): the same tagged PDF, to the
byte, and a page added later is referenced too."""

from __future__ import annotations

from types import SimpleNamespace

import pydyf

from kzpress import page_references
from kzpress.backends import html, pdf
from kzpress.build import load
from kzpress.layout import load_settings
from kzpress.seeds import find_seeds

from conftest import ROOT, SEEDS


def test_a_page_added_after_the_references_were_read_is_referenced():
    assert page_references.install(pydyf)
    document = pydyf.PDF()
    first, second = pydyf.Dictionary({"Type": "/Page"}), pydyf.Dictionary({"Type": "/Page"})
    document.add_page(first)
    assert document.page_references == (f"{first.number} 0 R".encode(),)
    document.add_page(second)
    assert document.page_references == (f"{first.number} 0 R".encode(), f"{second.number} 0 R".encode())


def test_the_tagged_pdf_is_the_same_to_the_byte(monkeypatch):
    edition = load(find_seeds(SEEDS)["kazakhstan-2022"], notice=lambda message: None)
    page = html.write(edition.document, html.HtmlOptions(ROOT / "layout", ROOT / "fonts", load_settings(ROOT / "layout", {}), edition.created))
    laid_out = pdf.lay_out(page, ROOT / "layout", pdf_variant=pdf.READING_VARIANT)
    assert pydyf.PDF.page_references.fget.kept
    kept = laid_out.write_pdf(pdf_variant=pdf.READING_VARIANT)
    monkeypatch.setattr(pydyf.PDF, "page_references", property(lambda document: tuple(
        f"{number} 0 R".encode("ascii") for number in document.pages["Kids"][::3])))  # pydyf's own
    assert laid_out.write_pdf(pdf_variant=pdf.READING_VARIANT) == kept


def test_another_pydyf_version_is_left_as_it_is():
    assert page_references.install(SimpleNamespace(__version__="0.1")) is False
