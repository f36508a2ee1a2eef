"""The typography transform: quotes, apostrophes, dashes and ellipses for each language."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzpress.document import Document, stringify
from kzpress.language import language
from kzpress.readers.text import inlines, read
from kzpress.typography import smarten, smarten_text

SEED = Path(__file__).parents[1] / "seeds" / "kazakhstan-2022.txt"
TEXTS = Path(__file__).parent / "texts"
ENGLISH = language("en-GB")
RUSSIAN = language("ru")


def para(*elements) -> dict:
    return {"t": "Para", "c": list(elements)}


def text_of(document: Document) -> list[str]:
    return [stringify(block) for block in document.blocks]


def smartened(text: str, lang=ENGLISH) -> str:
    return stringify(smarten(Document(meta={}, blocks=[para(*inlines(text))]), lang).blocks)


# -- marks per language -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, typographic",
    [
        ('He said "no" and left.', "He said “no” and left."),
        ("the 'old man' spoke", "the ‘old man’ spoke"),
        ("wait -- then go", "wait – then go"),
        ("1990--1995", "1990–1995"),
        ("wait---no", "wait—no"),
        ("this - that", "this – that"),
        ("and so...", "and so…"),
        ("Kassym-Jomart", "Kassym-Jomart"),
        ("a ---- line", "a ---- line"),
    ],
)
def test_english_marks(typed, typographic):
    assert smartened(typed) == typographic


@pytest.mark.parametrize(
    "typed, typographic, tag",
    [
        ('Он сказал "нет" -- и ушёл...', "Он сказал «нет» — и\u00a0ушёл…", "ru"),
        ("О'Брайен", "О’Брайен", "ru"),
        ("п'ять", "п’ять", "uk"),
        ('Ол "жоқ" деді', "Ол «жоқ» деді", "kk"),
    ],
)
def test_cyrillic_languages_take_guillemets_and_em_dashes(typed, typographic, tag):
    assert smartened(typed, language(tag)) == typographic


@pytest.mark.parametrize(
    "typed, typographic",
    [
        ("don't", "don’t"),
        ("Kazakhstan's riches", "Kazakhstan’s riches"),
        ("the workers' demands", "the workers’ demands"),
        ("back in the '90s", "back in the ’90s"),
        ("'tis the season", "’tis the season"),
        ("the '90s' music", "the ’90s’ music"),
    ],
)
def test_apostrophes(typed, typographic):
    assert smartened(typed) == typographic


# -- quote direction and nesting --------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, typographic",
    [
        ('("quoted")', "(“quoted”)"),
        ('a dash—"then a quote"', "a dash—“then a quote”"),
        ('"Stop!" she said', "“Stop!” she said"),
        ("'Stop,' she said", "‘Stop,’ she said"),
    ],
)
def test_quote_direction_follows_the_character_before_it(typed, typographic):
    assert smartened(typed) == typographic


def test_nested_quotes_alternate_pairs():
    assert smartened('"a "b" c"') == "“a ‘b’ c”"
    assert smartened("'a \"b\" c'") == "‘a “b” c’"
    assert smartened('"Мы не "бандиты", мы рабочие"', RUSSIAN) == "«Мы не „бандиты“, мы рабочие»"


def test_quotes_pair_across_inline_elements():
    block = para({"t": "Str", "c": '"'}, {"t": "Emph", "c": [{"t": "Str", "c": "hello"}]}, {"t": "Str", "c": '"'})
    result = smarten(Document(meta={}, blocks=[block]), ENGLISH)
    assert result.blocks == [para({"t": "Str", "c": "“"}, {"t": "Emph", "c": [{"t": "Str", "c": "hello"}]}, {"t": "Str", "c": "”"})]


def test_pandoc_quoted_nodes_become_the_languages_marks():
    inner = {"t": "Quoted", "c": [{"t": "DoubleQuote"}, [{"t": "Str", "c": "друг"}]]}
    outer = {"t": "Quoted", "c": [{"t": "DoubleQuote"}, [{"t": "Str", "c": "привет"}, {"t": "Space"}, inner]]}
    result = smarten(Document(meta={}, blocks=[para(outer)]), RUSSIAN)
    assert result.blocks == [para({"t": "Str", "c": "«привет"}, {"t": "Space"}, {"t": "Str", "c": "„друг“»"})]


# -- what is never touched --------------------------------------------------------------------


def test_code_raw_math_and_link_targets_are_untouched():
    code = {"t": "Code", "c": [["", [], []], "x = 'a' -- b..."]}
    raw = {"t": "RawInline", "c": ["html", '<a title="x">']}
    math = {"t": "Math", "c": [{"t": "InlineMath"}, "a--b"]}
    link = {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "'here'"}], ["http://x.org/a--b's", "it's"]]}
    blocks = [
        para(code, {"t": "Space"}, raw, {"t": "Space"}, math, {"t": "Space"}, link),
        {"t": "CodeBlock", "c": [["", [], []], "print('--')"]},
        {"t": "RawBlock", "c": ["html", '<p class="x">...</p>']},
    ]
    result = smarten(Document(meta={}, blocks=blocks), ENGLISH)
    assert result.blocks[0]["c"][:6] == blocks[0]["c"][:6]
    assert result.blocks[0]["c"][6]["c"][1:] == [[{"t": "Str", "c": "‘here’"}], ["http://x.org/a--b's", "it's"]]
    assert result.blocks[1:] == blocks[1:]


def test_a_footnote_is_smartened_as_its_own_text():
    note = {"t": "Note", "c": [para({"t": "Str", "c": '"noted"'})]}
    result = smarten(Document(meta={}, blocks=[para({"t": "Str", "c": '"main'}, note, {"t": "Str", "c": '"'})]), ENGLISH)
    assert result.blocks[0]["c"][0] == {"t": "Str", "c": "“main"}
    assert result.blocks[0]["c"][1]["c"][0] == para({"t": "Str", "c": "“noted”"})
    assert result.blocks[0]["c"][2] == {"t": "Str", "c": "”"}


def meta_string(text: str) -> dict:
    return {"t": "MetaString", "c": text}


def test_every_printed_metadata_field_is_smartened():
    meta = {
        "title": meta_string("The 'old man' -- gone"),
        "subtitle": {"t": "MetaInlines", "c": inlines('"Revolt"...')},
        "author": {"t": "MetaList", "c": [meta_string("Transport Workers' Union press group"),
                                          {"t": "MetaInlines", "c": inlines("O'Brien")}]},
        "publisher": meta_string("Drivers' Press"),
        "rights": meta_string("It's ours -- share it"),
        "translator": {"t": "MetaList", "c": [meta_string('A. "Sasha" Ivanova')]},
    }
    result = smarten(Document(meta=meta, blocks=[]), ENGLISH)
    assert result.meta["title"] == meta_string("The ‘old man’ – gone")
    assert stringify(result.meta["subtitle"]) == "“Revolt”…"
    assert result.meta["author"] == {"t": "MetaList", "c": [meta_string("Transport Workers’ Union press group"),
                                                            {"t": "MetaInlines", "c": [{"t": "Str", "c": "O’Brien"}]}]}
    assert result.meta["publisher"] == meta_string("Drivers’ Press")
    assert result.meta["rights"] == meta_string("It’s ours – share it")
    assert result.meta["translator"] == {"t": "MetaList", "c": [meta_string("A. “Sasha” Ivanova")]}
    assert Document(meta=meta, blocks=[]).metadata.authors[0].endswith("Workers' Union press group")
    assert result.metadata.authors == ("Transport Workers’ Union press group", "O’Brien")


def test_the_author_takes_the_marks_of_the_document_language():
    meta = {"author": meta_string('Редакция "Рабочего" -- Алматы')}
    assert smarten(Document(meta=meta, blocks=[]), RUSSIAN).metadata.authors == ("Редакция «Рабочего» — Алматы",)


def test_identifiers_dates_language_tags_and_settings_are_never_smartened():
    meta = {
        "date": meta_string("1990--1991"),
        "lang": meta_string("en-GB"),
        "targets": {"t": "MetaList", "c": [meta_string("ru"), meta_string("kk")]},
        "layout": {"t": "MetaMap", "c": {"running_head": meta_string("'short' -- title")}},
        "identifier": meta_string("urn:isbn:'x'--1"),
    }
    assert smarten(Document(meta=meta, blocks=[]), ENGLISH).meta == meta


@pytest.mark.parametrize(
    "typed, typographic",
    [
        ("It's ours -- see https://example.org/a--b's...", "It’s ours – see https://example.org/a--b's…"),
        ('Write to "o\'brien@press.org" -- or not', "Write to “o'brien@press.org” – or not"),
        ("(www.example.org/it's), 'quoted'", "(www.example.org/it's), ‘quoted’"),
    ],
)
def test_an_address_in_a_metadata_string_is_left_as_written(typed, typographic):
    for value in (meta_string(typed), {"t": "MetaInlines", "c": inlines(typed)}):
        result = smarten(Document(meta={"rights": value}, blocks=[]), ENGLISH)
        assert stringify(result.meta["rights"]) == typographic


def test_smartened_metadata_comes_out_as_it_went_in():
    meta = {"author": {"t": "MetaList", "c": [meta_string("O'Brien -- \"Sasha\"...")]}, "rights": meta_string("It's")}
    once = smarten(Document(meta=meta, blocks=[]), ENGLISH)
    assert smarten(once, ENGLISH).meta == once.meta


# -- already typographic text, and idempotence ------------------------------------------------


def test_the_seed_comes_out_exactly_as_it_went_in():
    document = read(SEED.read_bytes(), source=str(SEED))
    assert smarten(document, ENGLISH) == document


def test_the_russian_fixture_is_smartened_in_full():
    document = smarten(read((TEXTS / "russian.txt").read_bytes(), source="russian.txt"), RUSSIAN)
    assert text_of(document)[:2] == [
        "Президент назвал протестующих «террористами», а\u00a0министр — «бандитами». Рабочие отвечали: «Мы не „бандиты“, мы рабочие».",
        "О’Брайен писал об этом ещё в\u00a02011 году…",
    ]


# -- no-break spaces: no line ends with a one-letter Russian or Ukrainian word, or with © ---------------

NBSP = "\u00a0"


@pytest.mark.parametrize(
    "typed, bound, tag",
    [
        ("Читайте, делитесь... и организуйтесь.", f"Читайте, делитесь… и{NBSP}организуйтесь.", "ru"),
        ("В пять часов к депо с флагами о борьбе у ворот: а я?", f"В{NBSP}пять часов к{NBSP}депо с{NBSP}флагами "
         f"о{NBSP}борьбе у{NBSP}ворот: а{NBSP}я?", "ru"),
        ('"И я" (в депо)', f"«И{NBSP}я» (в{NBSP}депо)", "ru"),
        ("в в дом", f"в{NBSP}в{NBSP}дом", "ru"),
        ("Він і я з міста у село", f"Він і{NBSP}я{NBSP}з{NBSP}міста у{NBSP}село", "uk"),
        ("© 2026 авторы", f"©{NBSP}2026 авторы", "ru"),
        ("© 2026 the authors", f"©{NBSP}2026 the authors", "en-GB"),
    ],
)
def test_one_letter_words_and_the_copyright_sign_are_bound_to_the_next_word(typed, bound, tag):
    assert smartened(typed, language(tag)) == bound


@pytest.mark.parametrize(
    "typed, tag",
    [
        ("А. С. Пушкин и т.д.", "ru"),  # an initial is no word: only и is bound
        ("a cat and I went", "en-GB"),  # English binds nothing
        ("Ол мен а да", "kk"),  # nor Kazakh
        ("конец и", "ru"),  # nothing after it to bind to
    ],
)
def test_only_the_languages_own_one_letter_words_are_bound(typed, tag):
    expected = typed.replace("и т.д.", f"и{NBSP}т.д.")
    assert smartened(typed, language(tag)) == expected


def test_a_bound_space_joins_the_words_into_one_str_as_pandoc_reads_it():
    emphasis = {"t": "Emph", "c": [{"t": "Str", "c": "на"}]}
    typed = para(*inlines("в депо и"), {"t": "Space"}, emphasis, {"t": "Space"}, {"t": "Str", "c": "улице"})
    document = smarten(Document(meta={}, blocks=[typed]), RUSSIAN)
    assert document.blocks[0]["c"] == [{"t": "Str", "c": f"в{NBSP}депо"}, {"t": "Space"}, {"t": "Str", "c": f"и{NBSP}"},
                                       emphasis, {"t": "Space"}, {"t": "Str", "c": "улице"}]
    assert smarten(document, RUSSIAN) == document


def test_the_rights_line_binds_the_copyright_sign_to_its_year():
    meta = {"rights": meta_string("© 2026 the authors. Licensed CC BY-SA 4.0.")}
    assert smarten(Document(meta=meta, blocks=[]), ENGLISH).meta["rights"] == meta_string(
        f"©{NBSP}2026 the authors. Licensed CC BY-SA 4.0.")


PIECES = ['"', "'", "-", "--", "---", "...", ".", "(", ")", "a", "Б", "1", "don't", "—", "“", "”", "‘", "’", "«", "»"]


@st.composite
def inline_lists(draw) -> list[dict]:
    elements: list[dict] = []
    for _ in range(draw(st.integers(1, 12))):
        choice = draw(st.integers(0, 9))
        if choice < 6:
            elements.append({"t": "Str", "c": "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4)))})
        elif choice < 8:
            elements.append({"t": "Space"})
        elif choice == 8:
            quote = draw(st.sampled_from(["DoubleQuote", "SingleQuote"]))
            elements.append({"t": "Quoted", "c": [{"t": quote}, [{"t": "Str", "c": draw(st.sampled_from(PIECES))}]]})
        else:
            elements.append({"t": "Code", "c": [["", [], []], draw(st.sampled_from(PIECES))]})
    return elements


@settings(max_examples=300, deadline=None)
@given(inline_lists(), st.sampled_from(["en", "ru", "de"]))
def test_smarten_is_idempotent(elements, tag):
    once = smarten(Document(meta={}, blocks=[para(*elements)]), language(tag))
    assert smarten(once, language(tag)) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="\"'-. aБ1(“”«»—"), st.sampled_from(["en", "ru"]))
def test_no_straight_quote_or_typewriter_dash_survives(text, tag):
    result = smarten_text(text, language(tag))
    assert '"' not in result and "'" not in result
    assert "..." not in result and " - " not in result
    assert "--" not in result or "----" in text
