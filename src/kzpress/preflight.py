"""Preflight: what a print shop checks in a PDF before it prints, as rows for `kzpress check`.

Page and box sizes, bleed, page count, fonts, colour spaces, transparency, images, PDF/X
identification, links and bookmarks, and content that crosses the trim without reaching the bleed.
The press PDF's build runs the same checks (backends/press.py) and refuses a file that fails one.

pikepdf reads the structure and the content streams (colour operators, fonts, graphics states);
pdfium measures what is drawn (image resolution, object bounds).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

PRESS = "press"  # <slug>.print.pdf: a shop prints it and trims it
BOOKLET = "booklet"  # <slug>.booklet.pdf: imposed sheets for an office printer
MIN_BLEED_MM = 3.0
MIN_IMAGE_PPI = 300
POINTS_PER_MM = 72 / 25.4
_TOLERANCE = 0.05  # points: rounding in the boxes a PDF writer stores
_PROCESS = ("DeviceCMYK", "DeviceGray")
_DIRECT = {"rg": "DeviceRGB", "RG": "DeviceRGB", "k": "DeviceCMYK", "K": "DeviceCMYK", "g": "DeviceGray", "G": "DeviceGray"}
_INLINE_SPACES = {"/RGB": "DeviceRGB", "/CMYK": "DeviceCMYK", "/G": "DeviceGray"}
_ICC_COMPONENTS = {1: "Gray", 3: "RGB", 4: "CMYK"}


@dataclass(frozen=True)
class Row:
    check: str
    passed: bool  # False: a print shop would send the file back
    detail: str


def preflight(data: bytes, kind: str) -> list[Row]:
    """The print shop's checks of one PDF: PRESS for the press PDF, BOOKLET for the imposed booklet."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as error:
        return [Row("readable", False, f"not a PDF a shop can open: {error}")]
    with pdf:
        survey = _survey(pdf)
        rows = [_pdfx(pdf, kind), _boxes(pdf), *([_bleed(pdf)] if kind == PRESS else []), _page_count(pdf, kind)]
        rows += [*_fonts(survey), _colour_spaces(survey), _transparency(survey, kind), _interactive(pdf)]
    rows.append(_images(data, kind))
    if kind == PRESS:
        rows.append(_beyond_trim(data))
    return rows


def print_summary(data: bytes) -> dict:
    """The structure of a press PDF or booklet, for golden tests: boxes, PDF/X, colour spaces, fonts."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        survey = _survey(pdf)
        pages = list(pdf.pages)
        bleeds = {min(trim[i] - bleed[i] if i < 2 else bleed[i] - trim[i] for i in range(4))
                  for trim, bleed in ((_box(page.trimbox), _box(page.bleedbox)) for page in pages)}
        intents = pdf.Root.get("/OutputIntents", [])
        return {
            "pages": len(pages),
            "media_mm": [list(size) for size in sorted({_size_mm(page.mediabox) for page in pages})],
            "trim_mm": [list(size) for size in sorted({_size_mm(page.trimbox) for page in pages})],
            "bleed_mm": sorted({round(bleed / POINTS_PER_MM, 1) for bleed in bleeds}),
            "pdfx": str(pdf.docinfo.get("/GTS_PDFXVersion", "")),
            "output_intent": str(intents[0].get("/OutputConditionIdentifier", "")) if len(intents) else "",
            "colour_spaces": sorted(survey.colour_spaces),
            "fonts": sorted(name.split("+", 1)[-1] for name in survey.fonts),
            "links": sum(len(page.obj.get("/Annots", [])) for page in pages),
            "bookmarks": "/Outlines" in pdf.Root and "/First" in pdf.Root.Outlines,
        }


def _size_mm(box) -> tuple[float, float]:
    left, bottom, right, top = _box(box)
    return round((right - left) / POINTS_PER_MM, 1), round((top - bottom) / POINTS_PER_MM, 1)


# -- structure ---------------------------------------------------------------------------------


def _pdfx(pdf, kind: str) -> Row:
    version = str(pdf.docinfo.get("/GTS_PDFXVersion", ""))
    intents = [intent for intent in pdf.Root.get("/OutputIntents", []) if intent.get("/S") == "/GTS_PDFX"]
    profile = intents[0].get("/DestOutputProfile") if intents else None
    components = int(profile.get("/N", 0)) if profile is not None else 0
    if version and intents and components == 4:
        condition = str(intents[0].get("/OutputConditionIdentifier", "?"))
        return Row("PDF/X", True, f"{version}; output intent '{condition}' with its CMYK profile embedded")
    missing = [what for what, present in (("GTS_PDFXVersion", version), ("a PDF/X output intent", intents),
                                          ("a CMYK output profile", components == 4)) if not present]
    return Row("PDF/X", kind != PRESS, "not PDF/X: no " + ", no ".join(missing))


def _mm(value: float) -> str:
    return f"{value / POINTS_PER_MM:.1f}".rstrip("0").rstrip(".")


def _size(box) -> str:
    return f"{_mm(float(box[2]) - float(box[0]))}×{_mm(float(box[3]) - float(box[1]))} mm"


def _boxes(pdf) -> Row:
    problems, trims = [], set()
    for number, page in enumerate(pdf.pages, 1):
        missing = [name[1:] for name in ("/TrimBox", "/BleedBox") if name not in page.obj]
        if missing:
            problems.append(f"page {number} has no {' or '.join(missing)}")
            continue
        trims.add(_size(page.TrimBox))
        media, bleed, trim = (_box(page.obj[name]) for name in ("/MediaBox", "/BleedBox", "/TrimBox"))
        if not (_inside(trim, bleed) and _inside(bleed, media)):
            problems.append(f"page {number}: the TrimBox must lie within the BleedBox, and that within the MediaBox")
    if len(trims) > 1:
        problems.append("trim sizes differ: " + ", ".join(sorted(trims)))
    if problems:
        return Row("page boxes", False, "; ".join(problems[:3]))
    first = pdf.pages[0]
    return Row("page boxes", True, f"every page: trim {_size(first.TrimBox)}, bleed box {_size(first.BleedBox)}, "
                                   f"media {_size(first.MediaBox)}")


def _box(box) -> tuple[float, float, float, float]:
    left, bottom, right, top = (float(value) for value in box)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


def _inside(inner, outer) -> bool:
    return all(inner[i] >= outer[i] - _TOLERANCE for i in (0, 1)) and all(inner[i] <= outer[i] + _TOLERANCE for i in (2, 3))


def _bleed(pdf) -> Row:
    narrowest, where = None, 0
    for number, page in enumerate(pdf.pages, 1):
        if "/TrimBox" not in page.obj or "/BleedBox" not in page.obj:
            continue
        trim, bleed = _box(page.TrimBox), _box(page.BleedBox)
        sides = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
        if narrowest is None or min(sides) < narrowest:
            narrowest, where = min(sides), number
    if narrowest is None:
        return Row("bleed", False, "no page has both a TrimBox and a BleedBox")
    if narrowest < MIN_BLEED_MM * POINTS_PER_MM - _TOLERANCE:
        return Row("bleed", False, f"page {where} bleeds {_mm(narrowest)} mm; a shop needs at least {MIN_BLEED_MM:g} mm on every side")
    return Row("bleed", True, f"at least {_mm(narrowest)} mm beyond the trim on every side of every page")


def _page_count(pdf, kind: str) -> Row:
    count = len(pdf.pages)
    if kind == BOOKLET:
        return Row("page count", count > 0 and count % 2 == 0,
                   f"{count} sheet sides: {count // 2} sheets printed on both sides, {2 * count} pamphlet pages"
                   + ("" if count % 2 == 0 else "; a sheet side has no back"))
    return Row("page count", count > 0 and count % 4 == 0,
               f"{count} pages = {count / 4:g} folded sheets" + ("" if count % 4 == 0 else "; a saddle-stitched pamphlet needs a multiple of 4"))


def _interactive(pdf) -> Row:
    links = sum(1 for page in pdf.pages for annotation in page.obj.get("/Annots", [])
                if annotation.get("/Subtype") not in ("/PrinterMark", "/TrapNet"))
    outline = pdf.Root.get("/Outlines")
    bookmarks = outline is not None and "/First" in outline
    extras = [what for what, present in (("a form", "/AcroForm" in pdf.Root), ("JavaScript", "/JavaScript" in pdf.Root.get("/Names", {})))
              if present]
    found = ([f"{links} links or annotations"] if links else []) + (["bookmarks"] if bookmarks else []) + extras
    return Row("links and bookmarks", not found, ", ".join(found) + ": a print shop wants none" if found else "none")


# -- content streams ---------------------------------------------------------------------------


@dataclass
class _Survey:
    """What the content streams use, with the first place each thing was seen."""

    colour_spaces: dict[str, str] = field(default_factory=dict)
    fonts: dict[str, tuple[bool, bool]] = field(default_factory=dict)  # name -> (embedded, subset)
    transparency: dict[str, str] = field(default_factory=dict)
    seen: set[tuple[int, int]] = field(default_factory=set)

    def colour(self, space: str, place: str) -> None:
        self.colour_spaces.setdefault(space, place)


def _survey(pdf) -> _Survey:
    survey = _Survey()
    for number, page in enumerate(pdf.pages, 1):
        place = f"page {number}"
        if page.obj.get("/Group", {}).get("/S") == "/Transparency":
            survey.transparency.setdefault("transparency group", place)
        _walk(page, page.obj.get("/Resources", {}), place, survey)
    return survey


def _walk(owner, resources, place: str, survey: _Survey) -> None:
    """Every colour, font, graphics state and XObject a content stream uses, forms included."""
    import pikepdf

    _note_fonts(resources, survey)
    for operands, operator in pikepdf.parse_content_stream(owner):
        name = str(operator)
        if name in _DIRECT:
            survey.colour(_DIRECT[name], f"{place}: {name}")
        elif name in ("cs", "CS"):
            survey.colour(_describe(_resource(resources, "/ColorSpace", operands[0])), f"{place}: {name}")
        elif name in ("scn", "SCN") and operands and isinstance(operands[-1], pikepdf.Name):
            _pattern(_resource(resources, "/Pattern", operands[-1]), resources, place, survey)
        elif name == "sh":
            shading = _resource(resources, "/Shading", operands[0])
            survey.colour(_describe(shading.get("/ColorSpace") if shading is not None else None), f"{place}: shading")
        elif name == "gs":
            _graphics_state(_resource(resources, "/ExtGState", operands[0]), place, survey)
        elif name == "Do":
            _xobject(_resource(resources, "/XObject", operands[0]), resources, place, survey)
        elif name == "INLINE IMAGE":
            _inline_image(operands[0], resources, place, survey)


def _resource(resources, kind: str, name):
    """A named resource; colour space names like /DeviceRGB stand for themselves."""
    import pikepdf

    found = resources.get(kind, {}).get(name) if resources is not None else None
    if found is None and kind == "/ColorSpace" and isinstance(name, pikepdf.Name):
        return name
    return found


def _describe(space) -> str:
    """A colour space as a reader of a preflight report names it, e.g. 'Separation All over DeviceCMYK'."""
    import pikepdf

    if isinstance(space, pikepdf.Name):
        return str(space)[1:]
    if not isinstance(space, pikepdf.Array) or len(space) == 0:
        return "unknown"
    family = str(space[0])[1:]
    if family == "ICCBased":
        count = int(space[1].get("/N", 0))
        return f"ICCBased {_ICC_COMPONENTS.get(count, count)}"
    if family == "Separation":
        return f"Separation {str(space[1])[1:]} over {_describe(space[2])}"
    if family == "DeviceN":
        return f"DeviceN over {_describe(space[2])}"
    if family in ("Indexed", "Pattern") and len(space) > 1:
        return f"{family} over {_describe(space[1])}"
    return family  # CalRGB, CalGray, Lab, Pattern


def _press_ready(space: str) -> bool:
    """CMYK, grey, or a spot colour whose stand-in is CMYK or grey; PDF/X-1a admits nothing else."""
    return space == "Pattern" or (not space.startswith("ICCBased") and space.split(" over ")[-1] in _PROCESS)


def _note_fonts(resources, survey: _Survey) -> None:
    for font in (resources.get("/Font", {}) if resources is not None else {}).values():
        name = str(font["/BaseFont"])[1:] if "/BaseFont" in font else f"Type 3 font {str(font.get('/Name', ''))[1:]}".strip()
        if font.get("/Subtype") == "/Type3":
            survey.fonts.setdefault(name, (True, True))  # its glyphs are content streams in the file
            continue
        descriptor = font.get("/DescendantFonts", [font])[0].get("/FontDescriptor", {})
        embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        subset = len(name) > 7 and name[6] == "+" and name[:6].isalpha() and name[:6].isupper()
        survey.fonts.setdefault(name, (embedded, subset))


def _graphics_state(state, place: str, survey: _Survey) -> None:
    if state is None:
        return
    for key in ("/CA", "/ca"):
        if key in state and float(state[key]) < 1:
            survey.transparency.setdefault(f"opacity {float(state[key]):g}", place)
    if state.get("/SMask", "/None") != "/None":
        survey.transparency.setdefault("soft mask", place)
    if state.get("/BM", "/Normal") not in ("/Normal", "/Compatible"):
        survey.transparency.setdefault(f"blend mode {str(state['/BM'])[1:]}", place)


def _xobject(xobject, resources, place: str, survey: _Survey) -> None:
    if xobject is None:
        return
    if xobject.get("/Subtype") == "/Image":
        if not xobject.get("/ImageMask", False):
            space = xobject.get("/ColorSpace")
            survey.colour(_describe(space) if space is not None else "embedded in a JPEG 2000 image", f"{place}: image")
        if "/SMask" in xobject:
            survey.transparency.setdefault("image with a soft mask", place)
        return
    key = xobject.objgen
    if key != (0, 0) and key in survey.seen:
        return
    survey.seen.add(key)
    if xobject.get("/Group", {}).get("/S") == "/Transparency":
        survey.transparency.setdefault("transparency group", place)
    _walk(xobject, xobject.get("/Resources", resources), place, survey)


def _pattern(pattern, resources, place: str, survey: _Survey) -> None:
    if pattern is None:
        return
    if pattern.get("/PatternType") == 2:
        survey.colour(_describe(pattern.get("/Shading", {}).get("/ColorSpace")), f"{place}: shading pattern")
    elif pattern.get("/PaintType") == 1:
        _xobject(pattern, resources, place, survey)


def _inline_image(image, resources, place: str, survey: _Survey) -> None:
    details = image.obj if hasattr(image, "obj") else {}
    if details.get("/IM", details.get("/ImageMask", False)):
        return
    space = details.get("/CS", details.get("/ColorSpace"))
    named = _INLINE_SPACES.get(str(space)) if space is not None else None
    survey.colour(named or _describe(_resource(resources, "/ColorSpace", space)), f"{place}: inline image")


# -- rows from the survey ----------------------------------------------------------------------


def _fonts(survey: _Survey) -> list[Row]:
    fonts = survey.fonts
    loose = sorted(name for name, (embedded, _) in fonts.items() if not embedded)
    full = sorted(name for name, (_, subset) in fonts.items() if not subset)
    embedded = Row("fonts embedded", not loose, f"not embedded: {', '.join(loose)}" if loose else f"all {len(fonts)} embedded")
    # Whole fonts print as well as subsets: this row informs the shop, it never fails.
    subset = Row("fonts subset", True, f"embedded whole: {', '.join(full)}" if full else f"all {len(fonts)} subset")
    return [embedded, subset]


def _colour_spaces(survey: _Survey) -> Row:
    spaces = survey.colour_spaces
    wrong = {space: place for space, place in spaces.items() if not _press_ready(space)}
    if wrong:
        where = "; ".join(f"{space} ({place})" for space, place in sorted(wrong.items()))
        return Row("colour spaces", False, f"{where}: print takes CMYK or grey only")
    return Row("colour spaces", True, ", ".join(sorted(spaces)) or "none used")


def _transparency(survey: _Survey, kind: str) -> Row:
    found = survey.transparency
    if found:
        where = "; ".join(f"{what} ({place})" for what, place in sorted(found.items()))
        return Row("transparency", kind != PRESS, f"{where}: PDF/X-1a forbids transparency")
    return Row("transparency", True, "none")


# -- what is drawn (pdfium) --------------------------------------------------------------------


def _images(data: bytes, kind: str) -> Row:
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    lowest, where, count = None, 0, 0
    document = pypdfium2.PdfDocument(data)
    try:
        for number, page in enumerate(document, 1):
            for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                metadata = image.get_metadata()
                ppi = min(metadata.horizontal_dpi, metadata.vertical_dpi)
                count += 1
                if lowest is None or ppi < lowest:
                    lowest, where = ppi, number
    finally:
        document.close()
    if lowest is None:
        return Row("image resolution", True, "no raster images")
    detail = f"{count} images, the lowest {lowest:.0f} ppi (page {where})"
    if kind == PRESS and lowest < MIN_IMAGE_PPI - 0.5:
        return Row("image resolution", False, f"{detail}; print needs at least {MIN_IMAGE_PPI} ppi at the printed size")
    return Row("image resolution", True, detail)


def _beyond_trim(data: bytes) -> Row:
    """Whatever crosses the trim must run on to the bleed's edge, or the cut shows a white sliver.

    Objects wholly outside the bleed box are the slug's printer's marks and are cut away.
    """
    import pypdfium2

    crossing, short = 0, []
    document = pypdfium2.PdfDocument(data)
    try:
        for number, page in enumerate(document, 1):
            trim, bleed = page.get_trimbox(), page.get_bleedbox()
            for drawn in page.get_objects(max_depth=1):
                bounds = drawn.get_bounds()
                if not _overlaps(bounds, bleed) or _inside(bounds, trim):
                    continue
                crossing += 1
                if not _reaches_bleed(bounds, trim, bleed):
                    short.append(number)
    finally:
        document.close()
    if short:
        pages = ", ".join(str(number) for number in sorted(set(short))[:5])
        return Row("content beyond the trim", False, f"{len(short)} objects cross the trim but stop short of the bleed (pages {pages}): "
                                                     "extend them to the bleed's edge or keep them inside the trim")
    if crossing:
        return Row("content beyond the trim", True, f"{crossing} objects cross the trim, all running on to the bleed's edge")
    return Row("content beyond the trim", True, "nothing crosses the trim")


def _overlaps(bounds, box) -> bool:
    return bounds[0] < box[2] - _TOLERANCE and bounds[2] > box[0] + _TOLERANCE and bounds[1] < box[3] - _TOLERANCE and bounds[3] > box[1] + _TOLERANCE


def _reaches_bleed(bounds, trim, bleed) -> bool:
    """On every side where the object passes the trim, it reaches the bleed box's edge."""
    margin = 0.5  # points
    sides = (
        (bounds[0] < trim[0] - _TOLERANCE, bounds[0] <= bleed[0] + margin),
        (bounds[1] < trim[1] - _TOLERANCE, bounds[1] <= bleed[1] + margin),
        (bounds[2] > trim[2] + _TOLERANCE, bounds[2] >= bleed[2] - margin),
        (bounds[3] > trim[3] + _TOLERANCE, bounds[3] >= bleed[3] - margin),
    )
    return all(reaches for crosses, reaches in sides if crosses)
