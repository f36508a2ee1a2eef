"""Translated editions: the hand-made Russian and Kazakh translations of tests/documents/translation-short.md,
imported as translators return them, build into PDFs and EPUBs in Cyrillic, with their language tags,
quotation marks, hyphenation and translator credit; an incomplete translation builds only on request."""

from __future__ import annotations

import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kzpress.build import Project, build, load, translated_edition
from kzpress.check import check_epub, check_pdf
from kzpress.errors import InputError
from kzpress.inspect import epub_summary, pdf_summary, pdf_text
from kzpress.seeds import Seed
from kzpress.translation import store

TESTS = Path(__file__).parent
SHORT = TESTS / "documents" / "translation-short.md"
TRANSLATIONS = {"ru": TESTS / "translations" / "translation-short.ru.xlf", "kk": TESTS / "translations" / "translation-short.kk.xlf"}
TRANSLATORS = {"ru": "Ольга Иванова", "kk": "Айгерім Сейітқали"}
# In Russian, в is bound to the next word with a no-break space (kzpress.typography).
CYRILLIC_WORDS = {"ru": ["Забастовка в\u00a0Жанаозене", "профсоюз"], "kk": ["Жаңаөзендегі ереуіл", "кәсіподақ"]}
QUOTED = {"ru": "«справедливой зарплатой»", "kk": "«әділ жалақы»"}


def seeds_with_translations(folder: Path) -> Path:
    seeds = folder / "seeds"
    seeds.mkdir()
    (seeds / SHORT.name).write_bytes(SHORT.read_bytes())
    for lang, path in TRANSLATIONS.items():
        store.import_files([path], seeds, translators=(TRANSLATORS[lang],))
    return seeds


@pytest.fixture(scope="module")
def built(tmp_path_factory, monkeypatch_module) -> Path:
    """The Russian and Kazakh editions, PDF, EPUB and Markdown, built once for the module."""
    folder = tmp_path_factory.mktemp("editions")
    out = folder / "dist"
    build(Project(seeds_dir=seeds_with_translations(folder), out_dir=out), ["translation-short"], ["pdf", "epub", "md"],
          ["ru", "kk"], notice=lambda message: None)
    return out / "translation-short"


@pytest.fixture(scope="module")
def epubcheck_findings(built) -> dict:
    """EPUBCheck on both books at once: each run starts a Java machine of its own."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(("ru", "kk"), pool.map(check_epub, [built / lang / "translation-short.epub" for lang in ("ru", "kk")])))


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        yield patch


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_canonical_markdown_is_the_translation_with_the_languages_quotes(built, lang):
    markdown = (built / lang / "translation-short.md").read_text(encoding="utf-8")
    assert f"\nlang: {lang}\n" in markdown and TRANSLATORS[lang] in markdown
    assert QUOTED[lang] in markdown and '"' not in markdown.split("---", 2)[2]
    assert all(words in markdown for words in CYRILLIC_WORDS[lang])
    assert "strike" not in markdown.lower() and "targets:" not in markdown


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_pdf_is_in_cyrillic_with_its_language_and_the_translator(built, lang):
    data = (built / lang / "translation-short.pdf").read_bytes()
    # pdfium marks a word hyphenated at a line's end with U+FFFE (or U+0002) and the line break after it.
    text = " ".join(re.sub(r"[\u00ad\ufffe\u0002]\s*", "", "\n".join(pdf_text(data))).split())
    assert all(words.replace("\u00a0", " ") in text for words in CYRILLIC_WORDS[lang])  # split() took the no-break spaces
    assert QUOTED[lang] in text
    assert TRANSLATORS[lang] in text
    assert pdf_summary(data)["language"] == lang


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_pdf_passes_the_font_checks(built, lang):
    findings = list(check_pdf(built / lang / "translation-short.pdf"))
    assert findings and all(finding.passed for finding in findings), [f for f in findings if not f.passed]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_epub_is_in_its_language_with_the_translator_and_passes_epubcheck(built, epubcheck_findings, lang):
    path = built / lang / "translation-short.epub"
    summary = epub_summary(path.read_bytes())
    assert summary["language"] == lang and summary["title"] == CYRILLIC_WORDS[lang][0]
    with zipfile.ZipFile(path) as book:
        opf = next(book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".opf"))
        pages = " ".join(book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xhtml"))
    assert TRANSLATORS[lang] in opf and 'scheme="marc:relators">trl<' in opf
    assert f'xml:lang="{lang}"' in pages and QUOTED[lang] in pages.replace("\u00ad", "")
    finding = epubcheck_findings[lang]
    assert finding.passed is not False, finding.detail


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_pages_are_hyphenated_in_the_translations_language(tmp_path, lang):
    from kzpress.backends import html
    from kzpress.build import CHECKOUT
    from kzpress.layout import load_settings

    seeds = seeds_with_translations(tmp_path)
    seed = Seed("translation-short", seeds / SHORT.name, None)
    edition = translated_edition(seed, load(seed, notice=lambda message: None), lang)
    options = html.HtmlOptions(CHECKOUT / "layout", CHECKOUT / "fonts", load_settings(CHECKOUT / "layout", {}, source="test"),
                               edition.created)
    page = html.write(edition.document, options).decode("utf-8")
    assert re.search(r"[а-яәғқңөұүһі]\u00ad[а-яәғқңөұүһі]", page), "no soft hyphen inside a Cyrillic word"


def test_a_translation_the_source_has_outgrown_does_not_build(tmp_path):
    seeds = seeds_with_translations(tmp_path)
    source = seeds / SHORT.name
    source.write_text(source.read_text(encoding="utf-8").replace("The demands were simple:", "The demands were few:"), encoding="utf-8")
    project = Project(seeds_dir=seeds, out_dir=tmp_path / "dist")
    with pytest.raises(InputError, match=r"1 unit of 'translation-short' without a ru translation of the current text \(the first: paragraph-"):
        build(project, [], ["md"], ["ru"], notice=lambda message: None)
    assert not (tmp_path / "dist" / "translation-short" / "ru").exists()


def test_with_allow_incomplete_an_untranslated_unit_prints_in_the_source_language(tmp_path):
    seeds = seeds_with_translations(tmp_path)
    source = seeds / SHORT.name
    source.write_text(source.read_text(encoding="utf-8").replace("The demands were simple:", "The demands were few:"), encoding="utf-8")
    project = Project(seeds_dir=seeds, out_dir=tmp_path / "dist")
    build(project, [], ["md"], ["ru"], allow_incomplete=True, notice=lambda message: None)
    markdown = (tmp_path / "dist" / "translation-short" / "ru" / "translation-short.md").read_text(encoding="utf-8")
    assert "The demands were few:" in markdown and "Чего хотели рабочие" in markdown


def test_a_default_build_skips_an_incomplete_translation_and_says_so(tmp_path):
    seeds = seeds_with_translations(tmp_path)
    (seeds / "translation-short.kk.xlf").unlink()
    source = seeds / SHORT.name
    source.write_text(source.read_text(encoding="utf-8").replace("The demands were simple:", "The demands were few:"), encoding="utf-8")
    messages: list[str] = []
    written = build(Project(seeds_dir=seeds, out_dir=tmp_path / "dist"), [], ["md"], [], notice=messages.append)
    assert [path.parent.name for path in written] == ["en-GB"]
    assert any(message.startswith("skipped the ru edition:") for message in messages)


def test_no_stored_translation_is_a_clear_error(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / SHORT.name).write_bytes(SHORT.read_bytes())
    with pytest.raises(InputError, match=r"no 'ru' edition: no translation of 'translation-short' into it is stored; import one with `kzpress import FILE`"):
        build(Project(seeds_dir=seeds, out_dir=tmp_path / "dist"), [], ["md"], ["ru"], notice=lambda message: None)
