-- kzpress's pandoc writer for reading a Markdown seed (kzpress.pandoc.read_written): the parse, and what
-- normalising needs of it when it is canonical already, in the reader's own run.
-- Out, each part preceded by its length in bytes and a newline: the parse (pandoc JSON), the parse as
-- canonical Markdown, and as HTML.
local FORMAT = "markdown-smart-citations-pandoc_title_block"  -- kzpress.pandoc.MARKDOWN

local function part(text)
  return string.format("%d\n", #text) .. text
end

function Writer(doc, opts)
  local options = {wrap_text = "none", template = pandoc.template.default("markdown")}
  -- the HTML with the options kzpress.pandoc.HTML passed to this run, as settle.lua writes it
  return part(pandoc.write(doc, "json")) .. part(pandoc.write(doc, FORMAT, options))
    .. part(pandoc.write(doc, "html5", opts) .. "\n")
end
