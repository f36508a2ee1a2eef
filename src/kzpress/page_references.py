"""The PDF's page references built once per page count, not once per tagged element.

WeasyPrint tags a PDF/UA document element by element, and for each it asks pydyf for
`pdf.page_references[n]`; pydyf builds the tuple of every page's reference anew at each call, so
writing a tagged PDF takes time in pages × elements: 985,000 references built for the 141-page text of
benchmark row (e), a tenth of its `write_pdf`. Here the tuple is kept until a page is added (pydyf
only ever appends pages), and the PDF is the same to the byte.

This replaces a property of pydyf's `PDF`; it is done only for the pydyf version it was written and
tested against (TESTED_WITH), and not at all otherwise.
"""

from __future__ import annotations

from typing import Any

TESTED_WITH = "0.13.0"


def install(pydyf: Any) -> bool:
    """Keep the page references of a pydyf PDF between calls, once; False (and nothing changed) if this
    pydyf is not the version it was tested with."""
    if pydyf.__version__ != TESTED_WITH:
        return False
    if getattr(pydyf.PDF.page_references.fget, "kept", False):
        return True

    def page_references(pdf: Any) -> tuple[bytes, ...]:
        kids = pdf.pages["Kids"]  # number, 0, "R" for each page
        kept = pdf.__dict__.get("_kzpress_page_references")
        if kept is None or kept[0] != len(kids):
            references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
            kept = pdf._kzpress_page_references = (len(kids), references)
        return kept[1]

    page_references.kept = True
    pydyf.PDF.page_references = property(page_references)
    return True
