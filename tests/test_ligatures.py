"""Ligatures and hyphenation: a word set with an fi/fl/ff ligature reads back as its letters from the
PDF (copying, searching, screen readers), because no soft hyphen splits a ligature's letters."""

from __future__ import annotations

import pytest

from kzpress.build import Project, build
from kzpress.hyphenation import SOFT_HYPHEN, hyphenator
from kzpress.language import language

TEXT = """---
title: Leaflets
lang: en-GB
date: "2022"
---

We printed leaflets and more leaflets, then leafleted the depot. Reflections on the conflict: the flat
fee, the flood, the baffled officials and the offline workflow.
"""


def test_no_soft_hyphen_splits_a_ligatures_letters():
    english = hyphenator(language("en-GB"))
    for word in ("leaflets", "leafleted", "baffled", "offline", "workflow"):
        hyphenated = english.word(word)
        assert all(pair not in hyphenated for pair in (f"f{SOFT_HYPHEN}l", f"f{SOFT_HYPHEN}i", f"f{SOFT_HYPHEN}f")), hyphenated


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory) -> str:
    import pypdfium2

    root = tmp_path_factory.mktemp("ligatures")
    (root / "seeds").mkdir()
    (root / "seeds" / "leaflets.md").write_text(TEXT, encoding="utf-8")
    build(Project(seeds_dir=root / "seeds", out_dir=root / "out"), [], ["pdf"], [], notice=lambda message: None)
    document = pypdfium2.PdfDocument(str(root / "out" / "leaflets" / "en-GB" / "leaflets.pdf"))
    return "".join(page.get_textpage().get_text_range() for page in document).replace("\ufffe", "").replace("\r\n", " ")


@pytest.mark.parametrize("word", ["leaflets", "leafleted", "conflict", "flood", "baffled", "offline", "workflow"])
def test_a_ligature_reads_back_as_its_letters(pdf_text, word):
    assert word in pdf_text
    assert "\u02b4" not in pdf_text
