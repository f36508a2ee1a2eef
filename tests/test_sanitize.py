"""The safe subset: raw HTML, references and attributes a seed may carry into a publication."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from kzpress import sanitize
from kzpress.normalize import normalize
from kzpress.document import Document
from kzpress.errors import InputError
from kzpress.language import language
from kzpress.sanitize import ALLOWED_ELEMENTS, clean_html, image_problem, link_problem, safe_subset
from kzpress.seeds import Seed
from kzpress.transforms import Context

CONTEXT = Context(language("en"), "test.md")


def reduced(document: Document) -> tuple[Document, list[str]]:
    notices: list[str] = []
    return safe_subset(document, Context(language("en"), "test.md", notices.append)), notices


def para(*inlines) -> Document:
    return Document(meta={}, blocks=[{"t": "Para", "c": list(inlines)}])


def link(url: str, text: str = "text", attributes=()) -> dict:
    return {"t": "Link", "c": [["", [], [list(pair) for pair in attributes]], [{"t": "Str", "c": text}], [url, ""]]}


def image(url: str, alt: str = "alt") -> dict:
    return {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": alt}], [url, ""]]}


# --- references -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["https://example.org/a%20b", "http://x.org", "mailto:a@b.org", "tel:+7", "#notes",
                                 "notes.html", "chapter/2.html#part", ""])
def test_links_that_stay(url):
    assert link_problem(url) is None


@pytest.mark.parametrize("url, problem", [
    ("javascript:alert(1)", "javascript: link"),
    (" JaVaScRiPt:alert(1)", "javascript: link"),
    ("java\tscript:alert(1)", "javascript: link"),
    ("jav%09ascript:alert(1)", "javascript: link"),
    ("vbscript:msgbox", "vbscript: link"),
    ("data:text/html,<script>", "data: link"),
    ("file:///etc/passwd", "file:// link"),
    ("/etc/passwd", "absolute path"),
    ("C:\\Windows\\win.ini", "absolute path"),
    ("../secret.txt", "path outside the seed's folder"),
    ("a/../../secret.txt", "path outside the seed's folder"),
    ("%2e%2e/secret.txt", "path outside the seed's folder"),
    ("..\\secret.txt", "path outside the seed's folder"),
    ("//evil.example/", "reference to another host"),
    ("java\x00script:alert(1)", "reference with control characters"),
])
def test_links_that_go(url, problem):
    assert link_problem(url) == problem


@pytest.mark.parametrize("url, problem", [
    ("figure.png", None),
    ("images/figure.png", None),
    ("data:image/png;base64,iVBORw0KGgo=", None),
    ("data:image/svg+xml,<svg onload=alert(1)>", "data: image"),
    ("https://evil.example/pixel.png", "remote image"),
    ("//evil.example/pixel.png", "image: reference to another host"),
    ("file:///etc/passwd", "file:// image"),
    ("../secret.png", "image: path outside the seed's folder"),
    ("/srv/secret.png", "image: absolute path"),
    ("", "image: image without a source"),
])
def test_images(url, problem):
    assert image_problem(url) == problem


def test_a_link_that_goes_keeps_its_text_and_is_reported():
    document, notices = reduced(para(link("javascript:alert(1)", "click")))
    assert document.blocks[0]["c"] == [{"t": "Str", "c": "click"}]
    assert len(notices) == 1 and notices[0].startswith("test.md: removed from the publication: javascript: link")


def test_an_image_that_goes_leaves_its_text_alternative():
    document, notices = reduced(para(image("../secret.png", "a map")))
    assert document.blocks[0]["c"] == [{"t": "Str", "c": "a map"}]
    assert "image: path outside the seed's folder (../secret.png)" in notices[0]


def test_a_safe_document_is_unchanged_and_nothing_is_reported():
    document = para(link("https://example.org"), image("figure.png"), {"t": "RawInline", "c": ["html", "<b>"]})
    assert reduced(document) == (document, [])


# --- attributes -------------------------------------------------------------------------------


def test_event_handlers_and_behaviour_attributes_leave_pandoc_elements():
    attributes = [("onclick", "x()"), ("style", "color:red"), ("rel", "attachment"), ("lang", "ru"), ("data-note", "1")]
    document, notices = reduced(para(link("https://example.org", attributes=attributes)))
    assert document.blocks[0]["c"][0]["c"][0] == ["", [], [["lang", "ru"], ["data-note", "1"]]]
    assert "event handler attribute (on…)" in notices[0] and "rel attribute" in notices[0]


def test_attributes_of_table_cells_are_reduced_too():
    cell = [["", [], [["onclick", "x()"]]], {"t": "AlignDefault"}, 1, 1, [{"t": "Plain", "c": [{"t": "Str", "c": "a"}]}]]
    row = [["", [], [["onmouseover", "y()"]]], [cell]]
    table = {"t": "Table", "c": [["", [], []], [None, []], [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}]],
                                 [["", [], []], [row]], [[["", [], []], 0, [], [row]]], [["", [], []], []]]}
    document, notices = reduced(Document(meta={}, blocks=[table]))
    assert "onclick" not in str(document.blocks) and "onmouseover" not in str(document.blocks)
    assert "event handler attribute (on…) ×4" in notices[0]


# --- raw blocks -------------------------------------------------------------------------------


def test_raw_markdown_goes_because_it_would_become_html_when_read_back():
    raw = {"t": "RawBlock", "c": ["markdown", "<script>alert(1)</script>"]}
    document, notices = reduced(Document(meta={}, blocks=[raw]))
    assert document.blocks == [] and "raw markdown block" in notices[0]


def plain(word: str) -> dict:
    return {"t": "Plain", "c": [{"t": "Str", "c": word}]}


def test_text_on_either_side_of_what_went_joins_as_the_markdown_reader_would_join_it():
    script = {"t": "RawBlock", "c": ["html", "<script>alert(1)</script>"]}
    inline_script = {"t": "RawInline", "c": ["html", "<script>alert(1)</script>"]}
    words = [{"t": "Str", "c": "a"}, {"t": "Space"}, inline_script, {"t": "Space"}, {"t": "Str", "c": "b"}, {"t": "Space"},
             inline_script]
    document, _ = reduced(Document(meta={}, blocks=[{"t": "BulletList", "c": [[plain("s"), script, plain("t")]]},
                                                    {"t": "Para", "c": words}]))
    assert document.blocks == [
        {"t": "BulletList", "c": [[{"t": "Plain", "c": [{"t": "Str", "c": "s"}, {"t": "SoftBreak"}, {"t": "Str", "c": "t"}]}]]},
        {"t": "Para", "c": [{"t": "Str", "c": "a"}, {"t": "Space"}, {"t": "Str", "c": "b"}]},
    ]


def test_raw_latex_stays_because_no_writer_of_kzpress_uses_it():
    raw = {"t": "RawBlock", "c": ["latex", "\\newpage"]}
    assert reduced(Document(meta={}, blocks=[raw])) == (Document(meta={}, blocks=[raw]), [])


def test_control_characters_leave_all_text_even_attributes_and_metadata():
    span = {"t": "Span", "c": [["", [], [["title", "a\x07b"]]], [{"t": "Str", "c": "x\x1b[2Jy\x85z\ufffe"}]]}
    meta = {"title": {"t": "MetaString", "c": "T\x00itle"}}
    document, notices = reduced(Document(meta=meta, blocks=[{"t": "Para", "c": [span]}]))
    assert document.blocks[0]["c"][0]["c"] == [["", [], [["title", "ab"]]], [{"t": "Str", "c": "x[2Jyz"}]]
    assert document.meta["title"]["c"] == "Title"
    assert "control character ×5" in notices[0]


def test_each_control_character_alone_is_found_and_taken_out():
    # safe_subset walks the text for controls only where a look at the document's JSON finds one.
    controls = [chr(code) for code in range(0x110000) if sanitize._CONTROL.match(chr(code))]
    assert len(controls) == 29 + 1 + 32 + 2048 + 2  # C0 but tab, LF, CR; DEL; C1; surrogates; U+FFFE, U+FFFF
    for control in controls:
        span = {"t": "Span", "c": [["", [], [["title" + control, "t"]]], [{"t": "Str", "c": f"a{control}b"}]]}
        document, notices = reduced(Document(meta={}, blocks=[{"t": "Para", "c": [span]}]))
        assert document.blocks[0]["c"][0]["c"] == [["", [], [["title", "t"]]], [{"t": "Str", "c": "ab"}]], hex(ord(control))


def test_raw_html_in_metadata_is_reduced():
    meta = {"title": {"t": "MetaInlines", "c": [{"t": "RawInline", "c": ["html", "<img src=x onerror=alert(1)>"]}]}}
    document, _ = reduced(Document(meta=meta, blocks=[]))
    assert document.meta["title"]["c"] == [{"t": "RawInline", "c": ["html", '<img src="x">']}]


@pytest.mark.parametrize("raw, kept", [
    ('<p onclick="x()" class="a">hi <b>there</b></p>', '<p class="a">hi <b>there</b></p>'),
    ("<script>alert(1)</script>after", "after"),
    ("<style>@import url(x)</style><p>text</p>", "<p>text</p>"),
    ("<iframe src=x>fallback</iframe>", "fallback"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "<a>x</a>"),
    ('<img src="http://evil/p.png" alt="p">', ""),
    ('<img src="fig.png" alt="a &quot;quoted&quot; alt">', '<img src="fig.png" alt="a &quot;quoted&quot; alt">'),
    ("<svg><script>x</script><text>t</text></svg>after", "after"),
    ("<!-- a note -->", "<!-- a note -->"),
    ("<!-- a --!> <script>alert(1)</script> -->", ""),
    ("<!--[if IE]><script>alert(1)</script><![endif]-->", ""),
    ("<![CDATA[<script>]]>", ""),
    ("&lt;script&gt; &amp; &nbsp;", "&lt;script&gt; &amp; \u00a0"),
    ("<br/><hr><span/>", "<br><hr><span></span>"),
    ("<a href=x", "&lt;a href=x"),
])
def test_raw_html_keeps_the_safe_subset(raw, kept):
    assert clean_html(raw) == kept


def test_raw_html_reports_what_went():
    removed: Counter[str] = Counter()
    clean_html('<form action="x"><input name="q"><button onclick="go()">Go</button></form>', removed)
    assert removed == Counter({"<form>, its text kept": 1, "<input>": 1, "<button>, its text kept": 1})


# --- properties -------------------------------------------------------------------------------

TAGS = ["script", "style", "iframe", "object", "embed", "form", "input", "a", "img", "p", "b", "svg", "math", "div",
        "span", "link", "meta", "base", "template", "textarea", "table", "td", "SCRIPT", "ScRiPt", "x-evil", "br"]
ATTRIBUTES = ["onclick", "onerror", "ONLOAD", "href", "src", "style", "class", "alt", "rel", "srcset", "xlink:href",
              "formaction", "id", "lang", "data-x", "width"]
VALUES = ["javascript:alert(1)", "jav&#x09;ascript:x", "JAVASCRIPT:x", "file:///etc/passwd", "../x.png", "x.png",
          "https://evil.example/p.png", "data:image/png;base64,AA", "data:text/html,x", "\" onmouseover=\"x", "'", "&quot;",
          "//evil", " \tjava\nscript:x"]  # control characters go from all text before raw HTML is read


TEXT = st.characters(blacklist_categories=("Cc", "Cs"))  # control characters go before raw HTML is read


@st.composite
def tag_soup(draw) -> str:
    pieces = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.integers(0, 5))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            attributes = draw(st.lists(st.tuples(st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES)), max_size=3))
            quote = draw(st.sampled_from(['"', "'", ""]))
            pieces.append(f"<{tag}" + "".join(f" {n}={quote}{v}{quote}" for n, v in attributes)
                          + draw(st.sampled_from([">", "/>", " >", ""])))
        elif kind == 1:
            pieces.append(f"</{tag}>")
        elif kind == 2:
            pieces.append(draw(st.sampled_from(["<!--", "-->", "--!>", "<![CDATA[", "]]>", "<?x ?>", "<!DOCTYPE html>",
                                                "&lt;", "&#0;", "&#x6a;avascript:", "<", ">"])))
        else:
            pieces.append(draw(st.text(TEXT, max_size=8)))
    return "".join(pieces)


def _assert_only_the_safe_subset(html: str) -> None:
    container = lxml_html.fragment_fromstring(html, create_parent="section")
    for element in container.iter():
        if not isinstance(element.tag, str):
            continue  # a comment kept because it hides nothing
        assert element.tag in ALLOWED_ELEMENTS, element.tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on") and name not in ("style", "rel", "srcset", "formaction")
            if name in ("href", "src"):
                problem = (image_problem if element.tag == "img" else link_problem)(value)
                assert problem is None, (name, value, problem)


@settings(max_examples=400, deadline=None)
@given(tag_soup())
def test_whatever_raw_html_comes_in_only_the_safe_subset_comes_out(raw):
    cleaned = clean_html(raw)
    _assert_only_the_safe_subset(cleaned)
    assert clean_html(cleaned) == cleaned


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_is_cleaned_without_crashing_and_idempotently(raw):  # control characters included
    cleaned = clean_html(raw)
    assert clean_html(cleaned) == cleaned


MARKDOWN_PIECES = ["<script>alert(1)</script>", "<span onclick=\"x()\">s</span>", "[l](javascript:x)", "![i](/etc/passwd)",
                   "![i](fig.png)", "[ok](https://example.org)", "<iframe src=x>", "</iframe>", "{onclick=x}", "`c`{=html}",
                   "```{=markdown}\n<script>y</script>\n```", "<!-- note -->", "::: {onmouseover=z}\nd\n:::", "word",
                   "*emphasis*", "<b>bold</b>", "\n\n", "> ", "- ", "<a href=\"../x\">up</a>", "<img src=x alt=y>"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), min_size=1, max_size=8))
def test_a_markdown_seed_normalises_to_a_safe_fixed_point(tmp_path_factory, pieces):
    """Normalising the canonical Markdown again changes nothing and reports nothing: it is already safe."""
    folder = tmp_path_factory.mktemp("seed")
    (folder / "seed.md").write_text("Text before.\n\n" + " ".join(pieces) + "\n", encoding="utf-8")
    _, _, canonical = normalize(Seed("seed", folder / "seed.md", None), lang="en", notice=lambda message: None)
    (folder / "again.md").write_text(canonical.decode("utf-8"), encoding="utf-8")
    notices: list[str] = []
    _, _, again = normalize(Seed("again", folder / "again.md", None), lang="en", notice=notices.append)
    assert again == canonical
    assert notices == []


# --- nesting ----------------------------------------------------------------------------------


def _nested(levels: int) -> Document:
    block: dict = {"t": "Para", "c": [{"t": "Str", "c": "deep"}]}
    for _ in range(levels):
        block = {"t": "BlockQuote", "c": [block]}
    return Document(meta={}, blocks=[block])


def test_nesting_up_to_the_limit_is_read():
    safe_subset(_nested(sanitize.MAX_DEPTH - 2), CONTEXT)  # the quotations, their paragraph and its word


@pytest.mark.parametrize("levels", [sanitize.MAX_DEPTH - 1, 50_000])
def test_nesting_beyond_the_limit_is_refused_without_recursion(levels):
    with pytest.raises(InputError, match="test.md: nested more than 100 levels deep"):
        safe_subset(_nested(levels), CONTEXT)
