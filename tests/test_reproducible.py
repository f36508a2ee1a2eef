"""Reproducible by default: the same seed gives the same bytes in every output, whatever the folder,
the process or its hash seed, without SOURCE_DATE_EPOCH (the date comes from the document)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS

OUTPUTS = [".md", ".pdf", ".epub", ".xlf", ".print.pdf", ".booklet.pdf"]


def _outputs(out: Path) -> dict[Path, bytes]:
    return {path.relative_to(out): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and ".kzpress-cache" not in path.parts}


@pytest.fixture(scope="module")
def two_builds(seed_build, tmp_path_factory) -> tuple[dict[Path, bytes], dict[Path, bytes]]:
    """The session's build of the seed, and another of a copy of the seeds folder, elsewhere, by another
    process with another hash seed."""
    root = tmp_path_factory.mktemp("elsewhere")
    shutil.copytree(SEEDS, root / "seeds")
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = "12345"  # another iteration order for every set and dict of strings
    completed = subprocess.run(
        [sys.executable, "-m", "kzpress.cli", "-q", "build", "--seeds", str(root / "seeds"), "--out", str(root / "out")],
        capture_output=True, text=True, env=env, cwd=root, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    return _outputs(seed_build), _outputs(root / "out")


def test_both_builds_made_the_same_files(two_builds):
    first, second = two_builds
    assert sorted(first) == sorted(second)


@pytest.mark.parametrize("kind", OUTPUTS)
def test_every_output_is_byte_identical(two_builds, kind):
    first, second = two_builds
    paths = [path for path in first if path.name.endswith(kind) and not any(
        path.name.endswith(longer) for longer in OUTPUTS if longer != kind and longer.endswith(kind))]
    assert paths, f"the seed's build has no {kind} output"
    assert [str(path) for path in paths if first[path] != second.get(path)] == []
