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
