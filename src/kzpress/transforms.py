"""Document -> Document steps every edition goes through, in order, before canonical Markdown."""

from __future__ import annotations

from typing import Callable

from kzpress.document import Document
from kzpress.language import Language
from kzpress.typography import smarten

Transform = Callable[[Document, Language], Document]

PIPELINE: list[Transform] = [smarten]


def apply(document: Document, language: Language) -> Document:
    for step in PIPELINE:
        document = step(document, language)
    return document
