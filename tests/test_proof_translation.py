"""Proofs of a translation: its pages beside the source's on one sheet; the pseudo-translation proofed
with --lang en-XA; a language with nothing stored is one error line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from kzpress.cli import main
from kzpress.proof import GUTTER, SHEET_BACKGROUND, SPINE, ProofOptions, page_images, side_by_side, side_by_side_files
from kzpress.translation import store

TESTS = Path(__file__).parent
SHORT = TESTS / "documents" / "translation-short.md"
SLUG = SHORT.stem
OPTIONS = ProofOptions()


def _seeds(folder: Path, *langs: str) -> Path:
    seeds = folder / "seeds"
    seeds.mkdir()
    (seeds / SHORT.name).write_bytes(SHORT.read_bytes())
    if langs:
        store.import_files([TESTS / "translations" / f"{SLUG}.{lang}.xlf" for lang in langs], seeds)
    return seeds


@pytest.fixture(scope="module")
def proofed(tmp_path_factory) -> Path:
    """`kzpress proof` of every edition (English and the stored Russian), then of the pseudo-translation,
    over the proofs of an earlier, longer Russian text."""
    folder = tmp_path_factory.mktemp("proof-translation")
    seeds, out = _seeds(folder, "ru"), folder / "dist"
    stale = [out / SLUG / "ru" / "proof" / f"{SLUG}-page-009.png", out / SLUG / "ru" / f"{SLUG}.side-by-side-2.png"]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"an earlier proof")
    for langs in ([], ["--lang", "en-XA"]):
        assert main(["-q", "proof", SLUG, *langs, "--seeds", str(seeds), "--out", str(out)]) == 0
    return out / SLUG


def _sheet(edition: Path) -> Image.Image:
    return Image.open(edition / f"{SLUG}.side-by-side.png").convert("RGB")


def _cell(sheet: Image.Image, page: Image.Image, pair: int, side: int) -> Image.Image:
    """Where `side_by_side` puts the page of `pair` (from 0) on `side` (0 source, 1 translation), in the
    first row: the label's height is what the one row leaves over."""
    width, height = page.size
    label = sheet.size[1] - 2 * GUTTER - height
    left, top = GUTTER + pair * (2 * width + SPINE + GUTTER) + side * (width + SPINE), GUTTER + label
    return sheet.crop((left, top, left + width, top + height))


def test_a_translation_has_its_pages_beside_the_sources(proofed):
    source = page_images((proofed / "en-GB" / f"{SLUG}.pdf").read_bytes(), OPTIONS.pair_dpi)
    russian = page_images((proofed / "ru" / f"{SLUG}.pdf").read_bytes(), OPTIONS.pair_dpi)
    sheet = _sheet(proofed / "ru")
    width, height = source[0].size
    assert len(source) == len(russian) == 3  # one row of three pairs
    assert sheet.size[0] == GUTTER + 3 * (2 * width + SPINE + GUTTER)
    assert 2 * GUTTER + height < sheet.size[1] < 2 * GUTTER + height + height // 10
    for pair in range(3):
        assert not ImageChops.difference(_cell(sheet, source[pair], pair, 0), source[pair]).getbbox()
        assert not ImageChops.difference(_cell(sheet, russian[pair], pair, 1), russian[pair]).getbbox()


def test_the_source_edition_has_no_side_by_side_sheet(proofed):
    assert (proofed / "en-GB" / f"{SLUG}.contact-sheet.png").is_file()
    assert not list((proofed / "en-GB").glob("*side-by-side*"))


def test_proofs_of_pages_that_are_gone_are_removed(proofed):
    assert sorted(path.name for path in (proofed / "ru" / "proof").iterdir()) == [f"{SLUG}-page-00{n}.png" for n in (1, 2, 3)]
    assert [path.name for path in (proofed / "ru").glob("*side-by-side*")] == [f"{SLUG}.side-by-side.png"]


def test_the_pseudo_translation_is_proofed_against_the_source(proofed):
    pseudo = proofed / "en-XA"
    pages = page_images((pseudo / f"{SLUG}.pdf").read_bytes(), OPTIONS.pair_dpi)
    assert len(list((pseudo / "proof").glob(f"{SLUG}-page-*.png"))) == len(pages)
    assert (pseudo / f"{SLUG}.contact-sheet.png").is_file()
    assert not ImageChops.difference(_cell(_sheet(pseudo), pages[0], 0, 1), pages[0]).getbbox()


def test_a_page_one_side_lacks_is_empty_ground():
    white, black = Image.new("RGB", (40, 60), "white"), Image.new("RGB", (40, 60), "black")
    sheet = side_by_side([white, white], [black, black, black, black], "en-GB", "ru", pairs_per_row=3)
    label = (sheet.size[1] - 3 * GUTTER - 2 * 60) // 2
    assert sheet.size[0] == GUTTER + 3 * (2 * 40 + SPINE + GUTTER)
    fourth_source = (GUTTER, 2 * GUTTER + 2 * label + 60 + 30)  # second row, first pair, left page's middle
    fourth_translation = (fourth_source[0] + 40 + SPINE + 20, fourth_source[1])
    assert sheet.getpixel((fourth_source[0] + 20, fourth_source[1])) == SHEET_BACKGROUND
    assert sheet.getpixel(fourth_translation) == (0, 0, 0)


def test_a_long_document_gets_several_sheets(proofed):
    source, russian = (proofed / "en-GB" / f"{SLUG}.pdf").read_bytes(), (proofed / "ru" / f"{SLUG}.pdf").read_bytes()
    files = side_by_side_files(source, russian, SLUG, "en-GB", "ru", ProofOptions(pair_dpi=10, pairs_per_sheet=2))
    assert sorted(map(str, files)) == [f"{SLUG}.side-by-side-1.png", f"{SLUG}.side-by-side-2.png"]
    widths = [Image.open(io.BytesIO(data)).size[0] for _, data in sorted(files.items())]
    assert widths[0] > widths[1]  # two pairs, then the third alone


def _error(capsys) -> str:
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("kzpress: error: "), captured.err
    return captured.err


def test_a_language_with_no_stored_translation_is_one_error_line(tmp_path, capsys):
    seeds = _seeds(tmp_path)
    assert main(["proof", SLUG, "--lang", "ru", "--seeds", str(seeds), "--out", str(tmp_path / "dist")]) == 1
    error = _error(capsys)
    assert "no 'ru' edition" in error and "kzpress import" in error
    assert not (tmp_path / "dist" / SLUG / "ru").exists()


def test_another_languages_pseudo_locale_names_the_right_one(tmp_path, capsys):
    seeds = _seeds(tmp_path)
    assert main(["proof", SLUG, "--lang", "ru-XA", "--seeds", str(seeds), "--out", str(tmp_path / "dist")]) == 1
    assert "proof it with --lang en-XA" in _error(capsys)
