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
from kzpress.readers import decode, reader_for
from kzpress.seeds import MAX_INPUT_MB, Seed, check_input, find_seeds, read_input, select, source_date, timestamp


CHECKOUT = Path(__file__).resolve().parents[2]
OUTPUT_MODE = 0o644


@dataclass(frozen=True)
class Project:
    seeds_dir: Path = Path("seeds")
    out_dir: Path = Path("dist")
    max_input_bytes: int = MAX_INPUT_MB * 1024 * 1024  # a larger seed is refused before it is read
    layout_dir: Path = CHECKOUT / "layout"
    fonts_dir: Path = CHECKOUT / "fonts"
    xliff_version: str = "1.2"  # the XLIFF exported for translators: 1.2 or 2.1

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

BUILT, UP_TO_DATE, FAILED = "built", "up to date", "failed"


@dataclass(frozen=True)
class SeedResult:
    """What `build` did with one seed: its outputs written, found up to date, or the error that stopped it."""

    slug: str
    status: str  # BUILT, UP_TO_DATE or FAILED
    files: tuple[Path, ...] = ()
    error: str = ""


def _stderr(message: str) -> None:
    print(f"kzpress: {message}", file=sys.stderr)


def normalize(
    seed: Seed, *, lang: str | None = None, notice: Notice = _stderr, max_input_bytes: int = Project.max_input_bytes
) -> tuple[Document, Language, bytes]:
    """A seed as canonical Markdown: reader, sidecar metadata, language, transforms, then one parse."""
    source = str(seed.source)
    data = _as_utf8(seed, read_input(seed.source, max_bytes=max_input_bytes), notice)
    document = reader_for(seed.source)(data, source=source)
    sidecar = {key: value for key, value in seed.metadata().items() if key != "layout"}
    document = document.with_meta(**sidecar)
    tag = document.metadata.lang or lang or _detected(document, source, notice)
    language_ = language(tag, source=str(seed.metadata_path or source))
    document = transforms.apply(document.with_meta(lang=language_.tag), language_, source=source, notice=notice)
    canonical = markdown.write(document)
    parsed = markdown.read(canonical.decode("utf-8"), source=source)
    # Where pandoc reads a shape back otherwise (a plain block left alone where the safe subset took raw
    # HTML out), the canonical Markdown is what it reads, so that normalising it again changes nothing.
    settled = markdown.write(parsed)
    if settled != canonical:
        canonical, parsed = settled, markdown.read(settled.decode("utf-8"), source=source)
    return parsed, language_, canonical


def _as_utf8(seed: Seed, data: bytes, notice: Notice) -> bytes:
    """A text seed in an older encoding, recoded to UTF-8 with a notice (see readers.decode)."""
    if seed.source.suffix.lower() not in decode.TEXT_SUFFIXES:
        return data
    decoded = decode.read_text(data, source=str(seed.source))
    if decoded.encoding == decode.UTF8:
        return data
    notice(f"{seed.source}: not UTF-8; read it as {decoded.encoding} (save it as UTF-8 to be sure)")
    return decoded.text.encode("utf-8")


def load(
    seed: Seed, *, lang: str | None = None, notice: Notice = _stderr, max_input_bytes: int = Project.max_input_bytes
) -> Edition:
    """A seed's source-language edition, with what publishing needs beyond the text: title and date."""
    document, language_, canonical = normalize(seed, lang=lang, notice=notice, max_input_bytes=max_input_bytes)
    meta = document.metadata
    where = str(seed.metadata_path or seed.source.with_suffix(".yaml"))
    if not meta.title:
        raise InputError(f"{seed.source}: no title; add `title: …` to {where}")
    created = timestamp(meta.date, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"), source=where)
    layout = seed.metadata().get("layout", {})
    return Edition(seed.slug, document, language_, canonical, created, layout, meta.targets)


def translated_edition(seed: Seed, source: Edition, lang: str, *, allow_incomplete: bool = False) -> Edition:
    """The edition in `lang` made from the translation stored with the seed (see translation.store):
    merged into the source Document, then the target language's transforms and one parse, like `load`.

    Units without a translation of their current words fail the build, or with `allow_incomplete` stay
    in the source language."""
    from kzpress.translation import merge, store

    path = store.find(seed.source.parent, seed.slug, lang)
    if path is None:
        raise InputError(f"{seed.source}: no '{lang}' edition: no translation of '{seed.slug}' into it is stored; "
                         "import one with `kzpress import FILE`")
    translation = store.load(path)
    document, untranslated = merge.translated(source.document, translation)
    if untranslated and not allow_incomplete:
        raise InputError(
            f"{path}: {len(untranslated)} unit{'s' if len(untranslated) > 1 else ''} of '{seed.slug}' without a "
            f"{translation.target_language} translation of the current text "
            f"(the first: {untranslated[0]}); `kzpress xliff {seed.slug} --target {translation.target_language}` "
            f"exports them to translate, or build with --allow-incomplete to print them in {source.language.tag}")
    return _edition_of(source, document, translation.target_language, where=str(path))


def _edition_of(source: Edition, document: Document, lang: str, *, where: str) -> Edition:
    """A translated Document as an edition: the target language's transforms, then one parse, like `load`."""
    language_ = language(lang, source=where)
    document = transforms.apply(document, language_)
    canonical = markdown.write(document)
    translated = markdown.read(canonical.decode("utf-8"), source=where)
    return Edition(source.slug, translated, language_, canonical, source.created, source.layout)


def pseudo(project: Project, slugs: list[str], formats: list[str], *, notice: Notice = _stderr) -> list[Path]:
    """Build a pseudo-translation of each seed (translation.pseudo) into <out>/<slug>/<lang>-XA/, so that
    a longer language's layout problems show before translators start; nothing is stored."""
    from kzpress.translation import merge
    from kzpress.translation.pseudo import pseudo_translation

    written = []
    for seed in select(find_seeds(project.seeds_dir), slugs, project.seeds_dir):
        source = load(seed, notice=notice, max_input_bytes=project.max_input_bytes)
        translation = pseudo_translation(source.document)
        document, _ = merge.translated(source.document, translation)
        edition = _edition_of(source, document, translation.target_language, where=f"{seed.slug} (pseudo-translation)")
        for relative, data in outputs(edition, [name for name in formats if name != "xliff"], project).items():
            _write_output(project.out_dir / relative, data)
            written.append(project.out_dir / relative)
            notice(f"wrote {project.out_dir / relative}")
    return written


def tmx(project: Project, slugs: list[str], *, notice: Notice = _stderr) -> list[Path]:
    """Write <out>/<slug>/xliff/<slug>.tmx: every translation stored with each seed, for translators' memories."""
    from kzpress.translation import store
    from kzpress.translation.tmx import write as write_tmx

    written = []
    for seed in select(find_seeds(project.seeds_dir), slugs, project.seeds_dir):
        translations = {lang: store.load(store.path_for(project.seeds_dir, seed.slug, lang))
                        for lang in store.stored_languages(project.seeds_dir, seed.slug)}
        if not translations:
            notice(f"{seed.slug}: no translation stored yet; `kzpress import FILE` stores one")
            continue
        date = load(seed, notice=notice, max_input_bytes=project.max_input_bytes).created  # the document's, not the clock's
        target = project.out_dir / seed.slug / "xliff" / f"{seed.slug}.tmx"
        _write_output(target, write_tmx(translations, created=date))
        written.append(target)
        notice(f"wrote {target} ({', '.join(translations)})")
    return written


def editions(seed: Seed, source: Edition, langs: list[str], *, allow_incomplete: bool = False, notice: Notice = _stderr) -> list[Edition]:
    """The editions asked for: each of `langs`, or with none the source and every stored translation
    (one with units still to translate is skipped, with a notice, unless `allow_incomplete`)."""
    from kzpress.translation import store

    if langs:
        return [source if language(wanted, source="--lang").tag.lower() == source.language.tag.lower()
                else translated_edition(seed, source, wanted, allow_incomplete=allow_incomplete) for wanted in langs]
    found = [source]
    for lang in store.stored_languages(seed.source.parent, seed.slug):
        try:
            found.append(translated_edition(seed, source, lang, allow_incomplete=allow_incomplete))
        except InputError as error:
            notice(f"skipped the {lang} edition: {error}")
    return found


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
        os.fchmod(handle, OUTPUT_MODE)  # mkstemp makes it private; outputs are for others to read
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_output(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as error:
        raise KzpressError(f"{path}: cannot write it ({error.strerror}); check the output folder's permissions "
                           "and free space (the previous output, if any, is unchanged)") from None


def outputs(edition: Edition, formats: list[str], project: Project) -> dict[Path, bytes]:
    """Every output of one edition, as bytes by relative path; nothing is written here."""
    with source_date(edition.created):
        return _outputs(edition, formats, project)


def _outputs(edition: Edition, formats: list[str], project: Project) -> dict[Path, bytes]:
    from kzpress.backends import BACKENDS, booklet_output, epub_output, press_pdf_path, reading_pdf_path

    produced: dict[Path, bytes] = {}
    for name in formats:
        if name not in ("epub", "booklet"):
            produced.update(BACKENDS[name](edition, project))
    if "booklet" in formats:
        # Imposed from the press PDF just made, when there is one, rather than laying it out again.
        produced.update(booklet_output(edition, project, press_pdf=produced.get(press_pdf_path(edition))))
    if "epub" in formats:
        # The EPUB's cover and page list come from the reading PDF: the "pdf" output's, when it was just
        # made, so the PDF is rendered once per edition.
        produced.update(epub_output(edition, project, reading_pdf=produced.get(reading_pdf_path(edition))))
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
    allow_incomplete: bool = False,
    notice: Notice = _stderr,
    report: Callable[[SeedResult], None] = lambda result: None,
) -> list[Path]:
    """Build the chosen seeds (all when `slugs` is empty) into `project.out_dir`; return what was written.

    `langs` chooses the editions (see `editions`). `targets` replaces the metadata's list of translation
    languages for the XLIFF export. A seed whose inputs are unchanged since the last identical build is
    not rebuilt unless `force`. `report` hears of each seed as it is done (for `--json` and progress); the
    first seed that fails stops the build, after its report.
    """
    from kzpress.backends import BACKENDS

    project.check_folders()
    unknown = [name for name in formats if name not in BACKENDS]
    if unknown:
        raise InputError(f"--to: unknown format '{unknown[0]}'; choose from {', '.join(BACKENDS)}")
    seeds = select(find_seeds(project.seeds_dir), slugs, project.seeds_dir)
    request = {"formats": sorted(formats), "langs": langs, "targets": targets, "allow_incomplete": allow_incomplete,
               "xliff": project.xliff_version}
    written = []
    for seed in seeds:
        try:
            result = _build_seed(project, seed, formats, langs, request, targets=targets, force=force,
                                 allow_incomplete=allow_incomplete, notice=notice)
        except KzpressError as error:
            report(SeedResult(seed.slug, FAILED, error=str(error)))
            raise
        report(result)
        written.extend(result.files)
    return written


def _build_seed(project: Project, seed: Seed, formats: list[str], langs: list[str], request: dict, *,
                targets: list[str] | None, force: bool, allow_incomplete: bool, notice: Notice) -> SeedResult:
    """One seed's outputs written (or found up to date in the cache), as `build` asks."""
    check_input(seed.source, max_bytes=project.max_input_bytes)  # before the cache key reads it whole
    key = cache.input_key(project.seeds_dir, seed.slug, [project.layout_dir, project.fonts_dir], request)
    unchanged = None if force else cache.lookup(project.out_dir, seed.slug, request, key)
    if unchanged is not None:
        notice(f"{seed.slug}: up to date")
        return SeedResult(seed.slug, UP_TO_DATE, tuple(unchanged))
    edition = load(seed, lang=langs[0] if langs else None, notice=notice, max_input_bytes=project.max_input_bytes)
    if targets is not None:
        edition = replace(edition, targets=tuple(language(t, source="--target").tag for t in targets))
    results: dict[Path, bytes] = {}
    # XLIFF is exported from the source edition alone: a translated edition has nothing to add to it.
    only_xliff = set(formats) <= {"xliff"}
    chosen = [edition] if only_xliff else editions(seed, edition, langs, allow_incomplete=allow_incomplete, notice=notice)
    for one in chosen:
        results.update(outputs(one, list(formats), project))
    if "xliff" in formats and any(one is edition for one in chosen):
        from kzpress.translation.store import export_summaries

        for line in export_summaries(seed.source.parent, edition.slug, edition.document, edition.targets):
            notice(line)
    written = []
    for relative, data in results.items():
        target = project.out_dir / relative
        _write_output(target, data)
        written.append(target)
        notice(f"wrote {target}")
    write_atomic(*cache.store(project.out_dir, seed.slug, request, key, results))
    return SeedResult(seed.slug, BUILT, tuple(written))


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
