"""Bringing a translation back: check an XLIFF file as a whole, then store it with its seed.

Every problem is found before anything is written, and all of them are reported at once, each by
unit id: a missing or extra unit, a missing target, a tag lost, duplicated, broken or changed in kind
(moving tags is fine: word order differs between languages), a target language other than the file's
or the one asked for, and a translation written in another script than its language's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kzpress.document import Document
from kzpress.errors import InputError, KzpressError
from kzpress.language import language, same_language
from kzpress.translation import merge
from kzpress.translation.memory import Translated, Translation
from kzpress.translation.reading import Entry, XliffFile
from kzpress.translation.units import Code, Run, Tagged, Unit, units
from kzpress.translation.update import plain

_CODE_NAMES = {
    "italic": "italics", "bold": "bold", "underlined": "underlining", "link": "link", "lb": "line break",
    "x-footnote": "footnote mark", "x-code": "code", "x-quoted": "quotation", "x-image": "image",
    "x-math": "maths", "x-raw": "raw markup", "x-autolink": "web address", "x-citation": "citation",
}
_SCRIPT_SAMPLE = 40  # letters needed before the script of a translation says anything


class ProblemsError(InputError):
    """Many problems at once: a first line saying what happened, then one problem a line.

    The message joins the lines; the command line prints each line on its own (escaped, like every
    message), so a long list stays readable."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def lines_of(error: InputError) -> list[str]:
    return list(getattr(error, "lines", [str(error)]))


@dataclass(frozen=True)
class Checked:
    """A file that passed: its translation, and the source document it was made from."""

    translation: Translation
    original: Document


def check(file: XliffFile, *, source_language: str | None = None, target: str | None = None,
          problems: list[str] | tuple[str, ...] = ()) -> Checked:
    """The translation in `file`, or an InputError listing every problem in it (after `problems` found
    before, such as the schema's)."""
    if file.skeleton is None:
        raise InputError(f"{file.name}: no kzpress skeleton in its header; import only files exported by "
                         "`kzpress xliff`, and keep the header when translating")
    problems = [*problems, *file.problems]
    target_language = _languages(file, source_language, target, problems)
    entries = _entries(file, problems)
    original = _original(file, entries, problems)
    translated: dict[str, Translated] = {}
    if original is not None:
        for unit in units(original):
            entry = entries[unit.id]
            runs = _target(unit, entry, problems)
            if runs is not None:
                translated[unit.id] = Translated(unit.runs, runs, entry.state)
    if target_language:
        _check_script(translated, target_language, problems)
    if problems:
        raise ProblemsError(report(file.name, problems))
    translation = Translation(file.source_language or "", target_language or "", translated, file.translators)
    return Checked(translation, original)


def report(name: str, problems: list[str]) -> list[str]:
    """One error for many problems: a first line that says what happened, then one problem a line."""
    count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
    lines = [f"{name}: {count}, so nothing was imported; fix them in the translation tool and import again:"]
    return lines + [f"  - {problem}" for problem in problems]


def _languages(file: XliffFile, source_language: str | None, wanted: str | None, problems: list[str]) -> str | None:
    declared = file.target_language
    if source_language and file.source_language and not same_language(file.source_language, source_language):
        problems.append(f"the file was made from a {file.source_language} text, but the seed is in {source_language}")
    if not declared:
        problems.append("the file names no target language (target-language in XLIFF 1.2, trgLang in 2.x); set it in the translation tool")
        return None
    try:
        declared = language(declared, source="target language").tag
    except InputError as error:
        problems.append(str(error))
        return None
    if file.source_language and same_language(declared, file.source_language):
        problems.append(f"the target language {declared} is the source's own language")
    if wanted and not same_language(declared, wanted):
        problems.append(f"the file is a translation into {declared}, not {wanted}")
    strays = [entry.id for entry in file.entries if entry.target_language and not same_language(entry.target_language, declared)]
    if strays:
        where = ", ".join(strays[:3]) + (f" and {len(strays) - 3} more" if len(strays) > 3 else "")
        problems.append(f"targets of units {where} are marked as another language than the file's {declared}")
    return declared


def _entries(file: XliffFile, problems: list[str]) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    for entry in file.entries:
        if entry.id in found:
            problems.append(f"unit {entry.id}: appears twice; keep one")
        found.setdefault(entry.id, entry)
    exported = list(file.skeleton["units"])
    problems.extend(f"unit {unit_id}: missing; every unit exported must come back" for unit_id in exported if unit_id not in found)
    problems.extend(f"unit {unit_id}: not a unit kzpress exported; remove it" for unit_id in found if unit_id not in file.skeleton["units"])
    return found


def _original(file: XliffFile, entries: dict[str, Entry], problems: list[str]) -> Document | None:
    """The document the file was exported from: its skeleton filled with its sources."""
    exported = file.skeleton["units"]
    if any(unit_id not in entries for unit_id in exported):
        return None
    try:
        document = Document.from_json(merge.fill(file.skeleton, {unit_id: entries[unit_id].source for unit_id in exported}),
                                      source=file.name)
        lang = document.metadata.lang  # reads every metadata value: a damaged one fails here
        if lang:
            language(lang)  # what the export wrote is a language tag
        rebuilt = {unit.id for unit in units(document)}
    except merge.Unfillable as error:
        problems.append(f"{error}; the source text must stay as kzpress exported it")
        return None
    except (KeyError, IndexError, TypeError, AttributeError, KzpressError):
        problems.append("the skeleton in the header is damaged; export the file again")
        return None
    if not lang:  # every export writes the source language into it
        problems.append("the skeleton in the header is damaged (it names no language); export the file again")
        return None
    changed = [unit_id for unit_id in exported if unit_id not in rebuilt]
    problems.extend(f"unit {unit_id}: its source was changed; translate the target only" for unit_id in changed)
    return None if changed else document


def _target(unit: Unit, entry: Entry, problems: list[str]) -> tuple[Run, ...] | None:
    """The entry's target with the unit's own codes, or None after noting what is wrong with it."""
    if entry.target is None:
        problems.append(f"unit {unit.id}: has no target; translate it, or copy its source where it stays as it is")
        return None
    target = _trimmed(entry.target, unit.runs)
    if not plain(target).strip() and plain(unit.runs).strip():
        problems.append(f"unit {unit.id}: the target is empty; translate it")
        return None
    sources = {code.id: code for code in unit.codes}
    seen = Counter(code.id for code in _codes(target))
    before = len(problems)
    for code_id, count in seen.items():
        if code_id not in sources:
            problems.append(f"unit {unit.id}: tag {code_id} is not in the source; remove it")
        elif count > 1:
            problems.append(f"unit {unit.id}: {_describe(unit, sources[code_id])} appears {count} times; keep it once")
    for code_id, code in sources.items():
        if code_id not in seen:
            problems.append(f"unit {unit.id}: {_describe(unit, code)} is missing from the target; put it back")
    for found in _codes(target):
        source = sources.get(found.id)
        if source is not None and source.tag == "x" and found.tag == "g":
            problems.append(f"unit {unit.id}: {_describe(unit, source)} stands alone in the source; it cannot go around words")
        elif source is not None and source.tag == "g" and found.tag == "x" and _words_inside(unit.runs, found.id):
            problems.append(f"unit {unit.id}: {_describe(unit, source)} goes around words in the source; put the translation of them between its start and end")
    return _resolved(target, sources) if len(problems) == before else None


def _trimmed(target: tuple[Run, ...], source: tuple[Run, ...]) -> tuple[Run, ...]:
    """The target without the white space a tool may add around it, unless the source has some there."""
    runs = list(target)
    if runs and isinstance(runs[0], str) and not _blank_end(source, 0):
        runs[0] = runs[0].lstrip(" \t\r\n")
    if runs and isinstance(runs[-1], str) and not _blank_end(source, -1):
        runs[-1] = runs[-1].rstrip(" \t\r\n")
    return tuple(run for run in runs if run != "")


def _blank_end(runs: tuple[Run, ...], end: int) -> bool:
    return bool(runs) and isinstance(runs[end], str) and runs[end][end].isspace()


def _codes(runs: tuple[Run, ...]):
    for run in runs:
        if isinstance(run, Tagged):
            yield run.code
            yield from _codes(run.content)


def _words_inside(runs: tuple[Run, ...], code_id: str) -> bool:
    for run in runs:
        if isinstance(run, Tagged):
            if run.code.id == code_id:
                return bool(plain(run.content).strip())
            if _words_inside(run.content, code_id):
                return True
    return False


def _describe(unit: Unit, code: Code) -> str:
    name = _CODE_NAMES.get(code.ctype, code.ctype.removeprefix("x-").replace("-", " "))
    if code.tag == "g":
        words = _inside(unit.runs, code.id)
        return f"tag {code.id} ({name} around ‘{words}’)" if words else f"tag {code.id} ({name})"
    shown = f" {code.equiv}" if code.equiv else ""
    return f"tag {code.id} ({name}{shown})"


def _inside(runs: tuple[Run, ...], code_id: str) -> str:
    for run in runs:
        if isinstance(run, Tagged):
            if run.code.id == code_id:
                text = " ".join(plain(run.content).split())
                return text if len(text) <= 40 else text[:39] + "…"
            found = _inside(run.content, code_id)
            if found:
                return found
    return ""


def _resolved(runs: tuple[Run, ...], sources: dict[str, Code]) -> tuple[Run, ...]:
    """Target runs whose codes are the source's own (templates and all), found by id."""
    return tuple(run if isinstance(run, str) else Tagged(sources[run.code.id], _resolved(run.content, sources)) for run in runs)


def _check_script(translated: dict[str, Translated], target_language: str, problems: list[str]) -> None:
    """A translation into Russian written in Latin letters is the wrong file or the wrong language."""
    text = " ".join(plain(unit.target) for unit in translated.values() if plain(unit.target) != plain(unit.source))
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < _SCRIPT_SAMPLE:
        return
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in letters) / len(letters)
    expected = language(target_language).script
    found = "Cyrl" if cyrillic > 0.5 else "Latn"
    if found != expected:
        names = {"Cyrl": "Cyrillic", "Latn": "Latin"}
        problems.append(f"the translated text is written in {names[found]} letters, but {target_language} is written in "
                        f"{names[expected]}: is the file's target language right?")
