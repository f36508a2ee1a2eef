"""XLIFF 1.2 for translators: one trans-unit per paragraph, heading, caption or footnote paragraph.

The units come from `kzpress.translation.units`: paired codes become `<g>`, placeholders `<x/>`, so a
translator sees words and tags, never Markdown or URLs. The skeleton an importer needs to rebuild the
exact AST travels in the header as `<skl><internal-file form="application/json">`; every target is
pre-filled with its source because OmegaT 3 only translates units that have one.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from lxml import etree

import kzpress
from kzpress.document import Document
from kzpress.errors import InputError
from kzpress.language import language
from kzpress.translation.units import Run, Unit, skeleton, units

XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
DATATYPE = "x-kzpress-markdown"
TOOL_ID = "kzpress"
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

__all__ = ["XliffOptions", "write", "units", "skeleton", "Unit"]


@dataclass(frozen=True)
class XliffOptions:
    target: str  # the language tag translated into, e.g. "ru" or "kk"
    original: str = "document.md"  # the name translators' tools show for the source file


def write(document: Document, options: XliffOptions) -> bytes:
    """The document as one XLIFF 1.2 `<file>`, every target pre-filled with its source."""
    source_language, target_language = _languages(document, options)
    found = units(document)
    root = etree.Element(_q("xliff"), nsmap={None: XLIFF_NAMESPACE}, version="1.2")
    file = etree.SubElement(root, _q("file"), {
        "original": options.original,
        "source-language": source_language,
        "target-language": target_language,
        "datatype": DATATYPE,
        "tool-id": TOOL_ID,
    })
    file.append(_header(skeleton(document, found)))
    body = etree.SubElement(file, _q("body"))
    for unit in found:
        body.append(_trans_unit(unit, source_language, target_language))
    _indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


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


def _header(skeleton_json: dict[str, Any]) -> etree._Element:
    header = etree.Element(_q("header"))
    skl = etree.SubElement(header, _q("skl"))
    internal = etree.SubElement(skl, _q("internal-file"), form="application/json")
    internal.text = json.dumps(skeleton_json, ensure_ascii=False, separators=(",", ":"))
    etree.SubElement(header, _q("tool"), {"tool-id": TOOL_ID, "tool-name": "kzpress", "tool-version": kzpress.__version__})
    etree.SubElement(header, _q("note")).text = (
        "Tags mark formatting, links, footnote marks and code: keep each pair of tags around the words it "
        "belongs to, and every single tag where it makes sense in the translation. Footnotes follow their "
        "paragraph as units of their own."
    )
    return header


def _trans_unit(unit: Unit, source_language: str, target_language: str) -> etree._Element:
    element = etree.Element(_q("trans-unit"), id=unit.id, restype=_RESTYPES.get(unit.role, f"x-{unit.role}"))
    source = etree.SubElement(element, _q("source"))
    source.set(f"{{{XML_NAMESPACE}}}lang", source_language)
    _fill(source, unit.runs)
    target = copy.deepcopy(source)
    target.tag = _q("target")
    target.set(f"{{{XML_NAMESPACE}}}lang", target_language)
    target.set("state", "needs-translation")
    element.append(target)
    etree.SubElement(element, _q("note")).text = unit.note
    if _needs_preserving(source):
        element.set(f"{{{XML_NAMESPACE}}}space", "preserve")
    return element


def _fill(parent: etree._Element, runs: tuple[Run, ...]) -> None:
    last: etree._Element | None = None
    for run in runs:
        if isinstance(run, str):
            if last is None:
                parent.text = run
            else:
                last.tail = run
            continue
        code = run.code
        last = etree.SubElement(parent, _q(code.tag), id=code.id, ctype=code.ctype)
        if code.xid:
            last.set("xid", code.xid)
        if code.equiv is not None:
            last.set("equiv-text", code.equiv)
        _fill(last, run.content)


def _needs_preserving(source: etree._Element) -> bool:
    # Tools may collapse runs of white space and trim segments unless told otherwise.
    pieces = [source.text or ""] + [piece or "" for child in source.iterdescendants() for piece in (child.text, child.tail)]
    text = "".join(source.itertext())
    return any("\n" in piece or "\t" in piece or "  " in piece for piece in pieces) or text != text.strip(" \t\r\n")


_STRUCTURE = {_q(name) for name in ("xliff", "file", "header", "skl", "body", "trans-unit")}


def _indent(element: etree._Element, depth: int = 0) -> None:
    """Indent the structure only: white space inside a source, target or note would be text."""
    children = list(element)
    if element.tag not in _STRUCTURE or not children:
        return
    inner = "\n" + "  " * (depth + 1)
    element.text = inner
    for child in children:
        child.tail = inner
        _indent(child, depth + 1)
    children[-1].tail = "\n" + "  " * depth
