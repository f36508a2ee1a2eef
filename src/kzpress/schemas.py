"""Offline validation of XLIFF against the OASIS schemas, which live outside the project.

The schemas are not ours to copy: the caller names the folder that holds them (one sub-folder per XLIFF
version, as OASIS publishes them), and the W3C schemas they import by URL are read from the copies kept
beside them, so validating never touches the network.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from kzpress import xmlsafe
from kzpress.errors import InputError, KzpressError

XLIFF_1_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_2_NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"

# The schema each version is validated against, relative to the schema folder. XLIFF 2.x is validated
# against its core and the modules kzpress writes (matches, metadata), found through the package's
# OASIS catalog, so that a module's elements are checked strictly instead of skipped as unknown.
SCHEMA_FILES = {"1.2": Path("1.2") / "xliff-core-1.2-strict.xsd", "2.0": Path("2.1") / "catalog.xml", "2.1": Path("2.1") / "catalog.xml"}
XLIFF_2_MODULES = (
    XLIFF_2_NAMESPACE,
    "urn:oasis:names:tc:xliff:matches:2.0",
    "urn:oasis:names:tc:xliff:metadata:2.0",
)
_CATALOG_NAMESPACE = "urn:oasis:names:tc:entity:xmlns:xml:catalog"

# What the schemas import by URL, and the file name of the local copy next to the importing schema.
_LOCAL_COPIES = {"http://www.w3.org/2001/xml.xsd": "xml.xsd"}


class _LocalCopies(etree.Resolver):
    """Answers a schema's import of a W3C URL with the copy in `folder`."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def resolve(self, url, pubid, context):
        name = _LOCAL_COPIES.get(url)
        if name is None:
            return None  # left to the parser, which has no network: an unknown import fails loudly
        return self.resolve_filename(str(self.folder / name), context)


def find_schema_dir(given: Path | None = None) -> Path | None:
    """The folder of the OASIS XLIFF schemas: `given`, KZPRESS_XLIFF_SCHEMAS, or the shared folder beside a
    checkout; None where there is none (they are not kzpress's to ship)."""
    if given is not None:
        if not (given / "1.2").is_dir():
            raise InputError(f"{given}: no OASIS XLIFF schemas here (expected {given / '1.2'})")
        return given
    checkout = Path(__file__).resolve().parents[2]
    for candidate in (os.environ.get("KZPRESS_XLIFF_SCHEMAS"), checkout.parent / "shared" / "schemas" / "xliff"):
        if candidate and (Path(candidate) / "1.2").is_dir():
            return Path(candidate)
    return None


def xliff_version(root: etree._Element) -> str | None:
    """The XLIFF version a root element declares: 1.2 by its namespace, 2.x by its version attribute."""
    namespace = etree.QName(root).namespace
    if namespace == XLIFF_1_NAMESPACE:
        return "1.2"
    if namespace == XLIFF_2_NAMESPACE:
        return root.get("version") or "2.0"
    return None


def load_schema(path: Path) -> etree.XMLSchema:
    """Load an XSD (or the schemas an OASIS catalog names) offline; a missing or broken schema is a setup
    problem, not the document's."""
    if not path.is_file():
        raise KzpressError(f"{path}: schema not found; point kzpress at the folder holding the OASIS XLIFF schemas")
    try:
        if path.name == "catalog.xml":
            root = _driver(path)
        else:
            root = xmlsafe.parse(path.read_bytes(), source=str(path), resolver=_LocalCopies(path.parent), base_url=str(path))
        schema = etree.XMLSchema(root)
    except (InputError, etree.XMLSchemaParseError) as error:
        raise KzpressError(f"{path}: cannot load the schema: {error}") from error
    # libxml2 skips an import it cannot find with only a warning; validating without it would blame
    # the document for what is a missing schema file.
    if schema.error_log:
        raise KzpressError(f"{path}: cannot load the schema: {schema.error_log[-1].message}")
    return schema


def _driver(catalog: Path) -> etree._Element:
    """A schema that only imports, from the files the catalog maps them to, the XLIFF 2 namespaces kzpress
    writes; the core schema and the modules then import what they need by relative paths."""
    entries = {
        entry.get("name"): entry.get("uri")
        for entry in xmlsafe.parse(catalog.read_bytes(), source=str(catalog)).iter(f"{{{_CATALOG_NAMESPACE}}}uri")
    }
    missing = [namespace for namespace in XLIFF_2_MODULES if namespace not in entries]
    if missing:
        raise KzpressError(f"{catalog}: the catalog names no schema for {missing[0]}")
    imports = "".join(
        f'<xs:import namespace="{namespace}" schemaLocation="{(catalog.parent / entries[namespace]).as_uri()}"/>'
        for namespace in XLIFF_2_MODULES
    )
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    return xmlsafe.parse(driver.encode("utf-8"), source=str(catalog), base_url=str(catalog))


def validate_xliff(data: bytes, schema_dir: Path) -> list[str]:
    """Check an XLIFF file against its version's strict schema in `schema_dir`; [] means valid.

    `schema_dir` holds one folder per version (`1.2/xliff-core-1.2-strict.xsd` and its `xml.xsd`; the 2.1
    package with its `catalog.xml`, which 2.0 files are validated against too).
    Each problem is one readable line, with the line number in `data` where there is one.
    """
    try:
        root = xmlsafe.parse(data, source="XLIFF")
    except InputError as error:
        return [str(error)]
    version = xliff_version(root)
    if version is None:
        return [f"the root element {root.tag} is not XLIFF (namespace {XLIFF_1_NAMESPACE} or {XLIFF_2_NAMESPACE})"]
    if version not in SCHEMA_FILES:
        return [f"XLIFF {version} cannot be validated yet: kzpress knows the schemas of {', '.join(SCHEMA_FILES)}"]
    schema = load_schema(Path(schema_dir) / SCHEMA_FILES[version])
    if schema.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
