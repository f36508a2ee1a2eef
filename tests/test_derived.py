"""The derived cache (kzpress.derived): what it keeps is what would be derived again, and a damaged or
unwritable cache only costs time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzpress import derived, fonts, glyphs, hyphenation
from kzpress.language import language

ROOT = Path(__file__).resolve().parents[1]
WORDS = ["extraordinarily", "hyphenation", "demonstrators", "internationalisation", "Kazakhstan", "a", "an"]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KZPRESS_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_a_value_is_derived_once_then_read_back(cache_dir):
    calls = []
    derive = lambda: calls.append(1) or {"answer": [1, 2]}  # noqa: E731
    assert derived.cached_json("test", ["a"], derive) == {"answer": [1, 2]}
    assert derived.cached_json("test", ["a"], derive) == {"answer": [1, 2]}
    assert len(calls) == 1


def test_changed_sources_derive_again(cache_dir):
    assert derived.cached_json("test", ["a"], lambda: 1) == 1
    assert derived.cached_json("test", ["b"], lambda: 2) == 2


def test_a_damaged_entry_is_derived_again(cache_dir):
    derived.cached_json("test", ["a"], lambda: [1])
    [entry] = (cache_dir / derived.SUBFOLDER).glob("test-*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert derived.cached_json("test", ["a"], lambda: [2]) == [2]
    assert json.loads(entry.read_text(encoding="utf-8")) == [2]


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("KZPRESS_CACHE_DIR", str(blocker / "cache"))
    assert derived.cached_json("test", ["a"], lambda: 3) == 3


def _fresh_pyphen(monkeypatch):
    import pyphen

    monkeypatch.setattr(pyphen, "hdcache", {})
    return pyphen


def test_cached_hyphenation_patterns_hyphenate_as_pyphen_does(cache_dir, monkeypatch):
    pyphen = _fresh_pyphen(monkeypatch)
    expected = {word: pyphen.Pyphen(lang="en_GB", left=1, right=1).positions(word) for word in WORDS}
    for _ in range(2):  # the first run derives and stores, the second reads the cache
        _fresh_pyphen(monkeypatch)
        points = hyphenation._pyphen_points("en_GB")
        assert {word: points(word) for word in WORDS} == expected
    assert list((cache_dir / derived.SUBFOLDER).glob("pyphen-*.json"))


def test_hyphenated_text_is_the_same_from_the_cache(cache_dir, monkeypatch):
    text = "The demonstrators occupied the administration buildings in extraordinary numbers."
    _fresh_pyphen(monkeypatch)
    first = hyphenation.hyphenator(language("en-GB")).text(text)
    _fresh_pyphen(monkeypatch)
    assert hyphenation.hyphenator(language("en-GB")).text(text) == first
    assert "\u00ad" in first


def test_font_faces_from_the_cache_match_the_font_files(cache_dir):
    first = fonts.font_faces(ROOT / "fonts")
    assert fonts.font_faces(ROOT / "fonts") == first
    serif = [face for face in first if face.family == "PT Serif"]
    assert {(face.weight, face.style) for face in serif} >= {(400, "normal"), (700, "normal"), (400, "italic")}


def test_character_maps_from_the_cache_match_the_font(cache_dir):
    from fontTools.ttLib import TTFont

    face = fonts.font_faces(ROOT / "fonts")[0]
    with TTFont(face.path, lazy=True) as font:
        expected = sorted(font.getBestCmap())
    assert glyphs._character_map(face) == expected
    assert glyphs._character_map(face) == expected  # from the cache


def _count_lookups(monkeypatch) -> list[str]:
    import ctypes.util

    asked: list[str] = []
    original = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: asked.append(name) or original(name))
    return asked


def _look_up(names: list[str]) -> list[str | None]:
    import ctypes.util

    with derived.library_lookups():
        return [ctypes.util.find_library(name) for name in names]


def test_library_lookups_are_asked_once_then_read_back(cache_dir, monkeypatch):
    asked = _count_lookups(monkeypatch)
    names = ["c", "no-such-library-kzpress"]
    first = _look_up(names)
    assert asked == names
    assert _look_up(names) == first
    assert asked == names  # the second time, from the cache


def test_library_lookups_answer_as_ctypes_does(cache_dir):
    import ctypes.util

    names = ["c", "m", "no-such-library-kzpress"]
    _look_up(names)
    assert _look_up(names) == [ctypes.util.find_library(name) for name in names]
    assert ctypes.util.find_library.__module__ == "ctypes.util"  # put back afterwards


def test_library_lookups_ask_again_when_the_search_path_changes(cache_dir, monkeypatch):
    asked = _count_lookups(monkeypatch)
    _look_up(["c"])
    monkeypatch.setenv("LD_LIBRARY_PATH", str(cache_dir))
    _look_up(["c"])
    assert asked == ["c", "c"]


def _metadata(folder: Path, text: str) -> dict:
    from kzpress.seeds import Seed

    (folder / "seed.txt").write_text("Title\n\nText.\n", encoding="utf-8")
    sidecar = folder / "seed.yaml"
    sidecar.write_text(text, encoding="utf-8")
    return Seed("seed", folder / "seed.txt", sidecar).metadata()


def test_metadata_from_the_cache_is_what_yaml_gives(cache_dir, tmp_path):
    text = "title: 'Kazakhstan: January'\nauthor: [A. Author, B. Author]\ndate: 2022-01-31\nlang: en-GB\n"
    first = _metadata(tmp_path, text)
    assert list((cache_dir / derived.SUBFOLDER).glob("metadata-*.json"))
    assert _metadata(tmp_path, text) == first
    assert first["date"] == "2022-01-31" and first["author"] == ["A. Author", "B. Author"]


def test_metadata_json_cannot_hold_exactly_is_parsed_every_time(cache_dir, tmp_path):
    text = "title: Strike\nlayout: {1: one}\n"  # a number key: JSON would make it the text "1"
    assert _metadata(tmp_path, text)["layout"] == {1: "one"}
    assert _metadata(tmp_path, text)["layout"] == {1: "one"}
    [entry] = (cache_dir / derived.SUBFOLDER).glob("metadata-*.json")
    assert "values" not in json.loads(entry.read_text(encoding="utf-8"))


def test_changed_metadata_is_read_again(cache_dir, tmp_path):
    assert _metadata(tmp_path, "title: One\n")["title"] == "One"
    assert _metadata(tmp_path, "title: Two\n")["title"] == "Two"


def test_library_lookups_that_did_not_make_an_import_are_not_kept(cache_dir, monkeypatch):
    import ctypes.util

    _look_up(["c"])  # kept
    with pytest.raises(OSError):
        with derived.library_lookups():
            ctypes.util.find_library("no-such-library-kzpress")
            raise OSError("cannot load library 'pango'")  # as WeasyPrint's import fails
    asked = _count_lookups(monkeypatch)
    _look_up(["c"])
    assert asked == ["c"]  # asked afresh
