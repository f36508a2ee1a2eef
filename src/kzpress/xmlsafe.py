"""The one way kzpress reads XML: no DTD, no entities, no network, no huge trees.

Translations come back from other people's tools, so an XLIFF file is untrusted input: a document type
declaration is how entity expansion (billion laughs) and external entities (reading local files, fetching
URLs) get in. Nothing kzpress reads needs a DTD, so a file that declares one is refused outright rather
than parsed with its entities left unexpanded.
"""

from __future__ import annotations

from lxml import etree

from kzpress.errors import InputError


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


class _DoctypeScan:
    """A parser target that stops at a DOCTYPE, before any of its declarations are read."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _DoctypeFound(name)

    def start(self, tag: str, attrib: dict) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        return None


def parse(data: bytes, *, source: str, resolver: etree.Resolver | None = None, base_url: str | None = None) -> etree._Element:
    """Parse `data` safely and return its root; a DTD or malformed XML is the user's error naming `source`."""
    if not isinstance(data, bytes):
        raise TypeError("xmlsafe.parse reads bytes, so the file's own encoding declaration decides")
    try:
        # A first pass that builds nothing, so a DTD is refused before libxml2 reads a single entity.
        etree.fromstring(data, _scanner())
        return etree.fromstring(data, parser(resolver), base_url=base_url)
    except _DoctypeFound as found:
        raise InputError(
            f"{source}: the file declares a DTD (<!DOCTYPE {found}>), which kzpress refuses because it can hide "
            "entity expansion or references to other files; export it again without a DOCTYPE"
        ) from None
    except etree.XMLSyntaxError as error:
        raise InputError(f"{source}: not well-formed XML: {error.msg}") from error


def _scanner() -> etree.XMLParser:
    return etree.XMLParser(target=_DoctypeScan(), resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
