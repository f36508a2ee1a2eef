"""Draw the contact sheet in docs/: every page of the seed's reading PDF, in spreads.

    python docs/contact_sheet.py                      # builds the seed, writes docs/pamphlet-contact-sheet.png
    python docs/contact_sheet.py some.pdf sheet.png   # any PDF

The drawing is `kzpress proof`'s own (kzpress.proof); this script only picks the seed and the size.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from kzpress.build import Project, build
from kzpress.proof import contact_sheet, page_images

CHECKOUT = Path(__file__).resolve().parents[1]
SEED = "kazakhstan-2022"
DPI, SPREADS_PER_ROW = 54, 3  # the design, not the letters


def draw(pdf: Path, target: Path) -> None:
    contact_sheet(page_images(pdf.read_bytes(), DPI), SPREADS_PER_ROW).save(target, optimize=True)


def main(argv: list[str]) -> None:
    target = Path(argv[1]) if len(argv) > 1 else CHECKOUT / "docs" / "pamphlet-contact-sheet.png"
    if argv:
        draw(Path(argv[0]), target)
        return
    with tempfile.TemporaryDirectory() as folder:
        build(Project(seeds_dir=CHECKOUT / "seeds", out_dir=Path(folder)), [SEED], ["pdf"], [], notice=lambda message: None)
        draw(Path(folder) / SEED / "en-GB" / f"{SEED}.pdf", target)


if __name__ == "__main__":
    main(sys.argv[1:])
