"""The press PDF: the reading PDF's pages as a print shop takes them, in PDF/X-1a:2003.

Why PDF/X-1a and not X-3 or X-4: X-1a allows only CMYK, grey and spot colours, no transparency and
embedded fonts, which is exactly what kzpress promises a shop, so the file's own claim says it; every
RIP and preflight profile of the last twenty years accepts it. X-3 would also admit RGB, which
we refuse anyway. X-4 (live transparency, PDF 1.6) buys nothing for text pages, and WeasyPrint 70
stamps a random xmpMM:DocumentID into X-4 files, so they could not be reproduced byte for byte.

The steps:
1. every `*_colour` setting becomes a device-cmyk() colour: greys as black ink only (body text
   100 % K), other colours through the CMYK profile in layout/icc/;
2. the page HTML gets layout/press.css.j2 after the pamphlet's stylesheet (bleed, output intent);
3. WeasyPrint lays the pages out; their links, anchors and bookmarks are dropped (shops ask for that);
4. pikepdf finishes the file: blank pages before the last page (the back cover) up to a multiple of
   4, the exact BleedBox, a slug around it with crop marks in registration colour, and the page
   content clipped to the bleed;
5. the print shop's preflight (kzpress.preflight) runs on the result: a press PDF that fails it is
   a build error naming the reason.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from kzpress import renderer
from kzpress.backends import html
from kzpress.document import Document
from kzpress.errors import InputError, ValidationError
from kzpress.layout import Settings, environment
from kzpress.seeds import source_date

VARIANT = "pdf/x-1a"  # WeasyPrint's name for PDF/X-1a:2003
PROFILE = Path("icc", "default_cmyk.icc")  # in the layout folder; see layout/icc/README.md
MARK_GAP_MM = 1.0  # between the bleed's edge and a crop mark, so no mark reaches into the bleed
MARK_LENGTH_MM = 5.0
MARK_WIDTH_PT = 0.25  # a hairline, as imposition software draws them
REGISTRATION = "/KzpressRegistration"  # resource name of the Separation /All colour space
_POINTS = {"mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0, "pt": 1.0}
_LENGTH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)\s*")


@dataclass(frozen=True)
class PressOptions:
    html: html.HtmlOptions  # the reading PDF's page options: layout, fonts, settings, date
    source: str = "press PDF"  # how errors name the output, e.g. its path under the output folder


def write(document: Document, options: PressOptions) -> bytes:
    """The press PDF of a document; ValidationError when it cannot pass a print shop's preflight."""
    from kzpress.preflight import PRESS, preflight

    settings = options.html.settings
    bleed = points(settings.bleed, setting="bleed")
    profile = options.html.layout_dir / PROFILE
    press_settings = cmyk_settings(settings, profile)
    overrides = environment(options.html.layout_dir, options.html.publisher_layout).get_template("press.css.j2").render(
        settings=press_settings, bleed=f"{bleed:g}pt", profile_url=profile.resolve().as_uri()
    )
    page_options = replace(
        options.html, settings=press_settings,
        extra_stylesheets=(*options.html.extra_stylesheets, overrides),
    )
    rendered = renderer.run(render, html.write(document, page_options), options.html.layout_dir, options.html.created)
    data = finish(rendered, bleed, back_cover=settings.back_cover)
    failures = [row for row in preflight(data, PRESS) if not row.passed]
    if failures:
        reasons = "; ".join(f"{row.check}: {row.detail}" for row in failures)
        raise ValidationError(f"{options.source}: the press PDF fails the print shop's checks: {reasons}")
    return data


def points(length: str, *, setting: str) -> float:
    """A length setting such as '3mm' in PostScript points."""
    match = _LENGTH.fullmatch(str(length))
    if not match:
        raise InputError(f"layout: {setting} must be a length such as 3mm, not '{length}'")
    return float(match[1]) * _POINTS[match[2]]


def cmyk_settings(settings: Settings, profile: Path) -> Settings:
    """The settings with every `*_colour` as a device-cmyk() colour for the press."""
    colours = {field.name: getattr(settings, field.name) for field in fields(settings) if field.name.endswith("_colour")}
    return replace(settings, **{name: cmyk_colour(value, profile, setting=name) for name, value in colours.items()})


def cmyk_colour(value: str, profile: Path, *, setting: str) -> str:
    """A CSS colour as device-cmyk(): greys as black ink alone, other colours through the profile.

    Greys and black must not become four-colour mixtures: text in rich black blurs when the
    plates are slightly out of register, so body text is printed in 100 % K.
    """
    from tinycss2.color5 import parse_color

    colour = parse_color(value)
    if colour is None or not hasattr(colour, "space"):
        raise InputError(f"layout: {setting} must be a colour such as #1a1a1a, not '{value}'")
    if colour.space == "device-cmyk":
        return _css_cmyk(colour.coordinates)
    if colour.alpha != 1:
        raise InputError(f"layout: {setting} '{value}' is translucent; the press PDF (PDF/X-1a) takes opaque colours only")
    red, green, blue = (min(max(channel, 0.0), 1.0) for channel in colour.to("srgb").coordinates)
    if round(red, 3) == round(green, 3) == round(blue, 3):
        return _css_cmyk((0, 0, 0, 1 - red))
    return _css_cmyk(_through_profile((red, green, blue), profile))


def _through_profile(rgb: tuple[float, float, float], profile: Path) -> tuple[float, ...]:
    from PIL import Image, ImageCms

    try:
        target = ImageCms.getOpenProfile(str(profile))
    except (OSError, ImageCms.PyCMSError) as error:
        raise InputError(f"{profile}: cannot read the CMYK profile ({error}); restore layout/icc/ from kzpress") from None
    transform = ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), target, "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
    )
    pixel = Image.new("RGB", (1, 1), tuple(round(channel * 255) for channel in rgb))
    return tuple(ink / 255 for ink in ImageCms.applyTransform(pixel, transform).getpixel((0, 0)))


def _css_cmyk(inks) -> str:
    return "device-cmyk({})".format(" ".join(f"{round(ink, 3):g}" for ink in inks))


def render(page: bytes, layout_dir: Path, created: str) -> bytes:
    """WeasyPrint's PDF/X-1a of the page, laid out as the reading PDF is, without links or bookmarks
    (run by `renderer`, in a warm worker process when there is one)."""
    from kzpress.backends import pdf

    laid_out = pdf.lay_out(page, layout_dir, pdf_variant=VARIANT)
    for laid_out_page in laid_out.pages:
        laid_out_page.links.clear()
        laid_out_page.anchors.clear()
        laid_out_page.bookmarks.clear()
    with source_date(created):
        return laid_out.write_pdf(pdf_variant=VARIANT)


def finish(data: bytes, bleed: float, *, back_cover: bool = True) -> bytes:
    """Pad to whole sheets, set the bleed box, add the slug with crop marks; reproducible bytes."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Outlines" in pdf.Root:
            del pdf.Root.Outlines  # WeasyPrint writes an empty outline even with no bookmarks
        pad_to_sheets(pdf, back_cover=back_cover)
        registration = pdf.make_indirect(_registration_space())
        for page in pdf.pages:
            _add_slug(pdf, page, bleed, registration)
        out = io.BytesIO()
        # PDF/X-1a:2003 is PDF 1.4, which has no object streams.
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable)
        return out.getvalue()


def pad_to_sheets(pdf, *, back_cover: bool = True) -> int:
    """Add blank pages before the last page (the back cover) until the count is a multiple of 4;
    without a `back_cover` (a book's, a leaflet's last page is text), after it.

    A folded sheet carries 4 pages. A one-page document is its own front cover: its blanks follow it.
    """
    import pikepdf

    missing = -len(pdf.pages) % 4
    template = pdf.pages[-1]
    where = len(pdf.pages) - 1 if len(pdf.pages) > 1 and back_cover else len(pdf.pages)
    for _ in range(missing):
        blank = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=pikepdf.Array(list(template.MediaBox)),
            TrimBox=pikepdf.Array(list(template.TrimBox)),
            BleedBox=pikepdf.Array(list(template.BleedBox)),
            Resources=pikepdf.Dictionary(),
            Contents=pdf.make_stream(b""),
        )
        pdf.pages.insert(where, pikepdf.Page(pdf.make_indirect(blank)))
    return missing


def _registration_space():
    """Separation /All: marks printed on every plate, as imposition software draws them."""
    import pikepdf

    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    return pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/All"), pikepdf.Name.DeviceCMYK, tint])


def _add_slug(pdf, page, bleed: float, registration) -> None:
    """Grow the page by a slug beyond the bleed, clip the content to the bleed, draw crop marks."""
    import pikepdf

    left, bottom, right, top = (float(value) for value in page.TrimBox)
    gap, length = MARK_GAP_MM * _POINTS["mm"], MARK_LENGTH_MM * _POINTS["mm"]
    reach = bleed + gap + length
    page.BleedBox = pikepdf.Array(_rounded([left - bleed, bottom - bleed, right + bleed, top + bleed]))
    page.MediaBox = pikepdf.Array(_rounded([left - reach, bottom - reach, right + reach, top + reach]))
    if "/CropBox" in page.obj:
        del page.obj.CropBox  # the CropBox defaults to the MediaBox: the slug must show
    page.add_resource(registration, pikepdf.Name.ColorSpace, pikepdf.Name(REGISTRATION))
    page.contents_coalesce()
    content = page.Contents.read_bytes() if "/Contents" in page.obj else b""
    clip = "q {:g} {:g} {:g} {:g} re W n\n".format(*_rounded([left - bleed, bottom - bleed, right - left + 2 * bleed, top - bottom + 2 * bleed]))
    marks = _crop_marks((left, bottom, right, top), bleed + gap, length)
    page.Contents = pdf.make_stream(clip.encode() + content + b"\nQ\n" + marks)


def _crop_marks(trim: tuple[float, float, float, float], offset: float, length: float) -> bytes:
    """Eight hairlines on the trim's lines, starting `offset` outside the trim, `length` long."""
    left, bottom, right, top = trim
    lines = []
    for x, outward_x in ((left, -1), (right, 1)):
        for y, outward_y in ((bottom, -1), (top, 1)):
            lines.append((x + outward_x * offset, y, x + outward_x * (offset + length), y))
            lines.append((x, y + outward_y * offset, x, y + outward_y * (offset + length)))
    # One path per mark: a preflight measuring what is drawn then sees each mark outside the bleed.
    paths = "".join("{:g} {:g} m {:g} {:g} l S\n".format(*_rounded(line)) for line in lines)
    return f"q {REGISTRATION} CS 1 SCN {MARK_WIDTH_PT:g} w 0 J [] 0 d\n{paths}Q\n".encode()


def _rounded(values) -> list[float]:
    return [round(value, 4) for value in values]
