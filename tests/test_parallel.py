"""Parallel builds (kzpress.catalogue, kzpress.parallel): worker processes and a Dask cluster give the bytes
and notices of a build in one process; errors come back as one line; cache hits start nothing."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from contextlib import redirect_stderr
from io import StringIO
from pathlib import Path

import pytest

from kzpress import parallel
from kzpress.build import Project
from kzpress.cli import main
from kzpress.errors import InputError, KzpressError

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "tests" / "documents"
FORMATS = "pdf,epub,print,booklet,md,xliff"


def _catalogue(seeds: Path) -> Path:
    """Two seeds, one with stored Russian and Kazakh translations: four editions."""
    seeds.mkdir(parents=True)
    for path in [DOCUMENTS / "translation-short.md", DOCUMENTS / "pdf-kazakh.md",
                 *sorted((ROOT / "tests" / "translations").glob("translation-short.*.xlf"))]:
        shutil.copy(path, seeds)
    return seeds


def _files(out: Path) -> dict[str, bytes]:
    return {str(path.relative_to(out)): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and ".kzpress-cache" not in path.parts}


def _run(argv: list[str]) -> tuple[int, str]:
    err = StringIO()
    with redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


# The parallel build runs in a process of its own, to see what its parent imported.
_PARENT = """
import sys
from kzpress.cli import main
code = main(sys.argv[1:])
print(f"kzpress-test: weasyprint imported: {'weasyprint' in sys.modules}", file=sys.stderr)
sys.exit(code)
"""


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """The catalogue built in one process (--jobs 1) and by two worker processes (--jobs 2)."""
    root = tmp_path_factory.mktemp("parallel")
    seeds = _catalogue(root / "seeds")
    common = ["build", "--seeds", str(seeds), "--to", FORMATS]
    code, one = _run([*common, "--out", str(root / "one"), "--jobs", "1"])
    assert code == 0, one
    env = {"SOURCE_DATE_EPOCH": ""}  # as in-process: none set (the build date is each document's)
    done = subprocess.run([sys.executable, "-c", _PARENT, *common, "--out", str(root / "two"), "--jobs", "2"],
                          capture_output=True, text=True, cwd=root, env=_environment(env))
    assert done.returncode == 0, done.stderr
    return {"one": (root / "one", one), "two": (root / "two", done.stderr), "seeds": (seeds, "")}


def _environment(changes: dict[str, str]) -> dict[str, str]:
    import os

    env = dict(os.environ)
    for name, value in changes.items():
        if value:
            env[name] = value
        else:
            env.pop(name, None)
    return env


def test_workers_give_the_same_bytes_as_one_process(builds):
    one, two = _files(builds["one"][0]), _files(builds["two"][0])
    assert len(one) == 4 * 5 + 2  # four editions of five files each, and two XLIFF files
    assert list(two) == list(one)
    assert [name for name in one if one[name] != two[name]] == []


def test_workers_give_the_same_notices_in_the_same_order(builds):
    (one_out, one), (two_out, two) = builds["one"], builds["two"]
    lines = [line.replace(str(two_out), "OUT") for line in two.splitlines() if not line.startswith("kzpress-test:")]
    assert lines == [line.replace(str(one_out), "OUT") for line in one.splitlines()]
    assert sum(line.startswith("kzpress: wrote OUT/") for line in lines) == 22


def test_the_parent_of_the_workers_does_not_import_weasyprint(builds):
    assert "kzpress-test: weasyprint imported: False" in builds["two"][1]


def _failing(seeds: Path) -> Path:
    """Three seeds in order; the middle one has a character the fonts cannot print, found when its PDF
    is laid out, in a worker."""
    seeds.mkdir(parents=True)
    for slug, text in (("a-good", "The strike went on."), ("b-bad", "The strike 漢 went on."), ("c-good", "It ended.")):
        (seeds / f"{slug}.txt").write_text(f"{text}\n", encoding="utf-8")
        (seeds / f"{slug}.yaml").write_text(f"title: {slug}\ndate: 2022\nlang: en\n", encoding="utf-8")
    return seeds


def test_a_failing_job_in_a_worker_is_one_error_line_after_the_seeds_before_it(tmp_path, capsys):
    seeds, out = _failing(tmp_path / "seeds"), tmp_path / "out"
    code = main(["build", "--seeds", str(seeds), "--out", str(out), "--to", "pdf,md", "--jobs", "2", "--json"])
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert code == 1
    lines = captured.err.splitlines()
    assert lines[-1].startswith("kzpress: error: ") and "漢" in lines[-1] and "b-bad" in lines[-1]
    assert "Traceback" not in captured.err
    assert [(seed["seed"], seed["status"]) for seed in summary["seeds"]] == [("a-good", "built"), ("b-bad", "failed")]
    assert (out / "a-good" / "en" / "a-good.pdf").is_file()
    assert not (out / "b-bad").exists() and not (out / "c-good").exists()


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(value, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["build", "--jobs", value])
    assert stopped.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_one_job_or_jobs_1_runs_in_this_process_and_nothing_to_render_starts_nothing():
    layout = Project().layout_dir
    for jobs, expected in ((4, 1), (1, 8), (4, 0)):
        with parallel.runner(jobs, None, expected, layout) as run:
            assert isinstance(run, parallel.Inline)
    with parallel.runner(4, "tcp://127.0.0.1:1", 0, layout) as run:  # all up to date: no scheduler contacted
        assert isinstance(run, parallel.Inline)


def test_the_render_chains_keep_each_reuse_in_one_job():
    assert parallel.chains(FORMATS.split(",")) == [("pdf", "epub"), ("print", "booklet")]
    assert parallel.chains(["epub", "md", "booklet"]) == [("epub",), ("booklet",)]
    assert parallel.chains(["md", "xliff"]) == []


def test_an_error_that_does_not_pickle_whole_still_travels_as_its_message():
    class Picky(KzpressError):
        def __init__(self, message: str, *, unit: str) -> None:
            super().__init__(message)
            self.unit = unit

    travelled = pickle.loads(pickle.dumps(parallel.portable(Picky("x.xlf: unit 3 is broken", unit="3"))))
    assert (type(travelled), str(travelled)) == (KzpressError, "x.xlf: unit 3 is broken")
    plain = parallel.portable(InputError("seed.txt: no title", detail="more"))
    assert pickle.loads(pickle.dumps(plain)).detail == "more"


@pytest.mark.parametrize("expected, kind, started", [(4, parallel.LocalPool, 2), (2, "Wave", 1)])
def test_an_interrupt_stops_the_workers(expected, kind, started):
    with pytest.raises(KeyboardInterrupt):
        with parallel.runner(2, None, expected, Project().layout_dir) as run:
            assert type(run).__name__ == getattr(kind, "__name__", kind)
            pool = getattr(run, "pool", run)
            workers = list(pool.executor._processes.values())
            raise KeyboardInterrupt
    assert len(workers) == started and not any(worker.is_alive() for worker in workers)


# --- every job at once, forked from one warm worker (kzpress.wave) ---------------------------------


@pytest.fixture(scope="module")
def wave(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """One seed, its Russian and Kazakh editions: two jobs, built in one process and by a wave."""
    root = tmp_path_factory.mktemp("wave")
    seeds = _catalogue(root / "seeds")
    common = ["build", "translation-short", "--seeds", str(seeds), "--to", "pdf,md", "--lang", "ru", "--lang", "kk"]
    built = {}
    with pytest.MonkeyPatch.context() as patch:
        _as_if_nothing_was_laid_out(patch)
        for name, jobs in (("one", "1"), ("wave", "2")):
            code, err = _run([*common, "--out", str(root / name), "--jobs", jobs])
            assert code == 0, err
            built[name] = (root / name, err)
    return built


def _as_if_nothing_was_laid_out(patch: pytest.MonkeyPatch) -> None:
    """Earlier tests laid out pages in this process; its forked worker would then not fork (kzpress.wave)."""
    from kzpress.backends import pdf

    patch.setattr(pdf, "laid_out_here", False)


def test_a_wave_gives_the_bytes_and_notices_of_one_process(wave):
    (one_out, one), (wave_out, waved) = wave["one"], wave["wave"]
    assert _files(wave_out) == _files(one_out) and len(_files(one_out)) == 4
    assert waved.replace(str(wave_out), "OUT") == one.replace(str(one_out), "OUT")


def test_a_wave_forks_its_jobs_from_the_warm_worker(monkeypatch):
    from kzpress import wave

    with parallel.runner(2, None, 2, Project().layout_dir) as run:
        assert isinstance(run, wave.Wave) and len(run.pool.executor._processes) == 1
    from kzpress.backends import pdf

    def pid_and_layout(job):
        pdf.laid_out_here = True
        return parallel.Done({"pid": {Path("pid"): str(_pid()).encode()}})

    monkeypatch.setattr(pdf, "laid_out_here", False)
    monkeypatch.setattr(wave, "run_job", pid_and_layout)
    pids = {done.outputs["pid"][Path("pid")] for done in wave.run_wave([None, None, None])}
    assert len(pids) == 3  # this process and two forked ones
    # Once this process has laid out a page (Pango's threads started), it forks no more.
    assert {done.outputs["pid"][Path("pid")] for done in wave.run_wave([None, None])} == {str(_pid()).encode()}


def _pid() -> int:
    import os

    return os.getpid()


@pytest.mark.parametrize("failure, expected", [
    (lambda: (_ for _ in ()).throw(InputError("seed.md: the fonts cannot print 漢")), "the fonts cannot print 漢"),
    (lambda: __import__("os")._exit(3), "a build worker process stopped unexpectedly"),
])
def test_a_forked_job_that_fails_or_dies_is_one_error_line(failure, expected, monkeypatch, tmp_path, capsys):
    from kzpress import wave

    real = wave.run_job

    def second_fails(job):
        if job.formats[0] == "print":  # the second job: run in a forked process
            failure()
        return real(job)

    monkeypatch.setattr(wave, "run_job", second_fails)
    _as_if_nothing_was_laid_out(monkeypatch)
    seeds = _failing(tmp_path / "seeds")
    code = main(["build", "a-good", "--seeds", str(seeds), "--out", str(tmp_path / "out"), "--to", "pdf,print", "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err.splitlines()[-1].startswith("kzpress: error: ") and expected in err.splitlines()[-1]
    assert not (tmp_path / "out" / "a-good").exists()


# --- Dask ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None) as local:
        yield local


def test_a_dask_cluster_builds_the_catalogue_as_one_process_does(builds, cluster, tmp_path):
    seeds, out = builds["seeds"][0], tmp_path / "dask"
    code, err = _run(["build", "--seeds", str(seeds), "--out", str(out), "--to", "md,xliff,pdf",
                      "--scheduler", cluster.scheduler_address])
    assert code == 0, err
    made, one = _files(out), _files(builds["one"][0])
    assert len(made) == 4 * 2 + 2
    assert [name for name in made if made[name] != one[name]] == []


def test_a_dask_worker_takes_its_own_kzpress_folders_and_refuses_inputs_other_than_the_parent_s(builds, monkeypatch):
    from kzpress import cache
    from kzpress.build import load
    from kzpress.seeds import find_seeds

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    seeds = builds["seeds"][0]
    edition = load(find_seeds(seeds)["translation-short"], notice=lambda message: None)
    request = {"formats": ["md"]}
    key = cache.input_key(seeds, "translation-short", Project(seeds_dir=seeds).design_folders, request)
    elsewhere = Project(seeds_dir=seeds, layout_dir=Path("/elsewhere/layout"), fonts_dir=Path("/elsewhere/fonts"))
    own = ("layout_dir", "fonts_dir")
    done = parallel.run_job(parallel.Job(edition, ("md",), elsewhere, None, request, key, own_folders=own))
    assert done.error is None and list(done.outputs) == ["md"]
    done = parallel.run_job(parallel.Job(edition, ("md",), elsewhere, None, request, "0" * 64, own_folders=own))
    assert "does not see the inputs of 'translation-short'" in str(done.error) and not done.outputs


def test_without_dask_installed_the_scheduler_option_says_what_to_install(builds, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    code, err = _run(["build", "--seeds", str(builds["seeds"][0]), "--out", str(tmp_path), "--to", "pdf",
                      "--scheduler", "tcp://127.0.0.1:8786"])
    assert code == 1
    assert err.splitlines()[-1].startswith("kzpress: error: --scheduler") and "kzpress[dask]" in err


def test_an_unreachable_scheduler_is_one_error_line(builds, tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(parallel, "CONNECT_SECONDS", 1)
    code, err = _run(["build", "--seeds", str(builds["seeds"][0]), "--out", str(tmp_path), "--to", "pdf",
                      "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 1
    assert err.splitlines()[-1].startswith("kzpress: error: --scheduler tcp://127.0.0.1:9: cannot reach")
    assert "Traceback" not in err


@pytest.mark.parametrize("slugs, formats", [(["a-good"], "pdf"), (["a-good"], "pdf,print"), (["a-good", "c-good"], "pdf,print")],
                         ids=["warm renderer", "wave", "pool"])
def test_a_build_leaves_no_temporary_files(slugs, formats, tmp_path):
    # WeasyPrint deletes its temporary font folders only when it collects them, which a worker that
    # leaves at once never did: every render left 2 MB in the temporary folder.
    seeds, scratch = _failing(tmp_path / "seeds"), tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run([sys.executable, "-c", _PARENT, "-q", "build", *slugs, "--seeds", str(seeds),
                           "--out", str(tmp_path / "out"), "--to", formats, "--jobs", "2"],
                          capture_output=True, text=True, env=_environment({"TMPDIR": str(scratch)}))
    assert done.returncode == 0, done.stderr
    assert list(scratch.iterdir()) == []


def test_a_forked_worker_keeps_the_font_configurations_it_inherited(monkeypatch):
    # A WeasyPrint FontConfiguration deletes its folder of fonts when it is collected. A worker forked
    # from a process that had rendered (a test run, `kzpress watch`) inherits that process's
    # configuration; were the worker to collect it, the folder its parent still uses would be gone.
    from kzpress.backends import pdf

    collected: list[str] = []

    class Configuration:
        def __del__(self) -> None:
            collected.append("deleted its folder")

    monkeypatch.setattr(pdf, "_font_configurations", {("fonts",): Configuration()})
    monkeypatch.setattr(pdf, "_inherited", [], raising=False)
    pdf.forget_font_configurations()  # what a forked worker does first (parallel._start_worker)
    import gc

    gc.collect()
    assert pdf._font_configurations == {} and collected == []
