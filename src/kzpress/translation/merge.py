"""Putting translated text back: a skeleton filled with each unit's runs becomes a Document again.

The skeleton (see `units`) is the document with every unit's inlines taken out and every code's
template kept. Filling it is the exact inverse of `units` + `skeleton`: text becomes Str, Space (" ")
and SoftBreak (a run of spaces holding a line break); a paired code's template gets the inlines
read from between its tags; a placeholder is its template; a footnote's template gets its own units.
So the runs `units` found give back the very AST they came from, and a translation's runs give the
translated AST, with every URL, attribute and code taken from the skeleton, never from the translator.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Mapping

from kzpress.document import Document, Element, python_to_meta
from kzpress.translation.memory import Translation
from kzpress.translation.units import PAIRED, Run, skeleton, units

# Only what `units` makes of Space and SoftBreak: a tab or other space inside a word stays in its Str.
_WHITE_SPACE = re.compile(r"([ \n]+)")


class Unfillable(Exception):
    """A unit's runs do not fit the skeleton (a code it does not know); the unit id says where."""

    def __init__(self, unit_id: str, message: str):
        super().__init__(f"unit {unit_id}: {message}")
        self.unit_id = unit_id


def fill(skeleton_json: Mapping[str, Any], texts: Mapping[str, tuple[Run, ...]]) -> dict[str, Any]:
    """The skeleton's document (pandoc JSON) with every unit's inlines made from `texts[unit id]`."""
    return _Filler(skeleton_json, texts).document()


class _Filler:
    def __init__(self, skeleton_json: Mapping[str, Any], texts: Mapping[str, tuple[Run, ...]]):
        self.skeleton = skeleton_json
        self.entries: Mapping[str, Any] = skeleton_json["units"]
        self.texts = texts
        self.inside: dict[tuple[str, str], list[str]] = {}
        for unit_id, entry in self.entries.items():
            if "in" in entry:
                self.inside.setdefault((entry["in"][0], entry["in"][1]), []).append(unit_id)

    def document(self) -> dict[str, Any]:
        document = copy.deepcopy(self.skeleton["document"])
        for unit_id, entry in self.entries.items():
            if "in" not in entry:
                self.put(document, unit_id)
        return document

    def put(self, node: Any, unit_id: str) -> None:
        if unit_id not in self.texts:
            raise Unfillable(unit_id, "has no text")
        at = self.entries[unit_id]["at"]
        for key in at[:-1]:
            node = node[key]
        runs = self.texts[unit_id]
        if node[at[-1]] == "":  # a MetaString: the text as it is
            node[at[-1]] = "".join(run for run in runs if isinstance(run, str))
        else:
            node[at[-1]] = self.inlines(unit_id, runs)

    def inlines(self, unit_id: str, runs: tuple[Run, ...]) -> list[Element]:
        result: list[Element] = []
        for run in runs:
            for inline in words(run) if isinstance(run, str) else [self.code(unit_id, run)]:
                if inline["t"] == "Str" and result and result[-1]["t"] == "Str":
                    result[-1] = {"t": "Str", "c": result[-1]["c"] + inline["c"]}  # as pandoc would have it
                else:
                    result.append(inline)
        return result

    def code(self, unit_id: str, run: Any) -> Element:
        code_id = run.code.id
        templates = self.entries[unit_id]["codes"]
        if code_id not in templates:
            raise Unfillable(unit_id, f"has no tag {code_id}")
        template = copy.deepcopy(templates[code_id])
        if run.code.tag == "g" or run.content:
            if template["t"] not in PAIRED:
                raise Unfillable(unit_id, f"tag {code_id} stands alone: it cannot hold words")
            index = PAIRED[template["t"]][1]
            content = self.inlines(unit_id, run.content)
            if index is None:
                template["c"] = content
            else:
                template["c"][index] = content
        for inner in self.inside.get((unit_id, code_id), []):
            self.put(template, inner)
        return template


def words(text: str) -> list[Element]:
    """Text as pandoc inlines: words as Str, white space as Space, or SoftBreak where it breaks a line."""
    inlines: list[Element] = []
    for piece in _WHITE_SPACE.split(text):
        if not piece:
            continue
        if _WHITE_SPACE.fullmatch(piece):
            inlines.append({"t": "SoftBreak"} if "\n" in piece else {"t": "Space"})
        else:
            inlines.append({"t": "Str", "c": piece})
    return inlines


def translated(document: Document, translation: Translation) -> tuple[Document, list[str]]:
    """`document` in the translation's language: each unit's text replaced by its translation.

    A unit with no translation made from the words it has now keeps its source text; the ids of those
    units are returned, in reading order. The language tag and the translators become the document's.
    """
    found = units(document)
    texts: dict[str, tuple[Run, ...]] = {}
    untranslated: list[str] = []
    for unit in found:
        kept = translation.applies(unit.id, unit.runs)
        if kept is not None and kept.done:
            texts[unit.id] = kept.target
        else:
            texts[unit.id] = unit.runs
            untranslated.append(unit.id)
    filled = Document.from_json(fill(skeleton(document, found), texts), source="translation")
    # The source's translators and translation targets are not this edition's.
    meta = {key: value for key, value in filled.meta.items() if key not in ("translator", "targets")}
    meta["lang"] = python_to_meta(translation.target_language)
    if translation.translators:
        meta["translator"] = python_to_meta(list(translation.translators))
    return Document(meta, filled.blocks, filled.api_version), untranslated
