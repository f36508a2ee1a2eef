"""The Document every backend reads: pandoc's JSON AST (one `from_json` boundary) and its metadata.

Tree edits go through one protocol, `walk(action)`: the action sees every element bottom-up and
returns None to keep it, an element to replace it, or a list of elements to put in its place
(`[]` deletes it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from kzpress.errors import InputError

PANDOC_API_MAJOR = (1, 23)

Element = dict[str, Any]
Action = Callable[[Element], "Element | list[Element] | None"]


@dataclass(frozen=True)
class Metadata:
    """The publication's metadata as plain values, read from the AST's meta block."""

    title: str
    lang: str
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    date: str | None = None
    rights: str | None = None
    translators: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> "Metadata":
        plain = {key: meta_to_python(value) for key, value in meta.items()}

        def names(key: str) -> tuple[str, ...]:
            value = plain.get(key)
            if value is None:
                return ()
            return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)

        def text(key: str) -> str | None:
            value = plain.get(key)
            return None if value is None else str(value)

        return cls(
            title=text("title") or "",
            lang=text("lang") or "",
            subtitle=text("subtitle"),
            authors=names("author"),
            publisher=text("publisher"),
            date=text("date"),
            rights=text("rights"),
            translators=names("translator"),
            targets=names("targets"),
        )


@dataclass(frozen=True)
class Document:
    """A parsed publication: pandoc's meta and blocks, exactly as pandoc's JSON has them."""

    meta: dict[str, Any]
    blocks: list[Element]
    api_version: tuple[int, ...] = field(default=(1, 23, 1, 1))

    @classmethod
    def from_json(cls, data: dict[str, Any], *, source: str = "document") -> "Document":
        version = tuple(data.get("pandoc-api-version", ()))
        if version[:2] != PANDOC_API_MAJOR:
            raise InputError(f"{source}: pandoc API version {version} is not {PANDOC_API_MAJOR}; reinstall kzpress")
        return cls(meta=data.get("meta", {}), blocks=data.get("blocks", []), api_version=version)

    def to_json(self) -> dict[str, Any]:
        return {"pandoc-api-version": list(self.api_version), "meta": self.meta, "blocks": self.blocks}

    @property
    def metadata(self) -> Metadata:
        return Metadata.from_meta(self.meta)

    def walk(self, action: Action) -> "Document":
        return Document(meta=self.meta, blocks=walk(self.blocks, action), api_version=self.api_version)

    def with_meta(self, **values: Any) -> "Document":
        meta = dict(self.meta)
        meta.update({key: python_to_meta(value) for key, value in values.items()})
        return Document(meta=meta, blocks=self.blocks, api_version=self.api_version)


def walk(node: Any, action: Action) -> Any:
    """Apply `action` bottom-up to every element in `node` (a list or an element's contents)."""
    if isinstance(node, list):
        result: list[Any] = []
        for item in node:
            if isinstance(item, dict) and "t" in item:
                item = {**item, "c": walk(item["c"], action)} if "c" in item else item
                replaced = action(item)
                if replaced is None:
                    result.append(item)
                elif isinstance(replaced, list):
                    result.extend(replaced)
                else:
                    result.append(replaced)
            else:
                result.append(walk(item, action))
        return result
    if isinstance(node, dict) and "t" in node:
        return {**node, "c": walk(node["c"], action)} if "c" in node else node
    return node


def stringify(node: Any) -> str:
    """The plain text of an element or list, the way pandoc's `stringify` reads it."""
    if isinstance(node, list):
        return "".join(stringify(item) for item in node)
    if not isinstance(node, dict):
        return ""
    kind, content = node.get("t"), node.get("c")
    if kind in ("Str", "MetaString"):
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind in ("Code", "Math"):
        return content[1]
    if kind == "Quoted":
        marks = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
        return marks[0] + stringify(content[1]) + marks[1]
    if kind in ("Link", "Image", "Span", "Header"):
        return stringify(content[-2] if kind in ("Link", "Image") else content[-1])
    if kind in ("Note", "RawInline", "RawBlock", "CodeBlock"):
        return "" if kind == "Note" or kind.startswith("Raw") else content[1]
    if kind == "MetaBool":
        return str(content).lower()
    return stringify(content)


def meta_to_python(value: dict[str, Any]) -> Any:
    kind, content = value["t"], value.get("c")
    if kind == "MetaList":
        return [meta_to_python(item) for item in content]
    if kind == "MetaMap":
        return {key: meta_to_python(item) for key, item in content.items()}
    if kind == "MetaBool":
        return content
    return stringify(value if kind == "MetaString" else content)


def python_to_meta(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"t": "MetaBool", "c": value}
    if isinstance(value, (list, tuple)):
        return {"t": "MetaList", "c": [python_to_meta(item) for item in value]}
    if isinstance(value, dict):
        return {"t": "MetaMap", "c": {str(key): python_to_meta(item) for key, item in value.items()}}
    return {"t": "MetaString", "c": str(value)}
