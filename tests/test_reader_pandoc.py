"""Markdown, .docx, .odt and .html seeds go through pandoc's readers into the same structure."""

from __future__ import annotations

import pytest

from kzpress import pandoc
from kzpress.normalize import normalize
from kzpress.document import stringify
from kzpress.seeds import Seed

SOURCE = '# Strike\n\nThe workers said "enough" -- and walked out...\n\n- wages\n- hours\n'


def _seed_file(tmp_path, suffix: str):
    if suffix == ".md":
        data = SOURCE.encode()
    else:
        writer = {".html": "html", ".docx": "docx", ".odt": "odt"}[suffix]
        data = pandoc.run(["-f", "markdown-smart", "-t", writer, "-o", "-"], SOURCE.encode())
    path = tmp_path / f"strike{suffix}"
    path.write_bytes(data)
    return Seed("strike", path, None)


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx", ".odt"])
def test_seed_formats_read_into_heading_paragraph_and_list(tmp_path, suffix):
    document, _, _ = normalize(_seed_file(tmp_path, suffix), lang="en-GB", notice=lambda message: None)
    kinds = [block["t"] for block in document.blocks]
    assert kinds == ["Header", "Para", "BulletList"]
    assert stringify(document.blocks[0]) == "Strike"
    assert stringify(document.blocks[1]) == "The workers said “enough” – and walked out…"
    assert document.metadata.lang == "en-GB"


def test_a_corrupt_docx_is_one_clear_error(tmp_path):
    from kzpress.errors import KzpressError

    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(KzpressError, match="broken.docx: pandoc could not convert it"):
        normalize(Seed("broken", path, None), lang="en", notice=lambda message: None)


def _normalised_counting_runs(seed: Seed, monkeypatch) -> tuple[tuple, int]:
    runs = []
    real = pandoc.run

    def counted(*args, **kwargs):
        runs.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(pandoc, "run", counted)
    document, language, canonical = normalize(seed, notice=lambda message: None)
    page = pandoc.from_json(document.to_json(), *pandoc.HTML)  # the print page's HTML, written in that run
    return (document.to_json(), language.tag, canonical, page), len(runs)


def _normalised_in_two_runs(seed: Seed, monkeypatch) -> tuple:
    import kzpress.readers

    with monkeypatch.context() as patch:
        patch.setattr(kzpress.readers, "writing_reader_for", lambda path: None)
        return _normalised_counting_runs(seed, patch)[0]


def test_a_canonical_markdown_seed_is_normalised_in_one_pandoc_run(tmp_path, monkeypatch):
    first = _seed_file(tmp_path, ".md")
    canonical = normalize(first, lang="en-GB", notice=lambda message: None)[2]
    seed = Seed("canonical", tmp_path / "canonical.md", None)
    seed.source.write_bytes(canonical)
    normalised, runs = _normalised_counting_runs(seed, monkeypatch)
    assert runs == 1
    assert normalised == _normalised_in_two_runs(seed, monkeypatch)
    assert normalised[2] == canonical


def test_a_markdown_seed_that_is_not_canonical_is_settled_in_a_second_run(tmp_path, monkeypatch):
    seed = Seed("strike", tmp_path / "strike.md", None)
    seed.source.write_text("---\nlang: en-GB\ntitle: Strike\n---\n\nA *strike*  begins.\n", encoding="utf-8")
    normalised, runs = _normalised_counting_runs(seed, monkeypatch)
    assert runs == 2  # two spaces and the missing blank line after the metadata: not canonical
    assert normalised == _normalised_in_two_runs(seed, monkeypatch)


def test_a_markdown_seed_that_normalising_changes_is_settled_in_a_second_run(tmp_path, monkeypatch):
    seed = Seed("strike", tmp_path / "strike.md", None)
    seed.source.write_text("---\nlang: en-GB\ntitle: Strike\n---\n\n" + SOURCE, encoding="utf-8")  # straight quotes
    normalised, runs = _normalised_counting_runs(seed, monkeypatch)
    assert runs == 2
    assert normalised == _normalised_in_two_runs(seed, monkeypatch)


@pytest.mark.parametrize("text", ["canonical", "not canonical"])
def test_a_long_text_whose_parse_is_taken_early_is_normalised_the_same(tmp_path, monkeypatch, text):
    # READ_EARLY_BYTES and longer: the parse taken as soon as pandoc has written it, the rest meanwhile.
    first = _seed_file(tmp_path, ".md")
    canonical = normalize(first, lang="en-GB", notice=lambda message: None)[2]
    seed = Seed("canonical", tmp_path / "canonical.md", None)
    assert b"walked out" in canonical
    seed.source.write_bytes(canonical if text == "canonical" else canonical.replace(b"walked out", b"walked  out"))
    one_run = _normalised_counting_runs(seed, monkeypatch)[0]
    monkeypatch.setattr(pandoc, "READ_EARLY_BYTES", 0)
    assert _normalised_counting_runs(seed, monkeypatch)[0] == one_run


def test_the_reading_run_stops_when_normalising_fails(tmp_path, monkeypatch):
    from kzpress.errors import InputError

    monkeypatch.setattr(pandoc, "READ_EARLY_BYTES", 0)
    cancelled = []
    cancel = pandoc.Written.cancel
    monkeypatch.setattr(pandoc.Written, "cancel", lambda written: cancelled.append(written) or cancel(written))
    seed = Seed("deep", tmp_path / "deep.md", None)
    seed.source.write_text("> " * 150 + "too deep\n", encoding="utf-8")  # past sanitize.MAX_DEPTH
    with pytest.raises(InputError, match="nested more than"):
        normalize(seed, lang="en-GB", notice=lambda message: None)
    reading = cancelled[0].reading
    assert len(cancelled) == 1 and reading.process.poll() is not None and not any(t.is_alive() for t in reading.threads)


def test_a_reading_run_that_fails_early_gives_pandocs_error(tmp_path, monkeypatch):
    from kzpress.errors import KzpressError

    monkeypatch.setattr(pandoc, "READ_EARLY_BYTES", 0)
    monkeypatch.setattr(pandoc, "HEAP_LIMIT_MB", 4)  # too little to read even this
    seed = _seed_file(tmp_path, ".md")
    seed.source.write_text(SOURCE * 2000, encoding="utf-8")
    with pytest.raises(KzpressError, match=r"strike\.md: pandoc ran out of its 4 MB of memory"):
        normalize(seed, lang="en-GB", notice=lambda message: None)
