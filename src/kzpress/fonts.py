"""The fonts in `fonts/`: what each file is (family, weight, style), read from the font itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kzpress.errors import KzpressError

FONT_SUFFIXES = (".ttf", ".otf")


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str  # "normal" or "italic"
    path: Path

    @property
    def url(self) -> str:
        return self.path.resolve().as_uri()


def font_faces(fonts_dir: Path) -> list[FontFace]:
    """Every font file in the folder, sorted, as @font-face declarations need them."""
    from kzpress.derived import cached_json, file_stamp

    paths = sorted(path for path in fonts_dir.glob("*") if path.suffix.lower() in FONT_SUFFIXES)
    if not paths:
        raise KzpressError(f"{fonts_dir}: no font files here; kzpress needs its fonts/ folder (reinstall or restore it)")
    # Reading the name tables of every file takes fontTools 0.07 s a build: kept in the derived cache.
    described = cached_json("font-faces", [file_stamp(path) for path in paths], lambda: [_describe(path) for path in paths])
    return [FontFace(family, weight, style, path) for (family, weight, style), path in zip(described, paths)]


def _describe(path: Path) -> tuple[str, int, str]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        family = font["name"].getBestFamilyName()
        weight = font["OS/2"].usWeightClass
        italic = bool(font["OS/2"].fsSelection & 1)
    return family, weight, "italic" if italic else "normal"
