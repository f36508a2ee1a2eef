"""Where a build's renders run: in this process, in local worker processes, or on a Dask cluster.

The heavy part of a build is WeasyPrint, in two independent chains per language edition: the reading
PDF (and the EPUB, which takes its cover and page list from it) and the press PDF (and the booklet,
imposed from it). Each chain of each edition is a `Job`: the edition, already normalised by the parent,
and the formats to make from it. A job returns its outputs as bytes; only the parent writes them into
the output folder and updates the cache (kzpress.catalogue).

- `Inline` runs a job at once in this process: `--jobs 1`, or a build with a single job, where a pool
  would only add its start-up.
- `LocalPool` runs jobs in worker processes (concurrent.futures). They are forked while the parent
  runs no other thread, else spawned (`start_method`): a fork would copy the locks another thread (a
  progress bar's) held, never to be released; "forkserver" talks to its server over a socket, which
  tests/test_hostile.py counts as network use. Each worker imports WeasyPrint
  once, as it starts, while the parent is still normalising the first seed, and reuses it for every job.
- `Wave` (kzpress.wave) runs every job at once when they are no more than the usable cores (one seed's
  two render chains; two translated editions): one worker imports WeasyPrint as the build starts and
  forks a process per job when the parent sends them, so WeasyPrint is imported once, not per worker.
- `Cluster` sends the same jobs to an existing Dask distributed scheduler (`--scheduler ADDRESS`).

A job's KzpressError comes back as a value (its one-line message), and what the job logged (the
renderer's sandbox warnings) comes back with its outputs, to be logged again here in the build's order.
"""

from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from kzpress.errors import KzpressError

if TYPE_CHECKING:
    from concurrent.futures import Future

    from kzpress.build import Edition, Project

Files = dict[Path, bytes]
Outputs = dict[str, Files]  # by format
Record = tuple[str, int, str]  # a log record: logger name, level, message

# Formats made in the parent as the seed is loaded: they need no renderer and take milliseconds.
IN_PROCESS = ("md", "xliff")
# The render chains: the second format of each reuses the first one's PDF (see build._outputs).
CHAINS = (("pdf", "epub"), ("print", "booklet"))
CONNECT_SECONDS = 5  # how long to wait for a Dask scheduler before saying it cannot be reached
DIED = "a build worker process stopped unexpectedly (out of memory, or killed); try again, or with --jobs 1"


def usable_cores() -> int:
    """The CPUs this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chains(formats: list[str]) -> list[tuple[str, ...]]:
    """The jobs one edition's formats make: each render chain asked for, and any other format alone."""
    wanted = list(dict.fromkeys(formats))
    grouped = [tuple(name for name in chain if name in wanted) for chain in CHAINS]
    chained = {name for chain in CHAINS for name in chain}
    alone = [(name,) for name in wanted if name not in chained and name not in IN_PROCESS]
    return [chain for chain in grouped if chain] + alone


@dataclass(frozen=True)
class Job:
    """One edition's formats to make, with everything a worker needs (it may be on another machine)."""

    edition: "Edition"
    formats: tuple[str, ...]
    project: "Project"
    source_date_epoch: str | None = None  # the user's SOURCE_DATE_EPOCH: a worker's environment is its own
    request: dict | None = None  # with `key`, for a Dask worker to check that it sees the same inputs
    key: str | None = None
    own_folders: tuple[str, ...] = ()  # Project fields that are kzpress's own folders: the worker's install's
    html: tuple[bytes, str] | None = None  # the edition's HTML, if pandoc wrote it as it normalised (kzpress.pandoc)


def _job(edition: "Edition", formats: tuple[str, ...], project: "Project", **remote: Any) -> Job:
    from kzpress import pandoc

    return Job(edition, formats, project, os.environ.get("SOURCE_DATE_EPOCH"), **remote,
               html=pandoc.kept_html(edition.document.to_json()))


@dataclass(frozen=True)
class Done:
    """What a job gives back: its outputs by format (a render's bytes, for kzpress.renderer), what it
    logged, or the error that stopped it."""

    outputs: Outputs | bytes
    records: tuple[Record, ...] = ()
    error: KzpressError | None = None


# A Dask worker may run several tasks at once in threads of one process; renders there would share
# os.environ (SOURCE_DATE_EPOCH, which fontTools reads) and WeasyPrint's C libraries, so they take turns.
_ONE_AT_A_TIME = threading.Lock()


def run_job(job: Job) -> Done:
    """A job, in a worker process: its outputs, or its KzpressError as a value, with what it logged."""
    from kzpress import pandoc
    from kzpress.build import Project, outputs_by_format

    if job.html is not None:
        pandoc.keep_html(*job.html)
    project = replace(job.project, **{name: getattr(Project(), name) for name in job.own_folders})
    with _ONE_AT_A_TIME, collected() as records:
        try:
            with _source_date_epoch(job.source_date_epoch):
                if job.key is not None:
                    _check_inputs(job, project)
                made = outputs_by_format(job.edition, list(job.formats), project)
        except KzpressError as error:
            return Done({}, tuple(records), portable(error))
    return Done(made, tuple(records))


def _check_inputs(job: Job, project: "Project") -> None:
    """A Dask worker must render what the parent would: its view of the seed's files, the layout and
    fonts, and kzpress's own code must give the parent's cache key (kzpress.cache covers all of them)."""
    import socket

    from kzpress import cache

    try:
        key = cache.input_key(project.seeds_dir, job.edition.slug, project.design_folders, job.request)
    except OSError:
        key = None
    if key != job.key:
        raise KzpressError(
            f"{project.seeds_dir}: the Dask worker on {socket.gethostname()} does not see the inputs of "
            f"'{job.edition.slug}' as this machine does (the seed's files, the layout and fonts folders, or "
            "kzpress itself differ or are missing there); every worker needs the same kzpress version and the "
            "seeds folder at the same path")


def portable(error: KzpressError) -> KzpressError:
    """The error as it can travel back to the parent: itself if it pickles whole, else its message."""
    import pickle

    try:
        if str(pickle.loads(pickle.dumps(error))) == str(error):
            return error
    except Exception:  # an error class whose constructor takes other arguments
        pass
    return KzpressError(str(error), detail=error.detail)


@contextmanager
def _source_date_epoch(value: str | None) -> Iterator[None]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    _set_env("SOURCE_DATE_EPOCH", value)
    try:
        yield
    finally:
        _set_env("SOURCE_DATE_EPOCH", previous)


def _set_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[Record] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


@contextmanager
def collected() -> Iterator[list[Record]]:
    """What kzpress's modules log meanwhile, kept to be sent back instead of shown here."""
    collector, logger = _Collector(), logging.getLogger("kzpress")
    propagate, logger.propagate = logger.propagate, False
    logger.addHandler(collector)
    try:
        yield collector.records
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate


def _replayed(done: Done) -> Outputs:
    """A job's outputs in the parent, after logging again what it logged there (the CLI shows it)."""
    for name, level, message in done.records:
        logging.getLogger(name).log(level, "%s", message)
    if done.error is not None:
        raise done.error
    return done.outputs


class Inline:
    """Every job at once, in this process, as the parent asks for it."""

    inline, capacity = True, 1

    def __init__(self, warm_renderer: Path | None = None) -> None:
        if warm_renderer is not None:
            from kzpress import renderer

            renderer.warm_up(warm_renderer)

    def submit(self, edition: "Edition", formats: tuple[str, ...], project: "Project", request: dict, key: str) -> Future:
        from concurrent.futures import Future

        from kzpress.build import outputs_by_format

        future: Future = Future()
        future.set_result(outputs_by_format(edition, list(formats), project))  # an error: raised here
        return future

    def result(self, handle: Future) -> Outputs:
        return handle.result()

    def close(self, *, cancel: bool) -> None:
        from kzpress import renderer

        renderer.shut_down(cancel=cancel)


class LocalPool:
    """Jobs in `workers` local processes, each with WeasyPrint imported once, as it starts."""

    inline = False

    def __init__(self, workers: int, layout_dir: Path) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.capacity = workers  # jobs that run at once
        self.executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(start_method()),
                                            initializer=_start_worker, initargs=(Path(layout_dir),))
        with _interrupts_ignored():  # the workers are born deaf to Ctrl-C: the parent stops them
            for _ in range(workers):
                self.executor.submit(int)  # the pool starts a process per job waiting: these start them all now

    def submit(self, edition: "Edition", formats: tuple[str, ...], project: "Project", request: dict, key: str) -> Future:
        return self.executor.submit(run_job, _job(edition, formats, project))  # the workers run here, in this folder

    def result(self, handle: Future) -> Outputs:
        return _replayed(self.result_of(handle))

    def result_of(self, handle: Future) -> Any:
        """What the job's function returned in the worker."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return handle.result()
        except BrokenProcessPool:
            raise KzpressError(DIED) from None

    def close(self, *, cancel: bool) -> None:
        if cancel:
            terminate = getattr(self.executor, "terminate_workers", None)  # Python 3.14
            if terminate is not None:
                terminate()
            else:
                for process in list(getattr(self.executor, "_processes", {}).values()):
                    process.terminate()
        self.executor.shutdown(wait=True, cancel_futures=cancel)


def start_method() -> str:
    """fork where it is safe: a forked worker starts at once, with kzpress already imported (a spawned one
    is ready a quarter of a second later). But a fork copies no other thread, and a lock one of them held
    (a progress bar's, on a terminal; a pool's manager) would stay locked in the child for ever: then
    spawn, a clean interpreter."""
    import multiprocessing

    safe = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    return "fork" if safe else "spawn"


def _start_worker(layout_dir: Path) -> None:
    import atexit
    import gc
    import multiprocessing
    import signal
    import tempfile
    from multiprocessing import util

    # What a forked worker inherited and the parent has yet to collect is the parent's to collect: a
    # FontConfiguration collected here would delete the font folder the parent still uses.
    gc.freeze()
    # WeasyPrint deletes a font configuration's temporary folder of fonts when it collects it, which a
    # worker never does (it leaves at once, see below): the worker's temporary files go into a folder of
    # its own, removed as the worker leaves (multiprocessing's finalizers run then), is stopped or is
    # orphaned.
    tempfile.tempdir = tempfile.mkdtemp(prefix="kzpress-worker-")
    util.Finalize(None, _remove_temporary_files, exitpriority=0)
    signal.signal(signal.SIGTERM, _stopped)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # in case the parent could not start it so
    # A forked worker inherits the parent's handlers (the CLI's notices): what it logs goes back instead.
    logging.getLogger("kzpress").handlers.clear()
    # A worker waiting for its next job would wait for ever if the parent died without closing the pool
    # (killed, out of memory), holding the terminal's or the caller's pipes open: it leaves with it.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_leave_with, args=(parent.sentinel,), daemon=True).start()
    from kzpress.backends import pdf

    pdf.forget_font_configurations()  # a forked worker starts its own Pango and fontconfig state
    pdf.weasyprint_module(layout_dir)
    # Tearing down an interpreter that holds WeasyPrint takes 0.3-2 s, which the parent would wait for at
    # the end of every build. A worker has nothing to flush (its results went back through the pipe as
    # they were made, and it writes no file), so it leaves at once. Last registered, so this runs first.
    atexit.register(os._exit, 0)


def _leave_with(parent_sentinel: int) -> None:
    # Imported already in a pool's worker (its queues use it): the thread only waits, holding no lock,
    # so that the worker may fork while it runs (kzpress.wave).
    from multiprocessing.connection import wait

    wait([parent_sentinel])
    _remove_temporary_files()
    os._exit(1)


def _stopped(signum: int, frame: Any) -> None:
    _remove_temporary_files()
    os._exit(128 + signum)


def _remove_temporary_files() -> None:
    """The worker's own temporary folder (see _start_worker), with what WeasyPrint and its forks put there."""
    import shutil
    import tempfile

    if tempfile.tempdir and Path(tempfile.tempdir).name.startswith("kzpress-worker-"):
        shutil.rmtree(tempfile.tempdir, ignore_errors=True)


@contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """SIGINT ignored while child processes start, so that they inherit that (signals: main thread only)."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Cluster:
    """Jobs on an existing Dask distributed cluster, through its scheduler at `address`."""

    inline = False

    def __init__(self, address: str) -> None:
        try:
            import distributed
        except ImportError:
            raise KzpressError("--scheduler: Dask distributed is not installed; install it with "
                               "`pip install 'kzpress[dask]'` (the workers need it and kzpress too)") from None
        from distributed.comm import get_address_host_port

        try:
            get_address_host_port(address)  # before a Client, which would hang on closing after a bad address
        except ValueError as error:
            raise KzpressError(f"--scheduler {address}: not a Dask scheduler address ({error}); give one such as "
                               "tcp://host:8786") from None
        try:
            self.client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise KzpressError(f"--scheduler {address}: cannot reach the Dask scheduler ({error}); check the "
                               "address and that the scheduler is running") from None
        self.capacity = max(1, sum(self.client.nthreads().values()))  # jobs that run at once, as the cluster is now
        self.futures: list[Any] = []

    def submit(self, edition: "Edition", formats: tuple[str, ...], project: "Project", request: dict, key: str) -> Any:
        job = _job(edition, formats, _absolute(project), request=request, key=key, own_folders=_own_folders(project))
        future = self.client.submit(run_job, job, pure=False)
        self.futures.append(future)
        return future

    def result(self, handle: Any) -> Outputs:
        try:
            done = handle.result()
        except ImportError as error:  # raised on the worker, where the job could not be unpickled
            raise KzpressError(f"a Dask worker cannot run kzpress ({error}); install the same kzpress version "
                               "on every worker (pip install 'kzpress[dask]')") from None
        return _replayed(done)

    def close(self, *, cancel: bool) -> None:
        if cancel:
            self.client.cancel(self.futures)
        self.client.close()


def _absolute(project: "Project") -> "Project":
    """The project with absolute paths: a worker's working folder is its own."""
    folders = ("seeds_dir", "out_dir", "layout_dir", "fonts_dir", "publisher_layout")
    return replace(project, **{name: getattr(project, name).resolve() for name in folders if getattr(project, name)})


def _own_folders(project: "Project") -> tuple[str, ...]:
    """The project's folders that are kzpress's own (layout/, fonts/): a worker takes those of its own
    install, wherever it is; the key check makes sure they hold the same files."""
    from kzpress.build import Project

    default = Project()
    return tuple(name for name in ("layout_dir", "fonts_dir") if getattr(project, name).resolve() == getattr(default, name))


@contextmanager
def runner(jobs: int, scheduler: str | None, expected: int, layout_dir: Path) -> Iterator[Any]:
    """Where this build's `expected` jobs run: closed at the end, and on an error or Ctrl-C stopped at once."""
    if expected == 0 or (scheduler is None and (jobs <= 1 or expected == 1)):
        # One render with a core to spare: WeasyPrint is imported in a second process while this one
        # normalises the text and writes the page (kzpress.renderer); --jobs 1 keeps it all here.
        where: Any = Inline(layout_dir if expected == 1 and jobs > 1 else None)
    elif scheduler is not None:
        where = Cluster(scheduler)
    elif expected <= jobs and start_method() == "fork":
        from kzpress.wave import Wave  # every job at once, forked from one warm worker

        where = Wave(jobs, layout_dir)
    else:
        where = LocalPool(min(jobs, expected), layout_dir)
    try:
        yield where
    except BaseException:
        where.close(cancel=True)
        raise
    where.close(cancel=False)
