"""Sentence segmentation of a unit, per language, lossless and never inside an inline code.

A unit's runs (text and codes) are cut into sentences at the white space after a sentence's final
punctuation (. ! ? … and any closing quotes or brackets after it) when what follows starts a sentence:
a capital, a digit, an opening quote or bracket, or a dash of dialogue. Cuts are made only in the unit's
own text, never inside a code's content, so every segment holds whole codes. The white space between
two sentences is kept apart as the first one's `gap`, so the segments and gaps join back to the exact
runs.

A period does not end a sentence after an abbreviation that is never the last word of one (Mr., рис.,
т. е., ж., г., ул.) or after an initial (В. И. Ленин, Қ.-Ж. Тоқаев, J. R. R. Tolkien). Abbreviations that
often end a sentence (etc., т. д., т. б.) need no entry: after them a sentence starts with a capital
like after any other word, and their inner periods are followed by a small letter, which never starts
one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

from kzpress.translation.units import Run, Tagged

# Abbreviations after which a sentence goes on, by primary language subtag. A space after an inner
# period is optional (т.е. and т. е.); matching ignores case.
_CONTINUING = {
    "en": ["mr", "mrs", "ms", "dr", "prof", "st", "mt", "vs", "cf", "e.g", "i.e", "no", "nos", "vol", "fig",
           "p", "pp", "ch", "sec", "approx", "gen", "col", "lt", "sgt", "rev", "jan", "feb", "mar", "apr",
           "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"],
    "ru": ["т.е", "т.к", "т.н", "т.ч", "в т.ч", "и.о", "рис", "см", "ср", "стр", "с", "г", "гг", "в", "вв",
           "ул", "пр", "просп", "пл", "д", "кв", "им", "проф", "акад", "доц", "тов", "гр", "напр", "прим",
           "ред", "изд", "тыс", "млн", "млрд", "руб", "коп", "ок", "т", "ч", "мин", "сек", "обл", "пос"],
    "kk": ["ж", "жж", "ғ", "ғғ", "б.з.б", "б.з", "т.с.с", "мыс", "қ", "обл", "ауд", "көш", "бет", "сур",
           "тыс", "млн", "млрд", "проф", "акад", "т.е", "т.к", "рис", "см", "г", "гг", "ул", "им", "т"],
}
# Abbreviations that often end a sentence, written with several periods: checked before the ones above
# (the д. of т. д. is not the д. of a house number).
_ENDING = {
    "en": ["etc"],
    "ru": ["т.д", "т.п", "и др", "и пр"],
    "kk": ["т.б", "т.с.с", "т.т"],
}
_TERMINAL = ".!?…"
_CLOSING = "\"'’”»)]}"
_OPENING = "\"'‘“«„([{"
_DASHES = "—–-"
OBJECT = "\ufffc"  # stands for a placeholder code in the flattened text


@dataclass(frozen=True)
class Segment:
    runs: tuple[Run, ...]
    gap: str = ""  # the white space after it, before the next segment


def segments(runs: tuple[Run, ...], lang: str) -> list[Segment]:
    """`runs` cut into sentences; joining every segment's runs and gap gives `runs` back exactly."""
    runs = tuple(runs)
    flat, where = _flatten(runs)
    result: list[Segment] = []
    start = (0, 0)  # (run index, offset in that run's text)
    for gap_start, gap_end in _sentence_gaps(flat, lang):
        if not all(where[position][2] for position in range(gap_start, gap_end)):
            continue  # white space inside a code: never cut there
        run, offset, _ = where[gap_start]
        if where[gap_end - 1][0] != run:
            continue
        result.append(Segment(_slice(runs, start, (run, offset)), flat[gap_start:gap_end]))
        after = offset + gap_end - gap_start
        start = (run, after) if after < len(runs[run]) else (run + 1, 0)
    result.append(Segment(_slice(runs, start, (len(runs), 0))))
    return result


def joined(found: list[Segment]) -> tuple[Run, ...]:
    """The runs the segments were cut from."""
    merged: list[Run] = []
    for segment in found:
        for run in (*segment.runs, segment.gap):
            if isinstance(run, str) and merged and isinstance(merged[-1], str):
                merged[-1] += run
            elif run != "":
                merged.append(run)
    return tuple(merged)


def _flatten(runs: tuple[Run, ...]) -> tuple[str, list[tuple[int, int, bool]]]:
    """The unit as plain text, and for each character (run index, offset, whether it is the unit's own text)."""
    text: list[str] = []
    where: list[tuple[int, int, bool]] = []
    for index, run in enumerate(runs):
        inner = run if isinstance(run, str) else _text(run)
        text.append(inner)
        where.extend(zip(repeat(index), range(len(inner)), repeat(isinstance(run, str))))
    return "".join(text), where


def _text(tagged: Tagged) -> str:
    if not tagged.content:
        return OBJECT if tagged.code.tag == "x" else ""
    return "".join(run if isinstance(run, str) else _text(run) for run in tagged.content)


# A sentence's end: its final punctuation, any closing quotes, brackets and placeholders (a footnote mark
# goes with the sentence it follows), then white space.
_END = re.compile(rf"[{re.escape(_TERMINAL)}]+[{re.escape(_CLOSING)}{OBJECT}]*(\s+)")


def _sentence_gaps(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) of the white space at every sentence boundary in `text`."""
    continuing, ending = _abbreviations(_CONTINUING, lang), _abbreviations(_ENDING, lang)
    found = []
    for match in _END.finditer(text):
        before, following = text[: match.start(1)], text[match.end(1):]
        if not _starts_sentence(following):
            continue
        if before.endswith(".") and not ending.search(before):
            if continuing.search(before) or _ends_with_initial(before, following):
                continue
        found.append(match.span(1))
    return found


def _starts_sentence(text: str) -> bool:
    if text[:1] in _DASHES and text[1:2].isspace():
        return True  # a dash opening a line of dialogue
    first = text.lstrip(_OPENING)[:1]
    return first.isupper() or first.isdigit()


def _ends_with_initial(before: str, following: str) -> bool:
    """One capital alone before the period (В. И. Ленин, Қ.-Ж. Тоқаев, U.S.), not before a number."""
    letter = before[-2:-1]
    alone = len(before) < 3 or not before[-3].isalnum()
    return letter.isupper() and alone and not following[:1].isdigit()


def _abbreviations(table: dict[str, list[str]], lang: str) -> re.Pattern[str]:
    return _pattern(tuple(table.get(lang.split("-")[0].lower(), [])))


@lru_cache(maxsize=None)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The pattern of a language's abbreviations, made once a process (a unit asks for it at every period)."""
    if not words:
        return re.compile(r"(?!x)x")
    alternatives = sorted((re.escape(word).replace(r"\.", r"\.\s?").replace(r"\ ", r"\s") for word in words), key=len, reverse=True)
    return re.compile(rf"(?:^|[^\w.])(?:{'|'.join(alternatives)})\.$", re.IGNORECASE)


def _slice(runs: tuple[Run, ...], start: tuple[int, int], end: tuple[int, int]) -> tuple[Run, ...]:
    """The runs from (run, offset) up to, not including, (run, offset); a code is never split."""
    pieces: list[Run] = []
    for index in range(start[0], min(end[0], len(runs) - 1) + 1):
        run = runs[index]
        low = start[1] if index == start[0] else 0
        if isinstance(run, str):
            piece = run[low:end[1]] if index == end[0] else run[low:]
            if piece:
                pieces.append(piece)
        elif index < end[0]:
            pieces.append(run)
    return tuple(pieces)
