"""Layouts: the designs (pamphlet, leaflet, book) a document chooses, and a publisher's own layout folder.

The test documents go through the real pipeline and are laid out once per module in the leaflet and
in the book: tests/documents/pdf-every-block.md (four sections, notes, a table, a figure) for reading,
tests/documents/press-every-block.md (two parts, notes, a figure fit for print) for the press.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import zipfile
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from kzpress import glyphs
from kzpress.backends import booklet, html, pdf, press
from kzpress.build import Project, load
from kzpress.cli import main
from kzpress.errors import InputError
from kzpress.inspect import pdf_summary, pdf_text
from kzpress.layout import designs, labels, load_settings
from kzpress.preflight import BOOKLET, PRESS, preflight
from kzpress.seeds import Seed

from conftest import ROOT, paragraph

LAYOUT, FONTS = ROOT / "layout", ROOT / "fonts"
DOCUMENT = ROOT / "tests" / "documents" / "pdf-every-block.md"
PRESS_DOCUMENT = ROOT / "tests" / "documents" / "press-every-block.md"
TITLE = "Setting a Pamphlet: Every Block on the Page"
CHAPTERS = ["Paragraphs and notes", "Lists and quotations", "Tables and figures", "Code and other blocks"]
MM = 72 / 25.4


@dataclass
class Rendered:
    page: bytes = field(repr=False)  # the print HTML
    laid_out: Any = field(repr=False)  # weasyprint Document
    data: bytes = field(repr=False)  # the reading PDF
    warnings: list[str] = field(default_factory=list)  # what WeasyPrint logged about the stylesheet

    @property
    def pages(self) -> list[str]:
        return pdf_text(self.data)


class _Logged(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "HarfBuzz-Subset" not in record.getMessage():  # the machine's library, not the layout
            self.messages.append(record.getMessage())


def _edition(path: Path = DOCUMENT):
    return load(Seed(path.stem, path, None), notice=lambda message: None)


def _options(design: str, created: str) -> html.HtmlOptions:
    return html.HtmlOptions(LAYOUT, FONTS, load_settings(LAYOUT, {"design": design}, source="test"), created, source="test")


def _render(design: str) -> Rendered:
    edition = _edition()
    page = html.write(edition.document, _options(design, edition.created))
    logged = _Logged()
    logging.getLogger("weasyprint").addHandler(logged)
    try:
        laid_out = pdf.lay_out(page, LAYOUT, pdf_variant=pdf.READING_VARIANT)
        data = laid_out.write_pdf(pdf_variant=pdf.READING_VARIANT)
    finally:
        logging.getLogger("weasyprint").removeHandler(logged)
    return Rendered(page, laid_out, data, logged.messages)


def _press(design: str) -> bytes:
    edition = _edition(PRESS_DOCUMENT)
    return press.write(edition.document, press.PressOptions(_options(design, edition.created), source=f"{design} press PDF"))


@pytest.fixture(scope="module")
def leaflet() -> Rendered:
    return _render("leaflet")


@pytest.fixture(scope="module")
def book() -> Rendered:
    return _render("book")


@pytest.fixture(scope="module")
def press_pdfs() -> dict[str, bytes]:
    return {design: _press(design) for design in ("leaflet", "book")}


# The designs


def test_kzpress_offers_three_designs_and_the_pamphlet_is_the_default():
    assert designs(LAYOUT) == ["book", "leaflet", "pamphlet"]
    assert load_settings(LAYOUT).design == "pamphlet"
    document = paragraph("The same page either way.")
    default = html.write(document, html.HtmlOptions(LAYOUT, FONTS, load_settings(LAYOUT), "2024-01-01T00:00:00Z"))
    assert html.write(document, _options("pamphlet", "2024-01-01T00:00:00Z")) == default


@pytest.mark.parametrize("design, millimetres", [("pamphlet", [148.0, 210.0]), ("leaflet", [210.0, 297.0]),
                                                 ("book", [156.0, 234.0])])
def test_each_design_has_its_page_size(design, millimetres):
    page = html.write(paragraph("Some text for the page."), _options(design, "2024-01-01T00:00:00Z"))
    assert pdf_summary(pdf.lay_out(page, LAYOUT).write_pdf())["page_size_mm"] == [millimetres]


def test_the_document_keeps_the_last_word_over_its_design():
    settings = load_settings(LAYOUT, {"design": "book", "trim_size": "B5"}, source="test")
    assert (settings.trim_size, settings.font_size) == ("B5", "10.5pt")  # the book's size of type, the document's trim


def test_an_unknown_design_names_the_metadata_file_and_the_designs(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "strike.txt").write_text("The strike began on Monday.\n", encoding="utf-8")
    (seeds / "strike.yaml").write_text("title: Strike\ndate: 2026\nlang: en\nlayout: {design: poster}\n", encoding="utf-8")
    code = main(["build", "--to", "pdf", "--seeds", str(seeds), "--out", str(tmp_path / "out")])
    error = capsys.readouterr().err
    assert code == 1
    assert error == (f"kzpress: error: {seeds / 'strike.yaml'}: layout: unknown design 'poster'; "
                     "choose one of book, leaflet, pamphlet\n")


def test_the_designs_stylesheets_are_understood(leaflet, book):
    assert leaflet.warnings == [] and book.warnings == []


@pytest.mark.parametrize("design", ["leaflet", "book"])
def test_each_design_sets_each_text_in_the_face_glyphs_checks(design, leaflet, book):
    """kzpress.glyphs mirrors the stylesheets (pamphlet.css.j2 and each design's additions)."""
    rendered = {"leaflet": leaflet, "book": book}[design]
    settings = load_settings(LAYOUT, {"design": design})
    families = {"body": settings.body_font, "heading": settings.heading_font, "code": settings.code_font}
    root = rendered.laid_out.pages[0]._page_box.children[0].element
    parents = {child: parent for parent in root.iter() for child in parent}
    compared = 0
    for page in rendered.laid_out.pages:
        for box in page._page_box.descendants():
            if type(box).__name__ != "TextBox" or box.element is None or "::" in box.element_tag or not box.text.strip():
                continue
            chain = [box.element]
            while chain[-1] in parents:
                chain.append(parents[chain[-1]])
            style = glyphs.Style("body")
            for ancestor in reversed(chain):
                style = glyphs._style(ancestor, style)
            assert box.style["font_family"][0] == families[style.role], box.text
            assert (box.style["font_weight"] >= 600) == style.bold, box.text
            assert (box.style["font_style"] == "italic") == style.italic, box.text
            compared += 1
    assert compared > 100


# The leaflet


def test_the_leaflet_opens_with_its_title_over_the_text_and_closes_with_the_colophon(leaflet):
    pages = leaflet.pages
    assert len(pages) == 2
    assert TITLE in pages[0] and "A pamphlet is the oldest form" in pages[0]
    assert "Set in PT Serif and PT Sans with kzpress." in pages[-1]
    assert "Contents" not in "".join(pages)
    assert "Cheap print: a penny pamphlet" in pages[0]  # the note at the foot of the page that calls it


def test_the_leaflet_sets_its_text_in_two_columns(leaflet):
    settings = load_settings(LAYOUT, {"design": "leaflet"})
    document = pypdfium2.PdfDocument(leaflet.data)
    textpage = document[0].get_textpage()
    characters = [(pdfium_c.FPDFText_GetFontSize(textpage, index), textpage.get_charbox(index))
                  for index in range(textpage.count_chars()) if not textpage.get_text_range(index, 1).isspace()]
    body_size = statistics.mode(size for size, _ in characters)
    centres = [(left + right) / 2 / MM for size, (left, _, right, _) in characters if size == body_size]
    width = document[0].get_width() / MM
    margin = float(settings.margin_inner.removesuffix("mm"))
    left = [x for x in centres if x < width / 2]
    right = [x for x in centres if x >= width / 2]
    assert len(left) > 500 and len(right) > 500
    gutter = (max(left), min(right))
    assert gutter[1] - gutter[0] > 6, f"no gutter between the columns: {gutter}"
    assert min(left) < margin + 3 and max(right) > width - margin - 3  # each column from its margin


# The book


def test_the_book_opens_each_chapter_on_a_right_hand_page_without_a_running_head(book):
    document = pypdfium2.PdfDocument(book.data)
    chapters = {item.get_title(): item.get_dest().get_index() + 1 for item in document.get_toc()}
    assert list(chapters) == CHAPTERS + ["A closing subsection"]
    pages = book.pages
    for title in CHAPTERS:
        assert chapters[title] % 2 == 1, f"“{title}” opens page {chapters[title]}, a left-hand page"
        assert pages[chapters[title] - 1].count(title) == 1  # the heading, not a running head too
    assert "Contents" in pages[2]


def test_the_book_heads_its_pages_with_the_chapter_and_the_title(book):
    pages = book.pages
    after_opening = [number for number, text in enumerate(pages, start=1) if "And a quotation may itself" in text]
    assert after_opening and after_opening[0] % 2 == 0
    assert pages[after_opening[0] - 1].count(TITLE) == 1  # a left-hand page: the publication's title


# The press PDF and the booklet, in every design


@pytest.mark.parametrize("design, trim", [("leaflet", (210.0, 297.0)), ("book", (156.0, 234.0))])
def test_each_design_makes_a_press_pdf_and_a_booklet_a_shop_accepts(press_pdfs, design, trim):
    data = press_pdfs[design]
    assert all(row.passed for row in preflight(data, PRESS)), [row for row in preflight(data, PRESS) if not row.passed]
    document = pypdfium2.PdfDocument(data)
    assert len(document) % 4 == 0
    with pikepdf.open(io.BytesIO(data)) as opened:
        box = opened.pages[0].trimbox
        assert (round((float(box[2]) - float(box[0])) / MM, 1), round((float(box[3]) - float(box[1])) / MM, 1)) == trim
    imposed = booklet.impose(data)
    assert all(row.passed for row in preflight(imposed, BOOKLET))


def test_the_book_press_pdf_adds_its_blank_pages_after_the_text(press_pdfs):
    texts = pdf_text(press_pdfs["book"])
    last = max(index for index, text in enumerate(texts) if text.strip())
    assert last < len(texts) - 1  # the book's pages did not fill whole sheets: blanks were added
    assert "a reference back to the" in texts[last]  # the end of the text, where it was laid out


# A publisher's own layout folder


def _publisher(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "our-layout"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_publisher_settings_change_only_the_settings_they_name(tmp_path):
    folder = _publisher(tmp_path, {"settings.yaml": "accent_colour: '#123456'\n"})
    ours, kzpress = load_settings(LAYOUT, publisher=folder), load_settings(LAYOUT)
    assert ours.accent_colour == "#123456"
    assert {name: value for name, value in vars(ours).items() if name != "accent_colour"} == \
        {name: value for name, value in vars(kzpress).items() if name != "accent_colour"}
    assert load_settings(LAYOUT, {"design": "leaflet"}, publisher=folder).accent_colour == "#123456"


def test_publisher_settings_refuse_an_unknown_setting_naming_their_file(tmp_path):
    folder = _publisher(tmp_path, {"settings.yaml": "accent_color: '#123456'\n"})
    with pytest.raises(InputError, match=f"^{folder / 'settings.yaml'}: unknown layout setting 'accent_color'"):
        load_settings(LAYOUT, publisher=folder)


@pytest.mark.parametrize("text", ["accent_colour: [unclosed\n", "accent_colour: '#12\xff'\n"])
def test_publisher_settings_that_cannot_be_read_are_one_error_naming_the_file(tmp_path, text):
    folder = _publisher(tmp_path, {})
    folder.mkdir()
    (folder / "settings.yaml").write_bytes(text.encode("latin-1"))
    for _ in range(2):  # and again, when a first reading might have been kept
        with pytest.raises(InputError, match=f"^{re.escape(str(folder / 'settings.yaml'))}: cannot read the layout settings"):
            load_settings(LAYOUT, publisher=folder)


def test_publisher_designs_change_kzpress_presets_key_by_key_and_add_new_ones(tmp_path):
    folder = _publisher(tmp_path, {"designs/leaflet.yaml": "font_size: 9pt\n", "designs/poster.yaml": "trim_size: 297mm 420mm\n",
                                   "settings.yaml": "design: poster\n"})
    assert designs(LAYOUT, folder) == ["book", "leaflet", "pamphlet", "poster"]
    smaller = load_settings(LAYOUT, {"design": "leaflet"}, publisher=folder)
    assert (smaller.font_size, smaller.trim_size) == ("9pt", "A4")
    assert load_settings(LAYOUT, publisher=folder).trim_size == "297mm 420mm"  # the publisher's default design


def test_publisher_labels_change_only_the_words_they_name(tmp_path):
    folder = _publisher(tmp_path, {"labels.yaml": "en: {contents: In this pamphlet}\n"})
    words = labels(LAYOUT, folder)
    assert words["en"]["contents"] == "In this pamphlet"
    assert words["en"]["page"] == "p." and words["ru"] == labels(LAYOUT)["ru"]


def test_publisher_template_and_settings_take_effect_in_a_build(tmp_path, capsys):
    template = (LAYOUT / "pamphlet.html.j2").read_text(encoding="utf-8")
    marked = template.replace('<div class="imprint">', '<div class="imprint">\n    <p>Member of the Radical Presses</p>')
    assert marked != template
    folder = _publisher(tmp_path, {"pamphlet.html.j2": marked, "settings.yaml": "trim_size: B5\n",
                                   "labels.yaml": "en: {typeset_with: 'Set in {body_font} by the Union Press.'}\n"})
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "strike.txt").write_text("The strike began on Monday. The workers held the gates.\n", encoding="utf-8")
    (seeds / "strike.yaml").write_text("title: Strike\ndate: 2026\nlang: en\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["build", "--to", "pdf,epub", "--layout", str(folder), "--seeds", str(seeds), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    data = (out / "strike" / "en" / "strike.pdf").read_bytes()
    assert pdf_summary(data)["page_size_mm"] == [[176.0, 250.0]]
    pages = pdf_text(data)
    assert "Member of the Radical Presses" in pages[0]
    assert "Set in PT Serif by the Union Press." in "".join(pages)
    with zipfile.ZipFile(out / "strike" / "en" / "strike.epub") as epub:
        colophon = re.sub(r"<[^>]+>", "", epub.read("EPUB/colophon.xhtml").decode("utf-8"))
    assert "Set in PT Serif by the Union Press." in colophon


@pytest.mark.parametrize("command", [["build"], ["proof", "strike"], ["pseudo"], ["watch"]])
def test_a_missing_layout_folder_is_one_error_line(tmp_path, capsys, command):
    missing = tmp_path / "no-such-layout"
    code = main([*command, "--layout", str(missing), "--seeds", str(tmp_path), "--out", str(tmp_path / "out")])
    assert code == 1
    assert capsys.readouterr().err == (f"kzpress: error: {missing}: no such layout folder (--layout); give a folder "
                                       "holding your own templates or settings.yaml\n")
    assert not (tmp_path / "out").exists()


def test_a_change_in_the_publisher_folder_rebuilds(tmp_path):
    from kzpress import cache

    folder = _publisher(tmp_path, {"settings.yaml": "accent_colour: '#123456'\n"})
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "strike.txt").write_text("The strike began on Monday.\n", encoding="utf-8")
    (seeds / "strike.yaml").write_text("title: Strike\ndate: 2026\nlang: en\n", encoding="utf-8")
    project = Project(seeds_dir=seeds, out_dir=tmp_path / "out", publisher_layout=folder)

    def key() -> str:  # the build key of a PDF (Markdown and XLIFF do not depend on the layout)
        return cache.input_key(seeds, "strike", project.design_folders, {"formats": ["pdf"]})

    first = key()
    assert key() == first
    (folder / "settings.yaml").write_text("accent_colour: '#654321'\n", encoding="utf-8")
    second = key()
    assert second != first
    shutil.copy(LAYOUT / "labels.yaml", folder / "labels.yaml")  # a file added to the folder counts too
    assert key() not in (first, second)


def test_watch_rebuilds_everything_when_the_publisher_folder_changes(tmp_path):
    from kzpress.watch import affected_slugs

    folder = _publisher(tmp_path, {"settings.yaml": "accent_colour: '#123456'\n"})
    project = Project(seeds_dir=tmp_path / "seeds", out_dir=tmp_path / "out", publisher_layout=folder)
    assert affected_slugs({folder / "settings.yaml"}, project) is None  # None: every seed
    assert affected_slugs({tmp_path / "seeds" / "strike.txt"}, project) == ["strike"]
