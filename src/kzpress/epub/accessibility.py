"""The accessibility metadata of EPUB Accessibility 1.1, each statement computed from the book itself.

Nothing here is a fixed claim: a page list is announced only when there is one, `alternativeText`
only when there are images (each has alt text: images.py refuses one without), `visual` access only
when there is something to see, and the WCAG 2.1 AA conformance claim only when the design's text
colours reach AA's 4.5:1 contrast against the white page (which is all the stylesheet leaves for a
reading system to decide). The summary says the same in the book's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kzpress.epub.labels import Labels
from kzpress.layout import Settings

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
AA_CONTRAST = 4.5
_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_FONT_SIZE = re.compile(r"font-size\s*:\s*([^;}]+)")
_RELATIVE_SIZE = re.compile(r"^\s*(\d*\.?\d+(em|rem|%)|0|inherit|smaller|larger)\s*$")


@dataclass(frozen=True)
class Contents:
    """What the e-book contains, as far as accessibility metadata speaks of it."""

    headings: bool
    page_list: bool
    images: int  # including the cover
    animated_images: int
    notes: bool
    stylesheet: str


@dataclass(frozen=True)
class Accessibility:
    access_modes: tuple[str, ...]
    sufficient: tuple[str, ...]
    features: tuple[str, ...]
    hazards: tuple[str, ...]
    conforms_to: str | None
    summary: str
    summary_lang: str


def assess(contents: Contents, settings: Settings, labels: Labels) -> Accessibility:
    visual = contents.images > 0
    features = ["tableOfContents", "readingOrder", "ARIA"]
    if contents.headings:
        features.append("structuralNavigation")
    if contents.page_list:
        features.append("pageNavigation")
    if visual:
        features.append("alternativeText")
    if transformable(contents.stylesheet):
        features.append("displayTransformability")
    if contents.animated_images:
        hazards = ("unknownFlashingHazard", "unknownMotionSimulationHazard", "noSoundHazard")
    else:
        hazards = ("none",)
    conforms = all(contrast(colour) >= AA_CONTRAST for colour in text_colours(settings))
    sentences = [
        labels.conforms if conforms else labels.does_not_conform,
        labels.navigation,
        labels.page_list if contents.page_list else "",
        labels.alternative_text if visual else "",
        labels.notes if contents.notes else "",
        labels.hazards_unknown if contents.animated_images else labels.no_hazards,
    ]
    return Accessibility(
        access_modes=("textual", "visual") if visual else ("textual",),
        sufficient=("textual", "textual,visual") if visual else ("textual",),
        features=tuple(sorted(features)),
        hazards=hazards,
        conforms_to=CONFORMANCE if conforms else None,
        summary=" ".join(sentence for sentence in sentences if sentence),
        summary_lang=labels.lang,
    )


def text_colours(settings: Settings) -> list[str]:
    return [settings.text_colour, settings.heading_colour, settings.accent_colour]


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2.1's contrast ratio of two sRGB colours; 1.0 (no contrast) for a colour it cannot read."""
    if not (_HEX.match(colour.strip()) and _HEX.match(background)):
        return 1.0
    lighter, darker = sorted((_luminance(colour.strip()), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def transformable(stylesheet: str) -> bool:
    """Text a reader can resize and restyle: relative font sizes only, and no `!important`."""
    sizes = _FONT_SIZE.findall(stylesheet)
    return "!important" not in stylesheet and all(_RELATIVE_SIZE.match(size) for size in sizes)
