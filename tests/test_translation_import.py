"""`kzpress import`: a translated XLIFF file is checked as a whole and stored with its seed, or every
problem in it is reported by unit id and nothing is written. The files are the hand-made Russian (1.2)
and Kazakh (2.1) translations in tests/translations/, damaged in the ways translators' tools damage them."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from lxml import etree

from kzpress.cli import main
from kzpress.errors import InputError
from kzpress.schemas import find_schema_dir
from kzpress.translation import reading, store
from kzpress.translation.imports import check

TESTS = Path(__file__).parent
SHORT = TESTS / "documents" / "translation-short.md"
RUSSIAN = TESTS / "translations" / "translation-short.ru.xlf"
KAZAKH = TESTS / "translations" / "translation-short.kk.xlf"
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2", "x2": "urn:oasis:names:tc:xliff:document:2.0"}


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / SHORT.name).write_bytes(SHORT.read_bytes())
    return folder


def russian() -> etree._Element:
    return etree.fromstring(RUSSIAN.read_bytes())


def unit_with(root: etree._Element, words: str) -> etree._Element:
    return next(unit for unit in root.iterfind(".//x:trans-unit", NS) if words in "".join(unit.find("x:source", NS).itertext()))


def save(root: etree._Element, folder: Path, name: str = "returned.ru.xlf") -> Path:
    path = folder / name
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return path


def import_error(path: Path, seeds: Path, **options) -> str:
    with pytest.raises(InputError) as raised:
        store.import_files([path], seeds, **options)
    assert not list(seeds.glob("*.xlf")), "nothing may be written when an import fails"
    return str(raised.value)


# --- what passes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", [RUSSIAN, KAZAKH], ids=["ru-1.2", "kk-2.1"])
def test_a_translation_is_stored_beside_its_seed(seeds, fixture):
    messages = []
    (stored,) = store.import_files([fixture], seeds, schema_dir=find_schema_dir(), notice=messages.append)
    lang = fixture.name.split(".")[-2]
    assert stored == seeds / f"translation-short.{lang}.xlf"
    translation = store.load(stored)
    assert translation.target_language == lang and len(translation.units) == 10
    assert all(unit.done for unit in translation.units.values())
    assert messages == [f"stored {stored} from {fixture}: 10 units, 10 translated"]


def test_the_stored_file_keeps_every_translation_and_state(seeds):
    (stored,) = store.import_files([RUSSIAN], seeds)
    imported = check(reading.read(RUSSIAN.read_bytes(), source="ru")).translation
    assert store.load(stored).units == imported.units


def test_the_translator_is_credited_from_the_command_line_or_kept_from_before(seeds):
    (stored,) = store.import_files([RUSSIAN], seeds, translators=("Айгерим Сейткали",))
    assert store.load(stored).translators == ("Айгерим Сейткали",)
    store.import_files([RUSSIAN], seeds)
    assert store.load(stored).translators == ("Айгерим Сейткали",)


def test_the_translator_named_in_the_files_header_is_credited(seeds):
    root = russian()
    header = root.find(".//x:header", NS)
    phases = etree.Element(f"{{{NS['x']}}}phase-group")
    etree.SubElement(phases, f"{{{NS['x']}}}phase", {"phase-name": "t1", "process-name": "translation", "contact-name": "Олег Петров"})
    header.insert(1, phases)
    (stored,) = store.import_files([save(root, seeds.parent)], seeds, schema_dir=find_schema_dir())
    assert store.load(stored).translators == ("Олег Петров",)


def test_tags_may_move_with_the_word_order(seeds):
    root = russian()
    target = unit_with(root, "independent").find("x:target/x:mrk", NS)
    (code,) = target
    target.text, code.tail = "право создать профсоюз, ", " и не иначе;"  # the italics now come last
    translation = store.load(store.import_files([save(root, seeds.parent)], seeds)[0])
    unit = next(unit for unit in translation.units.values() if "independent" in str(unit.source))
    assert [run if isinstance(run, str) else run.code.ctype for run in unit.target] == ["право создать профсоюз, ", "italic", " и не иначе;"]


def test_paired_codes_written_as_bpt_and_ept_or_as_sc_and_ec_are_understood(seeds):
    root = russian()
    mark = unit_with(root, "independent").find("x:target/x:mrk", NS)
    (g,) = mark
    bpt = etree.Element(f"{{{NS['x']}}}bpt", id="1")
    bpt.text, bpt.tail = "<i>", g.text
    ept = etree.Element(f"{{{NS['x']}}}ept", id="1")
    ept.text, ept.tail = "</i>", g.tail
    mark.replace(g, bpt)
    mark.append(ept)
    kazakh = etree.fromstring(KAZAKH.read_bytes())
    target = next(t for t in kazakh.iterfind(".//x2:target", NS) if "тәуелсіз" in "".join(t.itertext()))
    (pc,) = target
    sc = etree.Element(f"{{{NS['x2']}}}sc", id="1")
    sc.tail = pc.text
    ec = etree.Element(f"{{{NS['x2']}}}ec", startRef="1")
    ec.tail = pc.tail
    target.replace(pc, sc)
    target.append(ec)
    written = store.import_files([save(root, seeds.parent), save(kazakh, seeds.parent, "returned.kk.xlf")], seeds)
    assert len(written) == 2


def test_an_xliff_2_0_file_is_read_like_2_1(seeds):
    kazakh = etree.fromstring(KAZAKH.read_bytes())
    kazakh.set("version", "2.0")
    (stored,) = store.import_files([save(kazakh, seeds.parent, "kk20.xlf")], seeds, schema_dir=find_schema_dir())
    assert store.load(stored).target_language == "kk"


def test_a_tools_own_extensions_are_left_out_before_the_schema_check(seeds, shared):
    root = russian()
    etree.SubElement(root.find(".//x:header", NS), "{urn:example:tool}info", build="7")
    unit_with(root, "independent").set("{urn:example:tool}segment-status", "locked")
    assert store.import_files([save(root, seeds.parent)], seeds, schema_dir=shared / "schemas" / "xliff")


# --- what fails, by unit id, with nothing written --------------------------------------------------


def test_a_lost_inline_code_is_named_with_its_unit(seeds):
    root = russian()
    unit = unit_with(root, "independent")
    mark = unit.find("x:target/x:mrk", NS)
    (g,) = mark
    mark.text = (mark.text or "") + g.text + (g.tail or "")
    mark.remove(g)
    message = import_error(save(root, seeds.parent), seeds)
    assert f"unit {unit.get('id')}: tag 1 (italics around ‘independent’) is missing from the target" in message


def test_a_duplicated_inline_code_is_named_with_its_unit(seeds):
    root = russian()
    unit = unit_with(root, "still unknown")
    mark = unit.find("x:target/x:mrk[@mid='2']", NS)
    mark.append(copy.deepcopy(mark[0]))
    message = import_error(save(root, seeds.parent), seeds)
    assert f"unit {unit.get('id')}: tag 1 (bold around ‘still unknown’) appears 2 times; keep it once" in message


def test_a_missing_target_is_named_with_its_unit(seeds):
    root = russian()
    unit = unit_with(root, "The demands were simple")
    unit.remove(unit.find("x:target", NS))
    message = import_error(save(root, seeds.parent), seeds)
    assert f"unit {unit.get('id')}: has no target" in message


def test_a_code_that_opens_and_never_closes_is_broken(seeds):
    root = russian()
    unit = unit_with(root, "independent")
    mark = unit.find("x:target/x:mrk", NS)
    (g,) = mark
    bpt = etree.Element(f"{{{NS['x']}}}bpt", id="1")
    bpt.tail = g.text + g.tail
    mark.replace(g, bpt)
    message = import_error(save(root, seeds.parent), seeds)
    assert f"unit {unit.get('id')}: target: tag 1 opens but never closes" in message


def test_a_missing_or_unknown_unit_is_named(seeds):
    root = russian()
    body = root.find(".//x:body", NS)
    gone = unit_with(root, "The demands were simple")
    body.remove(gone)
    stranger = copy.deepcopy(unit_with(root, "equal pay"))
    stranger.set("id", "paragraph-00000000")
    body.append(stranger)
    message = import_error(save(root, seeds.parent), seeds)
    assert f"unit {gone.get('id')}: missing; every unit exported must come back" in message
    assert "unit paragraph-00000000: not a unit kzpress exported" in message


def test_an_edited_source_is_refused(seeds):
    root = russian()
    unit = unit_with(root, "The demands were simple")
    unit.find("x:source", NS).text = "The demands were many:"
    message = import_error(save(root, seeds.parent), seeds)
    assert f"unit {unit.get('id')}: its source was changed; translate the target only" in message


@pytest.mark.parametrize(
    ("change", "options", "expected"),
    [
        (lambda root: root.find("x:file", NS).set("target-language", "kk"), {},
         "targets of units title, subtitle, rights and 7 more are marked as another language than the file's kk"),
        (lambda root: None, {"lang": "kk"}, "the file is a translation into ru, not kk"),
        (lambda root: root.find("x:file", NS).set("source-language", "de"), {},
         "the file was made from a de text, but the seed is in en-GB"),
        (lambda root: root.find("x:file", NS).set("target-language", "en-GB"), {}, "is the source's own language"),
    ],
    ids=["targets-differ-from-file", "not-the-language-asked-for", "other-source-language", "target-is-source"],
)
def test_the_wrong_language_is_refused(seeds, change, options, expected):
    root = russian()
    change(root)
    assert expected in import_error(save(root, seeds.parent), seeds, **options)


def test_a_translation_in_the_wrong_script_is_refused(seeds):
    root = russian()
    for mark in root.iterfind(".//x:target/x:mrk", NS):
        mark.text = re.sub(r"[^\W\d_]+", "word", mark.text or "")
    message = import_error(save(root, seeds.parent), seeds)
    assert "the translated text is written in Latin letters, but ru is written in Cyrillic" in message


ENTITY_FILES = {
    "external-entity": b'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n',
    "entity-bomb": (b'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa">'
                    + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8))
                    + b"]>\n"),
}


@pytest.mark.parametrize("kind", sorted(ENTITY_FILES))
def test_entities_are_refused_before_they_are_read(seeds, kind):
    body = RUSSIAN.read_bytes().split(b"?>", 1)[1]
    reference = b"&secret;" if kind == "external-entity" else b"&i;"
    data = ENTITY_FILES[kind] + body.replace("Требования".encode(), reference, 1)
    assert reference in data
    path = seeds.parent / f"{kind}.xlf"
    path.write_bytes(data)
    message = import_error(path, seeds)
    assert message.startswith(f"{path}: the file declares a DTD")


def test_every_problem_of_every_file_is_reported_at_once_and_nothing_is_written(seeds):
    root = russian()
    lost = unit_with(root, "independent")
    mark = lost.find("x:target/x:mrk", NS)
    mark.text, _ = (mark.text or "") + mark[0].text + (mark[0].tail or ""), mark.remove(mark[0])
    missing = unit_with(root, "The demands were simple")
    missing.remove(missing.find("x:target", NS))
    duplicated = unit_with(root, "still unknown")
    duplicated.find("x:target/x:mrk[@mid='2']", NS).append(copy.deepcopy(duplicated.find("x:target/x:mrk[@mid='2']", NS)[0]))
    broken = save(root, seeds.parent)
    message = import_error(broken, seeds, translators=())
    lines = message.splitlines()
    assert lines[0] == f"{broken}: 3 problems, so nothing was imported; fix them in the translation tool and import again:"
    assert [line.split(":")[0] for line in lines[1:]] == [f"  - unit {u.get('id')}" for u in (missing, lost, duplicated)]


def test_the_command_line_prints_every_problem_and_stores_nothing_even_for_the_good_files(seeds, capsys, monkeypatch):
    root = russian()
    unit = unit_with(root, "The demands were simple")
    unit.remove(unit.find("x:target", NS))
    broken = save(root, seeds.parent)
    monkeypatch.chdir(seeds.parent)
    assert main(["import", str(KAZAKH), str(broken), "--seeds", str(seeds)]) == 1
    error = capsys.readouterr().err
    # (a notice comes first where the OASIS schemas are absent: the files are then checked without them)
    [first] = [line for line in error.splitlines() if line.startswith("kzpress: error:")]
    assert first.startswith(f"kzpress: error: {broken}: 1 problem, so nothing was imported")
    assert f"\n  - unit {unit.get('id')}: has no target" in error
    assert not list(seeds.glob("*.xlf"))


def test_a_schema_violation_is_a_problem_with_its_line(seeds, shared):
    root = russian()
    unit_with(root, "independent").find("x:target", NS).set("state", "almost-done")
    message = import_error(save(root, seeds.parent), seeds, schema_dir=shared / "schemas" / "xliff")
    assert re.search(r"  - not valid XLIFF: line \d+: .*state", message)


def test_a_file_without_the_kzpress_skeleton_is_refused(seeds):
    root = russian()
    skl = root.find(".//x:header/x:skl", NS)
    skl.getparent().remove(skl)
    assert "no kzpress skeleton in its header" in import_error(save(root, seeds.parent), seeds)


def test_a_skeleton_that_lost_its_language_is_refused_naming_the_file(seeds):
    root = russian()
    skeleton = root.find(".//x:header/x:skl/x:internal-file", NS)
    skeleton.text = skeleton.text.replace('"lang":', '"ang":', 1)
    path = save(root, seeds.parent)
    message = import_error(path, seeds)
    assert message.startswith(str(path)) and "skeleton in the header is damaged" in message


def test_a_file_for_another_seed_is_refused(seeds):
    root = russian()
    root.find("x:file", NS).set("original", "someone-else.md")
    message = import_error(save(root, seeds.parent), seeds)
    assert "made from 'someone-else.md', which is no seed in" in message and "translation-short" in message
