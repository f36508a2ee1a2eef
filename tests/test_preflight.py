"""Preflight: the seed's press PDF passes a print shop's checks; each kind of broken PDF fails its row."""

from __future__ import annotations

import io
import shutil

import pikepdf
import pytest

from kzpress.cli import main
from kzpress.preflight import PRESS, preflight, print_summary

SLUG = "kazakhstan-2022"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def seed_press(seed_build) -> bytes:
    return (seed_build / SLUG / "en-GB" / f"{SLUG}.print.pdf").read_bytes()


def edited(data: bytes, change) -> bytes:
    """The PDF after `change(pdf)`, saved again."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def rows(data: bytes) -> dict[str, tuple[bool, str]]:
    return {row.check: (row.passed, row.detail) for row in preflight(data, PRESS)}


def failed(data: bytes) -> dict[str, str]:
    return {check: detail for check, (passed, detail) in rows(data).items() if not passed}


def draw(content: bytes, page: int = 0):
    def change(pdf):
        pdf.pages[page].contents_add(content)
    return change


def test_the_seed_press_pdf_passes_every_check(seed_press):
    found = rows(seed_press)
    assert set(found) == {"PDF/X", "page boxes", "bleed", "page count", "fonts embedded", "fonts subset", "colour spaces",
                          "transparency", "links and bookmarks", "image resolution", "content beyond the trim"}
    assert {check: detail for check, (passed, detail) in found.items() if not passed} == {}
    assert found["PDF/X"][1].startswith("PDF/X-1a:2003; output intent 'Artifex CMYK SWOP Profile'")
    assert found["colour spaces"][1] == "DeviceCMYK, Separation All over DeviceCMYK"
    assert "trim 148×210 mm, bleed box 154×216 mm" in found["page boxes"][1]


def test_an_rgb_rectangle_fails_the_colour_check_naming_its_page(seed_press):
    broken = edited(seed_press, draw(b"q 1 0 0 rg 100 100 50 50 re f Q", page=1))
    assert failed(broken) == {"colour spaces": "DeviceRGB (page 2: rg): print takes CMYK or grey only"}


def test_an_rgb_image_fails_the_colour_check(seed_press):
    def add_image(pdf):
        image = pikepdf.Stream(pdf, b"\xff\x00\x00" * 4, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                               Width=2, Height=2, BitsPerComponent=8, ColorSpace=pikepdf.Name.DeviceRGB)
        name = pdf.pages[0].add_resource(image, pikepdf.Name.XObject)
        pdf.pages[0].contents_add(f"q 1 0 0 1 100 100 cm {name} Do Q".encode())
    assert failed(edited(seed_press, add_image))["colour spaces"].startswith("DeviceRGB (page 1: image)")


def test_a_coarse_image_fails_the_resolution_check(seed_press):
    def add_image(pdf):
        image = pikepdf.Stream(pdf, b"\x00\x00\x00\xff" * 100, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                               Width=10, Height=10, BitsPerComponent=8, ColorSpace=pikepdf.Name.DeviceCMYK)
        name = pdf.pages[2].add_resource(image, pikepdf.Name.XObject)
        pdf.pages[2].contents_add(f"q 72 0 0 72 100 100 cm {name} Do Q".encode())  # 10 px across an inch
    detail = failed(edited(seed_press, add_image))["image resolution"]
    assert detail.startswith("1 images, the lowest 10 ppi (page 3); print needs at least 300 ppi")


def test_a_page_without_bleed_fails_the_bleed_check(seed_press):
    def no_bleed(pdf):
        pdf.pages[3].obj.BleedBox = pdf.pages[3].obj.TrimBox
    assert failed(edited(seed_press, no_bleed)) == {"bleed": "page 4 bleeds 0 mm; a shop needs at least 3 mm on every side"}


def test_a_page_without_a_trim_box_fails_the_box_check(seed_press):
    def no_trim(pdf):
        del pdf.pages[0].obj.TrimBox
    assert failed(edited(seed_press, no_trim))["page boxes"] == "page 1 has no TrimBox"


def test_pages_not_in_fours_fail_the_page_count(seed_press):
    def drop(pdf):
        del pdf.pages[-1]
    detail = failed(edited(seed_press, drop))["page count"]
    assert detail.endswith("; a saddle-stitched pamphlet needs a multiple of 4")


def test_a_link_or_a_bookmark_fails_the_interactive_check(seed_press):
    def link_and_bookmark(pdf):
        link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10])
        pdf.pages[1].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("Chapter", 1))
    assert failed(edited(seed_press, link_and_bookmark)) == {
        "links and bookmarks": "1 links or annotations, bookmarks: a print shop wants none"}


def test_transparency_fails_pdf_x1a(seed_press):
    def translucent(pdf):
        state = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=0.5)
        name = pdf.pages[0].add_resource(state, pikepdf.Name.ExtGState)
        pdf.pages[0].contents_add(f"q {name} gs 0 0 0 1 k 100 100 20 20 re f Q".encode())
    assert failed(edited(seed_press, translucent)) == {"transparency": "opacity 0.5 (page 1): PDF/X-1a forbids transparency"}


def test_content_that_crosses_the_trim_must_reach_the_bleed(seed_press):
    with pikepdf.open(io.BytesIO(seed_press)) as pdf:
        left, bottom, right, top = (float(value) for value in pdf.pages[0].TrimBox)
    short = f"q 0 0 0 1 k {left - 1 * MM} {bottom + 100} 50 50 re f Q".encode()
    full = f"q 0 0 0 1 k {left - 3 * MM} {bottom + 100} 50 50 re f Q".encode()
    assert failed(edited(seed_press, draw(short)))["content beyond the trim"].startswith(
        "1 objects cross the trim but stop short of the bleed (pages 1)")
    assert rows(edited(seed_press, draw(full)))["content beyond the trim"] == (
        True, "1 objects cross the trim, all running on to the bleed's edge")


def test_the_reading_pdf_is_not_fit_for_press(seed_build):
    reading = (seed_build / SLUG / "en-GB" / f"{SLUG}.pdf").read_bytes()
    problems = failed(reading)
    assert problems["PDF/X"].startswith("not PDF/X: no GTS_PDFXVersion")
    assert problems["bleed"].startswith("page 1 bleeds 0 mm")


def test_kzpress_check_fails_on_a_broken_press_pdf_with_its_reason(seed_build, seed_press, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(seed_build / SLUG / "en-GB", out / SLUG / "en-GB")
    target = out / SLUG / "en-GB" / f"{SLUG}.print.pdf"
    target.write_bytes(edited(seed_press, draw(b"q 0 0 1 RG 2 w 100 100 m 200 200 l S Q")))
    code = main(["check", "--out", str(out), SLUG])
    captured = capsys.readouterr()
    assert code == 1
    assert "FAIL" in captured.out and "DeviceRGB (page 1: RG)" in captured.out


def test_a_file_that_is_no_pdf_fails_one_clear_row():
    [row] = preflight(b"%PDF-1.4 this is not a PDF", PRESS)
    assert row.check == "readable" and not row.passed and row.detail.startswith("not a PDF a shop can open")


def test_the_print_summary_names_boxes_pdfx_and_colour_spaces(seed_press):
    summary = print_summary(seed_press)
    assert summary["pdfx"] == "PDF/X-1a:2003"
    assert summary["trim_mm"] == [[148.0, 210.0]] and summary["bleed_mm"] == [3.0]
    assert summary["colour_spaces"] == ["DeviceCMYK", "Separation All over DeviceCMYK"]
