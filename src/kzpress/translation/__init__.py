"""Translation: what a translator works on, and bringing the translation back.

units (the pieces of a Document to translate, and its skeleton) -> segment (sentences) -> backends/xliff
and xliff2 write them; reading (XLIFF 1.2/2.x back in) -> imports (every check) -> store (seeds/<slug>.<lang>.xlf)
-> merge (the translated Document) -> build.py's translated editions. memory holds a translation,
update carries it over to a changed source; pseudo and tmx are the translator's extra tools.
"""
