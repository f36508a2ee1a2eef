"""Structural summaries of built outputs: what `kzpress check` validates and golden tests compare.

A summary is plain JSON-able data about structure (pages, fonts, bookmarks, manifest, units), never
about bytes that change with a library's version.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
POINTS_PER_MM = 72 / 25.4


def pdf_summary(data: bytes) -> dict[str, Any]:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        boxes = {_box_mm(page.mediabox) for page in pdf.pages}
        fonts = {}
        for page in pdf.pages:
            for font in page.resources.get("/Font", {}).values():
                name = str(font.get("/BaseFont", "?")).lstrip("/")
                program = _font_program(font)
                fonts[_postscript_name(program) or _SUBSET_PREFIX.sub("", name)] = {
                    "embedded": program is not None,
                    "subset": bool(_SUBSET_PREFIX.match(name)),
                }
        with pdf.open_outline() as outline:
            bookmarks = _bookmarks(outline.root, 1)
        info = pdf.docinfo
        return {
            "pages": len(pdf.pages),
            "page_size_mm": [list(box) for box in sorted(boxes)],
            "fonts": dict(sorted(fonts.items())),
            "bookmarks": bookmarks,
            "title": str(info.get("/Title", "")),
            "author": str(info.get("/Author", "")),
            "language": str(pdf.Root.get("/Lang", "")),
        }


def _box_mm(box) -> tuple[float, float]:
    width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    return (round(width / POINTS_PER_MM, 1), round(height / POINTS_PER_MM, 1))


def _font_program(font) -> bytes | None:
    """The embedded font file, or None when the PDF only names the font."""
    descendants = font.get("/DescendantFonts")
    if descendants is not None:
        font = descendants[0]
    descriptor = font.get("/FontDescriptor", {})
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if key in descriptor:
            return descriptor[key].read_bytes()
    return None


def _postscript_name(program: bytes | None) -> str | None:
    """The PostScript name inside an embedded TrueType/OpenType program: which font file it came from."""
    if program is None:
        return None
    from fontTools.ttLib import TTFont, TTLibError

    try:
        return TTFont(io.BytesIO(program), lazy=True)["name"].getDebugName(6)
    except (TTLibError, KeyError, AssertionError):
        return None


def _bookmarks(items, level: int) -> list[list[Any]]:
    result: list[list[Any]] = []
    for item in items:
        result.append([level, item.title])
        result.extend(_bookmarks(item.children, level + 1))
    return result


def pdf_text(data: bytes) -> list[str]:
    """The text of each page, as a reader's copy-and-paste would give it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def epub_summary(data: bytes) -> dict[str, Any]:
    from lxml import etree

    from kzpress.xmlsafe import parse, parser

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        container = parse(archive.read("META-INF/container.xml"), source="META-INF/container.xml")
        opf_path = container.find(".//{*}rootfile").get("full-path")
        opf = parse(archive.read(opf_path), source=opf_path)
        base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
        manifest = {item.get("id"): item for item in opf.iterfind(".//{*}manifest/{*}item")}
        nav_item = next(item for item in manifest.values() if "nav" in (item.get("properties") or "").split())
        # XHTML5 carries `<!DOCTYPE html>`, which `parse` refuses; the parser itself still loads no DTD.
        nav = etree.fromstring(archive.read(base + nav_item.get("href")), parser())
        toc = nav.xpath("//*[local-name()='nav'][@*[local-name()='type']='toc']//*[local-name()='a']")
        landmarks = nav.xpath("//*[local-name()='nav'][@*[local-name()='type']='landmarks']//*[local-name()='a']")
        pages = nav.xpath("//*[local-name()='nav'][@*[local-name()='type']='page-list']//*[local-name()='a']")
        return {
            "first_entry": names[0],
            "manifest": sorted(f"{item.get('href')} {item.get('media-type')}" for item in manifest.values()),
            "spine": [manifest[ref.get("idref")].get("href") for ref in opf.iterfind(".//{*}spine/{*}itemref")],
            "toc": [" ".join("".join(a.itertext()).split()) for a in toc],
            "landmarks": [next(v for k, v in a.attrib.items() if k.endswith("}type")) for a in landmarks],
            # Whether there is a page list, not its entries: they follow the PDF's layout, which changes.
            "page_list": bool(pages),
            "language": (opf.findtext(".//{http://purl.org/dc/elements/1.1/}language") or ""),
            "title": (opf.findtext(".//{http://purl.org/dc/elements/1.1/}title") or ""),
            "identifier": (opf.findtext(".//{http://purl.org/dc/elements/1.1/}identifier") or ""),
            "accessibility": _epub_properties(opf, "schema:", "dcterms:conformsTo"),
        }


def _epub_properties(opf, *prefixes: str) -> dict[str, list[str]]:
    """The package's <meta property=...> values whose property starts with one of `prefixes`; the
    accessibility summary (a sentence) is left out."""
    found: dict[str, list[str]] = {}
    for meta in opf.iterfind(".//{*}metadata/{*}meta[@property]"):
        name = meta.get("property")
        if name.startswith(prefixes) and name != "schema:accessibilitySummary":
            found.setdefault(name, []).append(meta.text or "")
    return found


def xliff_summary(data: bytes) -> dict[str, Any]:
    from kzpress.xmlsafe import parse

    root = parse(data, source="xliff")
    units = root.xpath("//*[local-name()='trans-unit' or local-name()='unit']")
    files = root.xpath("//*[local-name()='file']")
    return {
        "version": root.get("version"),
        "source_language": files[0].get("source-language") if files else root.get("srcLang"),
        "target_language": files[0].get("target-language") if files else root.get("trgLang"),
        "units": [[unit.get("id"), _inline_text(unit.xpath("*[local-name()='source']")[0])] for unit in units],
    }


def _inline_text(element) -> str:
    """A source with its inline codes shown as {tag} markers, for reading a summary."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.split("}")[-1]
        parts.append("{" + tag + "}" + _inline_text(child) + ("{/" + tag + "}" if len(child) or child.text else ""))
        parts.append(child.tail or "")
    return "".join(parts)
