"""Build progress: a rich bar for a person at a terminal, never in a pipe, a log or CI."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from kzpress import progress
from kzpress.build import BUILT, SeedResult
from kzpress.cli import main


class _Stream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(("tty", "quiet", "seeds", "formats", "expected"), [
    (True, False, 2, 1, True),    # several documents
    (True, False, 1, 3, True),    # several formats
    (True, False, 1, 1, False),   # one thing to wait for: the notices say enough
    (True, True, 2, 3, False),    # -q
    (False, False, 2, 3, False),  # a pipe, a log file, CI
])
def test_bar_only_for_a_terminal_with_several_things_to_build(tty, quiet, seeds, formats, expected):
    assert progress.wanted(_Stream(tty), quiet=quiet, seeds=seeds, formats=formats) is expected


def test_build_into_a_pipe_prints_plain_notice_lines(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for slug in ("one", "two"):
        (seeds / f"{slug}.txt").write_text("The workers struck. The strike went on.\n", encoding="utf-8")
        (seeds / f"{slug}.yaml").write_text(f"title: {slug}\ndate: 2022\nlang: en\n", encoding="utf-8")
    code = main(["build", "--to", "md", "--seeds", str(seeds), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 0
    assert "\x1b" not in err and "\r" not in err
    assert err.splitlines() == [f"kzpress: wrote {tmp_path / 'out' / slug / 'en' / f'{slug}.md'}" for slug in ("one", "two")]


def test_enabled_bar_counts_seeds_and_keeps_notices_above_it():
    terminal = _Stream(True)
    with progress.build_progress(2, enabled=True, stream=terminal) as report:
        print("kzpress: wrote a notice", file=sys.stderr)  # the CLI's notices go to standard error
        report(SeedResult("one", BUILT, (Path("one.md"),)))
        report(SeedResult("two", BUILT, (Path("two.md"),)))
    shown = terminal.getvalue()
    assert "kzpress: wrote a notice" in shown and "2/2" in shown and "two: built" in shown


def test_disabled_progress_writes_nothing():
    terminal = _Stream(True)
    with progress.build_progress(2, enabled=False, stream=terminal) as report:
        report(SeedResult("one", BUILT))
    assert terminal.getvalue() == ""
