"""XLIFF 2.1 for translators whose tools read it: the same units, codes and skeleton as 1.2 (`xliff`).

Paired codes become `<pc>`, placeholders `<ph/>` (with their code in `<originalData>` where there is
any: a code span, maths, raw markup), all marked as neither to delete nor to copy. A footnote mark names
its footnote's unit as a sub-flow. Units are cut into `<segment>`s, the white space between sentences
in `<ignorable>`s. The skeleton is the file's `<skeleton>`, translators are metadata (`mda`), and the
earlier translation of a changed unit is a match (`mtc`) pointing at its first segment.
"""

from __future__ import annotations

import json

from lxml import etree

from kzpress.backends.xliff import INSTRUCTIONS, SUGGESTION_ORIGIN, XML_LANG, XML_NAMESPACE, Export, aligned_segments, fill_runs, indent
from kzpress.translation.units import Run
from kzpress.translation.update import Planned

NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"
MATCHES = "urn:oasis:names:tc:xliff:matches:2.0"
METADATA = "urn:oasis:names:tc:xliff:metadata:2.0"
# XLIFF 1.2 states as 2.x has them.
STATES = {"translated": "translated", "signed-off": "reviewed", "final": "final",
          "needs-review-translation": "translated", "needs-review-l10n": "translated", "needs-review-adaptation": "translated"}
# 1.2 ctype -> 2.x (type, subType); the xlf: subtypes need type fmt, ours are kzpress:.
_TYPES = {
    "italic": ("fmt", "xlf:i"),
    "bold": ("fmt", "xlf:b"),
    "underlined": ("fmt", "xlf:u"),
    "lb": ("fmt", "xlf:lb"),
    "link": ("link", None),
    "x-autolink": ("link", "kzpress:autolink"),
    "x-image": ("image", None),
    "x-quoted": ("quote", None),
}


def write(prepared: Export) -> bytes:
    root = etree.Element(_q("xliff"), nsmap={None: NAMESPACE, "mtc": MATCHES, "mda": METADATA},
                         version="2.1", srcLang=prepared.source_language, trgLang=prepared.target_language)
    file = etree.SubElement(root, _q("file"), id="f1", original=prepared.original)
    etree.SubElement(file, _q("skeleton")).text = json.dumps(prepared.skeleton, ensure_ascii=False, separators=(",", ":"))
    if prepared.translators:
        group = etree.SubElement(etree.SubElement(file, f"{{{METADATA}}}metadata"), f"{{{METADATA}}}metaGroup", category="kzpress")
        for name in prepared.translators:
            etree.SubElement(group, f"{{{METADATA}}}meta", type="translator").text = name
    notes = etree.SubElement(file, _q("notes"))
    etree.SubElement(notes, _q("note"), category="instructions").text = INSTRUCTIONS
    for planned in prepared.plan.units:
        file.append(_unit(planned, prepared))
    indent(root, _STRUCTURE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _unit(planned: Planned, prepared: Export) -> etree._Element:
    unit = planned.unit
    element = etree.Element(_q("unit"), id=unit.id, type=f"kzpress:{unit.role}")
    if planned.earlier is not None:
        match = etree.SubElement(etree.SubElement(element, f"{{{MATCHES}}}matches"), f"{{{MATCHES}}}match", {
            "ref": "#s1", "type": "tm", "matchQuality": str(planned.similarity), "similarity": str(planned.similarity),
            "origin": SUGGESTION_ORIGIN,
        })
        _text(match, "source", planned.earlier.source, None)
        _text(match, "target", planned.earlier.target, prepared.target_language)
    etree.SubElement(etree.SubElement(element, _q("notes")), _q("note"), category="context").text = unit.note
    data = _original_data(unit.runs)
    if data:
        original = etree.SubElement(element, _q("originalData"))
        for data_id, text in data.values():
            etree.SubElement(original, _q("data"), id=data_id).text = text
    state = STATES.get(planned.state, "initial")
    pairs = aligned_segments(planned, prepared)
    pieces = [(planned.unit.runs, planned.target, "")] if pairs is None else [(s.runs, t.runs, s.gap) for s, t in pairs]
    references = {code_id: data_id for code_id, (data_id, _) in data.items()}
    for number, (source, target, gap) in enumerate(pieces, 1):
        segment = etree.SubElement(element, _q("segment"), id=f"s{number}", state=state)
        _text(segment, "source", source, None, references)
        _text(segment, "target", target, prepared.target_language, references)
        if gap:
            etree.SubElement(etree.SubElement(element, _q("ignorable")), _q("source")).text = gap
    if _needs_preserving(element):
        element.set(f"{{{XML_NAMESPACE}}}space", "preserve")
    return element


def _original_data(runs: tuple[Run, ...]) -> dict[str, tuple[str, str]]:
    """code id -> (data id, the code as written) for placeholders that stand for some code."""
    found: dict[str, tuple[str, str]] = {}

    def visit(items: tuple[Run, ...]) -> None:
        for run in items:
            if isinstance(run, str):
                continue
            if run.code.tag == "x" and run.code.equiv and run.code.ctype != "x-footnote":
                found[run.code.id] = (f"d{len(found) + 1}", run.code.equiv)
            visit(run.content)

    visit(runs)
    return found


def _text(parent: etree._Element, tag: str, runs: tuple[Run, ...], lang: str | None,
          references: dict[str, str] | None = None) -> None:
    element = etree.SubElement(parent, _q(tag))
    if lang:
        element.set(XML_LANG, lang)
    _fill(element, runs, references or {})


def _fill(parent: etree._Element, runs: tuple[Run, ...], references: dict[str, str]) -> None:
    fill_runs(parent, runs, lambda outer, code: _code_element(outer, code, references))


def _code_element(parent: etree._Element, code, references: dict[str, str]) -> etree._Element:
    """`<pc>` around words, `<ph/>` for placeholders, with the 2.x type and the original data's reference."""
    kind, sub = _TYPES.get(code.ctype, ("other", f"kzpress:{code.ctype.removeprefix('x-')}"))
    element = etree.SubElement(parent, _q("pc" if code.tag == "g" else "ph"), id=code.id, canCopy="no", canDelete="no", type=kind)
    if sub:
        element.set("subType", sub)
    if code.tag == "x":
        if code.id in references:
            element.set("dataRef", references[code.id])
        if code.equiv is not None:
            element.set("disp", code.equiv)
        if code.xid:
            element.set("subFlows", code.xid)
    return element


def _needs_preserving(unit: etree._Element) -> bool:
    for element in unit.iter(_q("source"), _q("target")):
        text = "".join(element.itertext())
        if "\n" in text or "\t" in text or "  " in text or (text and text != text.strip(" \t\r\n")):
            return True
    return False


_STRUCTURE = {_q(name) for name in ("xliff", "file", "notes", "unit", "segment", "ignorable", "originalData")} | {
    f"{{{MATCHES}}}matches", f"{{{MATCHES}}}match", f"{{{METADATA}}}metadata", f"{{{METADATA}}}metaGroup"}
