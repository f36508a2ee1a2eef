"""Every output of the seed against its reviewed structural summary in tests/golden/.

After an intended change: `invoke golden` (pytest --update-golden) and review the diff like code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzpress.inspect import epub_summary, pdf_summary, xliff_summary
from kzpress.preflight import print_summary

GOLDEN = Path(__file__).parent / "golden"
SLUG = "kazakhstan-2022"

CASES = {
    "en-GB.pdf.json": (f"{SLUG}/en-GB/{SLUG}.pdf", pdf_summary),
    "en-GB.print.pdf.json": (f"{SLUG}/en-GB/{SLUG}.print.pdf", print_summary),
    "en-GB.booklet.pdf.json": (f"{SLUG}/en-GB/{SLUG}.booklet.pdf", print_summary),
    "en-GB.epub.json": (f"{SLUG}/en-GB/{SLUG}.epub", epub_summary),
    "ru.xlf.json": (f"{SLUG}/xliff/{SLUG}.ru.xlf", xliff_summary),
    "kk.xlf.json": (f"{SLUG}/xliff/{SLUG}.kk.xlf", xliff_summary),
}


@pytest.mark.parametrize("golden_name", sorted(CASES))
def test_output_structure_matches_golden(seed_build, request, golden_name):
    relative, summarise = CASES[golden_name]
    summary = json.loads(json.dumps(summarise((seed_build / relative).read_bytes())))
    golden = GOLDEN / f"{SLUG}.{golden_name}"
    if request.config.getoption("--update-golden"):
        golden.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert summary == json.loads(golden.read_text(encoding="utf-8"))


def test_canonical_markdown_matches_golden(seed_build, request):
    built = (seed_build / f"{SLUG}/en-GB/{SLUG}.md").read_text(encoding="utf-8")
    golden = GOLDEN / f"{SLUG}.en-GB.md"
    if request.config.getoption("--update-golden"):
        golden.write_text(built, encoding="utf-8")
    assert built == golden.read_text(encoding="utf-8")
