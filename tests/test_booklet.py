"""The booklet: sheet sides in saddle-stitch order, A5 pages on A4, trim boxes, creep toward the spine."""

from __future__ import annotations

import io
import re

import pikepdf
import pypdfium2
import pytest

from kzpress.backends import booklet
from kzpress.errors import ValidationError
from kzpress.inspect import pdf_text
from kzpress.preflight import BOOKLET, preflight

SLUG = "kazakhstan-2022"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def seed_press(seed_build) -> bytes:
    return (seed_build / SLUG / "en-GB" / f"{SLUG}.print.pdf").read_bytes()


@pytest.fixture(scope="module")
def seed_booklet(seed_build) -> bytes:
    return (seed_build / SLUG / "en-GB" / f"{SLUG}.booklet.pdf").read_bytes()


def test_sheet_sides_fold_into_page_order():
    assert booklet.sheet_sides(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert booklet.sheet_sides(4) == [(4, 1), (2, 3)]
    with pytest.raises(ValueError):
        booklet.sheet_sides(6)


def test_the_booklet_has_two_pages_per_sheet_side(seed_press, seed_booklet):
    pages, sides = len(pdf_text(seed_press)), len(pdf_text(seed_booklet))
    assert pages % 4 == 0 and sides == pages // 2 and sides % 2 == 0


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def halves(data: bytes) -> list[tuple[str, str]]:
    """The text on the left and the right half of each sheet side."""
    document = pypdfium2.PdfDocument(data)
    try:
        result = []
        for page in document:
            width, height = page.get_size()
            text = page.get_textpage()
            result.append((text.get_text_bounded(0, 0, width / 2, height), text.get_text_bounded(width / 2, 0, width, height)))
        return result
    finally:
        document.close()


def test_each_sheet_side_carries_the_press_pages_in_saddle_stitch_order(seed_press, seed_booklet):
    pages = [_letters(text) for text in pdf_text(seed_press)]
    sides = [(_letters(left), _letters(right)) for left, right in halves(seed_booklet)]
    expected = [(pages[left - 1], pages[right - 1]) for left, right in booklet.sheet_sides(len(pages))]
    assert sides == expected
    assert sides[0][1] == pages[0] and "Kazakhstan2022" in sides[0][1]  # the title page, right of the outer sheet's front


def test_a5_pages_go_on_a4_landscape_with_the_spread_as_trim_box(seed_booklet):
    with pikepdf.open(io.BytesIO(seed_booklet)) as pdf:
        for page in pdf.pages:
            media = [float(value) for value in page.MediaBox]
            trim = [float(value) for value in page.obj.TrimBox]
            assert [round(media[2] / MM), round(media[3] / MM)] == [297, 210]
            assert [round((trim[2] - trim[0]) / MM), round((trim[3] - trim[1]) / MM)] == [296, 210]
            assert trim[0] + trim[2] == pytest.approx(media[2])  # centred: the fold is the sheet's middle
            assert "/BleedBox" in page.obj


def test_the_booklet_passes_its_preflight(seed_booklet):
    rows = preflight(seed_booklet, BOOKLET)
    assert [(row.check, row.detail) for row in rows if not row.passed] == []
    assert {"page boxes", "page count", "fonts embedded", "colour spaces", "links and bookmarks"} <= {row.check for row in rows}


def _first_x(data: bytes, side: int, left_half: bool) -> float:
    """The left edge of the leftmost character on one half of a sheet side."""
    document = pypdfium2.PdfDocument(data)
    try:
        page = document[side]
        middle = page.get_size()[0] / 2
        text = page.get_textpage()
        edges = [text.get_charbox(i)[0] for i in range(text.count_chars())]
        return min(x for x in edges if (x < middle) == left_half)
    finally:
        document.close()


def test_creep_moves_each_inner_sheet_toward_the_spine(seed_press):
    creep = 1.0 * MM
    straight, crept = booklet.impose(seed_press, creep=0), booklet.impose(seed_press, creep=creep)
    sheets = len(pdf_text(straight)) // 2
    inner_front = 2 * (sheets - 1)  # the innermost sheet's front side
    for left_half, toward_spine in ((True, 1), (False, -1)):
        moved = _first_x(crept, inner_front, left_half) - _first_x(straight, inner_front, left_half)
        assert moved == pytest.approx(toward_spine * (sheets - 1) * creep, abs=0.01)
    assert _first_x(crept, 0, True) == pytest.approx(_first_x(straight, 0, True), abs=0.01)  # the outer sheet stays


def test_imposing_pages_not_in_fours_is_refused(seed_press):
    with pikepdf.open(io.BytesIO(seed_press)) as pdf:
        del pdf.pages[-1]
        out = io.BytesIO()
        pdf.save(out)
    with pytest.raises(ValidationError, match="multiple of 4"):
        booklet.impose(out.getvalue())


def test_paper_is_the_smallest_office_sheet_of_the_trims_family_that_holds_the_spread():
    iso, us = booklet.ISO_PAPERS, booklet.US_PAPERS
    assert booklet.paper_for(2 * 148 * MM, 210 * MM, iso) == iso["A4"]
    assert booklet.paper_for(2 * 176 * MM, 250 * MM, iso) == iso["B4"]
    assert booklet.paper_for(2 * 210 * MM, 297 * MM, iso) == iso["A3"]
    assert booklet.paper_for(2 * 130 * MM, 200 * MM, iso) == iso["A4"]  # trimmed after folding
    assert booklet.paper_for(2 * 5.5 * 72, 8.5 * 72, us) == us["letter"]
    assert booklet.paper_for(2 * 8.5 * 72, 11 * 72, us) == us["tabloid"]
    assert booklet.paper_for(1300, 900, iso) == (1300, 900)  # wider than A3: no office paper holds it


def test_booklet_imposed_from_the_press_pdf_just_made_equals_one_made_alone(tmp_path):
    from kzpress.build import Project, find_seeds, load, outputs

    from conftest import SEEDS

    project = Project(seeds_dir=SEEDS, out_dir=tmp_path)
    edition = load(find_seeds(SEEDS)["kazakhstan-2022"], notice=lambda message: None)
    together = outputs(edition, ["print", "booklet"], project)
    alone = outputs(edition, ["booklet"], project)
    name = next(path for path in alone if path.name.endswith(".booklet.pdf"))
    assert together[name] == alone[name]
