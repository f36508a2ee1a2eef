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
    from fontTools.ttLib import TTFont

    paths = sorted(path for path in fonts_dir.glob("*") if path.suffix.lower() in FONT_SUFFIXES)
    if not paths:
        raise KzpressError(f"{fonts_dir}: no font files here; kzpress needs its fonts/ folder (reinstall or restore it)")
    faces = []
    for path in paths:
        with TTFont(path, lazy=True) as font:
            family = font["name"].getBestFamilyName()
            weight = font["OS/2"].usWeightClass
            italic = bool(font["OS/2"].fsSelection & 1)
        faces.append(FontFace(family, weight, "italic" if italic else "normal", path))
    return faces
