"""Sentence segmentation: lossless, per language (Russian and Kazakh abbreviations and initials), and
never inside an inline code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzpress.translation.segment import joined, segments
from kzpress.translation.units import Code, Tagged


def sentences(text: str, lang: str) -> list[str]:
    found = segments((text,), lang)
    assert joined(found) == (text,)
    return ["".join(run for run in segment.runs) for segment in found]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ru", "Это было в 2022 г. Токаев ушёл. Потом пришли другие.",
         ["Это было в 2022 г. Токаев ушёл.", "Потом пришли другие."]),
        ("ru", "Власть, т. е. Назарбаев и его семья, молчала. Народ вышел.",
         ["Власть, т. е. Назарбаев и его семья, молчала.", "Народ вышел."]),
        ("ru", "Власть, т.е. Назарбаев, молчала. Народ вышел.", ["Власть, т.е. Назарбаев, молчала.", "Народ вышел."]),
        ("ru", "Цены, налоги и т.д. Всё выросло.", ["Цены, налоги и т.д.", "Всё выросло."]),
        ("ru", "Цены, налоги и т. д. Всё выросло.", ["Цены, налоги и т. д.", "Всё выросло."]),
        ("ru", "См. рис. 3. Там всё видно.", ["См. рис. 3.", "Там всё видно."]),
        ("ru", "Как писал В. И. Ленин, это неизбежно. Так и вышло.", ["Как писал В. И. Ленин, это неизбежно.", "Так и вышло."]),
        ("ru", "Президент К.-Ж. Токаев выступил. Депутаты молчали.", ["Президент К.-Ж. Токаев выступил.", "Депутаты молчали."]),
        ("ru", "Митинг прошёл на ул. Абая. Полиция не вмешалась.", ["Митинг прошёл на ул. Абая.", "Полиция не вмешалась."]),
        ("ru", "Кто виноват? «Никто», — ответил он.", ["Кто виноват?", "«Никто», — ответил он."]),
        ("ru", "Он ушёл… и не вернулся. Никогда.", ["Он ушёл… и не вернулся.", "Никогда."]),
        ("kk", "2022 ж. қаңтарда ереуіл басталды. Ол тез тарады.", ["2022 ж. қаңтарда ереуіл басталды.", "Ол тез тарады."]),
        ("kk", "1986 ж. Желтоқсан оқиғасы болды. Жастар алаңға шықты.", ["1986 ж. Желтоқсан оқиғасы болды.", "Жастар алаңға шықты."]),
        ("kk", "Мұнайшылар, шахтерлер т.б. Олар ереуілге шықты.", ["Мұнайшылар, шахтерлер т.б.", "Олар ереуілге шықты."]),
        ("kk", "Мұнайшылар, шахтерлер т. б. Олар ереуілге шықты.", ["Мұнайшылар, шахтерлер т. б.", "Олар ереуілге шықты."]),
        ("kk", "Қ.-Ж. Тоқаев сөйледі. Н. Ә. Назарбаев үндемеді.", ["Қ.-Ж. Тоқаев сөйледі.", "Н. Ә. Назарбаев үндемеді."]),
        ("kk", "XX ғ. басында қала өсті. Кейін құлдырады.", ["XX ғ. басында қала өсті.", "Кейін құлдырады."]),
        ("kk", "Жиын қ. Алматыда өтті. Мыс. Жаңаөзенде де.", ["Жиын қ. Алматыда өтті.", "Мыс. Жаңаөзенде де."]),
        ("en", "Mr. Smith met Dr. Jones. They spoke, i.e. they argued.", ["Mr. Smith met Dr. Jones.", "They spoke, i.e. they argued."]),
        ("en", "It ended. 2022 began.", ["It ended.", "2022 began."]),
        ("en", "The U.S. Army came. It left.", ["The U.S. Army came.", "It left."]),
        ("en", "lower case after a stop. does not start a sentence", ["lower case after a stop. does not start a sentence"]),
    ],
)
def test_sentences_per_language(lang, text, expected):
    assert sentences(text, lang) == expected


def test_a_sentence_ending_inside_a_code_is_cut_after_the_code():
    emphasis = Tagged(Code("1", "g", "italic", {}), ("He said so. Twice.",))
    runs = ("Start. ", emphasis, " Then the end.")
    found = segments(runs, "en")
    assert [segment.runs for segment in found] == [("Start.",), (emphasis,), ("Then the end.",)]
    assert [segment.gap for segment in found] == [" ", " ", ""]
    assert joined(found) == runs


def test_a_placeholder_never_starts_a_sentence_of_its_own_and_is_never_split():
    footnote = Tagged(Code("1", "x", "x-footnote", {}))
    runs = ("A claim.", footnote, " Another one.")
    found = segments(runs, "en")
    assert [segment.runs for segment in found] == [("A claim.", footnote), ("Another one.",)]


def test_white_space_between_sentences_is_kept_exactly():
    found = segments(("One.\nTwo.  Three.",), "en")
    assert [segment.gap for segment in found] == ["\n", "  ", ""]


_RUN_TEXT = st.text(alphabet=st.sampled_from(list("Aa Бб. ?!…«»\"'тежгқ.-\n")), max_size=40)
_CODE = st.builds(lambda text, tag: Tagged(Code("1", tag, "italic", {}), (text,) if tag == "g" and text else ()),
                  _RUN_TEXT, st.sampled_from(["g", "x"]))


@given(st.lists(st.one_of(_RUN_TEXT, _CODE), max_size=8), st.sampled_from(["en", "ru", "kk"]))
def test_segments_always_join_back_to_the_exact_runs(pieces, lang):
    runs: list = []
    for piece in pieces:
        if isinstance(piece, str) and runs and isinstance(runs[-1], str):
            runs[-1] += piece
        elif piece != "":
            runs.append(piece)
    found = segments(tuple(runs), lang)
    assert joined(found) == tuple(runs)
    for segment in found:
        assert all(not isinstance(run, str) or run for run in segment.runs)
