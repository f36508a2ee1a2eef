"""WeasyPrint in a second process, warmed up while the first one prepares the page.

Importing WeasyPrint costs most of a second (cffi parsing its Pango and HarfBuzz declarations), and a
build of one edition spends about as long before it needs WeasyPrint: normalising the text (pandoc)
and writing the print HTML. For a build with a single render (kzpress.parallel's `Inline`), `warm_up`
starts one worker process of kzpress.parallel's kind, which imports WeasyPrint at once, so the two
overlap on a machine with a second core; `run` then sends the rendering there. Without a warm worker
(`warm_up` not called, one core, `--jobs 1`, or WeasyPrint imported here already, as in the workers of
a parallel build or in `kzpress watch`) `run` renders in this process.

What goes to the worker is plain data (the page's bytes and its options); what comes back is the PDF's
bytes and what kzpress logged there, logged again here, as from an in-process render.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

from kzpress import parallel
from kzpress.errors import KzpressError

_worker: parallel.LocalPool | None = None


def warm_up(layout_dir: Path) -> None:
    """Start the worker that imports WeasyPrint now: once, and only where it pays."""
    global _worker
    if _worker is None and parallel.usable_cores() >= 2 and "weasyprint" not in sys.modules:
        _worker = parallel.LocalPool(1, layout_dir)


def shut_down(*, cancel: bool = False) -> None:
    """Stop the worker (at once with `cancel`, as on an error or Ctrl-C)."""
    global _worker
    if _worker is not None:
        _worker.close(cancel=cancel)
        _worker = None


def run(job: Callable[..., bytes], *args: Any) -> bytes:
    """`job(*args)` (a module-level function returning bytes) in the warm worker if there is one."""
    if _worker is None:
        return job(*args)
    return _worker.result(_worker.executor.submit(_in_worker, job, *args))


def _in_worker(job: Callable[..., bytes], *args: Any) -> parallel.Done:
    from kzpress import lines_ahead

    # The `kzpress` process waits for this job: its cores are free for the job's own helpers.
    lines_ahead.spare_cores = parallel.usable_cores() - 1
    with parallel.collected() as records:
        try:
            data = job(*args)
        except KzpressError as error:
            return parallel.Done(b"", tuple(records), parallel.portable(error))
        finally:
            lines_ahead.spare_cores = 0
    return parallel.Done(data, tuple(records))
