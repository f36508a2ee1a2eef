"""Shared fixtures and helpers: the project's own folders, the shared material, one build of the seed,
a document of one paragraph, a print page of a test document, a line memo that reuses nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kzpress import lines
from kzpress.document import Document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "seeds"
DOCUMENTS = ROOT / "tests" / "documents"
SEED = "kazakhstan-2022"


def print_page(name: str, trim_size: str, css: str = "") -> bytes:
    """The print HTML of the seed, or of a document in tests/documents, at a trim size, with extra CSS."""
    from kzpress.backends import html
    from kzpress.build import load
    from kzpress.layout import load_settings
    from kzpress.seeds import Seed, find_seeds

    seed = find_seeds(SEEDS)[name] if name == SEED else Seed(name, DOCUMENTS / f"{name}.md", None)
    edition = load(seed, notice=lambda message: None)
    settings = load_settings(ROOT / "layout", {"trim_size": trim_size})
    options = html.HtmlOptions(ROOT / "layout", ROOT / "fonts", settings, edition.created, (css,))
    return html.write(edition.document, options)


class NothingReused(lines.LineMemo):
    """A line memo that never starts a render and never knows the page being made, so every line is
    laid out by WeasyPrint itself."""

    page = property(lambda self: None, lambda self, index: None)

    def next_render(self, font_config) -> None:
        pass


def paragraph(text: str) -> Document:
    """A document of one paragraph, in pandoc's JSON."""
    inlines: list[dict] = []
    for word in text.split(" "):
        inlines += [{"t": "Space"}, {"t": "Str", "c": word}]
    meta = {"title": {"t": "MetaString", "c": "A test"}, "lang": {"t": "MetaString", "c": "en-GB"}}
    return Document(meta=meta, blocks=[{"t": "Para", "c": inlines[1:]}])


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from fresh builds")


@pytest.fixture(scope="session", autouse=True)
def derived_cache(tmp_path_factory) -> Path:
    """kzpress's derived cache (kzpress.derived) in a folder of the test session, not the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("kzpress-cache")
    os.environ["KZPRESS_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the shared material (schemas, corpora) lives beside the project")
    return SHARED


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """Every output of every seed, built once for the session into a temporary folder."""
    from kzpress.build import Project, build, default_formats

    out = tmp_path_factory.mktemp("dist")
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    build(Project(seeds_dir=SEEDS, out_dir=out), [], list(default_formats()), [], notice=lambda message: None)
    return out
