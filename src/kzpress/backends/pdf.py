"""The reading PDF: the print HTML laid out by WeasyPrint, with kzpress's fonts only."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kzpress.backends import html
from kzpress.document import Document


@dataclass(frozen=True)
class PdfOptions:
    html: html.HtmlOptions


def write(document: Document, options: PdfOptions) -> bytes:
    page = html.write(document, options.html)
    weasyprint = _weasyprint(options.html.layout_dir)
    rendered = weasyprint.HTML(string=page.decode("utf-8"), base_url=str(options.html.layout_dir))
    return rendered.write_pdf()


def _weasyprint(layout_dir: Path):
    """Import WeasyPrint late (it costs a second) with fontconfig limited to kzpress's fonts."""
    # fontconfig reads FONTCONFIG_FILE once, when Pango first starts: set it before the import.
    os.environ.setdefault("FONTCONFIG_FILE", str((layout_dir / "fonts.conf").resolve()))
    import weasyprint

    return weasyprint
