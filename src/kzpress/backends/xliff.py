"""XLIFF for translators: 1.2 (every CAT tool reads it) by default, 2.1 on request (`xliff2`).

One unit per paragraph, heading, caption or footnote paragraph (`kzpress.translation.units`): paired codes
become `<g>`, placeholders `<x/>`, so a translator sees words and tags, never Markdown or URLs. Each unit
is cut into sentences (`<seg-source>` with `<mrk mtype="seg">`, the target cut alike). The skeleton an
importer needs to rebuild the exact AST travels in the header as `<skl><internal-file form=
"application/json">`. A target is the stored translation where one is kept (`translation.update`), else
a copy of its source waiting as `needs-translation` (OmegaT 3 only translates units that have a target),
with the earlier translation of a changed unit offered as an `<alt-trans>`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lxml import etree

import kzpress
from kzpress.document import Document
from kzpress.errors import InputError
from kzpress.language import language
from kzpress.translation import segment
from kzpress.translation.memory import Translation
from kzpress.translation.units import Run, Unit, skeleton, units
from kzpress.translation.update import Plan, Planned, plan

XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NAMESPACE}}}lang"
DATATYPE = "x-kzpress-markdown"
TOOL_ID = "kzpress"
VERSIONS = ("1.2", "2.1")
INSTRUCTIONS = (
    "Tags mark formatting, links, footnote marks and code: keep each pair of tags around the words it "
    "belongs to, and every single tag where it makes sense in the translation. Footnotes follow their "
    "paragraph as units of their own."
)
SUGGESTION_ORIGIN = "kzpress: the earlier translation of this text"
# XLIFF's own resource types where one fits a unit's role, `x-<role>` otherwise.
_RESTYPES = {
    "heading": "heading",
    "list-item": "listitem",
    "table-cell": "cell",
    "table-heading": "cell",
    "table-caption": "caption",
    "figure-caption": "caption",
    "footnote": "fn",
}

__all__ = ["XliffOptions", "Export", "write", "export", "units", "skeleton", "Unit"]


@dataclass(frozen=True)
class XliffOptions:
    target: str  # the language tag translated into, e.g. "ru" or "kk"
    original: str = "document.md"  # the name translators' tools show for the source file
    version: str = "1.2"  # or "2.1"
    translation: Translation | None = None  # the stored translation into `target`, carried over
    segmented: bool = True  # cut units into sentences


@dataclass(frozen=True)
class Export:
    """What both versions write: languages, the skeleton and each unit's target (see `update.plan`)."""

    source_language: str
    target_language: str
    original: str
    skeleton: dict[str, Any]
    plan: Plan
    translators: tuple[str, ...]
    segmented: bool


def export(document: Document, options: XliffOptions) -> Export:
    if options.version not in VERSIONS:
        raise InputError(f"--xliff: kzpress writes XLIFF {' or '.join(VERSIONS)}, not '{options.version}'")
    source_language, target_language = _languages(document, options)
    found, emptied = _units_and_skeleton(document)
    translators = options.translation.translators if options.translation is not None else ()
    return Export(source_language, target_language, options.original, emptied,
                  plan(found, options.translation), translators, options.segmented)


_last_skeleton: list[tuple[Document, dict[str, Any]]] = []


def _units_and_skeleton(document: Document) -> tuple[list[Unit], dict[str, Any]]:
    """The document's units (kept by `units`) and skeleton, worked out once for all its target languages:
    the last document's skeleton is kept, with the document, like its units. Writers only read it."""
    found = units(document)
    if not _last_skeleton or _last_skeleton[0][0] is not document:
        _last_skeleton[:] = [(document, skeleton(document, found))]
    return found, _last_skeleton[0][1]


def write(document: Document, options: XliffOptions) -> bytes:
    """The document as one XLIFF `<file>` of the version asked for."""
    prepared = export(document, options)
    if options.version == "2.1":
        from kzpress.backends import xliff2

        return xliff2.write(prepared)
    root = etree.Element(_q("xliff"), nsmap={None: XLIFF_NAMESPACE}, version="1.2")
    file = etree.SubElement(root, _q("file"), {
        "original": prepared.original,
        "source-language": prepared.source_language,
        "target-language": prepared.target_language,
        "datatype": DATATYPE,
        "tool-id": TOOL_ID,
    })
    file.append(_header(prepared))
    body = etree.SubElement(file, _q("body"))
    for planned in prepared.plan.units:
        body.append(_trans_unit(planned, prepared))
    indent(root, _STRUCTURE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def aligned_segments(planned: Planned, prepared: Export) -> list[tuple[segment.Segment, segment.Segment]] | None:
    """The unit's sentences paired with the target's, or None when they do not pair up one to one."""
    if not prepared.segmented:
        return None
    sources = segment.segments(planned.unit.runs, prepared.source_language)
    if planned.target == planned.unit.runs:
        return list(zip(sources, sources))
    targets = segment.segments(planned.target, prepared.target_language)
    return list(zip(sources, targets)) if len(sources) == len(targets) else None


def _languages(document: Document, options: XliffOptions) -> tuple[str, str]:
    source_name = options.original
    lang = document.metadata.lang
    if not lang:
        raise InputError(f"{source_name}: the metadata has no lang; add one such as `lang: en-GB`")
    source = language(lang, source=source_name).tag
    target = language(options.target, source=f"{source_name} (translation target)").tag
    if target.lower() == source.lower():
        raise InputError(f"{source_name}: the translation target {target} is the document's own language")
    return source, target


def _q(name: str) -> str:
    return f"{{{XLIFF_NAMESPACE}}}{name}"


def _header(prepared: Export) -> etree._Element:
    header = etree.Element(_q("header"))
    skl = etree.SubElement(header, _q("skl"))
    internal = etree.SubElement(skl, _q("internal-file"), form="application/json")
    internal.text = json.dumps(prepared.skeleton, ensure_ascii=False, separators=(",", ":"))
    if prepared.translators:
        phases = etree.SubElement(header, _q("phase-group"))
        for number, name in enumerate(prepared.translators, 1):
            etree.SubElement(phases, _q("phase"), {"phase-name": f"translation-{number}", "process-name": "translation",
                                                   "contact-name": name, "tool-id": TOOL_ID})
    etree.SubElement(header, _q("tool"), {"tool-id": TOOL_ID, "tool-name": "kzpress", "tool-version": kzpress.__version__})
    etree.SubElement(header, _q("note")).text = INSTRUCTIONS
    return header


def _trans_unit(planned: Planned, prepared: Export) -> etree._Element:
    unit = planned.unit
    element = etree.Element(_q("trans-unit"), id=unit.id, restype=_RESTYPES.get(unit.role, f"x-{unit.role}"))
    source = _text_element("source", unit.runs, prepared.source_language)
    element.append(source)
    pairs = aligned_segments(planned, prepared)
    if pairs is None:
        target = _text_element("target", planned.target, prepared.target_language)
    else:
        element.append(_segmented("seg-source", [pair[0] for pair in pairs], None))
        target = _segmented("target", [pair[1] for pair in pairs], prepared.target_language)
    if planned.state:
        target.set("state", planned.state)
    element.append(target)
    etree.SubElement(element, _q("note")).text = unit.note
    if planned.earlier is not None:
        suggestion = etree.SubElement(element, _q("alt-trans"), {"match-quality": str(planned.similarity), "origin": SUGGESTION_ORIGIN})
        suggestion.append(_text_element("source", planned.earlier.source, prepared.source_language))
        suggestion.append(_text_element("target", planned.earlier.target, prepared.target_language))
    if _needs_preserving(element):
        element.set(f"{{{XML_NAMESPACE}}}space", "preserve")
    return element


def _text_element(tag: str, runs: tuple[Run, ...], lang: str | None) -> etree._Element:
    element = etree.Element(_q(tag))
    if lang:
        element.set(XML_LANG, lang)
    fill(element, runs)
    return element


def _segmented(tag: str, pieces: list[segment.Segment], lang: str | None) -> etree._Element:
    element = etree.Element(_q(tag))
    if lang:
        element.set(XML_LANG, lang)
    for number, piece in enumerate(pieces, 1):
        mark = etree.SubElement(element, _q("mrk"), mtype="seg", mid=str(number))
        fill(mark, piece.runs)
        mark.tail = piece.gap or None
    return element


def fill(parent: etree._Element, runs: tuple[Run, ...]) -> None:
    """Text and 1.2 codes into `parent`: `<g>` around words, `<x/>` for placeholders."""
    fill_runs(parent, runs, _code_element)


def fill_runs(parent: etree._Element, runs: tuple[Run, ...], code_element) -> None:
    """Text and inline codes into `parent`, in order; `code_element(parent, code)` makes each code's
    element in the XLIFF version being written, and the code's own runs go inside it."""
    last: etree._Element | None = None
    for run in runs:
        if isinstance(run, str):
            if last is None:
                parent.text = (parent.text or "") + run
            else:
                last.tail = (last.tail or "") + run
            continue
        last = code_element(parent, run.code)
        fill_runs(last, run.content, code_element)


def _code_element(parent: etree._Element, code) -> etree._Element:
    element = etree.SubElement(parent, _q(code.tag), id=code.id, ctype=code.ctype)
    if code.xid:
        element.set("xid", code.xid)
    if code.equiv is not None:
        element.set("equiv-text", code.equiv)
    return element


def _needs_preserving(unit: etree._Element) -> bool:
    # Tools may collapse runs of white space and trim segments unless told otherwise.
    for text_element in unit.iter(_q("source"), _q("target"), _q("seg-source")):
        pieces = [text_element.text or ""] + [piece or "" for child in text_element.iterdescendants() for piece in (child.text, child.tail)]
        text = "".join(text_element.itertext())
        between_sentences = any(mark.tail and not mark.tail.strip() for mark in text_element.iterchildren(_q("mrk")))
        if between_sentences or any("\n" in piece or "\t" in piece or "  " in piece for piece in pieces) or text != text.strip(" \t\r\n"):
            return True
    return False


_STRUCTURE = {_q(name) for name in ("xliff", "file", "header", "skl", "phase-group", "body", "trans-unit", "alt-trans")}


def indent(element: etree._Element, structure: set[str], depth: int = 0) -> None:
    """Indent the structure only: white space inside a source, target or note would be text."""
    children = list(element)
    if element.tag not in structure or not children:
        return
    inner = "\n" + "  " * (depth + 1)
    element.text = inner
    for child in children:
        child.tail = inner
        indent(child, structure, depth + 1)
    children[-1].tail = "\n" + "  " * depth
