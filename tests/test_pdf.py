"""The reading PDF of the seed: every paragraph, the headings as bookmarks, our fonts, A5 pages, PDF/UA,
front matter and running heads, and no word broken across a page turn."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest

from kzpress.backends import html, pdf
from kzpress.build import load
from kzpress.fonts import font_faces
from kzpress.inspect import pdf_summary, pdf_text
from kzpress.layout import load_settings
from kzpress.seeds import find_seeds

from conftest import ROOT, SEEDS

SLUG = "kazakhstan-2022"
TITLE = "Kazakhstan 2022: Revolt, Repression and the Way Forward"
HEADINGS = ["Nothing resolved", "Escalation", "Perspective and programme"]
LINE_END_HYPHEN = "\ufffe"  # how pdfium reports a hyphen at the end of a line
BOUNDED_LINE_END_HYPHEN = "\x02"  # the same, in the text of a rectangle


def _letters(text: str) -> str:
    # Line-end hyphenation splits words, so compare letters and digits only.
    return re.sub(r"[\W_]+", "", text)


def _without_margins(page: str) -> str:
    """The page's text without its running head and folio, which pdfium gives after the text."""
    heads = "|".join(re.escape(head) for head in [TITLE, *HEADINGS])
    page = re.sub(rf"\r\n(?:{heads}) \d+\s*$", "", page)  # a right page: section, folio
    # A left page: folio, title; the opening page: its folio alone (glued to a line-end hyphen).
    return re.sub(rf"(?<=[\n\ufffe])\d+(?: (?:{heads}))?\s*$", "", page)


@pytest.fixture(scope="module")
def seed_pdf(seed_build) -> bytes:
    return (seed_build / SLUG / "en-GB" / f"{SLUG}.pdf").read_bytes()


@pytest.fixture(scope="module")
def seed_pages(seed_pdf) -> list[str]:
    return pdf_text(seed_pdf)


def test_pdf_holds_every_paragraph_of_the_seed(seed_pages):
    lines = [line for line in (SEEDS / f"{SLUG}.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs = [line for line in lines if line not in HEADINGS]
    assert len(paragraphs) == 40
    text = _letters("".join(_without_margins(page) for page in seed_pages[2:]))
    missing = [paragraph[:40] for paragraph in paragraphs if _letters(paragraph) not in text]
    assert missing == []


def test_pdf_bookmarks_are_the_section_headings(seed_pdf):
    assert pdf_summary(seed_pdf)["bookmarks"] == [[1, heading] for heading in HEADINGS]


def test_pdf_pages_are_a5(seed_pdf):
    assert pdf_summary(seed_pdf)["page_size_mm"] == [[148.0, 210.0]]


def test_pdf_fonts_are_embedded_and_come_from_fonts_folder(seed_pdf):
    from fontTools.ttLib import TTFont

    ours = set()
    for face in font_faces(ROOT / "fonts"):
        with TTFont(face.path, lazy=True) as font:
            ours.add(font["name"].getDebugName(6))
    fonts = pdf_summary(seed_pdf)["fonts"]
    assert fonts, "no fonts found in the PDF"
    assert {name: info["embedded"] for name, info in fonts.items()} == {name: True for name in fonts}
    assert set(fonts) <= ours


def test_pdf_metadata_names_title_author_and_language(seed_pdf):
    summary = pdf_summary(seed_pdf)
    assert summary["title"].startswith("Kazakhstan 2022")
    assert summary["author"] == "kzpress editorial collective"
    assert summary["language"] == "en-GB"


def test_pdf_is_tagged_as_pdf_ua_1(seed_pdf):
    with pikepdf.open(io.BytesIO(seed_pdf)) as document:
        assert 'pdfuaid:part="1"' in str(document.open_metadata())
        assert document.Root.MarkInfo.Marked is True and "/StructTreeRoot" in document.Root


def test_pdf_text_is_hyphenated_at_line_ends(seed_pages):
    # pdfium marks a hyphen the layout inserted at a line end as U+FFFE between the word's halves.
    text = "".join(seed_pages)
    assert len(re.findall(f"[a-z]{LINE_END_HYPHEN}[a-z]", text)) >= 10


def test_title_page_then_colophon_then_the_text_on_a_right_page(seed_pages):
    assert seed_pages[0].startswith(TITLE.replace(" Repression", "\r\nRepression"))
    assert seed_pages[0].endswith("kzpress\r\n2022")  # the imprint; no folio, no running head
    assert "©\u00a02022 the authors. Licensed CC BY-SA 4.0." in seed_pages[1] and "Language: English" in seed_pages[1]
    assert seed_pages[2].startswith("The mass revolt in Kazakhstan")
    assert seed_pages[2].endswith("\r\n3")  # the opening page: a folio, no running head


def test_left_pages_carry_the_title_right_pages_the_section(seed_pages):
    for number, page in enumerate(seed_pages[3:], start=4):
        if number % 2 == 0:
            assert page.endswith(f"\r\n{number} {TITLE}")
        else:
            assert re.search(rf"\r\n({'|'.join(HEADINGS)}) {number}$", page), page[-60:]
    assert seed_pages[4].endswith("Escalation 5")  # the section that begins on the page


# No word broken across a page turn. On A6 pages the seed, laid out without the fix, ends pages
# inside hyphenated words; with it, none.


@pytest.fixture(scope="module")
def small_pages():
    """The seed on A6, laid out without and with the fix: (the laid-out pages, the PDF's page ends)."""
    edition = load(find_seeds(SEEDS)[SLUG], notice=lambda message: None)
    settings = load_settings(ROOT / "layout", {"trim_size": "105mm 148mm"})
    page = html.write(edition.document, html.HtmlOptions(ROOT / "layout", ROOT / "fonts", settings, edition.created))
    results = {}
    for whole in (False, True):
        laid_out = pdf.lay_out(page, ROOT / "layout", whole_words=whole)
        results[whole] = (laid_out, _page_ends(laid_out.write_pdf()))
    return results


def _page_ends(data: bytes) -> list[tuple[str, str]]:
    """Each page's last line of text and first line, read from the PDF inside the page area, below
    the running head."""
    import pypdfium2

    ends = []
    document = pypdfium2.PdfDocument(data)
    for page in document:
        width, height = page.get_size()
        top = height - 16 / 25.4 * 72  # margin_top: the running head and the folio are above it
        lines = page.get_textpage().get_text_bounded(0, 0, width, top).strip().splitlines() or [""]
        ends.append((lines[0], lines[-1]))
    document.close()
    return ends


def test_without_the_fix_pages_end_inside_hyphenated_words(small_pages):
    laid_out, ends = small_pages[False]
    turns = pdf.hyphenated_page_turns(laid_out)
    assert turns, "the test document no longer shows the problem: choose another trim size"
    for turn, _ in turns:
        last, following = ends[turn.page][1], ends[turn.page + 1][0]
        assert last.endswith(BOUNDED_LINE_END_HYPHEN) and turn.before.replace("\u00ad", "") in last
        assert following.startswith(turn.after.replace("\u00ad", ""))


def test_no_page_ends_inside_a_hyphenated_word(small_pages):
    laid_out, ends = small_pages[True]
    assert pdf.hyphenated_page_turns(laid_out) == []
    text_pages = [last for _, last in ends[2:-1]]
    assert text_pages and [end for end in text_pages if end.endswith((BOUNDED_LINE_END_HYPHEN, LINE_END_HYPHEN, "-"))] == []


def test_keeping_a_word_whole_takes_out_only_that_words_breaks():
    from xml.etree import ElementTree

    paragraph = ElementTree.fromstring(
        "<p>they re\u00adfused, <em>then</em> a blood-curdling or\u00adder to re\u00adturn</p>"
    )
    pdf.keep_whole(paragraph, pdf.PageTurn(0, "re\u00ad", "fused,", hard=False))
    pdf.keep_whole(paragraph, pdf.PageTurn(0, "blood", "curdling", hard=True))
    assert paragraph.text == "they refused, "
    assert paragraph[0].tail == " a blood-\u2060curdling or\u00adder to re\u00adturn"
