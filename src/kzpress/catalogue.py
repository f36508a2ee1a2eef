"""A build of many seeds, each in its language editions and formats, with the renders running side by side.

Each seed goes through three steps, and the parent alone does the first and the last:

1. planned: its cache key; a seed whose outputs are all up to date goes no further and starts nothing;
2. started: loaded and normalised, its editions made, its light formats (md, xliff) made at once, and
   its render jobs handed to a `parallel` runner; then the next seed is started while they run;
3. finished, strictly in the seeds' order: its jobs' outputs collected, then written with their cache
   record by build.py (the only module that writes the output folder), and `report` told.

What a seed's steps say (notices, and what its jobs logged) is held until it is finished, so that the
lines come out in the same order as in a build that does one thing at a time, however the jobs
interleave. The first seed that fails stops the build after its report, and the jobs still running are
stopped. The outputs are the same bytes as those of a build in one process.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from kzpress import cache
from kzpress.build import (BUILT, FAILED, UP_TO_DATE, Edition, Notice, Project, SeedResult, editions, format_order, load,
                           outputs_by_format, write_seed)
from kzpress.errors import KzpressError
from kzpress.language import language
from kzpress.seeds import Seed, check_input


@dataclass(frozen=True)
class Request:
    """What was asked of every seed of the build."""

    formats: list[str]
    langs: list[str]
    targets: list[str] | None
    allow_incomplete: bool
    cache_request: dict  # the part of it the cache key covers


@dataclass
class _SeedBuild:
    """One seed on its way through the build."""

    seed: Seed
    key: str = ""
    unchanged: list[Path] | None = None
    error: KzpressError | None = None
    notices: list[str] = field(default_factory=list)
    source: Edition | None = None
    editions: list[Edition] = field(default_factory=list)
    parts: list[list[Any]] = field(default_factory=list)  # per edition: Outputs made here, or job handles

    @property
    def rendering(self) -> bool:
        return self.error is None and self.unchanged is None


def build_seeds(project: Project, seeds: list[Seed], request: Request, *, force: bool, notice: Notice,
                report: Callable[[SeedResult], None], jobs: int | None, scheduler: str | None) -> list[Path]:
    """Build `seeds` in order (see the module's docstring); return what was written."""
    planned = _planned(project, seeds, request.cache_request, force)
    if not any(one.rendering for one in planned):  # all up to date, or the first fails at once: nothing to start
        return [path for one in planned for path in _finish(one, None, project, request, notice, report)]
    from kzpress import parallel

    expected = sum(_job_count(one, request) for one in planned)
    written: list[Path] = []
    with parallel.runner(jobs or parallel.usable_cores(), scheduler, expected, project.layout_dir) as run:
        waiting: deque[_SeedBuild] = deque()
        for one in planned:
            # Seeds are started ahead while their jobs keep the workers busy, but no further: each holds
            # its editions and, once rendered, its outputs in memory until it is written.
            while waiting and (run.inline or _ready(waiting[0]) or _jobs(waiting) >= 2 * run.capacity):
                written += _finish(waiting.popleft(), run, project, request, notice, report)
            if one.rendering:
                _start(one, run, project, request, notice, reuse=not force)
            waiting.append(one)
            if one.error is not None:
                break  # nothing after a failure starts; the seeds before it are finished first
        while waiting:
            written += _finish(waiting.popleft(), run, project, request, notice, report)
    return written


def _planned(project: Project, seeds: list[Seed], cache_request: dict, force: bool) -> list[_SeedBuild]:
    """Each seed with its cache key and, if nothing changed, its outputs; up to the first that fails."""
    planned = []
    for seed in seeds:
        one = _SeedBuild(seed)
        planned.append(one)
        try:
            check_input(seed.source, max_bytes=project.max_input_bytes)  # before the cache key reads it whole
            one.key = cache.input_key(project.seeds_dir, seed.slug, project.design_folders, cache_request)
            one.unchanged = None if force else cache.lookup(project.out_dir, seed.slug, cache_request, one.key)
        except KzpressError as error:
            one.error = error
            break
    return planned


def _job_count(one: _SeedBuild, request: Request) -> int:
    """How many render jobs the seed will give, before it is loaded: its editions times its chains."""
    from kzpress import parallel

    if not one.rendering or set(request.formats) <= {"xliff"}:
        return 0
    if request.langs:
        count = len(dict.fromkeys(request.langs))
    else:
        from kzpress.translation.store import stored_languages

        count = 1 + len(stored_languages(one.seed.source.parent, one.seed.slug))
    return count * len(parallel.chains(request.formats))


def _start(one: _SeedBuild, run, project: Project, request: Request, notice: Notice, *, reuse: bool) -> None:
    """Load the seed and its editions, make its light formats and hand out its render jobs (the output
    folder keeps the seed's normalised text, see build.load; with --force it is made again, not `reuse`d)."""
    from kzpress import parallel

    say = notice if run.inline else one.notices.append
    langs, formats = request.langs, request.formats
    try:
        source = load(one.seed, lang=langs[0] if langs else None, notice=say, max_input_bytes=project.max_input_bytes,
                      parse_cache=project.out_dir, reuse=reuse)
        if request.targets is not None:
            source = replace(source, targets=tuple(language(t, source="--target").tag for t in request.targets))
        one.source = source
        # XLIFF is exported from the source edition alone: a translated edition has nothing to add to it.
        one.editions = ([source] if set(formats) <= {"xliff"} else
                        editions(one.seed, source, langs, allow_incomplete=request.allow_incomplete, notice=say))
        for edition in one.editions:
            light = [name for name in formats if name in parallel.IN_PROCESS]
            parts: list[Any] = [outputs_by_format(edition, light, project)] if light else []
            one.parts.append(parts)
            for chain in parallel.chains(formats):
                parts.append(run.submit(edition, chain, project, request.cache_request, one.key))
    except KzpressError as error:
        one.error = error


def _ready(one: _SeedBuild) -> bool:
    return all(part.done() for parts in one.parts for part in parts if not isinstance(part, dict))


def _jobs(waiting: deque[_SeedBuild]) -> int:
    return sum(not isinstance(part, dict) for one in waiting for parts in one.parts for part in parts)


def _finish(one: _SeedBuild, run, project: Project, request: Request, notice: Notice,
            report: Callable[[SeedResult], None]) -> list[Path]:
    try:
        result = _written(one, run, project, request, notice)
    except KzpressError as error:
        report(SeedResult(one.seed.slug, FAILED, error=str(error)))
        raise
    report(result)
    return list(result.files)


def _written(one: _SeedBuild, run, project: Project, request: Request, notice: Notice) -> SeedResult:
    """The seed's outputs collected in the order a one-process build makes them, written, and cached."""
    for line in one.notices:
        notice(line)
    if one.error is not None:
        raise one.error
    if one.unchanged is not None:
        notice(f"{one.seed.slug}: up to date")
        return SeedResult(one.seed.slug, UP_TO_DATE, tuple(one.unchanged))
    results: dict[Path, bytes] = {}
    for parts in one.parts:
        made: dict[str, dict[Path, bytes]] = {}
        for part in parts:
            made.update(part if isinstance(part, dict) else run.result(part))
        for name in format_order(request.formats):
            results.update(made.get(name, {}))
    source = one.source
    if "xliff" in request.formats and any(edition is source for edition in one.editions):
        from kzpress.translation.store import export_summaries

        for line in export_summaries(one.seed.source.parent, source.slug, source.document, source.targets):
            notice(line)
    written = write_seed(project, one.seed.slug, results, request.cache_request, one.key, notice)
    return SeedResult(one.seed.slug, BUILT, tuple(written))
