"""What kzpress's mends inside WeasyPrint (and pydyf) share: each is installed once per process, only for
the version of the library it was written and tested against; and those that tests compare with the
library's own work can be switched off."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable

_installed: set[str] = set()


class Switch:
    """Whether a mend acts (`enabled`; off, WeasyPrint does the work its own way) and how often it did."""

    def __init__(self) -> None:
        self.enabled = True
        self.count = 0


def once(tested_with: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], bool]]:
    """Make `install(library)`, which replaces something inside the library, a mend's installer: it runs
    once per process, and not at all if the library's `__version__` is not `tested_with` or if `install`
    itself returns False (what it would mend is not there). The installer says whether the mend is in."""

    def decorate(install: Callable[[Any], Any]) -> Callable[[Any], bool]:
        name = f"{install.__module__}.{install.__qualname__}"

        @wraps(install)
        def installing(library: Any) -> bool:
            if library.__version__ != tested_with:
                return False
            if name not in _installed:
                if install(library) is False:
                    return False
                _installed.add(name)
            return True

        return installing

    return decorate
