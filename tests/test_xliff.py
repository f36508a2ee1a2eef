"""The XLIFF 1.2 export: valid against the strict schema, pleasant to translate, and complete enough
that the skeleton plus the targets rebuild the exact AST. Also the safe XML parser and the validator."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from kzpress import xmlsafe
from kzpress.backends.markdown import read
from kzpress.backends.xliff import XliffOptions, write
from kzpress.document import Document
from kzpress.errors import InputError, KzpressError
from kzpress.schemas import validate_xliff
from kzpress.translation import reading
from kzpress.translation.imports import check
from kzpress.translation.merge import fill
from kzpress.translation.units import units

DOCUMENTS = Path(__file__).parent / "documents"
SCHEMAS = Path(__file__).resolve().parents[1].parent / "shared" / "schemas" / "xliff"
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
FRONT = "---\nlang: en-GB\n---\n\n"


@pytest.fixture(scope="module")
def schema_dir() -> Path:
    if not (SCHEMAS / "1.2" / "xliff-core-1.2-strict.xsd").is_file():
        pytest.skip(f"{SCHEMAS} is absent: the OASIS XLIFF schemas live in the shared folder beside the project")
    return SCHEMAS


def document(name: str) -> Document:
    path = DOCUMENTS / name
    return read(path.read_text(encoding="utf-8"), source=path.name)


@pytest.fixture(scope="module")
def seed_like() -> Document:
    return document("xliff-seed-like.md")


@pytest.fixture(scope="module")
def every_inline() -> Document:
    return document("xliff-every-inline.md")


def export(doc: Document, target: str = "ru") -> bytes:
    return write(doc, XliffOptions(target=target, original="test.md"))


def trans_units(data: bytes) -> list[etree._Element]:
    return xmlsafe.parse(data, source="test.xlf").findall(".//x:trans-unit", NS)


def inner_xml(element: etree._Element) -> str:
    """An element's content as markup, without its own tag and namespace declarations."""
    text = etree.tostring(element, encoding="unicode", with_tail=False)
    text = re.sub(r' xmlns="[^"]*"', "", text)
    return text[text.index(">") + 1 : text.rindex("</")]


def only_source(markdown: str) -> str:
    (unit,) = trans_units(export(read(FRONT + markdown, source="case.md")))
    return inner_xml(unit.find("x:source", NS))


# --- validity -------------------------------------------------------------------------------------


def test_seed_like_export_is_valid_against_the_strict_schema(seed_like, schema_dir):
    assert validate_xliff(export(seed_like), schema_dir) == []


def test_export_with_every_inline_and_block_is_valid_against_the_strict_schema(every_inline, schema_dir):
    assert validate_xliff(export(every_inline, target="kk"), schema_dir) == []


def test_validator_reports_a_broken_file_with_its_line(seed_like, schema_dir):
    broken = export(seed_like).replace(b' datatype="x-kzpress-markdown"', b"", 1)
    errors = validate_xliff(broken, schema_dir)
    assert len(errors) == 1 and errors[0].startswith("line 3:") and "datatype" in errors[0]


def test_validator_checks_xml_attributes_with_the_local_copy_of_xml_xsd(seed_like, schema_dir):
    broken = export(seed_like).replace(b"<trans-unit ", b'<trans-unit xml:space="sometimes" ', 1)
    errors = validate_xliff(broken, schema_dir)
    assert errors and "space" in errors[0]


def test_validator_tells_the_version_from_the_namespace(schema_dir):
    later = b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en"/>'
    (error,) = validate_xliff(later, schema_dir)
    assert "Missing child element" in error and "file" in error  # checked against the 2.x core schema
    future = b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="3.0" srcLang="en"/>'
    assert validate_xliff(future, schema_dir) == ["XLIFF 3.0 cannot be validated yet: kzpress knows the schemas of 1.2, 2.0, 2.1"]
    assert "not XLIFF" in validate_xliff(b"<html/>", schema_dir)[0]


def test_validator_returns_a_dtd_as_an_error_instead_of_reading_it(schema_dir):
    errors = validate_xliff(b'<!DOCTYPE xliff SYSTEM "http://example.org/xliff.dtd"><xliff/>', schema_dir)
    assert len(errors) == 1 and "DOCTYPE" in errors[0]


def test_a_missing_schema_folder_is_a_setup_error(tmp_path, seed_like):
    with pytest.raises(KzpressError, match="schema not found"):
        validate_xliff(export(seed_like), tmp_path)


def test_a_schema_importing_something_without_a_local_copy_is_a_setup_error(tmp_path):
    from kzpress.schemas import load_schema

    schema = tmp_path / "other.xsd"
    schema.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:import namespace="urn:x-elsewhere" schemaLocation="http://example.org/elsewhere.xsd"/></xs:schema>'
    )
    with pytest.raises(KzpressError, match="cannot load the schema"):
        load_schema(schema)


# --- units ----------------------------------------------------------------------------------------


def test_one_unit_per_paragraph_and_heading_plus_title_subtitle_and_rights(seed_like):
    body = (DOCUMENTS / "xliff-seed-like.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    blocks = [line for line in body.splitlines() if line.strip()]
    ids = [unit.get("id") for unit in trans_units(export(seed_like))]
    assert ids[:3] == ["title", "subtitle", "rights"]
    assert len(ids) == len(blocks) + 3
    assert len(set(ids)) == len(ids)


def test_every_translatable_block_is_a_unit_and_nothing_else(every_inline):
    roles = [unit.role for unit in units(every_inline)]
    assert roles == [
        "title", "subtitle",
        "paragraph", "heading", "paragraph", "paragraph", "footnote", "footnote", "footnote", "paragraph",
        "image", "figure-caption", "heading",
        "list-item", "list-item", "list-item", "list-item", "list-item", "list-item",
        "term", "definition", "quotation", "quotation",
        "table-caption", "table-heading", "table-heading", "table-cell", "table-cell",  # years have no words
        "paragraph", "line", "line",
    ]  # fmt: skip


def test_code_blocks_and_raw_blocks_are_not_translated():
    doc = read(FRONT + "Words.\n\n```\nprint('hello')\n```\n\n```{=html}\n<hr class='fancy'>\n```\n", source="code.md")
    sources = ["".join(unit.find("x:source", NS).itertext()) for unit in trans_units(export(doc))]
    assert sources == ["Words."]


def test_ids_survive_an_edit_to_another_paragraph():
    text = (DOCUMENTS / "xliff-seed-like.md").read_text(encoding="utf-8")
    edited = text.replace("He has nominated Alikhan Smailov", "He has appointed Alikhan Smailov", 1)
    assert edited != text
    before = [unit.id for unit in units(read(text, source="before.md"))]
    after = [unit.id for unit in units(read(edited, source="after.md"))]
    changed = [index for index, (old, new) in enumerate(zip(before, after)) if old != new]
    assert len(before) == len(after) and len(changed) == 1


def test_ids_survive_a_paragraph_inserted_before_them(seed_like):
    text = (DOCUMENTS / "xliff-seed-like.md").read_text(encoding="utf-8")
    inserted = text.replace("\n---\n\n", "\n---\n\nAn editors’ introduction.\n\n", 1)
    before = [unit.id for unit in units(seed_like)]
    after = [unit.id for unit in units(read(inserted, source="inserted.md"))]
    assert [unit_id for unit_id in after if unit_id in before] == before and len(after) == len(before) + 1


def test_repeated_paragraphs_get_distinct_ids():
    ids = [unit.id for unit in units(read(FRONT + "Again.\n\nAgain.\n\nAgain.\n", source="repeat.md"))]
    assert len(set(ids)) == 3 and ids[1] == f"{ids[0]}-2"


def test_a_unit_with_only_digits_is_left_out():
    assert [unit.role for unit in units(read(FRONT + "2022\n\nIn 2022.\n", source="digits.md"))] == ["paragraph"]


# --- inline codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("An *emphatic* word", 'An <g id="1" ctype="italic">emphatic</g> word'),
        ("A **strong** word", 'A <g id="1" ctype="bold">strong</g> word'),
        ("An [underlined]{.underline} word", 'An <g id="1" ctype="underlined">underlined</g> word'),
        ("A ~~struck~~ word", 'A <g id="1" ctype="x-strikeout">struck</g> word'),
        ("A [small]{.smallcaps} word", 'A <g id="1" ctype="x-smallcaps">small</g> word'),
        ("Water is H~2~O", 'Water is H<g id="1" ctype="x-subscript">2</g>O'),
        ("The 1^st^ day", 'The 1<g id="1" ctype="x-superscript">st</g> day'),
        ("A [marked]{.term} word", 'A <g id="1" ctype="x-span">marked</g> word'),
        ("A [linked](https://example.org/a) word", 'A <g id="1" ctype="link">linked</g> word'),
        ("Run `make all` now", 'Run <x id="1" ctype="x-code" equiv-text="make all"/> now'),
        ("So $x^2$ holds", 'So <x id="1" ctype="x-math" equiv-text="x^2"/> holds'),
        ("A line\\\nbreak", 'A line<x id="1" ctype="lb"/>break'),
        ("Raw <br/> html", 'Raw <x id="1" ctype="x-raw" equiv-text="&lt;br/&gt;"/> html'),
        ("See <https://example.org/b> now", 'See <x id="1" ctype="x-autolink"/> now'),
        ("An ![icon](star.png) inline", 'An <g id="1" ctype="x-image">icon</g> inline'),
        ("**Very *nested* words**", '<g id="1" ctype="bold">Very <g id="2" ctype="italic">nested</g> words</g>'),
    ],
)
def test_inline_formatting_becomes_inline_codes(markdown, expected):
    assert only_source(markdown) == expected


def test_quoted_text_is_a_code_and_its_marks_come_from_the_target_typography():
    doc = read(FRONT + 'He said "go" twice', source="quotes.md").walk(
        lambda el: {"t": "Quoted", "c": [{"t": "DoubleQuote"}, [{"t": "Str", "c": "go"}]]} if el.get("c") == '"go"' else None
    )
    (unit,) = trans_units(export(doc))
    assert inner_xml(unit.find("x:source", NS)) == 'He said <g id="1" ctype="x-quoted">go</g> twice'


def test_a_footnote_mark_points_at_the_footnote_unit_that_follows_its_paragraph():
    found = trans_units(export(read(FRONT + "A claim.[^1] More.\n\n[^1]: The source.\n", source="note.md")))
    paragraph, footnote = found
    mark = paragraph.find("x:source/x:x", NS)
    assert (mark.get("ctype"), mark.get("xid"), mark.get("equiv-text")) == ("x-footnote", footnote.get("id"), "1")
    assert "".join(footnote.find("x:source", NS).itertext()) == "The source."
    assert footnote.findtext("x:note", namespaces=NS) == "Footnote 1 before the first heading."


def test_source_text_has_no_markdown_syntax_and_no_urls(every_inline):
    for unit in trans_units(export(every_inline)):
        source = unit.find("x:source", NS)
        text = "".join(source.itertext())
        assert not re.search(r"[*_\[\]]|\]\(|https?:|example\.org|\.png", text), (unit.get("id"), text)
        for code in source.iter("{*}g", "{*}x"):
            assert not any("example.org" in value or ".png" in value for value in code.attrib.values())


# --- the file as a translator and their tool see it -----------------------------------------------


def test_file_names_languages_datatype_and_tool(seed_like):
    root = xmlsafe.parse(write(seed_like, XliffOptions(target="kk", original="kazakhstan-2022.md")), source="t.xlf")
    file = root.find("x:file", NS)
    assert dict(file.attrib) == {
        "original": "kazakhstan-2022.md",
        "source-language": "en-GB",
        "target-language": "kk",
        "datatype": "x-kzpress-markdown",
        "tool-id": "kzpress",
    }
    assert file.find("x:header/x:tool", NS).get("tool-name") == "kzpress"


def test_targets_are_copies_of_their_sources_waiting_for_translation(every_inline):
    for unit in trans_units(export(every_inline, target="kk")):
        source, target = unit.find("x:source", NS), unit.find("x:target", NS)
        assert inner_xml(target) == inner_xml(unit.find("x:seg-source", NS))  # cut into the same sentences
        assert "".join(target.itertext()) == "".join(source.itertext())
        assert target.get("state") == "needs-translation"
        assert target.get("{http://www.w3.org/XML/1998/namespace}lang") == "kk"
        assert source.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"


def test_notes_name_what_the_text_is_and_the_section_it_is_in(seed_like):
    notes = {unit.findtext("x:note", namespaces=NS) for unit in trans_units(export(seed_like))}
    assert {
        "Title of the publication.",
        "Paragraph before the first heading.",
        "Section heading (level 1).",
        "Paragraph in ‘Escalation’.",
    } <= notes


def exported_notes(markdown: str, version: str) -> list[tuple[str, str]]:
    """(source text, note) of every unit, read back from the exported XLIFF `version`."""
    doc = read("---\ntitle: A title\nlang: en-GB\n---\n\n" + markdown, source="levels.md")
    options = XliffOptions(target="ru", original="levels.md", version=version, segmented=False)
    root = xmlsafe.parse(write(doc, options), source="levels.xlf")
    if version == "1.2":
        return [("".join(unit.find("x:source", NS).itertext()), unit.findtext("x:note", namespaces=NS))
                for unit in root.iterfind(".//x:trans-unit", NS)]
    return [("".join(unit.find("x:segment/x:source", NS2).itertext()), unit.findtext("x:notes/x:note", namespaces=NS2))
            for unit in root.iterfind(".//x:unit", NS2)]


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_sections_starting_at_level_2_are_siblings_in_the_notes(version):
    markdown = "## Built\n\nOne.\n\n## Demands\n\nTwo.\n\n## Won\n\nThree.\n"
    assert exported_notes(markdown, version) == [
        ("A title", "Title of the publication."),
        ("Built", "Section heading (level 2)."),
        ("One.", "Paragraph in ‘Built’."),
        ("Demands", "Section heading (level 2)."),
        ("Two.", "Paragraph in ‘Demands’."),
        ("Won", "Section heading (level 2)."),
        ("Three.", "Paragraph in ‘Won’."),
    ]


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_a_heading_closes_every_open_section_of_its_level_or_deeper_across_skipped_levels(version):
    markdown = "## Demands\n\n#### Detail\n\nOne.\n\n## Won\n\nTwo.\n\n# Part\n\n### Deep\n\n## Lessons\n\nThree.\n"
    assert exported_notes(markdown, version)[1:] == [
        ("Demands", "Section heading (level 2)."),
        ("Detail", "Section heading (level 4) in ‘Demands’."),
        ("One.", "Paragraph in ‘Demands › Detail’."),
        ("Won", "Section heading (level 2)."),
        ("Two.", "Paragraph in ‘Won’."),
        ("Part", "Section heading (level 1)."),
        ("Deep", "Section heading (level 3) in ‘Part’."),
        ("Lessons", "Section heading (level 2) in ‘Part’."),
        ("Three.", "Paragraph in ‘Part › Lessons’."),
    ]


def test_a_footnote_of_several_paragraphs_numbers_them_in_its_notes(every_inline):
    notes = [unit.note for unit in units(every_inline) if unit.role == "footnote"]
    assert notes == ["Footnote 1 in ‘Formatting’.", "Footnote 2 in ‘Formatting’.", "Footnote 2, paragraph 2 in ‘Formatting’."]


def test_white_space_is_preserved_only_where_a_tool_could_lose_it():
    data = export(read(FRONT + "One line\nand the next.\n\nAn ordinary paragraph.\n", source="space.md"))
    soft, ordinary = trans_units(data)
    assert soft.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert ordinary.get("{http://www.w3.org/XML/1998/namespace}space") is None
    assert soft.find("x:source", NS).text == "One line\nand the next."


def test_the_structure_is_indented_but_no_source_gains_white_space(every_inline):
    data = export(every_inline)
    assert b"\n      <trans-unit " in data
    assert not re.search(rb"<source[^>]*>\s", data)


# --- the skeleton: everything an importer needs ---------------------------------------------------


def rebuild(data: bytes) -> dict:
    """The importer's view: the skeleton filled with the runs read back from every target."""
    checked = check(reading.read(data, source="rebuild.xlf"))
    targets = {unit_id: unit.target for unit_id, unit in checked.translation.units.items()}
    root = xmlsafe.parse(data, source="rebuild.xlf")
    skeleton = json.loads(root.findtext(".//x:header/x:skl/x:internal-file", namespaces=NS))
    return fill(skeleton, targets)


@pytest.mark.parametrize("segmented", [True, False], ids=["segmented", "whole-units"])
def test_skeleton_and_targets_rebuild_the_exact_document(every_inline, seed_like, segmented):
    for doc in (every_inline, seed_like):
        assert rebuild(write(doc, XliffOptions(target="ru", segmented=segmented))) == doc.to_json()


def test_a_plain_string_title_comes_back_as_a_string(seed_like):
    doc = seed_like.with_meta(title="A Plain Title")
    assert rebuild(export(doc))["meta"]["title"] == {"t": "MetaString", "c": "A Plain Title"}


def test_the_skeleton_holds_no_translatable_words(every_inline):
    root = xmlsafe.parse(export(every_inline), source="skl.xlf")
    skeleton = root.findtext(".//x:header/x:skl/x:internal-file", namespaces=NS)
    assert "emphasis" not in skeleton and "opening" not in skeleton
    assert "https://example.org/kzpress" in skeleton and "icons/star.png" in skeleton


# --- languages ------------------------------------------------------------------------------------


def test_a_document_without_lang_cannot_be_exported():
    with pytest.raises(InputError, match="no lang"):
        export(read("Words.\n", source="nolang.md"))


@pytest.mark.parametrize(("target", "message"), [("en-GB", "own language"), ("xx", "unknown language"), ("r u", "not a language tag")])
def test_a_target_must_be_another_known_language(seed_like, target, message):
    with pytest.raises(InputError, match=message):
        export(seed_like, target=target)


# --- the safe parser ------------------------------------------------------------------------------

LAUGHS = b"".join(
    [b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">']
    + [f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">'.encode() for i in range(1, 10)]
    + [b"]>\n<lolz>&lol9;</lolz>"]
)


@pytest.mark.parametrize(
    "data",
    [
        LAUGHS,
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]><r>&secret;</r>',
        b'<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN" "http://www.oasis-open.org/xliff.dtd"><xliff/>',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r><r/>'.encode("utf-16"),
    ],
    ids=["billion-laughs", "external-entity", "external-dtd", "utf-16"],
)
def test_safe_parser_refuses_any_dtd(data):
    with pytest.raises(InputError, match=r"bad\.xlf: the file declares a DTD"):
        xmlsafe.parse(data, source="bad.xlf")


def test_safe_parser_reports_malformed_xml_as_the_users_error():
    with pytest.raises(InputError, match=r"broken\.xlf: not well-formed XML"):
        xmlsafe.parse(b"<xliff><file></xliff>", source="broken.xlf")


def test_safe_parser_reads_ordinary_xml_with_character_references():
    assert xmlsafe.parse(b"<r>caf&#233; &amp; bar</r>", source="ok.xml").text == "café & bar"



# --- sentences ------------------------------------------------------------------------------------


def test_a_paragraph_is_cut_into_sentences_in_seg_source_and_target_alike():
    doc = read(FRONT + "The strike began. It spread to *every town*. Then it ended.\n", source="sentences.md")
    (unit,) = trans_units(export(doc))
    marks = unit.findall("x:seg-source/x:mrk", NS)
    assert [(mark.get("mtype"), mark.get("mid"), "".join(mark.itertext())) for mark in marks] == [
        ("seg", "1", "The strike began."), ("seg", "2", "It spread to every town."), ("seg", "3", "Then it ended.")]
    assert inner_xml(unit.find("x:target", NS)) == inner_xml(unit.find("x:seg-source", NS))
    assert unit.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"  # the spaces between sentences


def test_without_segmentation_there_is_no_seg_source():
    doc = read(FRONT + "One sentence. Another.\n", source="whole.md")
    (unit,) = trans_units(write(doc, XliffOptions(target="ru", segmented=False)))
    assert unit.find("x:seg-source", NS) is None and unit.find("x:target", NS).text == "One sentence. Another."


# --- XLIFF 2.1 ------------------------------------------------------------------------------------

NS2 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}


def export_2(doc: Document, target: str = "ru") -> bytes:
    return write(doc, XliffOptions(target=target, original="test.md", version="2.1"))


@pytest.mark.parametrize("name", ["xliff-seed-like.md", "xliff-every-inline.md", "translation-every-kind.md"])
def test_xliff_2_1_export_is_valid_against_the_2_1_schemas(name, shared):
    assert validate_xliff(export_2(document(name)), shared / "schemas" / "xliff") == []


def test_xliff_2_1_names_languages_version_and_file(every_inline):
    root = xmlsafe.parse(export_2(every_inline, "kk"), source="t.xlf")
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "en-GB", "kk")
    assert root.find("x:file", NS2).get("original") == "test.md"
    assert json.loads(root.findtext("x:file/x:skeleton", namespaces=NS2))["kzpress-skeleton"] == 1


def test_xliff_2_1_codes_are_pc_and_ph_that_may_be_neither_deleted_nor_copied():
    doc = read(FRONT + "Run `make all` with **care**.[^1]\n\n[^1]: A note.\n", source="codes.md")
    root = xmlsafe.parse(export_2(doc), source="codes.xlf")
    paragraph, footnote = root.iterfind(".//x:unit", NS2)
    source = paragraph.find("x:segment/x:source", NS2)
    code, bold, mark = source
    assert (etree.QName(code).localname, code.get("type"), code.get("subType"), code.get("dataRef")) == ("ph", "other", "kzpress:code", "d1")
    assert paragraph.findtext("x:originalData/x:data[@id='d1']", namespaces=NS2) == "make all"
    assert (etree.QName(bold).localname, bold.get("type"), bold.get("subType"), bold.text) == ("pc", "fmt", "xlf:b", "care")
    assert mark.get("subFlows") == footnote.get("id") and mark.get("disp") == "1"
    assert {(c.get("canDelete"), c.get("canCopy")) for c in (code, bold, mark)} == {("no", "no")}


def test_xliff_2_1_sentences_are_segments_with_the_spaces_between_them_ignorable():
    doc = read(FRONT + "The strike began. It spread.\n", source="sentences.md")
    (unit,) = xmlsafe.parse(export_2(doc), source="s.xlf").iterfind(".//x:unit", NS2)
    parts = [(etree.QName(part).localname, part.get("id"), part.findtext("x:source", namespaces=NS2)) for part in unit
             if etree.QName(part).localname in ("segment", "ignorable")]
    assert parts == [("segment", "s1", "The strike began."), ("ignorable", None, " "), ("segment", "s2", "It spread.")]
    assert {segment.get("state") for segment in unit.iterfind("x:segment", NS2)} == {"initial"}


# --- a translator's tool reads what kzpress writes ------------------------------------------------


def test_translate_toolkit_reads_the_1_2_export_unit_for_unit(every_inline):
    xliff = pytest.importorskip("translate.storage.xliff")
    read_back = xliff.xlifffile.parsestring(export(every_inline))
    found = units(every_inline)
    assert [unit.getid().split("\x04")[-1] for unit in read_back.units] == [unit.id for unit in found]
    assert read_back.gettargetlanguage() == "ru"
    assert read_back.units[2].source.startswith("An opening paragraph with emphasis, strong words")


def test_translate_toolkit_reads_the_2_1_export_unit_for_unit(seed_like):
    xliff2 = pytest.importorskip("translate.storage.xliff2")
    data = export_2(seed_like)
    read_back = xliff2.Xliff2File.parsestring(data)
    # translate-toolkit lists an XLIFF 2 unit's segments, named "<unit id>::<segment id>".
    segments = xmlsafe.parse(data, source="2.1").findall(".//x:segment", NS2)
    assert len(read_back.units) == len(segments) > len(units(seed_like))
    assert list(dict.fromkeys(unit.getid().split("::")[0] for unit in read_back.units)) == [unit.id for unit in units(seed_like)]
