"""The press PDF: trim, 3 mm bleed and boxes, pages in fours, CMYK only, PDF/X-1a, no links, crop marks."""

from __future__ import annotations

import io
import re
from collections import Counter

import pikepdf
import pypdfium2
import pytest

from kzpress.backends import html, press
from kzpress.backends.markdown import read
from kzpress.errors import InputError, ValidationError
from kzpress.inspect import pdf_summary, pdf_text
from kzpress.layout import load_settings

from conftest import ROOT

SLUG = "kazakhstan-2022"
LAYOUT, FONTS = ROOT / "layout", ROOT / "fonts"
EVERY_BLOCK = ROOT / "tests" / "documents" / "press-every-block.md"  # every block type and a figure
MM = 72 / 25.4
CREATED = "2024-03-01T00:00:00Z"


def press_pdf(document, *, extra_css: tuple[str, ...] = ()) -> bytes:
    options = html.HtmlOptions(LAYOUT, FONTS, load_settings(LAYOUT), CREATED, extra_stylesheets=extra_css)
    return press.write(document, press.PressOptions(options, source="every-block.print.pdf"))


@pytest.fixture(scope="module")
def every_block():
    return read(EVERY_BLOCK.read_text("utf-8"), source=EVERY_BLOCK.name)


@pytest.fixture(scope="module")
def every_block_press(every_block) -> bytes:
    return press_pdf(every_block)


@pytest.fixture(scope="module")
def seed_press(seed_build) -> bytes:
    return (seed_build / SLUG / "en-GB" / f"{SLUG}.print.pdf").read_bytes()


@pytest.fixture(scope="module")
def seed_reading(seed_build) -> bytes:
    return (seed_build / SLUG / "en-GB" / f"{SLUG}.pdf").read_bytes()


def boxes(data: bytes) -> list[dict[str, list[float]]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [{name: [float(v) for v in page.obj[f"/{name}"]] for name in ("MediaBox", "BleedBox", "TrimBox")}
                for page in pdf.pages]


@pytest.mark.parametrize("name", ["seed_press", "every_block_press"])
def test_every_page_has_an_a5_trim_box_and_a_3mm_bleed_box(request, name):
    pages = boxes(request.getfixturevalue(name))
    for page in pages:
        left, bottom, right, top = page["TrimBox"]
        assert (round((right - left) / MM, 1), round((top - bottom) / MM, 1)) == (148.0, 210.0)
        bleed = [page["TrimBox"][i] - page["BleedBox"][i] for i in (0, 1)] + [page["BleedBox"][i] - page["TrimBox"][i] for i in (2, 3)]
        assert [round(side / MM, 2) for side in bleed] == [3.0] * 4
        media = page["MediaBox"]
        assert media[0] < page["BleedBox"][0] and media[2] > page["BleedBox"][2]  # room for the crop marks


def test_press_pages_are_the_reading_pages_padded_to_fours_before_the_last(seed_press, seed_reading):
    reading, printed = pdf_text(seed_reading), pdf_text(seed_press)
    assert len(printed) % 4 == 0 and len(printed) - len(reading) < 4
    blanks = len(printed) - len(reading)
    assert printed[: len(reading) - 1] == reading[:-1]
    assert printed[len(reading) - 1: -1] == [""] * blanks
    assert printed[-1] == reading[-1]


def test_one_page_documents_keep_their_page_first():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    for page in pdf.pages:
        page.obj.TrimBox = page.obj.BleedBox = page.obj.MediaBox
    pdf.pages[0].obj.Marker = pikepdf.Name.First
    assert press.pad_to_sheets(pdf) == 3
    assert len(pdf.pages) == 4 and pdf.pages[0].obj.get("/Marker") == "/First"


def test_press_pdf_identifies_as_pdf_x1a_with_a_cmyk_output_intent(seed_press):
    with pikepdf.open(io.BytesIO(seed_press)) as pdf:
        assert str(pdf.pdf_version) == "1.4"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1a:2003"
        assert pdf.docinfo["/Trapped"] == "/False"
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and int(intent.DestOutputProfile.N) == 4
    assert b"/ObjStm" not in seed_press  # PDF 1.4 has no object streams


def content_operations(data: bytes):
    """(page number, operator, operands) of every page's content and the forms it draws."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            owners = [page] + [xobject for xobject in page.resources.get("/XObject", {}).values()
                               if xobject.get("/Subtype") == "/Form"]
            for owner in owners:
                for operands, operator in pikepdf.parse_content_stream(owner):
                    yield number, str(operator), list(operands)


@pytest.mark.parametrize("name", ["seed_press", "every_block_press"])
def test_press_pdf_has_no_rgb_colour_operators(request, name):
    operations = list(content_operations(request.getfixturevalue(name)))
    assert [(page, operator) for page, operator, _ in operations if operator in ("rg", "RG")] == []
    spaces = {str(operands[0]) for _, operator, operands in operations if operator in ("cs", "CS")}
    assert spaces <= {"/DeviceCMYK", "/DeviceGray", press.REGISTRATION}
    with pikepdf.open(io.BytesIO(request.getfixturevalue(name))) as pdf:
        images = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
        assert all(image.get("/ColorSpace") in ("/DeviceCMYK", "/DeviceGray") for image in images)


def test_the_figure_is_printed_in_grey_at_press_resolution(every_block_press):
    document = pypdfium2.PdfDocument(every_block_press)
    try:
        images = [image.get_metadata() for page in document
                  for image in page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE])]
    finally:
        document.close()
    assert len(images) == 1 and images[0].horizontal_dpi == pytest.approx(381, abs=1)


def test_body_text_is_printed_in_black_ink_only(every_block_press):
    colour, text_colours = None, Counter()
    for _, operator, operands in content_operations(every_block_press):
        if operator == "scn" and len(operands) == 4:
            colour = tuple(float(value) for value in operands)
        elif operator in ("Tj", "TJ"):
            text_colours[colour] += 1
    assert text_colours.most_common(1)[0][0] == (0.0, 0.0, 0.0, 1.0)


@pytest.mark.parametrize("name", ["seed_press", "every_block_press"])
def test_press_pdf_fonts_are_embedded(request, name):
    fonts = pdf_summary(request.getfixturevalue(name))["fonts"]
    assert fonts and all(font["embedded"] and font["subset"] for font in fonts.values())


def test_press_pdf_has_no_links_and_no_bookmarks(every_block_press, every_block):
    reading_html = html.write(every_block, html.HtmlOptions(LAYOUT, FONTS, load_settings(LAYOUT), CREATED))
    assert b'href="https://example.org' in reading_html and b'href="#first-part"' in reading_html  # it links
    with pikepdf.open(io.BytesIO(every_block_press)) as pdf:
        assert [number for number, page in enumerate(pdf.pages, 1) if "/Annots" in page.obj] == []
        assert "/Outlines" not in pdf.Root
        assert "/Dests" not in pdf.Root.get("/Names", {})


def test_press_pdf_is_byte_reproducible_and_dated_by_the_document(every_block, every_block_press):
    assert press_pdf(every_block) == every_block_press
    with pikepdf.open(io.BytesIO(every_block_press)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20240301")
        assert str(pdf.docinfo["/ModDate"]).startswith("D:20240301")


def test_crop_marks_lie_on_the_trim_lines_outside_the_bleed(seed_press, seed_reading):
    """On a blank page only the marks are drawn: every dark pixel sits outside the bleed, on a trim line."""
    blank = len(pdf_text(seed_reading)) - 1  # the first padding page, 0-based
    if blank >= len(pdf_text(seed_press)) - 1:
        pytest.skip("the seed fills its sheets exactly; no blank page to look at")
    page_boxes = boxes(seed_press)[blank]
    scale = 4
    document = pypdfium2.PdfDocument(seed_press)
    image = document[blank].render(scale=scale).to_pil().convert("L")
    document.close()
    media_left, media_top = page_boxes["MediaBox"][0], page_boxes["MediaBox"][3]
    dark = [(media_left + (x + 0.5) / scale, media_top - (y + 0.5) / scale)
            for y in range(image.height) for x in range(image.width) if image.getpixel((x, y)) < 128]
    assert dark, "no crop marks drawn"
    bleed, trim = page_boxes["BleedBox"], page_boxes["TrimBox"]
    assert all(not (bleed[0] <= x <= bleed[2] and bleed[1] <= y <= bleed[3]) for x, y in dark)
    assert all(min(abs(x - trim[0]), abs(x - trim[2]), abs(y - trim[1]), abs(y - trim[3])) < 1 for x, y in dark)
    corners = {(x < (trim[0] + trim[2]) / 2, y < (trim[1] + trim[3]) / 2) for x, y in dark}
    assert len(corners) == 4


def test_greys_become_black_ink_alone_and_colours_go_through_the_profile():
    profile = LAYOUT / press.PROFILE
    assert press.cmyk_colour("#000000", profile, setting="text_colour") == "device-cmyk(0 0 0 1)"
    assert press.cmyk_colour("#1a1a1a", profile, setting="heading_colour") == "device-cmyk(0 0 0 0.898)"
    inks = [float(ink) for ink in re.findall(r"[\d.]+", press.cmyk_colour("#8b1a1a", profile, setting="accent_colour"))]
    cyan, magenta, yellow, black = inks
    assert magenta > 0.9 and yellow > 0.9 and cyan < magenta and 0 < black < 1  # a deep red, not a grey


@pytest.mark.parametrize("value", ["not-a-colour", "rgb(0 0 0 / 50%)"])
def test_a_colour_the_press_cannot_print_is_refused_with_its_setting(value):
    with pytest.raises(InputError, match="accent_colour"):
        press.cmyk_colour(value, LAYOUT / press.PROFILE, setting="accent_colour")


def test_a_bleed_that_is_not_a_length_is_refused():
    assert press.points("3mm", setting="bleed") == pytest.approx(3 * MM)
    with pytest.raises(InputError, match="bleed must be a length such as 3mm"):
        press.points("three", setting="bleed")


def test_an_rgb_colour_in_the_layout_fails_the_press_build_with_the_reason(every_block):
    with pytest.raises(ValidationError) as failure:
        press_pdf(every_block, extra_css=(".text p { color: rgb(200 0 0); }",))
    message = str(failure.value)
    assert message.startswith("every-block.print.pdf: the press PDF fails the print shop's checks")
    assert "colour spaces: DeviceRGB" in message


def test_a_low_resolution_image_fails_the_press_build():
    import base64

    from PIL import Image

    photo = io.BytesIO()
    Image.new("CMYK", (40, 30), (0, 200, 200, 30)).save(photo, "JPEG")  # 40 px across a 100 mm wide figure
    source = "data:image/jpeg;base64," + base64.b64encode(photo.getvalue()).decode("ascii")
    document = read(f"---\ntitle: Photo\nlang: en-GB\n---\n\n![A photo]({source}){{width=100mm}}\n", source="photo.md")
    with pytest.raises(ValidationError, match=r"image resolution: 1 images, the lowest 10 ppi"):
        press_pdf(document)
