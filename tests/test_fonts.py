"""The fonts folder: every font covers the scripts kzpress publishes in, and carries its licence."""

from __future__ import annotations

import string

import pytest
from fontTools.ttLib import TTFont

from kzpress.fonts import font_faces

from conftest import ROOT

KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
RUSSIAN = "".join(chr(code) for code in range(0x0410, 0x0450)) + "Ёё"
PUNCTUATION = "‘’“”«»„–—…№-"
FACES = font_faces(ROOT / "fonts")


@pytest.mark.parametrize("face", FACES, ids=lambda face: face.path.name)
def test_font_covers_latin_russian_and_kazakh(face):
    with TTFont(face.path, lazy=True) as font:
        cmap = font.getBestCmap()
    wanted = string.ascii_letters + string.digits + RUSSIAN + KAZAKH + PUNCTUATION
    assert [ch for ch in wanted if ord(ch) not in cmap] == []


def test_fonts_folder_has_the_families_the_layout_names():
    families = {face.family for face in FACES}
    assert {"PT Serif", "PT Sans", "PT Mono"} <= families
    styles = {(face.weight, face.style) for face in FACES if face.family == "PT Serif"}
    assert styles == {(400, "normal"), (400, "italic"), (700, "normal"), (700, "italic")}


def test_fonts_travel_with_their_licence():
    licence = (ROOT / "fonts" / "LICENSE-ParaType.txt").read_text(encoding="utf-8")
    assert "ParaType" in licence and "GRANT OF LICENSE" in licence


def test_fonts_cover_what_the_layout_itself_prints():
    """The labels of every language, the line-end hyphen, the ellipsis of a cut running head, the rule's
    asterisks and the contents' leader dots, in every face that may set them."""
    import yaml

    labels = yaml.safe_load((ROOT / "layout" / "labels.yaml").read_text(encoding="utf-8"))
    texts = [str(value) for language in labels.values() for value in language.values() if not isinstance(value, dict)]
    texts += [name for language in labels.values() for name in language["languages"].values()]
    wanted = {ch for text in texts for ch in text if not ch.isspace() and ch not in "{}_"} | set("-…*.()0123456789")
    for face in FACES:
        with TTFont(face.path, lazy=True) as font:
            cmap = font.getBestCmap()
        assert sorted(ch for ch in wanted if ord(ch) not in cmap) == [], face.path.name
