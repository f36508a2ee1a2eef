"""Bytes to text: UTF-8, an older encoding only when certain, never a wrong guess."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kzpress.errors import InputError
from kzpress.readers.decode import UTF8, read_text, recognised_legacy

RUSSIAN = ("Январские события в Казахстане начались со стихийных протестов против повышения цен на газ. "
           "Рабочие нефтяной отрасли первыми вышли на улицы и потребовали отставки правительства.\n")
UKRAINIAN = "Робітники вийшли на страйк і вимагали підвищення зарплати. Їхні профспілки підтримали вимоги.\n"
GERMAN = "Die Arbeiter forderten höhere Löhne für alle. Über die Streiks berichtete die Presse täglich.\n"
SPANISH = "Los trabajadores exigieron salarios más altos. La huelga duró un año en la región.\n"


@pytest.mark.parametrize("text, codec, name", [
    (RUSSIAN, "cp1251", "Windows-1251"),
    (RUSSIAN.upper(), "cp1251", "Windows-1251"),
    (RUSSIAN, "koi8_r", "KOI8-R"),
    (RUSSIAN.lower(), "koi8_r", "KOI8-R"),
    (UKRAINIAN, "cp1251", "Windows-1251"),
    (UKRAINIAN, "koi8_u", "KOI8-U"),
    (GERMAN, "cp1252", "Windows-1252"),
    (SPANISH, "cp1252", "Windows-1252"),
    (RUSSIAN, "utf-16", "UTF-16"),
    (GERMAN, "utf-16-be", None),  # without a byte order mark UTF-16 is not told apart
])
def test_an_older_encoding_is_read_when_certain(text, codec, name):
    data = text.encode(codec)
    if name is None:
        with pytest.raises(InputError):
            read_text(data, source="a.txt")
        return
    decoded = read_text(data, source="a.txt")
    assert (decoded.text, decoded.encoding) == (text, name)


@pytest.mark.parametrize("text, codec", [
    ("Қазақстандағы қаңтар оқиғалары газ бағасының өсуіне қарсы наразылықтан басталды.\n", "kz1048"),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy. Dělníci vstoupili do stávky.\n", "cp1250"),
    ("Привет, мир.\n", "cp1251"),  # too few letters to judge
    ("Οι εργάτες απεργούν για υψηλότερους μισθούς και καλύτερες συνθήκες εργασίας.\n", "cp1253"),
])
def test_an_uncertain_encoding_is_refused_with_the_line_and_what_to_do(text, codec):
    with pytest.raises(InputError, match=r"a\.txt:1: not valid UTF-8, .*cannot be sure.*save the file as UTF-8"):
        read_text(text.encode(codec), source="a.txt")


def test_damage_in_a_file_marked_utf8_is_not_mistaken_for_another_encoding():
    data = codecs.BOM_UTF8 + RUSSIAN.encode("cp1251")
    with pytest.raises(InputError, match=r"a\.txt:1: not valid UTF-8"):
        read_text(data, source="a.txt")


def test_utf8_with_a_byte_order_mark_and_crlf():
    decoded = read_text(codecs.BOM_UTF8 + "One.\r\nTwo.\rThree.\n".encode(), source="a.txt")
    assert (decoded.text, decoded.encoding) == ("One.\nTwo.\nThree.\n", UTF8)


@pytest.mark.parametrize("data, message", [
    (b"", "the file is empty"),
    (b" \n\t\n", "the file is empty"),
    (codecs.BOM_UTF16_LE + "  \n".encode("utf-16-le"), "the file is empty"),
    (b"text\x00more", "binary file"),
    (b"\xff\xfe\x00a\x00b", "binary file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
])
def test_not_text(data, message):
    with pytest.raises(InputError, match=message):
        read_text(data, source="a.txt")


# --- properties -------------------------------------------------------------------------------

RUSSIAN_WORDS = RUSSIAN.lower().replace(".", "").split() + ["и", "в", "не", "что", "Казахстан", "ЖАНАОЗЕН", "«забастовка»"]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_text_or_a_clear_refusal(data):
    try:
        decoded = read_text(data, source="any.txt")
    except InputError as error:
        assert str(error).startswith("any.txt") and "\n" not in str(error)
        return
    assert decoded.text.strip()
    assert "\r" not in decoded.text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(RUSSIAN_WORDS), min_size=1, max_size=60), st.sampled_from(["cp1251", "koi8_r", "koi8_u"]))
def test_russian_text_is_never_read_in_the_wrong_encoding(words, codec):
    """Read correctly or refused: a wrong guess would print nonsense in a pamphlet."""
    text = " ".join(words) + ".\n"
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:  # KOI8 has no « »
        assume(False)
    legacy = recognised_legacy(data)
    if legacy is not None:
        assert data.decode(legacy.codec) == text


CYRILLIC_1251 = st.characters(codec="cp1251", categories=("Lu", "Ll"), exclude_characters="ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                                                          "abcdefghijklmnopqrstuvwxyz")
ASCII_LETTERS = st.characters(codec="ascii", categories=("Lu", "Ll"))
WORD = st.one_of(st.text(CYRILLIC_1251, min_size=1, max_size=12), st.text(ASCII_LETTERS, min_size=1, max_size=12))
SEPARATOR = st.sampled_from([" ", " ", " ", ", ", ". ", "\n", " – ", " «", "» ", "? ", "1984 "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORD, SEPARATOR), min_size=1, max_size=80))
def test_any_windows_1251_text_is_never_misread(pieces):
    """Words in one script each, as writing has them, in any letters Windows-1251 holds: read right or refused."""
    text = "".join(word + separator for word, separator in pieces)
    data = text.encode("cp1251")
    assume(not data.isascii())
    legacy = recognised_legacy(data)
    if legacy is not None:
        assert data.decode(legacy.codec) == text
