"""The parts of the EPUB backend (kzpress.backends.epub): chapters, pages, page list, fonts, package."""
