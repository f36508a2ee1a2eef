"""A build's jobs all at once, in processes forked from one warm worker (kzpress.parallel's `Wave`).

When every job of a build can run at the same time (no more jobs than usable cores: one seed's two
render chains, or two translated editions on a two-core machine), a pool of one worker per job would
import WeasyPrint once per worker, each import a third of a second of CPU, on cores the parent needs
to normalise the text meanwhile. Instead one worker is started as the build starts (kzpress.parallel's
`LocalPool` of one) and imports WeasyPrint while the parent prepares the editions. The parent collects
the jobs and sends them together; the worker forks a process for every job but the first, which then
starts with WeasyPrint imported, and runs the first itself.

The worker forks only before it has laid out anything: Pango starts threads of its own when it first
lays out text, and a fork copies none of them but keeps the locks they held. A second wave in the same
worker (a build that sends its jobs in two goes), or a worker forked from a process that has rendered
(`kzpress watch`), runs its jobs one after another instead.

A forked process sends back what `run_job` returned, or the exception it raised, through a pipe; one
that dies (killed, out of memory) is the one-line error a pool gives for a dead worker.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from kzpress.errors import KzpressError
from kzpress.parallel import DIED, Done, Job, LocalPool, Outputs, _replayed, run_job

if TYPE_CHECKING:
    from concurrent.futures import Future

    from kzpress.build import Edition, Project


class Wave:
    """Every job of the build at once, forked from one worker that imported WeasyPrint while the parent
    normalised: sent together when the parent first asks for a result."""

    inline = False

    def __init__(self, workers: int, layout_dir: Path) -> None:
        self.capacity = workers
        self.pool = LocalPool(1, layout_dir)
        self.waiting: list[tuple[Future, Job]] = []

    def submit(self, edition: "Edition", formats: tuple[str, ...], project: "Project", request: dict, key: str) -> Future:
        from concurrent.futures import Future

        from kzpress.parallel import _job

        future: Future = Future()
        self.waiting.append((future, _job(edition, formats, project)))
        return future

    def result(self, handle: Future) -> Outputs:
        if not handle.done():
            wave, self.waiting = self.waiting, []
            done = self.pool.result_of(self.pool.executor.submit(run_wave, [job for _, job in wave]))
            for (future, _), one in zip(wave, done):
                future.set_result(one)
        return _replayed(handle.result())

    def close(self, *, cancel: bool) -> None:
        self.pool.close(cancel=cancel)


def run_wave(jobs: list[Job]) -> list[Done]:
    """In the warm worker: the jobs side by side, each but the first in a process forked from this one."""
    from kzpress.backends import pdf

    if pdf.laid_out_here:  # this worker, or the process it was forked from (`kzpress watch`), has rendered
        return [run_job(job) for job in jobs]
    children = [_forked(job) for job in jobs[1:]]
    try:
        first = run_job(jobs[0])
    finally:
        others = [_collected(pid, reader) for pid, reader in children]  # every one reaped before raising
    raised = next((outcome for outcome in others if isinstance(outcome, BaseException)), None)
    if raised is not None:
        raise raised
    return [first, *others]


def _forked(job: Job) -> tuple[int, int]:
    """A process running `job`, and the pipe its outcome comes back through."""
    import warnings

    reader, writer = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12 warns of a fork in a process with threads. The worker's one other thread only waits
        # for the build's process to end (parallel._leave_with), holding no lock; Pango's start later.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    os.close(reader)
    try:
        _leave_with_the_build()
        try:
            outcome: tuple[str, object] = ("done", run_job(job))
        except BaseException as error:  # noqa: BLE001 - sent back to be raised in the worker, as a pool would
            outcome = ("raised", error)
        try:
            data = pickle.dumps(outcome)
        except Exception:  # noqa: BLE001 - an exception that does not pickle travels as its text
            data = pickle.dumps(("raised", RuntimeError(repr(outcome[1]))))
        with os.fdopen(writer, "wb") as stream:
            stream.write(data)
    finally:
        os._exit(0)  # nothing of the worker's (atexit, buffers) is the child's to run


def _leave_with_the_build() -> None:
    """A forked process leaves if the build's `kzpress` process dies, as the worker itself does."""
    import multiprocessing
    import threading

    from kzpress.parallel import _leave_with

    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_leave_with, args=(parent.sentinel,), daemon=True).start()


def _collected(pid: int, reader: int) -> Done | BaseException:
    """What the forked process sent back (the exception it raised, to be raised here), once it is gone."""
    with os.fdopen(reader, "rb") as stream:
        data = stream.read()
    os.waitpid(pid, 0)
    try:
        _, value = pickle.loads(data)
    except Exception:  # noqa: BLE001 - nothing or half a message: the process died
        return Done({}, (), KzpressError(DIED))
    return value
