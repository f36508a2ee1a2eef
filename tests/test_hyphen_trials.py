"""Soft-hyphen trials that cannot fit, answered from the shortest (kzpress.hyphen_trials): the lines
WeasyPrint sets when it tries them all, so the same PDF to the byte, in English, Russian and Kazakh."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kzpress import hyphen_trials, lines
from kzpress.backends import pdf

from conftest import ROOT, NothingReused, print_page


@pytest.mark.parametrize("name, trim_size", [
    ("kazakhstan-2022", "148mm 210mm"),
    ("kazakhstan-2022", "105mm 148mm"),
    ("pdf-russian", "105mm 148mm"),
    ("pdf-kazakh", "105mm 148mm"),
])
def test_the_pdf_is_the_one_that_tries_every_soft_hyphen(name, trim_size, monkeypatch):
    monkeypatch.setattr(lines, "memo", NothingReused())
    page = print_page(name, trim_size)
    before = hyphen_trials.trials.answered
    answered = pdf.render(page, ROOT / "layout", True, pdf.READING_VARIANT)
    assert hyphen_trials.trials.answered > before, "no trial was answered: the test shows nothing"
    monkeypatch.setattr(hyphen_trials.trials, "enabled", False)
    assert pdf.render(page, ROOT / "layout", True, pdf.READING_VARIANT) == answered


def test_another_weasyprint_version_is_left_as_it_is():
    assert hyphen_trials.install(SimpleNamespace(__version__="0.1")) is False


@pytest.fixture
def paragraph_style(monkeypatch):
    """The computed style and layout context of a manually hyphenated paragraph, from a render."""
    weasyprint = pdf.weasyprint_module(ROOT / "layout")
    from weasyprint.layout import inline

    seen = []
    set_line = inline.split_first_line

    def recording(text, style, context, *args, **kwargs):
        seen.append((style, context))
        return set_line(text, style, context, *args, **kwargs)

    monkeypatch.setattr(inline, "split_first_line", recording)
    weasyprint.HTML(string="<p style=\"hyphens: manual; hyphenate-character: '-'\">a word</p>").render()
    return seen[0]


@pytest.mark.parametrize("width, answered", [(1000, False), (5, True)])
def test_trials_are_answered_only_when_the_shortest_does_not_fit(paragraph_style, monkeypatch, width, answered):
    from weasyprint.text import line_break

    style, context = paragraph_style
    line = hyphen_trials.LineBeingSet(style)
    line.first_layout, line.before_word = object(), "a "  # Pango broke the line at the space
    monkeypatch.setattr(hyphen_trials.trials, "line", line)
    layout = line_break.create_layout("a bb\u00adcc\u00addd-", style, context, width, 0)
    assert line.hopeless is answered
    assert (layout is line.first_layout) is answered
