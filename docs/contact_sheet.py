"""Draw a contact sheet of a reading PDF: every page, in spreads, as a reader turns them.

    python docs/contact_sheet.py                      # builds the seed, writes docs/pamphlet-contact-sheet.png
    python docs/contact_sheet.py some.pdf sheet.png   # any PDF

The first page is a right-hand page on its own, as a pamphlet's cover is; then left and right
pages side by side. pypdfium2 renders the pages, Pillow (a dependency of kzpress) lays them out.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2
from PIL import Image, ImageDraw

CHECKOUT = Path(__file__).resolve().parents[1]
SEED = "kazakhstan-2022"
SCALE = 0.75  # 54 dpi: the design, not the letters
SPREADS_PER_ROW = 3
GAP, SPINE = 24, 2
BACKGROUND, SHADOW = "#8a8a8a", "#5f5f5f"


def seed_pdf(out_dir: Path) -> Path:
    from kzpress.build import Project, build

    project = Project(seeds_dir=CHECKOUT / "seeds", out_dir=out_dir)
    build(project, [SEED], ["pdf"], [], notice=lambda message: None)
    return out_dir / SEED / "en-GB" / f"{SEED}.pdf"


def contact_sheet(pdf: Path) -> Image.Image:
    document = pypdfium2.PdfDocument(str(pdf))
    pages = [page.render(scale=SCALE).to_pil().convert("RGB") for page in document]
    document.close()
    width, height = pages[0].size
    spreads = [[None, pages[0]]] + [pages[index:index + 2] for index in range(1, len(pages), 2)]
    rows = -(-len(spreads) // SPREADS_PER_ROW)
    sheet = Image.new("RGB", (GAP + SPREADS_PER_ROW * (2 * width + SPINE + GAP), GAP + rows * (height + GAP)), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for number, spread in enumerate(spreads):
        x = GAP + (number % SPREADS_PER_ROW) * (2 * width + SPINE + GAP)
        y = GAP + (number // SPREADS_PER_ROW) * (height + GAP)
        for side, page in enumerate(spread):
            if page is None:
                continue
            left = x + side * (width + SPINE)
            draw.rectangle((left + 3, y + 3, left + width + 3, y + height + 3), fill=SHADOW)
            sheet.paste(page, (left, y))
    return sheet


def main(argv: list[str]) -> None:
    target = Path(argv[1]) if len(argv) > 1 else CHECKOUT / "docs" / "pamphlet-contact-sheet.png"
    if argv:
        contact_sheet(Path(argv[0])).save(target, optimize=True)
        return
    with tempfile.TemporaryDirectory() as folder:
        contact_sheet(seed_pdf(Path(folder))).save(target, optimize=True)


if __name__ == "__main__":
    main(sys.argv[1:])
