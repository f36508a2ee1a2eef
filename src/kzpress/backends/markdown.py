"""Canonical Markdown: pandoc's Markdown with YAML front matter, one paragraph per line."""

from __future__ import annotations

from dataclasses import dataclass

from kzpress import pandoc
from kzpress.document import Document


@dataclass(frozen=True)
class MarkdownOptions:
    pass


def write(document: Document, options: MarkdownOptions = MarkdownOptions()) -> bytes:
    text = pandoc.from_json(document.to_json(), pandoc.MARKDOWN, "--standalone", "--wrap=none")
    return text.encode("utf-8")


def read(text: str, *, source: str) -> Document:
    """Parse canonical Markdown: the one parse every backend's Document comes from."""
    return Document.from_json(pandoc.to_json(text.encode("utf-8"), pandoc.MARKDOWN, source=source), source=source)
