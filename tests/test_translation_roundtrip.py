"""Round-trip identity: export, copy every source into its target as a translator's tool would, import,
rebuild: the document comes back exactly (its language aside), in XLIFF 1.2 and 2.1, for the seed, for
documents that use every block and inline kind, and for every example of the CommonMark specification."""

from __future__ import annotations

import copy
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import etree

from kzpress.backends.markdown import read
from kzpress.backends.xliff import XliffOptions, write
from kzpress.build import load
from kzpress.cli import main
from kzpress.document import Document
from kzpress.readers.pandoc import read_markdown
from kzpress.seeds import Seed
from kzpress.translation import merge, reading
from kzpress.translation.imports import check

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = Path(__file__).parent / "documents"
NS1 = "urn:oasis:names:tc:xliff:document:1.2"
NS2 = "urn:oasis:names:tc:xliff:document:2.0"
VERSIONS = ["1.2", "2.1"]


def copied(data: bytes) -> bytes:
    """What a translator's tool returns when every source is copied into its target and confirmed."""
    root = etree.fromstring(data)
    for unit in root.iter(f"{{{NS1}}}trans-unit"):
        source = unit.find(f"{{{NS1}}}seg-source")
        source = unit.find(f"{{{NS1}}}source") if source is None else source
        _replace_content(unit.find(f"{{{NS1}}}target"), source)
        unit.find(f"{{{NS1}}}target").set("state", "translated")
    for segment in root.iter(f"{{{NS2}}}segment"):
        _replace_content(segment.find(f"{{{NS2}}}target"), segment.find(f"{{{NS2}}}source"))
        segment.set("state", "translated")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _replace_content(target: etree._Element, source: etree._Element) -> None:
    for child in list(target):
        target.remove(child)
    target.text = source.text
    for child in source:
        target.append(copy.deepcopy(child))


def round_trip(document: Document, version: str) -> Document:
    data = copied(write(document, XliffOptions(target="ru", original="doc.md", version=version)))
    translation = check(reading.read(data, source="doc.ru.xlf")).translation
    translated, untranslated = merge.translated(document, translation)
    assert untranslated == []
    return translated


def without_language(document: Document) -> dict:
    data = document.to_json()
    data["meta"] = {key: value for key, value in data["meta"].items() if key not in ("lang", "targets")}
    return data


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", ["xliff-every-inline.md", "xliff-seed-like.md", "epub-every-block.md", "translation-every-kind.md"])
def test_documents_with_every_block_and_inline_come_back_identical(name, version):
    document = read((DOCUMENTS / name).read_text(encoding="utf-8"), source=name)
    translated = round_trip(document, version)
    assert without_language(translated) == without_language(document)
    assert translated.metadata.lang == "ru"


def test_the_every_kind_document_has_what_its_name_says():
    document = read((DOCUMENTS / "translation-every-kind.md").read_text(encoding="utf-8"), source="every-kind.md")
    kinds: set[str] = set()
    document.walk(lambda element: kinds.add(element["t"]))
    assert {"Note", "Table", "Figure", "DefinitionList", "LineBlock", "Div", "BlockQuote", "OrderedList", "BulletList",
            "CodeBlock", "RawBlock", "HorizontalRule", "Header", "Link", "Image", "Emph", "Strong", "Strikeout",
            "Superscript", "Subscript", "SmallCaps", "Underline", "Span", "Code", "Math", "RawInline", "LineBreak"} <= kinds


@pytest.fixture(scope="module")
def seed() -> Document:
    return load(Seed("kazakhstan-2022", ROOT / "seeds" / "kazakhstan-2022.txt", ROOT / "seeds" / "kazakhstan-2022.yaml"),
                notice=lambda message: None).document


@pytest.mark.parametrize("version", VERSIONS)
def test_the_seed_comes_back_identical(seed, version):
    assert without_language(round_trip(seed, version)) == without_language(seed)


def test_the_seed_built_from_a_copied_translation_is_the_seed_in_another_language(tmp_path, monkeypatch):
    """The whole way: `kzpress xliff`, a tool's copy, `kzpress import`, `kzpress build --lang ru`."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in (ROOT / "seeds").glob("kazakhstan-2022.*"):
        (seeds / path.name).write_bytes(path.read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert main(["-q", "xliff", "kazakhstan-2022", "--target", "ru"]) == 0
    exported = tmp_path / "dist" / "kazakhstan-2022" / "xliff" / "kazakhstan-2022.ru.xlf"
    returned = tmp_path / "returned.xlf"
    returned.write_bytes(copied(exported.read_bytes()))
    assert main(["-q", "import", str(returned)]) == 0
    assert main(["-q", "build", "kazakhstan-2022", "--lang", "ru", "--lang", "en-GB", "--to", "md"]) == 0
    english, russian = (read((tmp_path / "dist" / "kazakhstan-2022" / lang / "kazakhstan-2022.md").read_text(encoding="utf-8"),
                             source=lang) for lang in ("en-GB", "ru"))
    assert without_language(russian) == without_language(english)
    assert russian.metadata.lang == "ru" and english.metadata.lang == "en-GB"


# --- every example of the CommonMark specification ----------------------------------------------


def _examples(shared: Path) -> list[dict]:
    return json.loads((shared / "corpora" / "commonmark-spec" / "examples.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def commonmark(shared) -> dict[int, Document]:
    """Every example read by kzpress's Markdown reader, once per session (pandoc runs side by side)."""
    examples = _examples(shared)

    def parse(example: dict) -> Document:
        document = read_markdown(example["markdown"].encode("utf-8"), source=f"example {example['example']}")
        return document.with_meta(lang="en-GB")

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return {example["example"]: document for example, document in zip(examples, pool.map(parse, examples))}


_SPEC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "commonmark-spec" / "examples.json"
_NUMBERS = [example["example"] for example in json.loads(_SPEC.read_text(encoding="utf-8"))] if _SPEC.is_file() else [0]


def test_there_are_655_commonmark_examples(commonmark):
    assert len(commonmark) == 655 and sorted(commonmark) == _NUMBERS


@pytest.mark.parametrize("number", _NUMBERS, ids=lambda number: f"example-{number}")
def test_every_commonmark_example_comes_back_identical(commonmark, number):
    document = commonmark[number]
    for version in VERSIONS:
        assert without_language(round_trip(document, version)) == without_language(document), version


def test_a_translated_unit_does_change_the_document():
    """A guard on the guard: a translation that changes words does change the document."""
    document = read((DOCUMENTS / "translation-every-kind.md").read_text(encoding="utf-8"), source="every-kind.md")
    root = etree.fromstring(copied(write(document, XliffOptions(target="ru", original="doc.md"))))
    for target in root.iter(f"{{{NS1}}}target"):
        if "lighthouse" in "".join(target.itertext()):
            for element in target.iter():
                element.text = element.text and re.sub("[A-Za-z]+", "маяк", element.text)
                if element is not target:
                    element.tail = element.tail and re.sub("[A-Za-z]+", "маяк", element.tail)
    translated, _ = merge.translated(document, check(reading.read(etree.tostring(root), source="changed.xlf")).translation)
    assert without_language(translated) != without_language(document)
    text = json.dumps(translated.to_json(), ensure_ascii=False)
    assert "lighthouse" not in text.replace("img/lighthouse.png", "") and "маяк" in text and "img/lighthouse.png" in text
