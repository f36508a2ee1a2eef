"""Offline validation of XLIFF against the OASIS schemas, which live outside the project.

The schemas are not ours to copy: the caller names the folder that holds them (one sub-folder per XLIFF
version, as OASIS publishes them), and the W3C schemas they import by URL are read from the copies kept
beside them, so validating never touches the network.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from kzpress import xmlsafe
from kzpress.errors import InputError, KzpressError

XLIFF_1_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_2_NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"

# The schema each version is validated against, relative to the schema folder.
SCHEMA_FILES = {"1.2": Path("1.2") / "xliff-core-1.2-strict.xsd"}

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


def xliff_version(root: etree._Element) -> str | None:
    """The XLIFF version a root element declares: 1.2 by its namespace, 2.x by its version attribute."""
    namespace = etree.QName(root).namespace
    if namespace == XLIFF_1_NAMESPACE:
        return "1.2"
    if namespace == XLIFF_2_NAMESPACE:
        return root.get("version") or "2.0"
    return None


def load_schema(path: Path) -> etree.XMLSchema:
    """Load an XSD offline; a missing or broken schema is a setup problem, not the document's."""
    if not path.is_file():
        raise KzpressError(f"{path}: schema not found; point kzpress at the folder holding the OASIS XLIFF schemas")
    try:
        root = xmlsafe.parse(path.read_bytes(), source=str(path), resolver=_LocalCopies(path.parent), base_url=str(path))
        schema = etree.XMLSchema(root)
    except (InputError, etree.XMLSchemaParseError) as error:
        raise KzpressError(f"{path}: cannot load the schema: {error}") from error
    # libxml2 skips an import it cannot find with only a warning; validating without it would blame
    # the document for what is a missing schema file.
    if schema.error_log:
        raise KzpressError(f"{path}: cannot load the schema: {schema.error_log[-1].message}")
    return schema


def validate_xliff(data: bytes, schema_dir: Path) -> list[str]:
    """Check an XLIFF file against its version's strict schema in `schema_dir`; [] means valid.

    `schema_dir` holds one folder per version (e.g. `1.2/xliff-core-1.2-strict.xsd` and its `xml.xsd`).
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
