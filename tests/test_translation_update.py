"""Re-exporting after the source changed: the stored translation carries over by itself. Unchanged units
keep their translation and state; a changed one comes back to translate with its earlier translation as
a fuzzy suggestion; removed ones are dropped; a summary says how many are new, changed and kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from kzpress.backends.markdown import read
from kzpress.backends.xliff import XliffOptions, write
from kzpress.build import Project, build, load
from kzpress.document import stringify
from kzpress.schemas import validate_xliff
from kzpress.seeds import Seed
from kzpress.translation import store
from kzpress.translation.update import plan
from kzpress.translation.units import units

TESTS = Path(__file__).parent
SHORT = TESTS / "documents" / "translation-short.md"
RUSSIAN = TESTS / "translations" / "translation-short.ru.xlf"
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2", "x2": "urn:oasis:names:tc:xliff:document:2.0",
      "mtc": "urn:oasis:names:tc:xliff:matches:2.0"}
EDITED = ("The demands were simple:", "The demands were simple and few:")


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / SHORT.name).write_bytes(SHORT.read_bytes())
    store.import_files([RUSSIAN], folder)
    return folder


def edit(seeds: Path, old: str, new: str) -> None:
    source = seeds / SHORT.name
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")


def current(seeds: Path):
    return load(Seed("translation-short", seeds / SHORT.name, None), notice=lambda message: None).document


def trans_units(data: bytes) -> dict[str, etree._Element]:
    return {unit.get("id"): unit for unit in etree.fromstring(data).iterfind(".//x:trans-unit", NS)}


def test_editing_one_paragraph_keeps_every_other_translation(seeds):
    before = trans_units(RUSSIAN.read_bytes())
    edit(seeds, *EDITED)
    document = current(seeds)
    after = trans_units(write(document, XliffOptions("ru", translation=store.stored_translation(seeds, "translation-short", "ru"))))
    kept = set(before) & set(after)
    assert len(kept) == len(after) - 1 == 9
    for unit_id in kept:
        old, new = before[unit_id].find("x:target", NS), after[unit_id].find("x:target", NS)
        assert "".join(new.itertext()) == "".join(old.itertext()) and new.get("state") == old.get("state") == "translated"


def test_the_changed_paragraph_comes_back_with_its_earlier_translation_as_a_suggestion(seeds):
    edit(seeds, *EDITED)
    exported = write(current(seeds), XliffOptions("ru", translation=store.stored_translation(seeds, "translation-short", "ru")))
    (changed,) = [unit for unit in trans_units(exported).values() if "and few" in "".join(unit.find("x:source", NS).itertext())]
    target = changed.find("x:target", NS)
    assert "".join(target.itertext()) == "The demands were simple and few:" and target.get("state") == "needs-translation"
    suggestion = changed.find("x:alt-trans", NS)
    assert suggestion.findtext("x:source", namespaces=NS) == "The demands were simple:"
    assert suggestion.findtext("x:target", namespaces=NS) == "Требования были простыми:"
    assert 50 <= int(suggestion.get("match-quality")) < 100


def test_the_summary_counts_new_changed_kept_and_removed(seeds, tmp_path):
    edit(seeds, *EDITED)
    edit(seeds, "- the return of every dismissed worker.\n", "")
    edit(seeds, "# What the workers wanted", "A new paragraph of the editors.\n\n# What the workers wanted")
    messages: list[str] = []
    build(Project(seeds_dir=seeds, out_dir=tmp_path / "dist"), [], ["xliff"], [], targets=["ru"], notice=messages.append)
    assert "translation-short.ru.xlf: 1 new, 1 changed, 8 kept, 1 removed" in messages
    exported = (tmp_path / "dist" / "translation-short" / "xliff" / "translation-short.ru.xlf").read_bytes()
    assert not [unit for unit in trans_units(exported).values() if "dismissed" in "".join(unit.itertext())]


def test_a_changed_title_is_offered_its_earlier_translation_too(seeds):
    edit(seeds, 'title: "The Strike at Zhanaozen"', 'title: "The Strike in Zhanaozen"')
    planned = plan(units(current(seeds)), store.stored_translation(seeds, "translation-short", "ru"))
    (title,) = [unit for unit in planned.units if unit.unit.id == "title"]
    assert title.earlier is not None and title.state == "needs-translation"
    assert (planned.new, planned.changed, planned.kept, planned.removed) == (0, 1, 9, 0)


def test_an_unrelated_new_paragraph_is_new_not_changed(seeds):
    edit(seeds, *EDITED)
    edit(seeds, "The demands were simple and few:", "Nothing at all like what stood here before, in any way whatsoever.")
    planned = plan(units(current(seeds)), store.stored_translation(seeds, "translation-short", "ru"))
    assert (planned.new, planned.changed, planned.kept, planned.removed) == (1, 0, 9, 1)


def test_xliff_2_1_offers_the_suggestion_as_a_match_and_stays_valid(seeds, shared):
    edit(seeds, *EDITED)
    exported = write(current(seeds), XliffOptions("ru", version="2.1", translation=store.stored_translation(seeds, "translation-short", "ru")))
    assert validate_xliff(exported, shared / "schemas" / "xliff") == []
    root = etree.fromstring(exported)
    (match,) = root.iterfind(".//mtc:match", NS)
    unit = match.getparent().getparent()
    assert match.get("ref") == "#s1" and unit.find("x2:segment", NS).get("id") == "s1"
    assert "".join(match.find("x2:target", NS).itertext()) == "Требования были простыми:"
    kept = [segment.get("state") for segment in root.iterfind(".//x2:segment", NS) if segment.getparent() is not unit]
    assert set(kept) == {"translated"}


def test_a_re_export_with_kept_translations_is_valid_1_2(seeds, shared):
    edit(seeds, *EDITED)
    exported = write(current(seeds), XliffOptions("ru", translation=store.stored_translation(seeds, "translation-short", "ru")))
    assert validate_xliff(exported, shared / "schemas" / "xliff") == []


def test_translating_the_changed_unit_completes_the_translation_again(seeds, tmp_path):
    edit(seeds, *EDITED)
    project = Project(seeds_dir=seeds, out_dir=tmp_path / "dist")
    build(project, [], ["xliff"], [], targets=["ru"], notice=lambda message: None)
    exported = tmp_path / "dist" / "translation-short" / "xliff" / "translation-short.ru.xlf"
    root = etree.fromstring(exported.read_bytes())
    for unit in root.iterfind(".//x:trans-unit", NS):
        target = unit.find("x:target", NS)
        if target.get("state") == "needs-translation":
            target.find("x:mrk", NS).text = "Требования были простыми и немногими:"
            target.set("state", "translated")
    exported.write_bytes(etree.tostring(root))
    store.import_files([exported], seeds)
    build(project, [], ["md"], ["ru"], notice=lambda message: None)
    russian = read((tmp_path / "dist" / "translation-short" / "ru" / "translation-short.md").read_text(encoding="utf-8"), source="ru")
    assert "Требования были простыми и\u00a0немногими:" in stringify(russian.blocks)  # и bound to the next word


def test_a_translation_made_before_words_were_bound_with_no_break_spaces_still_applies():
    """kzpress.typography binds © (and Russian one-letter words) with a no-break space: a translation of
    the text as it was before still fits it; other changes do not."""
    from kzpress.translation.memory import Translated, Translation

    stored = Translation("en-GB", "ru", {"rights": Translated(("© 2022 the authors.",), ("© 2022 авторы.",))})
    assert stored.applies("rights", ("©\u00a02022 the authors.",)) is not None
    assert stored.applies("rights", ("© 2023 the authors.",)) is None
