"""The design: settings from `layout/settings.yaml` (overridable per document) and Jinja2 templates.

One set of settings feeds the PDF's and the EPUB's stylesheets, so both editions share fonts,
sizes and colours.

Layouts come in designs (pamphlet, leaflet, book): `designs/<name>.yaml` is a preset of settings
(trim size, margins...) over settings.yaml, and `designs/<name>.html.j2` and `designs/<name>.css.j2`,
where they exist, are the design's page template and the rules added to pamphlet.css.j2. A
document chooses its design with `layout: {design: NAME}`.

A publisher's own layout folder (`--layout DIR`) comes before kzpress's, the way a site's files
override its theme's: any template, stylesheet or design there replaces kzpress's file of that name,
while its settings.yaml, designs/*.yaml and labels.yaml change only the keys they name.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from kzpress import derived
from kzpress.errors import InputError

TRIM_SIZES = {  # width, height
    "a5": ("148mm", "210mm"),
    "a4": ("210mm", "297mm"),
    "b5": ("176mm", "250mm"),
    "letter": ("8.5in", "11in"),
    "half-letter": ("5.5in", "8.5in"),
}
_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt)$")
SETTINGS = "settings.yaml"
LABELS = "labels.yaml"
DESIGNS = "designs"  # in a layout folder: <name>.yaml (the preset), <name>.html.j2, <name>.css.j2


@dataclass(frozen=True)
class Settings:
    """Every setting, as named in layout/settings.yaml (which holds the defaults)."""

    design: str  # the name of a preset in designs/: pamphlet, leaflet, book
    trim_size: str
    margin_top: str
    margin_bottom: str
    margin_inner: str
    margin_outer: str
    body_font: str
    heading_font: str
    code_font: str
    font_size: str
    line_height: float
    heading_colour: str
    text_colour: str
    accent_colour: str
    paragraph_indent: str
    footnote_font_size: str
    drop_cap: bool
    contents_min_sections: int  # a contents page once the text has this many sections
    bleed: str  # the press PDF's bleed beyond the trim
    back_cover: bool  # the press PDF: the last page is the back cover, blank pages go before it (else after it)
    creep: str  # the booklet's shift toward the spine per sheet

    @property
    def page_width(self) -> str:
        return self._page()[0]

    @property
    def page_height(self) -> str:
        return self._page()[1]

    def _page(self) -> tuple[str, str]:
        named = TRIM_SIZES.get(self.trim_size.lower())
        if named:
            return named
        parts = self.trim_size.split()
        if len(parts) == 2 and all(_LENGTH.match(part) for part in parts):
            return parts[0], parts[1]
        known = ", ".join(name.upper() if name[0] in "ab" else name for name in TRIM_SIZES)
        raise InputError(f"layout: unknown trim_size '{self.trim_size}'; use {known} or 'WIDTH HEIGHT' such as '130mm 200mm'")


def load_settings(layout_dir: Path, overrides: dict[str, Any] | None = None, *, source: str = "metadata",
                  publisher: Path | None = None) -> Settings:
    """Settings from the layout folder, the publisher's settings.yaml over them, the chosen design's
    preset, then the document's own `layout:` overrides."""
    path = layout_dir / SETTINGS
    values = _check_names(_read_yaml(path, what="layout settings"), source=str(path))
    missing = sorted({field.name for field in fields(Settings)} - set(values))
    if missing:
        raise InputError(f"{path}: setting '{missing[0]}' is missing; restore it from kzpress's layout/settings.yaml")
    chosen_in = str(path)
    if publisher is not None and (publisher / SETTINGS).is_file():
        own_path = publisher / SETTINGS
        own = _check_names(_read_yaml(own_path, what="layout settings"), source=str(own_path))
        values.update(own)
        chosen_in = str(own_path) if "design" in own else chosen_in
    overrides = _check_names(overrides or {}, source=source)
    if "design" in overrides:
        chosen_in = source
    values.update(design_preset(str(overrides.get("design", values["design"])), layout_dir, publisher, source=chosen_in))
    settings = Settings(**_typed({**values, **overrides}))
    settings._page()  # refuse a bad trim size before anything is rendered
    return settings


def design_preset(design: str, layout_dir: Path, publisher: Path | None = None, *, source: str) -> dict[str, Any]:
    """The settings a design sets: kzpress's designs/<name>.yaml, then the publisher's, key by key."""
    known = designs(layout_dir, publisher)
    if design not in known:
        raise InputError(f"{source}: unknown design '{design}'; choose one of {', '.join(known)}")
    preset: dict[str, Any] = {}
    for folder in reversed(search_path(layout_dir, publisher)):
        path = folder / DESIGNS / f"{design}.yaml"
        if path.is_file():
            values = _check_names(_read_yaml(path, what="design settings"), source=str(path))
            if "design" in values:
                raise InputError(f"{path}: a design's settings cannot name a design; remove `design:`")
            preset.update(values)
    return preset


def designs(layout_dir: Path, publisher: Path | None = None) -> list[str]:
    """The designs kzpress's layout folder and the publisher's offer, by name."""
    return sorted({path.stem for folder in search_path(layout_dir, publisher) for path in (folder / DESIGNS).glob("*.yaml")})


def search_path(layout_dir: Path, publisher: Path | None = None) -> list[Path]:
    """The folders a layout file is looked for in, first match wins: the publisher's, then kzpress's."""
    return [publisher, layout_dir] if publisher is not None else [layout_dir]


def find(name: str, layout_dir: Path, publisher: Path | None = None) -> Path:
    """The layout file `name` (such as labels.yaml): the publisher's own if it has one, else kzpress's."""
    return next((folder / name for folder in search_path(layout_dir, publisher) if (folder / name).is_file()), layout_dir / name)


def labels(layout_dir: Path, publisher: Path | None = None) -> dict[str, dict[str, Any]]:
    """The words printed around the text (labels.yaml), by language: the publisher's over kzpress's, key by key."""
    table: dict[str, dict[str, Any]] = {}
    for folder in reversed(search_path(layout_dir, publisher)):
        path = folder / LABELS
        if folder is publisher and not path.is_file():
            continue
        values = _read_yaml(path, what="layout's labels")
        if not isinstance(values, dict) or not all(isinstance(words, dict) for words in values.values()):
            raise InputError(f"{path}: labels must be a mapping of language: {{name: words}}, as in kzpress's layout/labels.yaml")
        for lang, words in values.items():
            table[lang] = {**table.get(lang, {}), **words}
    return table


def _read_yaml(path: Path, *, what: str) -> Any:
    """The file's YAML: parsed once a process while the file is unchanged (each backend reads the
    settings and labels again), kept between runs in the derived cache, and a fresh copy every time,
    so that no caller can change another's."""
    try:
        status = path.stat()
        return copy.deepcopy(_parsed_yaml(path, status.st_size, status.st_mtime_ns))
    except (OSError, UnicodeDecodeError, _NotYaml) as error:
        raise InputError(f"{path}: cannot read the {what} ({error}); restore it from kzpress or correct it") from None


class _NotYaml(ValueError):
    """The YAML parser's error, under a name this module knows without importing the parser."""


@lru_cache(maxsize=64)
def _parsed_yaml(path: Path, size: int, modified: int) -> Any:
    return derived.parsed_yaml("layout", path.read_bytes(), _yaml)


def _yaml(data: bytes) -> Any:
    import yaml

    try:
        return yaml.safe_load(data.decode("utf-8")) or {}
    except yaml.YAMLError as error:
        raise _NotYaml(str(error)) from None


def _check_names(values: Any, *, source: str) -> dict[str, Any]:
    if not isinstance(values, dict):
        raise InputError(f"{source}: layout settings must be a mapping of name: value")
    names = [field.name for field in fields(Settings)]
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise InputError(f"{source}: unknown layout setting '{unknown[0]}'; known: {', '.join(names)}")
    return values


_EXAMPLES = {float: "a number such as 1.35", int: "a whole number such as 4", bool: "true or false"}
_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    """Each value as its setting's type: YAML gives `drop_cap: yes` as a bool, `line_height: "1.4"` as text."""
    kinds = {field.name: field.type for field in fields(Settings)}
    typed = {}
    for key, value in values.items():
        kind = {"float": float, "int": int, "bool": bool}.get(kinds[key], str)
        try:
            typed[key] = _convert(value, kind)
        except (TypeError, ValueError):
            raise InputError(f"layout: {key} must be {_EXAMPLES[kind]}, not '{value}'") from None
    return typed


def _convert(value: Any, kind: type) -> Any:
    if kind is bool:
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() not in _BOOLEANS:
            raise ValueError(value)
        return _BOOLEANS[str(value).strip().lower()]
    if kind is int:
        if isinstance(value, bool) or float(value) != int(float(value)):
            raise ValueError(value)
        return int(float(value))
    return kind(value)


def environment(layout_dir: Path, publisher: Path | None = None):
    """A Jinja2 environment over the layout folder (after the publisher's, if any), autoescaping HTML templates."""
    import jinja2

    from kzpress.derived import template_cache

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in search_path(layout_dir, publisher)]),
        bytecode_cache=template_cache(),  # compiling the page templates costs 0.05 s a build
        autoescape=jinja2.select_autoescape(["html", "xhtml", "html.j2"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
