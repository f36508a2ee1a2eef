"""Bytes to text for the text-based readers: UTF-8, or an older encoding only when it is certain.

Contributors still send files saved as Windows-1251 or KOI8-R (Cyrillic) or Windows-1252 (Western
European), and UTF-16 from word processors' "Unicode text". Guessing wrong would print nonsense in a
pamphlet, so a legacy encoding is accepted only when exactly one candidate gives a text that looks like
writing in a language kzpress typesets:

- the bytes decode strictly, without control characters (C0 apart from line breaks and tabs, any C1);
- every character beyond ASCII is a letter of that encoding's languages or common typographic
  punctuation, and no word mixes Latin and Cyrillic letters;
- Cyrillic candidates also need enough letters to judge (MIN_LETTERS), the frequency of the most common
  Russian and Ukrainian letters that real text has, and a normal letter case inside words: reading
  Windows-1251 as KOI8-R (or the reverse) swaps case and scrambles the alphabet, which both tests catch;
- the Windows-1252 candidate needs as many letters, few of them accented (MAX_ACCENTED_SHARE), and its
  accented letters inside otherwise ASCII words ("für", "año"), which Cyrillic read as Windows-1252
  ("Ïðèâåò") never has.

Candidates that give the same text (Russian in KOI8-R and KOI8-U) count as one. Anything else is
refused with a message asking for UTF-8: a wrong guess costs more than a re-save.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from kzpress.errors import InputError

# The seed kinds that are text and so go through `decode` (the others are zip containers).
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
UTF8 = "UTF-8"
MIN_LETTERS = 40  # fewer Cyrillic letters than this cannot show a letter frequency
COMMON_CYRILLIC = frozenset("оеаинтсрвлі")  # about two thirds of Russian or Ukrainian letters
MIN_COMMON_SHARE = 0.5  # real text: 0.6-0.7; Windows-1251 read as KOI8-R or the reverse: about 0.4
MAX_CASE_ERRORS = 0.1  # share of words with a capital after a small letter ("пРИВЕТ")
MIN_ACCENTS_IN_WORDS = 0.8
MAX_ACCENTED_SHARE = 0.15  # German, Spanish, French: a few per cent of letters carry accents

_RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_UKRAINIAN = "ґєії"
_WESTERN = "äöüßáéíóúñàâçèêëîïôùûÿœæ"
_PUNCTUATION = frozenset("«»„“”‘’‚–—…№°§©®™•·\u00a0€±×¶¡¿ºª")
_LINE_BREAKS_AND_TABS = frozenset("\t\n\r\f")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Legacy:
    """An older encoding kzpress can recognise, and the letters beyond ASCII its texts may use."""

    name: str  # as editors call it, for the notice
    codec: str
    letters: frozenset[str]  # lower case
    cyrillic: bool


LEGACY = (
    Legacy("Windows-1251", "cp1251", frozenset(_RUSSIAN + _UKRAINIAN), True),
    Legacy("KOI8-R", "koi8_r", frozenset(_RUSSIAN), True),
    Legacy("KOI8-U", "koi8_u", frozenset(_RUSSIAN + _UKRAINIAN), True),
    Legacy("Windows-1252", "cp1252", frozenset(_WESTERN), False),
)
_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"))


@dataclass(frozen=True)
class Decoded:
    text: str  # with \n line ends
    encoding: str  # UTF8, or the name of the encoding the bytes were recognised in


def decode(data: bytes, *, source: str) -> str:
    return read_text(data, source=source).text


def read_text(data: bytes, *, source: str) -> Decoded:
    """The text in `data` and the encoding it was in; an InputError naming `source` if it is not text."""
    if not data.strip():
        raise InputError(f"{source}: the file is empty; put the article's text in it")
    text, encoding = _unicode(data, source)
    if not text.strip():
        raise InputError(f"{source}: the file is empty; put the article's text in it")
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), encoding)


def _unicode(data: bytes, source: str) -> tuple[str, str]:
    for bom, codec, name in _UTF16_BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], codec)
            if text is None or not _looks_like_writing(text):
                break
            return text, name
    if b"\x00" in data:
        raise InputError(f"{source}: this is a binary file, not text; save the article as UTF-8 text")
    try:
        return data.decode("utf-8-sig"), UTF8
    except UnicodeDecodeError as error:
        if data.startswith(codecs.BOM_UTF8):
            legacy = None  # the file says it is UTF-8: a bad byte is damage, not another encoding
        else:
            legacy = recognised_legacy(data)
        if legacy is None:
            line = data[: error.start].count(b"\n") + 1
            raise InputError(
                f"{source}:{line}: not valid UTF-8, and kzpress cannot be sure which older encoding it is in; "
                "save the file as UTF-8 text (Save As… → Encoding: UTF-8)"
            ) from None
        return data.decode(legacy.codec), legacy.name


def recognised_legacy(data: bytes) -> Legacy | None:
    """The one legacy encoding in which `data` reads as plausible text, or None if none or several do."""
    readings: dict[str, Legacy] = {}
    for candidate in LEGACY:
        text = _strict(data, candidate.codec)
        if text is not None and text not in readings and _plausible(text, candidate):
            readings[text] = candidate
    return next(iter(readings.values())) if len(readings) == 1 else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _has_controls(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in _LINE_BREAKS_AND_TABS for ch in text)


def _plausible(text: str, candidate: Legacy) -> bool:
    if _has_controls(text):
        return False
    beyond_ascii = {ch for ch in text if ord(ch) > 127}
    if not all(ch.lower() in candidate.letters or ch in _PUNCTUATION for ch in beyond_ascii):
        return False
    words = _WORD.findall(text)
    if any(_mixes_scripts(word) for word in words):
        return False
    return _plausible_cyrillic(words) if candidate.cyrillic else _plausible_western(words)


def _mixes_scripts(word: str) -> bool:
    return any(ch.isascii() for ch in word) and any("\u0400" <= ch <= "\u04ff" for ch in word)


def _plausible_cyrillic(words: list[str]) -> bool:
    cyrillic = [word for word in words if not word.isascii()]
    letters = "".join(cyrillic).lower()
    if len(letters) < MIN_LETTERS:
        return False
    common = sum(ch in COMMON_CYRILLIC for ch in letters) / len(letters)
    long_words = [word for word in cyrillic if len(word) > 1]
    case_errors = sum(_capital_after_small(word) for word in long_words) / max(len(long_words), 1)
    return common >= MIN_COMMON_SHARE and case_errors <= MAX_CASE_ERRORS


def _capital_after_small(word: str) -> bool:
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))


def _plausible_western(words: list[str]) -> bool:
    letters = "".join(words)
    if len(letters) < MIN_LETTERS or sum(not ch.isascii() for ch in letters) > MAX_ACCENTED_SHARE * len(letters):
        return False
    accented = [word for word in words if not word.isascii() and len(word) > 1]
    if not accented:
        return False
    inside_words = sum(any(ch.isascii() for ch in word) for word in accented) / len(accented)
    return inside_words >= MIN_ACCENTS_IN_WORDS


def _looks_like_writing(text: str) -> bool:
    """UTF-16 text (its byte order mark is certain) still has to be writing, not other binary data."""
    if not text.strip():
        return True  # blank: refused as empty, which says more than "binary"
    if _has_controls(text) or any(unicodedata.category(ch) in ("Cs", "Co", "Cn") for ch in text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    known = sum(ch.isascii() or "\u00c0" <= ch <= "\u024f" or "\u0400" <= ch <= "\u04ff" for ch in letters)
    return bool(letters) and known / len(letters) >= 0.9
