"""HTML for print: the Document's body through pandoc's HTML writer, in the layout's Jinja2 page.

This is the page WeasyPrint lays out; the PDF backend is this writer plus an engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kzpress import __version__, pandoc
from kzpress.document import Document
from kzpress.fonts import font_faces
from kzpress.layout import Settings, environment


@dataclass(frozen=True)
class HtmlOptions:
    layout_dir: Path
    fonts_dir: Path
    settings: Settings
    created: str  # ISO 8601 date-time for the PDF's metadata: from the document, never the clock


def body(document: Document) -> str:
    return pandoc.from_json(document.to_json(), "html5", "--wrap=none")


def write(document: Document, options: HtmlOptions) -> bytes:
    templates = environment(options.layout_dir)
    stylesheet = templates.get_template("pamphlet.css.j2").render(
        settings=options.settings, font_faces=font_faces(options.fonts_dir)
    )
    page = templates.get_template("pamphlet.html.j2").render(
        meta=document.metadata,
        body=body(document),
        stylesheet=stylesheet,
        created=options.created,
        version=__version__,
    )
    return page.encode("utf-8")
