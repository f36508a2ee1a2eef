"""A spaced dash never starts a line: the print HTML puts a no-break space before it (backends/html.py),
so it stays at the end of the line with the word before it.

Unicode line breaking allows a break between a space and an em dash, the dash of Russian and Kazakh
text. The test text has a spaced dash after runs of 1, 2, … words in a narrow column, so that some of
them fall at a line end; it is laid out with and without the no-break spaces.
"""

from __future__ import annotations

from lxml import html as lxml_html

from kzpress import pandoc
from kzpress.backends import html, pdf
from kzpress.document import Document
from kzpress.layout import load_settings

from conftest import ROOT

WORDS = "совет уступил по трём из четырёх требований и предложил повышение на семь процентов".split()
TEXT = "\n\n".join(f"{' '.join(WORDS[:count])} — водители согласились." for count in range(1, len(WORDS) + 1))
NARROW = "62mm 150mm"  # a column of about 25 characters: many line ends


def _lines(monkeypatch=None) -> list[str]:
    if monkeypatch is not None:
        monkeypatch.setattr(html, "bind_spaced_dashes", lambda text: None)
    document = Document.from_json(pandoc.to_json(("---\ntitle: Тире\nlang: ru\n---\n\n" + TEXT).encode(), "markdown"))
    settings = load_settings(ROOT / "layout", {"trim_size": NARROW})
    options = html.HtmlOptions(ROOT / "layout", ROOT / "fonts", settings, "2026-01-01T00:00:00Z", source="test")
    laid_out = pdf.lay_out(html.write(document, options), ROOT / "layout")
    lines = []
    for page in laid_out.pages:
        for box in page._page_box.descendants():
            if type(box).__name__ == "LineBox":
                text = "".join(child.text for child in box.descendants() if type(child).__name__ == "TextBox")
                if text.strip():
                    lines.append(text.strip())
    return lines


def test_without_the_no_break_space_a_dash_starts_a_line(monkeypatch):
    assert [line for line in _lines(monkeypatch) if line.startswith("—")], (
        "the test text no longer puts a dash at a line end: change NARROW or WORDS"
    )


def test_no_line_starts_with_a_spaced_dash():
    lines = _lines()
    assert sum(line.count("—") for line in lines) == len(WORDS)
    assert [line for line in lines if line.startswith("—")] == []


def test_only_the_space_before_a_spaced_dash_is_bound():
    body = html.print_body(
        "<p>Слово — другое, <em>и</em> — ещё, a – b, —c, x — <code>a — b</code> — y<br> — z</p>"
        "<p>— Диалог</p><pre>q — r</pre>"
    )
    assert lxml_html.tostring(body, encoding="unicode") == (
        '<div><p class="opening">Слово\xa0— другое, <em>и</em>\xa0— ещё, a\xa0– b, —c, x\xa0— <code>a — b</code>\xa0— y'
        "<br> — z</p><p>— Диалог</p><pre>q — r</pre></div>"
    )


def test_the_e_book_binds_its_spaced_dashes_too():
    from kzpress.epub.chapters import xhtml_elements

    (paragraph,) = xhtml_elements("<p>Слово — другое, <code>a — b</code></p>")
    assert "".join(paragraph.itertext()) == "Слово\xa0— другое, a — b"
