"""A translation of one document into one language: each unit's translated runs, by unit id.

A translated unit keeps the source it was translated from, so a later export can tell kept units
(same source) from changed ones, and a build can tell a translation that still fits from a stale one.
States are XLIFF 1.2's words: 2.x files are read into them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from kzpress.translation.units import Run, signature

# States in which a target that is still a copy of its source has not been translated yet.
UNCONFIRMED_STATES = frozenset({"", "new", "needs-translation", "needs-l10n", "needs-adaptation"})


@dataclass(frozen=True)
class Translated:
    source: tuple[Run, ...]  # the source text the translation was made from
    target: tuple[Run, ...]  # its codes are the source's, by id
    state: str = "translated"

    @property
    def done(self) -> bool:
        """Translated: changed from the copy of the source, or confirmed as it is (a name, a number)."""
        return self.state not in UNCONFIRMED_STATES or signature(self.target) != signature(self.source)


@dataclass(frozen=True)
class Translation:
    source_language: str
    target_language: str
    units: Mapping[str, Translated] = field(default_factory=dict)  # in document order
    translators: tuple[str, ...] = ()

    def applies(self, unit_id: str, source: tuple[Run, ...]) -> Translated | None:
        """The translation of a unit with this id and source, if there is one made from the same words."""
        found = self.units.get(unit_id)
        return found if found is not None and same_words(found.source, source) else None


def same_words(one: tuple[Run, ...], other: tuple[Run, ...]) -> bool:
    """The same words and tags, whatever the kind of space between them: the typography transform binds
    words with no-break spaces (kzpress.typography), and a translation made before that still fits."""
    return signature(one).replace("\u00a0", " ") == signature(other).replace("\u00a0", " ")
