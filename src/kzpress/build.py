"""Builds: the only place that reads seeds and writes the output folder (atomically).

seed --reader--> Document --transforms--> canonical Markdown --parse once--> Document --backends--> bytes
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kzpress import cache
from kzpress.document import Document
from kzpress.errors import InputError, KzpressError
from kzpress.language import Language, language
from kzpress.normalize import Notice, normalized, to_stderr
from kzpress.seeds import MAX_INPUT_MB, Seed, find_seeds, select, source_date, timestamp


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
    publisher_layout: Path | None = None  # --layout: a publisher's templates and settings, over layout_dir's

    @property
    def design_folders(self) -> list[Path]:
        """Every folder the outputs' look comes from (the build cache and `watch` follow them)."""
        return [self.layout_dir, self.fonts_dir, *([self.publisher_layout] if self.publisher_layout else [])]

    def check_folders(self) -> None:
        for folder, what in ((self.layout_dir, "layout"), (self.fonts_dir, "fonts")):
            if not folder.is_dir():
                raise KzpressError(f"{folder}: kzpress's {what} folder is missing; install kzpress from its source folder (`pip install -e .`)")
        if self.publisher_layout is not None and not self.publisher_layout.is_dir():
            raise InputError(f"{self.publisher_layout}: no such layout folder (--layout); give a folder holding "
                             "your own templates or settings.yaml")


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


BUILT, UP_TO_DATE, FAILED = "built", "up to date", "failed"


@dataclass(frozen=True)
class SeedResult:
    """What `build` did with one seed: its outputs written, found up to date, or the error that stopped it."""

    slug: str
    status: str  # BUILT, UP_TO_DATE or FAILED
    files: tuple[Path, ...] = ()
    error: str = ""


def load(
    seed: Seed, *, lang: str | None = None, notice: Notice = to_stderr, max_input_bytes: int = Project.max_input_bytes,
    parse_cache: Path | None = None, reuse: bool = True,
) -> Edition:
    """A seed's source-language edition, with what publishing needs beyond the text: title and date.

    `parse_cache` (an output folder) keeps the normalised text there once the seed is found good, and
    takes it from there while the seed is unchanged, unless not to `reuse` it (see kzpress.normalize)."""
    result = normalized(seed, lang=lang, notice=notice, max_input_bytes=max_input_bytes, parse_cache=parse_cache,
                        reuse=reuse)
    document, language_, canonical = result.document, result.language, result.canonical
    meta = document.metadata
    where = str(seed.metadata_path or seed.source.with_suffix(".yaml"))
    if not meta.title:
        raise InputError(f"{seed.source}: no title; add `title: …` to {where}")
    created = timestamp(meta.date, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"), source=where)
    layout = seed.metadata().get("layout", {})
    if result.entry is not None:
        write_atomic(*result.entry)
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
    from kzpress import pandoc, transforms

    document = transforms.apply(document, language_)
    canonical, translated_json, _ = pandoc.settle(document.to_json(), source=where)
    translated = Document.from_json(translated_json, source=where)
    return Edition(source.slug, translated, language_, canonical, source.created, source.layout)


def pseudo(project: Project, slugs: list[str], formats: list[str], *, notice: Notice = to_stderr) -> list[Path]:
    """Build a pseudo-translation of each seed (translation.pseudo) into <out>/<slug>/<lang>-XA/, so that
    a longer language's layout problems show before translators start; nothing is stored."""
    if "xliff" in formats:
        raise InputError("--to: a pseudo-translation has no XLIFF (it is made from the XLIFF's units, for the layout "
                         "only); choose among pdf, print, booklet, epub, md")
    written = []
    for seed in select(find_seeds(project.seeds_dir), slugs, project.seeds_dir):
        written += _write_pseudo(project, load(seed, notice=notice, max_input_bytes=project.max_input_bytes), formats, notice)
    return written


def _write_pseudo(project: Project, source: Edition, formats: list[str], notice: Notice) -> list[Path]:
    from kzpress.translation import merge
    from kzpress.translation.pseudo import pseudo_translation

    translation = pseudo_translation(source.document)
    document, _ = merge.translated(source.document, translation)
    edition = _edition_of(source, document, translation.target_language, where=f"{source.slug} (pseudo-translation)")
    written = []
    for relative, data in outputs(edition, formats, project).items():
        _write_output(project.out_dir / relative, data)
        written.append(project.out_dir / relative)
        notice(f"wrote {project.out_dir / relative}")
    return written


def tmx(project: Project, slugs: list[str], *, notice: Notice = to_stderr) -> list[Path]:
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


def editions(seed: Seed, source: Edition, langs: list[str], *, allow_incomplete: bool = False, notice: Notice = to_stderr) -> list[Edition]:
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


def write_seed(project: Project, slug: str, results: dict[Path, bytes], cache_request: dict, key: str,
               notice: Notice) -> list[Path]:
    """One seed's outputs written atomically, in order, then its cache record (kzpress.catalogue collects them)."""
    written = []
    for relative, data in results.items():
        target = project.out_dir / relative
        _write_output(target, data)
        written.append(target)
        notice(f"wrote {target}")
    write_atomic(*cache.store(project.out_dir, slug, cache_request, key, results))
    return written


def outputs(edition: Edition, formats: list[str], project: Project) -> dict[Path, bytes]:
    """Every output of one edition, as bytes by relative path; nothing is written here."""
    return {path: data for files in outputs_by_format(edition, formats, project).values() for path, data in files.items()}


def outputs_by_format(edition: Edition, formats: list[str], project: Project) -> dict[str, dict[Path, bytes]]:
    """The outputs of one edition by format, in `format_order` (a worker process of a parallel build runs this)."""
    with source_date(edition.created):
        return _outputs(edition, formats, project)


def format_order(formats: list[str]) -> list[str]:
    """The order formats are made (and written) in: the booklet and the EPUB last, as they reuse the PDFs."""
    wanted = list(dict.fromkeys(formats))
    return [name for name in wanted if name not in ("booklet", "epub")] + [name for name in ("booklet", "epub") if name in wanted]


def _outputs(edition: Edition, formats: list[str], project: Project) -> dict[str, dict[Path, bytes]]:
    from kzpress.backends import BACKENDS, booklet_output, epub_output, press_pdf_path, reading_pdf_path

    produced: dict[str, dict[Path, bytes]] = {}
    for name in format_order(formats):
        if name == "booklet":
            # Imposed from the press PDF just made, when there is one, rather than laying it out again.
            press_pdf = produced.get("print", {}).get(press_pdf_path(edition))
            produced[name] = booklet_output(edition, project, press_pdf=press_pdf)
        elif name == "epub":
            # The EPUB's cover and page list come from the reading PDF: the "pdf" output's, when it was just
            # made, so the PDF is rendered once per edition.
            produced[name] = epub_output(edition, project, reading_pdf=produced.get("pdf", {}).get(reading_pdf_path(edition)))
        else:
            produced[name] = BACKENDS[name](edition, project)
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
    notice: Notice = to_stderr,
    report: Callable[[SeedResult], None] = lambda result: None,
    jobs: int | None = 1,
    scheduler: str | None = None,
) -> list[Path]:
    """Build the chosen seeds (all when `slugs` is empty) into `project.out_dir`; return what was written.

    `langs` chooses the editions (see `editions`). `targets` replaces the metadata's list of translation
    languages for the XLIFF export. A seed whose inputs are unchanged since the last identical build is
    not rebuilt unless `force`. `report` hears of each seed as it is done (for `--json` and progress); the
    first seed that fails stops the build, after its report. `jobs` renders that many editions and formats
    at once in worker processes (1: everything in this process; None: one per usable core); `scheduler`, the address of a Dask
    scheduler, sends the renders to that cluster instead (kzpress.catalogue, kzpress.parallel).
    """
    from kzpress.backends import BACKENDS
    from kzpress.catalogue import Request, build_seeds

    project.check_folders()
    unknown = [name for name in formats if name not in BACKENDS]
    if unknown:
        raise InputError(f"--to: unknown format '{unknown[0]}'; choose from {', '.join(BACKENDS)}")
    if jobs is not None and jobs < 1:
        raise InputError(f"--jobs: {jobs} is not a number of processes; give 1 or more")
    seeds = select(find_seeds(project.seeds_dir), slugs, project.seeds_dir)
    cache_request = {"formats": sorted(formats), "langs": langs, "targets": targets, "allow_incomplete": allow_incomplete,
                     "xliff": project.xliff_version}
    request = Request(list(formats), langs, targets, allow_incomplete, cache_request)
    return build_seeds(project, seeds, request, force=force, notice=notice, report=report, jobs=jobs, scheduler=scheduler)


def proof(project: Project, slug: str, langs: list[str], *, notice: Notice = to_stderr) -> list[Path]:
    """Build the reading PDFs of one seed's editions (see `editions`; a pseudo-locale tag such as en-XA is
    the pseudo-translation, built as `pseudo` builds it), then write beside each PDF its page images and
    contact sheet, and for a translation its pages side by side with the source's (kzpress.proof)."""
    from kzpress.translation.pseudo import is_pseudo_language, pseudo_language

    pseudo_tags = [lang for lang in langs if is_pseudo_language(lang)]
    real = [lang for lang in langs if lang not in pseudo_tags]
    built = bool(real or not pseudo_tags)
    pdfs = build(project, [slug], ["pdf"], real, notice=notice) if built else []
    seed = select(find_seeds(project.seeds_dir), [slug], project.seeds_dir)[0]
    # The source edition, for its language and the pseudo-translation; `build` already gave its notices
    # and kept its normalised text in the output folder, where this takes it from.
    source = load(seed, lang=real[0] if real else None, notice=(lambda message: None) if built else notice,
                  max_input_bytes=project.max_input_bytes, parse_cache=project.out_dir)
    for tag in pseudo_tags:
        expected = pseudo_language(source.language.tag)
        if tag.lower() != expected.lower():
            raise InputError(f"--lang {tag}: '{slug}' is in {source.language.tag}, so its pseudo-translation is "
                             f"{expected}; proof it with --lang {expected}")
        pdfs += _write_pseudo(project, source, ["pdf"], notice)
    written = []
    for pdf in dict.fromkeys(path for path in pdfs if path.suffix == ".pdf"):
        files = _proof_images(project, source, pdf, pdfs, notice)
        written += _write_proofs(pdf, files)
        notice(f"wrote {len(files)} proof images beside {pdf}")
    return written


def _proof_images(project: Project, source: Edition, pdf: Path, pdfs: list[Path], notice: Notice) -> dict[Path, bytes]:
    """The proofs of one reading PDF; for a translation, with the sheet that sets it beside the source's PDF
    (built through the cache when this proof did not build it)."""
    from kzpress.proof import proof_files, side_by_side_files

    files = proof_files(pdf.read_bytes(), pdf.stem)
    tag = source.language.tag
    if pdf.parent.name != tag:
        source_pdf = pdf.parent.parent / tag / pdf.name
        if source_pdf not in pdfs:
            build(project, [source.slug], ["pdf"], [tag], notice=notice)
        files.update(side_by_side_files(source_pdf.read_bytes(), pdf.read_bytes(), pdf.stem, tag,
                                        pdf.parent.name))
    return files


def _write_proofs(pdf: Path, files: dict[Path, bytes]) -> list[Path]:
    """Write the proofs beside `pdf`, and remove those of an earlier proof that no longer has a page."""
    earlier = [*pdf.parent.glob(f"proof/{pdf.stem}-page-*.png"), *pdf.parent.glob(f"{pdf.stem}.side-by-side*.png")]
    for stale in earlier:
        if stale.relative_to(pdf.parent) not in files:
            stale.unlink(missing_ok=True)
    for relative, data in files.items():
        _write_output(pdf.parent / relative, data)
    return [pdf.parent / relative for relative in files]
