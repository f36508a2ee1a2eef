"""`kzpress new`: a seed that builds as it is, never over an existing one."""

from __future__ import annotations

from datetime import date

import pytest

from kzpress.build import load
from kzpress.cli import main
from kzpress.errors import InputError
from kzpress.scaffold import new_seed
from kzpress.seeds import find_seeds

from conftest import ROOT


def test_new_seed_normalises_into_title_heading_and_lists(tmp_path):
    new_seed(tmp_path, "may-day", layout_dir=ROOT / "layout", lang="en-GB", today=date(2026, 5, 1), author="Jo Doe")
    edition = load(find_seeds(tmp_path)["may-day"], notice=lambda message: None)
    meta = edition.document.metadata
    assert (meta.title, meta.authors, meta.date, meta.lang) == ("May day", ("Jo Doe",), "2026-05-01", "en-GB")
    kinds = [block["t"] for block in edition.document.blocks]
    assert "Header" in kinds and "BulletList" in kinds and "OrderedList" in kinds


def test_new_refuses_to_overwrite_an_existing_seed(tmp_path):
    (tmp_path / "may-day.md").write_text("# x\n", encoding="utf-8")
    with pytest.raises(InputError, match="exists already"):
        new_seed(tmp_path, "may-day", layout_dir=ROOT / "layout")
    assert (tmp_path / "may-day.md").read_text(encoding="utf-8") == "# x\n"


@pytest.mark.parametrize("slug", ["May Day", "../escape", "-x", ""])
def test_new_refuses_a_slug_that_is_not_a_plain_name(tmp_path, slug):
    with pytest.raises(InputError, match="a slug is lower-case letters"):
        new_seed(tmp_path, slug, layout_dir=ROOT / "layout")


def test_new_command_then_build_writes_the_pamphlet_files(tmp_path, capsys):
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    assert main(["new", "strike-2026", "--lang", "ru", "--seeds", str(seeds)]) == 0
    assert main(["build", "--to", "md", "--seeds", str(seeds), "--out", str(out)]) == 0
    assert (out / "strike-2026" / "ru" / "strike-2026.md").exists()
    assert main(["new", "strike-2026", "--seeds", str(seeds)]) == 1
    assert "exists already" in capsys.readouterr().err


NAMES = ["Transport Workers' Union press group", 'Ivan "Vanya" Petrov', "Press: the #1 collective # Almaty",
         "Жұмысшылар одағы — Алматы", "O'Brien & Ng: \"Left\" #2", " back\\slash\tand tab "]


@pytest.mark.parametrize("name", NAMES)
def test_new_writes_author_and_publisher_as_readable_yaml_that_reads_back_the_same(tmp_path, name):
    new_seed(tmp_path, "may-day", layout_dir=ROOT / "layout", author=name, publisher=name)
    text = (tmp_path / "may-day.yaml").read_text(encoding="utf-8")
    assert "\\u" not in text  # no escaped letters or apostrophes for the editor to decipher
    assert ("'" in name) <= ("'" in text) and ("Жұмысшылар" in name) <= ("Жұмысшылар" in text)
    metadata = find_seeds(tmp_path)["may-day"].metadata()
    assert (metadata["author"], metadata["publisher"]) == ([name], name)


def test_new_seed_author_gets_the_typography_of_the_text(tmp_path):
    new_seed(tmp_path, "may-day", layout_dir=ROOT / "layout", author="Transport Workers' Union press group")
    assert 'author: "Transport Workers\' Union press group"' in (tmp_path / "may-day.yaml").read_text(encoding="utf-8")
    edition = load(find_seeds(tmp_path)["may-day"], notice=lambda message: None)
    assert edition.document.metadata.authors == ("Transport Workers’ Union press group",)
