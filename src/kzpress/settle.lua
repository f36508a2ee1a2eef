-- kzpress's pandoc writer for normalising (kzpress.pandoc): one pandoc run instead of three.
-- Out, each part preceded by its length in bytes and a newline:
-- settling (kzpress.pandoc.settle; in: pandoc JSON): the canonical Markdown, that Markdown read back
--   (pandoc JSON), that read-back written again, and as HTML;
-- reading (-V kzpress-read, kzpress.pandoc.read_written; in: a Markdown text): its parse (pandoc JSON),
--   the parse as canonical Markdown, and as HTML; with -V kzpress-early too, the parse is written to
--   standard output and flushed at once, so that kzpress can work on it while the rest is written.
local FORMAT = "markdown-smart-citations-pandoc_title_block"  -- kzpress.pandoc.MARKDOWN

local function part(text)
  return string.format("%d\n", #text) .. text
end

function Writer(doc, opts)
  local parse = ""
  if opts.variables["kzpress-read"] then
    parse = part(pandoc.write(doc, "json"))
    if opts.variables["kzpress-early"] then
      io.stdout:write(parse)
      io.stdout:flush()
      parse = ""
    end
  end
  local options = {wrap_text = "none", template = pandoc.template.default("markdown")}
  local canonical = pandoc.write(doc, FORMAT, options)
  -- HTML with the options kzpress.pandoc.HTML passed to this run; pandoc ends what it prints with a newline
  if opts.variables["kzpress-read"] then
    return parse .. part(canonical) .. part(pandoc.write(doc, "html5", opts) .. "\n")
  end
  local parsed = pandoc.read(canonical, FORMAT)
  return part(canonical) .. part(pandoc.write(parsed, "json")) .. part(pandoc.write(parsed, FORMAT, options))
    .. part(pandoc.write(parsed, "html5", opts) .. "\n")
end
