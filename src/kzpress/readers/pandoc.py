"""Markdown, word-processor and HTML seeds, through pandoc's own readers (sandboxed)."""

from __future__ import annotations

from kzpress import pandoc
from kzpress.document import Document
from kzpress.readers.decode import decode


def read_markdown(data: bytes, *, source: str) -> Document:
    text = decode(data, source=source)
    return Document.from_json(pandoc.to_json(text.encode("utf-8"), pandoc.MARKDOWN, source=source), source=source)


def read_markdown_written(data: bytes, *, source: str) -> tuple[Document, dict, pandoc.Written]:
    """`read_markdown`, with the parse as pandoc gave it and that parse written as canonical Markdown and
    as HTML (kzpress.pandoc.read_written; kzpress.normalize: a seed canonical already needs no other run)."""
    text = decode(data, source=source)
    ast, written = pandoc.read_written(text.encode("utf-8"), source=source)
    try:
        return Document.from_json(ast, source=source), ast, written
    except BaseException:
        written.cancel()
        raise


def read_docx(data: bytes, *, source: str) -> Document:
    return Document.from_json(pandoc.to_json(data, "docx", source=source), source=source)


def read_odt(data: bytes, *, source: str) -> Document:
    return Document.from_json(pandoc.to_json(data, "odt", source=source), source=source)


def read_html(data: bytes, *, source: str) -> Document:
    text = decode(data, source=source)
    return Document.from_json(pandoc.to_json(text.encode("utf-8"), "html", source=source), source=source)
