"""Lines of a long text's later part set ahead by a forked helper (kzpress.lines_ahead): the same PDF to
the byte, and the helper's lines taken only from the page that starts at its first block."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import pytest
from lxml import html as lxml_html

from kzpress import lines_ahead
from kzpress.backends import html
from kzpress.build import load
from kzpress.layout import load_settings
from kzpress.seeds import find_seeds

from conftest import ROOT, SEEDS

# Run in a fresh process: a helper is forked only before the process has laid out text (Pango's threads).
# A render does not wait for its helper; on a page this short it could finish first, so here it waits at
# each page until the helper has sent all its lines: the test is about the lines taken, not the race.
RENDER = """
import hashlib, select, sys, time
from pathlib import Path
from kzpress import lines, lines_ahead
from kzpress.backends import pdf
lines_ahead.LONG_PAGE, lines_ahead.spare_cores = 0, int(sys.argv[2])
poll = lines_ahead.Helper.poll
def poll_to_the_end(helper):
    until = time.monotonic() + 120
    while helper.reading >= 0 and time.monotonic() < until:
        select.select([helper.reading], [], [], 1)
        poll(helper)
lines_ahead.Helper.poll = poll_to_the_end
data = pdf.render(Path(sys.argv[1]).read_bytes(), Path(sys.argv[3]), True, pdf.READING_VARIANT)
print(hashlib.sha256(data).hexdigest(), lines.memo.reused)
"""


def _rendered(page_path, spare_cores: int) -> tuple[str, int]:
    done = subprocess.run([sys.executable, "-c", RENDER, str(page_path), str(spare_cores), str(ROOT / "layout")],
                          capture_output=True, text=True, timeout=300, check=True)
    digest, reused = done.stdout.split()
    return digest, int(reused)


def test_the_pdf_is_the_same_with_the_lines_set_ahead(tmp_path):
    edition = load(find_seeds(SEEDS)["kazakhstan-2022"], notice=lambda message: None)
    settings = load_settings(ROOT / "layout", {"trim_size": "105mm 148mm"})  # A6: more pages, and page turns mended
    page = tmp_path / "page.html"
    page.write_bytes(html.write(edition.document, html.HtmlOptions(ROOT / "layout", ROOT / "fonts", settings, edition.created)))
    ahead, reused = _rendered(page, spare_cores=1)
    alone, reused_alone = _rendered(page, spare_cores=0)
    # A first render alone reuses only the lines of its pages made again (kzpress.lines).
    assert reused > reused_alone + 100, "the render took no lines from the helper"
    assert ahead == alone


def _box(tag, element=None, children=()):
    return SimpleNamespace(element_tag=tag, element=element, children=list(children))


@pytest.fixture
def body_text():
    """A box tree as WeasyPrint builds it: html > body > (title page, main > four paragraphs)."""
    main = lxml_html.fragment_fromstring("<main><p>0</p><!-- a comment --><p>1</p><p>2</p><p>3</p></main>")
    paragraphs = [_box("p", element) for element in main if isinstance(element.tag, str)]
    return _box("html", children=[_box("body", children=[_box("section"), _box("main", main, paragraphs)])])


@pytest.mark.parametrize("resume_at, reached", [
    (None, False),  # the first page
    ({0: {0: None}}, False),  # the title page
    ({0: {1: {1: {0: {5: None}}}}}, False),  # inside the second paragraph
    ({0: {1: {2: None}}}, True),  # the third paragraph, the helper's first block
    ({0: {1: {3: {0: {12: None}}}}}, True),  # inside the fourth
    ({0: {2: None}}, True),  # after the body's text
])
def test_the_helpers_lines_are_taken_from_its_first_block_on(body_text, resume_at, reached):
    assert lines_ahead._reached(body_text, resume_at, cut=2) is reached


def test_no_helper_for_a_short_page_or_without_a_spare_core(monkeypatch):
    monkeypatch.setattr(lines_ahead.os, "fork", lambda: pytest.fail("forked"))
    monkeypatch.setattr(lines_ahead, "_installed", True)
    monkeypatch.setattr(lines_ahead, "spare_cores", 1)
    lines_ahead.start(b"<p>short</p>", lambda page: None)
    monkeypatch.setattr(lines_ahead, "spare_cores", 0)
    lines_ahead.start(b"x" * lines_ahead.LONG_PAGE, lambda page: None)
