"""The PDF renderer's sandbox: files inside the allowed folders and safe data: URLs, nothing else."""

from __future__ import annotations

import io
import logging

import pikepdf
import pytest
from PIL import Image

from kzpress import sandbox
from kzpress.backends.pdf import weasyprint_module

from conftest import ROOT

SECRET = "KZPRESS-SANDBOX-SECRET"


@pytest.fixture
def folders(tmp_path):
    allowed, outside = tmp_path / "document", tmp_path / "outside"
    allowed.mkdir()
    outside.mkdir()
    Image.new("RGB", (3, 2), "blue").save(allowed / "inside.png")
    Image.new("RGB", (7, 5), "red").save(outside / "secret.png")
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "secret.css").write_text(f'body::after {{ content: "{SECRET}" }}', encoding="utf-8")
    (allowed / "link.png").symlink_to(outside / "secret.png")
    return allowed, outside


def test_files_inside_are_served_and_the_rest_refused(folders):
    allowed, outside = folders
    assert sandbox.refusal((allowed / "inside.png").as_uri(), (allowed,)) is None
    assert "outside" in sandbox.refusal((outside / "secret.png").as_uri(), (allowed,))
    assert "outside" in sandbox.refusal((allowed / "link.png").as_uri(), (allowed,))  # a symbolic link leading out
    assert "outside" in sandbox.refusal((allowed / ".." / "outside" / "secret.png").as_uri(), (allowed,))
    assert "outside" in sandbox.refusal((allowed / "missing.png").as_uri(), (allowed,))
    assert "another host" in sandbox.refusal("file://evil.example/etc/passwd", (allowed,))
    assert "no network" in sandbox.refusal("https://evil.example/x.png", (allowed,))
    assert "no network" in sandbox.refusal("ftp://evil.example/x.png", (allowed,))
    assert sandbox.refusal("data:image/png;base64,iVBORw0KGgo=", (allowed,)) is None
    assert "text/css" in sandbox.refusal("data:text/css,@import url(file:///etc/passwd)", (allowed,))
    assert "text/plain" in sandbox.refusal("data:,hello", (allowed,))


def _render(page: str, allowed) -> tuple[bytes, list[str]]:
    weasyprint = weasyprint_module(ROOT / "layout")
    records: list[str] = []

    class Recorder(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    recorder = Recorder(logging.WARNING)
    logging.getLogger("kzpress.sandbox").addHandler(recorder)
    try:
        document = weasyprint.HTML(string=page, base_url=str(allowed), url_fetcher=sandbox.url_fetcher(allowed))
        return document.write_pdf(), records
    finally:
        logging.getLogger("kzpress.sandbox").removeHandler(recorder)


def test_a_hostile_page_renders_without_anything_from_outside(folders):
    allowed, outside = folders
    secret = (outside / "secret.txt").as_uri()
    page = f"""<html><head>
    <link rel="stylesheet" href="{(outside / 'secret.css').as_uri()}">
    <link rel="stylesheet" href="https://evil.example/x.css">
    <link rel="attachment" href="{secret}">
    <style>@import url("{(outside / 'secret.css').as_uri()}");
           p {{ background: url({(outside / 'secret.png').as_uri()}) }}</style>
    </head><body>
    <p>Text <a rel="attachment" href="{secret}">attached</a></p>
    <img src="{(outside / 'secret.png').as_uri()}"><img src="link.png"><img src="../outside/secret.png">
    <img src="https://evil.example/pixel.png"><object data="{secret}"></object><embed src="{secret}">
    <svg width="10" height="10"><image href="{(outside / 'secret.png').as_uri()}" width="10" height="10"/></svg>
    <img src="inside.png">
    </body></html>"""
    data, refusals = _render(page, allowed)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        annotations = [a for page in pdf.pages for a in page.get("/Annots", [])]
        assert not any(a.get("/Subtype") == "/FileAttachment" for a in annotations)
        sizes = [(int(i.Width), int(i.Height)) for page in pdf.pages for i in page.get_images().values()]
        streams = b"".join(obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream))
    assert sizes == [(3, 2)], "only the image inside the document's folder"
    assert SECRET.encode() not in streams
    assert refusals and all(message.startswith("the PDF renderer refused ") for message in refusals)
    assert any("https://evil.example/x.css" in message for message in refusals)


def test_the_layout_and_fonts_folders_are_what_a_pamphlet_needs():
    fetcher = sandbox.for_layout(ROOT / "layout")
    font = next((ROOT / "fonts").glob("*.ttf"))
    assert fetcher.fetch(font.as_uri()).read()[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")
    with pytest.raises(sandbox.Refused):
        fetcher.fetch((ROOT / "pyproject.toml").as_uri())
