"""The translator's other tools: `kzpress check` rows for stale and untranslated units, `kzpress pseudo`
(a pseudo-translation built before translators start) and `kzpress tmx` (memories for translators)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from kzpress.backends.markdown import read
from kzpress.build import Project, pseudo, tmx
from kzpress.check import check_translations
from kzpress.cli import main
from kzpress.document import stringify
from kzpress.translation import store
from kzpress.translation.pseudo import pseudo_text, pseudo_translation
from kzpress.translation.units import units

TESTS = Path(__file__).parent
SHORT = TESTS / "documents" / "translation-short.md"
TRANSLATIONS = [TESTS / "translations" / "translation-short.ru.xlf", TESTS / "translations" / "translation-short.kk.xlf"]


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / SHORT.name).write_bytes(SHORT.read_bytes())
    store.import_files(TRANSLATIONS, folder)
    return folder


def edit(seeds: Path, old: str, new: str) -> None:
    source = seeds / SHORT.name
    source.write_text(source.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


# --- kzpress check ---------------------------------------------------------------------------------


def test_a_complete_translation_passes(seeds, tmp_path):
    findings = list(check_translations(seeds, tmp_path / "dist" / "translation-short"))
    assert [(f.path.name, f.check, f.passed, f.detail) for f in findings] == [
        ("translation-short.kk.xlf", "translation", True, "all 10 units translated"),
        ("translation-short.ru.xlf", "translation", True, "all 10 units translated"),
    ]


def test_stale_and_untranslated_units_are_reported_and_fail_where_that_edition_was_built(seeds, tmp_path):
    edit(seeds, "The demands were simple:", "The demands were simple and few:")
    edit(seeds, "# What the workers wanted", "A paragraph nobody has translated yet.\n\n# What the workers wanted")
    folder = tmp_path / "dist" / "translation-short"
    (folder / "ru").mkdir(parents=True)  # a Russian edition was built (with --allow-incomplete)
    kazakh, russian = check_translations(seeds, folder)
    assert russian.passed is False and kazakh.passed is None
    assert russian.detail.startswith("1 stale: the source changed since (paragraph-")
    assert "; 1 not translated (paragraph-" in russian.detail
    assert russian.detail.endswith("the ru edition prints them in the source language")
    assert kazakh.detail.endswith("no kk edition built; `kzpress xliff translation-short --target kk` sends them to translate")


def test_kzpress_check_fails_on_a_built_incomplete_translation(seeds, tmp_path, monkeypatch, capsys):
    edit(seeds, "The demands were simple:", "The demands were simple and few:")
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "build", "--to", "md", "--lang", "ru", "--allow-incomplete"]) == 0
    assert main(["check", "--out", "dist", "--seeds", "seeds"]) == 1
    assert "stale: the source" in capsys.readouterr().out


# --- kzpress pseudo --------------------------------------------------------------------------------


def test_pseudo_text_is_accented_about_a_third_longer_and_keeps_its_spaces_and_punctuation():
    text = "The workers of Zhanaozen demanded a fair wage, and the company answered with dismissals."
    pseudo_version = pseudo_text(text)
    assert pseudo_version.count(" ") == text.count(" ") and pseudo_version.endswith(".") and "," in pseudo_version
    assert 1.25 <= len(pseudo_version) / len(text) <= 1.4
    assert not set(pseudo_version) & set("aeiou") and "Ţhéé" in pseudo_version


def test_a_pseudo_translation_brackets_every_unit_and_keeps_its_codes():
    document = read(SHORT.read_text(encoding="utf-8"), source=SHORT.name)
    translation = pseudo_translation(document)
    assert translation.target_language == "en-XA"
    for unit in units(document):
        target = translation.units[unit.id].target
        assert target[0] == "[" and target[-1] == "]"
        assert [c.id for c in _codes(target)] == [c.id for c in unit.codes]


def _codes(runs):
    for run in runs:
        if not isinstance(run, str):
            yield run.code
            yield from _codes(run.content)


def test_kzpress_pseudo_builds_a_printable_pdf_and_stores_nothing(seeds, tmp_path):
    before = sorted(path.name for path in seeds.iterdir())
    written = pseudo(Project(seeds_dir=seeds, out_dir=tmp_path / "dist"), [], ["pdf", "md"], notice=lambda message: None)
    assert sorted(path.relative_to(tmp_path / "dist").as_posix() for path in written) == [
        "translation-short/en-XA/translation-short.md", "translation-short/en-XA/translation-short.pdf"]
    (built,) = [path for path in written if path.suffix == ".md"]
    markdown = read(built.read_text(encoding="utf-8"), source="pseudo")
    assert markdown.metadata.lang == "en-XA" and stringify(markdown.blocks).startswith("[Îîñ Đééçéémbééř 2011")
    assert sorted(path.name for path in seeds.iterdir()) == before


# --- kzpress tmx -----------------------------------------------------------------------------------


def test_kzpress_tmx_exports_every_translation_sentence_by_sentence(seeds, tmp_path):
    (written,) = tmx(Project(seeds_dir=seeds, out_dir=tmp_path / "dist"), [], notice=lambda message: None)
    assert written == tmp_path / "dist" / "translation-short" / "xliff" / "translation-short.tmx"
    root = etree.fromstring(written.read_bytes())
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "en-GB"
    assert root.find("header").get("creationdate") == "20220101T000000Z"
    tus = root.findall("body/tu")
    languages = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")}
    assert languages == {"en-GB", "ru", "kk"} and len({tu.get("tuid") for tu in tus}) == len(tus)
    # 10 units each, three of them two sentences long in source and translation alike
    assert len(tus) == 2 * (10 + 3)
    (bold,) = [tu for tu in tus if tu.find("tuv[2]/seg/bpt") is not None and "неизвестно" in "".join(tu.itertext())]
    seg = bold.find("tuv[2]/seg")
    assert (seg[0].tag, seg[0].get("type"), seg[0].get("i"), seg[1].tag, seg[1].get("i")) == ("bpt", "bold", "1", "ept", "1")


def test_translate_toolkit_reads_the_tmx(seeds, tmp_path):
    tmx_format = pytest.importorskip("translate.storage.tmx")
    (written,) = tmx(Project(seeds_dir=seeds, out_dir=tmp_path / "dist"), [], notice=lambda message: None)
    memory = tmx_format.tmxfile.parsestring(written.read_bytes())
    assert len(memory.units) == 26
    assert {(unit.source, unit.target) for unit in memory.units} >= {("What the workers wanted", "Чего хотели рабочие")}


def test_kzpress_tmx_says_when_there_is_nothing_to_export(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / SHORT.name).write_bytes(SHORT.read_bytes())
    messages: list[str] = []
    assert tmx(Project(seeds_dir=seeds, out_dir=tmp_path / "dist"), [], notice=messages.append) == []
    assert messages == ["translation-short: no translation stored yet; `kzpress import FILE` stores one"]
