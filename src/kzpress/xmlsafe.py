"""The one way kzpress reads XML: no DTD, no entities, no network, no huge trees.

Translations come back from other people's tools, so an XLIFF file is untrusted input: a document type
declaration is how entity expansion (billion laughs) and external entities (reading local files, fetching
URLs) get in. Nothing kzpress reads needs a DTD, so a file that declares one is refused outright rather
than parsed with its entities left unexpanded.

Size and nesting are limited too: the XLIFF of a whole book is a few megabytes and its inline codes nest
a few levels, so a file far beyond either is refused before any tree is built rather than left to grind.
"""

from __future__ import annotations

from lxml import etree

from kzpress.errors import InputError

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 100  # xliff/file/body/group…/trans-unit/target, then inline codes inside codes


def parser(resolver: etree.Resolver | None = None) -> etree.XMLParser:
    """A parser that loads no DTD, expands no entities and opens no network connection.

    `resolver` is for trusted files that name others (an XSD importing xml.xsd): it maps those names to
    local files; anything it does not resolve stays unreachable because the network is off.
    """
    safe = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
    )
    if resolver is not None:
        safe.resolvers.add(resolver)
    return safe


class _DoctypeFound(Exception):
    pass


class _TooDeep(Exception):
    pass


class _Scan:
    """A parser target that builds nothing and stops at a DOCTYPE, before any of its declarations are
    read, or at an element nested deeper than `max_depth`."""

    def __init__(self, max_depth: int):
        self.max_depth = max_depth
        self.depth = 0

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _DoctypeFound(name)

    def start(self, tag: str, attrib: dict) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise _TooDeep(tag)

    def end(self, tag: str) -> None:
        self.depth -= 1

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        return None


def parse(
    data: bytes,
    *,
    source: str,
    resolver: etree.Resolver | None = None,
    base_url: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
) -> etree._Element:
    """Parse `data` safely and return its root; a DTD, malformed XML or a file beyond the limits is the
    user's error naming `source`."""
    if not isinstance(data, bytes):
        raise TypeError("xmlsafe.parse reads bytes, so the file's own encoding declaration decides")
    if len(data) > max_bytes:
        raise InputError(
            f"{source}: {len(data) / 1048576:.1f} MB is more XML than kzpress reads (at most "
            f"{max_bytes / 1048576:g} MB); split the file or check that it is the one you meant"
        )
    try:
        # A first pass that builds nothing, so a DTD is refused before libxml2 reads a single entity.
        etree.fromstring(data, _scanner(max_depth))
        return etree.fromstring(data, parser(resolver), base_url=base_url)
    except _DoctypeFound as found:
        raise InputError(
            f"{source}: the file declares a DTD (<!DOCTYPE {found}>), which kzpress refuses because it can hide "
            "entity expansion or references to other files; export it again without a DOCTYPE"
        ) from None
    except _TooDeep:
        raise InputError(
            f"{source}: elements are nested more than {max_depth} deep, far beyond any translation file; "
            "export it again from the translation tool"
        ) from None
    except etree.XMLSyntaxError as error:
        where = "" if "line" in error.msg or not error.lineno else f" (line {error.lineno})"
        raise InputError(f"{source}: not well-formed XML: {error.msg}{where}; fix it or export it again") from error


def _scanner(max_depth: int) -> etree.XMLParser:
    return etree.XMLParser(
        target=_Scan(max_depth), resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
    )
