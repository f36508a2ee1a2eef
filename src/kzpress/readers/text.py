"""Plain text (being written: the full normaliser replaces this)."""

from __future__ import annotations

from kzpress.document import Document
from kzpress.readers.decode import decode


def read(data: bytes, *, source: str) -> Document:
    text = decode(data, source=source)
    blocks = [{"t": "Para", "c": [{"t": "Str", "c": line}]} for line in text.split("\n") if line.strip()]
    return Document(meta={}, blocks=blocks)
