-- kzpress's pandoc writer for normalising (kzpress.pandoc.settle): one pandoc run instead of three.
-- In: a document as pandoc JSON. Out, each part preceded by its length in bytes and a newline:
-- the canonical Markdown, that Markdown read back (pandoc JSON), that read-back written again, and as HTML.
local FORMAT = "markdown-smart-citations-pandoc_title_block"  -- kzpress.pandoc.MARKDOWN

local function part(text)
  return string.format("%d\n", #text) .. text
end

function Writer(doc, opts)
  local options = {wrap_text = "none", template = pandoc.template.default("markdown")}
  local canonical = pandoc.write(doc, FORMAT, options)
  local parsed = pandoc.read(canonical, FORMAT)
  -- and the parse as the print page's HTML, with the options kzpress.pandoc.HTML passed to this run
  return part(canonical) .. part(pandoc.write(parsed, "json")) .. part(pandoc.write(parsed, FORMAT, options))
    .. part(pandoc.write(parsed, "html5", opts) .. "\n")  -- pandoc ends what it prints with a newline
end
