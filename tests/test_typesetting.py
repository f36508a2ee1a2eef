"""Typesetting the reading PDF: trim sizes, front matter, footnotes, links, hyphenation per language,
Kazakh syllables, glyph coverage, and the stylesheet against kzpress.glyphs' idea of it.

The test documents (tests/documents/pdf-*.md) go through the real pipeline: reader, typography for
their language, canonical Markdown, the HTML writer and WeasyPrint. Each is laid out once per module.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import pyphen
import pytest

from kzpress import glyphs
from kzpress.backends import html, pdf
from kzpress.build import load
from kzpress.document import Document
from kzpress.errors import InputError
from kzpress.fonts import font_faces
from kzpress.hyphenation import SOFT_HYPHEN, hyphenator, kazakh_points, kazakh_syllables
from kzpress.inspect import pdf_summary, pdf_text
from kzpress.language import language
from kzpress.layout import load_settings
from kzpress.seeds import Seed

from conftest import ROOT, paragraph

DOCUMENTS = ROOT / "tests" / "documents"
A6 = "105mm 148mm"  # small pages: more line ends (and so more hyphens) per word of text
LINE_END_HYPHEN = "\ufffe"  # how pdfium reports a hyphen at the end of a line


@dataclass
class Typeset:
    source: str = field(repr=False)  # the canonical Markdown: the document's words
    page: bytes = field(repr=False)  # the print HTML
    laid_out: Any = field(repr=False)  # weasyprint Document
    data: bytes = field(repr=False)  # the PDF
    warnings: list[str] = field(default_factory=list)  # what WeasyPrint logged: the stylesheet's mistakes

    @property
    def pages(self) -> list[str]:
        return pdf_text(self.data)


def options(overrides: dict | None = None, created: str = "2024-01-01T00:00:00Z", source: str = "test") -> html.HtmlOptions:
    settings = load_settings(ROOT / "layout", overrides or {})
    return html.HtmlOptions(ROOT / "layout", ROOT / "fonts", settings, created, source=source)


def typeset(name: str, overrides: dict | None = None) -> Typeset:
    path = DOCUMENTS / name
    edition = load(Seed(path.stem, path, None), notice=lambda message: None)
    page = html.write(edition.document, options(overrides, edition.created, path.name))
    logged = _Logged()
    logging.getLogger("weasyprint").addHandler(logged)
    try:
        laid_out = pdf.lay_out(page, ROOT / "layout", pdf_variant=pdf.READING_VARIANT)
        data = laid_out.write_pdf(pdf_variant=pdf.READING_VARIANT)
    finally:
        logging.getLogger("weasyprint").removeHandler(logged)
    return Typeset(edition.canonical_markdown.decode("utf-8"), page, laid_out, data, logged.messages)


class _Logged(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "HarfBuzz-Subset" not in message:  # the machine's library, not the layout
            self.messages.append(message)


def letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.replace(LINE_END_HYPHEN, ""))


def page_of(pages: list[str], text: str) -> int:
    found = [index for index, page in enumerate(pages) if letters(text) in letters(page)]
    assert len(found) == 1, f"{text!r} found on pages {found}"
    return found[0]


@pytest.fixture(scope="module")
def every_block() -> Typeset:
    return typeset("pdf-every-block.md")


@pytest.fixture(scope="module")
def russian() -> Typeset:
    return typeset("pdf-russian.md", {"trim_size": A6})


@pytest.fixture(scope="module")
def kazakh() -> Typeset:
    return typeset("pdf-kazakh.md", {"trim_size": A6})


# Trim sizes


@pytest.mark.parametrize(
    "trim, millimetres",
    [("A5", [148.0, 210.0]), ("A4", [210.0, 297.0]), ("B5", [176.0, 250.0]), ("letter", [215.9, 279.4]),
     ("half-letter", [139.7, 215.9]), ("130mm 200mm", [130.0, 200.0])],
)
def test_every_page_has_the_trim_size(trim, millimetres):
    page = html.write(paragraph("Some text for the page."), options({"trim_size": trim}))
    data = pdf.lay_out(page, ROOT / "layout").write_pdf()
    assert pdf_summary(data)["page_size_mm"] == [millimetres]


def test_weasyprint_understands_every_rule_of_the_stylesheet(every_block, kazakh):
    assert every_block.warnings == [] and kazakh.warnings == []


# Front matter, running heads, folios


def test_title_page_colophon_and_contents_come_before_the_text(every_block):
    pages = every_block.pages
    assert pages[0].startswith("Setting a Pamphlet")  # the title page: no running head, no folio
    assert not re.search(r"\d\s*$", pages[0].replace("2024-03-01", ""))
    colophon = pages[1]
    assert "Translated by Chris Translator" in colophon and "Language: English" in colophon
    assert "©\u00a02024 the authors" in colophon and "kzpress, 2024-03-01" in colophon
    assert pages[2].startswith("Contents")  # four sections and more: a contents page, on a right page
    assert pages[3].strip() == ""  # the blank back of the contents: the text opens on a right page
    assert pages[4].startswith("A pamphlet is the oldest form")


def test_contents_lists_the_sections_with_their_pages(every_block):
    contents = every_block.pages[2]
    for title in ("Paragraphs and notes", "Lists and quotations", "Tables and figures", "Code and other blocks"):
        listed = re.search(re.escape(title) + r"[ .]*(\d+)", contents)
        assert listed, title
        assert title in every_block.pages[int(listed.group(1)) - 1]


def test_a_text_with_few_sections_has_no_contents_page(seed_pdf_pages):
    assert not any(page.startswith("Contents") for page in seed_pdf_pages)


@pytest.fixture(scope="module")
def seed_pdf_pages(seed_build) -> list[str]:
    return pdf_text((seed_build / "kazakhstan-2022" / "en-GB" / "kazakhstan-2022.pdf").read_bytes())


def test_running_heads_title_on_left_pages_section_on_right_pages_folio_outside(every_block):
    heads = {}
    for number, page in enumerate(every_block.laid_out.pages[4:], start=5):
        boxes = {box.at_keyword: _text(box) for box in page._page_box.children if getattr(box, "at_keyword", None)}
        heads[number] = boxes
    assert heads[5] == {"@top-right": "5"}  # the opening page: its folio only
    assert heads[6]["@top-left"] == "6" and heads[6]["@top-center"] == "Setting a Pamphlet: Every Block on the Page"
    right = [number for number in heads if number % 2 and number > 5]
    assert right and all(heads[n]["@top-right"] == str(n) for n in right)
    assert {heads[n]["@top-center"] for n in right} <= {"Paragraphs and notes", "Lists and quotations", "Tables and figures",
                                                        "Code and other blocks"}


def _text(box) -> str:
    return "".join(child.text for child in box.descendants() if hasattr(child, "text") and isinstance(child.text, str))


# The text


def test_footnotes_sit_on_the_page_that_calls_them(every_block):
    pages = every_block.pages
    calls = {
        "Cheap print": "written to be read in one sitting by people who have not asked to read it",
        "Indent note": "without a blank line breaking the column",
        "Foot note": "Footnotes belong at the foot of the page that cites them",
        "Long note, first paragraph": "Long notes may run to more than one paragraph",
        "Long note, second paragraph": "Long notes may run to more than one paragraph",
        "Table note": "and no vertical lines at all",
        "Last note": "inline code in the running text",
    }
    for note, call in calls.items():
        assert page_of(pages, note) == page_of(pages, call), note
    assert "Cheap print" not in "".join(pages[page_of(pages, "Indent note") + 1:])  # not again at the end


def test_external_links_print_their_address_in_a_footnote_and_internal_ones_their_page(every_block):
    pages = every_block.pages
    link = page_of(pages, "the project lives at the kzpress repository")
    assert re.search(r"\d\s*https://example\.org/kzpress", pages[link])
    assert letters("such as https://example.org/print, is left") in letters("".join(pages))
    tables = page_of(pages, "Tables are set between two thin rules")
    reference = re.search(r"the\s+section\s+on\s+tables\s+\(p\.\s+(\d+)\)", "".join(pages).replace(LINE_END_HYPHEN, ""))
    assert reference and reference.group(1) == str(tables + 1)


def test_bookmarks_are_the_headings_with_their_levels(every_block):
    assert pdf_summary(every_block.data)["bookmarks"] == [
        [1, "Paragraphs and notes"], [1, "Lists and quotations"], [1, "Tables and figures"],
        [1, "Code and other blocks"], [2, "A closing subsection"],
    ]


def test_reading_pdf_is_tagged_pdf_ua_1_with_language_and_title(every_block):
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(every_block.data)) as document:
        assert document.Root.MarkInfo.Marked is True and "/StructTreeRoot" in document.Root
        assert document.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(document.Root.Lang) == "en-GB"
        assert 'pdfuaid:part="1"' in str(document.open_metadata())
        assert any(image for page in document.pages for image in page.get_images())  # the figure


def test_no_indent_after_a_heading_an_indent_between_paragraphs(every_block):
    parents = _parents(every_block)
    indented, not_indented = set(), set()
    for page in every_block.laid_out.pages:
        for box in page._page_box.descendants():
            if box.element_tag == "p" and _in_text(box.element, parents):
                (indented if box.style["text_indent"].value else not_indented).add(box.element)

    def previous(element) -> str:
        siblings = list(parents[element])
        return siblings[siblings.index(element) - 1].tag if siblings.index(element) else ""

    assert {previous(element) for element in indented} == {"p"}
    assert "p" not in {previous(element) for element in not_indented}
    assert {"h1", "h2"} <= {previous(element) for element in not_indented}


def _in_text(element, parents) -> bool:
    while element in parents:
        element = parents[element]
        if element.tag == "main":
            return True
    return False


def _parents(typeset_: Typeset) -> dict:
    root = typeset_.laid_out.pages[0]._page_box.children[0].element  # the <html> box's element
    return {child: parent for parent in root.iter() for child in parent}


def test_a_heading_never_ends_a_page_and_paragraphs_break_with_two_lines_each_side(every_block):
    for index, page in enumerate(every_block.laid_out.pages[:-1]):
        blocks = list(_flow_blocks(page._page_box))
        if not blocks:
            continue
        assert blocks[-1].element_tag not in ("h1", "h2", "h3"), f"heading at the foot of page {index + 1}"
        following = list(_flow_blocks(every_block.laid_out.pages[index + 1]._page_box))
        if following and following[0].element is blocks[-1].element and blocks[-1].element_tag == "p":
            assert _lines(blocks[-1]) >= 2 and _lines(following[0]) >= 2


def _flow_blocks(page_box):
    main = next((box for box in page_box.descendants() if box.element_tag == "main"), None)
    return list(main.children) if main is not None else []


def _lines(block) -> int:
    return sum(1 for child in block.children if type(child).__name__ == "LineBox")


# Hyphenation per language


def line_end_breaks(pages: list[str]) -> list[tuple[str, str]]:
    """The words broken at a line end: (the part before the hyphen, the part after)."""
    return re.findall(rf"(\w+){LINE_END_HYPHEN}(\w+)", "".join(pages))


def check_breaks(typeset_: Typeset, tag: str) -> list[str]:
    hard = set(re.findall(r"(\w+)-(\w+)", typeset_.source))
    breaks = [(before, after) for before, after in line_end_breaks(typeset_.pages) if (before, after) not in hard]
    words = hyphenator(language(tag))
    wrong = [f"{b}-{a}" for b, a in breaks if len(b) not in break_points(words.word(b + a))]
    assert len(breaks) >= 5, breaks
    return wrong


def break_points(hyphenated: str) -> set[int]:
    """Where the soft hyphens of a hyphenated word are, as indexes into the plain word."""
    parts = hyphenated.split(SOFT_HYPHEN)
    return {sum(len(part) for part in parts[:index]) for index in range(1, len(parts))}


def test_russian_is_hyphenated_at_line_ends_by_the_russian_dictionary(russian):
    assert check_breaks(russian, "ru") == []
    ru = pyphen.Pyphen(lang="ru_RU")
    for before, after in line_end_breaks(russian.pages):
        if not re.search(before + "-" + after, russian.source):
            assert len(before) in ru.positions(before + after)


def test_kazakh_is_hyphenated_at_line_ends_between_syllables(kazakh):
    assert check_breaks(kazakh, "kk") == []
    for before, after in line_end_breaks(kazakh.pages):
        word = before + after
        if not re.search(before + "-" + after, kazakh.source) and not set(word.lower()) & set("ёцщъьэфвч"):
            assert len(before) in kazakh_points(word), word


@pytest.mark.parametrize("document, quotes", [("russian", ("«", "»")), ("kazakh", ("«", "»"))])
def test_quotation_marks_are_the_languages_own(document, quotes, request):
    text = "".join(request.getfixturevalue(document).pages)
    assert quotes[0] in text and quotes[1] in text
    assert '"' not in text and "“" not in text


@pytest.mark.parametrize(
    "word, syllables",
    [("қала", "қа-ла"), ("балалар", "ба-ла-лар"), ("мектеп", "мек-теп"), ("сауда", "сау-да"), ("ұлттық", "ұлт-тық"),
     ("жұмысшылар", "жұ-мыс-шы-лар"), ("бостандық", "бос-тан-дық"), ("тәуелсіздік", "тә-уел-сіз-дік"),
     ("қиын", "қи-ын"), ("уақыт", "уа-қыт"), ("тауы", "та-уы"), ("түсіну", "тү-сі-ну"), ("айтты", "айт-ты"),
     ("Қазақстан", "Қа-зақс-тан"), ("президенттің", "пре-зи-дент-тің"), ("объект", "объ-ект")],
)
def test_kazakh_syllables(word, syllables):
    assert "-".join(kazakh_syllables(word)) == syllables


def test_kazakh_hyphenation_never_leaves_or_carries_one_letter_and_keeps_abbreviations():
    words = hyphenator(language("kk"))
    assert words.word("ереуіл").replace(SOFT_HYPHEN, "-") == "ере-уіл"
    assert words.word("ауыл") == "ауыл"  # а-уыл would leave one letter
    assert words.word("КСРО-ның")  # no crash on a hyphenated abbreviation
    assert words.text("КСРО") == "КСРО"


def test_russian_loanwords_in_kazakh_follow_the_russian_dictionary():
    words = hyphenator(language("kk"))
    assert words.word("конституция").replace(SOFT_HYPHEN, "-") == "кон-сти-ту-ция"


def test_english_leaves_names_whole_but_not_the_first_word_of_a_sentence():
    words = hyphenator(language("en-GB"))
    assert words.text("the government of Kazakhstan") == "the gov\u00adern\u00adment of Kazakhstan"
    assert SOFT_HYPHEN in words.text("Confronted with it")


# Glyph coverage


def test_a_character_missing_from_the_fonts_fails_the_build_naming_it_and_where_it_is():
    document = paragraph("Accounts from participants in the escalating mass ꙮ demonstrations indicate")
    document = Document(meta=document.meta, blocks=[
        {"t": "Header", "c": [1, ["escalation", [], []], [{"t": "Str", "c": "Escalation"}]]}, *document.blocks])
    with pytest.raises(InputError) as raised:
        html.write(document, options(source="seeds/test.md"))
    message = str(raised.value)
    assert message.startswith("seeds/test.md: ")
    assert "'ꙮ' (U+A66E cyrillic letter multiocular o)" in message
    assert "section “Escalation”, paragraph beginning “Accounts from participants in the escalating mass ꙮ" in message
    assert "PTSerif-Regular.ttf" in message


def test_coverage_follows_the_font_of_each_text_code_may_use_what_the_mono_font_has():
    arrow_in_code = Document(meta=paragraph("x").meta, blocks=[{"t": "Para", "c": [{"t": "Code", "c": [["", [], []], "a → b"]}]}])
    html.write(arrow_in_code, options())  # PT Mono has U+2192
    with pytest.raises(InputError, match=r"U\+2192.*PTSerif-Regular\.ttf"):
        html.write(paragraph("a → b"), options())


def test_coverage_ignores_spaces_and_invisible_format_characters():
    html.write(paragraph("thin\u2009space, narrow\u202fno-break, word\u2060joiner and soft\u00adhyphen"), options())


def test_the_stylesheet_sets_each_text_in_the_face_glyphs_checks(every_block):
    """kzpress.glyphs mirrors pamphlet.css.j2; this compares both on every word of a laid-out page."""
    settings = load_settings(ROOT / "layout")
    families = {"body": settings.body_font, "heading": settings.heading_font, "code": settings.code_font}
    parents = _parents(every_block)
    compared = 0
    for page in every_block.laid_out.pages:
        for box in page._page_box.descendants():
            if type(box).__name__ != "TextBox" or box.element is None or "::" in box.element_tag or not box.text.strip():
                continue
            style = _predicted(box.element, parents)
            assert box.style["font_family"][0] == families[style.role], box.text
            assert (box.style["font_weight"] >= 600) == style.bold, box.text
            assert (box.style["font_style"] == "italic") == style.italic, box.text
            compared += 1
    assert compared > 100


def _predicted(element, parents) -> glyphs.Style:
    chain = [element]
    while chain[-1] in parents:
        chain.append(parents[chain[-1]])
    style = glyphs.Style("body")
    for ancestor in reversed(chain):
        style = glyphs._style(ancestor, style)
    return style


def test_glyphs_choose_the_face_css_would(every_block):
    fonts = glyphs._Fonts(load_settings(ROOT / "layout"), font_faces(ROOT / "fonts"))
    assert fonts.face(glyphs.Style("body", italic=True)).path.name == "PTSerif-Italic.ttf"
    assert fonts.face(glyphs.Style("body", bold=True, italic=True)).path.name == "PTSerif-BoldItalic.ttf"
    assert fonts.face(glyphs.Style("heading", italic=True)).path.name == "PTSans-Regular.ttf"  # slanted upright
    assert fonts.face(glyphs.Style("code", bold=True)).path.name == "PTMono-Regular.ttf"


# Settings


def test_drop_cap_is_a_setting():
    with_initial = html.write(paragraph("“The mass revolt began."), options({"drop_cap": True})).decode("utf-8")
    assert '<span class="drop-cap">“T</span>he mass' in with_initial
    assert "drop-cap" not in html.write(paragraph("The mass revolt began."), options()).decode("utf-8").split("</style>")[1]


def test_layout_settings_are_typed_and_checked():
    settings = load_settings(ROOT / "layout", {"drop_cap": "yes", "contents_min_sections": "3"})
    assert settings.drop_cap is True and settings.contents_min_sections == 3
    with pytest.raises(InputError, match="drop_cap must be true or false"):
        load_settings(ROOT / "layout", {"drop_cap": "perhaps"})
    with pytest.raises(InputError, match="contents_min_sections must be a whole number"):
        load_settings(ROOT / "layout", {"contents_min_sections": 2.5})
