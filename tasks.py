"""invoke tasks for editors: thin wrappers over kzpress's own functions (the docstring is the help)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from invoke import Collection, task

from kzpress import build as kzbuild
from kzpress.errors import KzpressError

def _build(formats: list[str], slug: str, lang: str, seeds: str, out: str, targets: list[str] | None = None,
           layout: str = "") -> None:
    project = kzbuild.Project(seeds_dir=Path(seeds), out_dir=Path(out), publisher_layout=Path(layout) if layout else None)
    try:
        # jobs=None: in parallel on every usable core, as `kzpress build` does
        kzbuild.build(project, [slug] if slug else [], formats, [lang] if lang else [], targets=targets, jobs=None)
    except KzpressError as error:
        sys.exit(f"kzpress: error: {error}")


@task(help={"slug": "one seed (default: all)", "lang": "language edition", "seeds": "seeds folder", "out": "output folder",
            "layout": "your own layout folder (templates, settings.yaml) over kzpress's"})
def pdf(c, slug="", lang="", seeds="seeds", out="dist", layout=""):
    """Typeset the reading PDF of every seed: dist/<slug>/<lang>/<slug>.pdf"""
    _build(["pdf"], slug, lang, seeds, out, layout=layout)


@task(help={"slug": "one seed (default: all)", "lang": "language edition", "seeds": "seeds folder", "out": "output folder",
            "layout": "your own layout folder (templates, settings.yaml) over kzpress's"})
def epub(c, slug="", lang="", seeds="seeds", out="dist", layout=""):
    """Make the EPUB 3 of every seed: dist/<slug>/<lang>/<slug>.epub"""
    _build(["epub"], slug, lang, seeds, out, layout=layout)


@task(help={"slug": "one seed (default: all)", "target": "target language (default: the seed's targets)",
            "seeds": "seeds folder", "out": "output folder"})
def xliff(c, slug="", target="", seeds="seeds", out="dist"):
    """Export XLIFF 1.2 for translators: dist/<slug>/xliff/<slug>.<target>.xlf"""
    _build(["xliff"], slug, "", seeds, out, targets=[target] if target else None)


@task(name="import-xliff", help={"files": "translated XLIFF files, separated by commas", "lang": "refuse another target language",
                                 "translator": "name to credit as translator", "seeds": "seeds folder"})
def import_xliff(c, files, lang="", translator="", seeds="seeds"):
    """Check translated XLIFF (1.2, 2.0, 2.1) and store it with its seed: seeds/<slug>.<lang>.xlf"""
    from kzpress.schemas import find_schema_dir
    from kzpress.translation.store import import_files

    try:
        import_files([Path(name.strip()) for name in files.split(",") if name.strip()], Path(seeds), lang=lang or None,
                     translators=(translator,) if translator else (), schema_dir=find_schema_dir(),
                     notice=lambda message: print(f"kzpress: {message}", file=sys.stderr))
    except KzpressError as error:
        sys.exit(f"kzpress: error: {error}")


@task(name="all", default=True, help={"seeds": "seeds folder", "out": "output folder",
                                     "layout": "your own layout folder (templates, settings.yaml) over kzpress's"})
def build_all(c, seeds="seeds", out="dist", layout=""):
    """Build every seed into every format: PDF, EPUB, XLIFF and canonical Markdown."""
    _build(list(kzbuild.default_formats()), "", "", seeds, out, layout=layout)


@task
def test(c):
    """Run the whole test suite."""
    c.run(f"{sys.executable} -m pytest -q", pty=False)


@task
def golden(c):
    """Rebuild the golden structural summaries in tests/golden/ after an intended change; review the diff."""
    c.run(f"{sys.executable} -m pytest -q tests/test_golden.py --update-golden", pty=False)


@task(help={"out": "output folder"})
def clean(c, out="dist"):
    """Remove the output folder (relative to the current folder, as the other tasks' --out)."""
    shutil.rmtree(Path(out), ignore_errors=True)


namespace = Collection(pdf, epub, xliff, import_xliff, build_all, test, golden, clean)
