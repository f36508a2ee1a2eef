-- kzpress's pandoc writer for normalising (kzpress.pandoc.settle): one pandoc run instead of three.
-- In: a document as pandoc JSON. Out, each part preceded by its length in bytes and a newline:
-- the canonical Markdown, that Markdown read back (pandoc JSON), and that read-back written again.
local FORMAT = "markdown-smart-citations-pandoc_title_block"  -- kzpress.pandoc.MARKDOWN

local function part(text)
  return string.format("%d\n", #text) .. text
end

function Writer(doc, opts)
  local options = {wrap_text = "none", template = pandoc.template.default("markdown")}
  local canonical = pandoc.write(doc, FORMAT, options)
  local parsed = pandoc.read(canonical, FORMAT)
  return part(canonical) .. part(pandoc.write(parsed, "json")) .. part(pandoc.write(parsed, FORMAT, options))
end
