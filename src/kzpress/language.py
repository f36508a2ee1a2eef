"""What kzpress knows of each language it typesets: quotes, dashes, hyphenation, script; and detection."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kzpress.errors import InputError


@dataclass(frozen=True)
class Language:
    tag: str  # the BCP 47 tag as the user gave it, e.g. "en-GB"
    name: str
    quotes: tuple[str, str, str, str]  # outer open, outer close, inner open, inner close
    dash: str  # what a spaced " -- " becomes
    apostrophe: str
    hyphenation: str | None  # pyphen dictionary, None where pyphen has none
    script: str  # "Latn" or "Cyrl"

    @property
    def primary(self) -> str:
        return self.tag.split("-")[0].lower()


_KNOWN = {
    "en": ("English", ("“", "”", "‘", "’"), "–", "’", "en", "Latn"),
    "de": ("German", ("„", "“", "‚", "‘"), "–", "’", "de_DE", "Latn"),
    "es": ("Spanish", ("«", "»", "“", "”"), "—", "’", "es", "Latn"),
    "ru": ("Russian", ("«", "»", "„", "“"), "—", "’", "ru_RU", "Cyrl"),
    "uk": ("Ukrainian", ("«", "»", "„", "“"), "—", "’", "uk_UA", "Cyrl"),
    "kk": ("Kazakh", ("«", "»", "„", "“"), "—", "’", None, "Cyrl"),
}
_REGIONAL_HYPHENATION = {"en-gb": "en_GB", "en-us": "en_US", "de-at": "de_AT", "de-ch": "de_CH"}
_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def known_languages() -> list[str]:
    return sorted(_KNOWN)


def language(tag: str, *, source: str = "metadata") -> Language:
    """The Language for a BCP 47 tag; an unknown or malformed tag is the user's error."""
    tag = str(tag).strip()
    if not _TAG.match(tag):
        raise InputError(f"{source}: '{tag}' is not a language tag; use one like en-GB, ru or kk")
    primary = tag.split("-")[0].lower()
    if primary not in _KNOWN:
        raise InputError(f"{source}: unknown language '{tag}'; kzpress knows {', '.join(known_languages())}")
    name, quotes, dash, apostrophe, hyphenation, script = _KNOWN[primary]
    hyphenation = _REGIONAL_HYPHENATION.get(tag.lower(), hyphenation)
    return Language(tag, name, quotes, dash, apostrophe, hyphenation, script)


_KAZAKH_LETTERS = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")
_UKRAINIAN_LETTERS = set("ЄєЇїҐґ")
_COMMON_WORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "was", "for", "it", "with", "as", "on"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "zu", "ein", "eine", "auf"},
    "es": {"el", "la", "de", "que", "y", "los", "las", "en", "un", "una", "por", "con", "para", "es"},
    "ru": {"и", "в", "не", "на", "что", "с", "по", "как", "это", "он", "она", "из", "за", "к"},
    "kk": {"және", "бұл", "мен", "де", "да", "үшін", "бар", "жоқ", "еді", "болып", "бойынша"},
}


def detect(text: str) -> str | None:
    """Guess the primary language of `text` from its script and common words; None if unsure."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 20:
        return None
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in letters)
    words = re.findall(r"\w+", text.lower())
    if cyrillic > len(letters) / 2:
        kazakh = sum(ch in _KAZAKH_LETTERS for ch in letters)
        if kazakh > len(letters) / 200 or _score(words, "kk") > _score(words, "ru"):
            return "kk"
        if any(ch in _UKRAINIAN_LETTERS for ch in letters):
            return "uk"
        return "ru"
    scores = {code: _score(words, code) for code in ("en", "de", "es")}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0.05 else None


def _score(words: list[str], code: str) -> float:
    common = _COMMON_WORDS[code]
    return sum(word in common for word in words) / max(len(words), 1)


def same_language(first: str, second: str) -> bool:
    """ru and ru-RU are the same language to a translator; en-GB and en-US are not."""
    first, second = first.lower(), second.lower()
    return first == second or ("-" not in first or "-" not in second) and first.split("-")[0] == second.split("-")[0]
