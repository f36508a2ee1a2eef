"""How pydyf writes the PDF's objects: page references built once per page count, streams compressed at
zlib's default level.

WeasyPrint tags a PDF/UA document element by element, and for each it asks pydyf for
`pdf.page_references[n]`; pydyf builds the tuple of every page's reference anew at each call, so
writing a tagged PDF takes time in pages × elements: 985,000 references built for the 141-page text of
benchmark row (e), a tenth of its `write_pdf`. Here the tuple is kept until a page is added (pydyf
only ever appends pages).

pydyf compresses every stream (each page's content, the fonts) at zlib level 9, which on these PDFs
takes five times level 6's time for 4 % less: 0.49 s against 0.09 s for the 4 MB of streams of
row (e)'s PDF, 578 KB against 604 KB. Here they are compressed at level 6, zlib's default.

Both replace parts of pydyf; they are done only for the pydyf version they were written and tested
against (TESTED_WITH), and not at all otherwise.
"""

from __future__ import annotations

import zlib
from typing import Any

from kzpress.mends import once

TESTED_WITH = "0.13.0"
COMPRESSION_LEVEL = 6


class _Zlib:
    """zlib as pydyf's module sees it, its compressors at COMPRESSION_LEVEL whatever level it asks for."""

    kept_level = True

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(COMPRESSION_LEVEL, *args, **kwargs)


@once(TESTED_WITH)
def install(pydyf: Any) -> None:
    """Keep the page references of a pydyf PDF between calls and compress its streams at
    COMPRESSION_LEVEL, once; False (and nothing changed) if this pydyf is not the version it was tested with."""

    def page_references(pdf: Any) -> tuple[bytes, ...]:
        kids = pdf.pages["Kids"]  # number, 0, "R" for each page
        kept = pdf.__dict__.get("_kzpress_page_references")
        if kept is None or kept[0] != len(kids):
            references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
            kept = pdf._kzpress_page_references = (len(kids), references)
        return kept[1]

    page_references.kept = True  # what tests/test_pdf_objects.py looks for
    pydyf.PDF.page_references = property(page_references)
    pydyf.zlib = _Zlib()
