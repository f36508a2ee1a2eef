"""The design: settings from `layout/settings.yaml` (overridable per document) and Jinja2 templates.

One set of settings feeds the PDF's and the EPUB's stylesheets, so both editions share fonts,
sizes and colours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from kzpress.errors import InputError

TRIM_SIZES = {  # width, height
    "a5": ("148mm", "210mm"),
    "a4": ("210mm", "297mm"),
    "b5": ("176mm", "250mm"),
    "letter": ("8.5in", "11in"),
    "half-letter": ("5.5in", "8.5in"),
}
_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt)$")


@dataclass(frozen=True)
class Settings:
    """Every setting, as named in layout/settings.yaml (which holds the defaults)."""

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


def load_settings(layout_dir: Path, overrides: dict[str, Any] | None = None, *, source: str = "metadata") -> Settings:
    """Settings from the layout folder, then the document's own `layout:` overrides."""
    path = layout_dir / "settings.yaml"
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise InputError(f"{path}: cannot read layout settings ({error}); restore it from kzpress") from None
    _check_names(values, source=str(path))
    missing = sorted({field.name for field in fields(Settings)} - set(values))
    if missing:
        raise InputError(f"{path}: setting '{missing[0]}' is missing; restore it from kzpress's layout/settings.yaml")
    settings = Settings(**_typed(values))
    settings = replace(settings, **_typed(_check_names(overrides or {}, source=source)))
    settings._page()  # refuse a bad trim size before anything is rendered
    return settings


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


def environment(layout_dir: Path):
    """A Jinja2 environment over the layout folder, autoescaping HTML templates."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(layout_dir)),
        autoescape=jinja2.select_autoescape(["html", "xhtml", "html.j2"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
