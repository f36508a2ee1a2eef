"""Lines of text drawn from their glyphs read at once, not one C field at a time (WeasyPrint's drawing).

To draw a line, WeasyPrint walks its Pango glyphs in Python, reads each glyph's id, advance and offsets
through cffi one field at a time, and formats its part of the PDF text string (the glyph id, and the
kerning against the font's own advance): a third of `write_pdf` on a long text (row (e) of the
benchmarks: 7,987 lines, about 480,000 glyphs). Here each run's glyphs and clusters are copied out in
one call each (`ffi.unpack`), and the part written for a glyph is kept by its id, advance and offset,
for each font and size: a line is then a few dictionary lookups and a join. The PDF operators are the
same to the byte (the parts are made by the same arithmetic, and the font's Unicode map and widths are
filled in the first time a glyph is met, as WeasyPrint fills them). Row (e): drawing the lines
0.87 s → 0.57 s, `write_pdf` 1.54 s → 1.26 s.

Only the common case is taken: outline fonts (not bitmap, SVG, PNG or COLR glyphs: emoji fonts), no
glyph missing from its font, no vertical offset, no ellipsis. Any other line, decided before anything
is written, goes to WeasyPrint's own function. This replaces `weasyprint.draw.text.draw_first_line`,
only for the WeasyPrint version it was written and tested against (TESTED_WITH); with another the
function is left as it is.
"""

from __future__ import annotations

from typing import Any

from kzpress.mends import Switch, once

TESTED_WITH = "70.0"
_FIELDS = 5  # a PangoGlyphInfo as 32-bit integers: glyph, width, x_offset, y_offset, attributes
mend = Switch()  # off: WeasyPrint draws every line; `count`: the lines drawn here


@once(TESTED_WITH)
def install(weasyprint: Any) -> bool:
    """Draw common lines from their glyph arrays, once per process; False (nothing changed) if this
    WeasyPrint is not the version this was tested with."""
    from weasyprint.draw import text as draw
    from weasyprint.text.ffi import ffi

    if ffi.sizeof("PangoGlyphInfo") != 4 * _FIELDS:
        return False

    draw.draw_first_line = _drawing(draw.draw_first_line)  # kzpress.justify wraps it in turn
    return True


def _drawing(draw_first_line):
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    empty, unknown = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG

    def glyph_runs(line) -> list[tuple[Any, Any, list[int], list[int]]] | None:
        """Each run of the line: its Pango glyph item, font, glyph fields and clusters; None when a glyph
        needs more than this module does (missing from its font, or raised)."""
        runs, run = [], line.runs
        while run != ffi.NULL:
            glyph_item = run.data
            run = run.next
            glyph_string = glyph_item.glyphs
            count = glyph_string.num_glyphs
            fields = ffi.unpack(ffi.cast("int32_t *", glyph_string.glyphs), count * _FIELDS)
            glyphs = fields[0::_FIELDS]
            # Read as signed: a glyph missing from its font has the flag set, or is -1 (invalid input).
            if count and (max(glyphs) >= unknown or min(glyphs) < 0 or any(fields[3::_FIELDS])):
                return None
            runs.append((glyph_item, glyph_item.item.analysis.font, fields, ffi.unpack(glyph_string.log_clusters, count)))
        return runs

    def fragment_of(stream, layout, glyph_item, pango_font, font, font_size, clusters, i, key, known) -> str:
        """What WeasyPrint writes for the glyph `key` (its id, width and x offset), the i-th of its run; the
        font's Unicode map and widths filled in as WeasyPrint fills them, the first time a glyph is met."""
        glyph_id, width, x_offset = key
        if glyph_id == empty:
            fragment = f">{-width / font_size}<"
        else:
            if glyph_id not in font.to_unicode:
                item = glyph_item.item
                start = clusters[i]
                if item.analysis.level % 2:  # right to left
                    end = item.length if i == 0 else clusters[i - 1]
                else:
                    end = item.length if i == len(clusters) - 1 else clusters[i + 1]
                text = layout.text.encode()
                font.to_unicode[glyph_id] = text[item.offset + start:item.offset + end].decode()
            offset = x_offset / font_size
            fragment = f">{-offset}<" if offset else ""
            fragment += f"{glyph_id:04x}"
            logical_width = font.widths.get(glyph_id)
            if logical_width is None:
                pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
                logical_width = font.widths[glyph_id] = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
            kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
            if kerning:
                fragment += f">{int(kerning)}<"
        known[key] = fragment
        return fragment

    def drawing_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        if not mend.enabled or text_overflow == "ellipsis" or block_ellipsis != "none":
            return draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
        if not textbox.text.strip() or textbox.style["font_size"] < 1e-6:
            return []
        layout = textbox.pango_layout
        pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
        first_line, _ = layout.get_first_line()
        runs = glyph_runs(first_line)
        if not runs:  # a glyph this module does not draw, or no glyph at all
            return draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
        fonts = []
        previous = None
        for _, pango_font, _, _ in runs:
            if pango_font != previous:
                previous = pango_font
                font, font_size = stream.add_font(pango_font)
                if font.bitmap or font.svg or font.png or font.colr or pango.pango_version() < 14802:
                    return draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
                fonts.append((font, font_size))
            else:
                fonts.append(None)

        stream.set_text_matrix(*matrix.values)
        string = ""
        for (glyph_item, pango_font, fields, clusters), changed in zip(runs, fonts):
            if changed is not None:
                font, font_size = changed
                if string:
                    stream.show_text(string)
                string = ""
                stream.set_font_size(font.hash, font_size)
                known = _fragments(font, font_size)
            keys = list(zip(fields[0::_FIELDS], fields[1::_FIELDS], fields[2::_FIELDS]))
            found = list(map(known.get, keys))
            if None in found:
                for i, fragment in enumerate(found):
                    if fragment is None:
                        found[i] = known.get(keys[i]) or fragment_of(
                            stream, layout, glyph_item, pango_font, font, font_size, clusters, i, keys[i], known)
            string += "<" + "".join(found)
            string = string[:-1] if string[-1] == "<" else string + ">"
        stream.show_text(string)
        mend.count += 1
        return []

    return drawing_first_line


def _fragments(font: Any, font_size: float) -> dict[tuple[int, int, int], str]:
    """What has been written for each glyph (id, width, x offset) of a font at a size, in this PDF."""
    kept = font.__dict__.setdefault("kzpress_fragments", {})
    return kept.setdefault(font_size, {})
