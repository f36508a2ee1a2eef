"""Words kept whole at page turns while the pages are made (kzpress.page_turns): one layout, the same
pages as the passes that lay the whole document out again, footnotes and all."""

from __future__ import annotations

import re
from contextlib import nullcontext
from types import SimpleNamespace

import pytest
from weasyprint.formatting_structure import boxes

from kzpress import page_turns
from kzpress.backends import html, pdf
from kzpress.build import load
from kzpress.document import Document
from kzpress.inspect import pdf_text
from kzpress.layout import load_settings
from kzpress.seeds import find_seeds

from conftest import ROOT, SEEDS

A6 = "105mm 148mm"  # the seed's pages end in hyphenated words on it (tests/test_pdf.py)
WORDS = (
    "the extraordinary circumstances demanded considerable organisational independence from "
    "established institutions whose representatives systematically misunderstood workers"
).split()


def _page(document: Document, created: str = "2022-01-05T00:00:00Z") -> bytes:
    settings = load_settings(ROOT / "layout", {"trim_size": A6})
    return html.write(document, html.HtmlOptions(ROOT / "layout", ROOT / "fonts", settings, created))


@pytest.fixture(scope="module")
def seed_page() -> bytes:
    edition = load(find_seeds(SEEDS)["kazakhstan-2022"], notice=lambda message: None)
    return _page(edition.document, edition.created)


def _words(count: int, start: int) -> list[dict]:
    inlines: list[dict] = []
    for i in range(count):
        inlines += [{"t": "Space"}, {"t": "Str", "c": WORDS[(7 * i + start) % len(WORDS)]}]
    return inlines[1:]


def _noted_document(paragraphs: int = 30) -> Document:
    """Paragraphs of long words, each calling a footnote that ends in its own mark "NoteN."."""
    blocks = []
    for k in range(paragraphs):
        note = {"t": "Note", "c": [{"t": "Para", "c": [*_words(8 + k % 5, k), {"t": "Space"}, {"t": "Str", "c": f"Note{k}."}]}]}
        blocks.append({"t": "Para", "c": [*_words(40 + 13 * k % 50, k), note, {"t": "Space"}, *_words(20, k + 3)]})
    meta = {"title": {"t": "MetaString", "c": "A test"}, "lang": {"t": "MetaString", "c": "en-GB"}}
    return Document(meta=meta, blocks=blocks)


def test_the_pages_are_made_once_with_the_broken_words_kept_whole(seed_page, monkeypatch):
    import weasyprint

    renders = []
    render = weasyprint.HTML.render
    monkeypatch.setattr(weasyprint.HTML, "render", lambda *args, **kwargs: renders.append(1) or render(*args, **kwargs))
    laid_out = pdf.lay_out(seed_page, ROOT / "layout")
    assert page_turns.making.kept_whole, "the seed no longer ends an A6 page in a broken word: choose another size"
    assert pdf.hyphenated_page_turns(laid_out) == []
    assert len(renders) == 1


def test_the_pages_are_those_of_the_passes_it_replaces(seed_page, monkeypatch):
    made_once = pdf_text(pdf.lay_out(seed_page, ROOT / "layout").write_pdf())
    monkeypatch.setattr(page_turns, "keeping_words_whole", nullcontext)
    assert pdf_text(pdf.lay_out(seed_page, ROOT / "layout").write_pdf()) == made_once


def test_each_kept_whole_word_starts_the_next_page_and_the_pages_before_are_unchanged(seed_page):
    broken = pdf_text(pdf.lay_out(seed_page, ROOT / "layout", whole_words=False).write_pdf())
    whole = pdf_text(pdf.lay_out(seed_page, ROOT / "layout").write_pdf())
    kept = page_turns.making.kept_whole
    for index, word in kept:
        assert whole[index + 1].lstrip().startswith(word), (word, whole[index + 1][:40])
    first = kept[0][0]
    assert whole[:first] == broken[:first] and whole[first] != broken[first]


def test_footnotes_of_a_page_made_again_are_set_once_each():
    document = _noted_document()
    pages = pdf_text(pdf.lay_out(_page(document), ROOT / "layout").write_pdf())
    noted = [index for index, _ in page_turns.making.kept_whole if re.search(r"Note\d+\.", pages[index])]
    assert noted, "no page made again carries a footnote: change the test document"
    assert sorted(re.findall(r"Note\d+\.", "".join(pages))) == sorted(f"Note{k}." for k in range(len(document.blocks)))


def _paragraph(text: str) -> tuple[boxes.BlockBox, boxes.TextBox]:
    words = boxes.TextBox("p", None, None, text)
    return boxes.BlockBox("p", None, None, [boxes.LineBox("p", None, None, [words])]), words


def _at(text: str, before: str) -> dict:
    """WeasyPrint's skip stack for a page starting after `before` in the paragraph: UTF-8 bytes."""
    assert text.startswith(before)
    return {0: {0: {len(before.encode()): None}}}


def test_a_word_broken_at_a_soft_hyphen_loses_its_soft_hyphens_there_only():
    text = "они вос\u00adстали, вос\u00adстали - кро\u00adва\u00adво"
    paragraph, words = _paragraph(text)
    assert page_turns.keep_whole_at(paragraph, _at(text, "они вос\u00ad")) == "восстали,"
    assert words.text == "они восстали, вос\u00adстали - кро\u00adва\u00adво"


def test_a_word_broken_at_its_own_hyphen_is_joined_there():
    text = "a blood-curdling or\u00adder"
    paragraph, words = _paragraph(text)
    assert page_turns.keep_whole_at(paragraph, _at(text, "a blood-")) == "blood-curdling"
    assert words.text == "a blood-\u2060curdling or\u00adder"


@pytest.mark.parametrize("before", ["a ", "a blood -", "a blood -curdling "])
def test_a_page_starting_between_words_is_left_alone(before):
    text = "a blood -curdling or\u00adder"
    paragraph, words = _paragraph(text)
    assert page_turns.keep_whole_at(paragraph, _at(text, before)) is None
    assert page_turns.keep_whole_at(paragraph, None) is None
    assert words.text == text


def test_another_weasyprint_version_is_left_as_it_is():
    assert page_turns.install(SimpleNamespace(__version__="0.1")) is False
