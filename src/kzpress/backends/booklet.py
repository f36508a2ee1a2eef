"""The booklet: the press PDF's pages imposed for saddle stitching on an office printer.

Two pages sit side by side on each side of a sheet: the smallest office paper, landscape, that holds
the spread (A5 pages on A4, A4 on A3, B5 on B4, half-letter on letter, letter on tabloid), with the
spread centred and its TrimBox set; a spread no paper holds gets a sheet its own size. Printed on
both sides (flip on the short edge) and stacked in order, the
sheets fold in the middle and staple on the fold into the pamphlet. For n pages, sheet s (from 0,
the outermost) carries pages [n - 2s, 2s + 1] on its front and [2s + 2, n - 2s - 1] on its back.

Each page is placed as a Form XObject clipped to its TrimBox, so the crop marks and bleed of the
press PDF stay off the sheet. Creep: the inner sheets of a folded stack stick out at the fore-edge,
so each sheet, counted from the outside, moves its pages `creep` further toward the spine.

Written on pikepdf rather than pdfimpose, which is AGPL-licensed and drops the PDF/X boxes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from kzpress.backends import press
from kzpress.document import Document
from kzpress.errors import ValidationError

_MM = 72 / 25.4
ISO_PAPERS = {"A4": (297 * _MM, 210 * _MM), "B4": (353 * _MM, 250 * _MM), "A3": (420 * _MM, 297 * _MM)}  # landscape
US_PAPERS = {"letter": (11 * 72, 8.5 * 72), "tabloid": (17 * 72, 11 * 72)}


@dataclass(frozen=True)
class BookletOptions:
    press: press.PressOptions  # the press PDF it imposes; its settings give the creep
    press_pdf: bytes | None = None  # that press PDF when it was just made: it is not laid out again


def write(document: Document, options: BookletOptions) -> bytes:
    settings = options.press.html.settings
    us_trim = settings.trim_size.lower() in ("letter", "half-letter") or settings.trim_size.strip().endswith("in")
    press_pdf = options.press_pdf if options.press_pdf is not None else press.write(document, options.press)
    return impose(press_pdf, creep=press.points(settings.creep, setting="creep"),
                  papers=US_PAPERS if us_trim else ISO_PAPERS)


def sheet_sides(pages: int) -> list[tuple[int, int]]:
    """The (left, right) page numbers, 1-based, of each sheet side in printing order."""
    if pages <= 0 or pages % 4:
        raise ValueError(f"saddle stitching needs a multiple of 4 pages, not {pages}")
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 2 * sheet, 2 * sheet + 1))  # front
        sides.append((2 * sheet + 2, pages - 2 * sheet - 1))  # back
    return sides


def impose(press_pdf: bytes, *, creep: float = 0.0, papers: dict[str, tuple[float, float]] = ISO_PAPERS) -> bytes:
    """Imposed sheets of a press PDF whose page count is a multiple of 4; creep in points per sheet.

    `papers`: the office papers to choose the sheet from (ISO A and B sizes, or US sizes for US trims).
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(press_pdf)) as pdf:
        count = len(pdf.pages)
        if count == 0 or count % 4:
            raise ValidationError(f"the booklet needs the press PDF's pages in a multiple of 4, not {count}")
        pages = list(pdf.pages)
        width, height = _trim_size(pages)
        paper = paper_for(2 * width, height, papers)
        x, y = (paper[0] - 2 * width) / 2, (paper[1] - height) / 2
        for index, (left, right) in enumerate(sheet_sides(count)):
            shift = (index // 2) * creep  # both sides of a sheet shift alike
            sheet = pdf.add_blank_page(page_size=paper)
            _place(pdf, sheet, pages[left - 1], x=x, y=y, shift=shift)
            _place(pdf, sheet, pages[right - 1], x=x + width, y=y, shift=-shift)
            for box in ("/TrimBox", "/BleedBox"):
                sheet.obj[box] = pikepdf.Array([round(value, 4) for value in (x, y, x + 2 * width, y + height)])
        for _ in range(count):
            del pdf.pages[0]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable)
        return out.getvalue()


def paper_for(width: float, height: float, papers: dict[str, tuple[float, float]]) -> tuple[float, float]:
    """The smallest of the papers (landscape) that holds a spread, else a sheet the spread's size."""
    fitting = [paper for paper in papers.values() if paper[0] >= width - 0.01 and paper[1] >= height - 0.01]
    return min(fitting, key=lambda paper: paper[0] * paper[1]) if fitting else (width, height)


def _trim_size(pages) -> tuple[float, float]:
    sizes = {(round(float(page.trimbox[2]) - float(page.trimbox[0]), 2), round(float(page.trimbox[3]) - float(page.trimbox[1]), 2))
             for page in pages}
    if len(sizes) != 1:
        raise ValidationError(f"the booklet needs one trim size on every page of the press PDF, not {len(sizes)}")
    return sizes.pop()


def _place(pdf, sheet, page, *, x: float, y: float, shift: float) -> None:
    """Draw `page` trimmed onto `sheet` at (x, y), its content moved by `shift` toward the spine.

    The form's bounding box is the trim moved against the shift: placed on the half sheet, the
    content moves by `shift` while the clip stays on the half, so no page spills onto its neighbour.
    """
    import pikepdf

    trim = [float(value) for value in page.trimbox]
    form = page.as_form_xobject()
    form.BBox = pikepdf.Array([trim[0] - shift, trim[1], trim[2] - shift, trim[3]])
    width, height = trim[2] - trim[0], trim[3] - trim[1]
    # Named by position, not by add_overlay's random names, so the same booklet comes out byte for byte.
    name = sheet.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/Page{len(sheet.resources.get('/XObject', {})) + 1}"))
    placement = sheet.calc_form_xobject_placement(form, name, pikepdf.Rectangle(x, y, x + width, y + height))
    sheet.contents_add(pdf.make_stream(b"q " + placement + b" Q"))
