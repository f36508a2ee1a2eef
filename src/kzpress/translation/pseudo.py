"""Pseudo-localisation: a translation made by rule, to see a longer language's layout before translators start.

Every unit's words are accented (Latin letters get diacritics, so a font or an encoding that loses them
shows), made about 35 % longer (vowels doubled, as German, Russian or Kazakh run longer than English),
and bracketed, so that text cut off or text never sent to translators stands out. Codes stay where they
are, their words pseudo-localised like the rest. Its language is the source's with the private region
XA (en-XA, as Android and Windows call their pseudo-locales).
"""

from __future__ import annotations

from kzpress.document import Document
from kzpress.language import language
from kzpress.translation.memory import Translated, Translation
from kzpress.translation.units import Run, Tagged, units

REGION = "XA"
GROWTH = 0.35
OPEN, CLOSE = "[", "]"
# Letters with diacritics that kzpress's own fonts have (the layout refuses a glyph they lack).
_ACCENTED = str.maketrans(
    "AaCcDdEeGgIiKkLlNnOoRrSsTtUuYyZz",
    "ÅåÇçĐđÉéĞğÎîĶķĻļÑñÖöŘřŠšŢţÛûÝýŽž",
)
_VOWELS = set("AEIOUYaeiouyÅåÉéÎîÖöÛûÝýАЕЁИОУЫЭЮЯаеёиоуыэюяӘәӨөҰұҮүІі")


def pseudo_language(source_tag: str) -> str:
    return f"{language(source_tag).primary}-{REGION}"


def is_pseudo_language(tag: str) -> bool:
    """A pseudo-locale tag such as en-XA: a language with the private region XA."""
    parts = str(tag).strip().split("-")
    return len(parts) > 1 and parts[-1].upper() == REGION


def pseudo_text(text: str) -> str:
    """Accented and about 35 % longer, word by word; spaces and punctuation as they were."""
    return "".join(_longer(word) if word.strip() else word for word in _words(text)).translate(_ACCENTED)


def pseudo_translation(document: Document) -> Translation:
    """Every unit of `document` pseudo-translated and confirmed, as a stored translation would be."""
    source_language = document.metadata.lang
    translated = {}
    for unit in units(document):
        target = _runs(unit.runs)
        translated[unit.id] = Translated(unit.runs, (OPEN, *target, CLOSE) if target else target, "translated")
    return Translation(source_language, pseudo_language(source_language), translated, ("kzpress pseudo-localisation",))


def _runs(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    return tuple(pseudo_text(run) if isinstance(run, str) else Tagged(run.code, _runs(run.content)) for run in runs)


def _words(text: str) -> list[str]:
    pieces: list[str] = []
    for character in text:
        if pieces and character.isalpha() == pieces[-1][-1].isalpha():
            pieces[-1] += character
        else:
            pieces.append(character)
    return pieces


def _longer(word: str) -> str:
    if not word[0].isalpha():
        return word
    extra = round(len(word) * GROWTH)
    letters = list(word)
    vowels = [index for index, letter in enumerate(letters) if letter in _VOWELS] or [len(letters) - 1]
    for number in range(extra):
        index = vowels[number % len(vowels)]
        letters[index] += letters[index][-1].lower()
    return "".join(letters)
