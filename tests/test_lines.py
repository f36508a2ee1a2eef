"""Lines reused from the previous render (kzpress.lines): the same PDF, to the byte, as a render that
lays every line out anew, after a page-turn pass, an edit, or a change of style."""

from __future__ import annotations

from contextlib import nullcontext
from types import SimpleNamespace

import pytest

from kzpress import lines, page_turns
from kzpress.backends import html, pdf
from kzpress.build import load
from kzpress.layout import load_settings
from kzpress.seeds import find_seeds

from conftest import ROOT, SEEDS, NothingReused

SLUG = "kazakhstan-2022"


@pytest.fixture(scope="module")
def edition():
    return load(find_seeds(SEEDS)[SLUG], notice=lambda message: None)


def _page(edition, document=None, **settings) -> bytes:
    options = html.HtmlOptions(ROOT / "layout", ROOT / "fonts", load_settings(ROOT / "layout", settings), edition.created)
    return html.write(document or edition.document, options)


def _pdf(page: bytes) -> bytes:
    return pdf.render(page, ROOT / "layout", True, pdf.READING_VARIANT)


def _fresh_pdf(page: bytes, monkeypatch) -> bytes:
    with monkeypatch.context() as patch:
        patch.setattr(lines, "memo", NothingReused())
        return _pdf(page)


def _edited(document):
    """The document with a few words added to its longest paragraph."""
    blocks = [dict(block) for block in document.blocks]
    longest = max((i for i, block in enumerate(blocks) if block["t"] == "Para"), key=lambda i: len(str(blocks[i])))
    blocks[longest] = {"t": "Para", "c": [*blocks[longest]["c"], {"t": "Space"}, {"t": "Str", "c": "(edited)"}]}
    return type(document)(meta=document.meta, blocks=blocks)


def test_the_page_turn_pass_reuses_lines_and_makes_the_same_pdf(edition, monkeypatch):
    # The pass that lays the pages out again for a word kzpress.page_turns did not keep whole.
    monkeypatch.setattr(page_turns, "keeping_words_whole", nullcontext)
    page = _page(edition, trim_size="105mm 148mm")  # A6: pages end in hyphenated words (tests/test_pdf.py)
    reused = _pdf(page)
    assert lines.memo.reused > lines.memo.laid_out > 0  # the last pass: most lines, not all
    assert reused == _fresh_pdf(page, monkeypatch)


def test_an_edit_reuses_the_lines_it_leaves_alone_and_makes_the_same_pdf(edition, monkeypatch):
    _pdf(_page(edition))
    page = _page(edition, _edited(edition.document))
    reused = _pdf(page)
    assert lines.memo.reused > 10 * lines.memo.laid_out > 0
    assert reused == _fresh_pdf(page, monkeypatch)


def test_a_page_made_again_takes_the_lines_it_set_before_and_makes_the_same_pdf(edition, monkeypatch):
    # The contents page is made again once the page numbers are known, and a page whose last word
    # kzpress.page_turns keeps whole; lines set on other pages of the same render are not taken.
    page = _page(edition, trim_size="105mm 148mm")
    monkeypatch.setattr(lines, "memo", lines.LineMemo())
    reused = _pdf(page)
    assert lines.memo.reused > 0  # this memo's first render: nothing came from an earlier one
    assert reused == _fresh_pdf(page, monkeypatch)


def test_a_text_that_repeats_itself_in_a_render_is_laid_out_anew(edition, monkeypatch):
    # Its paragraphs twice over, no heading (so no contents page), words left to break at page turns:
    # no page is made again, and no line is taken from another page.
    paragraphs = [block for block in edition.document.blocks if block["t"] == "Para"]
    page = _page(edition, type(edition.document)(meta=edition.document.meta, blocks=paragraphs * 2))
    monkeypatch.setattr(lines, "memo", lines.LineMemo())
    pdf.render(page, ROOT / "layout", False, pdf.READING_VARIANT)
    assert lines.memo.laid_out > 100
    assert lines.memo.reused == 0


@pytest.mark.parametrize("setting", [{"font_size": "10.5pt"}, {"body_font": "PT Sans"}])
def test_lines_set_in_another_style_are_laid_out_anew(edition, monkeypatch, setting):
    _pdf(_page(edition))
    page = _page(edition, **setting)
    assert _pdf(page) == _fresh_pdf(page, monkeypatch)


def test_another_weasyprint_version_is_left_as_it_is():
    assert lines.install(SimpleNamespace(__version__="0.1")) is False
