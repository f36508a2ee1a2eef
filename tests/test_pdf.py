"""The reading PDF of the seed: every paragraph, the headings as bookmarks, our fonts, A5 pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kzpress.fonts import font_faces
from kzpress.inspect import pdf_summary, pdf_text

from conftest import ROOT, SEEDS

SLUG = "kazakhstan-2022"
HEADINGS = ["Nothing resolved", "Escalation", "Perspective and programme"]


def _letters(text: str) -> str:
    # Line-end hyphenation splits words, so compare letters and digits only.
    return re.sub(r"[\W_]+", "", text)


def _without_folio(page: str) -> str:
    # The folio is the page's last text; pdfium may glue it to a word hyphenated at the page foot.
    return re.sub(r"(?<=[\n\ufffe])\d+\s*$", "", page)


@pytest.fixture(scope="module")
def seed_pdf(seed_build) -> bytes:
    return (seed_build / SLUG / "en-GB" / f"{SLUG}.pdf").read_bytes()


def test_pdf_holds_every_paragraph_of_the_seed(seed_pdf):
    lines = [line for line in (SEEDS / f"{SLUG}.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs = [line for line in lines if line not in HEADINGS]
    assert len(paragraphs) == 40
    text = _letters("".join(_without_folio(page) for page in pdf_text(seed_pdf)))
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


def test_pdf_text_is_hyphenated_at_line_ends(seed_pdf):
    # pdfium marks a hyphen the layout inserted at a line end as U+FFFE between the word's halves.
    text = "".join(pdf_text(seed_pdf))
    assert len(re.findall("[a-z]\ufffe[a-z]", text)) >= 10
