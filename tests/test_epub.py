"""The EPUB 3 backend: EPUBCheck's verdict, navigation, page list, metadata, accessibility, fonts, images,
reproducibility. The seed is the one the build made (conftest's `seed_build`); the other books are the
fixtures in tests/documents (every block type, Russian, Kazakh, a short text with a contents page), each
with its own reading PDF."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from kzpress import epubcheck
from kzpress.backends import epub, html, pdf
from kzpress.backends.markdown import read
from kzpress.document import Document, stringify
from kzpress.epub import accessibility, page_list
from kzpress.epub.reading_pdf import page_texts
from kzpress.errors import InputError, KzpressError
from kzpress.layout import load_settings

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "tests" / "documents"
SEED = "kazakhstan-2022"
FIXTURES = {"every-block": "epub-every-block.md", "ru": "epub-ru.md", "kk": "epub-kk.md", "contents": "epub-contents.md"}
BOOKS = ["seed", *FIXTURES]
MODIFIED = "2024-01-01T12:00:00Z"
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{NS['epub']}}}type"


def options(name: str, document: Document, **changes) -> epub.EpubOptions:
    return epub.EpubOptions(
        fonts_dir=ROOT / "fonts", layout_dir=ROOT / "layout", modified=MODIFIED, resource_dir=DOCUMENTS,
        identifier=epub.stable_identifier(name, document.metadata.lang), **changes,
    )


def document_of(text: str, **meta) -> Document:
    return read(text, source="test.md").with_meta(**{"title": "T", "lang": "en-GB", **meta})


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return {name: read((DOCUMENTS / file).read_text("utf-8"), source=file) for name, file in FIXTURES.items()}


@pytest.fixture(scope="module")
def pdfs(documents, seed_build) -> dict[str, bytes]:
    """Each book's reading PDF: the seed's as built, the fixtures' rendered here."""
    settings = load_settings(ROOT / "layout")
    made = {"seed": (seed_build / SEED / "en-GB" / f"{SEED}.pdf").read_bytes()}
    for name, document in documents.items():
        html_options = html.HtmlOptions(layout_dir=ROOT / "layout", fonts_dir=ROOT / "fonts", settings=settings, created=MODIFIED)
        made[name] = pdf.write(document, pdf.PdfOptions(html_options))
    return made


@pytest.fixture(scope="module")
def books(documents, pdfs, seed_build) -> dict[str, bytes]:
    made = {"seed": (seed_build / SEED / "en-GB" / f"{SEED}.epub").read_bytes()}
    for name, document in documents.items():
        made[name] = epub.write(document, options(name, document, reading_pdf=pdfs[name]))
    return made


@pytest.fixture(scope="module")
def reports(books) -> dict[str, epubcheck.Report]:
    return dict(zip(BOOKS, epubcheck.check_many([books[name] for name in BOOKS])))


def entries(book: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(book: bytes, name: str):
    return etree.fromstring(entries(book)[f"EPUB/{name}"])


def package(book: bytes):
    return xml(book, "content.opf")


def properties(book: bytes, name: str) -> list[str]:
    return [meta.text for meta in package(book).findall(f"opf:metadata/opf:meta[@property='{name}']", NS)]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.replace("\ufffe", "").replace("\u00ad", "").casefold())


# --- EPUBCheck -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BOOKS)
def test_epubcheck_reports_no_fatal_error_warning_or_info(reports, name):
    counts = reports[name].counts
    assert (counts["FATAL"], counts["ERROR"], counts["WARNING"], counts["INFO"]) == (0, 0, 0, 0), reports[name].summary()
    # Embedding fonts is the one feature EPUBCheck notes as usage; nothing else may appear.
    assert {message.id for message in reports[name].messages} == {"CSS-028"}, reports[name].summary()


def test_epubcheck_report_is_parsed_into_counts_and_messages():
    data = {
        "checker": {"checkerVersion": "5.3.0"},
        "messages": [
            {"ID": "RSC-005", "severity": "ERROR", "message": "bad", "additionalLocations": 0,
             "locations": [{"path": "EPUB/a.xhtml", "line": 3, "column": 7}]},
            {"ID": "CSS-028", "severity": "USAGE", "message": "font-face", "additionalLocations": 2,
             "locations": [{"path": "EPUB/s.css", "line": 1, "column": 1}]},
        ],
    }
    report = epubcheck.parse_report(json.loads(json.dumps(data)))
    assert report.counts == {"FATAL": 0, "ERROR": 1, "WARNING": 0, "USAGE": 1, "INFO": 0}
    assert not report.clean
    assert str(report.messages[0]) == "ERROR(RSC-005) at EPUB/a.xhtml:3:7: bad"
    assert report.messages[1].occurrences == 3


def test_epubcheck_without_java_says_what_to_install(monkeypatch):
    monkeypatch.setattr(epubcheck.shutil, "which", lambda name: None)
    with pytest.raises(KzpressError, match="Java"):
        epubcheck.check(b"not an epub")


# --- Navigation ----------------------------------------------------------------------------------


def headings_of(document: Document) -> list[tuple[int, str]]:
    return [(block["c"][0], stringify(block["c"][2])) for block in document.blocks if block["t"] == "Header"]


def nav_entries(items, depth: int = 1) -> list[tuple[int, str]]:
    found = []
    for item in items:
        found.append((depth, item.find("x:a", NS).text))
        found += nav_entries(item.findall("x:ol/x:li", NS), depth + 1)
    return found


@pytest.mark.parametrize("name", BOOKS)
def test_nav_lists_exactly_the_headings_in_their_hierarchy(books, documents, seed_build, name):
    document = documents.get(name) or read((seed_build / SEED / "en-GB" / f"{SEED}.md").read_text("utf-8"), source="seed")
    nav = xml(books[name], "nav.xhtml").find(".//x:nav[@epub:type='toc']", NS)
    assert nav_entries(nav.findall("x:ol/x:li", NS)) == headings_of(document)


def test_nav_links_point_at_the_headings(books):
    book = books["every-block"]
    for link in xml(book, "nav.xhtml").findall(".//x:nav[@epub:type='toc']//x:a", NS):
        file_name, _, anchor = link.get("href").partition("#")
        page = xml(book, file_name)
        target = page.find(f".//*[@id='{anchor}']", NS) if anchor else page.find(".//x:section/x:h1", NS)
        assert target is not None and target.tag.endswith(("h1", "h2", "h3")), link.get("href")
        assert "".join(target.itertext()).startswith(link.text)


def test_landmarks_name_cover_title_page_and_start_of_text(books):
    landmarks = xml(books["seed"], "nav.xhtml").findall(".//x:nav[@epub:type='landmarks']//x:a", NS)
    assert [(a.get(EPUB_TYPE), a.get("href")) for a in landmarks] == [
        ("cover", "cover.xhtml"), ("titlepage", "title-page.xhtml"), ("bodymatter", "opening.xhtml")]


def test_ncx_carries_the_same_contents_for_old_readers(books):
    ncx = etree.fromstring(entries(books["every-block"])["EPUB/toc.ncx"])
    labels = [text.text for text in ncx.iter("{http://www.daisy.org/z3986/2005/ncx/}text")][1:]  # after docTitle
    assert labels == ["First part", "Lists", "A quotation", "Second part", "Closing section"]


def test_reading_order_cover_title_colophon_text_licence(books):
    opf = package(books["every-block"])
    hrefs = {item.get("id"): item.get("href") for item in opf.findall("opf:manifest/opf:item", NS)}
    spine = [hrefs[ref.get("idref")] for ref in opf.findall("opf:spine/opf:itemref", NS)]
    assert spine == ["cover.xhtml", "title-page.xhtml", "colophon.xhtml", "opening.xhtml", "chapter-01.xhtml",
                     "chapter-02.xhtml", "fonts-licence.xhtml"]


def test_chapters_split_at_level_one_headings_or_the_level_chosen(books, documents):
    first = xml(books["every-block"], "chapter-01.xhtml").find("x:body/x:section", NS)
    assert first.find("x:h1", NS).text == "First part" and len(first.findall(".//x:h1", NS)) == 1
    finer = entries(epub.write(documents["every-block"], options("every-block", documents["every-block"], split_level=2)))
    assert sorted(name for name in finer if "chapter-" in name) == [f"EPUB/chapter-0{n}.xhtml" for n in range(1, 5)]
    assert b'href="chapter-02.xhtml">Lists<' in finer["EPUB/nav.xhtml"]


def test_a_text_whose_top_headings_are_level_two_is_split_at_them():
    document = document_of("Opening.\n\n## One\n\nText.\n\n### Deeper\n\nText.\n\n## Two\n\nText.")
    files = entries(epub.write(document, options("t", document)))
    assert sorted(name for name in files if "chapter-" in name) == ["EPUB/chapter-01.xhtml", "EPUB/chapter-02.xhtml"]


@pytest.mark.parametrize("text, address", [("[notes](notes.md)", "notes.md"), ("[below](#nowhere)", "#nowhere")])
def test_a_link_the_book_cannot_follow_is_refused_with_its_address(text, address):
    document = document_of(text)
    with pytest.raises(InputError, match=f"^{address}: a link"):
        epub.write(document, options("t", document))


def test_headings_without_ids_get_ids_the_nav_can_reach():
    top = {"t": "Header", "c": [1, ["top", [], []], [{"t": "Str", "c": "Top"}]]}
    text = {"t": "Para", "c": [{"t": "Str", "c": "Text."}]}
    header = {"t": "Header", "c": [2, ["", [], []], [{"t": "Str", "c": "Untitled"}]]}
    document = Document(meta={}, blocks=[top, text, header]).with_meta(title="T", lang="en")
    nav = xml(epub.write(document, options("t", document)), "nav.xhtml")
    links = nav.findall(".//x:nav[@epub:type='toc']//x:a", NS)
    assert [link.get("href") for link in links] == ["chapter-01.xhtml", "chapter-01.xhtml#heading-1"]


# --- Page list -----------------------------------------------------------------------------------


def page_targets(book: bytes) -> list[tuple[int, str]]:
    links = xml(book, "nav.xhtml").findall(".//x:nav[@epub:type='page-list']//x:a", NS)
    return [(int(link.text), link.get("href")) for link in links]


def words_after(book: bytes, href: str, count: int) -> list[str]:
    """The first words of the text after a page-break marker, notes left out, across later files."""
    file_name, _, anchor = href.partition("#")
    marker = xml(book, file_name).find(f".//*[@id='{anchor}']")
    assert marker.get(EPUB_TYPE) == "pagebreak" and marker.get("role") == "doc-pagebreak"
    assert marker.get("aria-label") == anchor.removeprefix("page-")
    following = marker.xpath("following::text()[not(ancestor::x:aside) and not(ancestor::x:head)]", namespaces=NS)
    return words(" ".join(following))[:count]


@pytest.mark.parametrize("name", BOOKS)
def test_page_list_has_every_page_of_the_reading_pdf_in_order(books, pdfs, name):
    numbers = [number for number, _ in page_targets(books[name])]
    assert numbers == list(range(1, len(page_texts(pdfs[name])) + 1))


def text_pages(book: bytes, pdf: bytes) -> list[list[str]]:
    """The words of each PDF page; [] for a page without text of its own: a blank page, or the printed
    contents (headed with the word that heads the e-book's contents). Its marker stands with the next page's."""
    contents = words(xml(book, "nav.xhtml").find(".//x:nav[@epub:type='toc']/x:h1", NS).text)
    pages = [words(text) for text in page_texts(pdf)]
    return [[] if page[:len(contents)] == contents else page for page in pages]


@pytest.mark.parametrize("name", BOOKS)
def test_each_page_starts_with_the_words_that_start_it_in_the_pdf(books, pdfs, name):
    pages = text_pages(books[name], pdfs[name])
    for number, href in page_targets(books[name]):
        start = words_after(books[name], href, 4)
        page = next((page for page in pages[number - 1:] if page), [])
        # On the PDF's page: the first run of four words the two share (folios, running heads and list
        # numbers are the PDF's alone), within the page's first line or so.
        found = [i for i in range(len(page)) if page[i:i + len(start)] == start]
        assert found and found[0] <= 14, (number, start, page[:20])


def test_page_markers_follow_the_reading_order(books):
    book = books["seed"]
    spine = [href for href in re.findall(r'href="([^"]+\.xhtml)"', entries(book)["EPUB/content.opf"].decode())]
    in_order = []
    for file_name in spine:
        in_order += [int(span.get("aria-label")) for span in xml(book, file_name).iter(f"{{{NS['x']}}}span")
                     if span.get(EPUB_TYPE) == "pagebreak"]
    assert in_order == sorted(in_order) and len(in_order) == len(page_targets(book))


def test_the_page_list_names_the_reading_pdf_as_its_source(books):
    opf = package(books["seed"])
    source = opf.find("opf:metadata/dc:source[@id='page-source']", NS)
    refinement = opf.find("opf:metadata/opf:meta[@refines='#page-source']", NS)
    assert source.text == f"{SEED}.pdf"
    assert (refinement.get("property"), refinement.text) == ("source-of", "pagination")


def test_a_page_without_shared_words_starts_where_the_next_one_does():
    tokens = "one two three four five six seven eight nine".split()
    pages = [["1", "one", "two", "three"], ["contents", "2"], ["four", "five", "six", "3"], ["seven", "eight", "nine"]]
    assert page_list.page_starts(pages, tokens) == [0, 3, 3, 6]


def test_a_contents_page_whose_titles_recur_in_the_text_starts_where_the_text_does():
    tokens = "it began at ten how the shift organised what the shift won then the shift organised it won".split()
    contents = ["contents", "how", "the", "shift", "organised", "5", "what", "the", "shift", "won", "6"]
    pages = [contents, [], ["it", "began", "at", "ten", "how", "the", "shift", "organised", "what", "the", "shift",
                           "won", "5"], ["then", "the", "shift", "organised", "it", "won", "6"]]
    assert page_list.page_starts(pages, tokens) == [0, 0, 0, 12]


def test_a_short_text_with_a_contents_page_has_its_markers_where_the_pdf_pages_begin(books, pdfs):
    """The contents page lists the section titles, which the opening names too: its words are not the
    text's. Each page with text starts at its first words (no word straddles a page turn in the reading
    PDF); the contents page and the blank page after it stand just before the text's first word."""
    book = books["contents"]
    pages = text_pages(book, pdfs["contents"])
    assert [bool(page) for page in pages[:5]] == [True, True, False, False, True]  # title, colophon, contents, blank, text
    for number, href in page_targets(book):
        page = next(page for page in pages[number - 1:] if page)
        assert words_after(book, href, 6) == page[:6], (number, href)
    opening = xml(book, "opening.xhtml").find("x:body/x:section", NS)
    assert [child.get("id") for child in opening[:3]] == ["page-3", "page-4", "page-5"]


def test_a_page_opening_with_the_end_of_a_hyphenated_word_starts_at_the_next_word():
    tokens = "it began on january two they were followed".split()
    pages = [["it", "began", "on", "janu3"], ["ary", "two", "they", "were", "followed"]]
    assert page_list.page_starts(pages, tokens) == [0, 4]


def test_a_marker_goes_before_a_heading_or_a_link_not_inside():
    body = etree.fromstring(
        '<body xmlns="http://www.w3.org/1999/xhtml"><section><h1>The title here</h1>'
        '<p>Read <a href="#x">the linked words</a> now.</p></section></body>')
    pages = ["The title here", "the linked words now"]
    targets = page_list.mark_pages(pages, [("a.xhtml", body)])
    assert [target.href for target in targets] == ["a.xhtml#page-1", "a.xhtml#page-2"]
    section = body[0]
    assert [child.tag.split("}")[1] for child in section] == ["span", "h1", "p"]
    assert section[2][0].get("id") == "page-2" and section[2][1].tag.endswith("}a")
    assert "".join(body.itertext()) == "The title hereRead the linked words now."


# --- Cover, title page, colophon -----------------------------------------------------------------


def test_cover_is_the_pdf_first_page_as_a_png_with_alt_text_of_its_words(books, pdfs):
    book = books["seed"]
    item = package(book).find("opf:manifest/opf:item[@properties='cover-image']", NS)
    assert (item.get("href"), item.get("media-type")) == ("images/cover.png", "image/png")
    from PIL import Image

    with Image.open(io.BytesIO(entries(book)["EPUB/images/cover.png"])) as cover:
        assert cover.format == "PNG" and cover.height == 1600
        assert abs(cover.width / cover.height - 148 / 210) < 0.01  # the A5 page
    img = xml(book, "cover.xhtml").find(".//x:img", NS)
    assert img.get("src") == "images/cover.png" and img.get("role") == "doc-cover"
    assert words(img.get("alt")) == words(page_texts(pdfs["seed"])[0])


def test_colophon_says_what_the_pdf_colophon_says(books, pdfs):
    for name in ("seed", "kk"):
        colophon = " ".join(xml(books[name], "colophon.xhtml").find(".//x:section", NS).itertext())
        pdf_page = page_texts(pdfs[name])[1]
        assert words(pdf_page) == words(colophon)[:len(words(pdf_page))]
    kazakh = " ".join(xml(books["kk"], "colophon.xhtml").itertext())
    assert "Аударған Әсел Аудармашы" in kazakh and "Тілі: қазақ тілі" in kazakh


def test_title_page_shows_title_subtitle_authors_and_imprint(books):
    page = xml(books["every-block"], "title-page.xhtml").find(".//x:section[@epub:type='titlepage']", NS)
    assert [" ".join(p.itertext()).strip() for p in page.iter(f"{{{NS['x']}}}h1", f"{{{NS['x']}}}p")] == [
        "Every Block: a Test Pamphlet", "Headings, lists, quotes, tables, notes and code", "Ada Example, Bob Sample",
        "kzpress", "2024-03-01"]


# --- Metadata ------------------------------------------------------------------------------------


def dc(book: bytes, name: str) -> list[str]:
    return [element.text for element in package(book).findall(f"opf:metadata/dc:{name}", NS)]


def test_package_metadata(books, documents):
    book = books["every-block"]
    metadata = package(book).find("opf:metadata", NS)
    assert dc(book, "title") == ["Every Block: a Test Pamphlet", "Headings, lists, quotes, tables, notes and code"]
    assert metadata.find("opf:meta[@refines='#subtitle']", NS).text == "subtitle"
    assert dc(book, "creator") == ["Ada Example", "Bob Sample"]
    assert [m.text for m in metadata.findall("opf:meta[@property='role']", NS)] == ["aut", "aut"]
    assert (dc(book, "language"), dc(book, "publisher"), dc(book, "date")) == (["en-GB"], ["kzpress"], ["2024-03-01"])
    assert dc(book, "rights") == ["© 2024 the authors. Licensed CC BY-SA 4.0."]
    assert dc(book, "identifier") == [epub.stable_identifier("every-block", "en-GB")]
    assert properties(book, "dcterms:modified") == [MODIFIED]


def test_a_translator_is_a_contributor_with_the_translator_role(books):
    book = books["ru"]
    assert dc(book, "contributor") == ["Анна Переводчик"]
    role = package(book).find("opf:metadata/opf:meta[@refines='#translator-1']", NS)
    assert (role.get("property"), role.get("scheme"), role.text) == ("role", "marc:relators", "trl")


def test_modified_is_the_date_given_never_the_clock(books):
    assert properties(books["seed"], "dcterms:modified") == ["2022-01-01T00:00:00Z"]  # the seed's `date: 2022`


def test_stable_identifier_depends_on_slug_and_language_only():
    first = epub.stable_identifier(SEED, "ru")
    assert first == epub.stable_identifier(SEED, "ru")
    assert first.startswith("urn:uuid:") and first != epub.stable_identifier(SEED, "kk")


def test_a_translation_names_its_source_edition_and_its_siblings():
    document = document_of("Текст.", lang="ru")
    book = epub.write(document, options("t", document, source_edition="urn:uuid:source",
                                        related_editions=("urn:uuid:sibling",)))
    assert (dc(book, "source"), dc(book, "relation")) == (["urn:uuid:source"], ["urn:uuid:sibling"])


def test_the_build_links_a_translation_to_its_source_and_renders_the_pdf_once(tmp_path, monkeypatch):
    from kzpress.build import Project, editions, load, outputs
    from kzpress.seeds import find_seeds

    for path in [DOCUMENTS / "translation-short.md", *sorted((ROOT / "tests" / "translations").glob("translation-short.*.xlf"))]:
        shutil.copy(path, tmp_path)
    seed = find_seeds(tmp_path)["translation-short"]
    russian = editions(seed, load(seed, notice=lambda message: None), ["ru"])[0]
    renders = []
    real_write = pdf.write
    monkeypatch.setattr(pdf, "write", lambda *args, **kwargs: renders.append(1) or real_write(*args, **kwargs))
    built = outputs(russian, ["pdf", "epub"], Project(seeds_dir=tmp_path, out_dir=tmp_path / "out"))
    book = built[Path("translation-short", "ru", "translation-short.epub")]
    assert len(renders) == 1
    assert dc(book, "identifier") == [epub.stable_identifier("translation-short", "ru")]
    assert dc(book, "source") == [epub.stable_identifier("translation-short", "en-GB"), "translation-short.pdf"]
    assert dc(book, "relation") == [epub.stable_identifier("translation-short", "kk")]


def test_a_document_without_language_is_refused():
    document = Document(meta={}, blocks=[]).with_meta(title="T")
    with pytest.raises(InputError, match="lang"):
        epub.write(document, options("t", document))


# --- Accessibility -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BOOKS)
def test_every_xhtml_page_carries_the_book_language(books, documents, name):
    lang = {"seed": "en-GB", "every-block": "en-GB", "ru": "ru", "kk": "kk", "contents": "en-GB"}[name]
    pages = [file for file in entries(books[name]) if file.endswith(".xhtml")]
    for file in pages:
        root = etree.fromstring(entries(books[name])[file])
        assert (root.get("lang"), root.get(XML_LANG)) == (lang, lang), file


def test_accessibility_metadata_is_true_of_the_book(books):
    book = books["every-block"]
    assert properties(book, "schema:accessMode") == ["textual", "visual"]  # the cover and the chart
    assert properties(book, "schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert properties(book, "schema:accessibilityFeature") == [
        "ARIA", "alternativeText", "displayTransformability", "pageNavigation", "readingOrder",
        "structuralNavigation", "tableOfContents"]
    assert properties(book, "schema:accessibilityHazard") == ["none"]
    assert properties(book, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    summary = package(books["ru"]).find("opf:metadata/opf:meta[@property='schema:accessibilitySummary']", NS)
    assert summary.get(XML_LANG) == "ru" and "Список страниц" in summary.text


def test_a_book_without_images_headings_or_page_list_claims_none_of_them():
    document = document_of("Just a paragraph of text.")
    book = epub.write(document, options("t", document))
    assert properties(book, "schema:accessMode") == ["textual"]
    features = properties(book, "schema:accessibilityFeature")
    assert not {"alternativeText", "pageNavigation", "structuralNavigation"} & set(features)
    assert "page-list" not in entries(book)["EPUB/nav.xhtml"].decode()


def test_colours_below_aa_contrast_withdraw_the_conformance_claim():
    settings = replace(load_settings(ROOT / "layout"), accent_colour="#aaaaaa")
    document = document_of("Text with a [link](https://example.org).")
    book = epub.write(document, options("t", document, settings=settings))
    assert properties(book, "dcterms:conformsTo") == []
    assert "does not claim WCAG conformance" in properties(book, "schema:accessibilitySummary")[0]
    assert accessibility.contrast("#000000") == pytest.approx(21.0)
    assert accessibility.contrast("#8b1a1a") > accessibility.AA_CONTRAST > accessibility.contrast("#aaaaaa")


def test_footnotes_are_epub_notes_in_their_chapter_with_links_back(books):
    for file_name in ("chapter-01.xhtml", "chapter-02.xhtml"):
        page = xml(books["every-block"], file_name)
        references = page.findall(".//x:a[@epub:type='noteref']", NS)
        assert references, file_name
        for reference in references:
            note = page.find(f".//x:aside[@id='{reference.get('href')[1:]}']", NS)
            assert note.get(EPUB_TYPE) == "footnote" and note.get("role") == "doc-footnote"
            back = note.find(".//x:a[@role='doc-backlink']", NS)
            assert back.get("href") == f"#{reference.get('id')}" and back.text == "".join(reference.itertext())


def test_links_moved_by_the_split_point_at_their_new_file(books):
    closing = xml(books["every-block"], "chapter-02.xhtml")
    assert closing.find(".//x:a[.='first part']", NS).get("href") == "chapter-01.xhtml#first-part"


def test_table_header_cells_say_what_they_head(books):
    cells = xml(books["every-block"], "chapter-02.xhtml").findall(".//x:table//x:th", NS)
    assert [cell.get("scope") for cell in cells] == ["col", "col", "col"]


def test_a_passage_in_another_language_is_marked_for_xhtml_readers(books):
    span = xml(books["every-block"], "chapter-02.xhtml").find(".//x:span[@lang='ru']", NS)
    assert span.get(XML_LANG) == "ru" and span.text == "забастовка"


# --- Images --------------------------------------------------------------------------------------


def test_images_are_copied_in_once_with_their_alt_text(books):
    book = books["every-block"]
    images = xml(book, "chapter-02.xhtml").findall(".//x:img", NS)
    assert {img.get("src") for img in images} == {"images/image-01.png"}
    assert all(img.get("alt") for img in images)
    assert entries(book)["EPUB/images/image-01.png"] == (DOCUMENTS / "epub-every-block-chart.png").read_bytes()


@pytest.mark.parametrize("source", ["../pyproject.toml", "/etc/passwd", "https://example.org/a.png", "file:///etc/hosts",
                                    "missing.png", "epub-ru.md"])
def test_images_from_outside_the_seed_folder_or_not_images_are_refused(source):
    document = document_of(f"![A picture]({source})")
    with pytest.raises(InputError, match=re.escape(source[:20])):
        epub.write(document, options("t", document))


def test_an_image_without_alt_text_is_refused():
    document = document_of("![](epub-every-block-chart.png)")
    with pytest.raises(InputError, match="text alternative"):
        epub.write(document, options("t", document))


def test_an_image_in_a_data_url_is_embedded_by_its_content_type():
    import base64

    png = base64.b64encode((DOCUMENTS / "epub-every-block-chart.png").read_bytes()).decode()
    document = document_of(f"![A chart](data:image/jpeg;base64,{png})")  # the URL's claim is wrong
    book = epub.write(document, options("t", document))
    item = package(book).find("opf:manifest/opf:item[@href='images/image-01.png']", NS)
    assert item.get("media-type") == "image/png"


# --- Fonts and stylesheet ------------------------------------------------------------------------


def embedded_fonts(book: bytes) -> dict[str, TTFont]:
    return {name: TTFont(io.BytesIO(data)) for name, data in entries(book).items() if name.endswith(".ttf")}


def test_fonts_are_subset_to_the_text_and_keep_every_glyph_it_uses(books):
    book = books["kk"]
    pages = [name.removeprefix("EPUB/") for name in entries(book) if name.endswith(".xhtml")]
    text = "".join("".join(xml(book, page).find("x:body", NS).itertext()) for page in pages)
    original = TTFont(ROOT / "fonts" / "PTSerif-Regular.ttf").getBestCmap()
    subset = embedded_fonts(book)["EPUB/fonts/kzpress-body-400.ttf"]
    kept = subset.getBestCmap()
    assert {ord(ch) for ch in text if ord(ch) in original} <= set(kept)
    assert {ord(ch) for ch in "ӘҒҚҢӨҰҮҺІәғқңөұүһі" if ch in text} <= set(kept)
    assert len(kept) < len(original) / 3


def test_subset_fonts_are_renamed_as_the_paratype_licence_requires(books):
    fonts = embedded_fonts(books["seed"])
    assert len(fonts) == 7  # PT Serif ×4, PT Sans ×2, PT Mono
    for font in fonts.values():
        naming = [record.toUnicode() for record in font["name"].names if record.nameID in (1, 3, 4, 6, 16, 17, 18, 21, 22)]
        assert naming and not any(re.search(r"PT ?(Serif|Sans|Mono)|ParaType", name) for name in naming), naming
        assert font["name"].getDebugName(1) in {"kzpress Body", "kzpress Heading", "kzpress Code"}
        assert font["name"].getDebugName(0).startswith("Copyright")  # the copyright notice stays


def test_the_font_licence_travels_word_for_word(books):
    licence = xml(books["seed"], "fonts-licence.xhtml").find(".//x:pre", NS)
    assert licence.text == (ROOT / "fonts" / "LICENSE-ParaType.txt").read_text("utf-8").strip("\n")
    assert licence.get("lang") == "en"
    assert xml(books["seed"], "colophon.xhtml").find(".//x:a[@href='fonts-licence.xhtml']", NS) is not None


def test_stylesheet_names_the_subsets_and_takes_colours_from_the_settings(books):
    book = books["every-block"]
    css = entries(book)["EPUB/styles/epub.css"].decode()
    fonts = {href for href in re.findall(r'url\("\.\./(fonts/[^"]+)"\)', css)}
    assert fonts == {name.removeprefix("EPUB/") for name in embedded_fonts(book)}
    settings = load_settings(ROOT / "layout")
    assert 'body {\n  font-family: "kzpress Body", serif;' in css
    assert f"color: {settings.accent_colour};" in css and f"color: {settings.text_colour};" in css


def test_text_is_justified_only_in_languages_reading_systems_hyphenate(books):
    assert "text-align: justify;" in entries(books["ru"])["EPUB/styles/epub.css"].decode()
    assert "text-align: justify;" not in entries(books["kk"])["EPUB/styles/epub.css"].decode()


def test_design_settings_choose_the_typefaces_and_so_the_embedded_fonts():
    settings = replace(load_settings(ROOT / "layout"), body_font="PT Sans")
    document = document_of("Text.")
    book = epub.write(document, options("t", document, settings=settings))
    fonts = embedded_fonts(book)
    assert {font["name"].getDebugName(1) for font in fonts.values()} == {"kzpress Body", "kzpress Code"}
    assert len(fonts) == 3  # PT Sans ×2 serve body and headings, PT Mono the code
    assert 'font-family: "kzpress Body", sans-serif;' in entries(book)["EPUB/styles/epub.css"].decode()


def test_a_typeface_without_a_font_file_is_refused():
    settings = replace(load_settings(ROOT / "layout"), code_font="Courier Nowhere")
    document = document_of("Text.")
    with pytest.raises(InputError, match="code_font 'Courier Nowhere'"):
        epub.write(document, options("t", document, settings=settings))


# --- Reproducible archive ------------------------------------------------------------------------


def test_two_builds_are_byte_identical(books, documents, pdfs):
    again = epub.write(documents["every-block"], options("every-block", documents["every-block"], reading_pdf=pdfs["every-block"]))
    assert again == books["every-block"]


def test_zip_carries_no_clock_time(books):
    with zipfile.ZipFile(io.BytesIO(books["every-block"])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_mimetype_is_the_first_entry_stored_uncompressed(books):
    book = books["every-block"]
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    # OCF: the bytes at offset 30 are the name then the content, with no extra field in between.
    assert book[30:58] == b"mimetypeapplication/epub+zip"
