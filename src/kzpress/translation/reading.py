"""Reading XLIFF 1.2, 2.0 and 2.1 back, whatever tool wrote it, into one neutral shape.

Each unit's source and target become runs (text and codes, as in `units`), with each code known by its
id alone: what it stands for is in the skeleton. The ways tools write paired codes all become one
`Tagged`: 1.2's `<g>`, `<bx/>…<ex/>` and `<bpt>…<ept>`, 2.x's `<pc>` and `<sc/>…<ec/>`; placeholders are
1.2's `<x/>`, `<ph>` and `<it>`, 2.x's `<ph/>`. Segment markers (1.2 `<mrk mtype="seg">`, 2.x `<segment>`,
`<ignorable>`, `<mrk>`, `<sm/>`/`<em/>`) are transparent: the unit's text is what they hold, joined.
Whatever cannot be read (a code that never closes, codes that overlap) is a problem named by unit id,
collected rather than raised, so that an import can report every problem at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterator, Union

from lxml import etree

from kzpress import xmlsafe
from kzpress.errors import InputError
from kzpress.schemas import XLIFF_1_NAMESPACE, XLIFF_2_NAMESPACE, xliff_version
from kzpress.translation.units import Code, Run, Tagged

METADATA_NAMESPACE = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# 2.x segment states in XLIFF 1.2's words, which is how kzpress stores them.
STATES_FROM_2 = {"initial": "needs-translation", "translated": "translated", "reviewed": "signed-off", "final": "final"}


@dataclass(frozen=True)
class Entry:
    """One unit as the file has it."""

    id: str
    source: tuple[Run, ...]
    target: tuple[Run, ...] | None  # None: the unit has no target
    state: str  # XLIFF 1.2's state of the target ("" when the file gives none)
    target_language: str | None = None  # the target's own xml:lang, where it has one


@dataclass(frozen=True)
class XliffFile:
    name: str  # the file's path, for messages
    version: str
    source_language: str | None
    target_language: str | None
    original: str | None  # the source document's name, `<slug>.md`
    skeleton: dict | None
    entries: tuple[Entry, ...]
    translators: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())  # "unit <id>: what is wrong", in file order


def read(data: bytes, *, source: str) -> XliffFile:
    """Parse an XLIFF file safely (no DTD, entities or network; size and depth limited) and read its
    units; only a file that is not XLIFF at all raises."""
    root = xmlsafe.parse(data, source=source)
    version = xliff_version(root)
    if version is None:
        raise InputError(f"{source}: not an XLIFF file (its root is <{etree.QName(root).localname}>); import the .xlf your translation tool exported")
    reader = _Reader1(source) if version == "1.2" else _Reader2(source)
    return reader.read(root, version)


class _Reader:
    namespace = ""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[str] = []

    def q(self, local: str) -> str:
        return f"{{{self.namespace}}}{local}"

    def only_file(self, root: etree._Element) -> etree._Element:
        files = root.findall(self.q("file"))
        if len(files) != 1:
            raise InputError(f"{self.name}: holds {len(files)} <file> elements; kzpress exports, and imports, exactly one per document")
        return files[0]

    def skeleton(self, text: str | None) -> dict | None:
        if not text or not text.strip():
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, dict) and value.get("kzpress-skeleton") == 1 else None

    def runs(self, elements: list[etree._Element], unit_id: str, which: str) -> tuple[Run, ...]:
        tokens: list[_Token] = []
        for element in elements:
            tokens.extend(self.tokens(element, unit_id, which))
        return _nested(tokens, lambda message: self.problems.append(f"unit {unit_id}: {which}: {message}"))

    def tokens(self, element: etree._Element, unit_id: str, which: str) -> Iterator["_Token"]:
        if element.text:
            yield element.text
        for child in element:
            if not isinstance(child.tag, str):  # comments, processing instructions
                pass
            elif etree.QName(child).namespace != self.namespace:
                self.problems.append(f"unit {unit_id}: {which}: unknown element <{child.tag}> inside the text")
            else:
                yield from self.inline(child, unit_id, which)
            if child.tail:
                yield child.tail

    def inline(self, element: etree._Element, unit_id: str, which: str) -> Iterator["_Token"]:
        raise NotImplementedError


class _Reader1(_Reader):
    """XLIFF 1.2: one `<file>` with `<trans-unit>`s in its `<body>` (or in groups within it)."""

    namespace = XLIFF_1_NAMESPACE

    def read(self, root: etree._Element, version: str) -> XliffFile:
        file = self.only_file(root)
        header = file.find(self.q("header"))
        skeleton = None if header is None else self.skeleton(header.findtext(f"{self.q('skl')}/{self.q('internal-file')}"))
        translators = tuple(
            phase.get("contact-name")
            for phase in file.iterfind(f"{self.q('header')}/{self.q('phase-group')}/{self.q('phase')}")
            if phase.get("contact-name") and phase.get("process-name", "").lower() == "translation"
        )
        entries = tuple(self.entry(unit) for unit in file.iterfind(f".//{self.q('trans-unit')}"))
        return XliffFile(self.name, version, file.get("source-language"), file.get("target-language"),
                         file.get("original"), skeleton, entries, translators, tuple(self.problems))

    def entry(self, unit: etree._Element) -> Entry:
        unit_id = unit.get("id", "")
        source = unit.find(self.q("source"))
        target = unit.find(self.q("target"))
        return Entry(
            unit_id,
            self.runs([source], unit_id, "source") if source is not None else (),
            None if target is None else self.runs([target], unit_id, "target"),
            "" if target is None else target.get("state", ""),
            None if target is None else target.get(XML_LANG),
        )

    def inline(self, element: etree._Element, unit_id: str, which: str) -> Iterator["_Token"]:
        name, code_id = etree.QName(element).localname, element.get("id", "")
        key = element.get("rid") or code_id
        if name == "g":
            yield _Open(code_id, ("g", id(element)), element.get("ctype", ""))
            yield from self.tokens(element, unit_id, which)
            yield _Close(("g", id(element)), code_id)
        elif name in ("x", "ph", "it"):
            yield _Place(code_id, element.get("ctype", ""))
        elif name in ("bx", "bpt"):
            yield _Open(code_id, ("b", key), element.get("ctype", ""))
        elif name in ("ex", "ept"):
            yield _Close(("b", key), code_id)
        elif name == "mrk":
            yield from self.tokens(element, unit_id, which)
        else:
            self.problems.append(f"unit {unit_id}: {which}: <{name}> cannot stand inside a translation's text")


class _Reader2(_Reader):
    """XLIFF 2.0 and 2.1: `<unit>`s (in `<group>`s or not) of `<segment>`s and `<ignorable>`s."""

    namespace = XLIFF_2_NAMESPACE

    def read(self, root: etree._Element, version: str) -> XliffFile:
        file = self.only_file(root)
        skeleton = self.skeleton(file.findtext(self.q("skeleton")))
        translators = tuple(
            meta.text.strip() for meta in file.iterfind(f"{{{METADATA_NAMESPACE}}}metadata//{{{METADATA_NAMESPACE}}}meta")
            if meta.get("type") == "translator" and meta.text and meta.text.strip()
        )
        entries = tuple(self.entry(unit) for unit in file.iterfind(f".//{self.q('unit')}"))
        return XliffFile(self.name, version, root.get("srcLang"), root.get("trgLang"), file.get("original"),
                         skeleton, entries, translators, tuple(self.problems))

    def entry(self, unit: etree._Element) -> Entry:
        unit_id = unit.get("id", "")
        parts = [part for part in unit if isinstance(part.tag, str) and part.tag in (self.q("segment"), self.q("ignorable"))]
        sources = [part.find(self.q("source")) for part in parts]
        targets = [self.target_or_source(part) for part in parts]
        missing = any(target is None for target in targets)
        states = [STATES_FROM_2.get(part.get("state", "initial"), "") for part in parts if part.tag == self.q("segment")]
        languages = [part.find(self.q("target")).get(XML_LANG) for part in parts if part.find(self.q("target")) is not None]
        return Entry(
            unit_id,
            self.runs([s for s in sources if s is not None], unit_id, "source"),
            None if missing else self.runs(_in_order(targets), unit_id, "target"),
            _unit_state(states),
            next((language for language in languages if language), None),
        )

    def target_or_source(self, part: etree._Element) -> etree._Element | None:
        target = part.find(self.q("target"))
        if target is None and part.tag == self.q("ignorable"):
            return part.find(self.q("source"))  # white space between sentences needs no translation
        return target

    def inline(self, element: etree._Element, unit_id: str, which: str) -> Iterator["_Token"]:
        name, code_id = etree.QName(element).localname, element.get("id", "")
        if name == "pc":
            yield _Open(code_id, ("pc", id(element)), element.get("type", ""))
            yield from self.tokens(element, unit_id, which)
            yield _Close(("pc", id(element)), code_id)
        elif name == "ph":
            yield _Place(code_id, element.get("type", ""))
        elif name == "sc":
            yield _Open(code_id, ("sc", code_id), element.get("type", ""))
        elif name == "ec":
            yield _Close(("sc", element.get("startRef") or code_id), code_id)
        elif name == "mrk":
            yield from self.tokens(element, unit_id, which)
        elif name in ("sm", "em"):
            return
        elif name == "cp":
            yield _code_point(element.get("hex", ""))
        else:
            self.problems.append(f"unit {unit_id}: {which}: <{name}> cannot stand inside a translation's text")


def _in_order(targets: list[etree._Element]) -> list[etree._Element]:
    """Targets in their translated order: a target's `order` is its place among the unit's parts."""
    places = {}
    for position, target in enumerate(targets, 1):
        order = target.get("order")
        places[int(order) if order and order.isdigit() else position] = target
    return [places[place] for place in sorted(places)]


def _unit_state(states: list[str]) -> str:
    if not states or "" in states:
        return ""
    if "needs-translation" in states:
        return "needs-translation"
    for state in ("translated", "signed-off"):
        if state in states:
            return state
    return "final"


def _code_point(hex_value: str) -> str:
    try:
        return chr(int(hex_value, 16))
    except ValueError:
        return ""


@dataclass(frozen=True)
class _Open:
    id: str
    key: tuple
    kind: str


@dataclass(frozen=True)
class _Close:
    key: tuple
    id: str


@dataclass(frozen=True)
class _Place:
    id: str
    kind: str


_Token = Union[str, _Open, _Close, _Place]


def _nested(tokens: list[_Token], problem) -> tuple[Run, ...]:
    """Tokens (text, opening, closing and placeholder codes) as nested runs; unpaired codes are problems."""
    stack: list[tuple[_Open | None, list[Run]]] = [(None, [])]
    for token in tokens:
        runs = stack[-1][1]
        if isinstance(token, str):
            _append(runs, token)
        elif isinstance(token, _Place):
            runs.append(Tagged(Code(token.id, "x", token.kind, {})))
        elif isinstance(token, _Open):
            stack.append((token, []))
        elif stack[-1][0] is not None and stack[-1][0].key == token.key:
            opened, content = stack.pop()
            stack[-1][1].append(Tagged(Code(opened.id, "g", opened.kind, {}), tuple(content)))
        elif any(opened is not None and opened.key == token.key for opened, _ in stack):
            problem(f"tag {stack[-1][0].id} and tag {token.id} overlap; nest one inside the other")
        else:
            problem(f"tag {token.id} closes without opening")
    while len(stack) > 1:
        opened, content = stack.pop()
        problem(f"tag {opened.id} opens but never closes")
        for run in content:
            _append(stack[-1][1], run) if isinstance(run, str) else stack[-1][1].append(run)
    return tuple(stack[0][1])


def _append(runs: list[Run], text: str) -> None:
    if runs and isinstance(runs[-1], str):
        runs[-1] += text
    else:
        runs.append(text)
