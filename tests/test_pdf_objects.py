"""How pydyf writes the PDF's objects (kzpress.pdf_objects): page references kept between calls, the
same tagged PDF to the byte, a page added later referenced too; streams compressed at zlib's default."""

from __future__ import annotations

import io
import zlib
from types import SimpleNamespace

import pikepdf
import pydyf
import pytest

from kzpress import pdf_objects
from kzpress.backends import html, pdf
from kzpress.build import load
from kzpress.layout import load_settings
from kzpress.seeds import find_seeds

from conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def laid_out():
    edition = load(find_seeds(SEEDS)["kazakhstan-2022"], notice=lambda message: None)
    page = html.write(edition.document, html.HtmlOptions(ROOT / "layout", ROOT / "fonts", load_settings(ROOT / "layout", {}), edition.created))
    return pdf.lay_out(page, ROOT / "layout", pdf_variant=pdf.READING_VARIANT)


def test_a_page_added_after_the_references_were_read_is_referenced():
    assert pdf_objects.install(pydyf)
    document = pydyf.PDF()
    first, second = pydyf.Dictionary({"Type": "/Page"}), pydyf.Dictionary({"Type": "/Page"})
    document.add_page(first)
    assert document.page_references == (f"{first.number} 0 R".encode(),)
    document.add_page(second)
    assert document.page_references == (f"{first.number} 0 R".encode(), f"{second.number} 0 R".encode())


def test_the_tagged_pdf_is_the_same_to_the_byte_with_the_references_kept(laid_out, monkeypatch):
    assert pydyf.PDF.page_references.fget.kept
    kept = laid_out.write_pdf(pdf_variant=pdf.READING_VARIANT)
    monkeypatch.setattr(pydyf.PDF, "page_references", property(lambda document: tuple(
        f"{number} 0 R".encode("ascii") for number in document.pages["Kids"][::3])))  # pydyf's own
    assert laid_out.write_pdf(pdf_variant=pdf.READING_VARIANT) == kept


def test_streams_are_compressed_at_the_default_level_and_read_back_the_same(laid_out, monkeypatch):
    ours = laid_out.write_pdf(pdf_variant=pdf.READING_VARIANT)
    monkeypatch.setattr(pydyf, "zlib", zlib)  # pydyf's own: level 9
    theirs = laid_out.write_pdf(pdf_variant=pdf.READING_VARIANT)
    assert len(theirs) < len(ours) < 1.1 * len(theirs)
    with pikepdf.open(io.BytesIO(ours)) as mine, pikepdf.open(io.BytesIO(theirs)) as other:
        assert [page.Contents.read_bytes() for page in mine.pages] == [page.Contents.read_bytes() for page in other.pages]


def test_another_pydyf_version_is_left_as_it_is():
    assert pdf_objects.install(SimpleNamespace(__version__="0.1")) is False
