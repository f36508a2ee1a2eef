"""`kzpress watch`: rebuild what a change touches, and its proofs, until interrupted.

A change to a seed (or its metadata or translations) rebuilds that seed; a change under layout/,
fonts/ or the publisher's own layout folder (--layout) rebuilds every seed. A build error is reported and watching goes on: the editor fixes the file
and saves again. File events come from watchfiles (inotify and its kin), not from polling.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from kzpress.build import Project, build, proof
from kzpress.errors import KzpressError

Notice = Callable[[str], None]


def affected_slugs(changed: set[Path], project: Project) -> list[str] | None:
    """The seeds a set of changed paths touches; None means every seed (the design changed)."""
    slugs: set[str] = set()
    design = [folder.resolve() for folder in project.design_folders]
    for path in changed:
        resolved = path.resolve()
        if any(resolved.is_relative_to(folder) for folder in design):
            return None
        if resolved.parent == project.seeds_dir.resolve() and not path.name.startswith("."):
            slugs.add(path.name.split(".")[0])
    return sorted(slugs)


def rebuild(project: Project, slugs: list[str] | None, formats: list[str], proofs: bool, notice: Notice) -> None:
    from kzpress.seeds import find_seeds

    try:
        present = find_seeds(project.seeds_dir)
        wanted = list(present) if slugs is None else [slug for slug in slugs if slug in present]
        if not wanted:
            return
        if proofs and "pdf" in formats:
            for slug in wanted:
                proof(project, slug, [], notice=notice)
            formats = [name for name in formats if name != "pdf"]
        if formats:
            build(project, wanted, formats, [], notice=notice)
    except KzpressError as error:
        notice(f"error: {error}")


def watch(project: Project, formats: list[str], *, proofs: bool = True, notice: Notice,
          stop: threading.Event | None = None, on_rebuilt: Callable[[], None] | None = None) -> None:
    """Build everything once, then rebuild on every change until interrupted (or `stop` is set)."""
    from watchfiles import watch as file_changes

    project.check_folders()
    folders = [project.seeds_dir, *project.design_folders]
    missing = [folder for folder in folders if not folder.is_dir()]
    if missing:
        raise KzpressError(f"{missing[0]}: no such folder to watch; create it or pass --seeds DIR")
    rebuild(project, None, formats, proofs, notice)
    notice(f"watching {', '.join(map(str, folders))}; press Ctrl-C to stop")
    for changes in file_changes(*folders, stop_event=stop, debounce=200, step=20, rust_timeout=200):
        changed = {Path(path) for _, path in changes if not Path(path).name.endswith(".tmp")}
        if changed:
            rebuild(project, affected_slugs(changed, project), formats, proofs, notice)
            if on_rebuilt:
                on_rebuilt()
