"""What kzpress's mends inside WeasyPrint share: each is installed once per process, only for the
WeasyPrint version it was written and tested against, and can be switched off, so that tests compare
its output with WeasyPrint's own (kzpress.drawing, kzpress.pango_contexts, kzpress.margin_styles)."""

from __future__ import annotations

from typing import Any, Callable

_installed: set[str] = set()


class Switch:
    """Whether a mend acts (`enabled`; off, WeasyPrint does the work its own way) and how often it did."""

    def __init__(self) -> None:
        self.enabled = True
        self.count = 0


def install_once(name: str, weasyprint: Any, tested_with: str, patch: Callable[[], None]) -> bool:
    """Run `patch` (which replaces something inside WeasyPrint) once per process under `name`; False, and
    nothing replaced, if the installed WeasyPrint is not the version `tested_with`."""
    if weasyprint.__version__ != tested_with:
        return False
    if name not in _installed:
        patch()
        _installed.add(name)
    return True
