"""What a seed may carry into a publication: plain HTML formatting, and links and images that stay home.

A seed comes from anyone. Raw HTML in it (or in the HTML a word processor or pandoc makes of it) would
reach the EPUB, where a reading system may run script, and WeasyPrint, which fetches what a page
references. So every Document is reduced to a safe subset before anything else sees it:

- raw HTML keeps only the elements and attributes of `ALLOWED_ELEMENTS`; script, style, iframe,
  object, embed, form and the like go (script and style with their content, the others leaving their
  text), and so do event handlers (`on…`), `style` and every attribute not on the list;
- raw blocks in other formats stay only if kzpress's writers ignore them (LaTeX and the like); raw
  Markdown would become HTML again when the canonical Markdown is read back, so it goes;
- a link keeps its text but loses its target unless that is http(s), mailto, tel, a `#fragment` or a
  relative path inside the seed's folder; `javascript:`, `file://`, `/absolute`, `../` and `//host`
  targets go;
- an image stays only if it is a relative path inside the seed's folder or an inline raster image
  (`data:image/png;base64,…`); a remote image would be fetched by WeasyPrint or a reading system;
- attributes on pandoc's own elements (`{onclick=…}` in Markdown) follow the same list;
- control characters go from all text (ESC sequences, C1 controls): XML, and so the EPUB and XLIFF,
  cannot hold them, and in a terminal or a reading system they only do harm.

"Inside the seed's folder" is decided from the reference itself (no scheme, not absolute, no `..`),
so nothing here touches the file system; `kzpress.sandbox` guards what the renderer then reads, symbolic
links included. Whatever is removed is reported once per seed through the transform's notice.
Documents nested deeper than MAX_DEPTH are refused: nothing real nests so, and Python's recursion would.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html import escape
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import unquote

from kzpress.document import Document, Element, walk
from kzpress.errors import InputError

if TYPE_CHECKING:
    from kzpress.transforms import Context

MAX_DEPTH = 100  # elements inside elements; a real document nests a dozen or so

ALLOWED_ELEMENTS = frozenset(
    "a abbr article aside b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl "
    "dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li mark ol p pre q rp rt "
    "ruby s samp section small span strong sub summary sup table tbody td tfoot th thead time tr u ul var wbr".split()
)
VOID_ELEMENTS = frozenset("br col hr img wbr".split())
# Elements that never hold text, so removing one leaves nothing behind.
TEXTLESS_ELEMENTS = frozenset("area base embed frame input keygen link meta param source track".split())
# Removed with everything inside them: their content is code or markup, not text for a reader.
DROPPED_WITH_CONTENT = frozenset("script style template svg math textarea select noscript title head".split())
GLOBAL_ATTRIBUTES = frozenset("id class title lang dir".split())
ELEMENT_ATTRIBUTES = {
    "a": {"href"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"}, "ol": {"start", "reversed", "type"}, "li": {"value"},
    "col": {"span"}, "colgroup": {"span"}, "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"}, "time": {"datetime"}, "details": {"open"},
}
URL_ATTRIBUTES = frozenset("href src cite".split())
# Key-value attributes on pandoc's elements that its HTML writer passes on and that are harmless.
SAFE_KEYS = frozenset("lang dir title width height".split())
HTML_FORMATS = frozenset("html html4 html5 epub epub2 epub3".split())
# Raw formats that kzpress's writers leave out and whose text cannot turn into HTML.
INERT_FORMATS = frozenset("latex tex context openxml opendocument icml typst ms man rtf jats docbook".split())
LINK_SCHEMES = frozenset("http https mailto tel".split())
INLINE_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp)(;base64)?,", re.IGNORECASE)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SAFE_COMMENT = re.compile(r"[^<>\-]*(-[^<>\-]+)*")
_SHOWN = 60  # characters of a removed reference quoted in the notice
_GAP = "kzpress-removed"  # the raw format of a placeholder for what went, while the tree is walked
_SPACES = ("Space", "SoftBreak")
_CONTROLS_AND_SPACE = "".join(map(chr, range(0x21)))
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The same characters as json.dumps(ensure_ascii=False) writes them: C0 controls as \u00XX or \b, \f
# (tab, line feed and carriage return as \t, \n, \r), the rest as they are.
_CONTROL_IN_JSON = re.compile(r"\\u00[01]|\\[bf]|[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def safe_subset(document: Document, context: "Context") -> Document:
    """The transform: `document` reduced to what is safe to publish, what went reported in one notice."""
    check_depth(document, source=context.source)
    removed: Counter[str] = Counter()
    meta, blocks = document.meta, document.blocks
    if _may_hold_controls([meta, blocks]):
        meta, blocks = _without_controls([meta, blocks], removed)
    gaps = 0

    def element(node: Element) -> Element | list[Element] | None:
        nonlocal gaps
        kept = _element(node, removed)
        gaps += _is_gap(kept)
        return kept

    meta = {key: _meta(value, element) for key, value in meta.items()}
    blocks = walk(blocks, element)
    if gaps:
        meta, blocks = {key: _closed_up(value) for key, value in meta.items()}, _closed_up(blocks)
    cleaned = Document(meta=meta, blocks=blocks, api_version=document.api_version)
    if removed:
        context.notice(f"{context.source}: removed from the publication: {_summary(removed)}")
    return cleaned


def check_depth(document: Document, *, source: str) -> None:
    """Refuse a document whose elements nest deeper than MAX_DEPTH (measured without recursion)."""
    pending: list[tuple[Any, int]] = [(document.blocks, 0), *((value, 0) for value in document.meta.values())]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict):
            depth += "t" in node
            if depth > MAX_DEPTH:
                raise InputError(
                    f"{source}: nested more than {MAX_DEPTH} levels deep (quotations or lists inside each "
                    "other); no publication needs that: simplify the structure"
                )
            node = node.values()
        elif not isinstance(node, list):
            continue
        pending.extend((item, depth) for item in node if isinstance(item, (dict, list)))


def _may_hold_controls(node: Any) -> bool:
    """Whether any text or key in `node` may hold a control character: one look at its JSON, so that the
    Python walk of `_without_controls` is made only for a document that needs it."""
    return _CONTROL_IN_JSON.search(json.dumps(node, ensure_ascii=False)) is not None


def _without_controls(node: Any, removed: Counter[str]) -> Any:
    """`node` with control characters (and what XML cannot hold) taken out of every string."""
    if isinstance(node, str):
        cleaned, count = _CONTROL.subn("", node)
        if count:
            removed["control character"] += count
        return cleaned
    if isinstance(node, list):
        return [_without_controls(item, removed) for item in node]
    if isinstance(node, dict):
        return {_CONTROL.sub("", key): _without_controls(value, removed) for key, value in node.items()}
    return node


# --- pandoc elements ---------------------------------------------------------------------------


def _element(element: Element, removed: Counter[str]) -> Element | list[Element] | None:
    kind, content = element["t"], element.get("c")
    if kind in ("RawBlock", "RawInline"):
        return _raw(element, removed)
    if kind == "Link":
        problem = link_problem(content[2][0])
        if problem:
            removed[f"{problem} ({_shown(content[2][0])}), its text kept"] += 1
            return content[1]
    if kind == "Image":
        problem = image_problem(content[2][0])
        if problem:
            removed[f"{problem} ({_shown(content[2][0])})"] += 1
            return content[1]
    if kind == "Table":
        return {**element, "c": _table(content, removed)}
    if kind == "Figure" and not _holds(content[2], "Image"):
        return _without_figure(content)
    index = _ATTR_INDEX.get(kind)
    if index is None:
        return None
    return {**element, "c": [*content[:index], _attr(content[index], removed), *content[index + 1:]]}


_ATTR_INDEX = {"Code": 0, "Link": 0, "Image": 0, "Span": 0, "CodeBlock": 0, "Div": 0, "Figure": 0, "Header": 1}


def _holds(node: Any, kind: str) -> bool:
    if isinstance(node, list):
        return any(_holds(item, kind) for item in node)
    return isinstance(node, dict) and (node.get("t") == kind or _holds(node.get("c"), kind))


def _without_figure(content: list[Any]) -> list[Element]:
    """A figure whose image went: its caption (or what is left of it) as paragraphs of the text."""
    _, (_, caption), blocks = content
    return [{"t": "Para", "c": block["c"]} if block["t"] == "Plain" else block for block in caption or blocks]


def _attr(attr: list[Any], removed: Counter[str]) -> list[Any]:
    identifier, classes, pairs = attr
    kept = []
    for key, value in pairs:
        if key in SAFE_KEYS or re.fullmatch(r"data-[a-z0-9\-]+", key):
            kept.append([key, value])
        else:
            removed[_attribute_note(key)] += 1
    return [identifier, classes, kept]


def _table(content: list[Any], removed: Counter[str]) -> list[Any]:
    """A Table's attributes live in its head, bodies, foot, rows and cells, which are not elements."""
    attr, caption, colspecs, head, bodies, foot = content

    def rows(rows_: list[Any]) -> list[Any]:
        return [[_attr(attr_, removed), [[_attr(cell[0], removed), *cell[1:]] for cell in cells]] for attr_, cells in rows_]

    head = [_attr(head[0], removed), rows(head[1])]
    bodies = [[_attr(body[0], removed), body[1], rows(body[2]), rows(body[3])] for body in bodies]
    foot = [_attr(foot[0], removed), rows(foot[1])]
    return [_attr(attr, removed), caption, colspecs, head, bodies, foot]


def _raw(element: Element, removed: Counter[str]) -> Element | list[Element] | None:
    raw_format, text = element["c"]
    name = raw_format.lower()
    if name in INERT_FORMATS:
        return None
    if name not in HTML_FORMATS:
        removed[f"raw {raw_format} block"] += 1
        return _gap(element)
    cleaned = clean_html(text, removed)
    if cleaned == text:
        return None
    return {**element, "c": [raw_format, cleaned]} if cleaned.strip() else _gap(element)


def _gap(element: Element) -> Element:
    """Where a raw block or inline went: `_closed_up` joins what was on either side of it."""
    return {"t": element["t"], "c": [_GAP, ""]}


def _closed_up(node: Any) -> Any:
    """The tree without gaps, joined as the canonical Markdown's reader would join it: two plain blocks
    then side by side become one, two spaces one, and a space at either end of a line of text goes."""
    if isinstance(node, dict):
        return {**node, "c": _closed_up(node["c"])} if "c" in node else node
    if not isinstance(node, list):
        return node
    items = [_closed_up(item) for item in node]
    if not any(_is_gap(item) for item in items):
        return items
    kept: list[Any] = []
    after_gap = False
    for item in items:
        if _is_gap(item):
            after_gap = True
            continue
        previous = kept[-1] if kept and isinstance(kept[-1], dict) else {}
        if after_gap and previous.get("t") == item.get("t") == "Plain":
            kept[-1] = {"t": "Plain", "c": [*previous["c"], {"t": "SoftBreak"}, *item["c"]]}
        elif not (after_gap and previous.get("t") in _SPACES and item.get("t") in _SPACES):
            kept.append(item)
        after_gap = False
    while kept and isinstance(kept[-1], dict) and kept[-1].get("t") in _SPACES:
        kept.pop()
    while kept and isinstance(kept[0], dict) and kept[0].get("t") in _SPACES:
        kept.pop(0)
    return kept


def _is_gap(item: Any) -> bool:
    return isinstance(item, dict) and item.get("t") in ("RawBlock", "RawInline") and item["c"][0] == _GAP


def _meta(value: Element, element: Callable[[Element], Any]) -> Element:
    kind, content = value["t"], value.get("c")
    if kind in ("MetaInlines", "MetaBlocks"):
        return {**value, "c": walk(content, element)}
    if kind == "MetaList":
        return {**value, "c": [_meta(item, element) for item in content]}
    if kind == "MetaMap":
        return {**value, "c": {key: _meta(item, element) for key, item in content.items()}}
    return value


# --- references --------------------------------------------------------------------------------


def _plain(url: str) -> str:
    """The reference as a browser reads it (no tabs or line breaks, no leading controls or spaces), and
    percent-decoded too, so `jav%09ascript:` counts as the script URL a lenient reader might see."""
    return re.sub(r"[\t\n\r]", "", unquote(url)).strip(_CONTROLS_AND_SPACE)


def _outside(path: str) -> str | None:
    """Why a relative reference leaves the seed's folder, or None if it stays inside."""
    if any(ch < " " or ch == "\x7f" for ch in path):
        return "reference with control characters"
    path = unquote(path.split("#")[0].split("?")[0]).replace("\\", "/")
    if path.startswith("//"):
        return "reference to another host"
    if path.startswith("/"):
        return "absolute path"
    if ".." in path.split("/"):
        return "path outside the seed's folder"
    return None


def link_problem(url: str) -> str | None:
    """Why a link target may not stay in a publication, or None if it may."""
    url = _plain(url)
    scheme = _SCHEME.match(url)
    if scheme is None:
        return None if url.startswith("#") or not url else _outside(url)
    name = scheme.group(1).lower()
    if name in LINK_SCHEMES:
        return None
    if len(name) == 1:
        return "absolute path"  # C:\… read as a scheme
    return "file:// link" if name == "file" else f"{name}: link"


def image_problem(url: str) -> str | None:
    """Why an image may not stay in a publication, or None if it may."""
    url = _plain(url)
    if INLINE_IMAGE.match(url):
        return None
    scheme = _SCHEME.match(url)
    if scheme is None:
        problem = _outside(url) if url else "image without a source"
        return f"image: {problem}" if problem else None
    name = scheme.group(1).lower()
    if name in ("http", "https"):
        return "remote image"
    if len(name) == 1:
        return "image: absolute path"
    return "file:// image" if name == "file" else f"{name}: image"


def _shown(url: str) -> str:
    url = url.encode("unicode_escape").decode("ascii") if not url.isprintable() else url
    return url if len(url) <= _SHOWN else url[: _SHOWN - 1] + "…"


def _attribute_note(name: str) -> str:
    return "event handler attribute (on…)" if name.lower().startswith("on") else f"{name} attribute"


# --- raw HTML ----------------------------------------------------------------------------------


def clean_html(text: str, removed: Counter[str] | None = None) -> str:
    """`text` with only allowed elements and attributes; `removed` counts what went."""
    cleaner = _Cleaner(Counter() if removed is None else removed)
    cleaner.feed(text)
    cleaner.close()
    return "".join(cleaner.kept)


class _Cleaner(HTMLParser):
    """Rebuilds HTML from the parser's tokens, so every tag in the result is one kzpress wrote."""

    def __init__(self, removed: Counter[str]):
        super().__init__(convert_charrefs=True)
        self.removed = removed
        self.kept: list[str] = []
        self.skipping: str | None = None  # inside an element dropped with its content
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            self.depth += tag == self.skipping
        elif tag in DROPPED_WITH_CONTENT:
            self.removed[f"<{tag}>"] += 1
            self.skipping, self.depth = tag, 1
        elif tag not in ALLOWED_ELEMENTS:
            self.removed[f"<{tag}>" if tag in TEXTLESS_ELEMENTS else f"<{tag}>, its text kept"] += 1
        else:
            self.kept.append(self._tag(tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_WITH_CONTENT:
            if not self.skipping:
                self.removed[f"<{tag}>"] += 1
            return
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.depth -= tag == self.skipping
            if self.depth == 0:
                self.skipping = None
        elif tag in ALLOWED_ELEMENTS and tag not in VOID_ELEMENTS:
            self.kept.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.kept.append(escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        # A comment that could end early or hide markup (`--!>`, conditional comments) is not kept.
        if self.skipping:
            return
        if _SAFE_COMMENT.fullmatch(data):
            self.kept.append(f"<!--{data}-->")
        else:
            self.removed["HTML comment with markup in it"] += 1

    def handle_decl(self, decl: str) -> None:
        self.removed["<!DOCTYPE> or other declaration"] += 1

    def unknown_decl(self, data: str) -> None:
        self.removed["<![CDATA[…]]> section"] += 1

    def handle_pi(self, data: str) -> None:
        self.removed["<?…?> processing instruction"] += 1

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        allowed = GLOBAL_ATTRIBUTES | ELEMENT_ATTRIBUTES.get(tag, set())
        kept = []
        for name, value in attrs:
            if name not in allowed:
                self.removed[_attribute_note(name)] += 1
                continue
            problem = (image_problem if tag == "img" else link_problem)(value or "") if name in URL_ATTRIBUTES else None
            if problem:
                self.removed[f"{problem} ({_shown(value or '')})"] += 1
                continue
            kept.append(name if value is None else f'{name}="{escape(value, quote=True)}"')
        if tag == "img" and not any(part.startswith("src=") for part in kept):
            return ""  # an image with nothing safe to show
        return f"<{' '.join([tag, *kept])}>"


def _summary(removed: Counter[str]) -> str:
    parts = [what if count == 1 else f"{what} ×{count}" for what, count in sorted(removed.items())]
    return "; ".join(parts) + " (kzpress publishes plain formatting only, and links and images inside the seed's folder)"
