"""TMX 1.4 of the stored translations, for translators' memories.

One translation unit per sentence where the source and its translation cut into the same number of
sentences, else one per unit (a paragraph, heading, caption...), each with the source and the target
variant. Every stored unit that is translated goes in, also one whose source has changed since: it is
still a true pair of a source and its translation. Inline codes are TMX's `<bpt>`/`<ept>` pairs and
`<ph>` placeholders, numbered as in the XLIFF.
"""

from __future__ import annotations

from typing import Iterator, Mapping

from lxml import etree

import kzpress
from kzpress.translation import segment
from kzpress.translation.memory import Translation
from kzpress.translation.units import Run

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# XLIFF 1.2 ctypes as TMX's `type` values, where TMX has one.
_PAIRED_TYPES = {"italic": "italic", "bold": "bold", "underlined": "ulined", "link": "link", "x-smallcaps": "scap"}
_PLACEHOLDER_TYPES = {"x-footnote": "fnote", "lb": "lb", "x-image": "image"}


def write(translations: Mapping[str, Translation], *, created: str) -> bytes:
    """A TMX document of every translation (language -> Translation of one seed). `created` is the
    document's date (ISO 8601, as editions have it), never the clock."""
    from kzpress.backends.xliff import indent

    source_language = next(iter(translations.values())).source_language if translations else "en"
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": "kzpress", "creationtoolversion": kzpress.__version__, "segtype": "sentence",
        "o-tmf": "kzpress", "adminlang": "en", "srclang": source_language, "datatype": "plaintext",
        "creationdate": created.replace("-", "").replace(":", ""),
    })
    body = etree.SubElement(root, "body")
    for translation in translations.values():
        for unit_id, pieces, kind in _pairs(translation):
            body.extend(_tus(unit_id, pieces, kind, translation))
    indent(root, {"tmx", "body", "tu", "tuv"})  # white space inside a <seg> would be text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def _pairs(translation: Translation) -> Iterator[tuple[str, list[tuple[tuple[Run, ...], tuple[Run, ...]]], str]]:
    for unit_id, unit in translation.units.items():
        if not unit.done:
            continue
        sources = segment.segments(unit.source, translation.source_language)
        targets = segment.segments(unit.target, translation.target_language)
        if len(sources) == len(targets) > 1:
            yield unit_id, [(s.runs, t.runs) for s, t in zip(sources, targets)], "sentence"
        else:
            yield unit_id, [(unit.source, unit.target)], "paragraph"


def _tus(unit_id: str, pieces: list[tuple[tuple[Run, ...], tuple[Run, ...]]], kind: str,
         translation: Translation) -> Iterator[etree._Element]:
    for number, (source, target) in enumerate(pieces, 1):
        name = f"{translation.target_language}/{unit_id}" + (f".{number}" if len(pieces) > 1 else "")
        tu = etree.Element("tu", tuid=name, segtype=kind)  # unique across the languages of the file
        etree.SubElement(tu, "prop", type="x-kzpress-unit").text = unit_id
        for lang, runs in ((translation.source_language, source), (translation.target_language, target)):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            _fill(etree.SubElement(tuv, "seg"), runs)
        yield tu


def _fill(parent: etree._Element, runs: tuple[Run, ...]) -> None:
    for run in runs:
        if isinstance(run, str):
            _append_text(parent, run)
            continue
        code = run.code
        if code.tag == "x":
            _code(parent, "ph", {"x": code.id}, _PLACEHOLDER_TYPES.get(code.ctype))
            continue
        _code(parent, "bpt", {"i": code.id, "x": code.id}, _PAIRED_TYPES.get(code.ctype))
        _fill(parent, run.content)
        _code(parent, "ept", {"i": code.id}, None)


def _code(parent: etree._Element, tag: str, attributes: dict[str, str], kind: str | None) -> None:
    element = etree.SubElement(parent, tag, attributes)
    if kind:
        element.set("type", kind)


def _append_text(parent: etree._Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text
