"""Proofs: every page of a PDF as a PNG image (pypdfium2), a contact sheet of them all, and which
pages changed between two builds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kzpress.errors import InputError

SHEET_BACKGROUND, SHADOW = (138, 138, 138), (95, 95, 95)
SPINE = 2  # pixels between the two pages of a spread
GUTTER = 24  # pixels between spreads on a contact sheet


@dataclass(frozen=True)
class ProofOptions:
    dpi: int = 96  # page images; a contact sheet uses `sheet_dpi`
    sheet_dpi: int = 40
    spreads_per_row: int = 4


def page_images(pdf: bytes, dpi: int):
    """Every page as a PIL image, rendered the way a reader's screen shows it."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise InputError(f"not a readable PDF ({error}); build it again") from None
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


def png(image) -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def proof_files(pdf: bytes, stem: str, options: ProofOptions = ProofOptions()) -> dict[Path, bytes]:
    """The proof images of one PDF, by path relative to the PDF's folder."""
    pages = page_images(pdf, options.dpi)
    files = {Path("proof", f"{stem}-page-{number:03d}.png"): png(image) for number, image in enumerate(pages, 1)}
    small = page_images(pdf, options.sheet_dpi)
    files[Path(f"{stem}.contact-sheet.png")] = png(contact_sheet(small, options.spreads_per_row))
    return files


def changed_pages(before: bytes, after: bytes, dpi: int = 50) -> list[int]:
    """Page numbers (from 1) that look different between two builds; added or removed pages count."""
    from PIL import ImageChops

    old, new = page_images(before, dpi), page_images(after, dpi)
    changed = []
    for number in range(1, max(len(old), len(new)) + 1):
        if number > len(old) or number > len(new):
            changed.append(number)
        elif old[number - 1].size != new[number - 1].size or ImageChops.difference(old[number - 1], new[number - 1]).getbbox():
            changed.append(number)
    return changed
