"""Builds: the only place that reads seeds and writes the output folder (atomically).

seed --reader--> Document --transforms--> canonical Markdown --parse once--> Document --backends--> bytes
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from kzpress import cache, transforms
from kzpress.backends import markdown
from kzpress.document import Document, stringify
from kzpress.errors import InputError, KzpressError
from kzpress.language import Language, detect, language
from kzpress.readers import reader_for
from kzpress.seeds import Seed, find_seeds, select, timestamp


CHECKOUT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Project:
    seeds_dir: Path = Path("seeds")
    out_dir: Path = Path("dist")
    layout_dir: Path = CHECKOUT / "layout"
    fonts_dir: Path = CHECKOUT / "fonts"

    def check_folders(self) -> None:
        for folder, what in ((self.layout_dir, "layout"), (self.fonts_dir, "fonts")):
            if not folder.is_dir():
                raise KzpressError(f"{folder}: kzpress's {what} folder is missing; install kzpress from its source folder (`pip install -e .`)")


@dataclass(frozen=True)
class Edition:
    """One language edition of a seed, ready for the backends."""

    slug: str
    document: Document
    language: Language
    canonical_markdown: bytes
    created: str
    layout: dict = field(default_factory=dict)
    targets: tuple[str, ...] = ()  # languages to export XLIFF for

    @property
    def folder(self) -> str:
        return self.language.tag


Notice = Callable[[str], None]


def _stderr(message: str) -> None:
    print(f"kzpress: {message}", file=sys.stderr)


def normalize(seed: Seed, *, lang: str | None = None, notice: Notice = _stderr) -> tuple[Document, Language, bytes]:
    """A seed as canonical Markdown: reader, sidecar metadata, language, transforms, then one parse."""
    source = str(seed.source)
    try:
        data = seed.source.read_bytes()
    except OSError as error:
        raise InputError(f"{source}: cannot read it ({error.strerror}); check the path and permissions") from None
    document = reader_for(seed.source)(data, source=source)
    sidecar = {key: value for key, value in seed.metadata().items() if key != "layout"}
    document = document.with_meta(**sidecar)
    tag = document.metadata.lang or lang or _detected(document, source, notice)
    language_ = language(tag, source=str(seed.metadata_path or source))
    document = transforms.apply(document.with_meta(lang=language_.tag), language_)
    canonical = markdown.write(document)
    return markdown.read(canonical.decode("utf-8"), source=source), language_, canonical


def load(seed: Seed, *, lang: str | None = None, notice: Notice = _stderr) -> Edition:
    """A seed's source-language edition, with what publishing needs beyond the text: title and date."""
    document, language_, canonical = normalize(seed, lang=lang, notice=notice)
    meta = document.metadata
    where = str(seed.metadata_path or seed.source.with_suffix(".yaml"))
    if not meta.title:
        raise InputError(f"{seed.source}: no title; add `title: …` to {where}")
    created = timestamp(meta.date, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"), source=where)
    layout = seed.metadata().get("layout", {})
    return Edition(seed.slug, document, language_, canonical, created, layout, meta.targets)


def _detected(document: Document, source: str, notice: Notice) -> str:
    guess = detect(stringify(document.blocks))
    if guess is None:
        raise InputError(f"{source}: cannot tell the language; add `lang: …` to its metadata or pass --lang")
    notice(f"{source}: language not given, detected '{guess}' (set `lang:` in the metadata to be sure)")
    return guess


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def outputs(edition: Edition, formats: list[str], project: Project) -> dict[Path, bytes]:
    """Every output of one edition, as bytes by relative path; nothing is written here."""
    from kzpress.backends import BACKENDS

    produced: dict[Path, bytes] = {}
    for name in formats:
        produced.update(BACKENDS[name](edition, project))
    return produced


def default_formats() -> tuple[str, ...]:
    from kzpress.backends import BACKENDS

    return tuple(BACKENDS)


def build(
    project: Project,
    slugs: list[str],
    formats: list[str],
    langs: list[str],
    *,
    targets: list[str] | None = None,
    force: bool = False,
    notice: Notice = _stderr,
) -> list[Path]:
    """Build the chosen seeds (all when `slugs` is empty) into `project.out_dir`; return what was written.

    `targets` replaces the metadata's list of translation languages for the XLIFF export. A seed
    whose inputs are unchanged since the last identical build is not rebuilt unless `force`.
    """
    from kzpress.backends import BACKENDS

    project.check_folders()
    unknown = [name for name in formats if name not in BACKENDS]
    if unknown:
        raise InputError(f"--to: unknown format '{unknown[0]}'; choose from {', '.join(BACKENDS)}")
    seeds = select(find_seeds(project.seeds_dir), slugs, project.seeds_dir)
    request = {"formats": sorted(formats), "langs": langs, "targets": targets}
    written = []
    for seed in seeds:
        key = cache.input_key(project.seeds_dir, seed.slug, [project.layout_dir, project.fonts_dir], request)
        unchanged = None if force else cache.lookup(project.out_dir, seed.slug, request, key)
        if unchanged is not None:
            notice(f"{seed.slug}: up to date")
            written.extend(unchanged)
            continue
        edition = load(seed, lang=langs[0] if langs else None, notice=notice)
        if targets is not None:
            edition = replace(edition, targets=tuple(language(t, source="--target").tag for t in targets))
        for wanted in langs:
            if language(wanted, source="--lang").tag.lower() != edition.language.tag.lower():
                raise InputError(f"{seed.source}: no '{wanted}' edition: kzpress has no translation of '{seed.slug}' into it yet")
        results = outputs(edition, list(formats), project)
        for relative, data in results.items():
            target = project.out_dir / relative
            write_atomic(target, data)
            written.append(target)
            notice(f"wrote {target}")
        write_atomic(*cache.store(project.out_dir, seed.slug, request, key, results))
    return written


def proof(project: Project, slug: str, langs: list[str], *, notice: Notice = _stderr) -> list[Path]:
    """Build the reading PDF of one seed, then its page images and contact sheet beside it."""
    from kzpress.proof import proof_files

    written = []
    for pdf_path in [path for path in build(project, [slug], ["pdf"], langs, notice=notice) if path.suffix == ".pdf"]:
        for relative, data in proof_files(pdf_path.read_bytes(), pdf_path.stem).items():
            target = pdf_path.parent / relative
            write_atomic(target, data)
            written.append(target)
        notice(f"wrote {len(written)} proof images beside {pdf_path}")
    return written
