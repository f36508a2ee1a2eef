"""`kzpress new SLUG`: a seed and its commented metadata, from the templates in layout/new/."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml

from kzpress.errors import InputError
from kzpress.language import language
from kzpress.layout import environment

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def new_seed(seeds_dir: Path, slug: str, *, layout_dir: Path, lang: str = "en-GB", today: date | None = None,
             title: str | None = None, author: str = "", publisher: str = "") -> list[Path]:
    """Write `<slug>.txt` and `<slug>.yaml` into the seeds folder; refuse to overwrite anything."""
    if not _SLUG.match(slug):
        raise InputError(f"'{slug}': a slug is lower-case letters, digits and hyphens, such as may-day-2026")
    tag = language(lang, source="--lang").tag
    existing = sorted(seeds_dir.glob(f"{slug}.*")) if seeds_dir.is_dir() else []
    if existing:
        raise InputError(f"{existing[0]}: a seed called '{slug}' exists already; choose another slug")
    today = today or date.today()
    values = {
        "slug": slug,
        "title": title or slug.replace("-", " ").capitalize(),
        "author": author,
        "publisher": publisher,
        "date": today.isoformat(),
        "year": today.year,
        "lang": tag,
    }
    templates = environment(layout_dir / "new")
    templates.filters["yaml_string"] = yaml_string
    written = []
    seeds_dir.mkdir(parents=True, exist_ok=True)
    for name in ("seed.txt", "seed.yaml"):
        path = seeds_dir / f"{slug}{Path(name).suffix}"
        path.write_text(templates.get_template(name).render(**values), encoding="utf-8")
        written.append(path)
    return written


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML string an editor reads as typed: apostrophes, colons, # and letters
    of any script as they are (Jinja's tojson would write O\\u0027Brien); only `"`, `\\`, control
    characters and what PyYAML cannot write raw (emoji) are escaped. Loading it gives `text` back."""
    return yaml.safe_dump(str(text), default_style='"', allow_unicode=True, width=float("inf")).rstrip("\n")
