"""Where translations live: `seeds/<slug>.<lang>.xlf`, beside the seed they translate.

An imported translation is stored as kzpress's own XLIFF 1.2 of the text it was made from, every target
the translator's with its state, and the translators named in the header: a file any CAT tool opens, that
`git diff` shows unit by unit, and that a later export reads to carry the translation over
(`translation.update`). Reading a stored file runs the same checks as an import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Callable

from kzpress.errors import InputError
from kzpress.seeds import Seed, find_seeds

if TYPE_CHECKING:  # reading a stored file needs them; finding which are stored (every build does) does not
    from kzpress.translation import reading
    from kzpress.translation.imports import Checked
    from kzpress.translation.memory import Translation

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# The namespaces kzpress reads; elements and attributes of others (a tool's own extensions) are left out
# before a file is validated, since the strict 1.2 schema would refuse them.
_KNOWN_NAMESPACES = {
    "urn:oasis:names:tc:xliff:document:1.2",
    "urn:oasis:names:tc:xliff:document:2.0",
    "urn:oasis:names:tc:xliff:matches:2.0",
    "urn:oasis:names:tc:xliff:metadata:2.0",
    "http://www.w3.org/XML/1998/namespace",
}

Notice = Callable[[str], None]


def path_for(seeds_dir: Path, slug: str, lang: str) -> Path:
    # Not `<slug>.<lang>.md`: every `<name>.<reader suffix>` in the seeds folder is a seed of its own.
    return seeds_dir / f"{slug}.{lang}.xlf"


def stored_languages(seeds_dir: Path, slug: str) -> list[str]:
    """The languages `slug` has a stored translation into, as their files name them."""
    if not seeds_dir.is_dir():
        return []
    prefix = f"{slug}."
    names = (path.name[len(prefix):-len(".xlf")] for path in seeds_dir.glob(f"{slug}.*.xlf") if path.name.startswith(prefix))
    return sorted(name for name in names if _LANGUAGE.match(name))


def stored_translation(seeds_dir: Path, slug: str, lang: str) -> Translation | None:
    """The stored translation of `slug` into `lang`, if there is one."""
    path = find(seeds_dir, slug, lang)
    return None if path is None else load(path)


def export_summaries(seeds_dir: Path, slug: str, document, targets: tuple[str, ...]) -> list[str]:
    """What an export carries over from each stored translation: how many units are new, changed, kept."""
    from kzpress.translation.units import units
    from kzpress.translation.update import plan

    found = units(document)
    return [f"{slug}.{target}.xlf: {plan(found, stored_translation(seeds_dir, slug, target)).summary()}" for target in targets]


def find(seeds_dir: Path, slug: str, lang: str) -> Path | None:
    """The stored translation of `slug` into `lang` (ru finds ru-RU and the other way round)."""
    from kzpress.language import same_language

    matches = [stored for stored in stored_languages(seeds_dir, slug) if same_language(stored, lang)]
    exact = [stored for stored in matches if stored.lower() == lang.lower()]
    chosen = exact or matches
    return path_for(seeds_dir, slug, chosen[0]) if chosen else None


def load(path: Path) -> Translation:
    """A stored translation, checked as on import."""
    from kzpress.translation import reading
    from kzpress.translation.imports import check

    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read the stored translation ({error.strerror})") from None
    return check(reading.read(data, source=str(path))).translation


def stored(checked: Checked, slug: str) -> bytes:
    """A checked translation as kzpress stores it."""
    from kzpress.backends.xliff import XliffOptions, write

    translation = checked.translation
    options = XliffOptions(translation.target_language, f"{slug}.md", translation=translation, segmented=False)
    return write(checked.original, options)


def import_files(paths: list[Path], seeds_dir: Path, *, lang: str | None = None, translators: tuple[str, ...] = (),
                 schema_dir: Path | None = None, notice: Notice = lambda message: None) -> list[Path]:
    """Check every file, then store them all, or report every problem of every file and store none."""
    from kzpress.build import write_atomic
    from kzpress.translation.imports import ProblemsError, lines_of

    seeds = find_seeds(seeds_dir)
    ready: dict[Path, bytes] = {}
    failures: list[str] = []  # the lines of every file's error
    summaries: list[str] = []
    for path in paths:
        try:
            destination, data, summary = _prepared(Path(path), seeds, seeds_dir, lang, translators, schema_dir, notice)
        except InputError as error:
            failures.extend(lines_of(error))
            continue
        if destination in ready:
            failures.append(f"{path}: a second translation into the same language of the same seed; import one of them")
        ready[destination] = data
        summaries.append(summary)
    if failures:
        raise ProblemsError(failures)
    for destination, data in ready.items():
        write_atomic(destination, data)
    for summary in summaries:
        notice(summary)
    return list(ready)


def _prepared(path: Path, seeds: dict[str, Seed], seeds_dir: Path, lang: str | None, translators: tuple[str, ...],
              schema_dir: Path | None, notice: Notice) -> tuple[Path, bytes, str]:
    from kzpress.build import load as load_edition
    from kzpress.translation import reading
    from kzpress.translation.imports import Checked, check
    from kzpress.translation.memory import Translation

    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read it ({error.strerror}); check the path") from None
    file = reading.read(data, source=str(path))
    seed = _seed_of(file, path, seeds, seeds_dir)
    edition = load_edition(seed, notice=notice)
    schema_problems = _schema_problems(data, schema_dir)
    checked = check(file, source_language=edition.language.tag, target=lang, problems=schema_problems)
    translation = checked.translation
    destination = path_for(seeds_dir, seed.slug, translation.target_language)
    names = translators or translation.translators or _earlier_translators(destination)
    checked = Checked(Translation(translation.source_language, translation.target_language, translation.units, names),
                      checked.original)
    return destination, stored(checked, seed.slug), _summary(path, destination, checked.translation, edition)


def _seed_of(file: reading.XliffFile, path: Path, seeds: dict[str, Seed], seeds_dir: Path) -> Seed:
    slug = PurePosixPath(file.original or "").stem
    if slug not in seeds:
        known = ", ".join(seeds) or "none"
        raise InputError(f"{path}: made from '{file.original or 'an unnamed file'}', which is no seed in {seeds_dir} "
                         f"(seeds there: {known}); import it where its seed is, with --seeds DIR")
    return seeds[slug]


def _schema_problems(data: bytes, schema_dir: Path | None) -> list[str]:
    """What the OASIS schema finds wrong with the file, tools' own extensions aside; [] without the schemas."""
    from lxml import etree

    from kzpress import xmlsafe
    from kzpress.schemas import validate_xliff

    if schema_dir is None:
        return []
    root = xmlsafe.parse(data, source="XLIFF")
    for element in list(root.iter(etree.Element)):
        if etree.QName(element).namespace not in _KNOWN_NAMESPACES:
            element.getparent().remove(element)
        else:
            for name in [name for name in element.attrib if name.startswith("{") and etree.QName(name).namespace not in _KNOWN_NAMESPACES]:
                del element.attrib[name]
    return [f"not valid XLIFF: {problem}" for problem in validate_xliff(etree.tostring(root), schema_dir)]


def _earlier_translators(destination: Path) -> tuple[str, ...]:
    if not destination.is_file():
        return ()
    try:
        return load(destination).translators
    except InputError:
        return ()


def _summary(path: Path, destination: Path, translation: Translation, edition) -> str:
    from kzpress.translation.units import units

    done = sum(unit.done for unit in translation.units.values())
    summary = f"stored {destination} from {path}: {len(translation.units)} units, {done} translated"
    summary += f", {len(translation.units) - done} still to translate" if done < len(translation.units) else ""
    current = units(edition.document)
    stale = sum(translation.applies(unit.id, unit.runs) is None for unit in current)
    if stale:
        summary += (f"; {stale} unit{'s' if stale > 1 else ''} of {edition.slug} changed since the file was exported: "
                    f"`kzpress xliff {edition.slug} --target {translation.target_language}` gives them to translate")
    return summary


@dataclass(frozen=True)
class Status:
    """How far a stored translation covers the seed's current text."""

    lang: str
    path: Path
    units: int  # units of the current text
    stale: tuple[str, ...]  # translated once, but their source has changed since
    untranslated: tuple[str, ...]  # never translated: new, or still a copy of their source

    @property
    def complete(self) -> bool:
        return not (self.stale or self.untranslated)


def statuses(seeds_dir: Path, slug: str, *, notice: Notice = lambda message: None) -> list[Status]:
    """Every stored translation of `slug` against its current text; [] when the seed is not there."""
    from kzpress.build import load as load_edition
    from kzpress.translation.units import units
    from kzpress.translation.update import plan

    languages = stored_languages(seeds_dir, slug)
    seed = find_seeds(seeds_dir).get(slug) if seeds_dir.is_dir() else None
    if not languages or seed is None:
        return []
    found = units(load_edition(seed, notice=notice).document)
    result = []
    for lang in languages:
        path = path_for(seeds_dir, slug, lang)
        translation = load(path)
        stale, untranslated = [], []
        for planned in plan(found, translation).units:
            kept = translation.applies(planned.unit.id, planned.unit.runs)
            if kept is not None and kept.done:
                continue
            changed = planned.earlier is not None or (kept is None and planned.unit.id in translation.units)
            (stale if changed else untranslated).append(planned.unit.id)
        result.append(Status(lang, path, len(found), tuple(stale), tuple(untranslated)))
    return result
