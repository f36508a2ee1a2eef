"""Proofs: one image per page, a contact sheet of spreads, and visual diffs between builds."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from kzpress import normalize
from kzpress.cli import main
from kzpress.proof import ProofOptions, changed_pages, proof_files, spreads

SLUG = "kazakhstan-2022"


@pytest.fixture(scope="module")
def seed_pdf(seed_build) -> bytes:
    return (seed_build / SLUG / "en-GB" / f"{SLUG}.pdf").read_bytes()


def _pages(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def test_spreads_put_the_first_page_alone_on_the_right():
    assert spreads(5) == [(None, 0), (1, 2), (3, 4)]
    assert spreads(4) == [(None, 0), (1, 2), (3, None)]


def test_proof_has_an_a5_shaped_image_per_page_and_a_contact_sheet(seed_pdf):
    files = proof_files(seed_pdf, SLUG, ProofOptions(dpi=30, sheet_dpi=10))
    pages = sorted(path for path in files if path.parts[0] == "proof")
    assert len(pages) == _pages(seed_pdf)
    width, height = Image.open(io.BytesIO(files[pages[0]])).size
    assert abs(height / width - 210 / 148) < 0.02
    sheet = Image.open(io.BytesIO(files[next(p for p in files if p.name.endswith("contact-sheet.png"))]))
    assert sheet.size[0] > 4 * width * 10 / 30


def test_diff_finds_exactly_the_page_that_changed(seed_pdf, tmp_path, capsys):
    before, after = tmp_path / "before.pdf", tmp_path / "after.pdf"
    before.write_bytes(seed_pdf)
    with pikepdf.open(io.BytesIO(seed_pdf)) as document:
        document.pages[2].Contents = document.make_stream(b"")  # page 3 loses its text
        document.save(after)
    assert changed_pages(seed_pdf, after.read_bytes()) == [3]
    assert main(["diff", str(before), str(after)]) == 1
    assert capsys.readouterr().out == "pages changed: 3\n"
    assert main(["diff", str(before), str(before)]) == 0


# diff's exit status is diff(1)'s and cmp(1)'s: 0 the same, 1 pages changed, 2 trouble, so that a
# script can tell a change from a mistake.


def test_diff_of_a_missing_pdf_is_one_error_line_and_exit_status_2(tmp_path, capsys):
    assert main(["diff", str(tmp_path / "a.pdf"), str(tmp_path / "b.pdf")]) == 2
    assert capsys.readouterr().err == f"kzpress: error: {tmp_path / 'a.pdf'}: no such PDF\n"


def test_diff_of_a_file_that_is_no_pdf_names_it_and_exits_2(seed_pdf, tmp_path, capsys):
    text, pdf = tmp_path / "article.md", tmp_path / "build.pdf"
    text.write_text("# Not a PDF\n", encoding="utf-8")
    pdf.write_bytes(seed_pdf)
    assert main(["diff", str(text), str(pdf)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"kzpress: error: {text}: not a readable PDF: ") and error.count("\n") == 1
    assert "give two PDF files" in error and "build it again" not in error


def test_diff_with_a_wrong_command_line_exits_2(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["diff", "only-one.pdf"])
    assert exited.value.code == 2


def test_a_proof_normalises_its_seed_once(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    short = Path(__file__).parent / "documents" / "translation-short.md"
    (seeds / short.name).write_bytes(short.read_bytes())
    calls = []
    real = normalize._normalized
    monkeypatch.setattr(normalize, "_normalized", lambda *args: calls.append(args[0].slug) or real(*args))
    assert main(["-q", "proof", short.stem, "--seeds", str(seeds), "--out", str(tmp_path / "dist")]) == 0
    assert calls == [short.stem]  # the proof takes the text the build normalised from the output folder
