"""Document -> Document steps every edition goes through, in order, before canonical Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kzpress import sanitize
from kzpress.document import Document
from kzpress.language import Language
from kzpress.typography import smarten

Notice = Callable[[str], None]


def _silent(message: str) -> None:
    pass


@dataclass(frozen=True)
class Context:
    """What a step may need besides the document: its language, the file it came from (for messages)
    and where to report what a step removed or changed."""

    language: Language
    source: str = "document"
    notice: Notice = _silent


Transform = Callable[[Document, Context], Document]


def typography(document: Document, context: Context) -> Document:
    return smarten(document, context.language)


# The safe subset comes first, so no later step (or output) sees what a seed may not carry.
PIPELINE: list[Transform] = [sanitize.safe_subset, typography]


def apply(document: Document, language: Language, *, source: str = "document", notice: Notice = _silent) -> Document:
    context = Context(language, source, notice)
    for step in PIPELINE:
        document = step(document, context)
    return document
