"""The PDF's typefaces in the e-book: subset to the characters the book uses, renamed, with licences.

The layout settings name three families (body, heading, code); the e-book embeds every face of
those families found in fonts/, cut down to the characters the e-book's text uses (fontTools'
subsetter, layout features kept so kerning and ligatures survive).

A subset is a modified font. ParaType's licence (fonts/LICENSE-ParaType.txt) allows distributing
modified copies only with the licence and copyright notice, and "not ... under the Original name or a
combination of Original name with any other words"; the SIL Open Font License says the same for
reserved names. So every subset is renamed after its role in the design ("kzpress Body", "kzpress
Heading", "kzpress Code") in all the name-table entries that name a font (IDs 1, 3, 4, 6, 16-18, 21,
22), its description says what it was cut from, and the licence files of fonts/ travel in the e-book.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from kzpress.errors import InputError
from kzpress.fonts import FontFace, font_faces
from kzpress.layout import Settings

FONT_MEDIA_TYPE = "font/ttf"  # the core media type EPUBCheck 5 accepts without a usage note
FONTS_FOLDER = "fonts"
ROLES = ("body", "heading", "code")
# Always kept, whatever the text: what reading systems draw themselves (list markers, hyphens at
# automatic line breaks, page numbers) and the printable ASCII a search or a note number may need.
ALWAYS_KEPT = "".join(map(chr, range(0x20, 0x7F))) + "\u00a0\u00ad\u2010\u2011\u2013\u2014\u2022\u25e6\u25aa"
_NAMING_IDS = (1, 3, 4, 6, 16, 17, 18, 21, 22)
_LICENCE_FILE = re.compile(r"^(LICEN[CS]E|OFL|COPYING)", re.IGNORECASE)


@dataclass(frozen=True)
class EmbeddedFont:
    family: str  # the subset's own family name, as the stylesheet names it
    weight: int
    style: str  # "normal" or "italic"
    file_name: str  # inside the e-book's content folder, e.g. fonts/kzpress-body-700-italic.ttf
    data: bytes
    source: str  # the original family, for the colophon


@dataclass(frozen=True)
class FontRoles:
    """The family each role of the design uses in the e-book."""

    body: str
    heading: str
    code: str


def embedded_faces(settings: Settings, fonts_dir: Path) -> list[FontFace]:
    """The faces of the families the design names: the only fonts the stylesheet uses."""
    families = {role: getattr(settings, f"{role}_font") for role in ROLES}
    faces = [face for face in font_faces(fonts_dir) if face.family in families.values()]
    for role, family in families.items():
        if not any(face.family == family for face in faces):
            raise InputError(f"layout: {role}_font '{family}' has no font file in {fonts_dir}; "
                             "an EPUB carries its fonts")
    return faces


def renamed_families(settings: Settings) -> dict[str, str]:
    """Original family -> the subset's name, after the first role that uses the family."""
    names: dict[str, str] = {}
    for role in ROLES:
        names.setdefault(getattr(settings, f"{role}_font"), f"kzpress {role.capitalize()}")
    return names


def font_roles(settings: Settings) -> FontRoles:
    names = renamed_families(settings)
    return FontRoles(*(names[getattr(settings, f"{role}_font")] for role in ROLES))


def subset_fonts(faces: list[FontFace], families: dict[str, str], characters: str) -> list[EmbeddedFont]:
    """Every face cut down to `characters` (and ALWAYS_KEPT), renamed to `families[face.family]`."""
    text = "".join(sorted(set(characters) | set(ALWAYS_KEPT)))
    embedded = []
    for face in faces:
        family = families[face.family]
        slug = re.sub(r"[^a-z0-9]+", "-", family.lower()).strip("-")
        suffix = "-italic" if face.style == "italic" else ""
        file_name = f"{FONTS_FOLDER}/{slug}-{face.weight}{suffix}.ttf"
        data = _subset(face, family, text)
        embedded.append(EmbeddedFont(family, face.weight, face.style, file_name, data, face.family))
    return embedded


def _subset(face: FontFace, family: str, text: str) -> bytes:
    """The subset, from the derived cache when this font was cut to these characters before (fontTools
    takes a third of a second a face: rebuilding an unchanged or lightly corrected book costs nothing)."""
    import fontTools

    from kzpress.derived import cached_bytes, file_stamp

    sources = [file_stamp(face.path), family, text, fontTools.version]
    return cached_bytes("epub-font", sources, lambda: _cut(face, family, text))


def _cut(face: FontFace, family: str, text: str) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]  # kerning, ligatures, localised forms
    options.name_IDs = ["*"]  # keep copyright, licence and trademark notices
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.hinting = False  # e-reading systems render unhinted or autohint: the instructions are dead weight
    options.recalc_timestamp = False  # the same font gives the same bytes
    font = subset.load_font(str(face.path), options, dontLoadGlyphNames=True)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        _rename(font, family, face.family)
        output = io.BytesIO()
        subset.save_font(font, output, options)
        return output.getvalue()
    finally:
        font.close()


def _rename(font, family: str, original: str) -> None:
    """Name the subset `family` everywhere a font's name is read, keeping its style name."""
    names = font["name"]
    style = names.getDebugName(2) or "Regular"
    full = family if style == "Regular" else f"{family} {style}"
    postscript = re.sub(r"[^A-Za-z0-9]", "", family) + "-" + re.sub(r"[^A-Za-z0-9]", "", style)
    names.names = [record for record in names.names if record.nameID not in (*_NAMING_IDS, 10)]
    description = f"A subset of {original} made by kzpress for one e-book, renamed as the font's licence requires."
    for name_id, value in ((1, family), (3, f"kzpress: {postscript}"), (4, full), (6, postscript), (10, description)):
        names.setName(value, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English
        names.setName(value, name_id, 1, 0, 0)  # Macintosh Roman, English
    if "CFF " in font:
        font["CFF "].cff.fontNames = [postscript]


def licences(fonts_dir: Path) -> list[tuple[str, str]]:
    """The licence files in the fonts folder, as (file name, text): they travel with the fonts."""
    found = []
    for path in sorted(fonts_dir.iterdir()):
        if path.is_file() and _LICENCE_FILE.match(path.name):
            found.append((path.name, path.read_text(encoding="utf-8")))
    return found
