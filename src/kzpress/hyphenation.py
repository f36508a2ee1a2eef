"""Where a word may break at a line end, per language: pyphen's dictionaries, and Kazakh by rule.

pyphen has no Kazakh dictionary, but Kazakh syllables are regular (V, CV, VC, CVC, CVCC): every
vowel is a syllable's nucleus, two vowels side by side belong to two syllables, and between two
vowels a syllable boundary falls before the last consonant (қа-ла, мек-теп, ұлт-тық). The letter у
after a vowel is the consonant [w] (сау-да, қа-уіп, тә-уел-сіз-дік); ь and ъ stay with the consonant
before them. Russian loanwords that keep Russian-only letters (ц, щ, ъ, ь, э, ё, ф, в, ч) and no
Kazakh letter are hyphenated with pyphen's Russian dictionary, as Russian is.

The layout receives the points as soft hyphens (U+00AD) in the text, with `hyphens: manual`: one
mechanism for every language, which WeasyPrint honours and kzpress can undo word by word (see
backends/pdf.py, which keeps a hyphenated word from straddling a page turn).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from kzpress.language import Language

SOFT_HYPHEN = "\u00ad"

KAZAKH_VOWELS = frozenset("аәеёиоөуұүыіэюя")
KAZAKH_LETTERS = frozenset("әғқңөұүһі")
RUSSIAN_LOAN_LETTERS = frozenset("ёцщъьэфвч")
SIGNS = frozenset("ьъ")

# Letters only: digits, apostrophes and hyphens end a word, so "blood-curdling" is two words, and a
# word already holding a soft hyphen is left as its author wrote it.
_WORD = re.compile(r"[^\W\d_\u00ad]+(?:\u00ad[^\W\d_\u00ad]+)*")


@dataclass(frozen=True)
class Limits:
    """The shortest word worth breaking, the fewest letters left before and carried after a break,
    and whether capitalised words (mostly names) may break."""

    word: int = 5
    left: int = 2
    right: int = 2
    names: bool = True


# English typesetting carries at least three letters over and leaves names whole (pyphen's English
# patterns break them badly: Kaza-khstan); Russian and Kazakh rules forbid leaving or carrying a
# single letter.
_LIMITS = {"en": Limits(word=5, left=2, right=3, names=False)}


@dataclass
class Hyphenator:
    """The break points of words in one language; remembers the words it has seen."""

    language: Language
    points: Callable[[str], list[int]]
    limits: Limits
    _seen: dict[str, str] = field(default_factory=dict, repr=False)

    def word(self, word: str) -> str:
        """The word with a soft hyphen at every permitted break."""
        if word not in self._seen:
            self._seen[word] = self._hyphenate(word)
        return self._seen[word]

    def text(self, text: str) -> str:
        """Every word of a run of text hyphenated (names too, where the language allows it)."""

        def hyphenated(match: re.Match) -> str:
            word = match.group(0)
            if not self.limits.names and word[0].isupper() and not _opens_sentence(text, match.start()):
                return word
            return self.word(word)

        return _WORD.sub(hyphenated, text)

    def _hyphenate(self, word: str) -> str:
        if SOFT_HYPHEN in word or len(word) < self.limits.word or (word.isupper() and len(word) > 1):
            return word  # the author's own breaks, a short word, or an abbreviation such as КСРО
        points = [p for p in self.points(word) if self.limits.left <= p <= len(word) - self.limits.right
                  and not _inside_ligature(word, p)]
        parts, start = [], 0
        for point in points:
            parts.append(word[start:point])
            start = point
        parts.append(word[start:])
        return SOFT_HYPHEN.join(parts)


# Letter pairs the fonts set as one ligature glyph (PT Serif's fi, fl, ff). HarfBuzz ligates them across
# a soft hyphen, and WeasyPrint then leaves that glyph out of the PDF's text map, so every "fl" of the
# document copies, searches and reads aloud as "ʴ" (U+02B4, the glyph's number): no break there.
_LIGATURES = {("f", "f"), ("f", "i"), ("f", "l")}


def _inside_ligature(word: str, point: int) -> bool:
    return (word[point - 1].lower(), word[point].lower()) in _LIGATURES


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` begins a sentence (so its capital says nothing about a name)."""
    before = text[:start].rstrip(" \u00a0([{“‘«„\"'")
    return not before or before[-1] in ".!?…:"


def hyphenator(language: Language) -> Hyphenator | None:
    """The hyphenator for a language, or None where kzpress knows no hyphenation for it."""
    limits = _LIMITS.get(language.primary, Limits())
    if language.primary == "kk":
        russian = _pyphen_points("ru_RU")
        return Hyphenator(language, lambda word: kazakh_points(word, russian=russian), limits)
    if language.hyphenation is None:
        return None
    return Hyphenator(language, _pyphen_points(language.hyphenation), limits)


def _pyphen_points(dictionary: str) -> Callable[[str], list[int]]:
    import pyphen

    _load_patterns(pyphen, dictionary)
    # left=1, right=1: the Hyphenator applies the language's own limits afterwards.
    return pyphen.Pyphen(lang=dictionary, left=1, right=1).positions


def _load_patterns(pyphen, dictionary: str) -> None:
    """Put the dictionary's parsed patterns into pyphen's own cache (`pyphen.hdcache`, which its
    `Pyphen(cache=True)` reads) from kzpress's derived cache: parsing the .dic file takes 0.15 s,
    reading the parsed patterns back 0.01 s. Only plain patterns are kept this way; a dictionary with
    non-standard hyphenation (alternatives) is parsed by pyphen as usual."""
    from kzpress.derived import cached_json, file_stamp

    path = pyphen.LANGUAGES[pyphen.language_fallback(dictionary)]
    if path in pyphen.hdcache:
        return

    def parsed() -> dict | None:
        patterns = pyphen.HyphDict(path).patterns
        plain = all(type(value) is int for _, values in patterns.values() for value in values)
        return {key: [start, list(values)] for key, (start, values) in patterns.items()} if plain else None

    patterns = cached_json("pyphen", [file_stamp(path), pyphen.__version__], parsed)
    if patterns:
        patterns_dict = pyphen.HyphDict.__new__(pyphen.HyphDict)
        patterns_dict.patterns = {key: (start, tuple(values)) for key, (start, values) in patterns.items()}
        patterns_dict.cache = {}
        patterns_dict.maxlen = max(len(key) for key in patterns_dict.patterns)
        pyphen.hdcache[path] = patterns_dict


def kazakh_points(word: str, *, russian: Callable[[str], list[int]] | None = None) -> list[int]:
    """Indexes in `word` where a Kazakh syllable begins (never 0)."""
    lower = word.lower()
    letters = set(lower)
    if russian is not None and letters & RUSSIAN_LOAN_LETTERS and not letters & KAZAKH_LETTERS:
        return list(russian(word))
    nuclei = _nuclei(lower)
    points = []
    for before, after in zip(nuclei, nuclei[1:]):
        cluster = range(before + 1, after)
        if not cluster or lower[after - 1] in SIGNS:
            points.append(after)  # V-V, or a sign that ends the cluster: объ-ект
        else:
            points.append(after - 1)  # before the last consonant: қа-ла, мек-теп, ұлт-тық
    return points


def _nuclei(lower: str) -> list[int]:
    """Positions of the vowels that make syllables.

    у is the consonant [w] after a vowel (та-уы) and at the start of a word before one (уа-қыт);
    elsewhere it is the vowel [uw] (қу-ыс, тү-сі-ну).
    """
    nuclei: list[int] = []
    for index, letter in enumerate(lower):
        if letter not in KAZAKH_VOWELS:
            continue
        after_vowel = index > 0 and nuclei and nuclei[-1] == index - 1
        opening = index == 0 and lower[1:2] in KAZAKH_VOWELS
        if letter == "у" and (after_vowel or opening):
            continue
        nuclei.append(index)
    return nuclei


def kazakh_syllables(word: str) -> list[str]:
    """The word cut at every syllable boundary, limits aside: for reading and tests."""
    points = kazakh_points(word)
    return [word[start:end] for start, end in zip([0, *points], [*points, len(word)])]
