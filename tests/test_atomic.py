"""Atomic outputs: a build killed with SIGKILL in the middle of writing leaves every output path holding a
whole file, the previous build's or the new one's, never a truncated one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kzpress.build import Project, build

TEXT = "The strike began on Monday. The workers held the gates all week, and the owners gave in.\n"
FORMATS = ["md", "epub", "xliff"]

# A kzpress build (on Linux: the file names come from /proc) whose n-th output write stops halfway, flushed to disk, and then the process is
# killed outright (SIGKILL: no handler, no cleanup), as a power cut or `kill -9` would stop it.
DYING_BUILD = """
import os, signal, sys
writes = 0
real_fdopen = os.fdopen

class Dying:
    def __init__(self, stream):
        self.stream = stream
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self.stream.__exit__(*exc)
    def write(self, data):
        global writes
        writes += 1
        if writes == int(sys.argv[1]):
            self.stream.write(data[: len(data) // 2])
            self.stream.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        return self.stream.write(data)
    def __getattr__(self, name):
        return getattr(self.stream, name)

def opened(fd, *args, **kwargs):
    stream = real_fdopen(fd, *args, **kwargs)
    # Writes into the build cache (.kzpress-cache: records, the parse cache) are not outputs: not counted.
    cached = ".kzpress-cache" in os.readlink(f"/proc/self/fd/{fd}")
    return stream if cached else Dying(stream)

os.fdopen = opened
from kzpress.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _seed(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "strike.txt").write_text(text, encoding="utf-8")
    (folder / "strike.yaml").write_text('title: Strike\ndate: "2022"\nlang: en\ntargets: [ru]\n', encoding="utf-8")
    return folder


def _files(out: Path) -> dict[str, bytes]:
    return {str(path.relative_to(out)): path.read_bytes() for path in out.rglob("*")
            if path.is_file() and ".kzpress-cache" not in path.parts}


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The outputs of the seed before and after an edit, each built whole."""
    root = tmp_path_factory.mktemp("editions")
    before = root / "before"
    build(Project(seeds_dir=_seed(root / "seeds-before", TEXT), out_dir=before), [], FORMATS, [], notice=lambda m: None)
    after = root / "after"
    build(Project(seeds_dir=_seed(root / "seeds-after", TEXT + "A second paragraph.\n"), out_dir=after), [], FORMATS, [],
          notice=lambda m: None)
    return _files(before), _files(after)


@pytest.mark.parametrize("dies_at_write", [1, 2, 3])
def test_a_build_killed_while_writing_leaves_only_whole_files(tmp_path, editions, dies_at_write):
    before, after = editions
    seeds = _seed(tmp_path / "seeds", TEXT)
    out = tmp_path / "out"
    build(Project(seeds_dir=seeds, out_dir=out), [], FORMATS, [], notice=lambda m: None)
    assert _files(out) == before
    _seed(seeds, TEXT + "A second paragraph.\n")

    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    killed = subprocess.run(
        [sys.executable, "-c", DYING_BUILD, str(dies_at_write), "-q", "build", "--seeds", str(seeds), "--out", str(out),
         "--to", ",".join(FORMATS)], capture_output=True, env=env, timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()

    final = {name: data for name, data in _files(out).items() if not Path(name).name.startswith(".")}
    assert set(final) == set(before)
    for name, data in final.items():
        assert data in (before[name], after[name]), f"{name} is neither the previous output nor the new one"
    replaced = [name for name in final if final[name] == after[name] != before[name]]
    assert len(replaced) == dies_at_write - 1  # the outputs written before the kill, each whole
    leftovers = [name for name in _files(out) if name not in final]
    assert leftovers, "the kill came after the last write, not during one"
    assert all(Path(name).name.startswith(".") and name.endswith(".tmp") for name in leftovers)  # hidden, never final

    build(Project(seeds_dir=seeds, out_dir=out), [], FORMATS, [], notice=lambda m: None)
    assert {name: data for name, data in _files(out).items() if name in final} == after
