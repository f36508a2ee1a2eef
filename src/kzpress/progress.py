"""Progress of a build on the terminal (rich): a bar over the seeds, with kzpress's notices printed above it.

Only for a person watching a terminal: a log file, a pipe or CI gets the plain notice lines alone."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator, TextIO

Report = Callable[[object], None]


def wanted(stream: TextIO, *, quiet: bool, seeds: int, formats: int) -> bool:
    """A bar when someone waits at a terminal for more than one document or format."""
    return not quiet and stream.isatty() and (seeds > 1 or formats > 1)


@contextmanager
def build_progress(total: int, *, enabled: bool, stream: TextIO | None = None) -> Iterator[Report]:
    """Yield a `report` for `build.build` that moves the bar on as each seed is done (a no-op when not
    enabled). While the bar shows, whatever is printed to standard error (the notices) goes above it."""
    if not enabled:
        yield lambda result: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(file=stream or sys.stderr, force_terminal=True)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # transient: the bar goes when the build ends, and the notices stay as the record of what was done
    with Progress(*columns, console=console, transient=True, redirect_stdout=False, redirect_stderr=True) as progress:
        task = progress.add_task("building", total=total)

        def report(result) -> None:
            progress.update(task, advance=1, description=f"{result.slug}: {result.status}")

        yield report
