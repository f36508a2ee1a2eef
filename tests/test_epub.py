"""The EPUB 3 backend: EPUBCheck's verdict, navigation, language, metadata, reproducible zip."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from kzpress import epubcheck
from kzpress.backends import epub
from kzpress.backends.markdown import read
from kzpress.build import load
from kzpress.document import Document, stringify
from kzpress.errors import InputError, KzpressError
from kzpress.layout import load_settings
from kzpress.seeds import find_seeds

ROOT = Path(__file__).resolve().parents[1]
EVERY_BLOCK = ROOT / "tests" / "documents" / "epub-every-block.md"
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OPTIONS = epub.EpubOptions(
    fonts_dir=ROOT / "fonts",
    layout_dir=ROOT / "layout",
    identifier=epub.stable_identifier("epub-every-block", "en-GB"),
    modified="2024-01-01T12:00:00Z",
)


def seed_document() -> Document:
    """The seed article as the build reads it: text reader, metadata file, transforms."""
    return load(find_seeds(ROOT / "seeds")["kazakhstan-2022"]).document


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return {"seed": seed_document(), "every-block": read(EVERY_BLOCK.read_text("utf-8"), source=EVERY_BLOCK.name)}


@pytest.fixture(scope="module")
def books(documents) -> dict[str, bytes]:
    return {name: epub.write(document, OPTIONS) for name, document in documents.items()}


def entries(book: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(book: bytes, name: str):
    return etree.fromstring(entries(book)[name])


@pytest.mark.parametrize("name", ["seed", "every-block"])
def test_epubcheck_reports_no_problem(books, name):
    report = epubcheck.check(books[name])
    counts = report.counts
    assert (counts["FATAL"], counts["ERROR"], counts["WARNING"], counts["INFO"]) == (0, 0, 0, 0), report.summary()
    # Embedding fonts is the one feature EPUBCheck notes as usage; nothing else may appear.
    assert {message.id for message in report.messages} <= {"CSS-028"}, report.summary()


def headings_of(document: Document) -> list[tuple[int, str]]:
    return [(block["c"][0], stringify(block["c"][2])) for block in document.blocks if block["t"] == "Header"]


def nav_entries(items, depth: int = 1) -> list[tuple[int, str]]:
    found = []
    for item in items:
        found.append((depth, item.find("x:a", NS).text))
        found += nav_entries(item.findall("x:ol/x:li", NS), depth + 1)
    return found


@pytest.mark.parametrize("name", ["seed", "every-block"])
def test_nav_lists_exactly_the_headings_in_their_hierarchy(books, documents, name):
    nav = xml(books[name], "EPUB/nav.xhtml").find(".//x:nav[@epub:type='toc']", NS)
    assert nav_entries(nav.findall("x:ol/x:li", NS)) == headings_of(documents[name])


def test_nav_links_point_at_the_heading_ids(books):
    links = xml(books["every-block"], "EPUB/nav.xhtml").findall(".//x:nav[@epub:type='toc']//x:a", NS)
    assert [link.get("href") for link in links] == [
        "chapter-01.xhtml", "chapter-01.xhtml#lists", "chapter-01.xhtml#a-quotation",
        "chapter-02.xhtml", "chapter-02.xhtml#closing-section",
    ]


def test_every_xhtml_page_carries_the_document_language(books):
    pages = [name for name in entries(books["every-block"]) if name.endswith(".xhtml")]
    assert len(pages) == 5  # title page, opening, two chapters, nav
    for name in pages:
        root = xml(books["every-block"], name)
        assert (root.get("lang"), root.get(XML_LANG)) == ("en-GB", "en-GB"), name


def test_package_metadata(books):
    metadata = xml(books["every-block"], "EPUB/content.opf").find("opf:metadata", NS)

    def dc(name: str) -> list[str]:
        return [element.text for element in metadata.findall(f"dc:{name}", NS)]

    assert dc("title") == ["Every Block: a Test Pamphlet", "Headings, lists, quotes, tables, notes and code"]
    assert dc("creator") == ["Ada Example", "Bob Sample"]
    assert (dc("language"), dc("publisher"), dc("date")) == (["en-GB"], ["kzpress"], ["2024-03-01"])
    assert dc("rights") == ["© 2024 the authors. Licensed CC BY-SA 4.0."]
    assert dc("identifier") == [OPTIONS.identifier]
    assert metadata.find("opf:meta[@property='dcterms:modified']", NS).text == "2024-01-01T12:00:00Z"
    assert metadata.find("opf:meta[@refines='#subtitle']", NS).text == "subtitle"


def test_spine_reads_title_page_then_text_in_order(books):
    package = xml(books["every-block"], "EPUB/content.opf")
    hrefs = {item.get("id"): item.get("href") for item in package.findall("opf:manifest/opf:item", NS)}
    spine = [hrefs[ref.get("idref")] for ref in package.findall("opf:spine/opf:itemref", NS)]
    assert spine == ["title-page.xhtml", "opening.xhtml", "chapter-01.xhtml", "chapter-02.xhtml"]


def test_chapters_split_at_level_one_headings(books):
    first = xml(books["every-block"], "EPUB/chapter-01.xhtml").find("x:body/x:section", NS)
    assert first[0].tag == f"{{{NS['x']}}}h1" and first[0].text == "First part"
    assert first.find("x:h1", NS) is first[0] and len(first.findall(".//x:h1", NS)) == 1


def test_notes_stay_in_their_chapter_and_cross_chapter_links_are_rewritten(books):
    for name in ("EPUB/chapter-01.xhtml", "EPUB/chapter-02.xhtml"):
        page = xml(books["every-block"], name)
        ids = {element.get("id") for element in page.iter() if element.get("id")}
        references = page.findall(".//x:a[@epub:type='noteref']", NS)
        assert references, name
        for link in page.findall(".//x:a", NS):
            if link.get("href", "").startswith("#"):
                assert link.get("href")[1:] in ids, (name, link.get("href"))
    closing = xml(books["every-block"], "EPUB/chapter-02.xhtml")
    assert closing.find(".//x:a[.='first part']", NS).get("href") == "chapter-01.xhtml#first-part"


def test_two_builds_are_byte_identical(books, documents):
    assert epub.write(documents["every-block"], OPTIONS) == books["every-block"]


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


def test_embedded_fonts_are_exactly_those_the_stylesheet_uses(books):
    files = entries(books["every-block"])
    css = files["EPUB/styles/epub.css"].decode()
    package = xml(books["every-block"], "EPUB/content.opf")
    fonts = {item.get("href"): item.get("media-type") for item in package.findall("opf:manifest/opf:item", NS)
             if item.get("href").startswith("fonts/")}
    assert len(fonts) == 7 and set(fonts.values()) == {"font/ttf"}  # PT Serif x4, PT Sans x2, PT Mono
    assert set(fonts) == set(re.findall(r'url\("\.\./(fonts/[^"]+)"\)', css))
    assert all(f"EPUB/{href}" in files for href in fonts)


def test_design_settings_choose_the_typefaces_and_so_the_embedded_fonts():
    settings = replace(load_settings(OPTIONS.layout_dir), body_font="PT Sans")
    faces = epub.embedded_faces(settings, OPTIONS.fonts_dir)
    css = epub.stylesheet(settings, faces, OPTIONS.layout_dir)
    assert {face.path.name for face in faces} == {"PTSans-Regular.ttf", "PTSans-Bold.ttf", "PTMono-Regular.ttf"}
    assert 'body {\n  font-family: "PT Sans", serif;' in css and "PTSerif" not in css


def test_a_typeface_without_a_font_file_is_refused():
    settings = replace(load_settings(OPTIONS.layout_dir), code_font="Courier Nowhere")
    with pytest.raises(InputError, match="code_font 'Courier Nowhere'"):
        epub.embedded_faces(settings, OPTIONS.fonts_dir)


def test_headings_without_ids_get_ids_the_nav_can_reach():
    text = {"t": "Para", "c": [{"t": "Str", "c": "Text."}]}
    header = {"t": "Header", "c": [2, ["", [], []], [{"t": "Str", "c": "Untitled"}]]}
    document = Document(meta={}, blocks=[text, header]).with_meta(title="T", lang="en")
    nav = xml(epub.write(document, OPTIONS), "EPUB/nav.xhtml")
    assert nav.find(".//x:nav[@epub:type='toc']//x:a", NS).get("href") == "opening.xhtml#heading-1"


def test_a_document_without_language_is_refused():
    document = Document(meta={}, blocks=[]).with_meta(title="T")
    with pytest.raises(InputError, match="lang"):
        epub.write(document, OPTIONS)


def test_stable_identifier_depends_on_slug_and_language_only():
    first = epub.stable_identifier("kazakhstan-2022", "ru")
    assert first == epub.stable_identifier("kazakhstan-2022", "ru")
    assert first.startswith("urn:uuid:") and first != epub.stable_identifier("kazakhstan-2022", "kk")


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
