"""A Pango context and font description made once per style, not once per Pango layout (WeasyPrint).

WeasyPrint makes a Pango layout for every trial of every line it sets and again for every text it
draws (`Layout.setup`): each time a new Pango context (with its direction and language set) and a new
font description (family, style, stretch, weight, size, variant) read from the style. For the same
font configuration, direction and language the context is the same, and for the same font properties
so is the description; here each is made once and kept with the font configuration (a Pango layout
takes a reference to its context and a copy of the description, and nothing changes either
afterwards). The layouts, and so the PDF, are the same to the byte (tests/test_pango_contexts.py).
A render of row (e) of the benchmarks that reuses no line makes 19,400 Pango layouts (11,400 setting
lines, 7,987 drawing them); the setups of the drawing took 0.18-0.20 s, 0.08-0.09 s with this.

This replaces `weasyprint.text.line_break.Layout.setup`, only for the WeasyPrint version it was written
and tested against (TESTED_WITH); with another it is left as it is.
"""

from __future__ import annotations

from typing import Any

from kzpress.mends import Switch, once

TESTED_WITH = "70.0"
# The style properties `get_font_description` reads.
FONT = ("font_family", "font_style", "font_stretch", "font_weight", "font_size", "font_variant_caps",
        "font_variation_settings")
kept = Switch()  # off: every Pango layout makes its own context and description, as WeasyPrint does


@once(TESTED_WITH)
def install(weasyprint: Any) -> None:
    """Keep contexts and font descriptions, once per process; False (nothing changed) if this WeasyPrint
    is not the version this was tested with."""
    from weasyprint.text.line_break import Layout

    Layout.setup = _keeping(Layout.setup)


def _keeping(setup):
    from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
    from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango, unicode_to_char_p
    from weasyprint.text.fonts import font_features, get_font_description

    def context_for(style) -> tuple[Any, Any]:
        """The Pango context and language of a style's font configuration, direction and language."""
        font_config = style.font_config
        contexts = font_config.__dict__.setdefault("kzpress_contexts", {})
        override = style["font_language_override"]
        key = (style["direction"], override, None if override != "normal" else style["lang"])
        found = contexts.get(key)
        if found is None:
            context = ffi.gc(pango.pango_font_map_create_context(font_config.font_map), gobject.g_object_unref)
            pango.pango_context_set_round_glyph_positions(context, False)
            pango.pango_context_set_base_dir(context, PANGO_DIRECTION[style["direction"]])
            if override != "normal":
                lang_p, lang = unicode_to_char_p(LST_TO_ISO.get(override.lower(), override))
            elif style["lang"]:
                lang_p, lang = unicode_to_char_p(style["lang"])
            else:
                lang = None
                language = pango.pango_language_get_default()
            if lang:
                language = pango.pango_language_from_string(lang_p)
                pango.pango_context_set_language(context, language)
            found = contexts[key] = (context, language)
        return found

    def description_for(style) -> Any:
        descriptions = style.font_config.__dict__.setdefault("kzpress_font_descriptions", {})
        key = repr(tuple(style[name] for name in FONT))
        found = descriptions.get(key)
        if found is None:
            found = descriptions[key] = get_font_description(style)
        return found

    def keeping_setup(self, style):
        if not kept.enabled:
            return setup(self, style)
        self.style = style
        self.first_line_direction = 0
        context, self.language = context_for(style)
        assert not isinstance(style["font_family"], str), "font_family should be a list"
        font_description = description_for(style)
        self.layout = ffi.gc(pango.pango_layout_new(context), gobject.g_object_unref)
        pango.pango_layout_set_auto_dir(self.layout, False)
        pango.pango_layout_set_font_description(self.layout, font_description)

        if style["text_decoration_line"] != "none":
            metrics = ffi.gc(pango.pango_context_get_metrics(context, font_description, self.language),
                             pango.pango_font_metrics_unref)
            self.ascent = FROM_UNITS * pango.pango_font_metrics_get_ascent(metrics)
            self.underline_position = FROM_UNITS * pango.pango_font_metrics_get_underline_position(metrics)
            self.strikethrough_position = FROM_UNITS * pango.pango_font_metrics_get_strikethrough_position(metrics)
            self.underline_thickness = FROM_UNITS * pango.pango_font_metrics_get_underline_thickness(metrics)
            self.strikethrough_thickness = FROM_UNITS * pango.pango_font_metrics_get_strikethrough_thickness(metrics)
        else:
            self.ascent = None
            self.underline_position = None
            self.strikethrough_position = None

        features = font_features(
            style["font_kerning"], style["font_variant_ligatures"], style["font_variant_position"],
            style["font_variant_caps"], style["font_variant_numeric"], style["font_variant_alternates"],
            style["font_variant_east_asian"], style["font_feature_settings"])
        if features:
            features = ",".join(f"{key} {value}" for key, value in features.items()).encode()
            attr = style.font_config.font_features.setdefault(features, pango.pango_attr_font_features_new(features))
            attr_list = pango.pango_attr_list_new()
            pango.pango_attr_list_insert(attr_list, attr)
            pango.pango_layout_set_attributes(self.layout, attr_list)

    return keeping_setup
