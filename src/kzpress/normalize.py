"""Normalising a seed: reader, sidecar metadata, language, transforms, canonical Markdown, one parse.

seed --reader--> Document --transforms--> canonical Markdown --parse once--> Document

The result can be kept in the output folder's cache (kzpress.cache's parse cache), keyed by the seed's
bytes, its metadata, the language asked for and kzpress's code, so that a build of another format of
an unchanged seed (an XLIFF export after the PDF) does not normalise it again. What normalising said
(a detected language, a removed script) is kept with it and said again.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kzpress import cache, pandoc
from kzpress.document import Document, stringify
from kzpress.errors import InputError
from kzpress.language import Language, detect, language
from kzpress.seeds import MAX_INPUT_MB, Seed, read_input

Notice = Callable[[str], None]


def to_stderr(message: str) -> None:
    print(f"kzpress: {message}", file=sys.stderr)


@dataclass(frozen=True)
class Normalized:
    document: Document
    language: Language
    canonical: bytes  # the canonical Markdown
    entry: tuple[Path, bytes] | None = None  # the parse-cache entry to write once the seed is found good


def normalize(
    seed: Seed, *, lang: str | None = None, notice: Notice = to_stderr, max_input_bytes: int = MAX_INPUT_MB * 1024 * 1024
) -> tuple[Document, Language, bytes]:
    """A seed as canonical Markdown and its one parse (`kzpress normalize`; no cache)."""
    result = normalized(seed, lang=lang, notice=notice, max_input_bytes=max_input_bytes)
    return result.document, result.language, result.canonical


def normalized(seed: Seed, *, lang: str | None, notice: Notice, max_input_bytes: int,
               parse_cache: Path | None = None, reuse: bool = True) -> Normalized:
    """The seed normalised, from `parse_cache` (an output folder) when it is kept there; else made, with
    the entry for the cache, which the caller writes (build.load, once title and date are found good).
    Without `reuse` (--force) it is made again even when kept, and the fresh entry replaces the kept one."""
    data = read_input(seed.source, max_bytes=max_input_bytes)
    metadata = seed.metadata()
    source = str(seed.source)
    key = cache.parse_key(data, metadata, lang) if parse_cache is not None else ""
    kept = cache.parsed(parse_cache, seed.slug, key) if parse_cache is not None and reuse else None
    if kept is not None:
        for line in kept["notices"]:
            notice(line)
        document = Document.from_json(kept["document"], source=source)
        html = kept.get("html")
        if isinstance(html, list) and len(html) == 2 and all(isinstance(part, str) for part in html):
            try:
                pandoc.keep_html(bytes.fromhex(html[0]), html[1])
            except ValueError:
                pass  # a damaged key: pandoc writes the HTML again if it is needed
        return Normalized(document, language(kept["lang"], source=source), kept["canonical"].encode("utf-8"))
    notices: list[str] = []

    def heard(message: str) -> None:
        notices.append(message)
        notice(message)

    document, language_, canonical = _normalized(seed, data, metadata, lang, heard)
    entry = None
    if parse_cache is not None:
        kept = {"key": key, "lang": language_.tag, "canonical": canonical.decode("utf-8"),
                "html": _hex_key(pandoc.kept_html(document.to_json())), "notices": notices}
        data = json.dumps(kept, ensure_ascii=False).encode("utf-8")  # and the document, dumped once already
        data = data[:-1] + b', "document": ' + pandoc.document_json(document.to_json()) + b"}"
        entry = (cache.parsed_path(parse_cache, seed.slug), data)
    return Normalized(document, language_, canonical, entry)


def _hex_key(kept: tuple[bytes, str] | None) -> list[str] | None:
    return None if kept is None else [kept[0].hex(), kept[1]]


def _normalized(seed: Seed, data: bytes, metadata: dict, lang: str | None, notice: Notice) -> tuple[Document, Language, bytes]:
    # Imported here: a seed taken from the parse cache needs none of them (a tenth of the XLIFF export).
    from kzpress import transforms
    from kzpress.backends import markdown
    from kzpress.readers import reader_for, writing_reader_for

    source = str(seed.source)
    text = _as_utf8(seed, data, notice)
    writing = writing_reader_for(seed.source)
    if writing is not None:
        document, read, writing_parts = writing(text, source=source)
    else:
        document, read, writing_parts = reader_for(seed.source)(text, source=source), None, None
    try:
        sidecar = {key: value for key, value in metadata.items() if key != "layout"}
        if sidecar:
            document = document.with_meta(**sidecar)
        tag = document.metadata.lang or lang or _detected(document, source, notice)
        language_ = language(tag, source=str(seed.metadata_path or source))
        if document.metadata.lang != language_.tag:
            document = document.with_meta(lang=language_.tag)
        document = transforms.apply(document, language_, source=source, notice=notice)
    except BaseException:
        if writing_parts is not None:
            writing_parts.cancel()
        raise
    written, html = writing_parts.result() if writing_parts is not None else (None, "")
    if written == text and document.to_json() == read:
        # Canonical already, and left as it was: the parse of the canonical Markdown is the one in hand.
        canonical, parsed_json, settled = written, read, written
        pandoc.keep_html(pandoc.html_key(read), html)
    else:
        canonical, parsed_json, settled = pandoc.settle(document.to_json(), source=source)
    parsed = Document.from_json(parsed_json, source=source)
    # Where pandoc reads a shape back otherwise (a plain block left alone where the safe subset took raw
    # HTML out), the canonical Markdown is what it reads, so that normalising it again changes nothing.
    if settled != canonical:
        canonical, parsed = settled, markdown.read(settled.decode("utf-8"), source=source)
    return parsed, language_, canonical


def _as_utf8(seed: Seed, data: bytes, notice: Notice) -> bytes:
    """A text seed in an older encoding, recoded to UTF-8 with a notice (see readers.decode)."""
    from kzpress.readers import decode

    if seed.source.suffix.lower() not in decode.TEXT_SUFFIXES:
        return data
    decoded = decode.read_text(data, source=str(seed.source))
    if decoded.encoding == decode.UTF8:
        return data
    notice(f"{seed.source}: not UTF-8; read it as {decoded.encoding} (save it as UTF-8 to be sure)")
    return decoded.text.encode("utf-8")


def _detected(document: Document, source: str, notice: Notice) -> str:
    guess = detect(stringify(document.blocks))
    if guess is None:
        raise InputError(f"{source}: cannot tell the language; add `lang: …` to its metadata or pass --lang")
    notice(f"{source}: language not given, detected '{guess}' (set `lang:` in the metadata to be sure)")
    return guess
