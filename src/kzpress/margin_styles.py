"""One computed style for a margin box on every page whose @page rules are the same (WeasyPrint).

WeasyPrint gives every page a page type of its own (its side, whether it is blank or the first, its
name, its index and groups, for `:nth()`), and computes the styles of the page and of its 16 margin
boxes (`@top-center`, …) anew for each: a running head and a folio cost their whole style again on
every page, a property at a time as the layout reads them (80,000 computed values on the 141 pages of
row (e) of the benchmarks, most of the time spent on margin boxes). A margin box's computed style
depends only on its own cascaded declarations, its page's (it inherits from the page) and the root's;
so where both sets of declarations are those of an earlier page of the same render, the margin box is
given that page's style object, with the values it has computed already. The page's own style is not
shared: WeasyPrint adds the page counter's increment to it, once per page.

Margin boxes of row (e): 0.30-0.36 s → 0.10 s; the PDF is the same to the byte (tests/test_margin_styles.py).
Declarations are the same when they are the same parsed declarations of the stylesheet, at the same
weight. This replaces `weasyprint.layout.page.set_page_type_computed_styles`, only
for the WeasyPrint version it was written and tested against (TESTED_WITH); with another it is left as
it is.
"""

from __future__ import annotations

from typing import Any

from kzpress.mends import Switch, once

TESTED_WITH = "70.0"
sharing = Switch()  # off: every page computes its margin boxes' styles; `count`: the styles shared


@once(TESTED_WITH)
def install(weasyprint: Any) -> None:
    """Share margin-box styles between pages, once per process; False (nothing changed) if this WeasyPrint
    is not the version this was tested with."""
    from weasyprint.layout import page as pagination

    pagination.set_page_type_computed_styles = _sharing(pagination.set_page_type_computed_styles)


def _sharing(set_page_type_computed_styles):
    from weasyprint.css import PAGE_MARGIN_BOXES

    # The pseudo-types of a page's margin boxes ("@top-center"), not its footnote or note areas.
    margin_boxes = tuple(f"@{name}" for name in sorted(PAGE_MARGIN_BOXES) if name not in ("footnote", "note-area"))

    def sharing_set_page_type_computed_styles(page_type, html, style_for):
        set_page_type_computed_styles(page_type, html, style_for)
        if not sharing.enabled:
            return
        cascaded, computed = style_for.get_cascaded_styles(), style_for.get_computed_styles()
        page = _declarations(cascaded.get((page_type, None), {}))
        kept = style_for.__dict__.setdefault("kzpress_margin_styles", {})
        for pseudo_type in margin_boxes:
            own = cascaded.get((page_type, pseudo_type))
            if own is None or (page_type, pseudo_type) not in computed:
                continue
            key = (page, pseudo_type, _declarations(own))
            earlier = kept.get(key)
            if earlier is None:
                kept[key] = computed[page_type, pseudo_type]
            else:
                computed[page_type, pseudo_type] = earlier
                sharing.count += 1

    return sharing_set_page_type_computed_styles


def _declarations(cascaded: dict[str, Any]) -> tuple:
    """The cascaded declarations, to compare: each property's value object (the stylesheet's parsed
    declaration, which lives as long as the render's styles and this key do) and its weight."""
    return tuple(sorted((name, id(values), repr(weight)) for name, (values, weight) in cascaded.items()))
