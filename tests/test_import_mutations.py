"""`kzpress import` on XLIFF mangled every way a tool, a translator or an attacker might: it stores the
file or says why in one `kzpress: error:` line naming the file; it never crashes, and what it stores
builds into a publication that is still safe."""

from __future__ import annotations

import copy
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from kzpress.build import Project, build
from kzpress.cli import main

from test_hostile import assert_safe

TEXT = ("# The strike\n\nThe workers of *Zhanaozen* struck for [higher wages](https://example.org/wages).\n\n"
        "- more pay\n- a union of their own\n\nThe owners gave in after **three weeks**.[^1]\n\n[^1]: A note.\n")
XLIFF_1 = "urn:oasis:names:tc:xliff:document:1.2"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, bytes]:
    """A seeds folder and the XLIFF kzpress exports from it for a Russian translator."""
    root = tmp_path_factory.mktemp("export")
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / "strike.md").write_text(TEXT, encoding="utf-8")
    (seeds / "strike.yaml").write_text('title: The strike\ndate: "2022"\nlang: en\ntargets: [ru]\n', encoding="utf-8")
    build(Project(seeds_dir=seeds, out_dir=root / "out"), [], ["xliff"], [], notice=lambda message: None)
    return seeds, (root / "out" / "strike" / "xliff" / "strike.ru.xlf").read_bytes()


def run_import(seeds: Path, data: bytes, capsys, tmp: Path) -> tuple[int, list[str]]:
    folder = tmp / "seeds"
    shutil.copytree(seeds, folder)
    path = tmp / "strike.ru.xlf"
    path.write_bytes(data)
    capsys.readouterr()
    code = main(["-q", "import", str(path), "--seeds", str(folder)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code == 1:
        assert err.startswith("kzpress: error: ") and str(path) in err.splitlines()[0], err
    else:
        assert code == 0, err
    return code, err.splitlines()


# --- mutations ----------------------------------------------------------------------------------


@st.composite
def byte_damage(draw, data: bytes) -> bytes:
    """Bytes flipped, cut out, repeated or the file cut short, as a broken transfer or tool leaves it."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        kind = draw(st.sampled_from(["flip", "cut", "repeat", "truncate", "insert"]))
        if kind == "flip":
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
        elif kind == "cut":
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
        elif kind == "repeat":
            data = data[:at] + data[at:at + 64] * draw(st.integers(2, 5)) + data[at:]
        elif kind == "truncate":
            data = data[:at]
        else:
            data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    return data


HOSTILE_TEXT = ["<script>alert(1)</script>", "javascript:alert(1)", "&lt;iframe&gt;", "\u202e", "]]>", "{{x}}",
                "перевод", "", " ", "\u00a0", "x" * 500, "<g id='99'>"]


@st.composite
def structural_damage(draw, data: bytes) -> bytes:
    """The XLIFF as a careless or hostile hand edits it: elements gone or doubled, attributes and text
    replaced, the skeleton changed, inline codes nested deep."""
    root = etree.fromstring(data)
    elements = list(root.iter())
    for _ in range(draw(st.integers(1, 3))):
        element = draw(st.sampled_from(elements))
        kind = draw(st.sampled_from(["remove", "double", "attribute", "text", "nest", "rename"]))
        parent = element.getparent()
        if kind == "remove" and parent is not None:
            parent.remove(element)
            elements = list(root.iter())
        elif kind == "double" and parent is not None:
            parent.insert(parent.index(element), copy.deepcopy(element))
            elements = list(root.iter())
        elif kind == "attribute" and element.attrib:
            name = draw(st.sampled_from(sorted(element.attrib)))
            element.set(name, draw(st.sampled_from(HOSTILE_TEXT[:-1] + ["ru", "en", "kk", "1", "-1", "u99"])))
        elif kind == "text":
            element.text = draw(st.sampled_from(HOSTILE_TEXT))
        elif kind == "nest":
            inner = element
            for _ in range(draw(st.sampled_from([3, 60, 300]))):
                inner = etree.SubElement(inner, f"{{{XLIFF_1}}}g", id="1")
        elif kind == "rename":
            element.tag = draw(st.sampled_from([f"{{{XLIFF_1}}}g", f"{{{XLIFF_1}}}x", "script", f"{{{XLIFF_1}}}bogus"]))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _segments(root) -> list:
    """Where each target's words are: its segment (`mrk`), or the target itself."""
    found = []
    for target in root.iter(f"{{{XLIFF_1}}}target"):
        segment = target.find(f"{{{XLIFF_1}}}mrk")
        found.append(target if segment is None else segment)
    return found


def _translated(data: bytes) -> bytes:
    """Every target given Russian words, as a translator returns the file."""
    root = etree.fromstring(data)
    for target in root.iter(f"{{{XLIFF_1}}}target"):
        target.set("state", "translated")
    for segment in _segments(root):
        for node in segment.iter():
            if node.text and node.text.strip():
                node.text = "русские слова"
            if node is not segment and node.tail and node.tail.strip():
                node.tail = " и ещё слова"
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.data())
def test_a_damaged_file_is_stored_or_refused_in_one_line(exported, capsys, tmp_path_factory, data):
    seeds, xliff = exported
    code, _ = run_import(seeds, data.draw(byte_damage(_translated(xliff))), capsys, tmp_path_factory.mktemp("import"))
    event(f"kzpress import exits {code}")  # --hypothesis-show-statistics: how often each outcome came


@FUZZ
@given(data=st.data())
def test_a_hand_edited_file_is_stored_or_refused_in_one_line(exported, capsys, tmp_path_factory, data):
    seeds, xliff = exported
    code, _ = run_import(seeds, data.draw(structural_damage(_translated(xliff))), capsys, tmp_path_factory.mktemp("import"))
    event(f"kzpress import exits {code}")  # --hypothesis-show-statistics: how often each outcome came


@pytest.mark.parametrize("damaged", [
    b'"lang":{" ":"MetaInlines","c":[{"t":"Str","c":"en"}]}',  # a metadata value without its type
    b'"lang":{"t":"MetaList","c":[{"t":"MetaInlines","c":[{"t":"Str","c":"ru"}]}]}',  # a list for a language
], ids=["untyped", "list"])
def test_a_skeleton_with_damaged_metadata_is_refused_in_one_line(exported, capsys, tmp_path, damaged):
    """Two damages the byte fuzzing above once found: each crashed, or named the seed instead of the file."""
    seeds, xliff = exported
    lang = b'"lang":{"t":"MetaInlines","c":[{"t":"Str","c":"en"}]}'
    assert lang in xliff
    code, err = run_import(seeds, _translated(xliff).replace(lang, damaged), capsys, tmp_path)
    assert code == 1 and any("skeleton in the header is damaged" in line for line in err)


@pytest.mark.parametrize("prefix", [
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
])
def test_a_file_with_a_dtd_is_refused(exported, capsys, tmp_path, prefix):
    seeds, xliff = exported
    body = _translated(xliff).split(b"?>", 1)[1]
    code, err = run_import(seeds, prefix + body, capsys, tmp_path)
    assert code == 1 and "DTD" in err[0]


def test_markup_a_translator_types_stays_text_in_the_translated_edition(exported, capsys, tmp_path):
    seeds, xliff = exported
    root = etree.fromstring(_translated(xliff))
    for segment in _segments(root):
        segment.text = ('Перевод этого текста на русский язык, сделанный переводчиком, который вставил в него '
                        'разметку: <script>alert(1)</script> <img src="file:///etc/passwd" onerror="x()"> ')
    code, err = run_import(seeds, etree.tostring(root, xml_declaration=True, encoding="utf-8"), capsys, tmp_path)
    assert code == 0, err
    out = tmp_path / "out"
    assert main(["-q", "build", "--seeds", str(tmp_path / "seeds"), "--out", str(out), "--to", "md,epub", "--lang", "ru",
                 "--allow-incomplete"]) == 0
    for path in (out / "strike" / "ru").iterdir():
        assert_safe(path)
    with zipfile.ZipFile(io.BytesIO((out / "strike" / "ru" / "strike.epub").read_bytes())) as book:
        pages = b"".join(book.read(name) for name in book.namelist() if name.endswith(".xhtml"))
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in pages  # the translator's words, shown as typed
