"""Proofs: every page of a PDF as a PNG image (pypdfium2), a contact sheet of them all, a translation's
pages beside its source's, and which pages changed between two builds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kzpress.errors import InputError

SHEET_BACKGROUND, SHADOW = (138, 138, 138), (95, 95, 95)
SPINE = 2  # pixels between the two pages of a spread
GUTTER = 24  # pixels between spreads on a contact sheet
LABEL_COLOUR = (255, 255, 255)


@dataclass(frozen=True)
class ProofOptions:
    dpi: int = 96  # page images; a contact sheet uses `sheet_dpi`
    sheet_dpi: int = 40
    spreads_per_row: int = 4
    # The side-by-side sheet of a translation: large enough to tell headings and paragraph shapes apart.
    pair_dpi: int = 50
    pairs_per_row: int = 3
    pairs_per_sheet: int = 24  # a longer document gets several sheets, each still easy to open


def page_images(pdf: bytes, dpi: int, *, source: str = "the PDF", remedy: str = "build it again"):
    """Every page as a PIL image, rendered the way a reader's screen shows it. A file pdfium cannot read
    is an InputError naming `source` and saying what to do (`remedy`): kzpress's own PDFs are built
    again, a file the user gave is theirs to replace."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        reason = str(error).rstrip(".")  # pdfium's words, e.g. "Failed to load document (PDFium: Data format error)"
        raise InputError(f"{source}: not a readable PDF: {reason[:1].lower()}{reason[1:]}; {remedy}") from None
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def spreads(count: int) -> list[tuple[int | None, int | None]]:
    """Page indices as a reader sees them open: the first page alone on the right, then pairs."""
    pairs: list[tuple[int | None, int | None]] = [(None, 0)]
    for left in range(1, count, 2):
        pairs.append((left, left + 1 if left + 1 < count else None))
    return pairs


def contact_sheet(images: list, spreads_per_row: int):
    """All pages as spreads on a grey ground, so the whole design shows at a glance."""
    from PIL import Image, ImageDraw

    width, height = images[0].size
    pairs = spreads(len(images))
    rows = -(-len(pairs) // spreads_per_row)
    sheet = Image.new("RGB", (
        GUTTER + spreads_per_row * (2 * width + SPINE + GUTTER),
        GUTTER + rows * (height + GUTTER),
    ), SHEET_BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for number, pair in enumerate(pairs):
        x = GUTTER + (number % spreads_per_row) * (2 * width + SPINE + GUTTER)
        y = GUTTER + (number // spreads_per_row) * (height + GUTTER)
        for side, index in enumerate(pair):
            if index is not None:
                left = x + side * (width + SPINE)
                draw.rectangle((left + 3, y + 3, left + width + 3, y + height + 3), fill=SHADOW)
                sheet.paste(images[index], (left, y))
    return sheet


def side_by_side(source: list, translation: list, source_label: str, translation_label: str, pairs_per_row: int,
                 first: int = 0):
    """Each source page with the translation's page of the same number to its right, labelled with the
    language and page number (counted from `first` + 1); a page one side lacks is empty ground, so a
    longer text shows at once."""
    from PIL import Image, ImageDraw, ImageFont

    width = max(image.size[0] for image in source + translation)
    height = max(image.size[1] for image in source + translation)
    font = ImageFont.load_default(size=max(10, height // 30))
    label = font.getbbox("Ag")[3] + 6  # the label's line above each page
    count = max(len(source), len(translation))
    pair_width = 2 * width + SPINE
    rows = -(-count // pairs_per_row)
    sheet = Image.new("RGB", (
        GUTTER + min(count, pairs_per_row) * (pair_width + GUTTER),
        GUTTER + rows * (label + height + GUTTER),
    ), SHEET_BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for index in range(count):
        x = GUTTER + (index % pairs_per_row) * (pair_width + GUTTER)
        y = GUTTER + (index // pairs_per_row) * (label + height + GUTTER)
        for side, (pages, tag) in enumerate(((source, source_label), (translation, translation_label))):
            if index < len(pages):
                left = x + side * (width + SPINE)
                draw.text((left, y), f"{tag}  p. {first + index + 1}", font=font, fill=LABEL_COLOUR)
                draw.rectangle((left + 3, y + label + 3, left + width + 3, y + label + height + 3), fill=SHADOW)
                sheet.paste(pages[index], (left, y + label))
    return sheet


def png(image) -> bytes:
    import io

    buffer = io.BytesIO()
    # zlib level 3: on proof pages both faster (a third) and smaller than the default 6
    image.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def proof_files(pdf: bytes, stem: str, options: ProofOptions = ProofOptions()) -> dict[Path, bytes]:
    """The proof images of one PDF, by path relative to the PDF's folder."""
    pages = page_images(pdf, options.dpi, source=f"{stem}.pdf")
    files = {Path("proof", f"{stem}-page-{number:03d}.png"): png(image) for number, image in enumerate(pages, 1)}
    small = page_images(pdf, options.sheet_dpi, source=f"{stem}.pdf")
    files[Path(f"{stem}.contact-sheet.png")] = png(contact_sheet(small, options.spreads_per_row))
    return files


def side_by_side_files(source_pdf: bytes, translation_pdf: bytes, stem: str, source_label: str,
                       translation_label: str, options: ProofOptions = ProofOptions()) -> dict[Path, bytes]:
    """A translation's pages beside its source's, by path relative to the translation's folder:
    <stem>.side-by-side.png, or <stem>.side-by-side-1.png, -2… when there are more pairs than a sheet holds."""
    source = page_images(source_pdf, options.pair_dpi, source=f"{source_label}/{stem}.pdf")
    translation = page_images(translation_pdf, options.pair_dpi, source=f"{translation_label}/{stem}.pdf")
    per_sheet = options.pairs_per_sheet
    starts = range(0, max(len(source), len(translation)), per_sheet)
    files = {}
    for number, first in enumerate(starts, 1):
        sheet = side_by_side(source[first:first + per_sheet], translation[first:first + per_sheet],
                             source_label, translation_label, options.pairs_per_row, first)
        files[Path(f"{stem}.side-by-side{f'-{number}' if len(starts) > 1 else ''}.png")] = png(sheet)
    return files


def changed_pages(before: bytes, after: bytes, dpi: int = 50, *, names: tuple[str, str] = ("BEFORE", "AFTER")) -> list[int]:
    """Page numbers (from 1) that look different between two builds; added or removed pages count.
    `names` are the two files' names, for the message when one is not a PDF."""
    from PIL import ImageChops

    remedy = "give two PDF files, such as an earlier copy of a build and the build itself"
    old, new = (page_images(pdf, dpi, source=name, remedy=remedy) for pdf, name in zip((before, after), names))
    changed = []
    for number in range(1, max(len(old), len(new)) + 1):
        if number > len(old) or number > len(new):
            changed.append(number)
        elif old[number - 1].size != new[number - 1].size or ImageChops.difference(old[number - 1], new[number - 1]).getbbox():
            changed.append(number)
    return changed
