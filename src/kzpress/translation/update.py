"""Re-exporting after the source changed: the stored translation carries over by itself.

A unit whose id and source words are those of a stored translated unit is kept, translation and state
alike. A unit that is not, but resembles a translated unit that has gone from the document (the same
role, at least half the same characters), is changed: it comes back to be translated, with the earlier
translation offered as a fuzzy suggestion. Any other unit is new; stored units that match nothing
any more are removed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from kzpress.translation.memory import Translated, Translation
from kzpress.translation.units import Run, Tagged, Unit

SUGGESTION_THRESHOLD = 0.5  # below half the same characters a suggestion is more hindrance than help
_HASHED_ID = re.compile(r"^(?P<role>.+)-[0-9a-f]{8}(?:-\d+)?$")


@dataclass(frozen=True)
class Planned:
    """A unit as it is exported: its target, the target's state, and a suggestion where one fits."""

    unit: Unit
    target: tuple[Run, ...]
    state: str
    earlier: Translated | None = None  # the translation of the unit's earlier source
    similarity: int | None = None  # how alike the earlier source and this one are, in per cent


@dataclass(frozen=True)
class Plan:
    units: tuple[Planned, ...]
    new: int
    changed: int
    kept: int
    removed: int

    def summary(self) -> str:
        return f"{self.new} new, {self.changed} changed, {self.kept} kept" + (f", {self.removed} removed" if self.removed else "")


def plan(found: list[Unit], translation: Translation | None) -> Plan:
    """Each unit's target: kept from `translation`, or the source to translate, with a suggestion."""
    stored = dict(translation.units) if translation is not None else {}
    kept = {unit.id: stored[unit.id] for unit in found if translation is not None and translation.applies(unit.id, unit.runs)}
    leftovers = {unit_id: old for unit_id, old in stored.items() if unit_id not in kept and old.done}
    suggestions = _suggestions([unit for unit in found if unit.id not in kept], leftovers)
    planned = []
    for unit in found:
        if unit.id in kept:
            planned.append(Planned(unit, kept[unit.id].target, kept[unit.id].state))
        elif unit.id in suggestions:
            old_id, similarity = suggestions[unit.id]
            planned.append(Planned(unit, unit.runs, "needs-translation", stored[old_id], similarity))
        else:
            planned.append(Planned(unit, unit.runs, "needs-translation"))
    used = set(kept) | {old_id for old_id, _ in suggestions.values()}
    return Plan(tuple(planned), len(found) - len(kept) - len(suggestions), len(suggestions), len(kept),
                len(set(stored) - used))


def role(unit_id: str) -> str:
    """The role a unit id names: `paragraph` for paragraph-1a2b3c4d, the field for title and the like."""
    match = _HASHED_ID.match(unit_id)
    return match.group("role") if match else unit_id


def plain(runs: tuple[Run, ...]) -> str:
    """The words of runs, codes left out."""
    return "".join(run if isinstance(run, str) else plain(run.content) for run in runs if isinstance(run, (str, Tagged)))


def _suggestions(fresh: list[Unit], leftovers: dict[str, Translated]) -> dict[str, tuple[str, int]]:
    """For each fresh unit, the most similar leftover translated unit of the same role, each used once."""
    pairs = []
    for unit in fresh:
        text = plain(unit.runs)
        for old_id, old in leftovers.items():
            if role(old_id) != unit.role:
                continue
            matcher = difflib.SequenceMatcher(None, plain(old.source), text, autojunk=False)
            if matcher.real_quick_ratio() >= SUGGESTION_THRESHOLD and matcher.quick_ratio() >= SUGGESTION_THRESHOLD:
                ratio = matcher.ratio()
                if ratio >= SUGGESTION_THRESHOLD:
                    pairs.append((ratio, unit.id, old_id))
    chosen: dict[str, tuple[str, int]] = {}
    taken: set[str] = set()
    for ratio, unit_id, old_id in sorted(pairs, key=lambda pair: -pair[0]):
        if unit_id not in chosen and old_id not in taken:
            chosen[unit_id] = (old_id, int(ratio * 100))
            taken.add(old_id)
    return chosen
