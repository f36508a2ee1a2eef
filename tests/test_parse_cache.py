"""Normalising: one pandoc run (settle.lua) gives what three runs gave, and the parse cache in the
output folder gives what normalising again would, notices included, until the seed changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzpress import build, pandoc
from kzpress.backends import html, markdown
from kzpress.document import Document
from kzpress.seeds import find_seeds

DOCUMENTS = Path(__file__).resolve().parent / "documents"
TEXT = """A plain article

Its first paragraph says "something" -- with quotes and a dash.

Its second paragraph is short.
"""


@pytest.mark.parametrize("name", ["pdf-every-block.md", "translation-every-kind.md", "xliff-every-inline.md"])
def test_one_settling_run_gives_what_three_runs_give(name):
    document = markdown.read((DOCUMENTS / name).read_text(encoding="utf-8"), source=name)
    canonical, parsed, settled = pandoc.settle(document.to_json(), source=name)
    assert canonical == markdown.write(document)
    assert parsed == markdown.read(canonical.decode("utf-8"), source=name).to_json()
    assert settled == markdown.write(markdown.read(canonical.decode("utf-8"), source=name))


@pytest.mark.parametrize("name", ["pdf-every-block.md", "translation-every-kind.md", "xliff-every-inline.md"])
def test_the_html_the_settling_run_writes_is_what_pandoc_writes_and_is_used(name, monkeypatch):
    document = markdown.read((DOCUMENTS / name).read_text(encoding="utf-8"), source=name)
    _, parsed, _ = pandoc.settle(document.to_json(), source=name)
    data = json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    fresh = pandoc.run(["-f", "json", "-t", *pandoc.HTML], data).decode("utf-8")
    monkeypatch.setattr(pandoc, "run", lambda *args, **kwargs: pytest.fail("pandoc ran for a settled document"))
    assert html.body(Document.from_json(parsed)) == fresh


@pytest.mark.parametrize("name", ["pdf-every-block.md", "translation-every-kind.md", "xliff-every-inline.md"])
def test_the_reading_run_of_a_canonical_text_gives_what_settling_its_parse_gives(name):
    document = markdown.read((DOCUMENTS / name).read_text(encoding="utf-8"), source=name)
    canonical = pandoc.settle(document.to_json(), source=name)[2]  # the text as normalising leaves it
    ast, writing = pandoc.read_written(canonical, source=name)
    written, page = writing.result()
    assert written == canonical
    assert pandoc.settle(ast, source=name) == (canonical, ast, canonical)
    assert page == pandoc.kept_html(ast)[1]  # the HTML the settling run wrote, kept under the same parse


@pytest.fixture
def seed(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "article.txt").write_text(TEXT, encoding="utf-8")
    (seeds / "article.yaml").write_text('date: "2022"\n', encoding="utf-8")  # no language: it is detected
    return find_seeds(seeds)["article"]


def _load(seed, out: Path, heard: list[str]):
    edition = build.load(seed, notice=heard.append, parse_cache=out)
    return edition.document, edition.language, edition.canonical_markdown


def test_an_unchanged_seed_is_not_normalised_again(seed, tmp_path, monkeypatch):
    first_notices: list[str] = []
    first = _load(seed, tmp_path / "out", first_notices)

    def no_pandoc(*args, **kwargs):
        raise AssertionError("pandoc ran for an unchanged seed")

    monkeypatch.setattr(pandoc, "run", no_pandoc)
    again_notices: list[str] = []
    again = _load(seed, tmp_path / "out", again_notices)
    assert again == first
    assert again_notices == first_notices and any("detected" in line for line in first_notices)


def test_a_changed_seed_is_normalised_again(seed, tmp_path):
    _load(seed, tmp_path / "out", [])
    seed.source.write_text(TEXT.replace("short", "a little longer now"), encoding="utf-8")
    edited = _load(seed, tmp_path / "out", [])
    assert b"a little longer now" in edited[2]


def test_new_metadata_is_normalised_again(seed, tmp_path):
    _load(seed, tmp_path / "out", [])
    seed.source.with_suffix(".yaml").write_text('title: Another title\nlang: en-GB\ndate: "2022"\n', encoding="utf-8")
    reloaded = find_seeds(seed.source.parent)["article"]
    assert _load(reloaded, tmp_path / "out", [])[0].metadata.title == "Another title"


def test_a_damaged_entry_is_normalised_again(seed, tmp_path):
    from kzpress import cache

    first = _load(seed, tmp_path / "out", [])
    cache.parsed_path(tmp_path / "out", "article").write_text("{damaged", encoding="utf-8")
    assert _load(seed, tmp_path / "out", []) == first


def test_a_seed_found_bad_leaves_nothing_in_the_output_folder(seed, tmp_path):
    from kzpress.errors import InputError

    seed.source.with_suffix(".yaml").write_text("lang: en-GB\n", encoding="utf-8")  # no date
    with pytest.raises(InputError, match="needs a date"):
        _load(find_seeds(seed.source.parent)["article"], tmp_path / "out", [])
    assert not (tmp_path / "out").exists()


def test_force_normalises_again_and_keeps_the_fresh_entry(seed, tmp_path, monkeypatch):
    from kzpress import cache

    _load(seed, tmp_path / "out", [])
    entry = cache.parsed_path(tmp_path / "out", "article")
    entry.write_text(entry.read_text(encoding="utf-8").replace("second paragraph", "kept paragraph"), encoding="utf-8")
    runs = []
    real = pandoc.run
    monkeypatch.setattr(pandoc, "run", lambda *args, **kwargs: runs.append(1) or real(*args, **kwargs))
    forced = build.load(seed, notice=lambda line: None, parse_cache=tmp_path / "out", reuse=False)
    assert runs and b"second paragraph" in forced.canonical_markdown
    assert "second paragraph" in entry.read_text(encoding="utf-8")  # the fresh entry replaced the kept one


def test_a_forced_build_leaves_the_entry_for_the_next_build(seed, tmp_path):
    from kzpress import cache
    from kzpress.cli import main

    out = tmp_path / "out"
    assert main(["-q", "build", "--seeds", str(seed.source.parent), "--out", str(out), "--to", "md", "--force"]) == 0
    assert cache.parsed_path(out, "article").exists()


def test_a_build_writes_the_print_page_from_the_settling_run(seed, tmp_path, monkeypatch):
    runs = []
    real = pandoc.run
    monkeypatch.setattr(pandoc, "run", lambda args, *rest, **kwargs: runs.append(args[-1]) or real(args, *rest, **kwargs))
    edition = build.load(seed, notice=lambda line: None, parse_cache=tmp_path / "out")
    assert len(runs) == 1  # the settling run
    html.body(edition.document)
    assert len(runs) == 1


def test_the_html_is_kept_with_the_normalised_text(seed, tmp_path, monkeypatch):
    first = build.load(seed, notice=lambda line: None, parse_cache=tmp_path / "out")
    expected = html.body(first.document)
    monkeypatch.setattr(pandoc, "_written", {})  # as in a new process
    monkeypatch.setattr(pandoc, "run", lambda *args, **kwargs: pytest.fail("pandoc ran for a cached seed"))
    again = build.load(seed, notice=lambda line: None, parse_cache=tmp_path / "out")
    assert html.body(again.document) == expected


def test_a_documents_json_is_dumped_once_and_an_edited_document_anew(monkeypatch):
    document = markdown.read("A *first* text.\n", source="test")
    dumps = []
    real = json.dumps
    monkeypatch.setattr(pandoc.json, "dumps", lambda *args, **kwargs: dumps.append(1) or real(*args, **kwargs))
    first = pandoc.document_json(document.to_json())
    assert pandoc.document_json(document.to_json()) is first and pandoc.html_key(document.to_json()) and len(dumps) == 1
    edited = document.walk(lambda element: {"t": "Str", "c": "second"} if element == {"t": "Str", "c": "first"} else None)
    assert json.loads(pandoc.document_json(edited.to_json())) == edited.to_json() != document.to_json()
    assert len(dumps) == 2
