"""Readers: one module per source kind, each `read(data, source=...) -> Document`.

A reader gives structure only. Language, typography and ids are the transforms' work, so every
source kind gets the same treatment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from kzpress.document import Document
from kzpress.readers import pandoc, text

Reader = Callable[..., Document]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": pandoc.read_markdown,
    ".markdown": pandoc.read_markdown,
    ".docx": pandoc.read_docx,
    ".odt": pandoc.read_odt,
    ".html": pandoc.read_html,
    ".htm": pandoc.read_html,
}


def reader_for(path: Path) -> Reader | None:
    return READERS.get(path.suffix.lower())
