"""Readers: one module per source kind, each `read(data, source=...) -> Document`.

A reader gives structure only. Language, typography and ids are the transforms' work, so every
source kind gets the same treatment.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Callable

from kzpress.document import Document

Reader = Callable[..., Document]

# The reader of each kind of source, as (module, function): imported only when a source is read, as a
# build that finds its normalised text cached reads none (kzpress.normalize).
_READERS: dict[str, tuple[str, str]] = {
    ".txt": ("text", "read"),
    ".md": ("pandoc", "read_markdown"),
    ".markdown": ("pandoc", "read_markdown"),
    ".docx": ("pandoc", "read_docx"),
    ".odt": ("pandoc", "read_odt"),
    ".html": ("pandoc", "read_html"),
    ".htm": ("pandoc", "read_html"),
}
SUFFIXES = tuple(_READERS)
# Readers whose pandoc run also writes the parse as canonical Markdown and HTML (kzpress.pandoc.read_written):
# a seed that is canonical Markdown already is normalised in one pandoc run instead of two.
_WRITING = {".md": "read_markdown_written", ".markdown": "read_markdown_written"}


def reader_for(path: Path) -> Reader | None:
    found = _READERS.get(path.suffix.lower())
    if found is None:
        return None
    module, function = found
    return getattr(importlib.import_module(f"kzpress.readers.{module}"), function)


def writing_reader_for(path: Path) -> Callable[..., tuple[Document, dict, Any]] | None:
    found = _WRITING.get(path.suffix.lower())
    return None if found is None else getattr(importlib.import_module("kzpress.readers.pandoc"), found)
